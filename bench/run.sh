#!/usr/bin/env bash
# bench/run.sh - helpdex against Xapian Omega, SQLite FTS5 and nginx.
#
#   bench/run.sh [--quick] [--scale K]...  (make bench [QUICK=1] [SCALE="4 16"])
#
# Data: ../shared/bench-corpus (Markdown) and ../shared/bench-queries/
# queries.txt next to the repository.  Work files go to bench/out/
# (git-ignored); results to docs/benchmarks.md and docs/benchmarks.json.
# Every server binds 127.0.0.1 only, every load run is bounded in time, and
# everything started here is stopped by PID on exit.
#
#   --quick     3 full-index runs at 1x, 1 pass over the queries, 1 wrk run
#               of 3 s per configuration, 1 lookup run, 6 alternating
#               rounds of analytics recording on vs off; no scales.
#   --scale K   also index / query K copies of the corpus (new ids and
#               titles); repeatable (--scale 4 --scale 16).  Full mode only;
#               at 16x and more each indexer runs once.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
SHARED="$(dirname "$REPO")/shared"
CORPUS_SRC="$SHARED/bench-corpus"
QUERIES="$SHARED/bench-queries/queries.txt"
OUT="$HERE/out"
BUILD="$REPO/build"
PY=${PYTHON:-/usr/bin/python3}

QUICK=0
SCALES=()
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) QUICK=1 ;;
    --scale) SCALES+=("$2"); shift ;;
    --scale=*) SCALES+=("${1#--scale=}") ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
