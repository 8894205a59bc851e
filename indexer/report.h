/*
 * report.h - what an indexing run tells the user: the progress line (on a
 * terminal), the skipped files, the summary, and the failure line.
 *
 * The wording is pinned by tests and scripts; docs/publishing.md shows it.
 * A run_report is embedded by value and holds no heap memory.
 */
#ifndef HDX_INDEXER_REPORT_H
#define HDX_INDEXER_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "hdx/hdx.h"

#include "walk.h"

typedef struct run_counts {
    unsigned indexed, unchanged, deleted, failed;
    unsigned docs; /* documents written by this run */
} run_counts;

typedef struct run_report {
    bool quiet;
    double t0;   /* start of the run, monotonic seconds */
    double last; /* last progress line */
} run_report;

/* Start the clock. */
void report_start(run_report *r, bool quiet);

/* "\rhelpdex-index: I/N files (R files/s)" on a terminal, at most 5 times
 * a second; nothing when quiet or when stderr is not a terminal. */
void report_progress(run_report *r, size_t i, size_t n);

/* A file the run skipped: its "path:line: message" line, on stderr. */
void report_skipped(run_counts *c, const char *line);

/* What the walk could not read (walk_list.problems): one
 * "REL: WHAT: REASON" line each on stderr, and each a failure of the run
 * like a skipped file. */
void report_walk_problems(run_counts *c, const walk_list *wl);

/* A file skipped because `owner` already holds its id. */
void report_duplicate(run_counts *c, const char *path, const char *id,
                      const char *owner);

/* The summary line on stdout (unless quiet); `total_docs` is the number
 * of documents in the index. */
void report_summary(const run_report *r, const run_counts *c,
                    unsigned total_docs);

/* "helpdex-index: DB: MESSAGE; nothing was published, ..." on stderr. */
void report_failure(const char *db, const hdx_error *err);

#endif
