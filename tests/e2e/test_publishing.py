"""Writers' publishing: incremental runs, broken input, the index lock,
crash safety under SIGKILL, and live reload in a running server."""
import os
import random
import shutil
import signal
import subprocess
import threading
import time

import pytest

from conftest import (CORPUS, INDEXER, REPO, Server, article,
                      generated_corpus, run_indexer, write)

BENCH = os.path.join(os.path.dirname(REPO), "shared", "bench-corpus")


def summary(p):
    line = [l for l in p.stdout.splitlines() if l.startswith("helpdex-index:")]
    assert line, p.stdout + p.stderr
    words = line[-1].replace(",", "").split()
    return {k: int(words[words.index(k) + 1])
            for k in ("indexed", "unchanged", "deleted", "skipped")}


def test_incremental_add_change_rename_delete(mini_corpus, tmp_path):
    db = str(tmp_path / "db")
    c = mini_corpus
    assert summary(run_indexer("--corpus", str(c), "--db", db, check=0)) == \
        {"indexed": 3, "unchanged": 0, "deleted": 0, "skipped": 0}
    # Nothing changed: nothing parsed.
    assert summary(run_indexer("--corpus", str(c), "--db", db, check=0)) == \
        {"indexed": 0, "unchanged": 3, "deleted": 0, "skipped": 0}
    s = Server(db, str(tmp_path))
    try:
        rev = s.get("/healthz")[1]["revision"]
        write(c / "articles" / "new-one.md",
              article("new-one", "Pelican export guide",
                      "Export your pelican archive."))
        p = run_indexer("--corpus", str(c), "--db", db, check=0)
        assert summary(p)["indexed"] == 1
        wait_for(lambda: s.ids("pelican") == ["new-one"])
        assert s.get("/healthz")[1]["revision"] > rev
        # Change: the old words go, the new ones come.
        write(c / "articles" / "new-one.md",
              article("new-one", "Albatross export guide",
                      "Export your albatross archive."))
        run_indexer("--corpus", str(c), "--db", db, check=0)
        wait_for(lambda: s.ids("albatross") == ["new-one"])
        assert s.ids("pelican") == []
        # Same content, new mtime: re-hashed, not re-indexed.
        os.utime(c / "articles" / "new-one.md")
        p = run_indexer("--corpus", str(c), "--db", db, check=0)
        assert summary(p)["indexed"] == 0 and summary(p)["unchanged"] == 4
        # Rename: same id, new path.
        (c / "articles" / "new-one.md").rename(c / "articles" / "moved.md")
        p = run_indexer("--corpus", str(c), "--db", db, check=0)
        assert summary(p)["deleted"] == 1 and summary(p)["indexed"] == 1
        wait_for(lambda: [h["path"] for h in s.search("albatross")["hits"]]
                 == ["articles/moved.md"])
        # Delete.
        (c / "articles" / "moved.md").unlink()
        p = run_indexer("--corpus", str(c), "--db", db, check=0)
        assert summary(p)["deleted"] == 1
        wait_for(lambda: s.ids("albatross") == [])
    finally:
        s.stop()


