"""One id key for the indexer and the lint: ids are compared by
hdx_id_key() (normalised: case, accents, NFKC), so 'café-setup' and
'cafe-setup' are the same id everywhere.  The lint reports exactly the
duplicate the indexer skips, in the full build (in-place and sharded), the
incremental run, and --check."""
import pytest

from conftest import article, run_indexer, write

DUP = "articles/cafe-setup.md:1: duplicate id 'cafe-setup' " \
      "(already used by articles/cafe-accent.md)"


def accent_corpus(root, filler=0):
    """articles/cafe-accent.md (id café-setup) sorts before
    articles/cafe-setup.md (id cafe-setup): the accented one wins."""
    write(root / "articles" / "cafe-accent.md",
          article("café-setup", "Setting up the café kiosk", "Kiosk steps."))
    write(root / "articles" / "cafe-setup.md",
          article("cafe-setup", "Cafe kiosk, again", "The same id."))
    for i in range(filler):
        write(root / "filler" / ("f%04d.md" % i),
              article("filler-%04d" % i, "Filler %d" % i, "Filler body."))
    return root


def test_check_reports_ids_that_differ_only_by_accent(tmp_path):
    c = accent_corpus(tmp_path / "c")
    p = run_indexer("--corpus", str(c), "--check")
    assert p.returncode == 1, p.stdout
    assert p.stdout.splitlines() == [
        "articles/cafe-setup.md:1:1: error: duplicate id 'cafe-setup' "
        "(already used by articles/cafe-accent.md) [duplicate-id]",
        "helpdex-index --check: 2 files, 1 errors, 0 warnings"]


def test_check_finds_links_by_id_key(tmp_path):
    c = tmp_path / "c"
    write(c / "articles" / "kiosk.md",
          article("café-setup", "Kiosk", "Kiosk steps."))
    write(c / "articles" / "links.md",
          article("links", "Links",
                  "See [it](kb:CAFE-SETUP) and [again](/a/caf%C3%A9-setup)."))
    p = run_indexer("--corpus", str(c), "--check")
    assert p.returncode == 0, p.stdout


@pytest.mark.parametrize("jobs,filler", [("1", 0), ("2", 420)],
                         ids=["in-place", "sharded"])
def test_full_build_skips_the_same_file_the_lint_names(tmp_path, jobs,
                                                       filler):
    c = accent_corpus(tmp_path / "c", filler)
    lint = run_indexer("--corpus", str(c), "--check")
    p = run_indexer("--corpus", str(c), "--db", str(tmp_path / "db"),
                    "--jobs", jobs)
    assert p.returncode == 1
    assert p.stderr.splitlines() == [DUP + "; file skipped"]
    assert "indexed %d," % (filler + 1) in p.stdout
    assert "skipped 1 (errors)" in p.stdout
    assert "articles/cafe-setup.md:1:1: error: duplicate id 'cafe-setup' " \
        "(already used by articles/cafe-accent.md) [duplicate-id]" \
        in lint.stdout


def test_incremental_run_keeps_the_indexed_owner(tmp_path):
    c = tmp_path / "c"
    write(c / "articles" / "cafe-setup.md",
          article("cafe-setup", "Cafe kiosk", "Kiosk steps."))
    db = str(tmp_path / "db")
    run_indexer("--corpus", str(c), "--db", db, check=0)
    # A new file sorting first, with the same id key: the indexed file
    # keeps the id, the newcomer is reported.
    write(c / "articles" / "a-cafe.md",
          article("Café-Setup", "Another kiosk", "Same id, accented."))
    p = run_indexer("--corpus", str(c), "--db", db, check=1)
    assert p.stderr.splitlines() == [
        "articles/a-cafe.md:1: duplicate id 'Café-Setup' (already used by "
        "articles/cafe-setup.md); file skipped"]
    # Once the owner is gone, the id is free for the other file.
    (c / "articles" / "cafe-setup.md").unlink()
    p = run_indexer("--corpus", str(c), "--db", db, check=0)
    assert "indexed 1, unchanged 0, deleted 1, skipped 0" in p.stdout


def counts(p):
    line = p.stdout.strip().splitlines()[-1]
    return line.split(" in ")[0]


def put(c, files):
    """Write {name: id} as articles titled after their id."""
    for name, id_ in files.items():
        write(c / name, article(id_, "About " + id_, "Body of %s." % id_))


def indexed(tmp_path, files):
    c, db = tmp_path / "c", str(tmp_path / "db")
    put(c, files)
    run_indexer("--corpus", str(c), "--db", db, check=0)
    return c, db


def test_incremental_id_moves(tmp_path):
    """An id given up in a run is free for a file later in path order in
    the same run, and for an earlier one from the next run on."""
    c, db = indexed(tmp_path, {"m.md": "alpha", "z.md": "omega"})
    # m.md gives up 'alpha' for 'beta'; x.md (after it) takes 'alpha';
    # a.md (before z.md) wants 'omega', which z.md gives up only after.
    put(c, {"m.md": "beta", "x.md": "ALPHA", "a.md": "omega", "z.md": "zeta"})
    p = run_indexer("--corpus", str(c), "--db", db, check=1)
    assert p.stderr.splitlines() == [
        "a.md:1: duplicate id 'omega' (already used by z.md); file skipped"]
    assert counts(p) == "helpdex-index: indexed 3, unchanged 0, deleted 0, " \
        "skipped 1 (errors)"
    p = run_indexer("--corpus", str(c), "--db", db, check=0)
    assert counts(p) == "helpdex-index: indexed 1, unchanged 3, deleted 0, " \
        "skipped 0 (errors)"


def test_incremental_duplicate_keeps_its_previous_id(tmp_path):
    c, db = indexed(tmp_path, {"a.md": "alpha", "b.md": "beta"})
    put(c, {"b.md": "Alpha"})
    p = run_indexer("--corpus", str(c), "--db", db, check=1)
    assert p.stderr.splitlines() == [
        "b.md:1: duplicate id 'Alpha' (already used by a.md); file skipped"]
    # b.md still holds 'beta': a new file cannot take it.
    put(c, {"c.md": "BETA"})
    p = run_indexer("--corpus", str(c), "--db", db, check=1)
    assert sorted(p.stderr.splitlines()) == [
        "b.md:1: duplicate id 'Alpha' (already used by a.md); file skipped",
        "c.md:1: duplicate id 'BETA' (already used by b.md); file skipped"]


def test_one_article_url_for_json_and_html(tmp_path):
    """The API and the page name an article by the same URL: the id
    percent-encoded once, by one builder (server/html.c)."""
    from conftest import Server, run_indexer
    c = tmp_path / "corpus"
    write(c / "articles" / "cafe.md",
          article("café-setup", "Setting up the kiosk", "Kiosk steps."))
    db = str(tmp_path / "db")
    run_indexer("--corpus", str(c), "--db", db, check=0)
    s = Server(db, str(tmp_path))
    try:
        hit = s.search("kiosk")["hits"][0]
        assert hit["url"].split("#")[0] == "/a/caf%C3%A9-setup"
        status, page = s.get("/search", {"q": "kiosk"})
        assert status == 200 and 'href="/a/caf%C3%A9-setup?' in page
        status, art = s.get("/api/articles/caf%C3%A9-setup")
        assert status == 200 and art["url"] == "/a/caf%C3%A9-setup"
    finally:
        s.stop()
