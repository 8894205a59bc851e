"""Observe: the JSON access log, request ids, the client address through
a trusted proxy, /metrics, /healthz and /readyz (docs/operations.md, "Logs
and monitoring").

Every test runs the real server.  The TCP peer is always 127.0.0.1 here,
so "behind a trusted proxy" is a server started with --trusted-proxy
127.0.0.1, and "a client sending a forged X-Forwarded-For" is one started
without it.
"""
import http.client
import json
import re
import time
from datetime import datetime, timezone

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import AGENT_TOKEN, INTERNAL_TOKEN, Server

TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
HEX32 = re.compile(r"^[0-9a-f]{32}$")
FIELDS = {"ts", "id", "method", "route", "status", "bytes", "ms",
          "cache_hit", "client"}


@pytest.fixture(scope="module")
def plain(corpus_db, tmp_path_factory):
    """JSON log, no trusted proxy: X-Forwarded-For must be ignored."""
    s = Server(corpus_db, str(tmp_path_factory.mktemp("observe-plain")),
               extra=["--log-format", "json"])
    yield s
    log = s.stop()
    assert s.proc.returncode == 0, log[-3000:]


@pytest.fixture(scope="module")
def proxied(corpus_db, tmp_path_factory):
    """JSON log, as if behind a reverse proxy on 127.0.0.1."""
    s = Server(corpus_db, str(tmp_path_factory.mktemp("observe-proxy")),
               extra=["--log-format", "json", "--trusted-proxy", "::1",
                      "--trusted-proxy", "127.0.0.1"])
    yield s
    log = s.stop()
    assert s.proc.returncode == 0, log[-3000:]


def log_text(server):
    server.log.flush()
    with open(server.log.name, encoding="utf-8") as f:
        return f.read()


def log_entry(server, rid, timeout=5.0):
    """The parsed JSON log line of request `rid` (the line is written
    when the answer has gone out, so it may lag the response a little)."""
    deadline = time.monotonic() + timeout
    while True:
        for line in log_text(server).splitlines():
            if line.startswith("{"):
                e = json.loads(line)
                if e.get("id") == rid:
                    return e
        assert time.monotonic() < deadline, "no log line for " + rid
        time.sleep(0.05)


def get(server, path, params=None, token=None, headers=None):
    return server.request("GET", path, params, token, headers=headers)


def test_every_log_line_is_json_with_the_fields(plain):
    s, _, h = get(plain, "/api/search", {"q": "password"},
                  headers={"X-Request-Id": "obs-fields-1"})
    assert s == 200 and h["X-Request-Id"] == "obs-fields-1"
    e = log_entry(plain, "obs-fields-1")
    assert FIELDS <= set(e), e
    assert TS.match(e["ts"]), e["ts"]
    assert e["method"] == "GET" and e["route"] == "search"
    assert e["path"] == "/api/search"          # never the query string
    assert e["status"] == 200 and e["bytes"] > 0
    assert isinstance(e["ms"], float) and 0 <= e["ms"] < 30000
    assert e["cache_hit"] in (True, False)
    assert e["client"] == "127.0.0.1"
    # Every access line of the log parses, whatever it was for.
    lines = [l for l in log_text(plain).splitlines()
             if not l.startswith("helpdex-serve:")]
    assert lines and all(FIELDS <= set(json.loads(l)) for l in lines)


def test_cache_hit_is_logged(plain):
    q = {"q": "export invoices csv"}
    get(plain, "/api/search", q, headers={"X-Request-Id": "obs-cache-1"})
    hit = None
    for i in range(12):  # cached per worker thread's first miss
        rid = "obs-cache-hit-%d" % i
        _, _, h = get(plain, "/api/search", q, headers={"X-Request-Id": rid})
        if h.get("X-Cache") == "hit":
            hit = rid
            break
    assert hit
    assert log_entry(plain, hit)["cache_hit"] is True
    assert log_entry(plain, "obs-cache-1")["cache_hit"] is False


def test_request_id_is_made_and_returned_on_every_answer(plain):
    ids = set()
    for path, token in (("/healthz", None), ("/nope-nowhere", None),
                        ("/api/known-issues", None), ("/metrics", None),
                        ("/", None), ("/api/search", "bad-token")):
        s, _, h = get(plain, path, token=token)
        rid = h.get("X-Request-Id", "")
        assert HEX32.match(rid), (path, s, rid)
        ids.add(rid)
    assert len(ids) == 6


@pytest.mark.parametrize("given", ["x" * 65, "has space", "semi;colon",
                                   "quote\"d", ""])
def test_bad_request_id_is_replaced(plain, given):
    s, _, h = get(plain, "/healthz", headers={"X-Request-Id": given})
    assert s == 200 and HEX32.match(h["X-Request-Id"])


def test_good_request_id_is_kept(plain):
    rid = "Abc.def_0-9" + "z" * 53               # 64 bytes
    s, _, h = get(plain, "/healthz", headers={"X-Request-Id": rid})
    assert h["X-Request-Id"] == rid
    assert log_entry(plain, rid)["route"] == "healthz"


