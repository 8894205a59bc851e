/*
 * metrics.h - GET /metrics, in the Prometheus text exposition format
 * (version 0.0.4), for internal callers only (routes.c).
 *
 * Per route of the table (routes.c; "none" for a path no route takes):
 * a counter of requests by status code and a latency histogram with
 * fixed buckets (METRICS_BOUNDS, seconds).  The request path pays two or
 * three relaxed C11 atomic additions into static arrays, no lock and no
 * allocation; a scrape reads them all (each counter atomically, the set
 * not as one snapshot, which Prometheus does not need).  The rest is
 * read when scraped: the response cache's hits and misses (cache.h), the
 * index this thread serves (revision, documents of every level, commit
 * time; index_pool.h) and its reopens, the analytics recorder's
 * counters (analytics/recorder.h), the process's resident memory
 * (/proc/self/statm) and start time, and the build.  Metric names and
 * meanings are listed in docs/operations.md ("Logs and monitoring").
 *
 * There is no feedback queue to report: the feedback store writes each
 * vote synchronously (feedback_store.h).
 */
#ifndef HDX_SERVER_METRICS_H
#define HDX_SERVER_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "hdx/buf.h"
#include "http.h"
#include "routes.h"

/* Upper bounds of the latency buckets, in seconds (then +Inf). */
#define METRICS_BOUNDS \
    {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, \
     5.0, 10.0}
#define METRICS_N_BOUNDS 13

/* Count one answered request to `rt` (NULL: no route) with HTTP status
 * `status` that took `ms` milliseconds.  Thread-safe, lock-free. */
void metrics_observe(const route *rt, int status, double ms);

/* The histogram bucket of a duration: the first bound >= seconds, or
 * METRICS_N_BOUNDS (+Inf). */
size_t metrics_bucket(double seconds);

/* What a scrape reads besides the counters (metrics_gather). */
typedef struct metrics_index {
    bool up;                 /* the index is open on this thread */
    unsigned long revision;
    unsigned documents;      /* every level's */
    double committed;        /* seconds since the epoch; 0: unknown */
} metrics_index;

/* Append the whole exposition to `b`, with `idx` for the index and `now`
 * (seconds since the epoch) for the ages. */
void metrics_render(hdx_buf *b, const metrics_index *idx, double now);

/* GET /metrics: internal level (the route table says so). */
void handle_metrics(request *r, reply *rep);

#endif
