"""Serving the web well (issue 17): gzip negotiated from Accept-Encoding,
ETag / If-None-Match 304s for assets, pages and (cached) API answers,
fingerprinted asset URLs with a year-long immutable cache, robots.txt, the
sitemap of public published articles (split into parts past the limit,
absolute URLs from --public-url or Host), and the description, canonical
and Open Graph tags of article pages, HTML-escaped.  Real binaries over a
copy of the sample corpus plus a few articles of its own.
"""
import gzip
import html.parser
import http.client
import json
import os
import re
import shutil
import urllib.parse
import xml.etree.ElementTree as ET

import pytest

from conftest import AGENT_TOKEN, CORPUS, REPO, Server, run_indexer, write

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
TITLE = 'Tags <b> & "quotes" in titles'
SUMMARY = 'Why <script> & "quotes" stay text.'
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16
PDF = b"%PDF-1.4\n" + b"0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n" * 100


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("webserve")
    c = tmp / "corpus"
    shutil.copytree(CORPUS, c)
    write(c / "articles" / "ws-escape.md",
          "---\nid: ws-escape\ntitle: '%s'\nsummary: '%s'\n"
          "updated: 2026-03-04\n---\n\n# Escaping\n\nSee the picture:\n\n"
          "![The big picture](files/big.png)\n\n[The manual](files/big.pdf)"
          "\n" % (TITLE, SUMMARY))
    (c / "articles" / "files").mkdir()
    (c / "articles" / "files" / "big.png").write_bytes(PNG)
    (c / "articles" / "files" / "big.pdf").write_bytes(PDF)
    write(c / "articles" / "ws-draft.md",
          "---\nid: ws-draft\ntitle: Draft page\nstatus: draft\n---\n\n"
          "# Draft page\n\nNot yet.\n")
    write(c / "articles" / "ws-agent.md",
          "---\nid: ws-agent\ntitle: Agent page\naudience: agent\n---\n\n"
          "# Agent page\n\nAgents only.\n")
    db = str(tmp / "db")
    run_indexer("--corpus", str(c), "--db", db, "--quiet", check=0)
    return tmp, c, db


def start(corpus, *extra):
    tmp, c, db = corpus
    return Server(db, str(tmp), extra=[
        "--assets", os.path.join(REPO, "web"), "--corpus", str(c), *extra])


@pytest.fixture(scope="module")
def web(corpus):
    s = start(corpus)
    yield s
    log = s.stop()
    assert s.proc.returncode == 0, log  # under ASan: no leak, no error


@pytest.fixture(scope="module")
def web_public(corpus):
    s = start(corpus, "--public-url", "https://help.example.com/kb/",
              "--sitemap-max-urls", "10")
    yield s
    log = s.stop()
    assert s.proc.returncode == 0, log


def raw(server, path, headers=None):
    """Status, lower-cased headers and the body exactly as sent."""
    c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        c.request("GET", path, headers=headers or {})
        r = c.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        c.close()


def public_ids(server):
    """Every public, published article and FAQ, through the search API."""
    ids, page = {}, 1
    while True:
        s, b = server.get("/api/search", {"q": "", "per_page": "50",
                                          "page": str(page),
                                          "type": "article,faq"})
        assert s == 200, b
        if not b["hits"]:
            return ids
        for h in b["hits"]:
            ids[h["id"]] = h.get("updated")
        page += 1


# ---- compression --------------------------------------------------------

TEXT_PATHS = ["/", "/a/reset-password", "/api/search?q=password",
              "/assets/style.css", "/assets/app.js", "/search?q=sync",
              "/sitemap.xml"]


@pytest.mark.parametrize("path", TEXT_PATHS)
def test_gzip_when_accepted_and_same_bytes(web, path):
    s, h, plain = raw(web, path)
    assert s == 200 and "content-encoding" not in h
    assert h["vary"] == "Accept-Encoding"
    s, hz, z = raw(web, path, {"Accept-Encoding": "gzip, deflate, br"})
    assert s == 200 and hz["content-encoding"] == "gzip", hz
    assert hz["vary"] == "Accept-Encoding"
    assert int(hz["content-length"]) == len(z) < len(plain)
    body = gzip.decompress(z)
    if "json" in h["content-type"]:
        a, b = json.loads(plain), json.loads(body)
        a.pop("took_ms"), b.pop("took_ms")
        assert a == b
    else:
        assert body == plain


