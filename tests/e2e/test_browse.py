"""Browsing (docs/browsing.md): the category → section → article hierarchy
of tests/fixtures/browse (folders, _category_.json, _index.md, index.md, a
folder's helpdex.yaml, corpus helpdex.yaml, front matter), the writers'
order, breadcrumbs, "more in this section", old URLs (301), clean ids from
slugs, the audience rules of every listing, and the layout rule of the
incremental indexer.  The real binaries, on loopback ports.
"""
import http.client
import os
import re
import shutil

import pytest

from conftest import AGENT_TOKEN, REPO, Server, article, run_indexer, write

FIXTURE = os.path.join(REPO, "tests", "fixtures", "browse")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browse")
    db = str(tmp / "db")
    run_indexer("--corpus", FIXTURE, "--db", db, "--quiet", check=0)
    s = Server(db, str(tmp), extra=["--assets", os.path.join(REPO, "web")])
    yield s
    s.stop()


def raw(server, path, token=None):
    """Status, Location and body of one GET, redirects not followed."""
    c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    c.request("GET", path, headers={"Authorization": "Bearer " + token}
              if token else {})
    r = c.getresponse()
    body = r.read().decode()
    c.close()
    return r.status, r.getheader("Location"), body


def card_titles(html, heading_id):
    part = html.split('id="%s"' % heading_id)[1].split("</ul>")[0]
    return re.findall(r'<span class="card-title">([^<]*)</span>', part)


def crumbs(html):
    nav = html.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
    return re.findall(r'itemprop="name">([^<]*)<', nav)


def list_titles(html):
    part = html.split('<ul class="list">')[1].split("</ul>")[0]
    return re.findall(r'<a href="[^"]*">([^<]*)</a>', part)


def test_fixture_passes_strict_lint():
    p = run_indexer("--corpus", FIXTURE, "--check", "--strict")
    assert p.returncode == 0, p.stdout


def test_home_lists_categories_in_writers_order(site):
    s, _, home = raw(site, "/")
    assert s == 200
    cats = card_titles(home, "categories-h")
    # helpdex.yaml positions 1 and 3, _index.md weight 2, then by name
    assert cats[:3] == ["Getting started", "Billing and payments",
                        "Sharing and guests"], cats
    assert set(cats[3:]) == {"General", "MS Learn", "Team handbook",
                             "Zendesk"}
    assert '<span class="card-title">Billing and payments</span>' \
           '<span class="card-meta">4 articles</span>' in home


def test_category_page_sections_and_own_articles(site):
    s, _, html = raw(site, "/c/getting-started")
    assert s == 200
    # helpdex.yaml's title wins over _category_.json's label
    assert "<h1>Getting started</h1>" in html
    assert "First steps with Skylark." in html      # _category_.json
    assert crumbs(html) == ["Home", "Getting started"]
    assert 'aria-current="page"' in html
    assert card_titles(html, "sections-h") == ["Accounts", "Security"]
    # sidebar_position order; sidebar_label as the listing title
    assert list_titles(html) == ["Welcome", "Install the desktop app"]


def test_section_page_order_and_crumbs(site):
    s, _, html = raw(site, "/c/billing/refunds")
    assert s == 200
    assert "<h1>Refunds and credits</h1>" in html
    assert crumbs(html) == ["Home", "Billing and payments",
                            "Refunds and credits"]
    assert list_titles(html) == ["Request a refund", "Policy"]  # weight
    s, _, html = raw(site, "/c/getting-started/accounts")
    # a deeper folder folds into its section
    assert list_titles(html) == ["Create an account", "Choose an account name"]
    assert "Create and manage your account." in html  # link.description
    s, _, html = raw(site, "/c/billing/invoices")
    assert "<h1>Invoices</h1>" in html                  # index.md title
    assert set(list_titles(html)) == {"Invoices", "VAT on invoices"}