def wait_for(cond, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_broken_articles_are_reported_and_others_indexed(mini_corpus,
                                                         tmp_path):
    c = mini_corpus
    a = c / "articles"
    write(a / "bad-yaml.md", "---\ntitle: [unclosed\nid: x\n---\n# T\n")
    write(a / "no-close.md", "---\ntitle: Never closed\n\n# Body\n")
    write(a / "empty.md", "   \n\n")
    (a / "binary.md").write_bytes(b"---\ntitle: x\n---\n\x00\x01\x02")
    (a / "latin1.md").write_bytes(b"---\ntitle: Caf\xe9\n---\n# Caf\xe9\n")
    write(a / "typo-audience.md", article("typo", "Typo", "x",
                                          audience="internl"))
    write(a / "zz-dup.md", article("reset-password", "Duplicate id", "dup"))
    write(a / "big.md", "---\ntitle: Big\n---\n" + "x" * (5 * 1024 * 1024))
    db = str(tmp_path / "db")
    p = run_indexer("--corpus", str(c), "--db", db, check=1)
    err = p.stderr
    assert "articles/bad-yaml.md:2: invalid YAML" in err
    assert "articles/no-close.md:1: front matter starts with '---'" in err
    assert "articles/empty.md:1: empty file" in err
    assert "articles/binary.md:1: binary file" in err
    assert "articles/latin1.md:2: invalid UTF-8" in err
    assert "articles/typo-audience.md:4: invalid audience 'internl'" in err
    assert "articles/zz-dup.md:1: duplicate id 'reset-password'" in err
    assert "articles/big.md:1: file is" in err and "limit" in err
    assert summary(p) == {"indexed": 3, "unchanged": 0, "deleted": 0,
                          "skipped": 8}
    s = Server(db, str(tmp_path))
    try:
        assert s.ids("reset password")[0] == "reset-password"
        assert s.get("/api/articles/reset-password")[1]["path"] == \
            "articles/reset-password.md"
    finally:
        s.stop()


def test_usage_errors(tmp_path):
    p = run_indexer("--db", str(tmp_path / "db"))
    assert p.returncode == 2 and "--corpus" in p.stderr
    p = run_indexer("--corpus", str(tmp_path / "missing"), "--db",
                    str(tmp_path / "db"))
    assert p.returncode == 3
    p = run_indexer("--help", check=0)
    assert "--rebuild" in p.stdout and "--check" in p.stdout


def big_corpus(tmp_path, n=1200):
    """A few thousand real articles if the bench corpus is beside the repo,
    else the sample corpus repeated under new ids."""
    dst = tmp_path / "big"
    dst.mkdir()
    files = []
    if os.path.isdir(BENCH):
        for root, _, names in os.walk(BENCH):
            if "includes" in root.split(os.sep):
                continue
            files += [os.path.join(root, x) for x in names if x.endswith(".md")]
        files.sort()
        random.Random(7).shuffle(files)
        for i, f in enumerate(files[:n]):
            shutil.copy(f, dst / ("a%05d.md" % i))
    else:
        src = sorted(os.listdir(os.path.join(CORPUS, "articles")))
        for i in range(n):
            text = open(os.path.join(CORPUS, "articles",
                                     src[i % len(src)])).read()
            text = text.replace("\nid: ", "\nid: c%05d-" % i, 1)
            write(dst / ("a%05d.md" % i), text)
    return dst


def visible_ids(server, queries):
    """Per query: the total and the set of every matching id.  Sets, not
    ranked lists: two indexes with the same documents number them
    differently, and equal scores are ordered by document number."""
    out = {}
    for q in queries:
        first = server.search(q, per_page=50)
        ids = {h["id"] for h in first["hits"]}
        page = 2
        while len(ids) < first["total"] and page <= 40:
            ids |= {h["id"] for h in
                    server.search(q, per_page=50, page=page)["hits"]}
            page += 1
        out[q] = (first["total"], ids)
    return out


QUERIES = ["error", "password", "sync", "windows server", "outlook",
           "0x80070005", "install", "license", "teams meeting"]


def test_sigkill_never_corrupts_and_rerun_matches_clean_build(tmp_path):
    corpus = big_corpus(tmp_path)
    db = str(tmp_path / "db")
    # Published state A: the first half of the corpus.
    names = sorted(os.listdir(corpus))
    half = tmp_path / "half"
    half.mkdir()
    for x in names[: len(names) // 2]:
        shutil.copy(corpus / x, half / x)
    run_indexer("--corpus", str(half), "--db", db, "--quiet")
    ref = Server(db, str(tmp_path))
    state_a = visible_ids(ref, QUERIES)
    rev_a = ref.get("/healthz")[1]
    ref.stop()
    for x in names[len(names) // 2:]:
        shutil.copy(corpus / x, half / x)
    for x in names[:50]:
        (half / x).unlink()
    for delay in (0.2, 0.8, 1.5):
        p = subprocess.Popen([INDEXER, "--corpus", str(half), "--db", db,
                              "--quiet", "--jobs", "2"],
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait()
        s = Server(db, str(tmp_path))
        try:
            h = s.get("/healthz")[1]
            if h["revision"] == rev_a["revision"]:
                # Killed before publishing: exactly the old index.
                assert visible_ids(s, QUERIES) == state_a
            else:
                break  # the run finished before the kill
        finally:
            s.stop()
    run_indexer("--corpus", str(half), "--db", db, "--quiet")
    clean = str(tmp_path / "clean")
    run_indexer("--corpus", str(half), "--db", clean, "--quiet")
    a = Server(db, str(tmp_path))
    b = Server(clean, str(tmp_path))
    try:
        assert a.get("/healthz")[1]["documents"] == \
            b.get("/healthz")[1]["documents"]
        assert visible_ids(a, QUERIES) == visible_ids(b, QUERIES)
    finally:
        a.stop()
        b.stop()


def test_second_indexer_waits_or_exits(tmp_path):
    corpus = big_corpus(tmp_path, n=600)
    db = str(tmp_path / "db")
    first = subprocess.Popen([INDEXER, "--corpus", str(corpus), "--db", db,
                              "--quiet", "--jobs", "1"],
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    time.sleep(0.3)
    second = run_indexer("--corpus", CORPUS, "--db", db)
    running = first.poll() is None
    first.wait()
    if running:
        assert second.returncode == 3
        assert "index is locked by another indexer" in second.stderr
    waited = subprocess.Popen([INDEXER, "--corpus", str(corpus), "--db", db,
                               "--rebuild", "--quiet", "--jobs", "1"])
    time.sleep(0.2)
    p = run_indexer("--corpus", str(corpus), "--db", db, "--wait", "120",
                    "--quiet")
    waited.wait()
    assert p.returncode == 0, p.stderr


def test_live_reload_under_load(mini_corpus, tmp_path):
    db = str(tmp_path / "db")
    run_indexer("--corpus", str(mini_corpus), "--db", db, "--quiet",
                check=0)
    s = Server(db, str(tmp_path))
    stop = threading.Event()
    failures, count = [], [0]

    def hammer():
        while not stop.is_set():
            st, b = s.get("/api/search", {"q": "password sync"})
            count[0] += 1
            if st != 200 or "hits" not in b or "total" not in b:
                failures.append((st, b))

    threads = [threading.Thread(target=hammer) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for i in range(6):
            word = "zebrafinch%d" % i
            write(mini_corpus / "articles" / ("live-%d.md" % i),
                  article("live-%d" % i, "Live article %d" % i,
                          "Contains %s for the reload test." % word))
            run_indexer("--corpus", str(mini_corpus), "--db", db,
                        "--quiet", check=0)
            wait_for(lambda: s.ids(word) == ["live-%d" % i], timeout=10)
    finally:
        stop.set()
        for t in threads:
            t.join()
        s.stop()
    assert not failures, failures[:3]
    assert count[0] > 20


def test_full_rebuild_swaps_the_index_under_a_running_server(tmp_path):
    """A large --rebuild writes shards in parallel and swaps the merged index
    in with one rename; every server thread must move to it."""
    corpus = big_corpus(tmp_path, n=500)
    db = str(tmp_path / "db")
    run_indexer("--corpus", str(corpus), "--db", db, "--quiet", check=None)
    s = Server(db, str(tmp_path))
    try:
        before = s.get("/healthz")[1]
        # Warm every worker thread on the old index.
        for _ in range(40):
            s.get("/api/search", {"q": "error"})
        write(corpus / "zz-new.md", article("zz-new", "Kingfisher rebuild",
                                            "Only after the rebuild."))
        p = run_indexer("--corpus", str(corpus), "--db", db, "--rebuild",
                        "--jobs", "2")
        assert p.returncode in (0, 1), p.stderr
        revisions = {s.get("/healthz")[1]["revision"] for _ in range(40)}
        assert revisions == {before["revision"] + 1}
        for _ in range(20):
            assert s.ids("kingfisher") == ["zz-new"]
        assert not [x for x in os.listdir(tmp_path) if ".build." in x]
    finally:
        s.stop()


def test_cache_never_serves_an_answer_from_before_a_publish(mini_corpus,
                                                            tmp_path):
    db = str(tmp_path / "db")
    run_indexer("--corpus", str(mini_corpus), "--db", db, "--quiet", check=0)
    s = Server(db, str(tmp_path))
    try:
        for _ in range(3):  # cached on every worker thread
            assert s.search("kestrel")["total"] == 0
        write(mini_corpus / "articles" / "kestrel.md",
              article("kestrel", "Kestrel export", "All about kestrel."))
        run_indexer("--corpus", str(mini_corpus), "--db", db, "--quiet",
                    check=0)
        for _ in range(8):
            assert s.ids("kestrel") == ["kestrel"]
    finally:
        s.stop()


def test_next_run_removes_a_killed_rebuilds_work_folder(tmp_path):
    """Issue 13, defect 8: each SIGKILLed --rebuild left DB.build.PID/ for
    good.  The next run removes the folders it can prove are a dead run's
    (name, marker, process gone), says so, and leaves look-alikes alone."""
    corpus = generated_corpus(tmp_path / "c", 600)  # >= 400: sharded
    db = str(tmp_path / "db")
    run_indexer("--corpus", str(corpus), "--db", db, "--quiet", check=0)
    # Look-alikes: no marker; a matching marker but a live process (ours).
    alike = tmp_path / "db.build.4000001"
    write(alike / "keep.txt", "not the indexer's")
    live = tmp_path / ("db.build.%d" % os.getpid())
    write(live / "keep.txt", "a live process's")
    write(live / ".helpdex-build",
          "helpdex-index build folder\nindex: %s\npid: %d\n"
          % (os.path.realpath(db), os.getpid()))
    p = subprocess.Popen([INDEXER, "--corpus", str(corpus), "--db", db,
                          "--rebuild", "--quiet", "--jobs", "2"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    work = tmp_path / ("db.build.%d" % p.pid)
    deadline = time.monotonic() + 60
    while not (work / "shard-0").exists():  # mid-way: the shards exist
        assert p.poll() is None, "the rebuild ended before the kill"
        assert time.monotonic() < deadline
        time.sleep(0.002)
    p.kill()
    p.wait()
    assert work.is_dir()
    again = run_indexer("--corpus", str(corpus), "--db", db, "--quiet",
                        check=0)
    assert not work.exists()
    assert again.stderr == (
        "helpdex-index: removed %s, the work folder of a full build by "
        "process %d, which no longer runs\n" % (work, p.pid))
    assert (alike / "keep.txt").exists() and (live / "keep.txt").exists()
