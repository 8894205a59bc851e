"""helpdex-serve over a Xapian replica (docs/scaling.md): the master is
written with --changesets, xapian-replicate-server serves its parent
folder, and one-shot xapian-replicate runs bring a replica up to date.
A publish arrives as a changeset applied in place; a full rebuild (a new
index swapped in, a new UUID) as a full copy into the replica's other
folder and a switched stub.  The server follows both on its next request,
and /readyz reports the live copy's commit.
"""
import datetime
import os
import subprocess

from conftest import (INTERNAL_TOKEN, Server, article, free_port,
                      generated_corpus, run_indexer, wait_listening, write)


def replicate_once(port, replica):
    p = subprocess.run(["xapian-replicate", "-h", "127.0.0.1", "-p",
                        str(port), "-m", "helpdex", "-o", "-v", replica],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout + p.stderr


def live_copy(replica):
    with open(os.path.join(replica, "XAPIANDB")) as f:
        lines = [ln for ln in f.read().splitlines()
                 if ln and not ln.startswith("#")]
    assert lines[0].startswith("auto replica_"), lines
    return lines[0][len("auto "):]


def committed(ready):
    """/readyz's commit time, as Unix milliseconds."""
    t = datetime.datetime.strptime(ready["committed"],
                                   "%Y-%m-%dT%H:%M:%S.%fZ")
    return round(t.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)


def stamp(replica, copy):
    """The live copy's commit time (its version file's), in milliseconds
    (the server's goes through a double: equal to within 1 ms)."""
    st = os.stat(os.path.join(replica, copy, "iamglass"))
    return st.st_mtime_ns // 1000000


def metric(srv, name):
    status, body = srv.get("/metrics", token=INTERNAL_TOKEN)
    assert status == 200
    for line in body.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(name + " not in /metrics")


def test_server_follows_a_replica(tmp_path):
    corpus = generated_corpus(tmp_path / "corpus", 420)  # a full build
    master = tmp_path / "master"
    master.mkdir()
    index = ["--corpus", str(corpus), "--db", str(master / "helpdex"),
             "--changesets", "10", "--jobs", "2", "--quiet"]
    run_indexer(*index, check=0)
    port = free_port()
    rs = subprocess.Popen(["xapian-replicate-server", "-I", "127.0.0.1",
                           "-p", str(port), str(master)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          start_new_session=True)  # its SIGTERM kills its group
    srv = None
    try:
        wait_listening(port, rs, "xapian-replicate-server")
        (tmp_path / "rep").mkdir()
        replica = str(tmp_path / "rep" / "helpdex")
        assert "1 copies" in replicate_once(port, replica)
        first = live_copy(replica)
        srv = Server(replica, str(tmp_path))
        assert len(srv.ids("zzalpha", per_page=50)) == 50
        _, ready = srv.get("/readyz")
        assert ready["status"] == "ready" and ready["revision"] == 1
        assert abs(committed(ready) - stamp(replica, first)) <= 1

        # A publish: one changeset, applied to the live copy in place.
        write(corpus / "new.md", article("quokka-repair", "Quokka repair",
                                         "How to repair a quokkafish."))
        write(corpus / "synonyms.txt", "quokkafish, wombatfish\n")
        run_indexer(*index, check=0)
        assert "1 changesets" in replicate_once(port, replica)
        assert live_copy(replica) == first
        assert srv.ids("quokkafish") == ["quokka-repair"]
        # What the index carries besides documents came along: synonyms
        # (from the corpus's synonyms.txt) and the spelling dictionary.
        assert srv.ids("wombatfish") == ["quokka-repair"]
        r = srv.search("quokafish")
        assert r.get("corrected_query") == "quokkafish", r
        _, ready = srv.get("/readyz")
        assert ready["revision"] == 2

        # A full rebuild swaps a new index in: a full copy, a new stub.
        run_indexer(*index, "--rebuild", check=0)
        assert "1 copies" in replicate_once(port, replica)
        second = live_copy(replica)
        assert second != first
        assert not os.path.exists(os.path.join(replica, first))
        assert srv.ids("quokkafish") == ["quokka-repair"]
        _, ready = srv.get("/readyz")
        assert ready["revision"] == 3
        assert abs(committed(ready) - stamp(replica, second)) <= 1
        assert metric(srv, "helpdex_index_reopen_failures_total") == 0
    finally:
        if srv:
            log = srv.stop()
        rs.terminate()
        rs.wait(timeout=10)
    assert srv.proc.returncode == 0, log
