/*
 * report.c - progress, skipped files, summary and failure lines of an
 * indexing run (see report.h).  Progress goes to stderr and only to a
 * terminal; the summary goes to stdout so scripts can read it.
 */
#include "report.h"

#include "ids.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void report_start(run_report *r, bool quiet)
{
    r->quiet = quiet;
    r->t0 = r->last = now_s();
}

void report_progress(run_report *r, size_t i, size_t n)
{
    double t = now_s();
    if (isatty(2) && !r->quiet && t - r->last > 0.2) {
        fprintf(stderr, "\rhelpdex-index: %zu/%zu files (%.0f files/s)  ",
                i + 1, n, (double)(i + 1) / (t - r->t0));
        r->last = t;
    }
}

void report_skipped(run_counts *c, const char *line)
{
    fprintf(stderr, "%s\n", line);
    c->failed++;
}

void report_walk_problems(run_counts *c, const walk_list *wl)
{
    for (size_t i = 0; i < wl->n_problems; i++) {
        const walk_problem *p = &wl->problems[i];
        fprintf(stderr, "%s: %s: %s\n", p->rel, p->what, strerror(p->errnum));
        c->failed++;
    }
}

void report_duplicate(run_counts *c, const char *path, const char *id,
                      const char *owner)
{
    fprintf(stderr, "%s:1: " IDS_DUPLICATE_FMT "; file skipped\n", path, id,
            owner);
    c->failed++;
}

void report_summary(const run_report *r, const run_counts *c,
                    unsigned total_docs)
{
    double secs = now_s() - r->t0;
    if (isatty(2) && !r->quiet)
        fputc('\n', stderr);
    if (!r->quiet)
        printf("helpdex-index: indexed %u, unchanged %u, deleted %u, "
               "skipped %u (errors) in %.2fs (%.0f files/s); %u documents\n",
               c->indexed, c->unchanged, c->deleted, c->failed, secs,
               secs > 0 ? (double)(c->indexed + c->failed) / secs : 0.0,
               total_docs);
}

void report_failure(const char *db, const hdx_error *err)
{
    fprintf(stderr, "helpdex-index: %s: %s; nothing was published, the "
                    "previous index is unchanged\n", db, err->msg);
}
