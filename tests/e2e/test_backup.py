"""Backups and restore, as docs/operations.md describes them.

The documented commands run while the server answers searches and the
indexer publishes: xapian-compact + xapian-check of the live index, and
SQLite's online backup of the feedback database while votes arrive.  The
restored index answers as the original did, and the next incremental
run re-indexes only what changed since the backup.
"""
import os
import re
import shutil
import sqlite3
import subprocess
import threading
import time

from conftest import CORPUS, REPO, Server, article, run_indexer, write

DOC = os.path.join(REPO, "docs", "operations.md")
QUERIES = ["reset password", "sync stuck", "0x80070005", "sso saml"]


def doc_python_backup():
    """The one-line Python backup command of docs/operations.md."""
    text = open(DOC).read()
    m = re.search(r"python3 -c '([^']+)'", text)
    assert m, "docs/operations.md lost its SQLite backup command"
    return m.group(1)


def ids(server, q):
    status, body = server.get("/api/search", {"q": q, "per_page": "10"})
    assert status == 200
    return [h["id"] for h in body["hits"]]


class Load(threading.Thread):
    """Searches and feedback votes until stopped; counts failures."""

    def __init__(self, server, article):
        super().__init__(daemon=True)
        self.server, self.article = server, article
        self.stop_at = None
        self.failures, self.votes = [], 0

    def run(self):
        i = 0
        while self.stop_at is None or time.monotonic() < self.stop_at:
            st, _ = self.server.get("/api/search",
                                    {"q": QUERIES[i % len(QUERIES)]})
            if st != 200:
                self.failures.append(st)
            st, _, _ = self.server.request(
                "POST", "/api/feedback",
                body='{"article": "%s", "helpful": true}' % self.article,
                headers={"Content-Type": "application/json"})
            if st == 201:
                self.votes += 1
            else:
                self.failures.append(st)
            i += 1

    def finish(self):
        self.stop_at = time.monotonic()
        self.join(timeout=30)


def test_backup_under_load_and_restore(tmp_path):
    corpus = str(tmp_path / "corpus")
    shutil.copytree(CORPUS, corpus)
    db, fb = str(tmp_path / "index"), str(tmp_path / "feedback.sqlite")
    run_indexer("--corpus", corpus, "--db", db, "--quiet", check=0)
    srv = Server(db, str(tmp_path), extra=["--feedback-db", fb])
    try:
        before = {q: ids(srv, q) for q in QUERIES}
        load = Load(srv, before["reset password"][0])
        load.start()
        time.sleep(0.3)
        # A publication lands while the copies are taken.
        write(tmp_path / "corpus" / "articles" / "zz-backup-note.md",
              article("zz-backup-note", "Backup window note",
                      "Backups run nightly at zzbackupword o'clock."))
        run_indexer("--corpus", corpus, "--db", db, "--quiet", check=0)
        backup = str(tmp_path / "index-backup")
        p = subprocess.run(["xapian-compact", db, backup],
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, p.stderr
        p = subprocess.run(["xapian-check", backup], capture_output=True,
                           text=True, timeout=120)
        assert p.returncode == 0 and "No errors found" in p.stdout, p.stdout
        fb_backup = str(tmp_path / "feedback-backup.sqlite")
        p = subprocess.run(["python3", "-c", doc_python_backup(), fb,
                            fb_backup], capture_output=True, text=True,
                           timeout=60)
        assert p.returncode == 0, p.stderr
        time.sleep(0.3)
        load.finish()
        assert load.failures == [] and load.votes > 0
    finally:
        srv.stop()

    con = sqlite3.connect(fb_backup)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    saved = con.execute("SELECT count(*) FROM feedback").fetchone()[0]
    con.close()
    # Votes from before the backup are in it; the ones after are not.
    assert 0 < saved < load.votes

    # Restore: the copy in place of a lost index, as the docs do it.
    shutil.rmtree(db)
    shutil.copytree(backup, db)
    srv = Server(db, str(tmp_path))
    try:
        for q in QUERIES:
            assert ids(srv, q) == before[q], q
        assert ids(srv, "zzbackupword") == ["zz-backup-note"]
    finally:
        srv.stop()
    # The per-file state travelled with the copy: nothing to redo.
    p = run_indexer("--corpus", corpus, "--db", db, check=0)
    assert re.search(r"indexed 0, unchanged \d+, deleted 0", p.stdout), \
        p.stdout
