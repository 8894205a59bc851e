#!/usr/bin/python3
"""run.py - the scale test (issue 19, read replicas; docs/scaling.md).

Starts the topology of cluster.py, then proves and measures:
  1. convergence: an article published on the master is found through
     the balancer and on both replicas within 2 s (every publish; the
     median and maximum are reported);
  2. throughput through the balancer, the same wrk load with 1 replica
     (the other stopped) and with 2, alternating;
  3. one replica's server killed (SIGKILL) a quarter into a load and
     restarted half-way: 0 failed requests at the balancer, and it serves
     again;
  4. a full rebuild on the master (a new index swapped in, a full copy to
     each replica) under load: 0 failed requests, and each replica
     answers wholly from the old index, then wholly from the new one;
  5. an agent signed in through the balancer stays signed in (its
     session cookie sticks to the replica that holds the session).

  run.py [--seconds S] [--repeats N] [--rounds R] [--report FILE]

S is each load's length (make scale-test: 30, make check-scale: 5), N the
number of publishes timed, R the pairs of throughput loads (the median
is reported).  Exit status 0 when every check held.
"""
import argparse
import json
import os
import pathlib
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import types

from cluster import N_DOCS, Cluster, get_json
from conftest import INTERNAL_TOKEN, article, write

import test_agents  # noqa: E402  (its Browser: a cookie jar over http.client)

HERE = os.path.dirname(os.path.abspath(__file__))
CONVERGE_LIMIT = 2.0


class Load:
    """One wrk run through the balancer, in the background."""

    def __init__(self, url, seconds):
        self.proc = subprocess.Popen(
            ["wrk", "-t2", "-c16", "-d%ds" % seconds, "--timeout", "5s",
             "--latency", "-s", os.path.join(HERE, "queries.lua"), url],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.seconds = seconds

    def result(self):
        out, _ = self.proc.communicate(timeout=self.seconds + 30)
        assert self.proc.returncode == 0, out

        def num(pattern, default=None):
            m = re.search(pattern, out)
            assert m or default is not None, (pattern, out)
            return float(m.group(1)) if m else default
        sock = re.search(r"Socket errors: connect (\d+), read (\d+), "
                         r"write (\d+), timeout (\d+)", out)
        return {
            "requests": int(num(r"(\d+) requests in")),
            "rps": num(r"Requests/sec:\s+([\d.]+)"),
            "non_2xx": int(num(r"Non-2xx or 3xx responses: (\d+)", 0)),
            "socket_errors": sum(map(int, sock.groups())) if sock else 0,
            "p50": re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1),
            "p99": re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1),
        }


def failed(r):
    return r["non_2xx"] + r["socket_errors"]


def found(base, word, want):
    status, body = get_json(base, "/api/search", {"q": word})
    return status == 200 and [h["id"] for h in body["hits"]] == [want]


def convergence(c, repeats):
    """Seconds from the start of each publish to the article being found
    on every replica and through the balancer."""
    times, gaps = [], random.Random(19)
    for k in range(repeats):
        word, doc = "zzconv" + chr(ord("a") + k), "conv-%d" % k
        write(pathlib.Path(c.corpus) / ("conv%d.md" % k),
              article(doc, "Convergence %d" % k, "Find me: %s." % word))
        t0 = time.monotonic()
        c.index()
        bases = [c.replica_base(i) for i in range(len(c.replicas))]
        c.wait_for(lambda: all(found(b, word, doc) for b in bases + [c.lb]),
                   "publish %d on every replica" % k, timeout=10)
        times.append(time.monotonic() - t0)
        # Publishes at random moments of the replicas' 1 s cycle (not
        # locked to it), seeded so that runs compare.
        time.sleep(gaps.uniform(0.2, 1.2))
    return times


def agent_session_sticks(c, requests=8):
    """An agent signed in through the balancer stays signed in: every
    request with its session cookie reaches the replica holding the
    session (the balancer's stick table).  Returns how many did."""
    b = test_agents.Browser(types.SimpleNamespace(port=c.lb_port),
                            "198.51.100.7")
    status = b.signin()[0]
    assert status == 303 and "hdx_session" in b.cookies, status
    return sum(b.get("/agent/console")[0] == 200 for _ in range(requests))


def served_searches(c, i):
    status, body = get_json(c.replica_base(i), "/metrics",
                            token=INTERNAL_TOKEN)
    assert status == 200
    return sum(float(ln.split()[-1]) for ln in body.splitlines()
               if ln.startswith('helpdex_http_requests_total{route="search"'))


def throughput(c, seconds, rounds):
    """`rounds` pairs of loads, 1 replica then 2, alternating so that the
    machine's other work weighs on both alike."""
    one, two = [], []
    for _ in range(rounds):
        c.stop_server(1)
        time.sleep(1.5)  # the balancer's checks: down after 2 x 500 ms
        one.append(Load(c.lb, seconds).result())
        c.start_server(1)
        time.sleep(1.5)  # up after 2 checks
        two.append(Load(c.lb, seconds).result())
    return one, two


