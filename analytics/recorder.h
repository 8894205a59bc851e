/*
 * recorder.h - analytics events written off the request path.
 *
 * Request handlers only call recorder_submit(): it takes a mutex, moves
 * the event into a bounded ring (RECORDER_QUEUE events) and returns; it
 * never touches SQLite and never waits for the disk.  When the ring is
 * full the event is dropped and counted (helpdex_analytics_dropped_total
 * in /metrics): recording never slows or blocks a search.
 *
 * One writer thread owns the SQLite connection, at a lower CPU priority
 * than the request threads (nice 19).  It wakes when
 * RECORDER_BATCH events are waiting or RECORDER_FLUSH_MS have passed,
 * takes what is queued, normalises the queries (normalise.h), makes the
 * keyed session id of an event that has none (session_id.h; the address
 * and user agent it came with are then freed, never written) and writes
 * it all in one transaction.  It runs the
 * retention delete (retention.h) when it starts and once a day.
 * recorder_stop() writes whatever is still queued before it returns.
 *
 * One recorder per process (helpdex-serve's); when none is started
 * (no --analytics-db), recorder_running() is false and submit drops
 * nothing and counts nothing: recording is off.
 */
#ifndef HDX_ANALYTICS_RECORDER_H
#define HDX_ANALYTICS_RECORDER_H

#include "event.h"

#include "hdx/hdx.h"

#include <stdbool.h>

#define RECORDER_QUEUE 10000u
#define RECORDER_BATCH 256u
#define RECORDER_FLUSH_MS 200u

typedef struct recorder_config {
    const char *path;      /* the store (created if missing) */
    long retention_days;   /* rows older than this are deleted */
    unsigned queue_max;    /* 0: RECORDER_QUEUE */
    unsigned batch_max;    /* 0: RECORDER_BATCH */
    unsigned flush_ms;     /* 0: RECORDER_FLUSH_MS */
} recorder_config;

typedef struct recorder_stats {
    unsigned long long recorded; /* rows committed */
    unsigned long long dropped;  /* refused: the queue was full */
    unsigned long long failed;   /* lost to a SQLite error (logged) */
    unsigned queued;             /* waiting now */
} recorder_stats;

/* Open the store (analytics_open(create)) and start the writer thread.
 * HDX_EDB_OPEN (err names the file) if the store cannot be used,
 * HDX_EINTERNAL if the thread cannot start, HDX_EINVAL if a recorder
 * is already running.  Not thread-safe: call before serving. */
hdx_status recorder_start(const recorder_config *cfg, hdx_error *err);

/* True between a successful recorder_start() and recorder_stop(). */
bool recorder_running(void);

/* Queue `ev` (its ts is set to now when 0).  The recorder takes the
 * event's strings whether it is queued or not; *ev is left cleared.
 * False when it was not queued (no recorder, or the queue was full:
 * counted as dropped).  Thread-safe, never blocks on I/O. */
bool recorder_submit(analytics_event *ev);

/* The counters so far (zeros when no recorder ever ran).  Thread-safe. */
void recorder_stats_get(recorder_stats *out);

/* Write what is queued, stop the thread, close the store.  Safe to call
 * when no recorder runs.  Not thread-safe: call after serving. */
void recorder_stop(void);

#endif
