/*
 * shard_set.c - the configured shards and their counters (see
 * shard_set.h).
 */
#include "shard_set.h"

#include "json_out.h"

#include "hdx/alloc.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *g_specs[SHARD_SET_MAX];
static hdx_shard_opts g_opts;
static atomic_ulong g_missing[SHARD_SET_MAX];

void shard_set_configure(const char *const *specs, size_t n,
                         unsigned timeout_ms, bool strict)
{
    shard_set_clear();
    for (size_t i = 0; i < n && i < SHARD_SET_MAX; i++)
        g_specs[i] = hdx_xstrdup(specs[i]);
    g_opts.specs = (const char *const *)g_specs;
    g_opts.n = n < SHARD_SET_MAX ? n : SHARD_SET_MAX;
    g_opts.timeout_ms = timeout_ms;
    g_opts.strict = strict;
}

void shard_set_clear(void)
{
    for (size_t i = 0; i < g_opts.n; i++) {
        free(g_specs[i]);
        g_specs[i] = NULL;
    }
    memset(&g_opts, 0, sizeof g_opts);
}

const hdx_shard_opts *shard_set_opts(void)
{
    return g_opts.n ? &g_opts : NULL;
}

/* The --shard position of `spec`, or SHARD_SET_MAX. */
static size_t position(const char *spec)
{
    for (size_t i = 0; i < g_opts.n; i++)
        if (!strcmp(g_specs[i], spec))
            return i;
    return SHARD_SET_MAX;
}

json_t *shard_set_missing(const hdx_db *db, bool show_specs)
{
    if (!hdx_db_n_shards(db))
        return NULL;
    json_t *names = json_array();
    size_t n = hdx_db_n_missing(db);
    for (size_t k = 0; k < n; k++) {
        const char *spec = hdx_db_missing(db, k);
        size_t i = position(spec);
        if (i < SHARD_SET_MAX)
            atomic_fetch_add_explicit(&g_missing[i], 1, memory_order_relaxed);
        char name[32];
        snprintf(name, sizeof name, "shard-%zu", i + 1);
        json_array_append_new(names, json_string(show_specs ? spec : name));
    }
    return names;
}

void shard_set_json(hdx_buf *b, const hdx_db *db, bool show_specs)
{
    json_t *names = shard_set_missing(db, show_specs);
    if (!names)
        return;
    if (json_array_size(names) == 0) {
        hdx_buf_adds(b, ",\"partial\":false");
    } else {
        hdx_buf_adds(b, ",\"partial\":true,\"missing_shards\":");
        jout_value(b, names);
    }
    json_decref(names);
}

void shard_set_render(hdx_buf *b)
{
    if (!g_opts.n)
        return;
    hdx_buf_adds(b, "# HELP helpdex_shard_failures_total Searches answered "
                    "without a shard that did not answer (partial), by "
                    "shard.\n# TYPE helpdex_shard_failures_total counter\n");
    for (size_t i = 0; i < g_opts.n; i++) {
        hdx_buf_adds(b, "helpdex_shard_failures_total{shard=");
        jout_str(b, g_specs[i]); /* JSON escaping covers Prometheus's */
        hdx_buf_printf(b, "} %lu\n",
                       atomic_load_explicit(&g_missing[i],
                                            memory_order_relaxed));
    }
}
