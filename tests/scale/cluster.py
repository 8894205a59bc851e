"""cluster.py - the scale test's topology on one machine (docs/scaling.md):

  helpdex-index --changesets  ->  MASTER/helpdex
  xapian-replicate-server MASTER                       (one port)
  xapian-replicate -i 1 -> REPn/helpdex, n = 1, 2       (a stub folder each)
  helpdex-serve --db REPn/helpdex                      (a port each)
  haproxy -f dist/haproxy/helpdex.cfg, as shipped      (the balancer port)

All on 127.0.0.1, real binaries, ports picked free; every process is
started here, remembered, and stopped by PID in stop() (the caller's
finally).  The e2e harness (tests/e2e/conftest.py) provides the corpus
generator, the server wrapper and the port helpers.
"""
import json
import os
import pathlib
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "e2e"))
import conftest  # noqa: E402  (the e2e harness, reused)
from conftest import (AGENT_TOKEN, INTERNAL_TOKEN, free_port, terminate,  # noqa: E402
                      wait_listening)

HAPROXY_CFG = os.path.join(REPO, "dist", "haproxy", "helpdex.cfg")
N_DOCS = 420  # >= 400: --rebuild is a full build that swaps directories


def get_json(base, path, params=None, token=None, timeout=10):
    """(status, parsed JSON or text) of one GET."""
    url = base + path + ("?" + urllib.parse.urlencode(params)
                         if params else "")
    req = urllib.request.Request(url)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw, status, ctype = r.read(), r.status, r.headers.get(
                "Content-Type", "")
    except urllib.error.HTTPError as e:
        raw, status, ctype = e.read(), e.code, e.headers.get(
            "Content-Type", "")
    return status, (json.loads(raw) if "json" in ctype else raw.decode())


class Cluster:
    def __init__(self, tmp, replicas=2):
        self.tmp = tmp
        self.corpus = os.path.join(tmp, "corpus")
        self.master = os.path.join(tmp, "master")
        self.replicas = [os.path.join(tmp, "rep%d" % (i + 1), "helpdex")
                         for i in range(replicas)]
        self.ports = [free_port() for _ in range(replicas)]
        self.servers = [None] * replicas
        self.procs = []  # (name, Popen), in start order
        self.bad_exits = []  # helpdex-serve that did not exit 0 on SIGTERM

    # -- the master ---------------------------------------------------------
    def index(self, *extra):
        """One helpdex-index run on the master, as an operator runs it."""
        conftest.run_indexer("--corpus", self.corpus, "--db",
                             os.path.join(self.master, "helpdex"),
                             "--changesets", "10", "--jobs", "2", "--quiet",
                             *extra, check=0)

    def write_corpus(self, word):
        conftest.generated_corpus(pathlib.Path(self.corpus),
                                  N_DOCS, word)

    # -- processes ----------------------------------------------------------
    def spawn(self, name, args, **kw):
        log = open(os.path.join(self.tmp, name + ".log"), "a")
        p = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                             start_new_session=True, **kw)
        log.close()
        self.procs.append((name, p))
        return p

    def start(self):
        os.makedirs(self.master)
        self.write_corpus("zzalpha")
        self.index()
        self.repl_port = free_port()
        rs = self.spawn("replicate-server", [
            "xapian-replicate-server", "-I", "127.0.0.1", "-p",
            str(self.repl_port), self.master])
        wait_listening(self.repl_port, rs, "xapian-replicate-server")
        for i, rep in enumerate(self.replicas):
            os.makedirs(os.path.dirname(rep))
            self.spawn("replicate%d" % (i + 1), [
                "xapian-replicate", "-h", "127.0.0.1", "-p",
                str(self.repl_port), "-m", "helpdex", "-i", "1", "-r", "1",
                rep])
        for rep in self.replicas:  # the first full copy
            self.wait_for(lambda r=rep: os.path.exists(
                os.path.join(r, "XAPIANDB")), "a first copy of " + rep)
        for i in range(len(self.replicas)):
            self.start_server(i)
        self.lb_port = free_port()
        env = dict(os.environ, HDX_LISTEN="127.0.0.1:%d" % self.lb_port)
        for i, port in enumerate(self.ports):
            env["HDX_REPLICA%d" % (i + 1)] = "127.0.0.1:%d" % port
        lb = self.spawn("haproxy", ["haproxy", "-db", "-f", HAPROXY_CFG],
                        env=env)
        wait_listening(self.lb_port, lb, "haproxy")
        self.lb = "http://127.0.0.1:%d" % self.lb_port
        self.wait_for(lambda: self.lb_ok(), "the balancer to answer")

    def lb_ok(self):
        try:
            return get_json(self.lb, "/readyz")[0] == 200
        except OSError:
            return False

    def start_server(self, i):
        """helpdex-serve over replica i on its fixed port (a restart
        rejoins the balancer at the same address)."""
        tokens = os.path.join(self.tmp, "tokens")
        with open(tokens, "w") as f:
            f.write("%s internal scale\n%s agent tester\n"
                    % (INTERNAL_TOKEN, AGENT_TOKEN))
        os.chmod(tokens, 0o600)
        p = self.spawn("serve%d" % (i + 1), [
            conftest.SERVER, "--db", self.replicas[i], "--port",
            str(self.ports[i]), "--threads", "4", "--tokens", tokens,
            "--assets", os.path.join(REPO, "web"),
            # Behind the balancer: every connection comes from it.
            "--max-per-ip", "0", "--trusted-proxy", "127.0.0.1"])
        wait_listening(self.ports[i], p, "helpdex-serve %d" % (i + 1))
        self.servers[i] = p

    def stop_server(self, i, sig=signal.SIGTERM):
        p = self.servers[i]
        p.send_signal(sig)
        p.wait(timeout=20)
        if sig == signal.SIGTERM and p.returncode != 0:
            self.bad_exits.append("serve%d: %d" % (i + 1, p.returncode))
        self.servers[i] = None

    def replica_base(self, i):
        return "http://127.0.0.1:%d" % self.ports[i]

    def wait_for(self, pred, what, timeout=30):
        deadline = time.monotonic() + timeout
        while not pred():
            if time.monotonic() > deadline:
                raise AssertionError("timed out waiting for " + what)
            time.sleep(0.02)

    def stop(self):
        """Stop every process started here, newest first, by PID (the
        replication tools' SIGTERM handler signals their own group)."""
        for name, p in reversed(self.procs):
            if p.poll() is None:
                terminate(p, timeout=10)
                if name.startswith("serve") and p.returncode != 0:
                    self.bad_exits.append("%s: %d" % (name, p.returncode))
