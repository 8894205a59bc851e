"""Agents in the browser (docs/agents.md): sign-in sessions, CSRF, the
failed sign-in limit, revocation through the tokens file, the response
cache and levels, and the known-issue console (no-JS form POST, a 32 KB
paste, version marks, the copy-answer box).

HTTP goes through http.client so that redirects and Set-Cookie headers
are seen as sent.  The server trusts 127.0.0.1 as a proxy, so each test
names its own client address in X-Forwarded-For and the per-client
sign-in limit of one test never touches another.
"""
import html
import http.client
import json
import os
import re
import signal
import time
import urllib.parse

import pytest

from conftest import AGENT_TOKEN, INTERNAL_TOKEN, REPO, Server

REVOKE_TOKEN = "revoke-me-token-0123456789"
HUP_TOKEN = "hup-me-token-0123456789abc"
TRACE = ("AADSTS50011: The redirect URI specified in the request does not "
         "match the redirect URIs configured for the application")


@pytest.fixture(scope="module")
def agents(corpus_db, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("agents")
    s = Server(corpus_db, str(tmp), extra=[
        "--assets", os.path.join(REPO, "web"), "--trusted-proxy",
        "127.0.0.1"])
    s.tokens = str(tmp / "tokens")
    write_tokens(s, [REVOKE_TOKEN + " agent revokee",
                     HUP_TOKEN + " agent hupee"])
    s.proc.send_signal(signal.SIGHUP)
    time.sleep(0.2)
    yield s
    log = s.stop()
    for tok in (AGENT_TOKEN, INTERNAL_TOKEN, REVOKE_TOKEN, HUP_TOKEN,
                "wrong-token-0123456789"):
        assert tok not in log
    assert s.proc.returncode == 0, log


def write_tokens(s, extra):
    lines = ["%s agent tester" % AGENT_TOKEN,
             "%s internal eng" % INTERNAL_TOKEN] + extra
    tmp = s.tokens + ".new"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.chmod(tmp, 0o600)
    os.replace(tmp, s.tokens)


class Browser:
    """A cookie jar and a client address; redirects are not followed."""

    def __init__(self, server, client):
        self.s = server
        self.client = client
        self.cookies = {}

    def request(self, method, path, form=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=30)
        h = {"X-Forwarded-For": self.client}
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv
                                    for kv in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        h.update(headers or {})
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        text = r.read().decode("utf-8", "replace")
        set_cookies = r.headers.get_all("Set-Cookie") or []
        for sc in set_cookies:
            name, _, rest = sc.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in sc:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        c.close()
        return r.status, r.headers, text, set_cookies

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def signin(self, token=AGENT_TOKEN, next_="/agent/console", **kw):
        self.get("/signin")
        form = {"csrf": self.cookies.get("hdx_signin", ""), "token": token,
                "next": next_}
        return self.request("POST", "/signin", form=form, **kw)

    def csrf(self, path="/agent/console"):
        st, _, text, _ = self.get(path)
        m = re.search(r'name="csrf" value="([0-9a-f]+)"', text)
        return m.group(1) if m else ""


def session_cookie(set_cookies):
    return [c for c in set_cookies if c.startswith("hdx_session=")]


def test_signin_sets_a_private_session_cookie(agents):
    b = Browser(agents, "198.51.100.1")
    st, h, text, sc = b.get("/signin")
    assert st == 200 and 'name="token"' in text
    assert h["Cache-Control"] == "private, no-store"
    st, h, text, sc = b.signin()
    assert st == 303 and h["Location"] == "/agent/console"
    (cookie,) = session_cookie(sc)
    attrs = [a.strip() for a in cookie.split(";")]
    value = attrs[0].split("=", 1)[1]
    assert re.fullmatch(r"[0-9a-f]{64}", value)
    assert AGENT_TOKEN not in cookie
    assert "HttpOnly" in attrs and "SameSite=Lax" in attrs
    assert "Path=/" in attrs and "Max-Age=43200" in attrs
    assert "Secure" not in attrs  # plain HTTP, no TLS proxy
    st, h, text, _ = b.get("/agent/console")
    assert st == 200 and 'id="paste"' in text
    assert h["Cache-Control"] == "private, no-store"
    assert "tester" in text and 'action="/signout"' in text


def test_secure_cookie_behind_a_tls_proxy(agents):
    b = Browser(agents, "198.51.100.2")
    st, _, _, sc = b.signin(headers={"X-Forwarded-Proto": "https"})
    assert st == 303
    assert "Secure" in [a.strip() for a in session_cookie(sc)[0].split(";")]


def test_secure_cookie_with_an_https_public_url(corpus_db, tmp_path):
    s = Server(corpus_db, str(tmp_path), extra=[
        "--public-url", "https://help.example.com"])
    try:
        st, _, _, sc = Browser(s, "198.51.100.3").signin()
        assert st == 303
        assert "; Secure" in session_cookie(sc)[0]
    finally:
        s.stop()


def test_untrusted_forwarded_proto_is_ignored(corpus_db, tmp_path):
    s = Server(corpus_db, str(tmp_path))  # no --trusted-proxy
    try:
        st, _, _, sc = Browser(s, "-").signin(
            headers={"X-Forwarded-Proto": "https"})
        assert st == 303 and "Secure" not in session_cookie(sc)[0]
    finally:
        s.stop()


def test_signed_in_agent_sees_agent_sections_anonymous_does_not(agents):
    b = Browser(agents, "198.51.100.4")
    b.signin()
    anon = Browser(agents, "198.51.100.5")
    for _ in range(2):
        st, h, text, _ = b.get("/a/account-locked")
        assert st == 200 and "Agent notes" in text
        assert '<span class="aud-badge">Agents only</span>' in text
        assert h["Cache-Control"] == "private, no-store"
        st, h, text, _ = anon.get("/a/account-locked")
        assert st == 200 and "Agent notes" not in text
        assert "Agents only" not in text and "agent-bar" not in text
        assert h["Cache-Control"] == "no-cache"
    # A whole agent article: marked as one.
    st, _, text, _ = b.get("/a/agent-refund-handling")
    assert st == 200 and "Customers cannot see this page" in text
    assert anon.get("/a/agent-refund-handling")[0] == 404


def test_signed_in_search_finds_incidents_marked(agents):
    b = Browser(agents, "198.51.100.19")
    b.signin()
    st, _, text, _ = b.get("/search?q=AADSTS50011")
    assert st == 200
    hit = re.search(r'<li class="hit">\n<h2><a href="/a/INC-2072[^"]*">'
                    r'[^<]*</a><span class="aud-badge">Agents only</span>',
                    text)
    assert hit, text[:2000]
    st, _, text, _ = Browser(agents, "198.51.100.20").get(
        "/search?q=AADSTS50011")
    assert st == 200 and "INC-2072" not in text and "aud-badge" not in text


def test_cache_never_mixes_levels(agents):
    """Same URL, alternating signed-in and anonymous: the cached
    anonymous answer never goes to the agent, nor the agent's to anyone."""
    b = Browser(agents, "198.51.100.6")
    b.signin()
    anon = Browser(agents, "198.51.100.7")
    url = "/api/search?q=refund+handling"
    for i in range(4):
        st, h, text, _ = anon.get(url)
        assert st == 200 and "agent-refund-handling" not in text, i
        st, h, text, _ = b.get(url)
        assert st == 200 and "agent-refund-handling" in text, i
        assert h.get("X-Cache") != "hit"
        assert h["Cache-Control"] == "private, no-store"
    # The anonymous answer is cached, and stays anonymous.
    st, h, text, _ = anon.get(url)
    assert h.get("X-Cache") == "hit" and "agent-refund-handling" not in text


def test_cross_site_posts_are_refused(agents):
    b = Browser(agents, "198.51.100.8")
    # Sign-in form from another site, or without the form's cookie.
    b.get("/signin")
    form = {"csrf": b.cookies["hdx_signin"], "token": AGENT_TOKEN}
    st, _, _, sc = b.request("POST", "/signin", form=form,
                             headers={"Origin": "https://evil.example"})
    assert st == 403 and not session_cookie(sc)
    st, _, _, sc = Browser(agents, "198.51.100.8").request(
        "POST", "/signin", form=form)
    assert st == 403 and not session_cookie(sc)
    assert b.signin()[0] == 303
    csrf = b.csrf()
    assert csrf
    # The console and sign-out need the session's token, same origin.
    for headers, token in (({}, ""), ({}, "0" * 64),
                           ({"Sec-Fetch-Site": "cross-site"}, csrf),
                           ({"Origin": "http://evil.example"}, csrf)):
        st, _, text, _ = b.request("POST", "/agent/console",
                                   form={"csrf": token, "text": TRACE},
                                   headers=headers)
        assert st == 403 and "INC-2072" not in text, headers
        st, _, _, _ = b.request("POST", "/signout", form={"csrf": token},
                                headers=headers)
        assert st == 403, headers
    # The feedback form carries no token, but a signed-in agent's vote is
    # not taken from another site (the store is off here: 503 otherwise).
    fb = {"article": "account-locked", "helpful": "yes"}
    st, _, _, _ = b.request("POST", "/api/feedback", form=fb,
                            headers={"Sec-Fetch-Site": "cross-site"})
    assert st == 403
    assert b.request("POST", "/api/feedback", form=fb)[0] == 503
    # Still signed in; the right token from this origin works, also with
    # the "Origin: null" browsers send under Referrer-Policy: no-referrer.
    st, _, text, _ = b.request("POST", "/agent/console",
                               form={"csrf": csrf, "text": TRACE},
                               headers={"Origin": "null",
                                        "Sec-Fetch-Site": "same-origin"})
    assert st == 200 and "INC-2072" in text
    host = {"Origin": "http://127.0.0.1:%d" % agents.port,
            "Sec-Fetch-Site": "same-origin"}
    st, _, text, _ = b.request("POST", "/agent/console",
                               form={"csrf": csrf, "text": TRACE},
                               headers=host)
    assert st == 200 and "INC-2072" in text


def signin_metrics(server):
    """helpdex_signin_* and helpdex_sessions from /metrics (internal)."""
    status, text = server.get("/metrics", token=INTERNAL_TOKEN)
    assert status == 200
    return {m.group(1): float(m.group(2)) for m in re.finditer(
        r"^(helpdex_signin_\w+|helpdex_sessions) (\S+)$", text, re.M)}


def test_failed_signins_are_limited_and_logged_without_the_token(agents):
    before = signin_metrics(agents)
    b = Browser(agents, "198.51.100.9")
    for i in range(5):
        st, _, text, sc = b.signin(token="wrong-token-0123456789")
        assert st == 401 and "not valid" in text and not session_cookie(sc)
    st, h, text, sc = b.signin()  # even the right token, now
    assert st == 429 and int(h["Retry-After"]) > 0 and not session_cookie(sc)
    # Another client is not affected.
    assert Browser(agents, "198.51.100.10").signin()[0] == 303
    after = signin_metrics(agents)
    assert after["helpdex_signin_failures_total"] == \
        before["helpdex_signin_failures_total"] + 5
    assert after["helpdex_signin_limited_total"] == \
        before["helpdex_signin_limited_total"] + 1
    assert after["helpdex_sessions"] >= 1
    agents.log.flush()
    with open(agents.log.name) as f:
        log = f.read()
    assert log.count("failed sign-in from 198.51.100.9") == 5
    assert "wrong-token-0123456789" not in log


def test_signout_ends_the_session(agents):
    b = Browser(agents, "198.51.100.11")
    b.signin()
    sid = b.cookies["hdx_session"]
    csrf = b.csrf()
    st, h, _, sc = b.request("POST", "/signout", form={"csrf": csrf})
    assert st == 303 and h["Location"] == "/signin?out=1"
    assert any("hdx_session=;" in c and "Max-Age=0" in c for c in sc)
    # The old cookie, sent again, is worth nothing.
    b.cookies["hdx_session"] = sid
    st, h, _, _ = b.get("/agent/console")
    assert st == 303 and h["Location"] == "/signin?next=%2Fagent%2Fconsole"
    st, _, text, _ = b.get("/a/account-locked")
    assert "Agent notes" not in text


def test_removing_a_token_from_the_file_ends_its_sessions(agents):
    b = Browser(agents, "198.51.100.12")
    assert b.signin(token=REVOKE_TOKEN)[0] == 303
    h = Browser(agents, "198.51.100.13")
    assert h.signin(token=HUP_TOKEN)[0] == 303
    assert b.get("/agent/console")[0] == 200
    assert h.get("/agent/console")[0] == 200
    # Edited: seen within a second, without a signal.
    write_tokens(agents, [HUP_TOKEN + " agent hupee"])
    time.sleep(1.2)
    assert b.get("/agent/console")[0] == 303
    assert h.get("/agent/console")[0] == 200
    # SIGHUP: at once.
    write_tokens(agents, [])
    agents.proc.send_signal(signal.SIGHUP)
    time.sleep(0.2)
    assert h.get("/agent/console")[0] == 303
    write_tokens(agents, [REVOKE_TOKEN + " agent revokee",
                          HUP_TOKEN + " agent hupee"])
    agents.proc.send_signal(signal.SIGHUP)
    time.sleep(0.2)
    # A token moved down to level public ends its sessions too.
    assert b.signin(token=REVOKE_TOKEN)[0] == 303
    assert b.get("/agent/console")[0] == 200
    write_tokens(agents, [REVOKE_TOKEN + " public revokee",
                          HUP_TOKEN + " agent hupee"])
    agents.proc.send_signal(signal.SIGHUP)
    time.sleep(0.2)
    st, _, text, _ = b.get("/a/account-locked")
    assert st == 200 and "Agent notes" not in text and "agent-bar" not in text
    write_tokens(agents, [REVOKE_TOKEN + " agent revokee",
                          HUP_TOKEN + " agent hupee"])
    agents.proc.send_signal(signal.SIGHUP)
    time.sleep(0.2)
    assert b.get("/agent/console")[0] == 303  # that session is gone


def console_post(b, text, version=""):
    csrf = b.csrf()
    t0 = time.monotonic()
    st, h, page, _ = b.request("POST", "/agent/console",
                               form={"csrf": csrf, "text": text,
                                     "version": version})
    return st, page, time.monotonic() - t0


def cards(page):
    return re.findall(r'<h3 id="card-\d+-h"><a href="/a/([^"]+)">', page)


def test_console_finds_the_incident_of_a_32k_paste(agents):
    b = Browser(agents, "198.51.100.14")
    b.signin()
    filler = "2026-04-08T10:00:00Z INFO worker heartbeat ok seq=%d\n"
    lines, i = [], 0
    while sum(map(len, lines)) < 32 * 1024 - len(TRACE) - 100:
        lines.append(filler % i)
        i += 1
    paste = "".join(lines[:200]) + TRACE + "\n" + "".join(lines[200:])
    assert 32 * 1024 - 200 < len(paste) <= 32 * 1024
    # The API's own time for the same paste.
    t0 = time.monotonic()
    st, body, _ = agents.request("POST", "/api/known-issues", body=paste,
                                 token=AGENT_TOKEN)
    api_s = time.monotonic() - t0
    assert st == 200 and body["hits"][0]["id"] == "INC-2072"
    st, page, console_s = console_post(b, paste)
    assert st == 200, page[:300]
    assert cards(page)[0] == "INC-2072"
    assert "<mark>aadsts50011</mark>" in page
    assert "legacy workspaces switched back to the old ACS path" in page
    assert console_s < max(1.0, 5 * api_s), (console_s, api_s)
    print("32 KB paste: API %.1f ms, console %.1f ms"
          % (api_s * 1000, console_s * 1000))
    # A paste over the limit is refused, not cut.
    st, page, _ = console_post(b, "x" * (32 * 1024 + 1))
    assert st == 413


def test_console_version_marks_change_the_order(agents):
    b = Browser(agents, "198.51.100.15")
    b.signin()
    paste = ("Sync service crashed: exception 0xC0000005\n"
             "Error 0x8007016A: The cloud file provider is not running\n")
    st, page, _ = console_post(b, paste, "5.2.1")
    order = cards(page)
    assert order.index("INC-2045") < order.index("INC-2040"), order
    assert ("Fixed in 5.1.4 — the customer should not see this; check the "
            "version") in page
    assert "Fixed in 5.2.3: upgrade" in page
    st, page, _ = console_post(b, paste, "5.1.2")
    order = cards(page)
    assert order.index("INC-2040") < order.index("INC-2045"), order
    assert "Fixed in 5.1.4: upgrade" in page
    assert "Affects only later versions than 5.1.2" in page  # INC-2045
    st, page, _ = console_post(b, paste, "latest")
    assert "not a version number" in page and "ki-fit" not in page
    # Named in the paste instead of the field.
    st, page, _ = console_post(b, paste + "Skylark version 5.2.1\n")
    assert "(found in the paste)" in page
    order = cards(page)
    assert order.index("INC-2045") < order.index("INC-2040"), order


def test_copy_answer_holds_only_public_text(agents):
    b = Browser(agents, "198.51.100.16")
    b.signin()
    st, page, _ = console_post(b, TRACE)
    answer = html.unescape(re.search(
        r'<textarea id="answer-1"[^>]*>(.*?)</textarea>', page, re.S)[1])
    notes = html.unescape(re.search(
        r'<textarea id="notes-1"[^>]*>(.*?)</textarea>', page, re.S)[1])
    assert "/a/sso-troubleshooting" in answer
    assert "Troubleshoot single sign-on errors" in answer
    # Nothing of the incident (agent level) nor of the articles' agent
    # sections: every line is in the public page of a linked article.
    assert "INC-2072" not in answer and "PRB-133" not in answer
    assert "legacy workspaces" not in answer
    anon = Browser(agents, "198.51.100.17")
    public = ""
    for aid in re.findall(r"/a/([a-z0-9-]+)", answer):
        st, _, text, _ = anon.get("/a/" + aid)
        assert st == 200
        public += html.unescape(text)
    for line in answer.splitlines():
        if line and "://" not in line:
            assert line in public, line
    assert "INC-2072" in notes and "legacy workspaces" in notes
    assert "Copy internal notes" in page and "never send to" in page


def test_console_needs_an_agent(agents):
    st, h, _, _ = Browser(agents, "198.51.100.18").get("/agent/console")
    assert st == 303 and h["Location"].startswith("/signin?next=")
    # A bearer token works too (no session, so no CSRF token to check).
    st, page, _ = agents.request(
        "POST", "/agent/console", token=AGENT_TOKEN,
        body=urllib.parse.urlencode({"text": TRACE}))
    assert st == 200 and "INC-2072" in page


def test_copy_answer_leaves_out_agent_articles_and_sections(tmp_path):
    """An incident linking a public article with an agent section and an
    agent-only article: the answer has the public article's public text
    only; the agent article is listed, marked, and left out."""
    from conftest import article, run_indexer, write
    c = tmp_path / "corpus"
    write(c / "articles" / "zq-public.md", article(
        "zq-public", "Fix zqflux sync stalls",
        "Restart the client.\n\n## Agent notes {audience=agent}\n\n"
        "Secret agentonlyword: reset the account quota by hand.",
        summary="How to get zqflux sync going again."))
    write(c / "articles" / "zq-agent.md", article(
        "zq-agent", "Zqflux back-office steps agentonlytitle",
        "Back office only.", audience="agent"))
    write(c / "incidents" / "INC-9001.md", article(
        "INC-9001", "ZQF-4242 zqflux stall",
        "## Symptoms\n\nError ZQF-4242: zqflux stalled.\n\n"
        "## Resolution\n\nIncidentonlyword fix shipped.",
        type="incident", status="resolved", fixed_in="5.2.0",
        error_codes="[ZQF-4242]", kb="[zq-public, zq-agent]"))
    db = str(tmp_path / "db")
    run_indexer("--corpus", str(c), "--db", db, "--quiet", check=0)
    s = Server(db, str(tmp_path))
    try:
        b = Browser(s, "-")
        assert b.signin()[0] == 303
        st, page, _ = console_post(b, "ZQF-4242 zqflux stalled, version 5.1.9")
        assert st == 200 and cards(page)[0] == "INC-9001"
        assert "Fixed in 5.2.0: upgrade" in page
        answer = html.unescape(re.search(
            r'<textarea id="answer-1"[^>]*>(.*?)</textarea>', page, re.S)[1])
        assert answer.splitlines()[:2] == [
            "Fix zqflux sync stalls", "How to get zqflux sync going again."]
        assert answer.splitlines()[2].endswith("/a/zq-public")
        for word in ("agentonlyword", "agentonlytitle", "zq-agent",
                     "Incidentonlyword", "INC-9001", "ZQF-4242"):
            assert word.lower() not in answer.lower(), word
        kb = re.search(r'<div class="ki-kb">(.*?)</div>', page, re.S)[1]
        assert re.search(r'agentonlytitle</a><span class="aud-badge">'
                         r'Agents only</span>', kb), kb
        assert re.search(r'Fix zqflux sync stalls</a></li>', kb), kb
    finally:
        s.stop()


def test_a_signin_cookie_does_not_raise_a_meilisearch_search(agents):
    """Under /meili/ the key is the Authorization header only, as in
    Meilisearch: a signed-in agent's cookie searches at the public level
    there, and the agent's token in the header at the agent's."""
    b = Browser(agents, "198.51.100.77")
    assert b.signin()[0] == 303 and "hdx_session" in b.cookies
    assert "Agent notes" in b.get("/a/account-locked")[2]  # signed in
    path = "/meili/indexes/all/search?q=refund+handling"
    st, _, text, _ = b.get(path)
    assert st == 200, text
    ids = [h["id"] for h in json.loads(text)["hits"]]
    assert "agent-refund-handling" not in ids
    st, _, text, _ = b.get(path, headers={
        "Authorization": "Bearer " + AGENT_TOKEN})
    assert st == 200
    assert "agent-refund-handling" in [h["id"] for h in
                                       json.loads(text)["hits"]]