def median_run(runs):
    """The run of median throughput, with every run's failures and rates."""
    r = dict(sorted(runs, key=lambda x: x["rps"])[len(runs) // 2])
    r["rps_all"] = [x["rps"] for x in runs]
    r["non_2xx"] = sum(x["non_2xx"] for x in runs)
    r["socket_errors"] = sum(x["socket_errors"] for x in runs)
    r["requests"] = sum(x["requests"] for x in runs)
    return r


def kill_under_load(c, seconds):
    load = Load(c.lb, seconds)
    time.sleep(seconds / 4)
    c.stop_server(1, signal.SIGKILL)
    time.sleep(seconds / 4)
    c.start_server(1)  # half the load left to rejoin (2 checks) and serve
    r = load.result()
    r["rejoined_searches"] = served_searches(c, 1)
    return r


class Monitor(threading.Thread):
    """Polls one replica directly: how many documents hold the old and
    the new marker word.  Each answer must be all or none, and a replica
    never goes back from the new index to the old."""

    def __init__(self, base):
        super().__init__(daemon=True)
        self.base, self.stop, self.seen, self.bad = base, False, [], []

    def run(self):
        while not self.stop:
            for word in ("zzalpha", "zzbeta"):
                try:
                    status, body = get_json(self.base, "/api/search",
                                            {"q": word, "per_page": 1})
                except OSError as e:
                    status, body = str(e), None
                total = body["total"] if status == 200 else None
                if total not in (0, N_DOCS):
                    self.bad.append((word, status, total))
                self.seen.append((word, total))

    def switched(self):
        """True once the new index answers (both words seen after)."""
        last = dict(self.seen[-2:])
        return last == {"zzalpha": 0, "zzbeta": N_DOCS}

    def went_back(self):
        states = [t == N_DOCS for w, t in self.seen if w == "zzbeta"]
        first_new = states.index(True) if True in states else len(states)
        return not all(states[first_new:])


def rebuild_under_load(c, seconds):
    mons = [Monitor(c.replica_base(i)) for i in range(len(c.replicas))]
    for m in mons:
        m.start()
    # 5 s more than the others, so that the switch lands under load even
    # on a slow (sanitized, shared) machine; checked below.
    load = Load(c.lb, seconds + 5)
    started = time.monotonic()
    time.sleep(seconds / 4)
    c.write_corpus("zzbeta")
    t0 = time.monotonic()
    c.index("--rebuild")
    c.wait_for(lambda: all(m.switched() for m in mons),
               "the rebuilt index on every replica",
               timeout=max(seconds, 20))
    switch = time.monotonic() - t0
    r = load.result()
    # Seconds from the start of the load to the switch, within the load?
    r["switched_under_load"] = t0 - started + switch < load.seconds
    for m in mons:
        m.stop = True
        m.join(timeout=10)
    r["switch_seconds"] = switch
    r["mixed_answers"] = sum(len(m.bad) for m in mons)
    r["went_back"] = any(m.went_back() for m in mons)
    r["monitor_requests"] = sum(len(m.seen) for m in mons)
    return r


def check(results):
    """The failed checks, as sentences (none: passed)."""
    bad = []
    conv = results["convergence_s"]
    if max(conv) > CONVERGE_LIMIT:
        bad.append("a publish took %.2f s (limit %.1f)" % (max(conv),
                                                           CONVERGE_LIMIT))
    for name in ("throughput_1", "throughput_2", "kill", "rebuild"):
        if failed(results[name]):
            bad.append("%s: %d failed requests" % (name,
                                                   failed(results[name])))
    if results["agent_sticky"] != 8:
        bad.append("a signed-in agent was signed out on %d of 8 requests"
                   % (8 - results["agent_sticky"]))
    if results["kill"]["rejoined_searches"] == 0:
        bad.append("the restarted replica served no search")
    if not results["rebuild"]["switched_under_load"]:
        bad.append("rebuild: the switch came after the load had ended")
    if results["rebuild"]["mixed_answers"] or results["rebuild"]["went_back"]:
        bad.append("rebuild: an answer mixed or went back to the old index")
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=2,
                    help="pairs of throughput loads (1 and 2 replicas)")
    ap.add_argument("--report", help="write the figures here as JSON")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="helpdex-scale-")
    c = Cluster(tmp)
    results = {"seconds": a.seconds, "docs": N_DOCS}
    try:
        c.start()
        results["convergence_s"] = convergence(c, a.repeats)
        results["agent_sticky"] = agent_session_sticks(c)
        one, two = throughput(c, a.seconds, a.rounds)
        results["throughput_1"] = median_run(one)
        results["throughput_2"] = median_run(two)
        results["kill"] = kill_under_load(c, a.seconds)
        results["rebuild"] = rebuild_under_load(c, a.seconds)
    finally:
        c.stop()
    bad = check(results) + ["helpdex-serve exited with status " + e
                            for e in c.bad_exits]
    conv = results["convergence_s"]
    results["convergence_median_s"] = statistics.median(conv)
    print("convergence (publish -> found on both replicas and the balancer):"
          " median %.2f s, max %.2f s over %d publishes"
          % (statistics.median(conv), max(conv), len(conv)))
    for name in ("throughput_1", "throughput_2", "kill", "rebuild"):
        r = results[name]
        print("%-13s %7.0f req/s  p50 %-8s p99 %-8s %d requests, %d failed%s"
              % (name, r["rps"], r["p50"], r["p99"], r["requests"],
                 failed(r), "  (runs: %s req/s)" % ", ".join(
                     "%.0f" % x for x in r["rps_all"])
                 if "rps_all" in r else ""))
    print("agent session: %d of 8 requests signed in"
          % results["agent_sticky"])
    print("rebuild: switched on both replicas %.2f s after the run started;"
          " %d monitor answers, %d mixed"
          % (results["rebuild"]["switch_seconds"],
             results["rebuild"]["monitor_requests"],
             results["rebuild"]["mixed_answers"]))
    if a.report:
        with open(a.report, "w") as f:
            json.dump(results, f, indent=2)
    for b in bad:
        print("FAILED: " + b)
    if not bad:
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print("logs kept in " + tmp)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
