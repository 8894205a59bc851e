"""The contact page and ticket-form deflection (docs/help-center.md): GET
/contact and its suggestions, GET /api/deflect, the hand-off of POST
/contact to the support URL (303) or address (mailto:), its CSRF check,
and the contact_open / click (source 'contact') / escalation events it
records in the --analytics-db store (polled: the writer is asynchronous).
"""
import html
import http.client
import os
import re
import sqlite3
import time
import urllib.parse

import pytest

from conftest import REPO, Server
from test_analytics import raw, wait_rows

ASSETS = os.path.join(REPO, "web")
HEX32 = re.compile(r"^[0-9a-f]{32}$")
PASTED = ("Error: SyncEngine failed: \"upload rejected\" (code 0x80070005)\n"
          "  at sync.queue.push (sync.js:120:7) -- retry OR abort?\n"
          "title:( [unclosed \"quote AND NOT -x * ~ ^ {}\n") * 8


def start(corpus_db, tmp, branding):
    conf = tmp / "branding.conf"
    conf.write_text("product_name = Skylark\n" + branding)
    s = Server(corpus_db, str(tmp), extra=[
        "--assets", ASSETS, "--branding", str(conf),
        "--analytics-db", str(tmp / "analytics.sqlite")])
    s.path = str(tmp / "analytics.sqlite")
    return s


def branded(name, branding):
    """A module fixture: a server with `branding` (its support channel)."""
    @pytest.fixture(scope="module")
    def fixture(corpus_db, tmp_path_factory):
        s = start(corpus_db, tmp_path_factory.mktemp(name), branding)
        yield s
        log = s.stop()
        assert s.proc.returncode == 0, log  # under ASan: no leak
    return fixture


mail = branded("contact-mail", "support_email = support@skylark.example\n")
url = branded("contact-url",
              "support_url = https://tickets.example/new?src=kb\n")
nochannel = branded("contact-none", "")


def count(path, where, args=()):
    if not os.path.exists(path):
        return 0
    con = sqlite3.connect(path, timeout=10)
    try:
        return con.execute("SELECT COUNT(*) FROM events WHERE " + where,
                           args).fetchone()[0]
    finally:
        con.close()


def open_form(srv, path="/contact", sid=None):
    """GET the form: (text, csrf field, cookie header for the POST)."""
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    c.request("GET", path, headers={"Cookie": "hdx_sid=" + sid} if sid
              else {})
    r = c.getresponse()
    text = r.read().decode()
    assert r.status == 200, text
    token = re.search(r'name="csrf" value="([0-9a-f]{32})"', text).group(1)
    cookie = [v for k, v in r.getheaders() if k.lower() == "set-cookie"
              and v.startswith("hdx_contact=")][0]
    assert cookie.startswith("hdx_contact=%s;" % token), cookie
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Path=/contact" in cookie
    assert r.getheader("Cache-Control") == "no-store"
    c.close()
    jar = "hdx_contact=" + token + ("; hdx_sid=" + sid if sid else "")
    return text, token, jar


def post_form(srv, fields, jar, extra_headers=None):
    h = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": jar,
         "Origin": srv.base, "Sec-Fetch-Site": "same-origin"}
    h.update(extra_headers or {})
    s, hdrs, body = raw(srv, "POST", "/contact",
                        body=urllib.parse.urlencode(fields), headers=h)
    return s, hdrs, body.decode()


def test_form_prefilled_from_an_escalation_link(mail):
    sid = "a1" * 16
    text, _, _ = open_form(
        mail, "/contact?q=reset+password&articles=sync-stuck%2Creset-password",
        sid)
    assert '<form id="contact-form" class="contact" method="post" ' \
           'action="/contact">' in text
    assert '<input type="hidden" name="q" value="reset password">' in text
    assert '<input type="hidden" name="articles" ' \
           'value="sync-stuck,reset-password">' in text
    # the query is the subject, and its suggestions are on the page
    assert re.search(r'id="c-subject"[^>]*value="reset password"', text)
    assert 'href="/go?a=reset-password&amp;p=1&amp;src=contact&amp;' \
           'q=reset%20password"' in text
    assert 'id="c-send"' in text
    got = wait_rows(mail.path, "kind = 'contact_open' AND session = ?", 1,
                    (sid,))
    assert len(got) == 1 and got[0]["audience"] == "public"


def test_find_articles_without_javascript(mail):
    s, body = mail.get("/contact", {"subject": "",
                                    "description": "I forgot my password"})
    assert s == 200
    assert '<section class="deflect" id="deflect"' in body
    m = re.search(r'<ul id="deflect-list">(.*?)</ul>', body, re.S)
    assert "/go?a=reset-password&amp;" in m.group(1)
    assert "I forgot my password</textarea>" in body
    # nothing to search: the list is there (for app.js) but hidden
    s, body = mail.get("/contact")
    assert re.search(r'<section class="deflect" id="deflect"[^>]* hidden>',
                     body)


def test_suggestion_click_counts_as_a_contact_click(mail):
    sid = "b2" * 16
    s, h, _ = raw(mail, "GET", "/go?a=reset-password&p=1&src=contact&"
                  "q=reset%20password", headers={"Cookie": "hdx_sid=" + sid})
    assert s == 302
    assert h["location"] == "/a/reset-password?q=reset%20password"
    s, _, _ = raw(mail, "GET", h["location"],
                  headers={"Cookie": "hdx_sid=" + sid})
    assert s == 200
    got = wait_rows(mail.path, "session = ? AND kind IN ('click', 'view')",
                    2, (sid,))
    assert [(r["kind"], r["source"], r["article"], r["position"])
            for r in got] == [("click", "contact", "reset-password", 1),
                              ("view", "web", "reset-password", None)]
    # a result link of the search page stays a 'web' click
    raw(mail, "GET", "/go?a=reset-password&p=2",
        headers={"Cookie": "hdx_sid=" + sid})
    got = wait_rows(mail.path, "session = ? AND kind = 'click'", 2, (sid,))
    assert [r["source"] for r in got] == ["contact", "web"]


