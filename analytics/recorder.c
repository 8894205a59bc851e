/*
 * recorder.c - the bounded queue and the writer thread (see recorder.h).
 *
 * The writer also normalises the queries (normalise.h) and computes the
 * keyed session ids (session_id.h), so a request pays only for copying
 * the strings.  The ring and the counters are
 * behind one mutex; the writer waits on a
 * condition variable (CLOCK_MONOTONIC) that submit signals only when a
 * batch is complete, so the common submit is a lock, a struct copy and
 * an unlock with no system call.
 */
#include "recorder.h"

#include "normalise.h"
#include "retention.h"
#include "schema.h"
#include "session_id.h"

#include "hdx/alloc.h"

#include <errno.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY_S 86400
#define WRITER_NICE 19

typedef struct recorder {
    pthread_mutex_t mu;
    pthread_cond_t wake;
    pthread_t thread;
    analytics_event *ring; /* queue_max slots */
    size_t head, count;
    unsigned queue_max, batch_max, flush_ms;
    bool stop;
    sqlite3 *db;           /* the writer thread's */
    sqlite3_stmt *insert;
    long retention_days;
    char path[1024];
} recorder;

static recorder *g_rec;
static pthread_mutex_t g_stats_mu = PTHREAD_MUTEX_INITIALIZER;
static recorder_stats g_stats;

static const char k_insert[] =
    "INSERT INTO events(ts, session, audience, kind, source, query, "
    "results, relaxed, corrected, typeahead, article, position, helpful, "
    "comment, product, locale) "
    "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)";

static void count(unsigned long long *field, unsigned long long n)
{
    pthread_mutex_lock(&g_stats_mu);
    *field += n;
    pthread_mutex_unlock(&g_stats_mu);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void bind_long(sqlite3_stmt *st, int i, long v)
{
    if (v == ANALYTICS_NULL)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int64(st, i, v);
}

static int insert_one(sqlite3_stmt *st, analytics_event *ev)
{
    /* Here, on the writer's time, not the request's: */
    if (ev->query) {
        char *norm = analytics_normalise_query(ev->query);
        free(ev->query);
        ev->query = norm;
    }
    if (!ev->session[0])
        session_id_keyed(ev->client, ev->agent, (time_t)ev->arrived,
                         ev->session);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sqlite3_bind_int64(st, 1, ev->ts);
    bind_text(st, 2, ev->session);
    bind_text(st, 3, ev->audience);
    bind_text(st, 4, ev->kind);
    bind_text(st, 5, ev->source);
    bind_text(st, 6, ev->query);
    bind_long(st, 7, ev->results);
    bind_long(st, 8, ev->relaxed);
    bind_long(st, 9, ev->corrected);
    sqlite3_bind_int64(st, 10, ev->typeahead);
    bind_text(st, 11, ev->article);
    bind_long(st, 12, ev->position);
    bind_long(st, 13, ev->helpful);
    bind_text(st, 14, ev->comment);
    bind_text(st, 15, ev->product);
    bind_text(st, 16, ev->locale);
    return sqlite3_step(st);
}

/* One transaction for the n events; they are cleared either way. */
static void write_batch(recorder *R, analytics_event *batch, size_t n)
{
    int rc = sqlite3_exec(R->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    for (size_t i = 0; i < n && rc == SQLITE_OK; i++) {
        rc = insert_one(R->insert, &batch[i]);
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_reset(R->insert);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(R->db, "COMMIT", NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
        count(&g_stats.recorded, n);
    } else {
        fprintf(stderr, "helpdex-serve: analytics: %s: %zu events lost: "
                        "%s\n", R->path, n, sqlite3_errmsg(R->db));
        sqlite3_exec(R->db, "ROLLBACK", NULL, NULL, NULL);
        count(&g_stats.failed, n);
    }
    for (size_t i = 0; i < n; i++)
        analytics_event_clear(&batch[i]);
}

static void retention(recorder *R)
{
    hdx_error err;
    long long deleted;
    if (analytics_retention_run(R->db, R->retention_days, time(NULL),
                                &deleted, &err) != HDX_OK)
        fprintf(stderr, "helpdex-serve: analytics: %s: retention: %s\n",
                R->path, err.msg);
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wait (mu held) until a batch is complete, flush_ms pass, or stop. */
static void wait_for_work(recorder *R)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += R->flush_ms / 1000;
    until.tv_nsec += (long)(R->flush_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (!R->stop && R->count < R->batch_max)
        if (pthread_cond_timedwait(&R->wake, &R->mu, &until) == ETIMEDOUT)
            break;
}

static void *writer_main(void *arg)
{
    recorder *R = arg;
    /* Nice 19 for this thread only (Linux): when the CPUs are busy the
     * request threads go first (writing a row costs as much CPU as
     * answering a cached search); a queue that fills meanwhile drops. */
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), WRITER_NICE);
    retention(R);
    double last_retention = mono_s();
    analytics_event *batch = hdx_xcalloc(R->batch_max, sizeof *batch);
    pthread_mutex_lock(&R->mu);
    for (;;) {
        wait_for_work(R);
        size_t n = R->count < R->batch_max ? R->count : R->batch_max;
        for (size_t i = 0; i < n; i++) {
            batch[i] = R->ring[R->head];
            R->head = (R->head + 1) % R->queue_max;
        }
        R->count -= n;
        bool done = R->stop && R->count == 0;
        pthread_mutex_unlock(&R->mu);
        if (n)
            write_batch(R, batch, n);
        if (mono_s() - last_retention >= DAY_S) {
            retention(R);
            last_retention = mono_s();
        }
        if (done)
            break;
        pthread_mutex_lock(&R->mu);
    }
    free(batch);
    return NULL;
}

static void recorder_free(recorder *R)
{
    sqlite3_finalize(R->insert);
    sqlite3_close(R->db);
    pthread_cond_destroy(&R->wake);
    pthread_mutex_destroy(&R->mu);
    free(R->ring);
    free(R);
}

/* The mutex and the monotonic condition variable of R. */
static void sync_init(recorder *R)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&R->wake, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&R->mu, NULL);
}

