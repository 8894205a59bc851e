#!/usr/bin/env python3
"""Small helpers for bench/run.sh (stdlib only).

  util.py freeport                       print a free TCP port on 127.0.0.1
  util.py wait URL [TIMEOUT_S]           wait until URL answers 200
  util.py poll PORT WORD T0_NS [TIMEOUT] poll /api/search?q=WORD until it has
                                         a hit; print ms since T0_NS
                                         (time.time_ns() clock)
  util.py stacktrace FILE [BYTES]        write a ~32 KB Java + .NET trace
  util.py lookup PORT TOKEN FILE N       POST FILE to /api/known-issues N
                                         times; print JSON p50/p99/max ms
  util.py scale SRC DST K                K copies of SRC with new ids/titles
  util.py rss PID                        print VmRSS (kB) of PID
  util.py analytics RUNS                 results.jsonl lines of the
                                         recording on/off runs file
  util.py analytics-summary RUNS         their summary, one line per case
"""
import http.client
import json
import os
import random
import re
import socket
import sys
import time
import urllib.parse
import urllib.request


def freeport():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
    s.close()


def wait(url, timeout=30.0):
    end = time.monotonic() + float(timeout)
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except Exception:
            pass
        time.sleep(0.05)
    sys.exit("wait: %s did not answer within %ss" % (url, timeout))


def poll(port, word, t0_ns, timeout=30.0):
    end = time.monotonic() + float(timeout)
    c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=5)
    path = "/api/search?per_page=10&q=" + urllib.parse.quote(word)
    while time.monotonic() < end:
        c.request("GET", path)
        r = c.getresponse()
        body = r.read()
        if r.status == 200 and json.loads(body).get("total", 0) > 0:
            print("%.1f" % ((time.time_ns() - int(t0_ns)) / 1e6))
            return
        time.sleep(0.005)
    sys.exit("poll: '%s' not searchable within %ss" % (word, timeout))


def stacktrace(path, size=32 * 1024):
    size = int(size)
    rnd = random.Random(42)
    pk = ["com.contoso.billing", "com.contoso.sync", "org.apache.http.impl",
          "org.springframework.web", "com.microsoft.sqlserver.jdbc"]
    cl = ["InvoiceService", "SyncWorker", "ConnectionPool", "RequestHandler",
          "SQLServerConnection", "TokenValidator", "MailboxClient"]
    me = ["process", "run", "connect", "execute", "handle", "validate",
          "lambda$0", "invoke", "doFilter"]
    out = ["Exception in thread \"main\" java.lang.IllegalStateException: "
           "Connection pool exhausted while calling Exchange Online "
           "(error 0x80070005, AADSTS50076)"]
    ns = ["Contoso.Outlook.Sync", "System.Net.Http", "Microsoft.Exchange.Data",
          "Microsoft.SharePoint.Client", "System.Data.SqlClient"]
    while sum(len(l) + 1 for l in out) < size:
        if rnd.random() < 0.5:
            c = rnd.choice(cl)
            out.append("\tat %s.%s.%s(%s.java:%d)" % (
                rnd.choice(pk), c, rnd.choice(me), c, rnd.randint(10, 2000)))
        else:
            n = rnd.choice(ns)
            out.append("   at %s.%s.%s() in C:\\build\\src\\%s.cs:line %d" % (
                n, rnd.choice(cl), rnd.choice(me).capitalize(),
                rnd.choice(cl), rnd.randint(10, 2000)))
        r = rnd.random()
        if r < 0.02:
            out.append("Caused by: java.net.SocketTimeoutException: "
                       "Read timed out (HRESULT 0x80004005)")
        elif r < 0.04:
            out.append("---> System.InvalidOperationException: The mailbox "
                       "database is temporarily unavailable. "
                       "(Exception from HRESULT: 0x8004010F)")
    # exactly `size` bytes: the server accepts up to 32768
    data = "\n".join(out)[:size - 1]
    with open(path, "w") as f:
        f.write(data + "\n")


def pct(v, p):
    k = int(p * (len(v) - 1) + 0.5)
    return v[min(k, len(v) - 1)]


def lookup(port, token, path, n):
    with open(path, "rb") as f:
        body = f.read()
    c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
    hdr = {"Authorization": "Bearer " + token, "Content-Type": "text/plain"}
    ms, errors, hits = [], 0, 0
    for _ in range(int(n)):
        t0 = time.perf_counter()
        c.request("POST", "/api/known-issues", body=body, headers=hdr)
        r = c.getresponse()
        data = r.read()
        ms.append((time.perf_counter() - t0) * 1e3)
        if r.status != 200:
            errors += 1
            if errors == 1:
                sys.stderr.write("lookup: HTTP %d %s\n" % (r.status, data[:300]))
        else:
            try:
                j = json.loads(data)
                hits = len(j.get("hits", j.get("results", [])))
            except Exception:
                pass
    s = sorted(ms)
    print(json.dumps({"n": len(s), "p50_ms": pct(s, .5), "p99_ms": pct(s, .99),
                      "max_ms": s[-1], "errors": errors, "hits": hits,
                      "bytes": len(body)}))


