#!/bin/sh
# The Meilisearch-compatible API (docs/meilisearch.md) driven by the
# official clients: tests/meili/main.mjs runs a real helpdex-serve over an
# index of corpus/ and, against it, the `meilisearch` npm client
# (clients.mjs) and an InstantSearch.js page over
# @meilisearch/instant-meilisearch in Chromium (instantsearch.mjs).
#
#   tests/meili/run.sh            (HDX_BUILD=build dir, default <repo>/build)
#
# Installs Chromium from Debian and the npm packages (pinned in
# package-lock.json) when missing; ends with "meili: N passed, M failed"
# and exits 0 only when all passed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
    echo "meili: installing chromium (apt-get)"
    [ "$(id -u)" = 0 ] && SUDO= || SUDO=sudo
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        $SUDO apt-get install -y -qq chromium; } >/dev/null ||
        { echo "meili: 0 passed, 1 failed (no chromium)"; exit 1; }
fi
for m in meilisearch @meilisearch/instant-meilisearch instantsearch.js \
    playwright-core; do
    [ -d "$here/node_modules/$m" ] && continue
    echo "meili: installing the clients (npm ci)"
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) ||
        { echo "meili: 0 passed, 1 failed (npm ci)"; exit 1; }
    break
done
CHROMIUM="$chromium" exec node "$here/main.mjs"
