/*
 * cache.h - responses of repeated searches, keyed by index identity.
 *
 * A help center sees the same few queries over and over.  A cached body is
 * stored under (database UUID, index generation, caller level, path, query
 * arguments).  Every request first moves its handle to the latest commit,
 * and the generation moves with every commit, so an answer computed
 * before a publish is never served after it.  The generation alone is not
 * enough: an index deleted and built again at the same path starts again
 * at generation 1, so the key also holds the database's UUID, which is
 * new for every index (hdx_db_uuid).  Which routes are cached is the route table's
 * business (routes.h).  Memory is bounded (HDX_CACHE_BYTES, or what
 * cache_set_limit() says: --cache-mb).  Every
 * function is thread-safe.
 */
#ifndef HDX_SERVER_CACHE_H
#define HDX_SERVER_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "http.h"

#define HDX_CACHE_BYTES (32u * 1024u * 1024u)

/* The memory bound, in bytes (0: nothing is stored); before cache_init(),
 * from one thread. */
void cache_set_limit(size_t bytes);
void cache_init(void);
void cache_shutdown(void);

/* The cache key of `r` for the index `uuid` (borrowed) at `generation`:
 * UUID, generation, caller level, path and every argument, each argument
 * length-prefixed so that no argument can forge another's boundaries.
 * Caller frees. */
char *cache_key(const request *r, const char *uuid, unsigned long generation);

/* On a hit, fill `rep` with a copy of the stored reply and return true.
 * A stored took_ms is not replayed: the copy reports the time since t0. */
bool cache_get(const char *key, double t0, reply *rep);

/* Store a copy of a 200 reply under `key` (best effort). */
void cache_put(const char *key, const reply *rep);

/* Lookups answered and not answered from the cache since the start, and
 * the bytes it holds now (for /metrics). */
void cache_counts(unsigned long *hits, unsigned long *misses, size_t *bytes);

#endif
