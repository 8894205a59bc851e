#!/usr/bin/python3
"""Relevance on real content: helpdex vs SQLite FTS5 vs plain Xapian.

Reads tests/relevance/bench/judgments.tsv (class, query, relevant_paths;
written by derive.py from the bench corpus), indexes the bench corpus with
helpdex-index, serves it with helpdex-serve on an ephemeral loopback port
and runs every query through GET /api/search (public audience,
per_page=10).  The same queries go to two baselines over the same files:

- fts5:   SQLite FTS5 (porter unicode61), title/description/body, an OR of
          the query's quoted words, ranked by bm25 (as tests/relevance/run.py)
- xapian: plain Xapian, no helpdex analysis: scriptindex (TermGenerator,
          English stemmer; title with wdf x3, description, body) and quest
          (QueryParser, default flags, default operator OR, BM25)

Prints R@1, R@10 and MRR@10 per class for each system, and per system the
queries that got an error and those that got no results.  A hit counts by
its path relative to the corpus root.

Usage:
    tests/relevance/bench/run.py [--build DIR] [--corpus DIR] [--json FILE]
        [--class NAME ...] [--misses] [--systems LIST] [--sample K]
        [--db DIR] [--check]

--check compares helpdex with the floors in floors.tsv (exit 1 below one).
--sample K runs about one query in K of each class (K=1: all).
--misses prints, per class, the queries whose relevant paths are not
helpdex's first hit: query, expected path, helpdex's rank and top 3.

Python 3.11 standard library only (plus the quest and scriptindex programs
of xapian-tools for the xapian baseline).
"""

import argparse
import importlib.util
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import derive               # noqa: E402  the corpus reader and walk rule

# tests/relevance/run.py (the sample-corpus harness): its Helpdex runner,
# metrics and FTS5 query form.  Loaded by path: this file is run.py too.
_spec = importlib.util.spec_from_file_location(
    "relevance_run", os.path.join(os.path.dirname(HERE), "run.py"))
base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(base)

REPO = base.REPO
K = base.K
JUDGMENTS = os.path.join(HERE, "judgments.tsv")
FLOORS = os.path.join(HERE, "floors.tsv")
DEFAULT_CORPUS = os.environ.get("HDX_BENCH_CORPUS", derive.DEFAULT_CORPUS)
SYSTEMS = ["helpdex", "fts5", "xapian"]
LABEL = {"helpdex": "helpdex", "fts5": "FTS5", "xapian": "Xapian"}


# ------------------------------------------------------------ input

def load_judgments(path):
    return base.load_judgments(path, "relevant_paths")


def load_floors(path):
    """class -> {metric: floor}; lines starting with # are comments."""
    floors, cols = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if cols is None:
                cols = parts
                continue
            row = dict(zip(cols, parts))
            floors[row["class"]] = {c: float(row[c]) for c in cols[1:]}
    return floors


def sample(judgments, k):
    """About one query in k of each class, chosen by a hash of the query
    (not by position: kb_number cycles through three forms, and a stride
    of 3 would keep only one of them)."""
    if k <= 1:
        return judgments
    return [j for j in judgments if derive.h("sample", j["query"]) % k == 0]


# ------------------------------------------------------------ systems

def documents(corpus):
    """(path, title, description, body) of every file helpdex indexes."""
    for rel in derive.walk(corpus):
        with open(os.path.join(corpus, rel), encoding="utf-8",
                  errors="replace") as f:
            d = derive.Doc(rel, f.read())
        body = base.LINK_TARGET_RE.sub("]", d.body)
        yield rel, d.title, d.description, body


class Fts5:
    def __init__(self, corpus):
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE fts USING fts5(path UNINDEXED, title, "
            "summary, body, tokenize='porter unicode61 remove_diacritics 2')")
        self.db.executemany("INSERT INTO fts VALUES (?,?,?,?)",
                            documents(corpus))
        self.n_docs = self.db.execute("SELECT count(*) FROM fts").fetchone()[0]

    def search(self, q):
        expr = base.Fts5.match_expr(q)
        if not expr:
            return {"ids": []}
        try:
            rows = self.db.execute(
                "SELECT path FROM fts WHERE fts MATCH ? "
                "ORDER BY bm25(fts, 0.0, 10.0, 3.0, 1.0) LIMIT ?",
                (expr, K)).fetchall()
        except sqlite3.Error as e:
            return {"ids": [], "error": str(e)}
        return {"ids": [r[0] for r in rows]}

    def stop(self):
        self.db.close()


