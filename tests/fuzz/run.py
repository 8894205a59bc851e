#!/usr/bin/env python3
"""run.py - replay the regression inputs, then fuzz each libFuzzer harness.

    tests/fuzz/run.py --build build-fuzz --seconds 60 [TARGET ...]

For each target (default: every build-fuzz/fuzz/fuzz_* binary):
  1. every file in tests/fuzz/regressions/TARGET/ is run once (no fuzzing);
  2. with --seconds > 0 the harness fuzzes for that long, starting from
     BUILD/fuzz/corpus/TARGET/ (kept between runs; new inputs go there),
     tests/fuzz/seeds/TARGET/, the articles of corpus/ (text targets), and
     a sample of the bench corpus and queries read at run time (never
     copied into the repository).
A crash, a leak, a sanitizer report, a failed check or a timeout stops
the run with exit status 1 and names the saved input.  The last line is
"fuzz: N targets passed (...)" or "fuzz: FAILED ...".
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
# ../shared beside the repository, as CI lays it out (and this machine).
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
BENCH_CORPUS = os.environ.get("HDX_BENCH_CORPUS",
                              os.path.join(SHARED, "bench-corpus"))
BENCH_QUERIES = os.environ.get("HDX_BENCH_QUERIES",
                               os.path.join(SHARED, "bench-queries",
                                            "queries.txt"))
TEXT_TARGETS = {"article", "snippet", "ident", "text"}
# Longest input per target: articles are files (the cubic-anchor repro of
# issue 13 is 24 KB), queries are what a search box or a paste sends.
MAX_LEN = {"article": 65536, "snippet": 16384, "ident": 8192, "text": 8192,
           "query": 2048, "http": 4096}
ENV = {"ASAN_OPTIONS": "detect_container_overflow=0:detect_leaks=1",
       "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
       "HDX_FUZZ_ROOT": ROOT}


def bench_seeds(build):
    """Sample the bench corpus and queries into BUILD/fuzz/bench/ once."""
    out = os.path.join(build, "fuzz", "bench")
    if os.path.isdir(out):
        return out
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    for sub in ("text", "query", "http"):
        os.makedirs(os.path.join(tmp, sub))
    files = []
    for d, _, names in os.walk(BENCH_CORPUS):
        files += [os.path.join(d, n) for n in names if n.endswith(".md")]
    files.sort()
    for i, f in enumerate(files[::max(1, len(files) // 40)][:40]):
        shutil.copyfile(f, os.path.join(tmp, "text", "bench-%02d.md" % i))
    queries = []
    if os.path.isfile(BENCH_QUERIES):
        with open(BENCH_QUERIES, encoding="utf-8", errors="replace") as f:
            queries = [q.strip() for q in f if q.strip()]
    for i, q in enumerate(queries[::max(1, len(queries) // 200)][:200]):
        with open(os.path.join(tmp, "query", "q%03d" % i), "w") as f:
            f.write(q)
        if i % 5 == 0:
            with open(os.path.join(tmp, "http", "q%03d" % i), "w") as f:
                f.write("GET /api/search?q=%s HTTP/1.1\n\n"
                        % urllib.parse.quote_plus(q))
    os.rename(tmp, out)
    return out


def seed_dirs(target, build):
    dirs = [os.path.join(ROOT, "tests", "fuzz", "seeds", target)]
    bench = bench_seeds(build)
    if target in TEXT_TARGETS:
        dirs += [os.path.join(ROOT, "corpus", "articles"),
                 os.path.join(ROOT, "corpus", "incidents"),
                 os.path.join(bench, "text")]
    else:
        dirs.append(os.path.join(bench, target))
    return [d for d in dirs if os.path.isdir(d) and os.listdir(d)]


def run(cmd, log):
    """Run a harness with its temporary folders in a private TMPDIR,
    removed afterwards (a crash skips the harness's own clean-up)."""
    tmp = os.path.abspath(log + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    env = dict(os.environ, TMPDIR=tmp, **ENV)
    try:
        with open(log, "w") as f:
            return subprocess.run(cmd, env=env, stdout=f,
                                  stderr=subprocess.STDOUT).returncode
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def tail(log, n=40):
    with open(log, errors="replace") as f:
        return "".join(f.readlines()[-n:])


def replay(target, binary, build):
    reg = os.path.join(ROOT, "tests", "fuzz", "regressions", target)
    files = sorted(os.path.join(reg, n) for n in os.listdir(reg)
                   if not n.startswith(".")) if os.path.isdir(reg) else []
    if not files:
        return 0, True
    log = os.path.join(build, "fuzz", "logs", target + ".replay.log")
    rc = run([binary, "-runs=1"] + files, log)
    if rc != 0:
        print("fuzz: %s: a regression input fails again:\n%s"
              % (target, tail(log)))
    return len(files), rc == 0


STAT = re.compile(r"^stat::(\w+):\s*(\d+)", re.M)


def fuzz(target, binary, build, seconds, timeout):
    work = os.path.join(build, "fuzz", "corpus", target)
    arts = os.path.join(build, "fuzz", "artifacts", target) + os.sep
    os.makedirs(work, exist_ok=True)
    os.makedirs(arts, exist_ok=True)
    log = os.path.join(build, "fuzz", "logs", target + ".log")
    dict_file = os.path.join(ROOT, "tests", "fuzz", target + ".dict")
    cmd = [binary, "-max_total_time=%d" % seconds, "-timeout=%d" % timeout,
           "-max_len=%d" % MAX_LEN.get(target, 4096), "-print_final_stats=1",
           "-rss_limit_mb=3072", "-artifact_prefix=" + arts]
    if os.path.isfile(dict_file):
        cmd.append("-dict=" + dict_file)
    t0 = time.time()
    rc = run(cmd + [work] + seed_dirs(target, build), log)
    took = time.time() - t0
    with open(log, errors="replace") as f:
        stats = {k: int(v) for k, v in STAT.findall(f.read())}
    return rc, took, stats, log


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build-fuzz")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--timeout", type=int, default=10,
                    help="seconds one input may take before it is a finding")
    ap.add_argument("targets", nargs="*")
    a = ap.parse_args()
    bindir = os.path.join(a.build, "fuzz")
    targets = a.targets or sorted(
        n[5:] for n in os.listdir(bindir) if n.startswith("fuzz_"))
    os.makedirs(os.path.join(bindir, "logs"), exist_ok=True)
    summary = []
    for t in targets:
        binary = os.path.join(bindir, "fuzz_" + t)
        if not os.access(binary, os.X_OK):
            sys.exit("fuzz: no harness %s (run make fuzz-build)" % binary)
        n_reg, ok = replay(t, binary, a.build)
        if not ok:
            sys.exit("fuzz: FAILED %s (regression input)" % t)
        if a.seconds <= 0:
            summary.append("%s: %d regression inputs" % (t, n_reg))
            continue
        rc, took, st, log = fuzz(t, binary, a.build, a.seconds, a.timeout)
        runs = st.get("number_of_executed_units", 0)
        line = ("%s: %d runs in %.0f s (%d/s), %d new inputs, peak %d MB, "
                "%d regression inputs" % (
                    t, runs, took, st.get("average_exec_per_sec", 0),
                    st.get("new_units_added", 0), st.get("peak_rss_mb", 0),
                    n_reg))
        print("fuzz: " + line, flush=True)
        if rc != 0:
            saved = re.findall(r"Test unit written to (\S+)", tail(log, 400))
            print(tail(log))
            sys.exit("fuzz: FAILED %s: input saved as %s (log %s). Once it "
                     "is fixed, keep it as a regression input in "
                     "tests/fuzz/regressions/%s/."
                     % (t, saved[0] if saved else "?", log, t))
        summary.append(line)
    print("fuzz: %d targets passed (%s)" % (len(targets), "; ".join(
        s.split(":")[0] for s in summary)))


if __name__ == "__main__":
    main()