def test_cached_answer_gzip_is_whole(web):
    """A cache hit's gzip form joins a new head (its own took_ms) to the
    tail compressed when it was stored: it must decompress to the same
    answer as the identity one, hit after hit."""
    path = "/api/search?q=export+data&per_page=20"
    s, h, plain = raw(web, path)
    want = json.loads(plain)
    want.pop("took_ms")
    for _ in range(8):
        s, hz, z = raw(web, path, {"Accept-Encoding": "gzip"})
        assert s == 200 and hz.get("x-cache") == "hit"
        assert hz["content-encoding"] == "gzip"
        got = json.loads(gzip.decompress(z))
        assert isinstance(got.pop("took_ms"), float)
        assert got == want


@pytest.mark.parametrize("ae", [None, "identity", "gzip;q=0",
                                "*;q=0, identity", "deflate, br",
                                "gzip;q=0.5, identity;q=1",
                                "gzip;q=banana"])
def test_no_gzip_unless_accepted(web, ae):
    hdrs = {"Accept-Encoding": ae} if ae is not None else {}
    for path in ("/", "/api/search?q=password", "/assets/style.css"):
        s, h, body = raw(web, path, hdrs)
        assert s == 200 and "content-encoding" not in h, (ae, path)
        assert not body.startswith(b"\x1f\x8b")
        assert h["vary"] == "Accept-Encoding"


@pytest.mark.parametrize("ae", ["x-gzip", "*", "GZIP;Q=0.8", "br;q=1, gzip"
                                ";q=0.5, *;q=0"])
def test_gzip_spellings(web, ae):
    s, h, z = raw(web, "/a/reset-password", {"Accept-Encoding": ae})
    assert h.get("content-encoding") == "gzip", ae
    assert b"Reset your" in gzip.decompress(z)


def test_small_and_compressed_types_are_sent_as_is(web):
    s, h, body = raw(web, "/robots.txt", {"Accept-Encoding": "gzip"})
    assert s == 200 and len(body) < 512 and "content-encoding" not in h
    page = web.get("/a/ws-escape")[1]
    img = re.search(r'<img src="(/media/[^"]+)"', page).group(1)
    pdf = re.search(r'<a href="(/media/[^"]+\.pdf[^"]*)"', page).group(1)
    for url, data in ((img.replace("&amp;", "&"), PNG),
                      (pdf.replace("&amp;", "&"), PDF)):
        s, h, body = raw(web, url, {"Accept-Encoding": "gzip"})
        assert s == 200 and body == data, url
        assert "content-encoding" not in h and "vary" not in h


def test_bad_accept_encoding_never_breaks(web):
    for ae in (",,,", ";;q=", "gzip;q=1.", "q=0.5", "\x7f" * 100,
               "gzip;" + "q=1;" * 500, "*" * 4000):
        s, h, _ = raw(web, "/", {"Accept-Encoding": ae})
        assert s == 200, ae
    assert web.get("/healthz")[0] == 200


# ---- ETag / 304 ---------------------------------------------------------

@pytest.mark.parametrize("path", ["/assets/style.css", "/assets/app.js",
                                  "/a/reset-password",
                                  "/", "/api/search?q=password",
                                  "/api/articles/reset-password",
                                  "/sitemap.xml"])
def test_etag_and_not_modified(web, path):
    s, h, body = raw(web, path)
    tag = h["etag"]
    assert s == 200 and tag.endswith('"')
    s, h2, body2 = raw(web, path, {"If-None-Match": tag})
    assert s == 304 and body2 == b"", path
    assert h2["etag"] == tag
    s, _, _ = raw(web, path, {"If-None-Match": '"not-it", ' + tag})
    assert s == 304
    s, _, again = raw(web, path, {"If-None-Match": '"not-it"'})
    assert s == 200 and again
    # The gzip form has its own tag, and either revalidates either.
    s, hz, _ = raw(web, path, {"Accept-Encoding": "gzip"})
    assert hz["etag"] != tag and hz["etag"].endswith('-gz"')
    s, h3, z = raw(web, path, {"Accept-Encoding": "gzip",
                               "If-None-Match": tag})
    assert s == 304 and z == b"" and h3["etag"] == hz["etag"]
    assert raw(web, path, {"If-None-Match": hz["etag"]})[0] == 304