hdx_status recorder_start(const recorder_config *cfg, hdx_error *err)
{
    if (g_rec)
        return hdx_error_set(err, HDX_EINVAL, __func__,
                             "a recorder is already running");
    recorder *R = hdx_xcalloc(1, sizeof *R);
    R->queue_max = cfg->queue_max ? cfg->queue_max : RECORDER_QUEUE;
    R->batch_max = cfg->batch_max ? cfg->batch_max : RECORDER_BATCH;
    R->flush_ms = cfg->flush_ms ? cfg->flush_ms : RECORDER_FLUSH_MS;
    R->retention_days = cfg->retention_days;
    snprintf(R->path, sizeof R->path, "%s", cfg->path);
    R->ring = hdx_xcalloc(R->queue_max, sizeof *R->ring);
    sync_init(R);
    hdx_status st = analytics_open(cfg->path, true, &R->db, err);
    if (st == HDX_OK &&
        sqlite3_prepare_v2(R->db, k_insert, -1, &R->insert, NULL) != SQLITE_OK)
        st = hdx_error_set(err, HDX_EDB_OPEN, __func__, "%s: %s", cfg->path,
                           sqlite3_errmsg(R->db));
    if (st == HDX_OK && pthread_create(&R->thread, NULL, writer_main, R))
        st = hdx_error_set(err, HDX_EINTERNAL, __func__,
                           "cannot start the analytics writer thread");
    else if (st == HDX_OK) /* its name in top -H, ps -L, /proc */
        pthread_setname_np(R->thread, "hdx-analytics");
    if (st != HDX_OK) {
        recorder_free(R);
        return st;
    }
    g_rec = R;
    return HDX_OK;
}

bool recorder_running(void)
{
    return g_rec != NULL;
}

bool recorder_submit(analytics_event *ev)
{
    recorder *R = g_rec;
    if (!R) {
        analytics_event_clear(ev);
        return false;
    }
    ev->arrived = (long long)time(NULL);
    if (!ev->ts)
        ev->ts = ev->arrived;
    pthread_mutex_lock(&R->mu);
    bool room = R->count < R->queue_max;
    bool wake = false;
    if (room) {
        R->ring[(R->head + R->count) % R->queue_max] = *ev;
        wake = ++R->count == R->batch_max;
    }
    pthread_mutex_unlock(&R->mu);
    if (wake)
        pthread_cond_signal(&R->wake);
    if (room) {
        memset(ev, 0, sizeof *ev); /* the strings are the queue's now */
    } else {
        analytics_event_clear(ev);
        count(&g_stats.dropped, 1);
    }
    return room;
}

void recorder_stats_get(recorder_stats *out)
{
    pthread_mutex_lock(&g_stats_mu);
    *out = g_stats;
    pthread_mutex_unlock(&g_stats_mu);
    out->queued = 0;
    recorder *R = g_rec;
    if (R) {
        pthread_mutex_lock(&R->mu);
        out->queued = (unsigned)R->count;
        pthread_mutex_unlock(&R->mu);
    }
}

void recorder_stop(void)
{
    recorder *R = g_rec;
    if (!R)
        return;
    pthread_mutex_lock(&R->mu);
    R->stop = true;
    pthread_mutex_unlock(&R->mu);
    pthread_cond_signal(&R->wake);
    pthread_join(R->thread, NULL);
    g_rec = NULL;
    recorder_free(R);
}
