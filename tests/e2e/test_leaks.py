"""Audience safety: nothing above the caller's level reaches the caller.

Unique secret words are planted at each level - an internal incident, an
agent article, agent notes inside a public article, a draft, an internal
section inside an agent article - and every endpoint and parameter is tried
as each lower level.  Every response body, whole, must not contain the
secret, and a query for a secret must answer exactly as a query for a word
that exists nowhere.  The probes cover every route of the server's table
(helpdex-serve --print-routes): a new route without a probe fails
test_every_route_is_probed.  Hidden ids must not leak either: not through
feedback stats, body links, or a response cached from an index that was
deleted and built again.
"""
import http.client
import json
import os
import shutil
import subprocess
import urllib.parse
import xml.etree.ElementTree as ET

import pytest

from conftest import (AGENT_TOKEN, CORPUS, INTERNAL_TOKEN, REPO, SERVER,
                      Server, article, run_indexer, write)

S_INTERNAL = "zanzibarquokka"        # corpus/incidents/INC-2086.md (internal)
S_AGENT = "marmaladevortex"          # corpus/articles/agent-identity-verification.md
S_NOTE = "quillfeatherzephyr"        # agent notes inside a public article
S_DRAFT = "draftonlywombat"          # a public draft
S_DEEP = "obsidianpelicanfjord"      # internal section inside an agent article
S_TYPO = "tangerinecormorant"        # behind a mistyped {audience=agnet}

LEVELS = {None: 0, AGENT_TOKEN: 1, INTERNAL_TOKEN: 2}
SECRETS = {S_INTERNAL: 2, S_AGENT: 1, S_NOTE: 1, S_DRAFT: 1, S_DEEP: 2}
IDS = {S_INTERNAL: "INC-2086", S_AGENT: "agent-identity-verification",
       S_DRAFT: "leak-draft", S_DEEP: None, S_NOTE: None}
# Ids linked from the public article leak-links.
LINK_INTERNAL = "INC-2086"
LINK_AGENT = "agent-identity-verification"
LINK_AGENT_AUTO = "leak-agent-deep"
LINK_MISSING = "leak-nowhere-article"
# An agent-only section (its name is the secret) in a public category, and
# an old URL of an agent article.
S_SECTION = "Quartzheron procedures"
SECTION_URL = "/c/billing-and-plans/quartzheron-procedures"
AGENT_ALIAS = "/old/leak-agent-guide/"


