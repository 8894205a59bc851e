/*
 * shard_set.h - sharded mode (helpdex-serve --shard, docs/scaling-shards.md):
 * the configured shards, which every per-thread handle opens
 * (index_pool.c), how an answer says a shard was missing, and the
 * counters of answers given without each shard (/metrics).
 *
 * Configured once at start-up, before any thread serves; read-only after
 * that except the counters, which are relaxed C11 atomics.
 */
#ifndef HDX_SERVER_SHARD_SET_H
#define HDX_SERVER_SHARD_SET_H

#include <stdbool.h>
#include <stddef.h>

#include "hdx/buf.h"
#include "hdx/xapian.h"

#include <jansson.h>

/* At most this many --shard options. */
#define SHARD_SET_MAX 32

/* Copy the shard specs (n == 0: one index, not sharded), the remote
 * timeout in milliseconds and strict mode.  Call before index_pool_start. */
void shard_set_configure(const char *const *specs, size_t n,
                         unsigned timeout_ms, bool strict);
void shard_set_clear(void);

/* The options for hdx_db_open_sharded(), or NULL when not sharded
 * (static storage, valid until shard_set_clear). */
const hdx_shard_opts *shard_set_opts(void);

/* For a sharded `db`, the shards its last query left out as a new JSON
 * array (empty when none; the caller decrefs), each counted for
 * /metrics; NULL for an unsharded `db`.  Callers at agent level or above
 * see the shards' specs; public callers see "shard-K" (K: the --shard
 * position), so an answer never shows a customer an internal address. */
json_t *shard_set_missing(const hdx_db *db, bool show_specs);

/* shard_set_missing() into the JSON object being written in `b`: for a
 * sharded `db`, append ",\"partial\":false" or ",\"partial\":true,
 * \"missing_shards\":[...]"; nothing for an unsharded `db`. */
void shard_set_json(hdx_buf *b, const hdx_db *db, bool show_specs);

/* The helpdex_shard_failures_total family (nothing when not sharded). */
void shard_set_render(hdx_buf *b);

#endif