def test_forwarded_for_is_ignored_from_an_untrusted_peer(plain):
    get(plain, "/healthz", headers={"X-Request-Id": "obs-xff-untrusted",
                                    "X-Forwarded-For": "203.0.113.9"})
    e = log_entry(plain, "obs-xff-untrusted")
    assert e["client"] == "127.0.0.1"
    assert "203.0.113.9" not in log_text(plain)


def raw_get(server, path, headers):
    """One GET with headers given as (name, value) pairs, so a header can
    be sent twice."""
    c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    c.putrequest("GET", path)
    for k, v in headers:
        c.putheader(k, v)
    c.endheaders()
    r = c.getresponse()
    r.read()
    c.close()
    return r.status


def test_forwarded_for_names_the_client_behind_a_trusted_proxy(proxied):
    cases = [
        ("obs-xff-1", ["203.0.113.9"], "203.0.113.9"),
        # The client's own claim, left of what the proxy saw, is ignored.
        ("obs-xff-2", ["1.2.3.4, 203.0.113.10"], "203.0.113.10"),
        # Trusted hops are skipped; IPv6 is an address like any other.
        ("obs-xff-3", ["2001:db8::5, 127.0.0.1"], "2001:db8::5"),
        # Two headers are one list, the last one rightmost.
        ("obs-xff-4", ["1.2.3.4", "198.51.100.7"], "198.51.100.7"),
        # Garbage never becomes the client: the proxy is logged.
        ("obs-xff-5", ["not-an-address"], "127.0.0.1"),
        ("obs-xff-6", [], "127.0.0.1"),
    ]
    for rid, xff, want in cases:
        hdrs = [("X-Request-Id", rid)] + [("X-Forwarded-For", v)
                                          for v in xff]
        assert raw_get(proxied, "/healthz", hdrs) == 200
        assert log_entry(proxied, rid)["client"] == want, (xff, want)


def test_tokens_and_bodies_never_reach_the_log(plain):
    secret_q = "zqxobservequerysecret"
    secret_body = "zqxobservepastedlogline"
    get(plain, "/api/search", {"q": secret_q}, token=AGENT_TOKEN,
        headers={"X-Request-Id": "obs-secret-1"})
    s, _, _ = plain.request(
        "POST", "/api/known-issues", None, AGENT_TOKEN,
        body=json.dumps({"text": "Error 0x80070005 " + secret_body}),
        headers={"Content-Type": "application/json",
                 "X-Request-Id": "obs-secret-2"})
    assert s == 200
    get(plain, "/api/incidents/INC-2086", token=INTERNAL_TOKEN,
        headers={"X-Request-Id": "obs-secret-3"})
    e1 = log_entry(plain, "obs-secret-1")
    e2 = log_entry(plain, "obs-secret-2")
    e3 = log_entry(plain, "obs-secret-3")
    assert e1["caller"] == "tester" and e3["caller"] == "eng"
    # Agent and internal routes log their name, not their path.
    assert e2["route"] == "known-issues" and "path" not in e2
    assert e3["route"] == "incident" and "path" not in e3
    text = log_text(plain)
    for secret in (AGENT_TOKEN, INTERNAL_TOKEN, secret_q, secret_body,
                   "0x80070005", "INC-2086", "Bearer"):
        assert secret not in text, secret


def test_text_log_stays_the_default(server):
    s, _, h = get(server, "/healthz", headers={"X-Request-Id": "obs-text-1"})
    assert s == 200
    deadline = time.monotonic() + 5
    while True:
        server.log.flush()
        with open(server.log.name, encoding="utf-8") as f:
            lines = [l for l in f.read().splitlines() if "obs-text-1" in l]
        if lines or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert lines and lines[0].startswith("GET /healthz 200 ")
    assert "client=127.0.0.1 id=obs-text-1" in lines[0]


def scrape(server, token=INTERNAL_TOKEN):
    s, body, h = server.request("GET", "/metrics", token=token)
    assert s == 200, body
    assert h["Content-Type"].startswith("text/plain; version=0.0.4")
    samples, types = {}, {}
    for fam in text_string_to_metric_families(body):
        types[fam.name] = fam.type
        for smp in fam.samples:
            key = (smp.name, tuple(sorted(smp.labels.items())))
            samples[key] = smp.value
    return samples, types


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_need_an_internal_token(plain):
    s, b, h = plain.request("GET", "/metrics")
    assert s == 401 and b["error"]["code"] == "unauthorized"
    s, b, h = plain.request("GET", "/metrics", token=AGENT_TOKEN)
    assert s == 403 and b["error"]["code"] == "forbidden"
    s, b, h = plain.request("GET", "/metrics", token="not-a-token")
    assert s == 401