@pytest.fixture(scope="module")
def leak_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("leaks")
    corpus = tmp / "corpus"
    shutil.copytree(CORPUS, corpus)
    write(corpus / "articles" / "leak-public.md", article(
        "leak-public", "Moving a shared folder between workspaces",
        "Public text about moving folders between workspaces.\n\n"
        "## Steps\n\nOpen the folder menu and choose Move.\n\n"
        "## Agent notes {audience=agent}\n\n"
        "Check the back office flag %s before moving.\n\n"
        "### Escalation\n\nStill agent only: folder move stuck.\n\n"
        "## After moving\n\nShare links keep working." % S_NOTE,
        product="web", tags="[sharing, folders]"))
    write(corpus / "articles" / "leak-draft.md", article(
        "leak-draft", "Upcoming wombat folder feature",
        "Unreleased: %s explains the new folder feature." % S_DRAFT,
        status="draft", product="web"))
    write(corpus / "articles" / "leak-agent-deep.md", article(
        "leak-agent-deep", "Agent guide to folder moves",
        "Agents: folder moves explained.\n\n"
        "## Engineering detail {audience=internal}\n\n"
        "Shard key %s is internal only, see [the key file]"
        "(leak-secret.txt).\n" % S_DEEP,
        audience="agent", product="web"))
    # Body links from a public article to an internal incident, an agent
    # article (twice: a link and an autolink) and an article that does
    # not exist.
    # A file referenced only from that internal section (GET /media/).
    write(corpus / "articles" / "leak-secret.txt", "Key %s\n" % S_DEEP)
    write(corpus / "articles" / "leak-links.md", article(
        "leak-links", "Folder links for everyone",
        "Read [the runbook](kb:%s) and [the guide](/a/%s#steps), "
        "see <kb:%s>, and [the missing one](kb:%s)."
        % (LINK_INTERNAL, LINK_AGENT, LINK_AGENT_AUTO, LINK_MISSING),
        product="web"))
    for n in (1, 2):
        write(corpus / "articles" / ("leak-section-%d.md" % n), article(
            "leak-section-%d" % n, "Folder audit step %d" % n,
            "Agents audit folders, step %d." % n, audience="agent",
            category="Billing and plans", section=S_SECTION))
    write(corpus / "articles" / "leak-agent-guide.md", article(
        "leak-agent-guide", "Agent folder guide", "Agents only.",
        audience="agent", category="Support desk",
        aliases="[%s]" % AGENT_ALIAS))
    write(corpus / "articles" / "leak-typo-marker.md", article(
        "leak-typo-marker", "Folder colours",
        "Pick a colour for a folder.\n\n"
        "## Notes {audience=agnet}\n\nInternal code %s.\n" % S_TYPO))
    db = str(tmp / "db")
    p = run_indexer("--corpus", str(corpus), "--db", db, "--quiet", check=1)
    # The mistyped marker refuses the file instead of publishing its notes.
    assert p.stderr.startswith("articles/leak-typo-marker.md:")
    assert "audience=" in p.stderr
    s = Server(db, str(tmp), extra=[
        "--feedback-db", str(tmp / "feedback.sqlite"),
        "--analytics-db", str(tmp / "analytics.sqlite"),
        "--assets", os.path.join(REPO, "web"), "--corpus", str(corpus)])
    yield s
    s.stop()


def lower_levels(secret):
    return [tok for tok, lvl in LEVELS.items() if lvl < SECRETS[secret]]


def visible_levels(secret):
    return [tok for tok, lvl in LEVELS.items() if lvl >= SECRETS[secret]]


def body_of(server, method, path, params=None, token=None, body=None,
            headers=None):
    """Status, body, and the body as text without the fields that only echo
    the caller's own input back (the query, the pasted words)."""
    s, b, _ = server.request(method, path, params, token, body, headers)
    if isinstance(b, dict):
        scrubbed = {k: v for k, v in b.items() if k not in ("query", "terms")}
        return s, b, json.dumps(scrubbed)
    return s, b, b


