"""The server under hostile clients (issue 13): slow half-open connections,
requests with thousands of parameters, NUL bytes smuggled in as %00, and
the connection options that bound them (docs/api.md, "Server limits").

Every client here is on loopback and bounded in count and time.  The
flooding connections come from 127.0.0.2 (Linux routes all of 127/8 to
the loopback interface), the probes from 127.0.0.1: two addresses, as a
flood and a health checker are in production.
"""
import json
import os
import resource
import select
import socket
import subprocess
import time

import pytest

from conftest import REPO, SERVER, Server

JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def hard(corpus_db, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hardening")
    s = Server(corpus_db, str(tmp), extra=[
        "--feedback-db", str(tmp / "feedback.sqlite"),
        "--assets", os.path.join(REPO, "web")])
    yield s
    log = s.stop()
    assert s.proc.returncode == 0, log


def raw_request(port, target, timeout=5.0, source="127.0.0.1"):
    """Send one GET for `target` as is (no encoding); (status, body bytes,
    seconds), status None when the server closed without an answer."""
    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                  source_address=(source, 0)) as k:
        k.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                   % target).encode())
        data = b""
        while True:
            try:
                chunk = k.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            data += chunk
    took = time.monotonic() - t0
    if not data.startswith(b"HTTP/1."):
        return None, data, took
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body, took


def error_code(body):
    return json.loads(body)["error"]["code"]


@pytest.mark.parametrize("n", [1000, 5000])
def test_many_parameters_get_an_answer_at_once(hard, n):
    target = "/api/search?q=reset&" + "&".join("a%d=1" % i for i in range(n))
    status, body, took = raw_request(hard.port, target)
    assert status == 414, (status, body[:200])
    assert error_code(body) == "too_many_parameters"
    assert took < 2.0, took
    assert hard.get("/healthz")[0] == 200


def test_parameters_within_the_limit_are_served(hard):
    params = {"a%d" % i: "1" for i in range(200)}
    params["q"] = "reset password"
    s, b = hard.get("/api/search", params)
    assert s == 200 and b["total"] > 0


def test_overlong_uri_gets_an_answer_at_once(hard):
    status, body, took = raw_request(hard.port,
                                     "/api/search?q=" + "x" * (70 * 1024))
    assert status == 414 and error_code(body) == "uri_too_long", body[:200]
    assert took < 2.0
    assert hard.get("/healthz")[0] == 200


def test_nul_in_a_form_field_is_refused(hard):
    s, b, _ = hard.request("POST", "/api/feedback", headers=FORM,
                           body="article=reset-password%00x&helpful=no")
    assert s == 400, b
    assert "field &#39;article&#39; contains a NUL byte" in b, b
    s, b, _ = hard.request("POST", "/api/feedback", headers=FORM,
                           body="article=reset-password&helpful=no&"
                                "comment=a%00b")
    assert s == 400 and "field &#39;comment&#39;" in b
    s, b = hard.get("/api/feedback/stats",
                    token="agent-token-0123456789abcdef")
    assert s == 200 and b["articles"] == [], b


def test_nul_in_the_path_or_an_argument_is_refused(hard):
    status, body, _ = raw_request(hard.port, "/assets/app.js%00.css")
    assert status == 400, body[:200]
    assert error_code(body) == "bad_parameter"
    status, body, _ = raw_request(hard.port,
                                  "/api/articles/reset-password%00x")
    assert status == 400
    status, body, _ = raw_request(hard.port, "/api/search?q=reset%00x")
    assert status == 400 and b"'q'" in body, body
    status, body, _ = raw_request(hard.port, "/search?q%00z=reset")
    assert status == 400
    # The same requests without the NUL are fine.
    assert raw_request(hard.port, "/assets/app.js")[0] == 200
    assert raw_request(hard.port, "/api/search?q=reset")[0] == 200


def test_nul_in_a_pasted_text_is_refused(hard):
    s, b, _ = hard.request("POST", "/api/known-issues",
                           token="agent-token-0123456789abcdef",
                           headers={"Content-Type": "text/plain"},
                           body=b"error 0x80070005\x00 and the rest")
    assert s == 400 and b["error"]["code"] == "bad_body", b
    assert "NUL" in b["error"]["message"]


