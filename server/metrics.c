/*
 * metrics.c - request counters and the /metrics exposition (see
 * metrics.h).
 */
#include "metrics.h"

#include "shard_set.h"

#include "cache.h"
#include "index_pool.h"
#include "session.h"
#include "signin_guard.h"

#include "analytics/recorder.h"

#include "hdx/hdx.h"
#include "hdx/schema.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_ROUTES 48  /* slots; a route past them counts as "none" */
#define N_CODES 600    /* status codes 0-599 (0: no answer was sent) */

typedef struct route_stats {
    atomic_ulong codes[N_CODES];
    atomic_ulong buckets[METRICS_N_BOUNDS + 1]; /* not cumulative */
    atomic_ullong sum_us;
} route_stats;

static const double k_bounds[METRICS_N_BOUNDS] = METRICS_BOUNDS;
static route_stats g_stats[MAX_ROUTES + 1]; /* [MAX_ROUTES]: "none" */

/* Seconds since the epoch, now. */
static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

size_t metrics_bucket(double seconds)
{
    for (size_t i = 0; i < METRICS_N_BOUNDS; i++)
        if (seconds <= k_bounds[i])
            return i;
    return METRICS_N_BOUNDS;
}

/* The slot of a route: its index in the table, or the "none" slot. */
static size_t slot_of(const route *rt)
{
    size_t n;
    const route *table = route_table(&n);
    if (!rt || rt < table || rt >= table + n)
        return MAX_ROUTES;
    size_t i = (size_t)(rt - table);
    return i < MAX_ROUTES ? i : MAX_ROUTES;
}

void metrics_observe(const route *rt, int status, double ms)
{
    route_stats *s = &g_stats[slot_of(rt)];
    if (status < 0 || status >= N_CODES)
        status = 0;
    if (ms < 0)
        ms = 0;
    atomic_fetch_add_explicit(&s->codes[status], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->buckets[metrics_bucket(ms / 1000.0)], 1,
                              memory_order_relaxed);
    atomic_fetch_add_explicit(&s->sum_us, (unsigned long long)(ms * 1000.0),
                              memory_order_relaxed);
}

static const char *slot_name(size_t i)
{
    size_t n;
    const route *table = route_table(&n);
    return i < n && i < MAX_ROUTES ? table[i].name : "none";
}

static void family(hdx_buf *b, const char *name, const char *type,
                   const char *help)
{
    hdx_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
                   type);
}

static void render_requests(hdx_buf *b)
{
    family(b, "helpdex_http_requests_total", "counter",
           "Requests answered, by route (server/routes.c) and HTTP status "
           "code.");
    for (size_t i = 0; i <= MAX_ROUTES; i++)
        for (int c = 0; c < N_CODES; c++) {
            unsigned long v = atomic_load_explicit(&g_stats[i].codes[c],
                                                   memory_order_relaxed);
            if (v)
                hdx_buf_printf(b,
                               "helpdex_http_requests_total{route=\"%s\","
                               "code=\"%d\"} %lu\n",
                               slot_name(i), c, v);
        }
}

static void render_latency(hdx_buf *b)
{
    static const char m[] = "helpdex_http_request_duration_seconds";
    family(b, m, "histogram",
           "Time from the request line to the answer being sent, by "
           "route.");
    for (size_t i = 0; i <= MAX_ROUTES; i++) {
        unsigned long v[METRICS_N_BOUNDS + 1], total = 0;
        for (size_t k = 0; k <= METRICS_N_BOUNDS; k++)
            total += v[k] = atomic_load_explicit(&g_stats[i].buckets[k],
                                                 memory_order_relaxed);
        if (!total)
            continue;
        const char *name = slot_name(i);
        unsigned long cum = 0;
        for (size_t k = 0; k < METRICS_N_BOUNDS; k++) {
            cum += v[k];
            hdx_buf_printf(b, "%s_bucket{route=\"%s\",le=\"%g\"} %lu\n", m,
                           name, k_bounds[k], cum);
        }
        unsigned long long us = atomic_load_explicit(&g_stats[i].sum_us,
                                                     memory_order_relaxed);
        hdx_buf_printf(b, "%s_bucket{route=\"%s\",le=\"+Inf\"} %lu\n", m,
                       name, total);
        hdx_buf_printf(b, "%s_sum{route=\"%s\"} %.6f\n", m, name,
                       (double)us / 1e6);
        hdx_buf_printf(b, "%s_count{route=\"%s\"} %lu\n", m, name, total);
    }
}

/* One sample of a family without labels. */
static void metric(hdx_buf *b, const char *name, const char *type,
                   const char *help, unsigned long long value)
{
    family(b, name, type, help);
    hdx_buf_printf(b, "%s %llu\n", name, value);
}

static void render_cache(hdx_buf *b)
{
    unsigned long hits, misses;
    size_t bytes;
    cache_counts(&hits, &misses, &bytes);
    metric(b, "helpdex_cache_hits_total", "counter",
           "Cacheable requests answered from the response cache.", hits);
    metric(b, "helpdex_cache_misses_total", "counter",
           "Cacheable requests the cache could not answer.", misses);
    metric(b, "helpdex_cache_bytes", "gauge",
           "Bytes of keys and bodies held by the response cache.", bytes);
}

