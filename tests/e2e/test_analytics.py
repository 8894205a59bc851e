"""Analytics recording (docs/analytics.md): what helpdex-serve writes to
its --analytics-db store, and what it never writes.

Searches (API, help center, typeahead), result clicks (the /go redirect
and POST /api/events), article views, feedback and escalations become
rows with the caller's audience and an anonymous session id.  No IP
address and no user agent reaches the file: the SQLite file and its WAL
are searched byte for byte for the distinctive ones the test sent.  Rows
older than --analytics-retention are deleted when the server starts.
The writer is asynchronous, so tests poll the store for the rows.
"""
import http.client
import json
import os
import re
import sqlite3
import time

import pytest

from conftest import AGENT_TOKEN, INTERNAL_TOKEN, REPO, Server

COLUMNS = ("ts session audience kind source query results relaxed "
           "corrected typeahead article position helpful comment product "
           "locale").split()


def rows(path, where="1", args=()):
    con = sqlite3.connect(path, timeout=10)
    try:
        cur = con.execute("SELECT %s FROM events WHERE %s ORDER BY id"
                          % (", ".join(COLUMNS), where), args)
        return [dict(zip(COLUMNS, r)) for r in cur.fetchall()]
    finally:
        con.close()


def wait_rows(path, where, n, args=()):
    """The rows matching `where` once there are at least n (10 s)."""
    deadline = time.monotonic() + 10
    while True:
        got = rows(path, where, args) if os.path.exists(path) else []
        if len(got) >= n or time.monotonic() > deadline:
            return got
        time.sleep(0.05)


def raw(server, method, path, headers=None, body=None):
    """One request without following redirects: (status, headers, body)."""
    c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    out = r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    c.close()
    return out


def post_events(server, payload, query=""):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return server.request("POST", "/api/events" + query, body=body,
                          headers={"Content-Type": "application/json"})


