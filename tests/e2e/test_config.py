"""helpdex.conf: every option in one file, the command line over it.

Runs the examples of docs/configuration.md and the EXAMPLE of
man/helpdex.conf.5 (their paths moved to this test's), checks that the
documented messages are the real ones, that the command line overrides
the file, and that several listen addresses all serve.
"""
import os
import re
import signal
import subprocess
import time
import urllib.request

import pytest

from conftest import REPO, SERVER

DOC = os.path.join(REPO, "docs", "configuration.md")
MAN = os.path.join(REPO, "man", "helpdex.conf.5")


def moved(text, db, tmp):
    """A documented config with its paths and ports made this test's."""
    tokens = tmp / "tokens"
    tokens.write_text("t0k3n-for-config-tests-0123 agent tester\n")
    os.chmod(tokens, 0o600)
    for old, new in [("/var/lib/helpdex/index", db),
                     ("/usr/share/helpdex/web", os.path.join(REPO, "web")),
                     ("/etc/helpdex/branding.conf",
                      os.path.join(REPO, "dist", "etc", "branding.conf")),
                     ("/var/lib/helpdex/", str(tmp) + "/"),
                     ("/etc/helpdex/tokens", str(tokens))]:
        text = text.replace(old, new)
    return text.replace(":8080", ":0")


def run(args, timeout=60):
    return subprocess.run([SERVER, *args], capture_output=True, text=True,
                          timeout=timeout)


def test_the_documented_config_checks_out(corpus_db, tmp_path):
    block = re.search(r"```yaml\n(.*?)```", open(DOC).read(), re.S).group(1)
    conf = tmp_path / "helpdex.conf"
    conf.write_text(moved(block, corpus_db, tmp_path))
    p = run(["--config", str(conf), "--check-config"])
    assert p.returncode == 0, p.stderr
    assert ("configuration OK: %s (2 listen addresses, index %s)"
            % (conf, corpus_db)) in p.stderr


def test_the_man_page_example_checks_out(corpus_db, tmp_path):
    text = open(MAN).read()
    block = re.search(r"^\.SH EXAMPLE\n\.nf\n(.*?)^\.fi", text,
                      re.S | re.M).group(1).replace("\\-", "-")
    (tmp_path / "corpus").mkdir()
    conf = tmp_path / "helpdex.conf"
    conf.write_text(moved(block, corpus_db, tmp_path))
    p = run(["--config", str(conf), "--check-config"])
    assert p.returncode == 0, p.stderr
    assert "configuration OK" in p.stderr


def documented_errors():
    """(line, message) of each `$ helpdex-serve --config helpdex.conf`
    example of docs/configuration.md."""
    text = open(DOC).read()
    return re.findall(r"^\$ helpdex-serve --config helpdex\.conf\n"
                      r"(helpdex-serve: helpdex\.conf:(\d+): .*)$", text, re.M)


@pytest.mark.parametrize("message,line", documented_errors())
def test_documented_messages_are_the_real_ones(corpus_db, tmp_path,
                                               message, line):
    key = re.search(r"--([a-z-]+): expected|unknown option '([a-z-]+)'",
                    message)
    name = key.group(1) or key.group(2)
    value = re.search(r"got '([^']*)'", message)
    lines = ["db: %s" % corpus_db] + ["# filler"] * (int(line) - 2)
    lines.append("%s: %s" % (name, value.group(1) if value else "x"))
    (tmp_path / "helpdex.conf").write_text("\n".join(lines) + "\n")
    p = subprocess.run([SERVER, "--config", "helpdex.conf"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2
    assert p.stderr.strip() == message


def start(args, tmp_path):
    pf = tmp_path / ("port-%d" % time.monotonic_ns())
    proc = subprocess.Popen([SERVER, *args, "--port-file", str(pf)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    deadline = time.monotonic() + 30
    while not (pf.exists() and pf.read_text().strip()):
        assert proc.poll() is None, proc.stdout.read()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return proc


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    return proc.communicate(timeout=20)[0]


def test_the_command_line_wins(corpus_db, tmp_path):
    conf = tmp_path / "helpdex.conf"
    conf.write_text("db: %s\nthreads: 2\nlisten: [127.0.0.1:0, 127.0.0.1:0]\n"
                    "quiet: true\n" % corpus_db)
    out = stop(start(["--config", str(conf), "--threads", "3",
                      "--port", "0"], tmp_path))
    listening = re.findall(r"listening on (\S+) \((\d+) threads", out)
    assert len(listening) == 1, out  # --port replaced the file's two
    assert listening[0][1] == "3"


def test_every_listen_address_serves(corpus_db, tmp_path):
    conf = tmp_path / "helpdex.conf"
    conf.write_text("db: %s\nlisten:\n  - 127.0.0.1:0\n  - 127.0.0.1:0\n"
                    % corpus_db)
    proc = start(["--config", str(conf)], tmp_path)
    try:
        # Both lines are written right after the port file.
        os.set_blocking(proc.stdout.fileno(), False)
        urls, out = [], ""
        deadline = time.monotonic() + 10
        while len(urls) < 2 and time.monotonic() < deadline:
            chunk = proc.stdout.read() or ""
            out += chunk
            urls = re.findall(r"listening on (http://\S+/)", out)
            time.sleep(0.05)
        assert len(urls) == 2 and urls[0] != urls[1], out
        for u in urls:
            with urllib.request.urlopen(u + "api/search?q=password",
                                        timeout=10) as r:
                assert r.status == 200
    finally:
        os.set_blocking(proc.stdout.fileno(), True)
        stop(proc)


def test_check_config_says_what_is_wrong(corpus_db, tmp_path):
    tokens = tmp_path / "tokens"
    tokens.write_text("x agent y\n")
    os.chmod(tokens, 0o644)
    p = run(["--db", corpus_db, "--tokens", str(tokens), "--check-config"])
    assert p.returncode == 2 and str(tokens) in p.stderr, p.stderr
    p = run(["--db", str(tmp_path / "none"), "--check-config"])
    assert p.returncode == 3 and "none" in p.stderr
    p = run(["--db", corpus_db, "--check-config"])
    assert p.returncode == 0 and "configuration OK (1 listen address" in \
        p.stderr
