#!/usr/bin/python3
"""Relevance evaluation for helpdex against an SQLite FTS5 baseline.

Reads tests/relevance/judgments.tsv (class, query, relevant_ids), indexes the
corpus with helpdex-index into a temporary directory, starts helpdex-serve on
an ephemeral port, runs every query through GET /api/search (public audience,
per_page=10), and runs the same queries through an SQLite FTS5 index built
over the same public, published articles. Prints per-class and overall
Recall@1/@3/@10 and MRR@10 for both systems as a Markdown table, followed by
the helpdex misses (queries whose first relevant hit is not at rank 1).

Usage:
    tests/relevance/run.py [--build DIR] [--corpus DIR] [--json FILE] [--check]

--check exits 1 if helpdex's overall MRR@10 is below FLOOR, or if any class's
helpdex MRR@10 is below the FTS5 baseline's MRR@10 for that class by more
than CLASS_TOLERANCE.

Python 3.11 standard library only.
"""

import argparse
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
JUDGMENTS = os.path.join(HERE, "judgments.tsv")

# Overall helpdex MRR@10 floor for --check.
# Measured 2026-11-24 by running this script (no --check) against build/ and
# the stock corpus/ and judgments.tsv: 118 queries in 8 classes.  History:
# 0.899 with the first query pipeline (FTS5 baseline: 0.819); 0.960 after
# stop words, punctuation and stems were handled before synonym matching,
# spelling corrections were limited to words the public dictionary lacks,
# and few all-word hits were followed by any-word hits.  The floor is the
# latest measurement minus a margin of 0.03, about three queries falling
# from rank 1 to a miss (each such fall costs 1/118 = 0.0085 overall).  The
# run is deterministic (fixed corpus, fresh index, no randomness), so
# falling below the floor means a real ranking regression, not noise.
# Raise it when ranking improves.  Since 2026-12-01 the floor is 0.96, the
# level issue 12 requires of this suite (measured 0.968 when pair terms
# got their own BM25: one query falling from rank 1 to a miss fails it).
FLOOR = 0.96

# Per-class tolerance for --check: helpdex's MRR@10 for a class may trail the
# FTS5 baseline's by at most this much. Classes hold 13-18 queries, so one
# query going from rank 1 to a miss moves a class's MRR by 1/n = 0.055-0.077.
# 0.08 therefore forgives a single-query disagreement with a naive baseline
# (bag-of-words BM25 sometimes wins a query by luck of term overlap) but fails
# as soon as helpdex is systematically worse than FTS5 on a class, i.e. loses
# the equivalent of two or more rank-1 queries. The value was fixed before
# the first measurement and deliberately not tuned to it: on 2026-11-24 it
# flags the question class (helpdex 0.741 vs FTS5 0.824, gap 0.083), a real
# gap caused by query-parsing problems, not by noise.
CLASS_TOLERANCE = 0.08

K = 10
CLASSES = ["title", "paraphrase", "misspelling", "synonym", "stemming",
           "accents_case", "error_code", "question"]


# ---------------------------------------------------------------- judgments

def load_judgments(path, column="relevant_ids"):
    """(class, query, relevant) rows of a judgments file whose third
    column is `column` (ids here; the bench suite's are paths)."""
    out = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if header[:3] != ["class", "query", column]:
            raise SystemExit(f"{path}: unexpected header {header}")
        for lineno, line in enumerate(f, start=2):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                raise SystemExit(f"{path}:{lineno}: expected 3 columns")
            cls, query, rel = parts
            ids = [x.strip() for x in rel.split(",") if x.strip()]
            out.append({"class": cls, "query": query, "relevant": ids})
    return out


# ---------------------------------------------------------------- metrics

def first_relevant_rank(ranked, relevant):
    """1-based rank of the first relevant id within the top K, or None."""
    rel = set(relevant)
    for i, doc in enumerate(ranked[:K], start=1):
        if doc in rel:
            return i
    return None