def test_small_replies_have_etags_too(web):
    s, h, body = raw(web, "/assets/theme.css", {"Accept-Encoding": "gzip"})
    assert s == 200 and len(body) < 512 and "content-encoding" not in h
    s, h2, body = raw(web, "/assets/theme.css", {"If-None-Match": h["etag"]})
    assert s == 304 and body == b"" and h2["etag"] == h["etag"]


def test_cached_search_answer_revalidates(web):
    path = "/api/search?q=two+factor"
    s, h, _ = raw(web, path)
    assert h["etag"].startswith('W/"')       # took_ms differs per answer
    for _ in range(8):                       # cached on every worker
        s, h2, body = raw(web, path, {"If-None-Match": h["etag"]})
        assert s == 304 and body == b""
    s, h3, _ = raw(web, path)
    assert h3.get("x-cache") == "hit" and h3["etag"] == h["etag"]
    other = raw(web, "/api/search?q=password")[1]["etag"]
    assert other != h["etag"]


def test_media_etag_uses_the_same_rule(web):
    page = web.get("/a/ws-escape")[1]
    img = re.search(r'<img src="(/media/[^"]+)"', page).group(1).replace("&amp;",
                                                                    "&")
    s, h, _ = raw(web, img)
    assert s == 200 and h["etag"]
    s, h2, body = raw(web, img, {"If-None-Match": "W/" + h["etag"]})
    assert s == 304 and body == b"" and h2["etag"] == h["etag"]
    assert raw(web, img, {"If-None-Match": '"other"'})[0] == 200


# ---- fingerprinted assets -----------------------------------------------

def test_pages_link_fingerprinted_assets(web):
    page = web.get("/")[1]
    links = re.findall(r'(?:href|src)="(/assets/[^"]+)"', page)
    printed = [u for u in links if re.search(r"\.[0-9a-f]{16}\.", u)]
    names = {re.sub(r"\.[0-9a-f]{16}\.", ".", u) for u in printed}
    assert {"/assets/style.css", "/assets/app.js",
            "/assets/logo.svg"} <= names, links
    for url in printed:
        s, h, body = raw(web, url)
        assert s == 200, url
        assert h["cache-control"] == "public, max-age=31536000, immutable"
        plain = re.sub(r"\.[0-9a-f]{16}\.", ".", url)
        s, hp, same = raw(web, plain)
        assert s == 200 and same == body
        assert hp["cache-control"] == "public, max-age=300"
    # A stale fingerprint still gets the file, but not for a year.
    s, h, _ = raw(web, "/assets/style.0123456789abcdef.css")
    assert s == 200 and h["cache-control"] == "public, max-age=300"
    assert raw(web, "/assets/nothere.0123456789abcdef.css")[0] == 404


def test_edited_asset_gets_a_new_url(corpus, tmp_path):
    assets = tmp_path / "web"
    shutil.copytree(os.path.join(REPO, "web"), assets)
    tmp, c, db = corpus
    s = Server(db, str(tmp_path), extra=["--assets", str(assets)])
    try:
        url = lambda: re.search(r'href="(/assets/style\.[0-9a-f]{16}\.css)"',
                                s.get("/")[1]).group(1)
        before = url()
        with open(assets / "style.css", "a") as f:
            f.write("\n/* edited */\n")
        after = url()
        assert after != before
        assert raw(s, after)[1]["cache-control"].endswith("immutable")
        assert raw(s, before)[1]["cache-control"] == "public, max-age=300"
    finally:
        s.stop()


# ---- robots.txt and sitemaps --------------------------------------------

def test_robots_txt(web, web_public):
    s, h, body = raw(web, "/robots.txt", {"Host": "kb.example.org"})
    text = body.decode()
    assert s == 200 and h["content-type"].startswith("text/plain")
    lines = text.splitlines()
    assert "User-agent: *" in lines and "Disallow: /api/" in lines
    assert "Allow: /" in lines
    assert "Sitemap: http://kb.example.org/sitemap.xml" in lines
    text = raw(web_public, "/robots.txt")[2].decode()
    assert "Sitemap: https://help.example.com/kb/sitemap.xml" in \
        text.splitlines()


