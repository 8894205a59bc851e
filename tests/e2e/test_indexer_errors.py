"""The indexer's error lines and exit statuses for a corpus that cannot be
listed, or a folder in it that cannot be read, pinned word for word
(walk_corpus() reports through hdx_error and walk_list.problems; the
drivers print them)."""
import os
import shutil
import subprocess

import pytest

from conftest import INDEXER, Server, article, run_indexer, write


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


def permission_bits_apply():
    """The argv prefix under which helpdex-index obeys permission bits.
    Root ignores them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so as root
    the indexer runs with those two capabilities dropped from its bounding
    set (setpriv, util-linux): still uid 0 and the owner of every file, but
    an owner is refused by mode 000 like anyone else."""
    if os.geteuid() != 0:
        return []
    prefix = [shutil.which("setpriv") or "setpriv", "--bounding-set",
              "-dac_override,-dac_read_search"]
    try:
        ok = subprocess.run(prefix + ["true"]).returncode == 0
    except OSError:
        ok = False
    if not ok:
        pytest.skip("root, and setpriv cannot drop CAP_DAC_OVERRIDE: no "
                    "folder can be made unreadable to the indexer")
    return prefix


@pytest.mark.parametrize("mode", [0, 0o444])  # not listable; not searchable
def test_unreadable_folder_fails_the_run(tmp_path, mode):
    """Issue 13, defect 9: a folder that could not be read was a warning
    and the run exited 0.  It is a failure of the run (exit 1, like a
    skipped file), reported as "PATH: REASON"; an incremental run keeps
    the indexed versions of the files under it."""
    c = tmp_path / "c"
    write(c / "ok.md", article("ok", "Readable", "Plover words."))
    write(c / "locked" / "hidden.md", article("hidden", "Locked away",
                                              "Grebe words."))
    db = str(tmp_path / "db")
    prefix = permission_bits_apply()

    def run(*args):
        return subprocess.run(prefix + [INDEXER, "--corpus", str(c), *args],
                              capture_output=True, text=True, timeout=120)

    assert run("--db", db, "--quiet").returncode == 0
    os.chmod(c / "locked", mode)
    try:
        assert subprocess.run(prefix + ["cat", str(c / "locked" /
                                                   "hidden.md")],
                              capture_output=True).returncode != 0
        line = "locked: cannot read folder: Permission denied\n"
        p = run("--db", db)
        assert (p.returncode, p.stderr) == (1, line)
        assert "deleted 0, skipped 1 (errors)" in p.stdout
        s = Server(db, str(tmp_path))
        try:
            assert s.ids("grebe") == ["hidden"]  # still indexed
        finally:
            s.stop()
        p = run("--db", db, "--rebuild", "--quiet")
        assert (p.returncode, p.stderr) == (1, line)
        p = run("--check")
        assert p.returncode == 1
        assert p.stdout.splitlines()[0] == (
            "locked:1:1: error: cannot read folder: Permission denied [io]")
    finally:
        os.chmod(c / "locked", 0o755)