if [ "$QUICK" = 1 ]; then
    IDX_RUNS=3 QPASSES=1 WRK_DUR=3 WRK_RUNS=1 INC_RUNS=3 LOOKUP_RUNS=1
    AN_ROUNDS=6 AN_DUR=2 AN_WARM=4
    if [ ${#SCALES[@]} -gt 0 ]; then
        echo "run.sh: --quick skips scales" >&2
        SCALES=()
    fi
else
    IDX_RUNS=3 QPASSES=3 WRK_DUR=10 WRK_RUNS=3 INC_RUNS=5 LOOKUP_RUNS=3
    AN_ROUNDS=10 AN_DUR=4 AN_WARM=8
fi
CONNS=(1 16 64)
WARM_Q="excel data retain" # a typical 3-word query with 10 hits
SERVE_THREADS=4
T_START=$(date +%s)

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---- peers from Debian ----------------------------------------------------
need_pkgs() {
    local missing=() p
    for p in xapian-omega lighttpd nginx wrk sqlite3 time; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
            missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    log "installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null
}
need_pkgs
OMEGA_CGI=/usr/lib/cgi-bin/omega/omega
for f in "$BUILD/helpdex-index" "$BUILD/helpdex-serve" "$BUILD/libhelpdex.a" \
    "$OMEGA_CGI" "$QUERIES"; do
    [ -e "$f" ] || die "missing $f (run 'make' first?)"
done
[ -d "$CORPUS_SRC" ] || die "missing corpus $CORPUS_SRC"

mkdir -p "$OUT"
# Snapshot the binaries so a concurrent rebuild of build/ cannot change
# (or briefly remove) them in the middle of a run.
rm -rf "$OUT/bin"
mkdir -p "$OUT/bin"
for f in helpdex-index helpdex-serve libhelpdex.a; do
    for i in 1 2 3 4 5; do
        cp -p "$BUILD/$f" "$OUT/bin/$f" 2>/dev/null && break
        sleep 1
    done
    [ -e "$OUT/bin/$f" ] || die "cannot copy $BUILD/$f"
done
BUILD="$OUT/bin"
BUILD_STAMP="$(date -u -r "$OUT/bin/helpdex-serve" '+%Y-%m-%d %H:%M:%S UTC' 2>/dev/null), libhelpdex.a sha256 $(sha256sum "$OUT/bin/libhelpdex.a" | cut -c1-12)"
LOADAVG_START=$(cut -d' ' -f1-3 /proc/loadavg)
RES="$OUT/results.jsonl"
: >"$RES"

# ---- process bookkeeping -------------------------------------------------
PIDS=()
cleanup() {
    local rc=$? pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap 'log "failed at line $LINENO: $BASH_COMMAND"' ERR

now_ns() { date +%s%N; }
ms_since() { echo $((($(now_ns) - $1) / 1000000)); }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", (b-a)/1e9}'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", (b ? a/b : 0)}'; }
freeport() { "$PY" "$HERE/util.py" freeport; }
jget() { "$PY" -c 'import json,sys; d=json.loads(sys.argv[1]); print(d[sys.argv[2]])' "$1" "$2"; }

# rec SCALE BENCH METRIC SYSTEM BETTER VALUE...
rec() {
    local scale=$1 bench=$2 metric=$3 system=$4 better=$5
    shift 5
    local vals
    vals=$(IFS=,; echo "$*")
    printf '{"scale":%s,"bench":"%s","metric":"%s","system":"%s","better":"%s","values":[%s]}\n' \
        "$scale" "$bench" "$metric" "$system" "$better" "$vals" >>"$RES"
}

# /usr/bin/time -v output -> peak RSS in MB
peak_mb() { awk -F: '/Maximum resident set size/{printf "%.1f", $2/1024}' "$1"; }
size_mb() { du -sk "$1" | awk '{printf "%.1f", $1/1024}'; }

# ---- corpus copies -------------------------------------------------------
corpus_for() { # scale -> directory (a fresh copy, mtimes kept)
    local k=$1 dir="$OUT/corpus-${1}x"
    rm -rf "$dir"
    if [ "$k" = 1 ]; then
        cp -a "$CORPUS_SRC" "$dir"
    else
        log "building ${k}x corpus"
        "$PY" "$HERE/util.py" scale "$CORPUS_SRC" "$dir" "$k" >/dev/null
    fi
    echo "$dir"
}

# ---- full index ----------------------------------------------------------
index_runs() { # scale corpus_dir
    local k=$1 corpus=$2 r t0 t1 w docs
    local md_bytes md_files
    md_bytes=$(find "$corpus" -name '*.md' -printf '%s\n' | awk '{s+=$1} END{print s}')
    md_files=$(find "$corpus" -name '*.md' | wc -l)
    local mb
    mb=$(div "$md_bytes" 1048576)
    local -a hw hd hm hr hs ow od om or os fw fd fm fr fs
    # 16x and more: one run of each indexer (omindex alone takes minutes);
    # the table says n=1.
    local runs=$IDX_RUNS
    [ "$k" -ge 16 ] && runs=1
    for r in $(seq "$runs"); do
        # helpdex
        local db="$OUT/hdx-${k}x"
        rm -rf "$db"
        sync
        t0=$(now_ns)
        /usr/bin/time -v -o "$OUT/time.txt" "$BUILD/helpdex-index" \
            --corpus "$corpus" --db "$db" >"$OUT/index.log" 2>&1 ||
            { cat "$OUT/index.log" >&2; die "helpdex-index failed"; }
        t1=$(now_ns)
        w=$(secs "$t0" "$t1")
        docs=$(sed -n 's/.*; \([0-9]*\) documents.*/\1/p' "$OUT/index.log" | tail -1)
        docs=${docs:-$md_files}
        hw+=("$w"); hd+=("$(div "$docs" "$w")"); hm+=("$(div "$mb" "$w")")
        hr+=("$(peak_mb "$OUT/time.txt")"); hs+=("$(size_mb "$db")")
        log "${k}x run $r: helpdex-index ${w}s ($docs docs)"
        HDX_DOCS=$docs

        # Omega's omindex (.md as text/plain; spelling data on, like helpdex)
        local odb="$OUT/omega-${k}x"
        rm -rf "$odb"
        sync
        t0=$(now_ns)
        /usr/bin/time -v -o "$OUT/time.txt" omindex --db "$odb" --url / -S \
            --mime-type=md:text/plain "$corpus" >"$OUT/omindex.log" 2>&1 ||
            { tail -20 "$OUT/omindex.log" >&2; die "omindex failed"; }
        t1=$(now_ns)
        w=$(secs "$t0" "$t1")
        OM_DOCS=$md_files
        ow+=("$w"); od+=("$(div "$md_files" "$w")"); om+=("$(div "$mb" "$w")")
        or+=("$(peak_mb "$OUT/time.txt")"); os+=("$(size_mb "$odb")")
        log "${k}x run $r: omindex ${w}s"

        # SQLite FTS5
        local fdb="$OUT/fts5-${k}x.db"
        sync
        t0=$(now_ns)
        local j
        j=$(/usr/bin/time -v -o "$OUT/time.txt" "$PY" "$HERE/fts5.py" build \
            "$corpus" "$fdb")
        t1=$(now_ns)
        w=$(secs "$t0" "$t1")
        docs=$(jget "$j" docs)
        fw+=("$w"); fd+=("$(div "$docs" "$w")"); fm+=("$(div "$mb" "$w")")
        fr+=("$(peak_mb "$OUT/time.txt")"); fs+=("$(size_mb "$fdb")")
        log "${k}x run $r: fts5 ${w}s"
    done
    local B="full index"
    rec "$k" "$B" "wall s" helpdex lower "${hw[@]}"
    rec "$k" "$B" "wall s" omindex lower "${ow[@]}"
    rec "$k" "$B" "wall s" "sqlite-fts5" lower "${fw[@]}"
    rec "$k" "$B" "docs/s" helpdex higher "${hd[@]}"
    rec "$k" "$B" "docs/s" omindex higher "${od[@]}"
    rec "$k" "$B" "docs/s" "sqlite-fts5" higher "${fd[@]}"
    rec "$k" "$B" "MB/s of Markdown" helpdex higher "${hm[@]}"
    rec "$k" "$B" "MB/s of Markdown" omindex higher "${om[@]}"
    rec "$k" "$B" "MB/s of Markdown" "sqlite-fts5" higher "${fm[@]}"
    rec "$k" "$B" "peak RSS MB" helpdex lower "${hr[@]}"
    rec "$k" "$B" "peak RSS MB" omindex lower "${or[@]}"
    rec "$k" "$B" "peak RSS MB" "sqlite-fts5" lower "${fr[@]}"
    rec "$k" "$B" "index size MB" helpdex lower "${hs[@]}"
    rec "$k" "$B" "index size MB" omindex lower "${os[@]}"
    rec "$k" "$B" "index size MB" "sqlite-fts5" lower "${fs[@]}"
    NOTE_CORPUS="${NOTE_CORPUS:-}${k}x: $md_files Markdown files, $(printf '%.1f' "$mb") MB; helpdex indexed ${HDX_DOCS} documents. "
}

# ---- in-process queries --------------------------------------------------
build_hdx_bench() {
    local libs
    libs=$(pkg-config --libs xapian-core libcmark-gfm libmicrohttpd libutf8proc yaml-0.1 jansson)
    cc -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -I"$REPO/include" \
        $(pkg-config --cflags jansson) -c "$HERE/hdx_bench.c" -o "$OUT/hdx_bench.o"
    g++ -o "$OUT/hdx_bench" "$OUT/hdx_bench.o" "$BUILD/libhelpdex.a" $libs \
        -lstdc++ -lpthread -lm -lz
}

query_runs() { # scale
    local k=$1
    log "${k}x: in-process queries (helpdex, $QPASSES pass(es))"
    "$OUT/hdx_bench" "$OUT/hdx-${k}x" "$QUERIES" "$QPASSES" >"$OUT/hdx_bench-${k}x.jsonl"
    "$PY" -c 'import json,sys
for d in map(json.loads, open(sys.argv[1])):
    if d["mode"] == "snip" and d["hits"] and d.get("text_bytes", 1) == 0:
        sys.exit("hdx_bench: snippets were cut from empty text (stored-text layout changed?)")
    if d["fails"]:
        sys.exit("hdx_bench: %d queries failed" % d["fails"])' "$OUT/hdx_bench-${k}x.jsonl"
    log "${k}x: in-process queries (FTS5)"
    "$PY" "$HERE/fts5.py" query "$OUT/fts5-${k}x.db" "$QUERIES" "$QPASSES" \
        >"$OUT/fts5_query-${k}x.jsonl"
    local sys file mode
    for sys in helpdex sqlite-fts5; do
        file="$OUT/hdx_bench-${k}x.jsonl"
        [ "$sys" = helpdex ] || file="$OUT/fts5_query-${k}x.jsonl"
        for mode in nosnip snip; do
            local label="top-10 query, no snippets"
            [ "$mode" = snip ] && label="top-10 query + snippets"
            local p50 p99
            p50=$("$PY" -c 'import json,sys
print(",".join("%.4f"%d["p50_ms"] for d in map(json.loads,open(sys.argv[1])) if d["mode"]==sys.argv[2]))' "$file" "$mode")
            p99=$("$PY" -c 'import json,sys
print(",".join("%.4f"%d["p99_ms"] for d in map(json.loads,open(sys.argv[1])) if d["mode"]==sys.argv[2]))' "$file" "$mode")
            rec "$k" "in-process: $label" "p50 ms" "$sys" lower "$p50"
            rec "$k" "in-process: $label" "p99 ms" "$sys" lower "$p99"
        done
    done
}

# ---- servers -------------------------------------------------------------
start_serve() { # db [extra helpdex-serve options...]
    local port_file="$OUT/serve.port"
    rm -f "$port_file"
    "$BUILD/helpdex-serve" --db "$1" --port 0 --port-file "$port_file" \
        --quiet --threads "$SERVE_THREADS" --tokens "$OUT/tokens" "${@:2}" \
        >"$OUT/serve.log" 2>&1 &
    SERVE_PID=$!
    PIDS+=("$SERVE_PID")
    local i
    for i in $(seq 100); do
        [ -s "$port_file" ] && break
        kill -0 "$SERVE_PID" 2>/dev/null || { cat "$OUT/serve.log" >&2; die "helpdex-serve died"; }
        sleep 0.1
    done
    SERVE_PORT=$(cat "$port_file")
    "$PY" "$HERE/util.py" wait "http://127.0.0.1:$SERVE_PORT/healthz" 20
}

start_lighttpd() { # omega db
    local d="$OUT/omega-cgi"
    rm -rf "$d"
    mkdir -p "$d/data" "$d/log" "$d/cdb" "$d/www"
    ln -s "$1" "$d/data/default"
    cat >"$d/omega.conf" <<EOF
database_dir $d/data
template_dir /var/lib/xapian-omega/templates
log_dir $d/log
cdb_dir $d/cdb
EOF
    OMEGA_PORT=$(freeport)
    cat >"$d/lighttpd.conf" <<EOF
server.modules = ("mod_alias", "mod_setenv", "mod_cgi")
server.bind = "127.0.0.1"
server.port = $OMEGA_PORT
server.document-root = "$d/www"
server.pid-file = "$d/lighttpd.pid"
server.errorlog = "$d/log/error.log"
server.max-connections = 1024
server.max-fds = 4096
setenv.add-environment = ("OMEGA_CONFIG_FILE" => "$d/omega.conf")
alias.url = ("/cgi-bin/omega" => "$OMEGA_CGI")
\$HTTP["url"] =~ "^/cgi-bin/omega" { cgi.assign = ("" => "") }
EOF
    lighttpd -D -f "$d/lighttpd.conf" >"$d/log/stdout.log" 2>&1 &
    PIDS+=($!)
    "$PY" "$HERE/util.py" wait "http://127.0.0.1:$OMEGA_PORT/cgi-bin/omega?DB=default&P=excel" 20
}

start_nginx() {
    local d="$OUT/nginx"
    mkdir -p "$d/logs" "$d/tmp" "$d/www"
    cp "$OUT/static.json" "$d/www/search.json"
    NGINX_PORT=$(freeport)
    local user_line=""
    [ "$(id -u)" = 0 ] && user_line="user root;"
    cat >"$d/nginx.conf" <<EOF
$user_line
daemon off;
worker_processes 2;
pid $d/nginx.pid;
error_log $d/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $d/tmp/body;
    proxy_temp_path $d/tmp/proxy;
    fastcgi_temp_path $d/tmp/fastcgi;
    uwsgi_temp_path $d/tmp/uwsgi;
    scgi_temp_path $d/tmp/scgi;
    types { application/json json; }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $d/www;
    }
}
EOF
    nginx -p "$d" -c "$d/nginx.conf" >"$d/logs/stdout.log" 2>&1 &
    PIDS+=($!)
    "$PY" "$HERE/util.py" wait "http://127.0.0.1:$NGINX_PORT/search.json" 20
}

# wrk_once PORT PREFIX MODE CONNS DURATION -> "req/s p50 p99 max errors"
wrk_once() {
    local port=$1 prefix=$2 mode=$3 c=$4 dur=$5 t line
    t=$((c < 2 ? 1 : 2))
    line=$(timeout $((dur + 30)) wrk -t"$t" -c"$c" -d"${dur}s" \
        --timeout 5s -s "$HERE/rotate.lua" "http://127.0.0.1:$port" \
        -- "$QUERIES" "$prefix" "$mode" "$WARM_Q" | grep '^{' | tail -1)
    [ -n "$line" ] || die "wrk produced no result for :$port $mode c=$c"
    "$PY" -c 'import json,sys
j=json.loads(sys.argv[1])
err=sum(j[k] for k in j if k.startswith("err_"))
print("%.1f %.3f %.3f %.3f %d"%(j["rps"],j["p50_us"]/1e3,j["p99_us"]/1e3,j["max_us"]/1e3,err))' "$line"
}

# wrk_case BENCH SYSTEM PORT PREFIX MODE
wrk_case() {
    local bench=$1 sys=$2 port=$3 prefix=$4 mode=$5 c r
    for c in "${CONNS[@]}"; do
        local -a rps p50 p99 mx er
        rps=() p50=() p99=() mx=() er=()
        for r in $(seq "$WRK_RUNS"); do
            read -r a b d e f < <(wrk_once "$port" "$prefix" "$mode" "$c" "$WRK_DUR")
            [ -n "$a" ] || die "wrk produced no result for $sys $mode c=$c"
            rps+=("$a") p50+=("$b") p99+=("$d") mx+=("$e") er+=("$f")
            log "wrk $sys $mode c=$c: $a req/s p50 ${b}ms p99 ${d}ms errors $f"
        done
        rec 1 "HTTP $bench c=$c" "req/s" "$sys" higher "${rps[@]}"
        rec 1 "HTTP $bench c=$c" "p50 ms" "$sys" lower "${p50[@]}"
        rec 1 "HTTP $bench c=$c" "p99 ms" "$sys" lower "${p99[@]}"
        rec 1 "HTTP $bench c=$c" "max ms" "$sys" lower "${mx[@]}"
        rec 1 "HTTP $bench c=$c" "errors" "$sys" lower "${er[@]}"
    done
}

# ---- analytics: search with recording on vs off ---------------------------
# Two fresh servers on the same index, one with --analytics-db (on) and
# one without (off), measured in the same run, alternating (off/on, then
# on/off, ...) so that the machine's drift hits both alike.  Per run:
# wrk's req/s and p50, and the server's CPU time per request (utime +
# stime of the whole process, its writer thread included, from
# /proc/PID/stat): on a shared machine throughput moves with everyone
# else's load, CPU per request much less.  helpdex/peer is on/off.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

analytics_on_off() {
    local off_port off_pid on_port on_pid db="$OUT/analytics.sqlite"
    local main_port=$SERVE_PORT main_pid=$SERVE_PID runs="$OUT/analytics-runs.txt"
    local hz
    hz=$(getconf CLK_TCK)
    rm -f "$db" "$db-wal" "$db-shm"
    : >"$runs"
    start_serve "$OUT/hdx-1x"
    off_port=$SERVE_PORT off_pid=$SERVE_PID
    start_serve "$OUT/hdx-1x" --analytics-db "$db"
    on_port=$SERVE_PORT on_pid=$SERVE_PID
    local prefix="/api/search?per_page=10&q=" spec mode c r sys port pid t0 t1
    for spec in "cold 1" "warm 1" "cold 16" "warm 16"; do
        read -r mode c <<<"$spec"
        # warm-up: each server's index handles and the page cache
        wrk_once "$off_port" "$prefix" "$mode" "$c" "$AN_WARM" >/dev/null
        wrk_once "$on_port" "$prefix" "$mode" "$c" "$AN_WARM" >/dev/null
        for r in $(seq "$AN_ROUNDS"); do
            local order="off on"
            [ $((r % 2)) = 0 ] && order="on off"
            for sys in $order; do
                port=$off_port pid=$off_pid
                [ "$sys" = on ] && port=$on_port pid=$on_pid
                t0=$(cpu_ticks "$pid")
                read -r a b d e f < <(wrk_once "$port" "$prefix" "$mode" "$c" "$AN_DUR")
                t1=$(cpu_ticks "$pid")
                [ -n "$a" ] || die "wrk produced no result (analytics $sys)"
                [ "$f" = 0 ] || log "WARNING: analytics $sys: $f errors"
                local us
                us=$(awk -v t=$((t1 - t0)) -v hz="$hz" -v n="$a" -v d="$AN_DUR" \
                    'BEGIN{printf "%.2f", n ? t * 1e6 / hz / (n * d) : 0}')
                echo "$mode c=$c $r $sys $a $b $us" >>"$runs"
                log "analytics $sys $mode c=$c: $a req/s p50 ${b}ms, server CPU ${us} us/request"
            done
        done
    done
    local rows dropped
    dropped=$(curl -fsS -H "Authorization: Bearer $ITOKEN" \
        "http://127.0.0.1:$on_port/metrics" |
        awk '$1 == "helpdex_analytics_dropped_total" {print $2}') ||
        dropped="?"
    kill "$off_pid" "$on_pid"
    wait "$off_pid" "$on_pid" 2>/dev/null || true
    rows=$(sqlite3 "$db" 'SELECT count(*) FROM events' 2>/dev/null || echo '?')
    # the results lines and the summary, from the runs file
    "$PY" "$HERE/util.py" analytics "$runs" >>"$RES"
    ANALYTICS_SUMMARY="search with analytics recording on vs off ($AN_ROUNDS alternating rounds of ${AN_DUR}s wrk runs after ${AN_WARM}s warm-ups, same run; $rows events recorded, ${dropped:-?} dropped by the full queue):"$'\n'"$("$PY" "$HERE/util.py" analytics-summary "$runs")"$'\n'
    log "$ANALYTICS_SUMMARY"
    SERVE_PORT=$main_port SERVE_PID=$main_pid
}

# ---- run -----------------------------------------------------------------
log "mode: $([ "$QUICK" = 1 ] && echo quick || echo full); scales: 1 ${SCALES[*]:-}"
build_hdx_bench

if [ -n "${BENCH_REUSE:-}" ] && [ -d "$OUT/hdx-1x" ]; then
    # developer aid: reuse bench/out/ indexes, skip index and query timings
    CORPUS1="$OUT/corpus-1x"
else
    CORPUS1=$(corpus_for 1)
    index_runs 1 "$CORPUS1"
    query_runs 1
fi

# tokens for the agents' endpoint
TOKEN="bench$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
ITOKEN="benchi$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')" # /metrics
(umask 077 && printf '%s agent bench\n%s internal bench-metrics\n' "$TOKEN" \
    "$ITOKEN" >"$OUT/tokens")
chmod 600 "$OUT/tokens"

start_serve "$OUT/hdx-1x"
log "helpdex-serve on 127.0.0.1:$SERVE_PORT (pid $SERVE_PID)"

# one changed article: incremental index, then until search returns it
ART=$(find "$CORPUS1" -name '*.md' | LC_ALL=C sort | sed -n 1p)
inc=() vis=() lag=()
for r in $(seq "$INC_RUNS"); do
    word="zqx$(od -An -N8 -tu1 /dev/urandom | awk '{for(i=1;i<=NF;i++) printf "%c", 97+$i%26}')"
    t0=$(now_ns)
    printf '\n\nBenchmark marker paragraph %s.\n' "$word" >>"$ART"
    ti=$(now_ns)
    "$BUILD/helpdex-index" --corpus "$CORPUS1" --db "$OUT/hdx-1x" --quiet
    te=$(now_ns)
    v=$("$PY" "$HERE/util.py" poll "$SERVE_PORT" "$word" "$t0" 30)
    inc+=("$(((te - ti) / 1000000))")
    vis+=("$v")
    lag+=("$(awk -v v="$v" -v a="$t0" -v b="$te" 'BEGIN{printf "%.1f", v-(b-a)/1e6}')")
    log "changed article run $r: index ${inc[-1]} ms, searchable after ${v} ms"
    sleep 0.3
done
rec 1 "one changed article" "incremental index ms" helpdex lower "${inc[@]}"
rec 1 "one changed article" "edit → searchable ms" helpdex lower "${vis[@]}"
rec 1 "one changed article" "commit → searchable ms" helpdex lower "${lag[@]}"

# pasted-error lookup
"$PY" "$HERE/util.py" stacktrace "$OUT/stacktrace.txt" 32768
lp50=() lp99=() lerr=() LOOKUP_HITS=0
for r in $(seq "$LOOKUP_RUNS"); do
    j=$("$PY" "$HERE/util.py" lookup "$SERVE_PORT" "$TOKEN" "$OUT/stacktrace.txt" 200)
    LOOKUP_HITS=$(jget "$j" hits)
    lp50+=("$(jget "$j" p50_ms)") lp99+=("$(jget "$j" p99_ms)") lerr+=("$(jget "$j" errors)")
    log "known-issues run $r: $j"
    [ "$(jget "$j" errors)" = 0 ] || log "WARNING: known-issues answered errors"
done
rec 1 "POST /api/known-issues, 32 KB trace ×200" "p50 ms" helpdex lower "${lp50[@]}"
rec 1 "POST /api/known-issues, 32 KB trace ×200" "p99 ms" helpdex lower "${lp99[@]}"
rec 1 "POST /api/known-issues, 32 KB trace ×200" "errors" helpdex lower "${lerr[@]}"

# a real 10-hit response as nginx's static file
curl -fsS "http://127.0.0.1:$SERVE_PORT/api/search?per_page=10&q=excel%20data%20retain" \
    -o "$OUT/static.json"
STATIC_BYTES=$(stat -c %s "$OUT/static.json")

start_lighttpd "$OUT/omega-1x"
start_nginx
log "omega (lighttpd) on :$OMEGA_PORT, nginx on :$NGINX_PORT"

RSS0=$("$PY" "$HERE/util.py" rss "$SERVE_PID")
wrk_case "cold" helpdex "$SERVE_PORT" "/api/search?per_page=10&q=" cold
wrk_case "warm" helpdex "$SERVE_PORT" "/api/search?per_page=10&q=" warm
RSS1=$("$PY" "$HERE/util.py" rss "$SERVE_PID")
rec 1 "helpdex-serve RSS" "MB before load" helpdex lower "$(div "$RSS0" 1024)"
rec 1 "helpdex-serve RSS" "MB after load" helpdex lower "$(div "$RSS1" 1024)"
# The Meilisearch-compatible API (docs/meilisearch.md) beside the cold
# /api/search runs above, same queries in the same order: ten hits with
# facets, title highlights and a crop of the body text against ten hits
# with facets and snippets.  It has no response cache, so no dummy
# argument is needed.  (/api/search is not run again: the same dummy
# arguments would now be answered from its cache.)
MEILI_VS="Meilisearch API vs /api/search, cold"
wrk_case "$MEILI_VS" helpdex "$SERVE_PORT" \
    "/meili/indexes/all/search?limit=10&facets=*&attributesToHighlight=title&attributesToCrop=content&q=" \
    uncached
grep '"bench":"HTTP cold c=[0-9]*","metric":"[^"]*","system":"helpdex"' "$RES" |
    sed "s|\"bench\":\"HTTP cold |\"bench\":\"HTTP $MEILI_VS |; s|\"system\":\"helpdex\"|\"system\":\"helpdex /api/search\"|" \
    >"$OUT/meili-peer.jsonl"
cat "$OUT/meili-peer.jsonl" >>"$RES"
wrk_case "cold" "omega-cgi" "$OMEGA_PORT" "/cgi-bin/omega?DB=default&P=" cold
wrk_case "warm" "omega-cgi" "$OMEGA_PORT" "/cgi-bin/omega?DB=default&P=" warm
wrk_case "warm" "nginx-static" "$NGINX_PORT" "/search.json" static
analytics_on_off
# a static file has no cold case: the same runs are the peer for both
grep '"system":"nginx-static"' "$RES" | sed 's/"bench":"HTTP warm/"bench":"HTTP cold/' \
    >"$OUT/nginx-cold.jsonl"
cat "$OUT/nginx-cold.jsonl" >>"$RES"

# scales (full mode only)
for k in "${SCALES[@]}"; do
    C=$(corpus_for "$k")
    index_runs "$k" "$C"
    query_runs "$k"
    rm -rf "$C"
done

# ---- report --------------------------------------------------------------
commit="unknown"
if [ -f "$REPO/.git/HEAD" ]; then
    # read the ref without invoking git
    head=$(cat "$REPO/.git/HEAD")
    if [ "${head#ref: }" != "$head" ]; then
        ref=${head#ref: }
        if [ -f "$REPO/.git/$ref" ]; then
            head=$(cat "$REPO/.git/$ref")
        else
            head=$(awk -v r="$ref" '$2==r{print $1}' "$REPO/.git/packed-refs" 2>/dev/null)
        fi
    fi
    [ -n "$head" ] && commit=${head:0:7}
fi
T_END=$(date +%s)
"$PY" - "$OUT/meta.json" <<EOF
import json, sys
notes = [
 "## Method",
 "",
 "- Full index: a fresh directory each run; wall time measured around the"
 " process, peak RSS from /usr/bin/time -v, size with du.  helpdex-index with"
 " its default --jobs (one parser thread per CPU, at most 8).  omindex:"
 " \`omindex --db DIR --url / -S --mime-type=md:text/plain CORPUS\` (.md as"
 " plain text, spelling data on as helpdex builds it; single-threaded)."
 "  SQLite FTS5: python3 stdlib sqlite3, fts5(title, body, tokenize='porter"
 " unicode61'), front matter title split off, one transaction, journal off.",
 "- One changed article: a paragraph with a new word is appended to one"
 " article of a copy of the corpus, helpdex-index runs incrementally, and"
 " /api/search on a running helpdex-serve is polled until the word is found"
 " (edit → searchable includes the indexer run; commit → searchable is the"
 " server's reopen lag).",
 "- In-process: bench/hdx_bench.c over all queries (public level, facets,"
 " spelling, top 10); 'snippets' also parses each hit's JSON header, runs"
 " hdx_snippet_make (28 words) and finds the snippet's section, as"
 " server/api_search.c does.  FTS5:"
 " query words ANDed, relaxed to OR when nothing matches, bm25 (title"
 " ×10), snippet() of 28 tokens.  Per-pass p50/p99 over $(wc -l <"$QUERIES") queries.",
 "- HTTP: wrk, ${WRK_DUR} s per run, 1/2 threads, --timeout 5s, bench/rotate.lua"
 " (cold: rotating through queries.txt, URL-encoded, each request with a unique"
 " dummy argument _nc so that no response cache can answer it; warm: one"
 " query, '$WARM_Q', repeated, so helpdex-serve's response cache, if the build"
 " has one, answers it).  helpdex-serve"
 " --threads $SERVE_THREADS; Omega's CGI"
 " (/usr/lib/cgi-bin/omega/omega, template 'query') behind lighttpd mod_cgi;"
 " nginx (2 workers) serving a real 10-hit helpdex response ($STATIC_BYTES bytes)"
 " as a static file — the ceiling for an HTTP JSON answer on this machine.",
 "- Pasted-error lookup: a 32 KB Java/.NET stack trace POSTed 200 times in"
 " sequence on one keep-alive connection with an agent token.  The bench"
 " corpus holds no incident notes, so lookups return $LOOKUP_HITS hits: the"
 " figure is the cost of extracting identifiers and the elite set and"
 " running the query, not of rendering results.",
 "- Analytics recording on vs off: two fresh helpdex-serve on the same index,"
 " one with --analytics-db (helpdex), one without (peer), wrk runs of ${AN_DUR} s"
 " alternating between them (off/on, on/off, ...; $AN_ROUNDS rounds) after a"
 " ${AN_WARM} s warm-up of each; cold and warm as above.  helpdex/peer is on/off:"
 " 5 % slower is 0.95 for req/s, 1.05 for p50.  'server CPU us/request' is"
 " the process's utime+stime (/proc/PID/stat, the writer thread included)"
 " over the run divided by its requests: the cost of recording, least moved"
 " by other processes on the machine.  The 'per round' rows are the on/off"
 " ratios of each round's two adjacent runs.",
 "- Client and servers share the same $(nproc) CPUs, so HTTP figures at 16/64"
 " connections are CPU-bound for both sides.",
 "",
 "Corpus: ${NOTE_CORPUS:-}",
 "",
]
meta = {
 "date": "$(date -u '+%Y-%m-%d %H:%M UTC')",
 "mode": "$([ "$QUICK" = 1 ] && echo quick || echo full) (index runs $IDX_RUNS, query passes $QPASSES, wrk ${WRK_RUNS}×${WRK_DUR}s, scales: 1 ${SCALES[*]:-})",
 "quick": $([ "$QUICK" = 1 ] && echo True || echo False),
 "commit": "$commit (HEAD read from .git; the working tree may differ)",
 "build": "build/ snapshot of $BUILD_STAMP",
 "cpu": "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')",
 "cpus": $(nproc),
 "memory": "$(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)",
 "kernel": "$(uname -sr)",
 "corpus": "$CORPUS_SRC",
 "queries": "$QUERIES",
 "duration_s": $((T_END - T_START)),
 "load average at start / end": "$LOADAVG_START / $(cut -d' ' -f1-3 /proc/loadavg)",
 "versions": "$("$BUILD/helpdex-index" --version | head -1); $(omindex --version | head -1); SQLite $("$PY" -c 'import sqlite3;print(sqlite3.sqlite_version)'); $(nginx -v 2>&1 | head -1); $(lighttpd -v 2>&1 | head -1 | cut -d' ' -f1); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)",
 "notes_md": notes,
}
json.dump(meta, open(sys.argv[1], "w"), indent=1)
EOF
"$PY" "$HERE/report.py" "$RES" "$OUT/meta.json" "$REPO/docs/benchmarks.md" \
    "$REPO/docs/benchmarks.json"
log "done in $((T_END - T_START)) s; wrote docs/benchmarks.md and docs/benchmarks.json"
printf '%s' "$ANALYTICS_SUMMARY"