def test_article_breadcrumbs_and_more_in_section(site):
    s, _, html = raw(site, "/a/billing/refunds/request-refund")
    assert s == 200
    assert crumbs(html) == ["Home", "Billing and payments",
                            "Refunds and credits", "Request a refund"]
    more = html.split('class="more"')[1].split("</nav>")[0]
    assert "More in Refunds and credits" in more
    assert 'href="/a/billing/refunds/refund-policy"' in more
    assert "request-refund" not in more
    # front matter category and section
    s, _, html = raw(site, "/a/zendesk/two-step")
    assert crumbs(html) == ["Home", "Getting started", "Security",
                            "Two-step sign-in"]


def test_mkdocs_nav_orders_its_pages(site):
    s, _, html = raw(site, "/c/handbook")
    assert s == 200 and "<h1>Team handbook</h1>" in html   # index.md
    assert "How the support team works." in html
    # mkdocs.yml nav: Home, Holidays, Expenses (not by title)
    assert list_titles(html) == ["Team handbook", "Book holidays",
                                 "Claim expenses"]


def test_slug_gives_a_clean_id(site):
    s, _, html = raw(site, "/a/sharing/guests")
    assert s == 200 and "Invite guests" in html
    s, _, html = raw(site, "/a/start/install")
    assert s == 200
    s, _, html = raw(site, "/c/getting-started")
    assert 'href="/a/start/install"' in html and "/a//" not in html
    s, _, b = raw(site, "/api/articles/sharing/guests")
    assert s == 200 and '"id": "sharing/guests"' in b.replace('":"', '": "')


@pytest.mark.parametrize("old,new", [
    ("/old/refunds/", "/a/billing/refunds/refund-policy"),
    ("/old/refunds", "/a/billing/refunds/refund-policy"),
    ("/kb/refund-policy.html", "/a/billing/refunds/refund-policy"),
    ("/kb/vat.html", "/a/billing/invoices/vat"),
    ("/billing/vat-old/", "/a/billing/invoices/vat"),
    ("/hc/en-us/articles/360001-Reset-your-password",
     "/a/zendesk/password-reset"),
    ("/a/kb/vat.html", "/a/billing/invoices/vat"),
])
def test_old_urls_redirect(site, old, new):
    s, loc, _ = raw(site, old)
    assert (s, loc) == (301, new)


def test_unknown_path_is_still_a_404(site):
    s, loc, body = raw(site, "/no/such/page")
    assert s == 404 and loc is None
    assert "no such endpoint: /no/such/page" in body
    assert raw(site, "/c/nowhere")[0] == 404
    assert raw(site, "/c/billing/nowhere")[0] == 404
    assert raw(site, "/c/a/b/c")[0] == 404


def test_agent_only_section(site):
    """billing/agent-tools holds only agent articles: the public never
    sees it (page, card, count, old URL); an agent does."""
    _, _, pub = raw(site, "/c/billing")
    assert "Agent billing tools" not in pub
    assert card_titles(pub, "sections-h") == ["Invoices",
                                              "Refunds and credits"]
    _, _, home = raw(site, "/")
    assert '<span class="card-meta">4 articles</span>' in home
    assert raw(site, "/c/billing/agent-tools")[0] == 404
    assert raw(site, "/old/agent-exceptions")[0] == 404
    for path in ("/", "/c/billing", "/a/billing/refunds/refund-policy",
                 "/search?q=refund"):
        assert "agent-tools" not in raw(site, path)[2], path
    s, _, ag = raw(site, "/c/billing", AGENT_TOKEN)
    assert card_titles(ag, "sections-h") == [
        "Agent billing tools", "Invoices", "Refunds and credits"]
    _, _, home = raw(site, "/", AGENT_TOKEN)
    assert '<span class="card-title">Billing and payments</span>' \
           '<span class="card-meta">6 articles</span>' in home
    s, _, html = raw(site, "/c/billing/agent-tools", AGENT_TOKEN)
    assert s == 200 and "Overrides only agents may apply." in html
    s, _, html = raw(site, "/a/billing/agent-tools/credit-override",
                     AGENT_TOKEN)
    assert crumbs(html)[2] == "Agent billing tools"
    assert "Refund exceptions" in html.split('class="more"')[1]
    s, loc, _ = raw(site, "/old/agent-exceptions", AGENT_TOKEN)
    assert (s, loc) == (301, "/a/billing/agent-tools/refund-exceptions")


