"""--base-path /help (docs/operations.md, "Under a path prefix"): every
link, asset, form action, redirect and cookie of the help center is under
the prefix, each link answers, the API works under it, and a path outside
it is a 404 (but /healthz, /readyz and /metrics answer at the root too).

The pages are parsed with html.parser; HTTP goes through test_agents'
Browser (http.client: redirects and Set-Cookie as sent).
"""
import html.parser
import os
import re
import subprocess
import urllib.parse

import pytest

from conftest import AGENT_TOKEN, INTERNAL_TOKEN, REPO, SERVER, Server
from test_agents import Browser

BASE = "/help"


class Links(html.parser.HTMLParser):
    """Every href, src and action of a page."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action") and value is not None:
                self.urls.append((tag, name, value))


def links(text):
    p = Links()
    p.feed(text)
    return p.urls


@pytest.fixture(scope="module")
def prefixed(corpus_db, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("base-path")
    brand = tmp / "branding.conf"
    brand.write_text("product_name = Skylark\n"
                     "support_email = support@skylark.example\n")
    s = Server(corpus_db, str(tmp), extra=[
        "--base-path", BASE, "--assets", os.path.join(REPO, "web"),
        "--branding", str(brand), "--trusted-proxy", "127.0.0.1",
        "--feedback-db", str(tmp / "feedback.sqlite"),
        "--analytics-db", str(tmp / "analytics.sqlite")])
    yield s
    log = s.stop()
    assert s.proc.returncode == 0, log


def internal(s, url):
    """The path of a link to this server, or None for another site."""
    if url.startswith("#") or url.startswith("mailto:"):
        return None
    origin = "http://127.0.0.1:%d" % s.port
    if url.startswith(origin):
        return url[len(origin):]
    assert not re.match(r"[a-z]+:", url), url  # no other site's link
    return url


def test_every_link_of_the_pages_is_under_the_prefix_and_answers(prefixed):
    b = Browser(prefixed, "198.51.100.20")
    st, _, home, _ = b.get(BASE + "/")
    assert st == 200
    cat = next(u for _, _, u in links(home) if "/c/" in u)
    art = next(u for _, _, u in links(home) if "/a/" in u)
    pages = [BASE + "/", cat, art, BASE + "/search?q=password",
             BASE + "/signin", BASE + "/contact"]
    seen, checked = set(), 0
    for page in pages:
        st, _, text, _ = b.get(page)
        assert st == 200, page
        found = links(text)
        assert len(found) > 5, page
        for tag, attr, url in found:
            path = internal(prefixed, url)
            if path is None:
                continue
            assert path == BASE + "/" or path.startswith(BASE + "/"), \
                (page, tag, attr, url)
            if attr == "action" or path in seen:
                continue  # forms are posted below
            seen.add(path)
            st, h, _, _ = b.get(path)
            assert 200 <= st < 400, (page, url, st)
            if 300 <= st < 400:
                assert h["Location"].startswith(BASE + "/"), (url, h)
            checked += 1
    assert checked > 30


def test_admin_and_console_links_are_under_the_prefix(prefixed):
    for path, token in ((BASE + "/admin", INTERNAL_TOKEN),
                        (BASE + "/admin/gaps", INTERNAL_TOKEN),
                        (BASE + "/agent/console", AGENT_TOKEN)):
        st, text, _ = prefixed.request("GET", path, token=token)
        assert st == 200, (path, st)
        found = [u for _, _, u in links(text) if internal(prefixed, u)]
        assert len(found) > 5, path
        bad = [u for u in found if not u.startswith(BASE + "/")]
        assert not bad, (path, bad)


def test_pages_tell_the_script_the_prefix(prefixed):
    st, text = prefixed.get(BASE + "/")
    assert st == 200
    assert '<meta name="hdx-base" content="/help">' in text
    assert 'content="/help/api/events?source=web"' in text


def test_api_under_the_prefix(prefixed):
    st, body = prefixed.get(BASE + "/api/search", {"q": "reset password"})
    assert st == 200 and body["hits"], body
    assert all(h["url"].startswith(BASE + "/a/") for h in body["hits"])
    st, body = prefixed.get(BASE + "/api/suggest", {"q": "pass"})
    assert st == 200
    st, body = prefixed.get(BASE + "/meili/health")
    assert st == 200, body


def test_outside_the_prefix_is_404(prefixed):
    for path in ("/", "/search", "/api/search?q=x", "/a/reset-password",
                 "/assets/theme.css", "/helpx", "/signin", "/robots.txt"):
        st, _ = prefixed.get(path)
        assert st == 404, path
    for path in ("/healthz", "/readyz", BASE + "/healthz"):
        st, _ = prefixed.get(path)
        assert st == 200, path
    st, _ = prefixed.get("/metrics")
    assert st == 401  # there, still internal


def test_redirects_and_cookies_are_under_the_prefix(prefixed):
    b = Browser(prefixed, "198.51.100.21")
    st, body = prefixed.get(BASE + "/api/search", {"q": "reset password"})
    aid = body["hits"][0]["id"]
    st, h, _, sc = b.get(BASE + "/go?a=%s&p=1&q=reset" % aid)
    assert st == 302 and h["Location"].startswith(BASE + "/a/" + aid), h
    assert sc and all("Path=/help;" in c for c in sc), sc
    st, h, _, _ = b.get(BASE + "/agent/console")
    assert st == 303
    assert h["Location"] == BASE + "/signin?next=%2Fagent%2Fconsole"
    st, _, _, sc = b.get(BASE + "/signin")
    assert any(c.startswith("hdx_signin=") and "Path=/help;" in c
               for c in sc), sc
    form = {"csrf": b.cookies["hdx_signin"], "token": AGENT_TOKEN,
            "next": "/agent/console"}
    st, h, _, sc = b.request("POST", BASE + "/signin", form=form)
    assert st == 303 and h["Location"] == BASE + "/agent/console", h
    assert any(c.startswith("hdx_session=") and "Path=/help;" in c
               for c in sc), sc
    st, _, text, _ = b.get(BASE + "/agent/console")
    assert st == 200 and 'action="/help/signout"' in text
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', text).group(1)
    st, h, _, sc = b.request("POST", BASE + "/signout", form={"csrf": csrf})
    assert st == 303 and h["Location"] == BASE + "/signin?out=1", h
    assert any("Path=/help;" in c and "Max-Age=0" in c for c in sc), sc


def test_feedback_form_redirects_under_the_prefix(prefixed):
    st, body = prefixed.get(BASE + "/api/search", {"q": "reset password"})
    aid = body["hits"][0]["id"]
    st, h, _, _ = Browser(prefixed, "198.51.100.22").request(
        "POST", BASE + "/api/feedback", form={"article": aid, "helpful": "1"})
    assert st == 303, h
    assert h["Location"].startswith(BASE + "/a/" + aid + "?feedback=yes")


def test_sitemap_robots_and_canonical_urls_have_the_prefix(prefixed):
    origin = "http://127.0.0.1:%d" % prefixed.port
    st, robots = prefixed.get(BASE + "/robots.txt")
    assert st == 200
    assert "Sitemap: %s/help/sitemap.xml" % origin in robots
    assert "Disallow: /help/api/" in robots
    st, xml = prefixed.get(BASE + "/sitemap.xml")
    locs = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert locs and all(u.startswith(origin + BASE + "/a/") for u in locs)
    st, page = prefixed.get(urllib.parse.urlparse(locs[0]).path)
    assert st == 200
    assert '<link rel="canonical" href="%s">' % locs[0] in page


def test_public_url_must_carry_the_prefix(corpus_db, tmp_path):
    s = Server(corpus_db, str(tmp_path), extra=[
        "--base-path", BASE, "--public-url", "https://kb.example/help/"])
    try:
        st, xml = s.get(BASE + "/sitemap.xml")
        locs = re.findall(r"<loc>([^<]+)</loc>", xml)
        assert locs and locs[0].startswith("https://kb.example/help/a/")
    finally:
        s.stop()
    p = subprocess.run([SERVER, "--db", corpus_db, "--base-path", BASE,
                        "--public-url", "https://kb.example/"],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 2 and "--base-path" in p.stderr, p.stderr


@pytest.mark.parametrize("bad", ["help", "/help/", "/a/../b", "/a?b",
                                 "/a#b", "/a%20b", "//help"])
def test_a_bad_base_path_is_refused_by_name(corpus_db, bad):
    p = subprocess.run([SERVER, "--db", corpus_db, "--base-path", bad],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 2
    assert "--base-path" in p.stderr and bad in p.stderr, p.stderr


def test_base_path_in_the_config_file(corpus_db, tmp_path):
    conf = tmp_path / "helpdex.conf"
    conf.write_text("base-path: /kb\n")
    s = Server(corpus_db, str(tmp_path), extra=["--config", str(conf)])
    try:
        assert s.get("/kb/api/search?q=password")[0] == 200
        assert s.get("/api/search?q=password")[0] == 404
    finally:
        s.stop()
    conf.write_text("base-path: kb\n")
    p = subprocess.run([SERVER, "--db", corpus_db, "--config", str(conf)],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 2
    assert "%s:1: --base-path" % conf in p.stderr, p.stderr


def documented_refusals():
    """(argv, message) of each `$ helpdex-serve --db ... --base-path`
    example of docs/operations.md."""
    with open(os.path.join(REPO, "docs", "operations.md")) as f:
        text = f.read()
    return re.findall(r"^\$ helpdex-serve --db /var/lib/helpdex/index "
                      r"(--base-path .*)\n(helpdex-serve: .*)$", text, re.M)


@pytest.mark.parametrize("args,message", documented_refusals())
def test_documented_refusals_are_the_real_ones(corpus_db, args, message):
    p = subprocess.run([SERVER, "--db", corpus_db, *args.split()],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 2
    assert p.stderr.strip() == message


def test_the_documents_show_refusals():
    assert len(documented_refusals()) == 2
