"""The production stack of docs/operations.md on loopback ports: helpdex
installed with `make install DESTDIR=...`, started with the installed
unit's ExecStart= command line (test_install.exec_argv) and a --config
file with base-path /help, behind nginx running the shipped
dist/nginx/helpdex.conf (its installed copy in the examples) with a
self-signed certificate.

Only the ports and the certificate's paths of the shipped file are
changed (template()), so the documented config is the tested one.
Both processes run in their own sessions and are stopped by PID.

Used by tests/e2e/test_proxy_tls.py (Stack) and, from the command line,
by tests/browser/run.sh:

    proxy_stack.py up DIR CORPUS   start; prints HDX_TLS_URL=... lines
    proxy_stack.py down DIR        stop both by PID; exit 1 if helpdex
                                   did not exit cleanly
"""
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request

from conftest import AGENT_TOKEN, BUILD, REPO
from test_install import UNIT_DIR, exec_argv, read_unit

NGINX_CONF = os.path.join(REPO, "dist", "nginx", "helpdex.conf")
INSTALLED_NGINX_CONF = "/usr/share/doc/helpdex/examples/nginx-helpdex.conf"
PREFIX = "/help"
# The self-signed certificate, as docs/operations.md shows it.
OPENSSL_REQ = ("openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem "
               "-out cert.pem -subj /CN=127.0.0.1 -days 1")


