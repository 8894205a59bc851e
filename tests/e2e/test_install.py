"""`make install` / `make uninstall` (issue 17): the installed tree, the
systemd units, and an installed system that works.  The installed programs
are started with the command lines of their installed unit files, every
absolute path rewritten under DESTDIR (state: a temporary folder), on a
free loopback port.  See docs/install.md."""
import os
import re
import shlex
import shutil
import signal
import subprocess
import time
import urllib.request

import pytest

from conftest import BUILD, CORPUS, REPO

STATE = "/var/lib/helpdex"
UNIT_DIR = "usr/lib/systemd/system"
UNITS = ["helpdex-serve.service", "helpdex-index.service",
         "helpdex-index.path", "helpdex-index.timer"]
WEB = sorted(os.listdir(os.path.join(REPO, "web")))

# Every file `make install PREFIX=/usr` puts, relative to DESTDIR.
EXPECTED = sorted(
    ["usr/bin/helpdex-index", "usr/bin/helpdex-serve",
     "usr/bin/helpdex-report",
     "usr/share/man/man1/helpdex-index.1",
     "usr/share/man/man1/helpdex-report.1",
     "usr/share/man/man1/helpdex-serve.1",
     "usr/share/man/man5/helpdex.conf.5",
     "usr/share/doc/helpdex/examples/helpdex.conf",
     "usr/share/doc/helpdex/examples/branding.conf",
     "usr/share/doc/helpdex/examples/default.helpdex",
     "usr/share/doc/helpdex/examples/tokens.example",
     "usr/share/doc/helpdex/examples/nginx-helpdex.conf",
     "etc/helpdex/helpdex.conf", "etc/helpdex/branding.conf",
     "etc/default/helpdex"]
    + ["usr/share/helpdex/web/" + f for f in WEB]
    + [UNIT_DIR + "/" + u for u in UNITS])


def make(*args, check=True):
    p = subprocess.run(["make", "-s", "--no-print-directory", "-C", REPO,
                        "BUILD=" + BUILD, *args],
                       capture_output=True, text=True, timeout=300)
    if check:
        assert p.returncode == 0, (args, p.stdout, p.stderr)
    return p


def files_under(root):
    out = []
    for d, _, names in os.walk(root):
        out += [os.path.relpath(os.path.join(d, n), root) for n in names]
    return sorted(out)


def read_unit(path):
    """{section: [(key, value)]}: continuation lines joined, comments out."""
    units, section, pending = {}, None, ""
    with open(path) as f:
        for raw in f:
            line = raw.rstrip("\n")
            if pending:
                line, pending = pending + " " + line.strip(), ""
            if line.endswith("\\"):
                pending = line[:-1].rstrip()
                continue
            line = line.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("["):
                section = line.strip("[]")
                units.setdefault(section, [])
                continue
            key, _, value = line.partition("=")
            units[section].append((key.strip(), value.strip()))
    return units


def values(unit, section, key):
    return [v for k, v in unit.get(section, []) if k == key]


def unit_env(unit, destdir):
    """The environment ExecStart= sees: Environment=, then the (installed)
    EnvironmentFile=."""
    env = {}
    for v in values(unit, "Service", "Environment"):
        for kv in shlex.split(v):
            k, _, val = kv.partition("=")
            env[k] = val
    for v in values(unit, "Service", "EnvironmentFile"):
        path = destdir + v.lstrip("-")
        if not os.path.exists(path):
            assert v.startswith("-"), v
            continue
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    k, _, val = line.partition("=")
                    env[k] = " ".join(shlex.split(val))
    return env


def exec_argv(unit, destdir, state):
    """ExecStart= as argv, the way systemd expands it (${X} one word, $X
    split on spaces), with paths moved under destdir and state."""
    (cmd,) = values(unit, "Service", "ExecStart")
    env = unit_env(unit, destdir)
    argv = []
    for word in shlex.split(cmd):
        m = re.fullmatch(r"\$(\w+)", word)
        if m:
            argv += env.get(m.group(1), "").split()
            continue
        word = re.sub(r"\$\{(\w+)\}", lambda m: env.get(m.group(1), ""), word)
        if word.startswith(STATE):
            word = state + word[len(STATE):]
        elif word.startswith("/"):
            word = destdir + word
        argv.append(word)
    return argv


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    root = str(tmp_path_factory.mktemp("destdir"))
    make("install", "DESTDIR=" + root, "PREFIX=/usr")
    return root


