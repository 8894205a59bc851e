"""Fixtures for helpdex end-to-end tests.

Every test runs the real binaries: helpdex-index builds a real Xapian index
in a temporary folder and helpdex-serve listens on a free loopback port
(--port 0 --port-file), polled on /healthz until ready and stopped by PID.
HDX_BUILD names the build folder (default: <repo>/build), so the same tests
run against the ASan+UBSan build.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("HDX_BUILD", os.path.join(REPO, "build"))
CORPUS = os.path.join(REPO, "corpus")
INDEXER = os.path.join(BUILD, "helpdex-index")
SERVER = os.path.join(BUILD, "helpdex-serve")

AGENT_TOKEN = "agent-token-0123456789abcdef"
INTERNAL_TOKEN = "internal-token-0123456789abcdef"


def run_indexer(*args, check=None, timeout=300):
    """Run helpdex-index; returns CompletedProcess (text)."""
    p = subprocess.run([INDEXER, *args], capture_output=True, text=True,
                       timeout=timeout)
    if check is not None:
        assert p.returncode == check, (p.returncode, p.stdout, p.stderr)
    return p


def terminate(proc, timeout=20):
    """SIGTERM `proc` (by PID) and wait; SIGKILL it after `timeout` s."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Server:
    """A running helpdex-serve, stopped by PID."""

    def __init__(self, db, tmp, tokens=True, extra=()):
        self.port_file = os.path.join(tmp, "port-%d" % time.monotonic_ns())
        args = [SERVER, "--db", db, "--port", "0", "--port-file",
                self.port_file, "--threads", "4"]
        if tokens:
            tf = os.path.join(tmp, "tokens")
            with open(tf, "w") as f:
                f.write("# test tokens\n%s agent tester\n%s internal eng\n"
                        % (AGENT_TOKEN, INTERNAL_TOKEN))
            os.chmod(tf, 0o600)
            args += ["--tokens", tf]
        args += list(extra)
        self.log = open(os.path.join(tmp, "server-%d.log"
                                     % time.monotonic_ns()), "w+")
        self.proc = subprocess.Popen(args, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError("helpdex-serve exited: " + self.log.read())
            if os.path.exists(self.port_file):
                with open(self.port_file) as f:
                    txt = f.read().strip()
                if txt:
                    self.port = int(txt)
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("helpdex-serve did not start")
            time.sleep(0.02)
        self.base = "http://127.0.0.1:%d" % self.port
        while self.get("/healthz")[0] != 200:
            time.sleep(0.02)

    def request(self, method, path, params=None, token=None, body=None,
                headers=None):
        url = self.base + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        hdrs = dict(headers or {})
        if token:
            hdrs["Authorization"] = "Bearer " + token
        data = body.encode() if isinstance(body, str) else body
        req = urllib.request.Request(url, data=data, method=method,
                                     headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                raw = r.read()
                status, h = r.status, dict(r.headers)
        except urllib.error.HTTPError as e:
            raw, status, h = e.read(), e.code, dict(e.headers)
        ctype = h.get("Content-Type", "")
        if "json" in ctype:
            return status, json.loads(raw), h
        return status, raw.decode("utf-8", "replace"), h

    def get(self, path, params=None, token=None):
        s, b, _ = self.request("GET", path, params, token)
        return s, b

    def search(self, q, token=None, **params):
        params["q"] = q
        s, b = self.get("/api/search", params, token)
        assert s == 200, b
        return b

    def ids(self, q, token=None, **params):
        return [h["id"] for h in self.search(q, token, **params)["hits"]]

    def stop(self):
        if self.proc.poll() is None:
            terminate(self.proc)
        self.log.seek(0)
        out = self.log.read()
        self.log.close()
        return out


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory):
    """The sample corpus indexed once per session."""
    d = tmp_path_factory.mktemp("corpus-index")
    db = str(d / "db")
    run_indexer("--corpus", CORPUS, "--db", db, "--quiet", check=0)
    return db


@pytest.fixture(scope="session")
def server(corpus_db, tmp_path_factory):
    tmp = str(tmp_path_factory.mktemp("server"))
    s = Server(corpus_db, tmp)
    yield s
    log = s.stop()
    # Tokens are never logged, whatever happened.
    assert AGENT_TOKEN not in log and INTERNAL_TOKEN not in log
    assert s.proc.returncode == 0, log


@pytest.fixture
def mini_corpus(tmp_path):
    """A writable copy of a few corpus articles for publishing tests."""
    c = tmp_path / "corpus"
    (c / "articles").mkdir(parents=True)
    for name in ("reset-password.md", "sync-stuck.md",
                 "two-factor-authentication.md"):
        shutil.copy(os.path.join(CORPUS, "articles", name),
                    c / "articles" / name)
    return c


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def article(id_, title, body, **fm):
    lines = ["---", "id: " + id_, "title: " + title]
    lines += ["%s: %s" % kv for kv in fm.items()]
    lines += ["---", "", "# " + title, "", body, ""]
    return "\n".join(lines)


def generated_corpus(dst, n, word="zzalpha"):
    """`n` small generated public articles g00000.md... in `dst`, each with
    a few filler terms and `word` (rewriting with another word changes
    every file but no size).  Returns `dst`."""
    dst.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        filler = " ".join("term%03d" % ((i * 7 + k * 13) % 500)
                          for k in range(12))
        write(dst / ("g%05d.md" % i),
              article("g%05d" % i, "Generated article %d" % i,
                      "Filler %s.\n\nMarker word %s." % (filler, word)))
    return dst


def free_port():
    """A loopback port free right now, for programs that take no port 0
    (xapian-replicate-server; a server restarted on the same port)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, proc, what, timeout=15):
    """Wait (bounded) until something accepts on 127.0.0.1:`port`; fail
    at once if `proc` exits."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError("%s exited (status %s)" % (what,
                                                          proc.returncode))
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(what + " is not listening")
            time.sleep(0.05)
