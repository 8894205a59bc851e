"""The help center pages (/, /search, /a/{id}), assets, branding and the
feedback endpoints, against the real binaries (fixtures in conftest.py).

The pages must work without JavaScript, so everything here is plain HTTP:
the HTML is checked for concrete elements, escaping and headers.
"""
import html
import json
import os
import re
import subprocess
import urllib.error
import urllib.request

import pytest

from conftest import AGENT_TOKEN, INTERNAL_TOKEN, REPO, SERVER, Server

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; "
       "script-src 'self'; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; form-action 'self'")
ASSETS = os.path.join(REPO, "web")


@pytest.fixture(scope="module")
def web(corpus_db, tmp_path_factory):
    """A server with assets, branding and a feedback store."""
    tmp = tmp_path_factory.mktemp("web")
    conf = tmp / "helpcenter.conf"
    conf.write_text("# test branding\n"
                    "product_name = Skylark\n"
                    "primary_color = #0B5CAD\n"
                    "logo = logo.svg\n"
                    "support_email = support@skylark.example\n")
    s = Server(corpus_db, str(tmp), extra=[
        "--assets", ASSETS, "--branding", str(conf),
        "--feedback-db", str(tmp / "feedback.sqlite")])
    s.feedback_db = str(tmp / "feedback.sqlite")
    yield s
    log = s.stop()
    assert s.proc.returncode == 0, log


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def raw(srv, method, path, body=None, headers=None):
    """(status, headers, text) without following redirects."""
    req = urllib.request.Request(srv.base + path, data=body, method=method,
                                 headers=headers or {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def page(srv, path):
    status, headers, text = raw(srv, "GET", path)
    return status, headers, text


def hits(text):
    """Hrefs of the result titles on a search page, in order."""
    return re.findall(r'<li class="hit">\s*<h2><a href="([^"]+)"', text)


def post_json(srv, obj, token=None):
    h = {"Content-Type": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    status, _, text = raw(srv, "POST", "/api/feedback",
                          json.dumps(obj).encode(), h)
    return status, json.loads(text)


# ---- pages ------------------------------------------------------------------

def test_home_has_search_form_products_and_recent(web):
    status, h, text = page(web, "/")
    assert status == 200
    assert h["Content-Type"].startswith("text/html")
    assert '<form class="search search-big" role="search" action="/search" ' \
           'method="get">' in text
    assert '<label for="q"' in text and 'name="q"' in text
    assert 'href="/search?product=web"' in text
    assert "Recently updated" in text
    assert "<title>Skylark Help Center</title>" in text
    # exactly one h1; no inline script or style anywhere
    assert text.count("<h1") == 1
    assert "<script>" not in text and "style=" not in text
    assert "<style" not in text


def test_every_page_has_the_csp(web):
    for path in ("/", "/search?q=sync", "/a/reset-password",
                 "/a/no-such-article", "/assets/style.css",
                 "/assets/theme.css"):
        status, h, _ = page(web, path)
        assert h.get("Content-Security-Policy") == CSP, path


def test_search_lists_reset_password_first(web):
    status, _, text = page(web, "/search?q=reset+password")
    assert status == 200
    found = hits(text)
    assert found and found[0].startswith("/a/reset-password?q=reset%20password")
    assert "<mark>" in text            # highlighted snippet
    assert 'id="result-count"' in text
    assert 'class="facets"' in text


def test_search_works_with_filters_only_and_pages(web):
    status, _, text = page(web, "/search?product=desktop")
    assert status == 200 and len(hits(text)) == 10
    assert 'rel="next" href="/search?product=desktop&amp;page=2"' in text
    status, _, text2 = page(web, "/search?product=desktop&page=2")
    assert status == 200 and hits(text2) and hits(text2) != hits(text)
    status, _, _ = page(web, "/search?q=x&page=abc")
    assert status == 400


def test_facet_link_filters(web):
    _, _, text = page(web, "/search?q=password&product=admin")
    assert 'aria-current="true"' in text
    assert all("Admin" in m for m in
               re.findall(r'<p class="meta">([^<]*)', text.split(
                   'id="results"')[1].split("</ol>")[0]))


def test_script_query_is_escaped(web):
    evil = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>"
    status, _, text = page(web, "/search?q=" + urllib.request.quote(evil))
    assert status == 200
    assert "<script>alert" not in text
    assert "<img src=x" not in text
    assert html.escape(evil, quote=True).replace("&#x27;", "&#39;") in text
    # the support link carries it URL-encoded
    assert "%3Cscript%3E" in text


def test_did_you_mean_and_no_results(web):
    _, _, text = page(web, "/search?q=pasword")
    assert 'id="did-you-mean"' in text and ">password</a>" in text
    _, _, text = page(web, "/search?q=zzqqxx+wwvvyy")
    assert 'id="no-results"' in text
    m = re.search(r'<section class="escalate" id="escalate"[^>]*>', text)
    assert m and "hidden" not in m.group(0)
    # "Contact support" opens the contact page with the query (contact.h)
    assert 'id="escalate-link" href="/contact?q=zzqqxx%20wwvvyy"' in text


def test_article_page(web):
    status, _, text = page(web, "/a/reset-password?q=forgot")
    assert status == 200
    assert "<h1>Reset your Skylark password</h1>" in text
    assert text.count("<h1") == 1          # the Markdown h1 is not repeated
    assert '<time datetime="2026-01-19">19 January 2026</time>' in text
    assert 'aria-labelledby="toc-h"' in text  # >= 4 sections
    assert 'href="#request-a-reset-email"' in text
    assert 'id="request-a-reset-email"' in text
    assert 'class="related"' in text
    assert '<form id="feedback-form" method="post" action="/api/feedback">' \
        in text
    assert '<input type="hidden" name="query" value="forgot">' in text
    # escalation panel present but hidden until "No"
    assert re.search(r'id="escalate"[^>]*hidden', text)
    assert 'href="/contact?q=forgot&amp;articles=reset-password"' in text


def test_internal_article_is_404_for_the_public(web):
    status, h, text = page(web, "/a/internal-escalation-runbook")
    assert status == 404
    assert h["Content-Type"].startswith("text/html")
    assert "Support escalation runbook" not in text
    status, _, _ = page(web, "/a/no-such-article")
    assert status == 404


def test_internal_article_follows_the_callers_level(web):
    s, body = web.get("/a/internal-escalation-runbook", token=INTERNAL_TOKEN)
    assert s == 200 and "Support escalation runbook" in body
    s, _ = web.get("/a/internal-escalation-runbook", token=AGENT_TOKEN)
    assert s == 404


def test_markdown_links_to_md_files_redirect(web):
    status, h, _ = page(web, "/a/sign-in.md")
    assert status == 301 and h["Location"] == "/a/sign-in"


def test_pages_refuse_post(web):
    status, h, _ = raw(web, "POST", "/search", b"", {})
    assert status == 405 and "GET" in h["Allow"]


# ---- assets -----------------------------------------------------------------

@pytest.mark.parametrize("name,ctype", [
    ("app.js", "text/javascript"), ("style.css", "text/css"),
    ("logo.svg", "image/svg+xml")])
def test_assets_are_served_with_their_type(web, name, ctype):
    status, h, _ = page(web, "/assets/" + name)
    assert status == 200 and h["Content-Type"].startswith(ctype)
    assert h["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", [
    "/assets/..%2f..%2fMakefile", "/assets/%2e%2e/server/web.c",
    "/assets/.hidden.css", "/assets/README", "/assets/app.js.bak",
    "/assets/sub/app.js", "/assets/"])
def test_assets_cannot_escape_or_serve_unknown_files(web, path):
    status, _, text = page(web, path)
    assert status == 404, path
    assert "web_route" not in text


def test_theme_css_carries_the_configured_colour(web):
    _, h, text = page(web, "/assets/theme.css")
    assert "--brand: #0b5cad;" in text


def test_page_weight_is_small(web):
    total = 0
    for path in ("/", "/assets/style.css", "/assets/theme.css",
                 "/assets/app.js", "/assets/logo.svg"):
        status, _, text = page(web, path)
        assert status == 200
        total += len(text.encode())
    assert total < 40 * 1024, total


# ---- branding config --------------------------------------------------------

@pytest.mark.parametrize("line,msg", [
    ("primary_color = blue", ":3: primary_color must be #rrggbb"),
    ("primary_color = #12345g", ":3: primary_color must be #rrggbb"),
    ("colour = #123456", ":3: unknown key 'colour'"),
    ("just words", ":3: expected 'key = value'"),
    ("logo = ../etc/passwd.svg", ":3: logo must be an image file name"),
    ("logo = missing.svg", ":3: logo 'missing.svg' not found"),
    ("support_url = javascript:alert(1)", ":3: support_url must be"),
    ("support_email = a@b.c?cc=x", ":3: support_email must be"),
])
def test_bad_config_is_reported_with_file_and_line(corpus_db, tmp_path,
                                                   line, msg):
    conf = tmp_path / "bad.conf"
    conf.write_text("# comment\nproduct_name = X\n%s\n" % line)
    p = subprocess.run([SERVER, "--db", corpus_db, "--port", "0",
                        "--assets", ASSETS, "--branding", str(conf)],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 2, p.stderr
    assert str(conf) + msg in p.stderr, p.stderr


# ---- feedback ---------------------------------------------------------------

def test_feedback_json_then_stats(web):
    s, b = post_json(web, {"article": "reset-password", "helpful": True,
                           "query": "reset password"})
    assert s == 201 and b["ok"] is True
    s, b = post_json(web, {"article": "reset-password", "helpful": False,
                           "comment": "The email never came"})
    assert s == 201
    s, b = post_json(web, {"article": "sync-stuck", "helpful": False})
    assert s == 201
    s, stats = web.get("/api/feedback/stats", token=AGENT_TOKEN)
    assert s == 200
    rows = {r["article"]: r for r in stats["articles"]}
    assert rows["reset-password"]["helpful"] >= 1
    assert rows["reset-password"]["not_helpful"] >= 1
    assert rows["sync-stuck"]["not_helpful"] >= 1
    assert stats["votes"] >= 3


def test_feedback_stats_need_an_agent_token(web):
    s, b = web.get("/api/feedback/stats")
    assert s == 401 and b["error"]["code"] == "unauthorized"


def test_feedback_form_post_redirects_back(web):
    body = b"article=reset-password&helpful=no&query=reset+pw&comment=" \
           b"%3Cb%3Ehi%3C%2Fb%3E"
    status, h, _ = raw(web, "POST", "/api/feedback", body,
                       {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 303
    assert h["Location"] == "/a/reset-password?feedback=no&q=reset%20pw#fb-h"
    assert h["Content-Security-Policy"] == CSP
    # the page it lands on thanks the reader and shows the escalation panel
    _, _, text = page(web, "/a/reset-password?feedback=no&q=reset%20pw")
    assert 'id="feedback-status"' in text and "Thanks" in text
    m = re.search(r'<section class="escalate" id="escalate"[^>]*>', text)
    assert m and "hidden" not in m.group(0)


def test_feedback_on_invisible_or_missing_article_is_404(web):
    s, b = post_json(web, {"article": "internal-escalation-runbook",
                           "helpful": True})
    assert s == 404 and b["error"]["code"] == "not_found"
    s, b = post_json(web, {"article": "no-such-article", "helpful": True})
    assert s == 404
    # an internal caller may vote on it
    s, b = post_json(web, {"article": "internal-escalation-runbook",
                           "helpful": True}, token=INTERNAL_TOKEN)
    assert s == 201


@pytest.mark.parametrize("obj,code", [
    ({"article": "reset-password", "helpful": True, "comment": "x" * 1001},
     400),
    ({"article": "reset-password", "helpful": True, "query": "q" * 501}, 400),
    ({"article": "reset-password"}, 400),
    ({"article": "reset-password", "helpful": "yes"}, 400),
    ({"helpful": True}, 400),
    ([1, 2], 400),
])
def test_feedback_validation(web, obj, code):
    s, b = post_json(web, obj)
    assert s == code and b["error"]["code"] == "bad_parameter", b


def test_feedback_limits_are_inclusive(web):
    s, _ = post_json(web, {"article": "reset-password", "helpful": True,
                           "comment": "c" * 1000, "query": "q" * 500})
    assert s == 201


def test_feedback_other_content_types_and_methods(web):
    status, _, _ = raw(web, "POST", "/api/feedback", b"hi",
                       {"Content-Type": "text/plain"})
    assert status == 415
    status, h, _ = raw(web, "GET", "/api/feedback")
    assert status == 405 and h["Allow"] == "POST"


def test_feedback_rows_hold_only_what_was_typed(web):
    import sqlite3
    post_json(web, {"article": "sign-in", "helpful": False,
                    "comment": "unique-comment-42"})
    con = sqlite3.connect(web.feedback_db)
    try:
        cols = [r[1] for r in con.execute("PRAGMA table_info(feedback)")]
        row = con.execute("SELECT article, helpful, comment, query FROM "
                          "feedback WHERE comment = 'unique-comment-42'"
                          ).fetchone()
        mode = con.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        con.close()
    assert cols == ["id", "article", "helpful", "comment", "query", "created"]
    assert row == ("sign-in", 0, "unique-comment-42", None)
    assert mode == "wal"


def test_feedback_disabled_without_a_store(server):
    s, b, _ = server.request("POST", "/api/feedback",
                             body=json.dumps({"article": "reset-password",
                                              "helpful": True}),
                             headers={"Content-Type": "application/json"})
    assert s == 503
    assert b["error"]["code"] == "feedback_disabled"
    assert "--feedback-db" in b["error"]["message"]


def test_support_url_and_defaults(corpus_db, tmp_path):
    """The contact link is escaped and carries the query and the article
    (the contact page hands them to support_url: test_contact.py); without
    a config file the defaults apply and there is no link."""
    conf = tmp_path / "url.conf"
    conf.write_text('product_name = "Acme & Co"\n'
                    "support_url = https://support.example/new?src=kb\n")
    s = Server(corpus_db, str(tmp_path), extra=[
        "--assets", ASSETS, "--branding", str(conf)])
    try:
        _, _, text = page(s, "/a/reset-password?q=a%26b%22c")
        assert 'href="/contact?q=a%26b%22c&amp;articles=reset-password"' \
            in text
        assert "<title>Reset your Skylark password · Acme &amp; Co Help " \
               "Center</title>" in text
    finally:
        assert s.stop() is not None
    d = Server(corpus_db, str(tmp_path), extra=["--assets", ASSETS])
    try:
        _, _, text = page(d, "/search?q=zzqqxx")
        assert "Contact your administrator" in text
        assert "mailto:" not in text
        _, _, css = page(d, "/assets/theme.css")
        assert "--brand: #1d4ed8;" in css
    finally:
        d.stop()