def raise_fd_limit(n):
    soft, hard_limit = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n:
        resource.setrlimit(resource.RLIMIT_NOFILE,
                           (min(n, hard_limit), hard_limit))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0] >= n


def test_slow_clients_leave_room_for_healthz(corpus_db, tmp_path):
    """1,100 connections that send a request line and then one header line
    every 2 s (never finishing their headers), for 6 s, from one address:
    /healthz from another address answers within 100 ms all along.  With
    the server's default limits, not a single option given."""
    if not raise_fd_limit(1500):
        pytest.skip("needs 1500 open files")
    s = Server(corpus_db, str(tmp_path))
    flood = []
    try:
        for _ in range(1100):
            k = socket.socket()
            k.settimeout(1.0)
            k.bind(("127.0.0.2", 0))
            try:
                k.connect(("127.0.0.1", s.port))
                k.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            except OSError:
                pass  # refused or closed: the limits at work
            flood.append(k)
        took, end, tick = [], time.monotonic() + 6, 0
        while time.monotonic() < end:
            if time.monotonic() > tick:
                for k in flood:
                    try:
                        k.send(b"X-Slow: 1\r\n")
                    except OSError:
                        pass
                tick = time.monotonic() + 2
            status, _, t = raw_request(s.port, "/healthz", timeout=3)
            assert status == 200, (status, t)
            took.append(t)
            time.sleep(0.1)
        assert len(took) >= 20
        assert max(took) < 0.1, sorted(took)[-5:]
    finally:
        for k in flood:
            k.close()
        s.stop()


def test_connection_options(corpus_db, tmp_path):
    s = Server(corpus_db, str(tmp_path),
               extra=["--max-per-ip", "2", "--timeout", "1"])
    held = []
    try:
        for _ in range(3):
            k = socket.create_connection(("127.0.0.1", s.port), timeout=3,
                                         source_address=("127.0.0.2", 0))
            held.append(k)
        # One of the three from the same address is closed at once,
        # unanswered.  Which one is not fixed: the server's threads accept
        # concurrently and count each address as they take a connection.
        t0 = time.monotonic()
        closed, _, _ = select.select(held, [], [], 0.9)
        assert time.monotonic() - t0 < 1 and len(closed) == 1, closed
        assert closed[0].recv(100) == b""
        held.remove(closed[0])
        closed[0].close()
        # Another address is still served.
        assert raw_request(s.port, "/healthz")[0] == 200
        # An idle connection is closed after --timeout.
        t0 = time.monotonic()
        assert held[0].recv(100) == b""
        assert 0.5 < time.monotonic() - t0 < 3.5
    finally:
        for k in held:
            k.close()
        s.stop()


@pytest.mark.parametrize("args,message", [
    (["--max-per-ip", "64", "--max-connections", "64"],
     "--max-per-ip (64) must be below --max-connections (64)"),
    (["--timeout", "0"], "--timeout: expected 1 to 3600, got '0'"),
    (["--max-connections", "x"], "--max-connections: expected 1 to 65536"),
    (["--max-connections", "2", "--max-per-ip", "1"],
     "--max-connections (2) must be at least --threads (4)"),
])
def test_connection_option_errors(corpus_db, args, message):
    p = subprocess.run([SERVER, "--db", corpus_db, "--port", "0", *args],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 2 and message in p.stderr, p.stderr


@pytest.mark.parametrize("target", [
    "/%ff",                      # decoded to the byte 0xFF, echoed in 404
    "/x" + "%C3%A9" * 300,       # a long message cut inside a character
    "/api/x%80y",
])
def test_error_keeps_its_shape_for_bytes_that_are_not_utf8(hard, target):
    # Found by tests/fuzz (http-1): the body used to be "{}".
    status, body, _ = raw_request(hard.port, target)
    assert status == 404
    err = json.loads(body)["error"]
    assert err["code"] == "not_found" and err["message"]


def test_a_request_cannot_forge_a_log_line(hard):
    status, _, _ = raw_request(hard.port, "/x%0AGET%20/forged%20200")
    assert status == 404
    time.sleep(0.2)
    hard.log.flush()
    with open(hard.log.name, encoding="utf-8") as f:
        lines = f.read().splitlines()
    assert not any(l.startswith("GET /forged") for l in lines)
    assert any("/x?GET /forged 200 404" in l for l in lines)
