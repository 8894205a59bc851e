"""The indexer's error lines and exit statuses for a corpus that cannot be
listed, pinned word for word (walk_corpus() reports through hdx_error; the
drivers print it)."""
from conftest import run_indexer, write


def test_missing_corpus(tmp_path):
    missing = str(tmp_path / "missing")
    p = run_indexer("--corpus", missing, "--db", str(tmp_path / "db"))
    assert p.returncode == 3
    assert p.stderr == "helpdex-index: %s: No such file or directory\n" \
        % missing
    p = run_indexer("--corpus", missing, "--check")
    assert p.returncode == 2
    assert p.stderr == "helpdex-index: %s: No such file or directory\n" \
        % missing


def test_corpus_that_is_a_file(tmp_path):
    f = str(write(tmp_path / "file.md", "# Not a folder\n"))
    p = run_indexer("--corpus", f, "--db", str(tmp_path / "db"))
    assert p.returncode == 3
    assert p.stderr == "helpdex-index: %s: Not a directory\n" % f
    p = run_indexer("--corpus", f, "--check")
    assert p.returncode == 2
    assert p.stderr == "helpdex-index: %s: Not a directory\n" % f