def test_install_tree(installed):
    assert files_under(installed) == EXPECTED
    for rel in EXPECTED:
        mode = os.stat(os.path.join(installed, rel)).st_mode & 0o777
        want = 0o755 if rel.startswith("usr/bin/") else 0o644
        assert mode == want, (rel, oct(mode))
    for f in WEB:
        with open(os.path.join(REPO, "web", f), "rb") as a, \
                open(os.path.join(installed, "usr/share/helpdex/web", f),
                     "rb") as b:
            assert a.read() == b.read(), f
    for u in UNITS:
        with open(os.path.join(installed, UNIT_DIR, u)) as f:
            text = f.read()
        assert not re.search(r"@[A-Z]+@", text), (u, "unsubstituted")
        assert "/usr/local" not in text, u


def test_serve_unit_sandbox(installed):
    u = read_unit(os.path.join(installed, UNIT_DIR, "helpdex-serve.service"))
    want = {"Type": "notify", "NotifyAccess": "main", "User": "helpdex",
            "ProtectSystem": "strict",
            "ProtectHome": "yes", "PrivateTmp": "yes",
            "NoNewPrivileges": "yes", "ReadWritePaths": STATE,
            "Restart": "on-failure", "StateDirectory": "helpdex",
            "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX"}
    for k, v in want.items():
        assert values(u, "Service", k) == [v], k
    assert "@system-service" in values(u, "Service", "SystemCallFilter")
    argv = exec_argv(u, "", STATE)
    assert argv[0] == "/usr/bin/helpdex-serve"
    assert argv[argv.index("--config") + 1] == "/etc/helpdex/helpdex.conf"
    conf = yaml_lines(os.path.join(installed, "etc/helpdex/helpdex.conf"))
    assert conf["assets"] == "/usr/share/helpdex/web"
    assert conf["branding"] == "/etc/helpdex/branding.conf"
    assert conf["db"] == STATE + "/index"
    assert conf["feedback-db"] == STATE + "/feedback.sqlite"

    i = read_unit(os.path.join(installed, UNIT_DIR, "helpdex-index.service"))
    for k in ("User", "ProtectSystem", "ProtectHome", "PrivateTmp",
              "NoNewPrivileges", "ReadWritePaths"):
        assert values(i, "Service", k) == [want[k]], k
    assert values(i, "Service", "Type") == ["oneshot"]
    p = read_unit(os.path.join(installed, UNIT_DIR, "helpdex-index.path"))
    assert STATE + "/corpus" in values(p, "Path", "PathChanged")
    assert values(p, "Path", "Unit") == ["helpdex-index.service"]
    t = read_unit(os.path.join(installed, UNIT_DIR, "helpdex-index.timer"))
    assert values(t, "Timer", "Unit") == ["helpdex-index.service"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze not installed")
def test_units_verify(tmp_path):
    """systemd-analyze verify on units installed with PREFIX=<tmp> (so the
    ExecStart= programs exist): no warning at all."""
    prefix = str(tmp_path / "usr")
    make("install", "PREFIX=" + prefix, "SYSCONFDIR=" + str(tmp_path / "etc"))
    units = [os.path.join(prefix, "lib/systemd/system", u) for u in UNITS]
    p = subprocess.run(["systemd-analyze", "verify", "--man=no", *units],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and p.stderr == "", p.stderr


def yaml_lines(path):
    """The installed helpdex.conf's `key: value` lines (and the first item
    of a list), enough to check the shipped paths."""
    out, key = {}, None
    for line in open(path):
        m = re.match(r"^([a-z][\w-]*):\s*(\S.*)?$", line)
        if m:
            key = m.group(1)
            if m.group(2):
                out[key] = m.group(2).strip()
        elif key and re.match(r"^\s+- (\S+)", line) and key not in out:
            out[key] = line.split("- ", 1)[1].strip()
    return out


def moved_conf(root, argv, state, tmp_path):
    """The unit's --config file with its paths moved under root and state
    (as exec_argv moves the command line's), written to tmp_path."""
    i = argv.index("--config")
    text = open(argv[i + 1]).read()
    text = re.sub(r"(?m)^(\s*(?:- )?[\w-]*:?\s*)(/\S*)$",
                  lambda m: m.group(1) + (state + m.group(2)[len(STATE):]
                                          if m.group(2).startswith(STATE)
                                          else root + m.group(2)), text)
    conf = str(tmp_path / "helpdex.conf")
    with open(conf, "w") as f:
        f.write(text)
    argv[i + 1] = conf


def get(base, path):
    with urllib.request.urlopen(base + path, timeout=30) as r:
        return r.status, r.headers.get("Content-Type", ""), r.read()


def run_installed_system(root, unit_dir, tmp_path):
    """Index corpus/ and serve it with the command lines of the units in
    root/unit_dir, paths under root; check /, an asset and a search."""
    state = str(tmp_path / "state")
    shutil.copytree(CORPUS, state + "/corpus")
    units = os.path.join(root, unit_dir)
    idx = exec_argv(read_unit(os.path.join(units, "helpdex-index.service")),
                    root, state)
    assert idx[0] == root + "/usr/bin/helpdex-index"
    p = subprocess.run(idx, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, (idx, p.stdout, p.stderr)
    assert os.path.isdir(state + "/index")

    srv = exec_argv(read_unit(os.path.join(units, "helpdex-serve.service")),
                    root, state)
    assert srv[0] == root + "/usr/bin/helpdex-serve"
    moved_conf(root, srv, state, tmp_path)
    p = subprocess.run(srv + ["--check-config"], capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 0 and "configuration OK" in p.stderr, p.stderr
    # The command line overrides the file's listen address.
    port_file = str(tmp_path / "port")
    srv += ["--port", "0", "--port-file", port_file]
    log_path = str(tmp_path / "serve.log")
    log = open(log_path, "w+")
    proc = subprocess.Popen(srv, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while not (os.path.exists(port_file)
                   and open(port_file).read().strip()):
            assert proc.poll() is None, (srv, open(log_path).read())
            assert time.monotonic() < deadline, "helpdex-serve did not start"
            time.sleep(0.02)
        base = "http://127.0.0.1:%d" % int(open(port_file).read())
        status, ctype, body = get(base, "/")
        assert status == 200 and ctype.startswith("text/html"), ctype
        # The page links the fingerprinted style sheet (server/assets.c).
        m = re.search(rb'/assets/style\.[0-9a-f]{16}\.css', body)
        assert m, body[:400]
        status, ctype, body = get(base, m.group(0).decode())
        assert status == 200 and ctype.startswith("text/css"), ctype
        with open(os.path.join(REPO, "web", "style.css"), "rb") as f:
            assert body == f.read()
        status, ctype, body = get(base, "/api/search?q=password")
        assert status == 200 and "json" in ctype
        assert b'"reset-password"' in body
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    assert proc.returncode == 0, open(log_path).read()


def test_installed_system_works(installed, tmp_path):
    """Index corpus/ and serve it the way the installed units do."""
    run_installed_system(installed, UNIT_DIR, tmp_path)


def test_uninstall_leaves_no_files(tmp_path):
    root = str(tmp_path / "root")
    make("install", "DESTDIR=" + root, "PREFIX=/usr")
    assert files_under(root) == EXPECTED
    make("uninstall", "DESTDIR=" + root, "PREFIX=/usr")
    assert files_under(root) == []
    for d in ("usr/share/helpdex", "usr/share/doc/helpdex", "etc/helpdex"):
        assert not os.path.exists(os.path.join(root, d)), d


def test_edited_config_is_kept(tmp_path):
    """install never overwrites a config file, uninstall keeps an edited
    one (and says so) and removes everything else."""
    root = str(tmp_path / "root")
    make("install", "DESTDIR=" + root, "PREFIX=/usr")
    conf = os.path.join(root, "etc/helpdex/branding.conf")
    with open(conf, "a") as f:
        f.write("product_name = Acme\n")
    p = make("install", "DESTDIR=" + root, "PREFIX=/usr")
    assert "keeping " + conf in p.stdout
    assert open(conf).read().endswith("product_name = Acme\n")
    p = make("uninstall", "DESTDIR=" + root, "PREFIX=/usr")
    assert "keeping " + conf + " (edited)" in p.stdout
    assert files_under(root) == ["etc/helpdex/branding.conf"]


def test_default_prefix(tmp_path):
    """Without PREFIX: /usr/local, config in /usr/local/etc."""
    root = str(tmp_path / "root")
    make("install", "DESTDIR=" + root)
    got = files_under(root)
    assert "usr/local/bin/helpdex-serve" in got
    assert "usr/local/etc/helpdex/branding.conf" in got
    assert "usr/local/lib/systemd/system/helpdex-serve.service" in got
    with open(os.path.join(
            root, "usr/local/lib/systemd/system/helpdex-serve.service")) as f:
        text = f.read()
    assert ("ExecStart=/usr/local/bin/helpdex-serve --config "
            "/usr/local/etc/helpdex/helpdex.conf") in text
    conf = yaml_lines(os.path.join(root, "usr/local/etc/helpdex/helpdex.conf"))
    assert conf["assets"] == "/usr/local/share/helpdex/web"
    make("uninstall", "DESTDIR=" + root)
    assert files_under(root) == []
