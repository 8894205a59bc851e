"""Where helpdex-serve listens, and what it tells its supervisor.

- A port already taken: the message names the address and the reason
  (it used to be libmicrohttpd's "Failed to bind to port 0"), exit 3.
- An IPv6 address in brackets serves like an IPv4 one.
- Under systemd (Type=notify), READY=1 reaches $NOTIFY_SOCKET once the
  socket listens, RELOADING=1 then READY=1 around a SIGHUP reload, and
  STOPPING=1 on SIGTERM (sd_notify(3) protocol).
"""
import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from conftest import SERVER, Server


def wait_port(path, proc, deadline=30):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        assert proc.poll() is None, "helpdex-serve exited"
        if os.path.exists(path) and open(path).read().strip():
            return int(open(path).read())
        time.sleep(0.02)
    raise AssertionError("helpdex-serve did not write its port")


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=20)
    return out


def test_a_taken_port_names_the_address_and_the_reason(corpus_db, tmp_path):
    first = Server(corpus_db, str(tmp_path), tokens=False)
    try:
        p = subprocess.run([SERVER, "--db", corpus_db, "--port",
                            str(first.port)], capture_output=True, text=True,
                           timeout=30)
    finally:
        first.stop()
    assert p.returncode == 3, p.stderr
    want = "cannot listen on 127.0.0.1:%d: Address already in use" % first.port
    assert want in p.stderr, p.stderr
    assert "port 0" not in p.stderr


@pytest.mark.parametrize("bad", ["127.0.0.1", "[::1]8080", "::1:8080",
                                 "example.com:80", "127.0.0.1:65536",
                                 "[::1]:x"])
def test_a_bad_listen_address_is_refused_by_name(corpus_db, bad):
    p = subprocess.run([SERVER, "--db", corpus_db, "--listen", bad],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 2
    assert "--listen" in p.stderr and repr(bad).strip("'") in p.stderr


def ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not ipv6_loopback(), reason="no IPv6 loopback here")
def test_an_ipv6_address_serves(corpus_db, tmp_path):
    pf = str(tmp_path / "port6")
    proc = subprocess.Popen([SERVER, "--db", corpus_db, "--listen",
                             "[::1]:0", "--port-file", pf],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        port = wait_port(pf, proc)
        with urllib.request.urlopen("http://[::1]:%d/api/search?q=password"
                                    % port, timeout=10) as r:
            assert r.status == 200
            assert b'"hits"' in r.read()
    finally:
        out = stop(proc)
    assert "listening on http://[::1]:%d/" % port in out
    assert proc.returncode == 0


def test_readiness_and_stopping_reach_notify_socket(corpus_db, tmp_path):
    path = str(tmp_path / "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(30)
    pf = str(tmp_path / "port")
    env = dict(os.environ, NOTIFY_SOCKET=path)
    proc = subprocess.Popen([SERVER, "--db", corpus_db, "--port", "0",
                             "--port-file", pf], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        ready = sock.recv(4096).decode()
        port = wait_port(pf, proc)
        assert ready.splitlines()[0] == "READY=1", ready
        assert "STATUS=listening on http://127.0.0.1:%d/" % port in ready
        # Ready means ready: the first request after READY=1 is answered.
        with urllib.request.urlopen("http://127.0.0.1:%d/readyz" % port,
                                    timeout=10) as r:
            assert r.status == 200
        # SIGHUP (systemctl reload) re-reads the tokens file, said so.
        proc.send_signal(signal.SIGHUP)
        assert sock.recv(4096).decode() == "RELOADING=1"
        assert sock.recv(4096).decode() == "READY=1"
    finally:
        stop(proc)
    assert sock.recv(4096).decode() == "STOPPING=1"
    sock.close()
    assert proc.returncode == 0