XAPIAN_SCRIPT = """\
path : field=path boolean=Q unique=Q
title : weight=3 index
description : index
body : index
"""


class Xapian:
    """Plain Xapian through its own tools: scriptindex builds the index,
    quest runs each query (QueryParser default flags, BM25)."""

    def __init__(self, corpus):
        if not (shutil.which("scriptindex") and shutil.which("quest")):
            raise SystemExit("xapian baseline: scriptindex and quest "
                             "(package xapian-tools) are needed")
        self.tmp = tempfile.mkdtemp(prefix="hdx-relevance-xapian-")
        self.db = os.path.join(self.tmp, "db")
        script = os.path.join(self.tmp, "index.script")
        with open(script, "w") as f:
            f.write(XAPIAN_SCRIPT)
        dump = os.path.join(self.tmp, "input.txt")
        self.n_docs = 0
        with open(dump, "w", encoding="utf-8") as f:
            for rel, title, desc, body in documents(corpus):
                f.write(self.record({"path": rel, "title": title,
                                     "description": desc, "body": body}))
                self.n_docs += 1
        r = subprocess.run(["scriptindex", "--overwrite", self.db, script,
                            dump], capture_output=True, text=True,
                           timeout=900)
        if r.returncode != 0:
            raise SystemExit(f"scriptindex failed ({r.returncode}):\n"
                             f"{r.stdout}{r.stderr}")
        os.unlink(dump)

    @staticmethod
    def record(fields):
        """One scriptindex record: field=value, continuation lines start
        with '=', a blank line ends the record."""
        out = []
        for k, v in fields.items():
            lines = v.replace("\r", "").split("\n") or [""]
            out.append(f"{k}={lines[0]}")
            out += ["=" + x for x in lines[1:]]
        return "\n".join(out) + "\n\n"

    def search(self, q):
        try:
            r = subprocess.run(["quest", "-d", self.db, "-m", str(K), "--",
                                q], capture_output=True, text=True,
                               timeout=30)
        except subprocess.TimeoutExpired:
            return {"ids": [], "error": "timeout"}
        if r.returncode != 0:
            msg = (r.stderr or r.stdout).strip().splitlines()
            return {"ids": [], "error": msg[-1] if msg else
                    f"exit {r.returncode}"}
        ids = [line[5:] for line in r.stdout.splitlines()
               if line.startswith("path=")]
        return {"ids": ids[:K]}

    def stop(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


class Helpdex:
    def __init__(self, build, corpus, db):
        self.h = base.Helpdex(build, corpus, db=db, index_ok=(0, 1))

    def start(self):
        self.h.start()
        # "indexed N, unchanged U, deleted D, skipped S (errors) ..."
        self.summary = self.h.index_log.strip().splitlines()[-1:] or [""]
        # a file that failed to index is reported as "path:line: what" or
        # "path: what" (docs/article-format.md); keep the corpus files named
        self.skipped = sorted({
            line.split(":", 1)[0] for line in self.h.index_log.splitlines()
            if ":" in line and not line.startswith("helpdex-index") and
            os.path.isfile(os.path.join(self.h.corpus,
                                        line.split(":", 1)[0]))})

    def search(self, q):
        try:
            return self.h.search(q, key="path")
        except Exception as e:      # a timeout or a dropped connection
            return {"ids": [], "error": type(e).__name__ + ": " + str(e)}

    def stop(self):
        self.h.stop()


# ------------------------------------------------------------ metrics

def metrics(rows, system):
    ranks = [r[system]["rank"] for r in rows]
    m = base.metrics(ranks)
    m["errors"] = sum(1 for r in rows if r[system].get("error"))
    m["empty"] = sum(1 for r in rows if not r[system].get("error") and
                     not r[system]["top"])
    return m


def fmt(x):
    return f"{x:.3f}"


def table(results):
    systems = results["systems"]
    head = "| class | n |"
    rule = "|---|---:|"
    for s in systems:
        head += (f" {LABEL[s]} R@1 | R@10 | MRR@10 | err | empty |")
        rule += "---:|---:|---:|---:|---:|"
    lines = [head, rule]
    for cls in results["classes"] + ["overall"]:
        name = f"**{cls}**" if cls == "overall" else cls
        row = f"| {name} | {results['metrics'][systems[0]][cls]['n']} |"
        for s in systems:
            m = results["metrics"][s][cls]
            row += (f" {fmt(m['r1'])} | {fmt(m['r10'])} | {fmt(m['mrr'])} | "
                    f"{m['errors']} | {m['empty']} |")
        lines.append(row)
    return "\n".join(lines)


def misses(results, limit=None):
    out = []
    for cls in results["classes"]:
        rows = [r for r in results["queries"]
                if r["class"] == cls and r["helpdex"]["rank"] != 1]
        out.append(f"\n### helpdex misses: {cls} ({len(rows)} of "
                   f"{results['metrics']['helpdex'][cls]['n']} not at rank "
                   f"1)\n")
        if not rows:
            continue
        out.append("| query | expected | rank | helpdex top 3 |")
        out.append("|---|---|---:|---|")
        for r in rows[:limit]:
            hx = r["helpdex"]
            if hx.get("error"):
                top = f"ERROR {hx['error']}"
            else:
                top = "<br>".join(hx["top"][:3]) or "(no hits)"
            exp = r["relevant"][0] + (f" (+{len(r['relevant']) - 1})"
                                      if len(r["relevant"]) > 1 else "")
            q = r["query"].replace("|", "\\|")
            out.append(f"| `{q}` | {exp} | {hx['rank'] or '-'} | {top} |")
    return "\n".join(out)


def check(results, floors):
    failures = []
    m = results["metrics"]["helpdex"]
    for cls in results["classes"]:
        f = floors.get(cls)
        if f is None:
            failures.append(f"class {cls}: no floor in floors.tsv")
            continue
        c = m[cls]
        for key, label in (("r10", "R@10"), ("mrr", "MRR@10")):
            if key in f and c[key] < f[key]:
                failures.append(f"class {cls}: {label} {c[key]:.3f} below "
                                f"the floor {f[key]:.3f}")
        for key in ("errors", "empty"):
            if key in f and c[key] > f[key]:
                failures.append(f"class {cls}: {c[key]} queries with "
                                f"{'an error' if key == 'errors' else 'no results'}"
                                f", at most {int(f[key])} allowed")
    return failures


# ------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build",
                    help="folder of helpdex-index and helpdex-serve "
                         "(relative: cwd, then repo root)")
    ap.add_argument("--corpus", default=DEFAULT_CORPUS,
                    help="the bench corpus (default $HDX_BENCH_CORPUS or "
                         f"{derive.DEFAULT_CORPUS})")
    ap.add_argument("--judgments", default=JUDGMENTS)
    ap.add_argument("--json", metavar="FILE",
                    help="write per-query results and metrics here")
    ap.add_argument("--class", dest="classes", action="append",
                    metavar="NAME", help="run only this class (repeatable)")
    ap.add_argument("--misses", action="store_true",
                    help="print helpdex's misses per class")
    ap.add_argument("--systems", default=",".join(SYSTEMS),
                    help="comma-separated subset of " + ",".join(SYSTEMS))
    ap.add_argument("--sample", type=int, default=1, metavar="K",
                    help="about one query in K of each class, chosen by a "
                         "hash of the query (default 1: all)")
    ap.add_argument("--db", metavar="DIR",
                    help="helpdex index folder to build or update and keep "
                         "(default: a temporary one); helpdex-index is "
                         "incremental, so a kept folder makes reruns fast")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if helpdex is below a floor of floors.tsv")
    args = ap.parse_args()

    def resolve(p):
        if os.path.isabs(p) or os.path.exists(p):
            return os.path.abspath(p)
        return os.path.join(REPO, p)

    build, corpus = resolve(args.build), os.path.abspath(args.corpus)
    if not os.path.isdir(corpus):
        print(f"bench relevance: no corpus at {corpus}", file=sys.stderr)
        return 77
    systems = [s for s in args.systems.split(",") if s]
    for s in systems:
        if s not in SYSTEMS:
            ap.error(f"unknown system {s!r}")
    if "helpdex" not in systems:
        systems.insert(0, "helpdex")
    judgments = load_judgments(args.judgments)
    known = list(dict.fromkeys(j["class"] for j in judgments))
    if args.classes:
        for c in args.classes:
            if c not in known:
                ap.error(f"unknown class {c!r} (classes: {', '.join(known)})")
        judgments = [j for j in judgments if j["class"] in args.classes]
    judgments = sample(judgments, args.sample)
    classes = [c for c in known if any(j["class"] == c for j in judgments)]

    t0 = time.monotonic()
    engines, timing = {}, {}
    try:
        for s in systems:
            t = time.monotonic()
            if s == "helpdex":
                engines[s] = Helpdex(build, corpus, args.db and
                                     os.path.abspath(args.db))
                engines[s].start()
            elif s == "fts5":
                engines[s] = Fts5(corpus)
            else:
                engines[s] = Xapian(corpus)
            timing[s + "_index_s"] = round(time.monotonic() - t, 1)
        # Judge only what helpdex could index: a file it skipped is taken
        # out of every judgment, and a query left with nothing relevant is
        # dropped (and named), for every system alike.
        skipped = set(engines["helpdex"].skipped)
        rows, dropped = [], []
        for j in judgments:
            rel = [p for p in j["relevant"] if p not in skipped]
            if rel:
                rows.append({"class": j["class"], "query": j["query"],
                             "relevant": rel})
            else:
                dropped.append(j)
        for s in systems:
            t = time.monotonic()
            for r in rows:
                res = engines[s].search(r["query"])
                r[s] = {"top": res["ids"][:K],
                        "rank": base.first_relevant_rank(res["ids"],
                                                         r["relevant"])}
                if res.get("error"):
                    r[s]["error"] = res["error"]
                if s == "helpdex" and res.get("raw"):
                    r[s]["raw"] = res["raw"]
            timing[s + "_query_s"] = round(time.monotonic() - t, 1)
    finally:
        for e in engines.values():
            e.stop()

    hdx = engines["helpdex"]
    m = {s: {c: metrics([r for r in rows if r["class"] == c], s)
             for c in classes} for s in systems}
    for s in systems:
        m[s]["overall"] = metrics(rows, s)
    results = {"k": K, "corpus": corpus, "classes": classes,
               "systems": systems, "sample": args.sample,
               "helpdex_index": hdx.summary[0],
               "helpdex_skipped": hdx.skipped,
               "dropped_queries": [j["query"] for j in dropped],
               "metrics": m,
               "timing": timing, "queries": rows}

    print(f"## Relevance on the bench corpus ({len(rows)} queries"
          f"{f', a 1-in-{args.sample} sample' if args.sample > 1 else ''}"
          f"; {hdx.summary[0]})\n")
    print(table(results))
    if hdx.skipped:
        print(f"\nhelpdex-index skipped {len(hdx.skipped)} files: " +
              ", ".join(hdx.skipped[:10]) +
              f"; {len(dropped)} queries dropped (nothing else relevant)")
    for s in systems:
        bad = [r for r in rows if r[s].get("error")]
        if bad:
            print(f"\n{LABEL[s]}: {len(bad)} queries with an error, e.g. " +
                  "; ".join(f"`{r['query'][:60]}` -> {r[s]['error'][:80]}"
                            for r in bad[:3]))
    if args.misses:
        print(misses(results))
    print("\ntime: " + ", ".join(f"{k} {v}" for k, v in timing.items()) +
          f", total {time.monotonic() - t0:.1f} s")

    failures = []
    if args.check:
        floors = load_floors(FLOORS)
        if args.sample > 1:
            # A subset's averages are not comparable with floors measured
            # on all queries; its counts of errors and empty answers are
            # at most the whole set's, so those floors still hold.
            floors = {c: {k: v for k, v in f.items()
                          if k in ("errors", "empty")}
                      for c, f in floors.items()}
        failures = check(results, floors)
        results["check_failures"] = failures
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2, ensure_ascii=False)
            f.write("\n")
    if args.check:
        if failures:
            print("\n".join("CHECK FAILED: " + x for x in failures))
            return 1
        print("check passed: every class at or above its floor "
              "(tests/relevance/bench/floors.tsv)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
