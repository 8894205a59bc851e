#!/bin/sh
# Browser tests of the help center: a real helpdex-serve over an index of
# corpus/ plus tests/fixtures/platforms/ (as platforms/), driven by Chromium
# through playwright-core (tests/browser/test.mjs).
#
#   tests/browser/run.sh            (HDX_BUILD=build dir, default <repo>/build)
#
# Installs Chromium from Debian and the npm package when missing, starts the
# server on a free port, stops it by PID, and ends with the line
# "browser: N passed, M failed".  Exit status 0 only when all passed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${HDX_BUILD:-$repo/build}
chromium=${CHROMIUM:-/usr/bin/chromium}

fail() {
    echo "browser: $*" >&2
    echo "browser: 0 passed, 1 failed"
    exit 1
}

# 1. Chromium from Debian.
if [ ! -x "$chromium" ]; then
    echo "browser: installing chromium (apt-get)"
    if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
    $SUDO apt-get update -qq >/dev/null &&
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium \
            >/dev/null || fail "could not install chromium"
fi

# 2. playwright-core and axe-core, pinned in package.json / package-lock.json.
if [ ! -d "$here/node_modules/playwright-core" ] ||
    [ ! -f "$here/node_modules/axe-core/axe.min.js" ]; then
    echo "browser: installing playwright-core and axe-core (npm)"
    if [ -f "$here/package-lock.json" ]; then
        (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) ||
            fail "npm ci failed"
    else
        (cd "$here" && npm install --no-audit --no-fund --loglevel=error) ||
            fail "npm install failed"
    fi
fi

[ -x "$build/helpdex-index" ] && [ -x "$build/helpdex-serve" ] ||
    fail "no binaries in $build (run make first)"

# 3. Index the corpus and start the server on a free port.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hdx-browser.XXXXXX") || fail "mktemp failed"
pid=""
proxy=""
python=${PYTHON:-/usr/bin/python3}
cleanup() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    fi
    [ -z "$proxy" ] || "$python" "$repo/tests/e2e/proxy_stack.py" down "$proxy"
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# The sample corpus with the platform fixture KB under platforms/ (its
# README.md is not an article there).
cp -R "$repo/corpus" "$tmp/corpus" &&
    cp -R "$repo/tests/fixtures/platforms" "$tmp/corpus/platforms" &&
    rm -f "$tmp/corpus/platforms/README.md" || fail "cannot copy the corpus"
"$build/helpdex-index" --corpus "$tmp/corpus" --db "$tmp/index" \
    >"$tmp/index.log" 2>&1 || { cat "$tmp/index.log" >&2; fail "indexing failed"; }
(umask 077 &&
    echo "browser-agent-token-0123456789 agent browser-tests" >"$tmp/tokens" &&
    echo "browser-internal-token-0123456789 internal browser-tests" \
        >>"$tmp/tokens")
# A month of analytics for the /admin dashboard (tests/analytics/).
"$build/tests/gen_month" --db "$tmp/analytics.sqlite" ||
    fail "gen_month failed"
cat >"$tmp/helpcenter.conf" <<EOF
# branding used by the browser tests
product_name = Skylark
primary_color = #0b5cad
logo = logo.svg
support_email = support@skylark.example
EOF
"$build/helpdex-serve" --db "$tmp/index" --port 0 --port-file "$tmp/port" \
    --assets "$repo/web" --corpus "$tmp/corpus" --branding "$tmp/helpcenter.conf" \
    --feedback-db "$tmp/feedback.sqlite" --tokens "$tmp/tokens" \
    --analytics-db "$tmp/analytics.sqlite" \
    >"$tmp/serve.log" 2>&1 &
pid=$!
i=0
port=""
while [ $i -lt 100 ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
        cat "$tmp/serve.log" >&2
        pid=""
        fail "helpdex-serve exited"
    fi
    if [ -s "$tmp/port" ]; then
        port=$(cat "$tmp/port")
        if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 ||
            python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=1)" 2>/dev/null; then
            break
        fi
    fi
    i=$((i + 1))
    sleep 0.1
done
[ $i -lt 100 ] || fail "helpdex-serve did not become ready"

# 3b. With nginx and openssl: the installed server under /help/ behind
# nginx with TLS (tests/e2e/proxy_stack.py; the "behind nginx" scenarios
# of proxy.mjs).  Without them those scenarios are skipped.
tls_url=""
tls_token=""
if command -v openssl >/dev/null && { command -v nginx >/dev/null ||
    [ -x /usr/sbin/nginx ]; }; then
    proxy="$tmp/proxy"
    mkdir -p "$proxy"
    HDX_BUILD="$build" "$python" "$repo/tests/e2e/proxy_stack.py" up \
        "$proxy" "$tmp/corpus" >"$tmp/proxy.env" 2>"$tmp/proxy.log" ||
        { cat "$tmp/proxy.log" >&2; fail "the nginx stack did not start"; }
    tls_url=$(sed -n 's/^HDX_TLS_URL=//p' "$tmp/proxy.env")
    tls_token=$(sed -n 's/^HDX_TLS_TOKEN=//p' "$tmp/proxy.env")
fi

# 4. Run the scenarios.
mkdir -p "$here/artifacts"
HDX_URL="http://127.0.0.1:$port" HDX_TOKEN="browser-agent-token-0123456789" \
    HDX_INTERNAL_TOKEN="browser-internal-token-0123456789" \
    HDX_ANALYTICS_DB="$tmp/analytics.sqlite" \
    HDX_TLS_URL="$tls_url" HDX_TLS_TOKEN="$tls_token" \
    CHROMIUM="$chromium" ARTIFACTS="$here/artifacts" \
    node "$here/test.mjs" >"$tmp/test.out" 2>&1
status=$?

# 5. Stop the server; it must exit cleanly (under ASan: no leaks).
kill "$pid" 2>/dev/null
wait "$pid"
srv_status=$?
pid=""
if [ $srv_status -ne 0 ]; then
    echo "browser: helpdex-serve exited with status $srv_status" >&2
    status=1
fi
if [ -n "$proxy" ]; then
    if ! "$python" "$repo/tests/e2e/proxy_stack.py" down "$proxy"; then
        echo "browser: the helpdex behind nginx did not exit cleanly" >&2
        tail -n 30 "$proxy/serve.log" >&2
        srv_status=1
        status=1
    fi
    proxy=""
fi
if [ $status -ne 0 ]; then
    echo "--- server log" >&2
    tail -n 30 "$tmp/serve.log" >&2
fi
summary=$(grep '^browser: [0-9]* passed, [0-9]* failed$' "$tmp/test.out" | tail -n 1)
grep -v '^browser: [0-9]* passed, [0-9]* failed$' "$tmp/test.out"
if [ -z "$summary" ]; then
    echo "browser: 0 passed, 1 failed"
    exit 1
fi
if [ $srv_status -ne 0 ]; then
    # the clean shutdown counts as one more check
    n_pass=$(echo "$summary" | sed 's/^browser: \([0-9]*\) passed.*/\1/')
    n_fail=$(echo "$summary" | sed 's/.* \([0-9]*\) failed$/\1/')
    summary="browser: $n_pass passed, $((n_fail + 1)) failed"
fi
echo "$summary"
exit $status