def have_nginx():
    return bool(shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")) \
        and bool(shutil.which("openssl"))


def nginx_bin():
    return shutil.which("nginx") or "/usr/sbin/nginx"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def template(text, port, upstream, cert, key):
    """The shipped server block on loopback: 127.0.0.1:port instead of
    443 (no IPv6 listen), the test certificate, helpdex's port."""
    out = text.replace("listen 443 ssl;", "listen 127.0.0.1:%d ssl;" % port)
    out = out.replace("    listen [::]:443 ssl;\n", "")
    out = re.sub(r"ssl_certificate\s+\S+;", "ssl_certificate %s;" % cert, out)
    out = re.sub(r"ssl_certificate_key\s+\S+;",
                 "ssl_certificate_key %s;" % key, out)
    out = out.replace("http://127.0.0.1:8080;",
                      "http://127.0.0.1:%d;" % upstream)
    for old in ("listen 443", "[::]", ":8080", "/etc/ssl"):
        assert old not in out.split("server {", 1)[1], old
    return out


def nginx_main_conf(tmp):
    """nginx.conf around the server block: every file under tmp."""
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (user + "error_log %(t)s/error.log;\n"
            "worker_processes 1;\n"
            "events { worker_connections 128; }\n"
            "http {\n"
            "    access_log %(t)s/access.log;\n"
            "    client_body_temp_path %(t)s/body;\n"
            "    proxy_temp_path %(t)s/proxy;\n"
            "    fastcgi_temp_path %(t)s/fastcgi;\n"
            "    uwsgi_temp_path %(t)s/uwsgi;\n"
            "    scgi_temp_path %(t)s/scgi;\n"
            "    include %(t)s/nginx-helpdex.conf;\n"
            "}\n") % {"t": tmp}


def serve_conf(state, root, tls_port):
    """The --config file: the installed layout's paths, under /help."""
    return ("listen: 127.0.0.1:0\n"
            "db: %(s)s/index\n"
            "assets: %(r)s/usr/share/helpdex/web\n"
            "branding: %(s)s/branding.conf\n"
            "tokens: %(s)s/tokens\n"
            "feedback-db: %(s)s/feedback.sqlite\n"
            "analytics-db: %(s)s/analytics.sqlite\n"
            "base-path: %(p)s\n"
            "public-url: https://127.0.0.1:%(port)d%(p)s\n"
            "trusted-proxy: [127.0.0.1]\n"
            "max-per-ip: 0\n"
            "log-format: json\n") % {"s": state, "r": root, "p": PREFIX,
                                     "port": tls_port}


def https_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def wait_for(cond, what, proc, log, timeout=30):
    deadline = time.monotonic() + timeout
    while not cond():
        if proc.poll() is not None:
            raise RuntimeError("%s exited: %s" % (what, open(log).read()))
        if time.monotonic() > deadline:
            raise RuntimeError("%s did not start: %s"
                               % (what, open(log).read()))
        time.sleep(0.05)


def _answers(url, ctx=None):
    try:
        with urllib.request.urlopen(url, timeout=2, context=ctx) as r:
            return r.status == 200
    except OSError:
        return False


class Stack:
    """helpdex (installed, under /help) behind nginx with TLS, in tmp."""

    def __init__(self, tmp, corpus):
        self.tmp = tmp = os.path.abspath(tmp)
        self.root, state = tmp + "/root", tmp + "/state"
        self.state = state
        os.makedirs(state, exist_ok=True)
        p = subprocess.run(["make", "-s", "--no-print-directory", "-C", REPO,
                            "BUILD=" + BUILD, "install",
                            "DESTDIR=" + self.root, "PREFIX=/usr"],
                           capture_output=True, text=True, timeout=300)
        assert p.returncode == 0, p.stderr
        p = subprocess.run([self.root + "/usr/bin/helpdex-index", "--corpus",
                            corpus, "--db", state + "/index", "--quiet"],
                           capture_output=True, text=True, timeout=300)
        assert p.returncode == 0, p.stderr
        self._certificate()
        self.port = free_port()
        self.url = "https://127.0.0.1:%d%s" % (self.port, PREFIX)
        self._start_serve()
        self._start_nginx()

    def _certificate(self):
        self.cert, self.key = self.tmp + "/cert.pem", self.tmp + "/key.pem"
        argv = [self.cert if a == "cert.pem" else self.key if a == "key.pem"
                else a for a in OPENSSL_REQ.split()]
        p = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                           cwd=self.tmp)
        assert p.returncode == 0, p.stderr

    def _start_serve(self):
        s = self.state
        with open(s + "/branding.conf", "w") as f:
            f.write("product_name = Skylark\n"
                    "support_email = support@skylark.example\n")
        with open(s + "/tokens", "w") as f:
            f.write("%s agent proxy-tests\n" % AGENT_TOKEN)
        os.chmod(s + "/tokens", 0o600)
        conf = self.tmp + "/helpdex.conf"
        with open(conf, "w") as f:
            f.write(serve_conf(s, self.root, self.port))
        unit = read_unit(os.path.join(self.root, UNIT_DIR,
                                      "helpdex-serve.service"))
        argv = exec_argv(unit, self.root, s)
        assert argv[0] == self.root + "/usr/bin/helpdex-serve", argv
        argv[argv.index("--config") + 1] = conf
        port_file = self.tmp + "/serve.port"
        self.serve_log = self.tmp + "/serve.log"
        log = open(self.serve_log, "w")
        self.serve = subprocess.Popen(argv + ["--port-file", port_file],
                                      stdout=log, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        log.close()
        wait_for(lambda: os.path.exists(port_file)
                 and open(port_file).read().strip(), "helpdex-serve",
                 self.serve, self.serve_log)
        self.upstream = int(open(port_file).read())
        self.direct = "http://127.0.0.1:%d" % self.upstream
        wait_for(lambda: _answers(self.direct + "/healthz"), "helpdex-serve",
                 self.serve, self.serve_log)

    def _start_nginx(self):
        t = self.tmp
        # The installed copy of the shipped file (Makefile EXAMPLES).
        with open(self.root + INSTALLED_NGINX_CONF) as f:
            block = f.read()
        with open(NGINX_CONF) as f:
            assert block == f.read(), "make install changed the file"
        block = template(block, self.port, self.upstream, self.cert,
                         self.key)
        with open(t + "/nginx-helpdex.conf", "w") as f:
            f.write(block)
        with open(t + "/nginx.conf", "w") as f:
            f.write(nginx_main_conf(t))
        self.nginx_log = t + "/nginx.out"
        out = open(self.nginx_log, "w")
        self.nginx = subprocess.Popen(
            [nginx_bin(), "-p", t, "-c", t + "/nginx.conf", "-e",
             t + "/error.log", "-g", "daemon off; pid %s/nginx.pid;" % t],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        out.close()
        wait_for(lambda: _answers(self.url + "/healthz", https_context()),
                 "nginx", self.nginx, self.nginx_log)

    def pids(self):
        return self.serve.pid, self.nginx.pid

    def serve_log_lines(self):
        with open(self.serve_log) as f:
            return f.read().splitlines()


def alive(pid):
    """Is `pid` running (a zombie waiting for its reaper is not)?"""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def stop_pid(pid, timeout=20):
    """SIGTERM `pid`, wait for it; its exit status when it is our child,
    else 0 once it is gone."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
        except ChildProcessError:  # not ours: wait until it is gone
            if not alive(pid):
                return 0
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    return -9


def main(argv):
    if len(argv) == 4 and argv[1] == "up":
        st = Stack(argv[2], argv[3])
        with open(os.path.join(st.tmp, "pids"), "w") as f:
            f.write("%d %d\n" % st.pids())
        print("HDX_TLS_URL=%s" % st.url)
        print("HDX_TLS_STATE=%s" % st.state)
        print("HDX_TLS_TOKEN=%s" % AGENT_TOKEN)
        return 0
    if len(argv) == 3 and argv[1] == "down":
        serve, nginx = map(int, open(os.path.join(argv[2], "pids")).read()
                           .split())
        stop_pid(nginx)
        stop_pid(serve)
        # Not our child here: its clean exit is in its log.
        log = open(os.path.join(argv[2], "serve.log")).read()
        return 1 if "ERROR: AddressSanitizer" in log or \
            "LeakSanitizer" in log else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