def test_categories_api(site):
    s, b = site.get("/api/categories")
    assert s == 200
    cats = b["categories"]
    assert [c["key"] for c in cats][:3] == ["getting-started", "billing",
                                            "sharing"]
    billing = cats[1]
    assert billing["name"] == "Billing and payments"
    assert billing["count"] == 4 and billing["articles"] == 0
    assert billing["url"] == "/c/billing"
    assert billing["description"] == "Plans, invoices and refunds."
    assert [(x["key"], x["count"]) for x in billing["sections"]] == [
        ("billing/invoices", 2), ("billing/refunds", 2)]
    s, b = site.get("/api/categories", token=AGENT_TOKEN)
    billing = [c for c in b["categories"] if c["key"] == "billing"][0]
    assert billing["count"] == 6
    assert billing["sections"][0]["name"] == "Agent billing tools"


def test_product_names_from_helpdex_yaml(site):
    s, _, html = raw(site, "/")
    assert "Windows Server" in html
    assert "Windows-server" not in html


def test_category_query_field(site):
    s, _, b = raw(site, "/api/search?q=category:billing")
    assert s == 200 and "refund-policy" in b and "guests" not in b


def test_moving_a_folder_replaces_every_article(tmp_path):
    """The places depend on the whole folder tree: when it changes the run
    re-indexes everything, so no article keeps a stale place."""
    c = tmp_path / "c"
    write(c / "docs" / "billing" / "a.md", article("a", "Alpha", "Words."))
    write(c / "docs" / "billing" / "refunds" / "b.md",
          article("b", "Beta", "Words."))
    db = str(tmp_path / "db")
    run_indexer("--corpus", str(c), "--db", db, "--quiet", check=0)
    s = Server(db, str(tmp_path))
    try:
        assert raw(s, "/c/billing/refunds")[0] == 200
        write(c / "docs" / "sharing" / "x.md", article("x", "X", "Words."))
        p = run_indexer("--corpus", str(c), "--db", db, check=0)
        assert "indexed 3" in p.stdout, p.stdout
        # docs/ is no longer a wrapper of one folder, but still the root's
        # only folder: categories stay billing and sharing
        assert raw(s, "/c/billing/refunds")[0] == 200
        assert raw(s, "/c/sharing")[0] == 200
        shutil.rmtree(c / "docs" / "sharing")
        p = run_indexer("--corpus", str(c), "--db", db, check=0)
        assert raw(s, "/c/billing/refunds")[0] == 200
    finally:
        s.stop()


def test_bad_helpdex_yaml_names_file_and_line(tmp_path):
    c = tmp_path / "c"
    write(c / "a" / "x.md", article("x", "X", "Words."))
    write(c / "b" / "y.md", article("y", "Y", "Words."))
    write(c / "helpdex.yaml", "products:\n  web: Web\ncategories: [a\n")
    p = run_indexer("--corpus", str(c), "--check")
    assert p.returncode == 1
    assert re.search(r"^helpdex.yaml:3:\d+: error: invalid YAML: .*\[browse\]$",
                     p.stdout, re.M), p.stdout
    # indexing goes on: one broken writers' file stops nothing
    p = run_indexer("--corpus", str(c), "--db", str(tmp_path / "db"),
                    check=0)
    assert "helpdex.yaml:3: error: invalid YAML" in p.stderr
    assert "indexed 2" in p.stdout