def test_metrics_parse_and_count(plain):
    before, types = scrape(plain)
    assert types["helpdex_http_requests"] == "counter"
    assert types["helpdex_http_request_duration_seconds"] == "histogram"
    for name in ("helpdex_cache_hits", "helpdex_cache_misses",
                 "helpdex_index_reopens", "helpdex_index_reopen_failures"):
        assert types[name] == "counter", name
    for name in ("helpdex_index_up", "helpdex_index_revision",
                 "helpdex_index_documents",
                 "helpdex_index_seconds_since_commit",
                 "helpdex_index_last_commit_timestamp_seconds",
                 "process_resident_memory_bytes", "helpdex_build_info"):
        assert types[name] == "gauge", name
    q = {"q": "metrics probe reset password"}
    for _ in range(10):
        assert get(plain, "/api/search", q)[0] == 200
    assert get(plain, "/nope-metrics")[0] == 404
    after, _ = scrape(plain)
    req = "helpdex_http_requests_total"
    assert value(after, req, route="search", code="200") >= \
        value(before, req, route="search", code="200") + 10
    assert value(after, req, route="alias", code="404") >= \
        value(before, req, route="alias", code="404") + 1
    # The scrape before this one counts too (it was answered by then).
    assert value(after, req, route="metrics", code="200") >= 1
    h = "helpdex_http_request_duration_seconds"
    n = value(after, h + "_count", route="search")
    assert n >= value(before, h + "_count", route="search") + 10
    assert value(after, h + "_bucket", route="search", le="+Inf") == n
    assert value(after, h + "_sum", route="search") > 0
    # Ten identical searches over four threads: some were hits.
    assert value(after, "helpdex_cache_hits_total") > \
        value(before, "helpdex_cache_hits_total")
    assert value(after, "helpdex_cache_misses_total") >= 1
    assert value(after, "helpdex_index_up") == 1
    assert value(after, "helpdex_index_revision") >= 1
    # Every level's documents: more than the public sees.
    _, health = plain.get("/healthz")
    assert value(after, "helpdex_index_documents") > health["documents"]
    age = value(after, "helpdex_index_seconds_since_commit")
    assert 0 <= age < 24 * 3600
    assert abs(value(after, "helpdex_index_last_commit_timestamp_seconds")
               + age - time.time()) < 60
    assert value(after, "process_resident_memory_bytes") > 1 << 20
    assert any(k[0] == "helpdex_build_info" for k in after)


def test_metrics_count_reopens(mini_corpus, tmp_path):
    from conftest import run_indexer
    db = str(tmp_path / "db")
    run_indexer("--corpus", str(mini_corpus), "--db", db, "--quiet",
                check=0)
    s = Server(db, str(tmp_path), extra=["--threads", "1"])
    try:
        rev0 = s.get("/readyz")[1]["revision"]
        (mini_corpus / "articles" / "sync-stuck.md").unlink()
        run_indexer("--corpus", str(mini_corpus), "--db", db, "--quiet",
                    check=0)
        assert s.get("/readyz")[1]["revision"] == rev0 + 1
        m, _ = scrape(s)
        assert value(m, "helpdex_index_reopens_total") >= 1
        assert value(m, "helpdex_index_revision") == rev0 + 1
    finally:
        s.stop()


def test_healthz_is_liveness(plain):
    s, b, h = plain.request("GET", "/healthz")
    assert s == 200 and b["status"] == "ok"
    # The historical fields stay while the index is open.
    assert b["revision"] >= 1 and b["documents"] > 0


def test_readyz_reports_revision_and_commit_time(plain):
    s, b, _ = plain.request("GET", "/readyz")
    assert s == 200 and b["status"] == "ready", b
    assert b["revision"] >= 1
    assert TS.match(b["committed"]), b
    when = datetime.strptime(b["committed"], "%Y-%m-%dT%H:%M:%S.%fZ") \
        .replace(tzinfo=timezone.utc)
    assert abs((datetime.now(timezone.utc) - when).total_seconds() -
               b["age_seconds"]) < 5
    # Public-safe: no document counts of any level.
    assert set(b) == {"status", "revision", "committed", "age_seconds"}
    s2, b2, _ = plain.request("GET", "/readyz", token=INTERNAL_TOKEN)
    assert s2 == 200 and set(b2) == set(b)


def test_bad_options_are_refused(corpus_db, tmp_path):
    import subprocess
    from conftest import SERVER
    for args, word in ((["--log-format", "xml"], "--log-format"),
                       (["--trusted-proxy", "10.0.0.0/8"], "--trusted-proxy"),
                       (["--trusted-proxy", "proxy.local"],
                        "--trusted-proxy")):
        p = subprocess.run([SERVER, "--db", corpus_db, "--port", "0"] + args,
                           capture_output=True, text=True, timeout=30)
        assert p.returncode == 2 and word in p.stderr, (args, p.stderr)
    out = subprocess.run([SERVER, "--help"], capture_output=True,
                         text=True).stdout
    assert "--log-format" in out and "--trusted-proxy" in out