@pytest.fixture(scope="module")
def rec(corpus_db, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("analytics")
    path = str(tmp / "analytics.sqlite")
    s = Server(corpus_db, str(tmp), extra=[
        "--analytics-db", path, "--assets", os.path.join(REPO, "web"),
        "--feedback-db", str(tmp / "feedback.sqlite")])
    s.path = path
    yield s
    s.stop()


def test_api_search_recorded_with_the_normalised_query(rec):
    q = "Reset   PASSWORD zqxapi"
    for _ in range(2):  # the second answer comes from the cache
        rec.search(q)
    got = wait_rows(rec.path, "query = ?", 2, ("reset password zqxapi",))
    assert len(got) == 2, got
    r = got[0]
    assert (r["kind"], r["source"], r["audience"], r["typeahead"]) == (
        "search", "api", "public", 0)
    assert r["results"] >= 1 and r["relaxed"] == 1  # zqxapi is nowhere
    assert re.fullmatch(r"[0-9a-f]{32}", r["session"])
    assert abs(r["ts"] - time.time()) < 60
    assert r["article"] is None and r["position"] is None


def test_typeahead_and_later_pages_are_marked_or_skipped(rec):
    rec.get("/api/suggest", {"q": "zqxsugg"})
    rec.get("/api/search", {"q": "zqxlive", "typeahead": "1"})
    rec.get("/api/search", {"q": "zqxpage password", "page": "2"})
    got = wait_rows(rec.path, "query IN ('zqxsugg', 'zqxlive')", 2)
    assert sorted((r["query"], r["typeahead"]) for r in got) == [
        ("zqxlive", 1), ("zqxsugg", 1)]
    assert rows(rec.path, "query LIKE 'zqxpage%'") == []


def test_agent_and_internal_searches_are_kept_apart(rec):
    rec.search("zqxlevel", token=AGENT_TOKEN)
    rec.search("zqxlevel", token=INTERNAL_TOKEN)
    got = wait_rows(rec.path, "query = 'zqxlevel'", 2)
    assert sorted(r["audience"] for r in got) == ["agent", "internal"]


def test_help_center_pages_set_the_cookie_and_record(rec):
    s, h, body = raw(rec, "GET", "/search?q=Reset+Password")
    assert s == 200
    cookie = h["set-cookie"]
    m = re.fullmatch(r"hdx_sid=([0-9a-f]{32}); Path=/; HttpOnly; "
                     r"SameSite=Lax", cookie)
    assert m, cookie
    sid = m.group(1)
    got = wait_rows(rec.path, "session = ?", 1, (sid,))
    assert [(r["kind"], r["source"], r["query"]) for r in got] == [
        ("search", "web", "reset password")]
    assert got[0]["results"] >= 1
    # Result links go through /go and carry the direct URL for app.js.
    assert re.search(rb'href="/go\?a=[^"&]+&amp;p=1&amp;q=Reset%20Password" '
                     rb'data-hdx-href="/a/[^"]+\?q=', body), body
    assert b'<meta name="hdx-events" content="/api/events?source=web">' \
        in body
    # The cookie is kept: the view is in the same session, none is reset.
    s, h, _ = raw(rec, "GET", "/a/reset-password?q=zqxview",
                  {"Cookie": "hdx_sid=" + sid})
    assert s == 200 and "set-cookie" not in h
    got = wait_rows(rec.path, "kind = 'view' AND query = 'zqxview'", 1)
    assert got[0]["article"] == "reset-password"
    assert got[0]["session"] == sid


def test_cookie_is_secure_behind_an_https_public_url(corpus_db, tmp_path):
    s = Server(corpus_db, str(tmp_path), extra=[
        "--analytics-db", str(tmp_path / "a.sqlite"),
        "--public-url", "https://help.example.com/"])
    try:
        st, h, _ = raw(s, "GET", "/a/reset-password")
    finally:
        s.stop()
    assert st == 200
    assert h["set-cookie"].endswith("; HttpOnly; SameSite=Lax; Secure")


def test_agents_get_no_cookie(rec):
    s, h, _ = raw(rec, "GET", "/a/reset-password?q=zqxagentview",
                  {"Authorization": "Bearer " + AGENT_TOKEN})
    assert s == 200 and "set-cookie" not in h
    got = wait_rows(rec.path, "query = 'zqxagentview'", 1)
    assert got[0]["audience"] == "agent"


def test_go_redirects_to_the_article_and_records_the_click(rec):
    s, h, _ = raw(rec, "GET", "/go?a=reset-password&p=3&q=Zqx%20Click")
    assert s == 302
    assert h["location"] == "/a/reset-password?q=Zqx%20Click"
    got = wait_rows(rec.path, "kind = 'click' AND query = 'zqx click'", 1)
    assert (got[0]["article"], got[0]["position"], got[0]["source"]) == (
        "reset-password", 3, "web")


@pytest.mark.parametrize("target", [
    "/go?a=https://evil.example/&p=1", "/go?a=//evil.example&p=1",
    "/go?a=no-such-article-zqx", "/go?a=INC-2086", "/go?p=1"])
def test_go_is_no_open_redirect(rec, target):
    s, h, _ = raw(rec, "GET", target)
    assert s == 404 and "location" not in h


def test_go_refuses_a_bad_position(rec):
    s, h, body = raw(rec, "GET", "/go?a=reset-password&p=0")
    assert s == 400 and b"'p'" in body


def test_events_api_records_a_batch(rec):
    token = "0123456789abcdef0123456789abcd01"
    s, b, _ = post_events(rec, {"events": [
        {"eventType": "click", "eventName": "Result clicked",
         "index": "kb", "objectIDs": ["reset-password", "account-locked"],
         "positions": [1, 4], "query": "Zqx Events", "userToken": token,
         "timestamp": int(time.time() * 1000) - 5000},
        {"eventType": "conversion", "eventName": "Ticket avoided",
         "objectIDs": ["reset-password"], "query": "zqx events"},
        {"eventType": "escalation", "eventName": "Contact",
         "objectIDs": ["account-locked"], "query": "zqx events"}]})
    assert s == 200, b
    assert b == {"status": 200, "message": "OK", "recorded": 4,
                 "dropped": 0}
    got = wait_rows(rec.path, "query = 'zqx events'", 4)
    assert [(r["kind"], r["article"], r["position"]) for r in got] == [
        ("click", "reset-password", 1), ("click", "account-locked", 4),
        ("conversion", "reset-password", None),
        ("escalation", "account-locked", None)]
    assert got[0]["session"] == token and got[0]["source"] == "events-api"
    assert got[2]["session"] != token  # no userToken: the server's id


def test_events_api_source_web_is_the_help_centers_beacon(rec):
    s, b, _ = post_events(rec, {"events": [
        {"eventType": "escalation", "eventName": "help-center",
         "query": "zqxbeacon"}]}, "?source=web")
    assert s == 200 and b["recorded"] == 1
    got = wait_rows(rec.path, "query = 'zqxbeacon'", 1)
    assert got[0]["source"] == "web" and got[0]["article"] is None
    s, b, _ = post_events(rec, {"events": [
        {"eventType": "view", "eventName": "x", "objectIDs": ["account-locked"]}]},
        "?source=api")
    assert s == 400 and "'source'" in b["error"]["message"]


CLICK = {"eventType": "click", "eventName": "c",
         "objectIDs": ["reset-password"], "positions": [1]}


@pytest.mark.parametrize("event,field", [
    ({**CLICK, "eventType": "purchase"}, "events[0].eventType"),
    ({**CLICK, "eventName": ""}, "events[0].eventName"),
    ({**CLICK, "positions": [1, 2]}, "events[0].positions"),
    ({**CLICK, "positions": [0]}, "events[0].positions"),
    ({k: v for k, v in CLICK.items() if k != "positions"},
     "events[0].positions"),
    ({**CLICK, "objectIDs": []}, "events[0].objectIDs"),
    ({**CLICK, "objectIDs": ["no-such-zqx"]}, "events[0].objectIDs"),
    ({**CLICK, "objectIDs": ["INC-2086"]}, "events[0].objectIDs"),
    ({**CLICK, "userToken": "jane@example.com"}, "events[0].userToken"),
    ({**CLICK, "timestamp": 1000}, "events[0].timestamp"),
    ({**CLICK, "timestamp": "now"}, "events[0].timestamp"),
    ({**CLICK, "query": 42}, "events[0].query"),
    ({**CLICK, "ip": "203.0.113.9"}, "events[0].ip"),
    ({"eventType": "view", "eventName": "v", "objectIDs": ["account-locked"],
      "positions": [1]}, "events[0].positions"),
])
def test_events_api_names_the_bad_field(rec, event, field):
    s, b, _ = post_events(rec, {"events": [CLICK, event][1:]})
    assert s == 400, b
    assert b["error"]["code"] == "bad_event"
    assert b["error"]["message"].startswith(field + ":"), b


def test_events_api_is_all_or_nothing(rec):
    good = {**CLICK, "query": "zqxatomic"}
    s, b, _ = post_events(rec, {"events": [good, {**good, "positions": []}]})
    assert s == 400 and b["error"]["message"].startswith("events[1].")
    time.sleep(0.5)  # longer than the writer's flush interval
    assert rows(rec.path, "query = 'zqxatomic'") == []


@pytest.mark.parametrize("body", [
    "", "not json", "[]", '{"events": []}', '{"events": {}}',
    '{"events": [], "extra": 1}',
    json.dumps({"events": [CLICK] * 51}),
    json.dumps({"events": [{**CLICK, "objectIDs": ["reset-password"] * 10,
                            "positions": list(range(1, 11))}] * 11})])
def test_events_api_refuses_bad_batches(rec, body):
    s, b, _ = post_events(rec, body)
    assert s == 400 and b["error"]["code"] == "bad_event", b


def test_events_api_limits_and_media_type(rec):
    s, b, _ = rec.request("POST", "/api/events", body="{}",
                          headers={"Content-Type": "text/plain"})
    assert s == 415
    big = json.dumps({"events": [{**CLICK, "query": "x" * 1000}] * 40})
    s, b, _ = post_events(rec, big)
    assert s == 413 and b["error"]["code"] == "too_large"
    s, b = rec.get("/api/events")
    assert s == 405


def test_head_records_nothing(rec):
    s, h, _ = raw(rec, "HEAD", "/a/account-locked?q=zqxhead")
    assert s == 200
    rec.search("zqxafterhead")  # recorded after the HEAD, if it were
    wait_rows(rec.path, "query = 'zqxafterhead'", 1)
    assert rows(rec.path, "query = 'zqxhead'") == []


def test_events_api_answers_503_when_recording_is_off(server):
    s, b, _ = post_events(server, {"events": [CLICK]})
    assert s == 503 and b["error"]["code"] == "analytics_disabled"


def test_feedback_is_recorded_and_still_stored(rec, tmp_path):
    s, b, _ = rec.request("POST", "/api/feedback", body=json.dumps(
        {"article": "reset-password", "helpful": False,
         "comment": "zqx the step for SSO is missing",
         "query": "Reset  SSO"}),
        headers={"Content-Type": "application/json"})
    assert s == 201, b
    got = wait_rows(rec.path, "kind = 'feedback' AND comment LIKE 'zqx%'", 1)
    r = got[0]
    assert (r["article"], r["helpful"], r["query"]) == (
        "reset-password", 0, "reset sso")
    s, stats = rec.get("/api/feedback/stats", token=AGENT_TOKEN)
    assert s == 200
    assert any(a["article"] == "reset-password" and a["not_helpful"] >= 1
               for a in stats["articles"]), stats


def test_x_session_id_header_is_the_session(rec):
    sid = "fedcba9876543210fedcba9876543210"
    rec.request("GET", "/api/search", {"q": "zqxheader"},
                headers={"X-Session-Id": sid})
    got = wait_rows(rec.path, "query = 'zqxheader'", 1)
    assert got[0]["session"] == sid


def test_metrics_count_recorded_and_dropped(rec):
    s, text = rec.get("/metrics", token=INTERNAL_TOKEN)
    assert s == 200
    rec_n = int(re.search(r"^helpdex_analytics_recorded_total (\d+)$", text,
                          re.M).group(1))
    assert rec_n >= 1
    assert re.search(r"^helpdex_analytics_dropped_total 0$", text, re.M)


def test_no_ip_address_or_user_agent_is_stored(corpus_db, tmp_path):
    """Searches, pages, clicks and events from a distinctive address (via
    a trusted proxy's X-Forwarded-For, so it is the client address the
    server works with) and user agent: neither is anywhere in the file
    or its WAL, and the sessions are 32 hex digits."""
    path = str(tmp_path / "analytics.sqlite")
    ip, ua = "198.51.100.237", "ZqxBrowser/9.87 (PrivacyProbe)"
    s = Server(corpus_db, str(tmp_path), extra=[
        "--analytics-db", path, "--trusted-proxy", "127.0.0.1",
        "--assets", os.path.join(REPO, "web")])
    try:
        hdrs = {"X-Forwarded-For": ip, "User-Agent": ua}
        for q in ("reset password", "sso login", "billing"):
            s.request("GET", "/api/search", {"q": q}, headers=hdrs)
            s.request("GET", "/search", {"q": q}, headers=hdrs)
        s.request("GET", "/a/reset-password", headers=hdrs)
        raw(s, "GET", "/go?a=reset-password&p=1&q=x", hdrs)
        s.request("POST", "/api/events", body=json.dumps({"events": [
            CLICK]}), headers={**hdrs, "Content-Type": "application/json"})
        wait_rows(path, "1", 9)
        sessions = {r["session"] for r in rows(path)}
    finally:
        s.stop()
    assert len(rows(path)) == 9
    assert all(re.fullmatch(r"[0-9a-f]{32}", x) for x in sessions)
    found = []
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            with open(path + suffix, "rb") as f:
                data = f.read()
            for needle in (ip, ua, "198.51.100", "ZqxBrowser",
                           "PrivacyProbe"):
                if needle.encode() in data:
                    found.append((suffix, needle))
    assert found == []
    con = sqlite3.connect(path)
    names = [r[1] for r in con.execute("PRAGMA table_info(events)")]
    con.close()
    assert not {"ip", "user_agent", "ua", "address"} & set(names)


def test_retention_deletes_old_rows_at_start(corpus_db, tmp_path):
    path = str(tmp_path / "analytics.sqlite")
    s = Server(corpus_db, str(tmp_path), extra=["--analytics-db", path])
    s.stop()  # the store now exists, with its schema
    now = int(time.time())
    con = sqlite3.connect(path)
    for age_days in (400, 31, 29, 0):
        con.execute("INSERT INTO events(ts, session, audience, kind, source,"
                    " article) VALUES(?, ?, 'public', 'view', 'web', ?)",
                    (now - age_days * 86400 - 60, "a" * 32,
                     "age-%d" % age_days))
    con.commit()
    con.close()
    s = Server(corpus_db, str(tmp_path), extra=[
        "--analytics-db", path, "--analytics-retention", "30"])
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            left = [r["article"] for r in rows(path)]
            if len(left) == 2:
                break
            time.sleep(0.05)
    finally:
        s.stop()
    assert left == ["age-29", "age-0"]


@pytest.mark.parametrize("value", ["0", "-1", "x", "36501"])
def test_retention_option_is_checked(corpus_db, tmp_path, value):
    import subprocess
    from conftest import SERVER
    p = subprocess.run([SERVER, "--db", corpus_db, "--analytics-db",
                        str(tmp_path / "a.sqlite"), "--analytics-retention",
                        value], capture_output=True, text=True, timeout=30)
    assert p.returncode == 2
    assert "--analytics-retention" in p.stderr


def test_a_store_that_is_not_one_refuses_to_start(corpus_db, tmp_path):
    import subprocess
    from conftest import SERVER
    bad = tmp_path / "not.sqlite"
    bad.write_text("this is not a database\n" * 100)
    p = subprocess.run([SERVER, "--db", corpus_db, "--port", "0",
                        "--analytics-db", str(bad)], capture_output=True,
                       text=True, timeout=30)
    assert p.returncode == 2 and str(bad) in p.stderr