def metrics(ranks):
    n = len(ranks)
    if n == 0:
        return {"n": 0, "r1": 0.0, "r3": 0.0, "r10": 0.0, "mrr": 0.0}
    return {
        "n": n,
        "r1": sum(1 for r in ranks if r is not None and r <= 1) / n,
        "r3": sum(1 for r in ranks if r is not None and r <= 3) / n,
        "r10": sum(1 for r in ranks if r is not None and r <= 10) / n,
        "mrr": sum(1.0 / r for r in ranks if r is not None) / n,
    }


# ---------------------------------------------------------------- helpdex

class Helpdex:
    def __init__(self, build, corpus, db=None, index_ok=(0,)):
        """db: index folder to build or update (default: a temporary one);
        index_ok: helpdex-index exit statuses to accept (1 = some files
        skipped; the skipped files are in self.index_log)."""
        self.build = build
        self.corpus = corpus
        self.tmp = tempfile.mkdtemp(prefix="hdx-relevance-")
        self.db = db
        self.index_ok = index_ok
        self.index_log = ""
        self.proc = None
        self.base = None

    def start(self):
        idx = self.db or os.path.join(self.tmp, "idx")
        portfile = os.path.join(self.tmp, "port")
        r = subprocess.run(
            [os.path.join(self.build, "helpdex-index"), "--corpus",
             self.corpus, "--db", idx],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.index_log = r.stdout
        if r.returncode not in self.index_ok:
            raise SystemExit(f"helpdex-index failed ({r.returncode}):\n"
                             f"{r.stdout}")
        self.proc = subprocess.Popen(
            [os.path.join(self.build, "helpdex-serve"), "--db", idx,
             "--port", "0", "--port-file", portfile, "--quiet"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        port = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode(errors="replace")
                raise SystemExit(f"helpdex-serve exited "
                                 f"({self.proc.returncode}):\n{err}")
            try:
                with open(portfile) as f:
                    txt = f.read().strip()
                if txt:
                    port = int(txt)
                    break
            except (FileNotFoundError, ValueError):
                pass
            time.sleep(0.05)
        if port is None:
            raise SystemExit("helpdex-serve did not write its port file")
        self.base = f"http://127.0.0.1:{port}"
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz",
                                            timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.05)
        raise SystemExit("helpdex-serve did not become healthy")

    def search(self, q, key="id"):
        """The hits' `key` field (id, or path), one entry per document."""
        url = (self.base + "/api/search?" +
               urllib.parse.urlencode({"q": q, "per_page": K}))
        try:
            with urllib.request.urlopen(url, timeout=10) as resp:
                body = json.load(resp)
        except urllib.error.HTTPError as e:
            return {"error": f"HTTP {e.code}", "ids": [], "raw": None}
        ids = []
        for h in body.get("hits", []):
            if h.get(key) not in ids:       # one entry per document
                ids.append(h.get(key))
        return {"ids": ids, "raw": {k: body.get(k) for k in (
            "total", "relaxed", "corrected_query", "did_you_mean")}}

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc is not None and self.proc.stderr:
            self.proc.stderr.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


# ---------------------------------------------------------------- FTS5 baseline

FIELD_RE = re.compile(r"^(id|title|summary|audience|status|type):\s*(.*?)\s*$")
HEADING_RE = re.compile(r"^(#{1,6})\s")
AUDIENCE_ATTR_RE = re.compile(r"\{\s*audience\s*=\s*([a-z]+)\s*\}")
LINK_TARGET_RE = re.compile(r"\]\([^)]*\)")


def unquote(v):
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        return v[1:-1]
    return v


def read_article(path):
    """Minimal front-matter reader: split on the '---' fences, read a few
    `key: value` lines, keep the body. Not a YAML parser; enough for the
    baseline."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    parts = re.split(r"^---[ \t]*$", text, maxsplit=2, flags=re.M)
    if len(parts) < 3 or parts[0].strip():
        return None
    meta = {}
    for line in parts[1].splitlines():
        m = FIELD_RE.match(line)
        if m:
            meta[m.group(1)] = unquote(m.group(2))
    meta["body"] = public_body(parts[2])
    return meta


def public_body(body):
    """Drop the H1 (it repeats the title) and any section whose heading is
    marked {audience=agent|internal}, as public search never sees those."""
    out = []
    skip_level = None
    h1_dropped = False
    for line in body.splitlines():
        m = HEADING_RE.match(line)
        if m:
            level = len(m.group(1))
            if skip_level is not None and level <= skip_level:
                skip_level = None
            if skip_level is None:
                a = AUDIENCE_ATTR_RE.search(line)
                if a and a.group(1) != "public":
                    skip_level = level
                    continue
                if level == 1 and not h1_dropped:
                    h1_dropped = True
                    continue
                line = AUDIENCE_ATTR_RE.sub("", line)
        if skip_level is not None:
            continue
        out.append(LINK_TARGET_RE.sub("]", line))
    return "\n".join(out)


class Fts5:
    def __init__(self, corpus):
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, title, "
            "summary, body, tokenize='porter unicode61 remove_diacritics 2')")
        self.n_docs = 0
        adir = os.path.join(corpus, "articles")
        for name in sorted(os.listdir(adir)):
            if not name.endswith(".md"):
                continue
            a = read_article(os.path.join(adir, name))
            if a is None:
                continue
            if a.get("audience", "public") != "public":
                continue
            if a.get("status", "published") != "published":
                continue
            if a.get("type") == "incident":
                continue
            self.db.execute(
                "INSERT INTO fts(id, title, summary, body) VALUES (?,?,?,?)",
                (a.get("id") or name[:-3], a.get("title", ""),
                 a.get("summary", ""), a["body"]))
            self.n_docs += 1

    @staticmethod
    def match_expr(q):
        toks = re.findall(r"\w+", q)
        return " OR ".join('"' + t.replace('"', '""') + '"' for t in toks)

    def search(self, q):
        expr = self.match_expr(q)
        if not expr:
            return {"ids": []}
        rows = self.db.execute(
            "SELECT id FROM fts WHERE fts MATCH ? "
            "ORDER BY bm25(fts, 0.0, 10.0, 3.0, 1.0) LIMIT ?",
            (expr, K)).fetchall()
        return {"ids": [r[0] for r in rows]}


# ---------------------------------------------------------------- report

def fmt(x):
    return f"{x:.3f}"


def table(results):
    lines = [
        "| class | n | helpdex R@1 | R@3 | R@10 | MRR@10 "
        "| FTS5 R@1 | R@3 | R@10 | MRR@10 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for cls in results["classes"] + ["overall"]:
        h = results["metrics"]["helpdex"][cls]
        b = results["metrics"]["fts5"][cls]
        name = f"**{cls}**" if cls == "overall" else cls
        lines.append(
            f"| {name} | {h['n']} | {fmt(h['r1'])} | {fmt(h['r3'])} | "
            f"{fmt(h['r10'])} | {fmt(h['mrr'])} | {fmt(b['r1'])} | "
            f"{fmt(b['r3'])} | {fmt(b['r10'])} | {fmt(b['mrr'])} |")
    return "\n".join(lines)


def misses(results):
    lines = ["| class | query | expected | helpdex rank | helpdex top-3 "
             "| FTS5 rank |",
             "|---|---|---|---:|---|---:|"]
    n = 0
    for r in results["queries"]:
        if r["helpdex_rank"] == 1:
            continue
        n += 1
        extra = ""
        raw = r.get("helpdex_raw") or {}
        if raw.get("corrected_query"):
            extra += f" (corrected: {raw['corrected_query']})"
        if raw.get("relaxed"):
            extra += " (relaxed)"
        top3 = ", ".join(r["helpdex_top"][:3]) or "(no hits)"
        lines.append(
            f"| {r['class']} | `{r['query']}` | {', '.join(r['relevant'])} | "
            f"{r['helpdex_rank'] or '-'} | {top3}{extra} | "
            f"{r['fts5_rank'] or '-'} |")
    if n == 0:
        return "No helpdex misses: every query has a relevant hit at rank 1."
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build",
                    help="directory holding helpdex-index and helpdex-serve "
                         "(relative paths: cwd, then repo root)")
    ap.add_argument("--corpus", default="corpus",
                    help="corpus directory (relative paths: cwd, then repo "
                         "root)")
    ap.add_argument("--json", metavar="FILE",
                    help="write raw per-query results and metrics here")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 below FLOOR or on a per-class regression "
                         "versus FTS5 beyond CLASS_TOLERANCE")
    args = ap.parse_args()

    def resolve(p):
        if os.path.isabs(p) or os.path.exists(p):
            return os.path.abspath(p)
        return os.path.join(REPO, p)

    build, corpus = resolve(args.build), resolve(args.corpus)
    judgments = load_judgments(JUDGMENTS)
    classes = [c for c in CLASSES if any(j["class"] == c for j in judgments)]
    classes += sorted({j["class"] for j in judgments} - set(classes))

    fts = Fts5(corpus)
    hdx = Helpdex(build, corpus)
    queries = []
    try:
        hdx.start()
        for j in judgments:
            h = hdx.search(j["query"])
            b = fts.search(j["query"])
            queries.append({
                "class": j["class"], "query": j["query"],
                "relevant": j["relevant"],
                "helpdex_top": h["ids"][:K],
                "helpdex_rank": first_relevant_rank(h["ids"], j["relevant"]),
                "helpdex_raw": h.get("raw"),
                "helpdex_error": h.get("error"),
                "fts5_top": b["ids"][:K],
                "fts5_rank": first_relevant_rank(b["ids"], j["relevant"]),
            })
    finally:
        hdx.stop()

    m = {"helpdex": {}, "fts5": {}}
    for sysname in m:
        key = sysname + "_rank"
        for cls in classes:
            m[sysname][cls] = metrics(
                [q[key] for q in queries if q["class"] == cls])
        m[sysname]["overall"] = metrics([q[key] for q in queries])
    results = {"k": K, "classes": classes, "fts5_documents": fts.n_docs,
               "metrics": m, "queries": queries, "floor": FLOOR,
               "class_tolerance": CLASS_TOLERANCE}

    print(f"## Relevance: helpdex vs SQLite FTS5 ({len(queries)} queries, "
          f"{fts.n_docs} public articles in the baseline)\n")
    print(table(results))
    print("\n### helpdex misses (first relevant hit not at rank 1)\n")
    print(misses(results))

    failures = []
    overall = m["helpdex"]["overall"]["mrr"]
    if overall < FLOOR:
        failures.append(f"overall MRR@10 {overall:.3f} < FLOOR {FLOOR:.3f}")
    for cls in classes:
        hm, bm = m["helpdex"][cls]["mrr"], m["fts5"][cls]["mrr"]
        if hm < bm - CLASS_TOLERANCE:
            failures.append(f"class {cls}: helpdex MRR@10 {hm:.3f} trails "
                            f"FTS5 {bm:.3f} by more than {CLASS_TOLERANCE}")
    errors = [q for q in queries if q["helpdex_error"]]
    for q in errors:
        failures.append(f"query {q['query']!r}: {q['helpdex_error']}")
    results["check_failures"] = failures

    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2, ensure_ascii=False)
            f.write("\n")

    print(f"\nFLOOR {FLOOR:.3f}, per-class tolerance vs FTS5 "
          f"{CLASS_TOLERANCE:.3f}; helpdex overall MRR@10 {overall:.3f}")
    if failures:
        print("\n".join("CHECK FAILED: " + f for f in failures))
        if args.check:
            return 1
    elif args.check:
        print("check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
