#!/usr/bin/env python3
"""SQLite FTS5 peer for bench/run.sh (stdlib only).

  fts5.py build CORPUS DBFILE      -> one JSON line: docs, bytes, wall_s
  fts5.py query DBFILE QUERIES N   -> one JSON line per pass and mode
                                      (nosnip / snip), like hdx_bench

Schema: fts5(title, body, tokenize='porter unicode61'); bulk insert in one
transaction.  Queries: the words of the query ANDed, relaxed to OR when
nothing matches (as helpdex does), ranked by bm25 (title weight 10), top
10; 'snip' adds snippet(docs, 1, '<mark>', '</mark>', '…', 28).
"""
import json
import os
import re
import sqlite3
import sys
import time

WORD = re.compile(r"\w+", re.UNICODE)


def split_article(text):
    title = ""
    body = text
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end > 0:
            fm = text[3:end]
            body = text[end + 4:]
            m = re.search(r"^title:\s*(.+)$", fm, re.M)
            if m:
                title = m.group(1).strip().strip("'\"")
    if not title:
        m = re.search(r"^#\s+(.+)$", body, re.M)
        if m:
            title = m.group(1).strip()
    return title, body


def build(corpus, dbfile):
    t0 = time.monotonic()
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.unlink(dbfile + suffix)
        except FileNotFoundError:
            pass
    con = sqlite3.connect(dbfile)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, title, "
                "body, tokenize='porter unicode61')")
    n = 0
    nbytes = 0
    con.execute("BEGIN")
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".md"):
                continue
            p = os.path.join(root, name)
            with open(p, "rb") as f:
                raw = f.read()
            nbytes += len(raw)
            title, body = split_article(raw.decode("utf-8", "replace"))
            con.execute("INSERT INTO docs(path, title, body) VALUES (?,?,?)",
                        (os.path.relpath(p, corpus), title, body))
            n += 1
    con.execute("COMMIT")
    con.close()
    print(json.dumps({"docs": n, "bytes": nbytes,
                      "wall_s": time.monotonic() - t0}))


def pct(sorted_v, p):
    k = int(p * (len(sorted_v) - 1) + 0.5)
    return sorted_v[min(k, len(sorted_v) - 1)]


def query(dbfile, qfile, passes):
    con = sqlite3.connect(dbfile)
    with open(qfile, encoding="utf-8") as f:
        qs = [l.strip() for l in f if l.strip()]
    sel = {
        "nosnip": "SELECT rowid, title FROM docs WHERE docs MATCH ? "
                  "ORDER BY bm25(docs, 0.0, 10.0, 1.0) LIMIT 10",
        "snip": "SELECT rowid, title, snippet(docs, 2, '<mark>', '</mark>', "
                "'…', 28) FROM docs WHERE docs MATCH ? "
                "ORDER BY bm25(docs, 0.0, 10.0, 1.0) LIMIT 10",
    }
    prepared = []
    for q in qs:
        words = ['"%s"' % w.replace('"', '""') for w in WORD.findall(q)]
        prepared.append((" AND ".join(words), " OR ".join(words)))
    for p in range(1, passes + 1):
        for mode in ("nosnip", "snip"):
            ms = []
            hits = zero = fails = 0
            t_all = time.monotonic()
            for q_and, q_or in prepared:
                t0 = time.perf_counter()
                rows = []
                try:
                    if q_and:
                        rows = con.execute(sel[mode], (q_and,)).fetchall()
                        if not rows:
                            rows = con.execute(sel[mode], (q_or,)).fetchall()
                except sqlite3.Error:
                    fails += 1
                ms.append((time.perf_counter() - t0) * 1e3)
                hits += len(rows)
                zero += not rows
            total = time.monotonic() - t_all
            s = sorted(ms)
            print(json.dumps({"mode": mode, "pass": p, "n": len(ms),
                              "p50_ms": pct(s, .5), "p99_ms": pct(s, .99),
                              "max_ms": s[-1], "mean_ms": sum(ms) / len(ms),
                              "total_s": total, "hits": hits, "zero": zero,
                              "fails": fails}), flush=True)


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "build":
        build(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 4 and sys.argv[1] == "query":
        query(sys.argv[2], sys.argv[3],
              int(sys.argv[4]) if len(sys.argv) > 4 else 3)
    else:
        sys.exit(__doc__)