def retitle(v, c):
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        return "%s (copy %d)%s" % (v[:-1], c, v[-1])
    return "%s (copy %d)" % (v, c)


def scale(src, dst, k):
    """K copies of every article under DST/cNN/, ids and titles suffixed."""
    k = int(k)
    idre = re.compile(r"^(id|slug|uid):\s*(.+)$", re.M)
    tre = re.compile(r"^title:\s*(.+)$", re.M)
    n = 0
    for root, dirs, files in os.walk(src):
        rel = os.path.relpath(root, src)
        for name in files:
            p = os.path.join(root, name)
            with open(p, "rb") as f:
                raw = f.read()
            for c in range(k):
                d = os.path.join(dst, "c%02d" % c, rel)
                os.makedirs(d, exist_ok=True)
                out = raw
                if name.endswith(".md") and c > 0:
                    t = raw.decode("utf-8", "surrogateescape")
                    t = idre.sub(lambda m: "%s: %s-c%02d" % (
                        m.group(1), m.group(2).strip(), c), t, count=1)
                    t = tre.sub(lambda m: "title: " + retitle(
                        m.group(1).rstrip(), c), t, count=1)
                    out = t.encode("utf-8", "surrogateescape")
                with open(os.path.join(d, name), "wb") as f:
                    f.write(out)
                n += 1
    print(n)


def rss(pid):
    with open("/proc/%s/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                print(line.split()[1])
                return
    print(0)


def analytics_runs(path):
    """{case: {"on"|"off": [(round, rps, p50, cpu_us)]}} of the runs file
    bench/run.sh writes: 'MODE c=N ROUND on|off RPS P50_MS CPU_US'."""
    cases = {}
    for line in open(path):
        mode, conns, rnd, sys_, rps, p50, cpu = line.split()
        runs = cases.setdefault("%s %s" % (mode, conns), {"on": [], "off": []})
        runs[sys_].append((int(rnd), float(rps), float(p50), float(cpu)))
    return cases


def round_ratios(runs, k):
    """Column k of on / off, round by round (the two runs of a round are
    adjacent, so the machine's drift cancels best there)."""
    off = {r[0]: r[k] for r in runs["off"]}
    return [r[k] / off[r[0]] for r in runs["on"] if off.get(r[0])]


def analytics(path):
    for case, runs in analytics_runs(path).items():
        bench = "HTTP %s, analytics recording on vs off" % case
        rows = [("req/s", 1, "higher"), ("p50 ms", 2, "lower"),
                ("server CPU us/request", 3, "lower")]
        for metric, k, better in rows:
            for sys_, name in (("on", "helpdex"),
                               ("off", "helpdex, recording off")):
                print(json.dumps({"scale": 1, "bench": bench,
                                  "metric": metric, "system": name,
                                  "better": better,
                                  "values": [r[k] for r in runs[sys_]]}))
        for metric, k, better in (("req/s on/off, per round", 1, "higher"),
                                  ("CPU/request on/off, per round", 3,
                                   "lower")):
            print(json.dumps({"scale": 1, "bench": bench, "metric": metric,
                              "system": "helpdex", "better": better,
                              "values": [round(x, 4) for x in
                                         round_ratios(runs, k)]}))


def analytics_summary(path):
    import statistics as st
    for case, runs in analytics_runs(path).items():
        med = {s_: [st.median(r[k] for r in runs[s_]) for k in (1, 3)]
               for s_ in ("on", "off")}
        rr, cr = round_ratios(runs, 1), round_ratios(runs, 3)
        print("  %s: req/s on %.0f, off %.0f; on/off per round median %.3f "
              "(%.3f-%.3f).  Server CPU per request on %.1f us, off %.1f us;"
              " on/off per round median %.3f (%+.1f%%, %.3f-%.3f)" % (
                  case, med["on"][0], med["off"][0], st.median(rr), min(rr),
                  max(rr), med["on"][1], med["off"][1], st.median(cr),
                  100 * (st.median(cr) - 1), min(cr), max(cr)))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"freeport": freeport, "wait": wait, "poll": poll,
     "stacktrace": stacktrace, "lookup": lookup, "scale": scale,
     "rss": rss, "analytics": analytics,
     "analytics-summary": analytics_summary}[cmd](*args)
