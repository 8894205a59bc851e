"""Search relevance gate: tests/relevance/run.py --check must pass.

run.py indexes corpus/ with the binaries in HDX_BUILD (default
<repo>/build), serves it on a free loopback port, runs every query in
tests/relevance/judgments.tsv through /api/search and through an SQLite FTS5
baseline, and exits 1 if helpdex's overall MRR@10 is below its FLOOR or if a
query class trails the FTS5 baseline by more than its CLASS_TOLERANCE.
The Markdown table is printed (visible with pytest -s, or on failure).
"""
import os
import subprocess
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("HDX_BUILD", os.path.join(REPO, "build"))
RUN = os.path.join(REPO, "tests", "relevance", "run.py")


def test_relevance_check():
    p = subprocess.run(
        [sys.executable, RUN, "--build", BUILD, "--corpus",
         os.path.join(REPO, "corpus"), "--check"],
        capture_output=True, text=True, timeout=600)
    print(p.stdout)
    if p.stderr:
        print(p.stderr, file=sys.stderr)
    assert p.returncode == 0, (
        "relevance check failed (exit %d):\n%s\n%s"
        % (p.returncode, p.stdout, p.stderr))
