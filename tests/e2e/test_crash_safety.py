"""Crash safety (issue 13): SIGKILL helpdex-index at many points of a full
build and of an incremental build of a few thousand generated documents.
After every kill, xapian-check (Debian xapian-tools) finds the index
consistent, and a server that runs throughout answers wholly from the
previous or the next state, never a mix.  After the next run, no work
folder is left.

Every document of a state carries the same marker word (zzalpha or
zzbravo), so "a mix" is any answer where both words match, or where the
one that matches does not match every document."""
import os
import shutil
import subprocess
import time

import pytest

from conftest import INDEXER, Server, generated_corpus, run_indexer

N = 2000      # documents
KILLS = 8     # per kind of build, spread over an unkilled run's duration
WORDS = ("zzalpha", "zzbravo")


class Crasher:
    def __init__(self, tmp_path):
        self.check_bin = shutil.which("xapian-check")
        if not self.check_bin:
            pytest.skip("xapian-check not installed (make deps installs "
                        "xapian-tools)")
        self.tmp = tmp_path
        self.corpus = tmp_path / "c"
        self.db = str(tmp_path / "db")
        self.word = WORDS[0]  # what the corpus holds
        generated_corpus(self.corpus, N, self.word)
        self.kills = 0

    def flip(self):
        """Rewrite every file with the other word."""
        self.word = WORDS[1] if self.word == WORDS[0] else WORDS[0]
        generated_corpus(self.corpus, N, self.word)

    def run(self, args, kill_after=None):
        """Run the indexer; with kill_after, SIGKILL it after that many
        seconds.  Returns (seconds, killed)."""
        t0 = time.monotonic()
        p = subprocess.Popen([INDEXER, "--corpus", str(self.corpus), "--db",
                              self.db, "--quiet", "--wait", "30", *args],
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
        if kill_after is not None:
            try:
                p.wait(timeout=kill_after)
            except subprocess.TimeoutExpired:
                p.kill()
        err = p.communicate()[1]
        killed = p.returncode == -9
        assert killed or p.returncode == 0, (p.returncode, err)
        return time.monotonic() - t0, killed

    def state(self, server):
        """Check the index and return (word it holds, revision)."""
        x = subprocess.run([self.check_bin, self.db], capture_output=True,
                           text=True, timeout=120)
        assert x.returncode == 0, x.stdout[-2000:] + x.stderr
        counts = [server.search(w)["total"] for w in WORDS]
        assert counts in ([N, 0], [0, N]), counts
        health = server.get("/healthz")[1]
        assert health["documents"] == N
        return WORDS[0] if counts[0] else WORDS[1], health["revision"]

    def kill_series(self, server, args):
        """One unkilled run to time it, then KILLS runs killed at points
        spread over that time, each checked."""
        self.flip()
        duration, _ = self.run(args)
        print("crash-safety: %s run of %d documents: %.2fs"
              % (" ".join(args) or "incremental", N, duration))
        held, rev = self.state(server)
        assert held == self.word
        for i in range(KILLS):
            if held == self.word:
                self.flip()
            # Points over the first 80%: runs vary, and a run that ends
            # before its kill point tests nothing new.
            _, killed = self.run(args, kill_after=0.8 * duration *
                                 (i + 0.5) / KILLS)
            self.kills += killed
            now, now_rev = self.state(server)
            assert now in (held, self.word)
            assert (now_rev != rev) == (now != held), (rev, now_rev)
            assert killed or now == self.word
            held, rev = now, now_rev
        # The next run finishes the work and leaves no work folder.
        self.run(args)
        assert self.state(server)[0] == self.word
        assert [x for x in os.listdir(self.tmp) if ".build." in x] == []


def test_sigkill_at_many_points_of_full_and_incremental_builds(tmp_path):
    c = Crasher(tmp_path)
    run_indexer("--corpus", str(c.corpus), "--db", c.db, "--quiet", check=0)
    s = Server(c.db, str(tmp_path))
    try:
        c.kill_series(s, ["--rebuild", "--jobs", "2"])  # sharded: N >= 400
        c.kill_series(s, [])                             # one transaction
    finally:
        s.stop()
    # Most kill points land inside a run (the last ones may be after it).
    print("crash-safety: %d of %d runs killed" % (c.kills, 2 * KILLS))
    assert c.kills >= KILLS, c.kills