/* The analytics recorder's counters (zeros when recording is off). */
static void render_analytics(hdx_buf *b)
{
    recorder_stats st;
    recorder_stats_get(&st);
    const struct {
        const char *name, *type, *help;
        unsigned long long value;
    } rows[] = {
        {"helpdex_analytics_recorded_total", "counter",
         "Analytics events written to the --analytics-db store.",
         st.recorded},
        {"helpdex_analytics_dropped_total", "counter",
         "Analytics events dropped because the recorder's queue was full.",
         st.dropped},
        {"helpdex_analytics_failed_total", "counter",
         "Analytics events lost to a SQLite error (logged).", st.failed},
        {"helpdex_analytics_queued", "gauge",
         "Analytics events waiting for the writer thread.", st.queued},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        metric(b, rows[i].name, rows[i].type, rows[i].help, rows[i].value);
}

static void render_index(hdx_buf *b, const metrics_index *idx, double now)
{
    family(b, "helpdex_index_up", "gauge",
           "1 if the index is open and readable, else 0.");
    hdx_buf_printf(b, "helpdex_index_up %d\n", idx->up ? 1 : 0);
    if (idx->up) {
        family(b, "helpdex_index_revision", "gauge",
               "Generation of the index revision served (+1 per commit).");
        hdx_buf_printf(b, "helpdex_index_revision %lu\n", idx->revision);
        family(b, "helpdex_index_documents", "gauge",
               "Documents in the index, every audience level.");
        hdx_buf_printf(b, "helpdex_index_documents %u\n", idx->documents);
    }
    if (idx->up && idx->committed > 0) {
        family(b, "helpdex_index_last_commit_timestamp_seconds", "gauge",
               "When the revision served was committed (Unix time).");
        hdx_buf_printf(b, "helpdex_index_last_commit_timestamp_seconds "
                          "%.3f\n", idx->committed);
        family(b, "helpdex_index_seconds_since_commit", "gauge",
               "Seconds since the revision served was committed.");
        hdx_buf_printf(b, "helpdex_index_seconds_since_commit %.3f\n",
                       now > idx->committed ? now - idx->committed : 0.0);
    }
    unsigned long ok, failed;
    index_pool_reopens(&ok, &failed);
    family(b, "helpdex_index_reopens_total", "counter",
           "Thread handles moved to a new commit of the index.");
    hdx_buf_printf(b, "helpdex_index_reopens_total %lu\n", ok);
    family(b, "helpdex_index_reopen_failures_total", "counter",
           "Reopens that failed (the handle kept its old revision).");
    hdx_buf_printf(b, "helpdex_index_reopen_failures_total %lu\n", failed);
}

/* Field 22 of /proc/self/stat (start time in clock ticks since boot)
 * plus the boot time of /proc/stat; 0 when either is unreadable. */
static double start_time(void)
{
    char buf[1024];
    FILE *f = fopen("/proc/self/stat", "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')'); /* the name may hold spaces */
    unsigned long long ticks = 0;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
                            "%*u %*u %*d %*d %*d %*d %*d %*d %llu",
                     &ticks) != 1)
        return 0;
    f = fopen("/proc/stat", "r");
    unsigned long long btime = 0;
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "btime %llu", &btime) == 1)
            break;
    if (f)
        fclose(f);
    long hz = sysconf(_SC_CLK_TCK);
    if (!btime || hz <= 0)
        return 0;
    return (double)btime + (double)ticks / (double)hz;
}

static void render_process(hdx_buf *b)
{
    unsigned long long size = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    bool ok = f && fscanf(f, "%llu %llu", &size, &resident) == 2;
    if (f)
        fclose(f);
    if (ok) {
        family(b, "process_resident_memory_bytes", "gauge",
               "Resident memory of the process (/proc/self/statm).");
        hdx_buf_printf(b, "process_resident_memory_bytes %llu\n",
                       resident * (unsigned long long)sysconf(_SC_PAGESIZE));
    }
    double t = start_time();
    if (t > 0) {
        family(b, "process_start_time_seconds", "gauge",
               "When the process started (Unix time).");
        hdx_buf_printf(b, "process_start_time_seconds %.2f\n", t);
    }
    family(b, "helpdex_build_info", "gauge",
           "Always 1; the labels name the build.");
    hdx_buf_printf(b, "helpdex_build_info{version=\"%s\",schema=\"%s\"} 1\n",
                   HDX_VERSION, HDX_SCHEMA_VERSION);
}

/* Agents' sign-in: open sessions, failed and rate-limited sign-ins. */
static void render_signin(hdx_buf *b)
{
    unsigned long failed, limited;
    signin_guard_counts(&failed, &limited);
    metric(b, "helpdex_sessions", "gauge",
           "Agents' sign-in sessions open now.", session_count());
    metric(b, "helpdex_signin_failures_total", "counter",
           "Sign-ins refused for a token that is not valid.", failed);
    metric(b, "helpdex_signin_limited_total", "counter",
           "Sign-ins refused by the per-address limit (429).", limited);
}

void metrics_render(hdx_buf *b, const metrics_index *idx, double now)
{
    render_requests(b);
    render_latency(b);
    render_cache(b);
    render_analytics(b);
    render_signin(b);
    render_index(b, idx, now);
    shard_set_render(b);
    render_process(b);
}

void handle_metrics(request *r, reply *rep)
{
    metrics_index idx = {0};
    if (r->db && hdx_db_doccount(r->db, &idx.documents, NULL) == HDX_OK) {
        idx.up = true;
        idx.revision = hdx_db_generation(r->db);
        idx.committed = index_pool_committed();
    }
    hdx_buf b;
    hdx_buf_init(&b);
    metrics_render(&b, &idx, wall_now());
    reply_take_buf(rep, 200, "text/plain; version=0.0.4; charset=utf-8", &b);
}
