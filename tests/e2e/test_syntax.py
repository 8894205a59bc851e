"""The power-user query syntax of docs/search-syntax.md, on the sample
corpus: phrases, -exclude, OR, field prefixes and date ranges."""


def test_phrase_is_stricter_than_words(server):
    loose = server.search("conflicted copy")["total"]
    phrase = server.search('"conflicted copy"')
    assert 0 < phrase["total"] <= loose
    assert phrase["hits"][0]["id"] == "sync-conflicts"


def test_exclude_removes_documents(server):
    ids = server.ids("password", per_page=50)
    assert "reset-password" in ids
    ids2 = server.ids("password -reset", per_page=50)
    assert "reset-password" not in ids2 and ids2


def test_or_widens(server):
    a = server.search("invoice")["total"]
    b = server.search("webhook")["total"]
    both = server.search("invoice OR webhook")["total"]
    assert both >= max(a, b) and both > 0


def test_field_prefixes(server):
    r = server.search("product:desktop sync")
    assert r["hits"] and all(h["product"] == "desktop" for h in r["hits"])
    r = server.search("tag:billing")
    assert r["hits"] and all("billing" in h["tags"] for h in r["hits"])
    r = server.search("type:faq")
    assert r["hits"] and all(h["type"] == "faq" for h in r["hits"])
    r = server.search("title:password")
    assert "reset-password" in [h["id"] for h in r["hits"]]


def test_updated_range(server):
    r = server.search("updated:>2026-08-01", per_page=50)
    assert r["hits"]
    assert all(h["updated"] >= "2026-08-01" for h in r["hits"])
    r = server.search("updated:<2025-12-31", per_page=50)
    assert all(h["updated"] <= "2025-12-31" for h in r["hits"])


def test_operators_are_not_words_in_lowercase(server):
    # "not" in a customer's sentence is a word, not an operator.
    ids = server.ids("sync not working")
    assert ids and ids[0] in ("sync-stuck", "files-not-syncing")
