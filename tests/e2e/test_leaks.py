"""Audience safety: nothing above the caller's level reaches the caller.

Unique secret words are planted at each level - an internal incident, an
agent article, agent notes inside a public article, a draft, an internal
section inside an agent article - and every endpoint and parameter is tried
as each lower level.  Every response body, whole, must not contain the
secret, and a query for a secret must answer exactly as a query for a word
that exists nowhere.
"""
import json
import shutil

import pytest

from conftest import (AGENT_TOKEN, CORPUS, INTERNAL_TOKEN, Server, article,
                      run_indexer, write)

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
        "Shard key %s is internal only.\n" % S_DEEP,
        audience="agent", product="web"))
    write(corpus / "articles" / "leak-typo-marker.md", article(
        "leak-typo-marker", "Folder colours",
        "Pick a colour for a folder.\n\n"
        "## Notes {audience=agnet}\n\nInternal code %s.\n" % S_TYPO))
    db = str(tmp / "db")
    p = run_indexer("--corpus", str(corpus), "--db", db, "--quiet", check=1)
    # The mistyped marker refuses the file instead of publishing its notes.
    assert p.stderr.startswith("articles/leak-typo-marker.md:")
    assert "audience=" in p.stderr
    s = Server(db, str(tmp))
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
    """Every public-facing request a caller could make about `secret`."""
    typo = secret[:-2] + secret[-1]      # one letter dropped
    prefix = secret[:6]
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
    if IDS[secret]:
        yield "GET", "/api/articles/" + IDS[secret], None
        yield "GET", "/api/articles/%s/related" % IDS[secret], None
    yield "GET", "/api/known-issues", {"q": secret}
    yield "POST", "/api/known-issues", {"limit": "20"}
    yield "GET", "/api/incidents/INC-2086", None


@pytest.mark.parametrize("secret", sorted(SECRETS))
def test_secret_never_reaches_lower_levels(leak_server, secret):
    for token in lower_levels(secret):
        for method, path, params in probes(secret):
            s, b, text = body_of(leak_server, method, path, params, token,
                                 body=("error while syncing " + secret
                                       if method == "POST" else None))
            assert secret not in text, (token and "agent", method, path,
                                        params, text[:500])
            assert s in (200, 401, 403, 404), (path, s)


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