def probes(secret):
    """Every request a caller could make about `secret`: every route of
    the table (test_every_route_is_probed checks that)."""
    typo = secret[:-2] + secret[-1]      # one letter dropped
    prefix = secret[:6]
    # Pages echo their query, so they get queries that are not the secret
    # but would bring it up (spelling, prefix) if it were visible.
    yield "GET", "/search", {"q": typo}
    yield "GET", "/search", {"q": prefix + "*"}
    yield "GET", "/", None
    yield "GET", "/api/categories", None
    yield "GET", "/c/billing-and-plans", None
    yield "GET", SECTION_URL, None
    yield "GET", "/c/support-desk", None
    yield "GET", AGENT_ALIAS, None
    yield "GET", "/a/leak-public", None
    yield "GET", "/a/leak-links", None
    yield "GET", "/assets/theme.css", None
    yield "GET", "/assets/app.js", None
    yield "GET", "/api/feedback/stats", None
    yield "POST", "/api/feedback", None
    yield "POST", "/api/events", None
    yield "GET", "/go", {"a": "leak-public", "p": "1", "q": typo}
    yield "GET", "/go", {"a": "leak-public", "p": "1", "src": "contact"}
    # The contact page echoes its fields; /api/deflect does not.
    yield "GET", "/contact", {"subject": typo, "description": "folder"}
    yield "POST", "/contact", None
    yield "GET", "/api/deflect", {"subject": secret}
    yield "GET", "/api/deflect", {"subject": "folder move",
                                  "description": secret}
    yield "GET", "/api/deflect", {"subject": "folder", "description":
                                  ("Error %s while moving the folder\n"
                                   % secret) * 12}
    yield "GET", "/api/search", {"q": secret}
    yield "GET", "/api/search", {"q": typo}
    yield "GET", "/api/search", {"q": prefix + "*"}
    yield "GET", "/api/search", {"q": '"%s"' % secret}
    yield "GET", "/api/search", {"q": "folder " + secret, "facets": "1"}
    yield "GET", "/api/search", {"q": secret, "sort": "updated"}
    yield "GET", "/api/search", {"q": "title:" + secret}
    yield "GET", "/api/search", {"q": secret, "drafts": "1"}
    yield "GET", "/api/search", {"q": secret, "product": "web",
                                 "tag": "folders", "type": "article"}
    yield "GET", "/api/search", {"q": "folder", "per_page": "50",
                                 "facets": "1"}
    yield "GET", "/api/suggest", {"q": prefix}
    yield "GET", "/api/suggest", {"q": "folder " + prefix}
    yield "GET", "/api/articles/leak-public", None
    yield "GET", "/api/articles/leak-public/related", {"limit": "20"}
    yield "GET", "/api/articles/reset-password/related", {"limit": "20"}
    yield "GET", "/healthz", None
    yield "GET", "/robots.txt", None
    yield "GET", "/sitemap.xml", None
    yield "GET", "/sitemap-1.xml", None
    yield "GET", "/readyz", None
    # Internal only: every lower level gets 401/403 (test below).
    yield "GET", "/metrics", None
    for path in ("/admin", "/admin/articles", "/admin/gaps",
                 "/admin/export.csv"):
        yield "GET", path, {"audience": "all"}
    # A file is served only as part of an article the caller may see.
    yield "GET", "/media/articles/leak-secret.txt", {"a": "leak-agent-deep"}
    yield "GET", "/media/articles/leak-secret.txt", {"a": "leak-public"}
    if IDS[secret]:
        yield "GET", "/api/articles/" + IDS[secret], None
        yield "GET", "/api/articles/%s/related" % IDS[secret], None
        yield "GET", "/a/" + IDS[secret], None
        yield "GET", "/go", {"a": IDS[secret], "p": "1"}
    # The agents' pages (docs/agents.md): sign-in, sign-out, the console
    # (its paste is echoed, so it posts words that would bring it up).
    yield "GET", "/signin", None
    yield "POST", "/signin", None
    yield "POST", "/signout", None
    yield "GET", "/agent/console", None
    yield "POST", "/agent/console", None
    yield "GET", "/api/known-issues", {"q": secret}
    yield "POST", "/api/known-issues", {"limit": "20"}
    yield "GET", "/api/incidents/INC-2086", None
    # The Meilisearch-compatible API (docs/meilisearch.md): hits,
    # _formatted, crops of the body text, match positions, facet counts
    # and totals, in every index, one search and several at once.
    for uid in ("all", "articles", "faq", "incidents"):
        yield "GET", "/meili/indexes/%s/search" % uid, MEILI_ALL
        yield "GET", "/meili/indexes/%s/search" % uid, dict(
            MEILI_ALL, q=secret, attributesToCrop="content")
    yield "GET", "/meili/indexes/all/search", {"q": typo, "facets": "*"}
    yield "GET", "/meili/indexes/all/search", {"q": prefix + "*"}
    yield "GET", "/meili/indexes/all/search", {
        "q": "folder " + secret, "matchingStrategy": "all",
        "hitsPerPage": "50", "page": "1", "facets": "*"}
    yield "GET", "/meili/indexes/all/search", {
        "q": secret, "filter": "product = web AND type IN [article, faq]",
        "sort": "updated:desc"}
    yield "POST", "/meili/multi-search", None
    yield "POST", "/meili/indexes/all/facet-search", None
    yield "GET", "/meili/indexes", None
    yield "GET", "/meili/health", None


# Everything a Meilisearch search can show: all documents of an index,
# their body text, highlights, positions and every facet.
MEILI_ALL = {"q": "", "limit": "1000", "facets": "*",
             "attributesToRetrieve": "*,content",
             "attributesToHighlight": "*", "showMatchesPosition": "true"}


