"""helpdex installed and behind nginx with TLS under /help/ (issue 17,
docs/operations.md "Behind nginx with TLS"): the shipped
dist/nginx/helpdex.conf, a self-signed certificate, the installed server
started from its unit's command line (proxy_stack.py).  From Python: the
pages, API, redirects, cookies and feedback through the proxy, and the
access log's client address taken from nginx's X-Forwarded-For because
the peer 127.0.0.1 is a trusted proxy.  (A forged X-Forwarded-For from an
untrusted peer is ignored: test_observe.py.)  The same stack in Chromium
is tests/browser (run.sh, the "behind nginx" scenarios).

Requests come from 127.0.0.2, a loopback address that is not a trusted
proxy, so the client helpdex logs is the one nginx saw.
"""
import http.client
import json
import os
import re
import sqlite3
import time
import urllib.parse

import pytest

from conftest import AGENT_TOKEN, CORPUS, REPO
from proxy_stack import (NGINX_CONF, OPENSSL_REQ, PREFIX, Stack,
                         have_nginx, https_context, stop_pid)

pytestmark = pytest.mark.skipif(not have_nginx(),
                                reason="nginx or openssl not installed")

CLIENT = "127.0.0.2"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    st = Stack(str(tmp_path_factory.mktemp("proxy-tls")), CORPUS)
    yield st
    assert stop_pid(st.nginx.pid) == 0
    assert stop_pid(st.serve.pid) == 0, open(st.serve_log).read()


def fetch(st, method, path, headers=None, form=None):
    """One HTTPS request through nginx from CLIENT; (status, headers,
    body text, Set-Cookie list).  Redirects are not followed."""
    c = http.client.HTTPSConnection("127.0.0.1", st.port, timeout=30,
                                    context=https_context(),
                                    source_address=(CLIENT, 0))
    h = dict(headers or {})
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        h["Content-Type"] = "application/x-www-form-urlencoded"
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    text = r.read().decode("utf-8", "replace")
    cookies = r.headers.get_all("Set-Cookie") or []
    c.close()
    return r.status, r.headers, text, cookies


def log_entry(st, headers):
    """The access log line of the answer with these headers: nginx sets
    the request id (X-Request-Id $request_id), helpdex sends it back."""
    request_id = headers["X-Request-Id"]
    deadline = time.monotonic() + 5  # written once the answer is sent
    while time.monotonic() < deadline:
        for line in st.serve_log_lines():
            if line.startswith("{") and '"%s"' % request_id in line:
                return json.loads(line)
        time.sleep(0.02)
    raise AssertionError("no log line with id %s" % request_id)


def test_the_documented_nginx_config_is_the_shipped_file():
    with open(NGINX_CONF) as f:
        shipped = f.read()
    with open(os.path.join(REPO, "docs", "operations.md")) as f:
        doc = f.read()
    assert "```nginx\n" + shipped + "```" in doc
    assert "$ %s 2>/dev/null\n" % OPENSSL_REQ in doc  # the test's own


def test_pages_assets_and_api_through_the_proxy(stack):
    st, h, home, _ = fetch(stack, "GET", PREFIX + "/")
    assert st == 200 and h["Content-Type"].startswith("text/html")
    css = re.search(r'href="(/help/assets/style\.[0-9a-f]{16}\.css)"', home)
    assert css, home[:500]
    st, h, body, _ = fetch(stack, "GET", css.group(1))
    assert st == 200 and h["Content-Type"].startswith("text/css")
    with open(os.path.join(REPO, "web", "style.css")) as f:
        assert body == f.read()
    st, h, body, _ = fetch(stack, "GET", PREFIX + "/api/search?q=password")
    assert st == 200 and "json" in h["Content-Type"]
    hits = json.loads(body)["hits"]
    assert hits[0]["url"].startswith(PREFIX + "/a/")
    st, _, page, _ = fetch(stack, "GET", hits[0]["url"].split("#")[0])
    assert st == 200
    assert ('<link rel="canonical" href="%s/a/' % stack.url) in page
    st, _, _, _ = fetch(stack, "GET", "/search")  # outside: not proxied
    assert st == 404
    st, h, _, _ = fetch(stack, "GET", PREFIX)
    assert st == 301 and h["Location"].endswith(PREFIX + "/")


def test_sitemap_and_robots_name_the_public_https_url(stack):
    _, _, robots, _ = fetch(stack, "GET", PREFIX + "/robots.txt")
    assert "Sitemap: %s/sitemap.xml" % stack.url in robots
    _, _, xml, _ = fetch(stack, "GET", PREFIX + "/sitemap.xml")
    locs = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert locs and all(u.startswith(stack.url + "/a/") for u in locs)


def test_log_names_the_client_nginx_saw(stack):
    st, h, _, _ = fetch(stack, "GET", PREFIX + "/api/search?q=sync")
    assert st == 200
    e = log_entry(stack, h)
    assert e["client"] == CLIENT and e["route"] == "search"
    # Whatever a client writes to the left is not believed: the
    # rightmost address that is not a trusted proxy is nginx's peer.
    _, h, _, _ = fetch(stack, "GET", PREFIX + "/healthz",
                       headers={"X-Forwarded-For": "203.0.113.66"})
    assert log_entry(stack, h)["client"] == CLIENT


def test_agent_sign_in_cookie_is_secure_under_the_prefix(stack):
    st, _, form, sc = fetch(stack, "GET", PREFIX + "/signin")
    assert st == 200 and 'action="/help/signin"' in form
    csrf = re.search(r"hdx_signin=([0-9a-f]+)", sc[0]).group(1)
    assert "Path=/help;" in sc[0] and "Secure" in sc[0], sc
    origin = "https://127.0.0.1:%d" % stack.port
    st, h, _, sc = fetch(
        stack, "POST", PREFIX + "/signin",
        headers={"Cookie": "hdx_signin=" + csrf, "Origin": origin},
        form={"csrf": csrf, "token": AGENT_TOKEN, "next": "/agent/console"})
    assert st == 303 and h["Location"] == PREFIX + "/agent/console", h
    session = [c for c in sc if c.startswith("hdx_session=")]
    assert session and "Path=/help;" in session[0]
    assert "Secure" in session[0] and "HttpOnly" in session[0]


def test_go_and_feedback_through_the_proxy(stack):
    _, _, body, _ = fetch(stack, "GET", PREFIX + "/api/search?q=password")
    aid = json.loads(body)["hits"][0]["id"]
    st, h, _, _ = fetch(stack, "GET", PREFIX + "/go?a=%s&p=1" % aid)
    assert st == 302 and h["Location"] == PREFIX + "/a/" + aid
    st, h, _, _ = fetch(stack, "POST", PREFIX + "/api/feedback",
                        form={"article": aid, "helpful": "1"})
    assert st == 303 and h["Location"].startswith(PREFIX + "/a/" + aid)
    db = sqlite3.connect(os.path.join(stack.state, "feedback.sqlite"))
    try:
        n = db.execute("SELECT count(*) FROM feedback WHERE article = ?",
                       (aid,)).fetchone()[0]
    finally:
        db.close()
    assert n >= 1