def sitemap(server, path, headers=None):
    s, h, body = raw(server, path, headers)
    assert s == 200 and h["content-type"].startswith("application/xml")
    return ET.fromstring(body)


def urls(root):
    return {u.find(NS + "loc").text: (u.find(NS + "lastmod").text
                                      if u.find(NS + "lastmod") is not None
                                      else None)
            for u in root.iter(NS + "url")}


def test_sitemap_lists_exactly_the_public_articles(web):
    root = sitemap(web, "/sitemap.xml", {"Host": "kb.example.org:8443"})
    assert root.tag == NS + "urlset"
    got = urls(root)
    want = public_ids(web)
    assert "ws-escape" in want and "ws-draft" not in want
    expect = {"http://kb.example.org:8443/a/" + urllib.parse.quote(i, "/"):
              u for i, u in want.items()}
    assert got == expect
    assert got["http://kb.example.org:8443/a/ws-escape"] == "2026-03-04"
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", m) for m in got.values()
               if m)
    # An agent's token changes nothing: a sitemap is the public view.
    s, b = web.get("/sitemap.xml", token=AGENT_TOKEN)
    assert "ws-agent" not in b and "ws-draft" not in b
    # A Host that is not a plain host[:port] is not used.
    root = sitemap(web, "/sitemap.xml", {"Host": 'evil"><x'})
    assert all(u.startswith("/a/") for u in urls(root))


def test_sitemap_index_past_the_limit(web_public):
    root = sitemap(web_public, "/sitemap.xml")
    assert root.tag == NS + "sitemapindex"
    locs = [e.find(NS + "loc").text for e in root.iter(NS + "sitemap")]
    want = public_ids(web_public)
    assert len(locs) == (len(want) + 9) // 10
    seen = {}
    for k, loc in enumerate(locs, 1):
        assert loc == "https://help.example.com/kb/sitemap-%d.xml" % k
        part = urls(sitemap(web_public, "/sitemap-%d.xml" % k))
        assert 1 <= len(part) <= 10
        assert not set(part) & set(seen)
        seen.update(part)
    assert seen == {"https://help.example.com/kb/a/" +
                    urllib.parse.quote(i, "/"): u for i, u in want.items()}
    for bad in ("/sitemap-0.xml", "/sitemap-x.xml", "/sitemap--1.xml",
                "/sitemap-99999999999999999999.xml", "/sitemap-.xml"):
        assert raw(web_public, bad)[0] == 404, bad
    s, h, body = raw(web_public, "/sitemap-%d.xml" % (len(locs) + 1))
    assert s == 200 and urls(ET.fromstring(body)) == {}


def test_bad_public_url_is_refused(corpus, tmp_path):
    tmp, c, db = corpus
    with pytest.raises(RuntimeError, match="--public-url"):
        Server(db, str(tmp_path), extra=["--public-url", "ftp://x"])


# ---- description, canonical and Open Graph ------------------------------

class Head(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links = {}, {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta":
            self.meta[a.get("name") or a.get("property")] = a.get("content")
        elif tag == "link":
            self.links[a.get("rel")] = a.get("href")


def head_of(text):
    p = Head()
    p.feed(text.split("</head>")[0])
    return p


def test_article_meta_tags_escaped(web, web_public):
    text = web.get("/a/ws-escape")[1]
    h = head_of(text)
    assert h.meta["description"] == SUMMARY
    assert h.meta["og:description"] == SUMMARY
    assert h.meta["og:title"] == TITLE
    assert h.meta["og:type"] == "article"
    # Escaped in the markup, not just parsed back.
    head = text.split("</head>")[0]
    assert "<b>" not in head and "<script>" not in head
    assert "&lt;script&gt; &amp; &quot;quotes&quot;" in head
    canon = h.links["canonical"]
    assert canon.startswith("http://127.0.0.1:") and \
        canon.endswith("/a/ws-escape")
    assert h.meta["og:url"] == canon
    h = head_of(web_public.get("/a/reset-password")[1])
    assert h.links["canonical"] == "https://help.example.com/kb/a/" \
                                   "reset-password"
    assert h.meta["og:url"] == h.links["canonical"]
    assert h.meta["og:title"] == "Reset your Skylark password"
    # Other pages have no article tags.
    h = head_of(web.get("/")[1])
    assert "og:type" not in h.meta and "canonical" not in h.links