JSON = {"Content-Type": "application/json"}


def post_body(path, secret):
    if path == "/api/feedback":
        return json.dumps({"article": "leak-public", "helpful": False,
                           "comment": "about " + secret})
    if path == "/api/events":
        return json.dumps({"events": [{
            "eventType": "click", "eventName": "leak probe",
            "objectIDs": ["leak-public"], "positions": [1],
            "query": secret}]})
    if path == "/agent/console":
        return "text=error+while+syncing+folder"
    if path == "/api/known-issues":
        return json.dumps({"text": "error while syncing " + secret})
    typo = secret[:-2] + secret[-1]
    if path == "/meili/multi-search":
        return json.dumps({"queries": [
            {"indexUid": "all", "q": typo, "facets": ["*"]},
            {"indexUid": "incidents", "q": "", "limit": 1000,
             "attributesToRetrieve": ["*", "content"],
             "attributesToCrop": ["content"], "facets": ["*"]}]})
    if path == "/meili/indexes/all/facet-search":
        return json.dumps({"facetName": "tags", "facetQuery": "",
                           "q": "folder"})
    return None


def route_table():
    """(name, kind, prefix, suffix) per route, as the server prints it."""
    out = subprocess.run([SERVER, "--print-routes"], capture_output=True,
                         text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        name, _, kind, pattern = line.split("\t")[:4]
        prefix, _, suffix = pattern.partition("{id}")
        rows.append((name, kind, prefix, suffix))
    return rows


def route_of(table, path):
    """The name of the route `path` hits: server/routes.c's matcher."""
    for name, kind, prefix, suffix in table:
        if kind == "exact":
            if path == prefix:
                return name
            continue
        if not path.startswith(prefix):
            continue
        rest = path[len(prefix):]
        if suffix:
            if len(rest) <= len(suffix) or not rest.endswith(suffix):
                continue
            rest = rest[:-len(suffix)]
        if kind == "rest" or rest:
            return name
    return None


def test_every_route_is_probed():
    table = route_table()
    assert len(table) >= 14, table
    probed = {route_of(table, path) for secret in SECRETS
              for _, path, _ in probes(secret)}
    missing = [name for name, _, _, _ in table if name not in probed]
    assert not missing, "routes without a leak probe: %s" % missing


@pytest.mark.parametrize("secret", sorted(SECRETS))
def test_secret_never_reaches_lower_levels(leak_server, secret):
    for token in lower_levels(secret):
        for method, path, params in probes(secret):
            s, b, text = body_of(leak_server, method, path, params, token,
                                 body=post_body(path, secret),
                                 headers=JSON)
            assert secret not in text, (token and "agent", method, path,
                                        params, text[:500])
            assert s in (200, 201, 401, 403, 404), (path, s)


HIDDEN_FOLDER_IDS = {"leak-agent-deep", "leak-agent-guide", "leak-draft",
                     "leak-section-1", "leak-section-2"}


def test_deflect_suggests_only_what_the_caller_may_see(leak_server):
    """The contact form's suggestions (GET /api/deflect), typed or pasted,
    hold no agent article or draft for a customer; an agent token does
    see agent articles, so the filter is what keeps them out."""
    pasted = "Error: folder move failed (agents audit folders)\n" * 10
    seen = set()
    for params in ({"subject": "agent folder guide"},
                   {"subject": "folders", "description": pasted}):
        s, b, _ = leak_server.request("GET", "/api/deflect", params)
        assert s == 200, b
        ids = {h["id"] for h in b["hits"]}
        assert not ids & HIDDEN_FOLDER_IDS, ids
        seen |= ids
        s, b, _ = leak_server.request("GET", "/api/deflect", params,
                                      AGENT_TOKEN)
        assert s == 200, b
        seen |= {h["id"] for h in b["hits"]} & HIDDEN_FOLDER_IDS
    assert "leak-agent-guide" in seen


def test_metrics_refuse_public_and_agent_callers(leak_server):
    s, b = leak_server.get("/metrics")
    assert s == 401 and b["error"]["code"] == "unauthorized"
    s, b = leak_server.get("/metrics", token=AGENT_TOKEN)
    assert s == 403 and b["error"]["code"] == "forbidden"
    s, b = leak_server.get("/metrics", token=INTERNAL_TOKEN)
    assert s == 200 and "helpdex_http_requests_total" in b


def test_readyz_gives_no_document_counts(leak_server):
    for token in LEVELS:
        s, b = leak_server.get("/readyz", token=token)
        assert s == 200 and "documents" not in b, (token, b)


@pytest.mark.parametrize("secret", sorted(SECRETS))
def test_secret_query_looks_like_a_missing_word(leak_server, secret):
    for token in lower_levels(secret):
        a = leak_server.search(secret, token)
        b = leak_server.search("qqqnonexistentqqq", token)
        for r in (a, b):
            r.pop("query")
            r.pop("took_ms")
        a.pop("did_you_mean", None)
        b.pop("did_you_mean", None)
        assert a == b


def meili_search(server, q, token, uid="all"):
    params = {"q": q, "facets": "*", "attributesToHighlight": "*",
              "showMatchesPosition": "true", "hitsPerPage": "20"}
    s, b, _ = server.request("GET", "/meili/indexes/%s/search" % uid,
                             params, token)
    assert s == 200, b
    b.pop("query")
    b.pop("processingTimeMs")
    return b


@pytest.mark.parametrize("secret", sorted(SECRETS))
def test_meili_secret_query_looks_like_a_missing_word(leak_server, secret):
    """The Meilisearch API too: same hits, totals and facet counts."""
    for token in lower_levels(secret):
        for uid in ("all", "incidents"):
            a = meili_search(leak_server, secret, token, uid)
            b = meili_search(leak_server, "qqqnonexistentqqq", token, uid)
            assert a == b and a["totalHits"] == 0, (token, uid, a)


@pytest.mark.parametrize("secret", sorted(set(SECRETS) - {S_DRAFT}))
def test_meili_secret_is_found_at_its_level(leak_server, secret):
    """Drafts aside (the Meilisearch API never shows them), each secret is
    found there at its level, in hits and facet counts."""
    for token in visible_levels(secret):
        b = meili_search(leak_server, secret, token)
        assert b["totalHits"] >= 1, (secret, token)
        assert sum(b["facetDistribution"]["type"].values()) == b["totalHits"]


def test_meili_counts_grow_with_the_level(leak_server):
    totals = [meili_search(leak_server, "", tok)["totalHits"]
              for tok in LEVELS]
    assert totals[0] < totals[1] < totals[2], totals


@pytest.mark.parametrize("secret", sorted(SECRETS))
def test_secret_is_found_at_its_level(leak_server, secret):
    """The secrets are really there: the tests above are not vacuous."""
    for token in visible_levels(secret):
        params = {"drafts": "1"} if secret == S_DRAFT else {}
        r = leak_server.search(secret, token, **params)
        assert r["total"] >= 1, (secret, token)


def test_mistyped_marker_publishes_nothing(leak_server):
    for token in LEVELS:
        assert leak_server.search(S_TYPO, token)["total"] == 0
        assert leak_server.search("folder colours", token)["total"] == 0 or \
            "leak-typo-marker" not in leak_server.ids("folder colours", token)


def test_agent_notes_rendered_only_for_agents(leak_server):
    s, b = leak_server.get("/api/articles/leak-public")
    assert s == 200 and S_NOTE not in b["html"]
    assert "Share links keep working" in b["html"]
    assert "Agent notes" not in b["html"]
    assert "folder move stuck" not in b["html"]
    s, b = leak_server.get("/api/articles/leak-public", token=AGENT_TOKEN)
    assert S_NOTE in b["html"] and "{audience" not in b["html"]
    assert "folder move stuck" in b["html"]


def test_internal_section_of_agent_article(leak_server):
    s, b = leak_server.get("/api/articles/leak-agent-deep", token=AGENT_TOKEN)
    assert s == 200 and S_DEEP not in b["html"]
    s, b = leak_server.get("/api/articles/leak-agent-deep",
                           token=INTERNAL_TOKEN)
    assert S_DEEP in b["html"]


def test_public_article_id_and_agent_version_are_one_hit(leak_server):
    for token in LEVELS:
        ids = leak_server.ids("moving shared folder workspaces", token)
        assert ids.count("leak-public") == 1, token


def link_outputs(server, token):
    """The rendered body of leak-links from the API and the page."""
    s, b = server.get("/api/articles/leak-links", token=token)
    assert s == 200, b
    s, page = server.get("/a/leak-links", token=token)
    assert s == 200
    return b["html"], page


def test_body_links_to_hidden_articles_are_plain_text(leak_server):
    html, page = link_outputs(leak_server, None)
    for out in (html, page):
        for hidden in (LINK_INTERNAL, LINK_AGENT, LINK_AGENT_AUTO,
                       LINK_MISSING):
            assert hidden not in out, (hidden, out)
        assert "kb:" not in out
        # The text of a link stays, without its link.
        assert "Read the runbook and the guide" in out
        assert "the missing one." in out
    html, page = link_outputs(leak_server, AGENT_TOKEN)
    for out in (html, page):
        assert 'href="/a/%s#steps"' % LINK_AGENT in out
        assert 'href="/a/%s"' % LINK_AGENT_AUTO in out
        assert LINK_INTERNAL not in out and LINK_MISSING not in out
    html, _ = link_outputs(leak_server, INTERNAL_TOKEN)
    assert 'href="/a/%s"' % LINK_INTERNAL in html


def post_feedback(server, article_id, token):
    s, b, _ = server.request(
        "POST", "/api/feedback", token=token, headers=JSON,
        body=json.dumps({"article": article_id, "helpful": False,
                         "comment": "stats probe"}))
    assert s == 201, b


def test_feedback_stats_list_only_what_the_caller_can_see(leak_server):
    post_feedback(leak_server, "reset-password", None)
    post_feedback(leak_server, "agent-identity-verification", AGENT_TOKEN)
    post_feedback(leak_server, "INC-2086", INTERNAL_TOKEN)
    post_feedback(leak_server, "internal-escalation-runbook", INTERNAL_TOKEN)
    listed = {}
    for token in (AGENT_TOKEN, INTERNAL_TOKEN):
        s, b = leak_server.get("/api/feedback/stats", token=token)
        assert s == 200, b
        listed[token] = {a["article"] for a in b["articles"]}
        assert b["votes"] == sum(a["helpful"] + a["not_helpful"]
                                 for a in b["articles"])
    assert {"reset-password", "agent-identity-verification"} <= \
        listed[AGENT_TOKEN]
    assert not {"INC-2086", "internal-escalation-runbook"} & \
        listed[AGENT_TOKEN]
    s, b = leak_server.get("/api/feedback/stats", token=AGENT_TOKEN)
    assert "INC-2086" not in json.dumps(b)
    assert {"INC-2086", "internal-escalation-runbook"} <= \
        listed[INTERNAL_TOKEN]


def test_cache_never_answers_from_a_deleted_index(tmp_path):
    """An index deleted and built again at the same path starts again at
    generation 1, the same as the old one: the response cache must still
    tell them apart (issue 13, defect 1)."""
    c = tmp_path / "corpus"
    write(c / "articles" / "s1.md", article(
        "s1", "Heron vault", "The heronvault word is public here."))
    write(c / "articles" / "s2.md", article(
        "s2", "Something else", "Unrelated public words."))
    db = tmp_path / "db"
    run_indexer("--corpus", str(c), "--db", str(db), "--quiet", check=0)
    s = Server(str(db), str(tmp_path))
    try:
        revision = s.get("/healthz")[1]["revision"]
        for _ in range(12):  # cached on every worker thread
            assert s.ids("heronvault") == ["s1"]
        shutil.rmtree(db)
        write(c / "articles" / "s1.md", article(
            "s1", "Heron vault", "The heronvault word is public here.",
            audience="internal"))
        run_indexer("--corpus", str(c), "--db", str(db), "--quiet", check=0)
        assert s.get("/healthz")[1]["revision"] == revision
        for _ in range(12):
            st, b, h = s.request("GET", "/api/search", {"q": "heronvault"})
            assert st == 200 and b["total"] == 0 and not b["hits"], (b, h)
        assert s.get("/api/articles/s1")[0] == 404
        assert s.ids("heronvault", INTERNAL_TOKEN) == ["s1"]
    finally:
        s.stop()


def sitemap_ids(server, path, token):
    s, text = server.get(path, token=token)
    assert s == 200, text
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = ET.fromstring(text)
    return {urllib.parse.unquote(loc.text.split("/a/", 1)[1])
            for loc in root.iter(ns + "loc")}


def test_sitemap_lists_only_public_published_articles(leak_server):
    """Whoever asks (a crawler, or an agent's browser), the sitemap is the
    public view: never an agent, internal or draft document."""
    public, page = set(), 1
    while True:
        r = leak_server.search("", per_page="50", page=str(page),
                               type="article,faq")
        public |= {h["id"] for h in r["hits"]}
        if not r["hits"]:
            break
        page += 1
    assert len(public) == r["total"] > 20
    for token in LEVELS:
        for path in ("/sitemap.xml", "/sitemap-1.xml"):
            ids = sitemap_ids(leak_server, path, token)
            for hidden in ("INC-2086", "agent-identity-verification",
                           "leak-draft", "leak-agent-deep",
                           "leak-section-1", "leak-agent-guide",
                           "leak-typo-marker"):
                assert hidden not in ids, (token, path, hidden)
            assert "leak-public" in ids and "leak-links" in ids
            assert ids == public, (token, path, ids ^ public)


def test_agent_only_section_is_hidden_from_the_public(leak_server):
    """A section holding only agent articles, in a public category, does
    not exist for the public: not on the home page, not on its category
    page (nor its count), not as a page, not in any breadcrumb; agents
    see it.  An agent article's old URL redirects only for agents."""
    s, home = leak_server.get("/")
    s, cat = leak_server.get("/c/billing-and-plans")
    assert s == 200
    s, api = leak_server.get("/api/categories")
    api = json.dumps(api)
    for text in (home, cat, api):
        assert S_SECTION not in text and "quartzheron" not in text
    assert "Support desk" not in home          # an agent-only category
    assert "support-desk" not in api
    assert leak_server.get(SECTION_URL)[0] == 404
    assert leak_server.get("/c/support-desk")[0] == 404
    s, loc = no_redirect(leak_server, AGENT_ALIAS)
    assert s == 404, (s, loc)
    s, cat = leak_server.get("/c/billing-and-plans", token=AGENT_TOKEN)
    assert S_SECTION in cat and "2 articles" in cat
    s, sec = leak_server.get(SECTION_URL, token=AGENT_TOKEN)
    assert s == 200 and "Folder audit step 1" in sec
    s, art = leak_server.get("/a/leak-section-1", token=AGENT_TOKEN)
    assert S_SECTION in art and "Folder audit step 2" in art
    s, home = leak_server.get("/", token=AGENT_TOKEN)
    assert "Support desk" in home
    s, api = leak_server.get("/api/categories", token=AGENT_TOKEN)
    assert "support-desk" in json.dumps(api) and S_SECTION in json.dumps(api)
    s, loc = no_redirect(leak_server, AGENT_ALIAS, AGENT_TOKEN)
    assert s == 301 and loc == "/a/leak-agent-guide", (s, loc)


def no_redirect(server, path, token=None):
    """Status and Location of one GET, redirects not followed."""
    c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    c.request("GET", path, headers={"Authorization": "Bearer " + token}
              if token else {})
    r = c.getresponse()
    r.read()
    c.close()
    return r.status, r.getheader("Location")
