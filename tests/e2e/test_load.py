"""Under load (issue 13): queries keep being answered, whole and right,
while the index is republished incrementally and rebuilt from scratch,
three times over.

A few client threads on loopback (bounded in count and time) query a
corpus of a known size while helpdex-index runs an incremental update and
then a full --rebuild of it, three rounds (about 7 s, some 14,000
requests).  Every answer must be a 200, and every answer must be
consistent: the word that every document holds always finds all of them,
and /healthz always counts all of them.
"""
import threading
import time

from conftest import Server, article, run_indexer, write

N_DOCS = 400
CLIENTS = 4
ROUNDS = 3


def corpus(path, edition):
    for i in range(N_DOCS):
        write(path / "articles" / ("l%04d.md" % i), article(
            "load-%04d" % i, "Load article %d" % i,
            "Every one of these holds loadcommon. Edition %d of article %d "
            "about sync, password and folders." % (edition, i)))


def test_queries_stay_whole_through_publish_and_rebuild(tmp_path):
    c = tmp_path / "corpus"
    corpus(c, 1)
    db = str(tmp_path / "db")
    run_indexer("--corpus", str(c), "--db", db, "--quiet", check=0)
    s = Server(db, str(tmp_path))
    stop = threading.Event()
    bad, counts = [], [0] * CLIENTS

    def client(k):
        queries = ["loadcommon", "sync password", "folders", "article"]
        i = 0
        while not stop.is_set():
            q = queries[i % len(queries)]
            i += 1
            st, b = s.get("/api/search", {"q": q, "page": 1 + i % 3})
            counts[k] += 1
            if st != 200 or not b.get("hits"):
                bad.append((q, st, b))
            elif q == "loadcommon" and b["total"] != N_DOCS:
                bad.append((q, "total", b["total"]))
            if i % 10 == 0:
                st, h = s.get("/healthz")
                if st != 200 or h["documents"] != N_DOCS:
                    bad.append(("healthz", st, h))

    threads = [threading.Thread(target=client, args=(k,))
               for k in range(CLIENTS)]
    t0 = time.monotonic()
    revisions = [s.get("/healthz")[1]["revision"]]
    for t in threads:
        t.start()
    try:
        time.sleep(1)
        for edition in range(2, 2 + ROUNDS):
            corpus(c, edition)  # every document changes
            run_indexer("--corpus", str(c), "--db", db, "--quiet", check=0)
            run_indexer("--corpus", str(c), "--db", db, "--rebuild",
                        "--jobs", "2", "--quiet", check=0)
        time.sleep(1)
        revisions.append(s.get("/healthz")[1]["revision"])
    finally:
        stop.set()
        for t in threads:
            t.join()
        log = s.stop()
    assert not bad, bad[:3]
    assert sum(counts) > 300, counts
    assert time.monotonic() - t0 < 60
    assert s.proc.returncode == 0, log
    assert revisions == [revisions[0], revisions[0] + 2 * ROUNDS], revisions