def test_submit_redirects_to_the_support_url_with_the_fields(url):
    sid = "c3" * 16
    _, token, jar = open_form(url, sid=sid)
    fields = {"csrf": token, "subject": "Sync stuck & slow",
              "description": "It says \"waiting\"\nsince Monday.",
              "q": "sync stuck\nsync waiting",
              "articles": "sync-stuck,reset-password"}
    s, h, _ = post_form(url, fields, jar)
    assert s == 303
    loc = urllib.parse.urlsplit(h["location"])
    assert (loc.scheme, loc.netloc, loc.path) == ("https", "tickets.example",
                                                  "/new")
    got = urllib.parse.parse_qs(loc.query, keep_blank_values=True)
    assert got == {"src": ["kb"], "source": ["help-center"],
                   "subject": ["Sync stuck & slow"],
                   "description": ["It says \"waiting\"\nsince Monday."],
                   "q": ["sync stuck\nsync waiting"],
                   "articles": ["sync-stuck,reset-password"]}
    rows = wait_rows(url.path, "session = ? AND kind = 'escalation'", 1,
                     (sid,))
    assert len(rows) == 1
    assert rows[0]["article"] == "reset-password"   # the last one read
    assert rows[0]["query"] == "sync waiting"       # the newest search


def test_submit_with_a_support_email_gives_a_mailto_link(mail):
    _, token, jar = open_form(mail)
    s, _, text = post_form(mail, {
        "csrf": token, "subject": "Can't sign in",
        "description": "Locked out after 2FA & reset.", "q": "locked out",
        "articles": "account-locked"}, jar)
    assert s == 200
    href = html.unescape(re.search(r'id="contact-mailto" href="([^"]+)"',
                                   text).group(1))
    parts = urllib.parse.urlsplit(href)
    assert parts.scheme == "mailto" and parts.path == "support@skylark.example"
    q = urllib.parse.parse_qs(parts.query)
    assert q["subject"] == ["Can't sign in"]
    assert q["body"] == ["Locked out after 2FA & reset.\n\n---\n"
                         "Searched for: locked out\n"
                         "Articles viewed: account-locked\n"]
    # no '+' for a space: mail programs read mailto: as RFC 6068 does
    assert "+" not in href


def test_csrf_refusals_record_nothing(mail):
    _, token, jar = open_form(mail)
    fields = {"csrf": token, "subject": "csrf probe zqcsrf"}
    other = "hdx_contact=" + "0" * 32
    for headers, cookie in (
            ({}, "hdx_sid=" + "d4" * 16),                  # no cookie
            ({}, other),                                   # wrong token
            ({"Origin": "https://evil.example"}, jar),     # another site
            ({"Sec-Fetch-Site": "cross-site"}, jar)):
        s, _, text = post_form(mail, fields, cookie, headers)
        assert s == 403, (headers, cookie)
        assert "Form refused" in text
    s, _, _ = post_form(mail, {"subject": "no token"}, jar)
    assert s == 403
    s, _, _ = post_form(mail, fields, jar)   # the same form, properly sent
    assert s == 200
    time.sleep(0.5)
    assert count(mail.path, "kind = 'escalation' AND query = ?",
                 ("csrf probe zqcsrf",)) == 1


def test_without_a_support_channel(nochannel):
    text, token, jar = open_form(nochannel)
    assert "Contact your administrator or the team that gave you access " \
           "to Skylark." in text
    assert 'id="c-send"' not in text and 'id="c-find"' in text
    visible = re.sub(r"<[^>]+>", " ", text)
    assert "helpdex" not in visible.lower()
    s, _, out = post_form(nochannel, {"csrf": token, "subject": "zqnone"},
                          jar)
    assert s == 200 and "Contact your administrator" in out
    assert "mailto:" not in out
    time.sleep(0.5)
    assert count(nochannel.path, "kind = 'escalation'") == 0
    # the article page's panel says the same, without a link
    _, body = nochannel.get("/a/reset-password")
    assert 'id="escalate-link"' not in body


def test_deflect_api(mail):
    s, b = mail.get("/api/deflect", {"subject": "reset my password"})
    assert s == 200 and b["read_as"] == "words"
    assert b["hits"][0] == {"id": "reset-password",
                            "title": "Reset your Skylark password",
                            "url": "/a/reset-password"}
    assert len(b["hits"]) <= 5
    s, b = mail.get("/api/deflect", {"subject": "", "description": ""})
    assert (s, b["hits"]) == (200, [])
    s, b = mail.get("/api/deflect")
    assert (s, b["hits"]) == (200, [])


def test_deflect_never_refuses_a_pasted_error(mail):
    for params in ({"subject": "sync fails", "description": PASTED},
                   {"description": PASTED * 4},          # over 8 KiB: cut
                   {"subject": 'title:( "unclosed OR -'},
                   {"subject": "x" * 3000}):
        s, b = mail.get("/api/deflect", params)
        assert s == 200, (params, b)
        assert all(h["url"].startswith("/a/") for h in b["hits"])
    s, b = mail.get("/api/deflect", {"subject": "sync",
                                     "description": PASTED})
    assert b["read_as"] == "pasted"
    assert "sync-stuck" in [h["id"] for h in b["hits"]]
    # not UTF-8 is the one 400
    s, b, _ = mail.request("GET", "/api/deflect?subject=%FF%FE")
    assert s == 400 and b["error"]["code"] == "bad_parameter"
