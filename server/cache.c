/*
 * cache.c - a direct-mapped response cache (see cache.h).
 *
 * 8192 slots, each guarded by one of 64 striped mutexes; a new entry
 * replaces whatever held its slot.  A global byte count bounds memory:
 * when it is spent, entries at a moving hand make way for the new one (so
 * a full cache still learns a newly popular query); an entry that still
 * does not fit is not stored.
 */
#include "cache.h"

#include "compress.h"
#include "conditional.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"
#include "hdx/hash.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 8192
#define LOCKS 64
#define MAX_ENTRY (256u * 1024u)

typedef struct entry {
    char *key;
    uint64_t hash;
    char *body;
    size_t len;
    const char *content_type;
    size_t took_off, took_len; /* the took_ms span in body (len 0: none) */
    /* The body after the took_ms span (all of it when there is none),
     * compressed once when stored (compress_tail), for gzip hits. */
    char *gz_tail;
    size_t gz_tail_len, gz_raw_len;
    uint32_t gz_tail_crc;
    char etag[CONDITIONAL_TAG_LEN]; /* the same for every hit */
    reply_search search;            /* for analytics (http.h) */
} entry;

static entry g_slots[SLOTS];
static pthread_mutex_t g_locks[LOCKS];
static atomic_size_t g_bytes;
static atomic_ulong g_hits, g_misses; /* for /metrics */
static size_t g_limit = HDX_CACHE_BYTES; /* cache_set_limit() */

void cache_set_limit(size_t bytes)
{
    g_limit = bytes;
}

void cache_init(void)
{
    for (int i = 0; i < LOCKS; i++)
        pthread_mutex_init(&g_locks[i], NULL);
}

static void entry_clear(entry *e)
{
    if (e->key)
        atomic_fetch_sub(&g_bytes, strlen(e->key) + e->len + e->gz_tail_len);
    free(e->key);
    free(e->body);
    free(e->gz_tail);
    memset(e, 0, sizeof *e);
}

void cache_shutdown(void)
{
    for (int i = 0; i < SLOTS; i++)
        entry_clear(&g_slots[i]);
    for (int i = 0; i < LOCKS; i++)
        pthread_mutex_destroy(&g_locks[i]);
}

char *cache_key(const request *r, const char *uuid, unsigned long generation)
{
    hdx_buf b;
    hdx_buf_init(&b);
    /* A UUID is hex digits and dashes: it cannot hold the '|'. */
    hdx_buf_printf(&b, "%s|%lu|%d|%s|", uuid, generation, (int)r->level,
                   r->path);
    for (size_t i = 0; i < r->n_args; i++) {
        const char *k = r->args[i].name, *v = r->args[i].value;
        /* Length-prefixed, so no argument can forge another's boundaries. */
        hdx_buf_printf(&b, "%zu:%s=%zu:%s;", strlen(k), k, v ? strlen(v) : 0,
                       v ? v : "");
    }
    char *key = hdx_buf_detach(&b);
    hdx_buf_clear(&b);
    return key;
}

static void cache_reply(reply *rep, hdx_buf *b, const char *ctype,
                        size_t took_off, size_t took_len, double t0);

bool cache_get(const char *key, double t0, reply *rep)
{
    uint64_t h = hdx_hash64_str(key);
    size_t slot = (size_t)(h % SLOTS);
    pthread_mutex_t *mu = &g_locks[slot % LOCKS];
    /* Only the copy happens under the lock: every thread answering the
     * same popular query takes this one stripe. */
    hdx_buf b;
    hdx_buf_init(&b);
    const char *ctype = NULL;
    size_t took_off = 0, took_len = 0;
    entry gz = {0};
    pthread_mutex_lock(mu);
    entry *e = &g_slots[slot];
    bool hit = e->key && e->hash == h && !strcmp(e->key, key);
    if (hit) {
        hdx_buf_reserve(&b, e->len + 32);
        hdx_buf_add(&b, e->body, e->len);
        ctype = e->content_type;
        took_off = e->took_off;
        took_len = e->took_len;
        memcpy(gz.etag, e->etag, sizeof gz.etag);
        gz.search = e->search;
        if (e->gz_tail) {
            gz = *e;
            gz.gz_tail = hdx_xmalloc(e->gz_tail_len);
            memcpy(gz.gz_tail, e->gz_tail, e->gz_tail_len);
        }
    }
    pthread_mutex_unlock(mu);
    atomic_fetch_add_explicit(hit ? &g_hits : &g_misses, 1,
                              memory_order_relaxed);
    if (!hit) {
        hdx_buf_clear(&b);
        return false;
    }
    cache_reply(rep, &b, ctype, took_off, took_len, t0);
    reply_header(rep, "ETag", gz.etag);
    rep->gz_tail = gz.gz_tail; /* the body's end did not change */
    rep->gz_tail_len = gz.gz_tail_len;
    rep->gz_raw_len = gz.gz_raw_len;
    rep->gz_tail_crc = gz.gz_tail_crc;
    rep->search = gz.search;
    return true;
}

/* The reply of a hit: the stored body `b` (taken), its took_ms the time
 * since t0. */
static void cache_reply(reply *rep, hdx_buf *b, const char *ctype,
                        size_t took_off, size_t took_len, double t0)
{
    if (took_len) {
        /* This answer's own time, not the one that was stored. */
        hdx_buf out;
        hdx_buf_init(&out);
        hdx_buf_reserve(&out, b->len + 32);
        hdx_buf_add(&out, b->data, took_off);
        size_t off = out.len, n = http_took_ms(&out, t0);
        hdx_buf_add(&out, b->data + took_off + took_len,
                    b->len - took_off - took_len);
        hdx_buf_clear(b);
        reply_take_buf(rep, 200, ctype, &out);
        rep->took_off = off;
        rep->took_len = n;
    } else {
        reply_take_buf(rep, 200, ctype, b);
    }
}


/*
 * Drop entries at a moving hand until `cost` more bytes fit (at most one
 * sweep's worth of tries).  The caller holds `held`; other slots' locks
 * are only tried, so two threads making room never wait for each other.
 */
static void make_room(size_t cost, const pthread_mutex_t *held)
{
    static atomic_size_t hand;
    for (int tries = 0; tries < 4 * LOCKS &&
                        atomic_load(&g_bytes) + cost > g_limit;
         tries++) {
        size_t s = atomic_fetch_add(&hand, 1) % SLOTS;
        pthread_mutex_t *mu = &g_locks[s % LOCKS];
        if (mu == held) {
            entry_clear(&g_slots[s]);
        } else if (pthread_mutex_trylock(mu) == 0) {
            entry_clear(&g_slots[s]);
            pthread_mutex_unlock(mu);
        }
    }
}

void cache_put(const char *key, const reply *rep)
{
    if (rep->status != 200 || !rep->body || rep->len > MAX_ENTRY)
        return;
    /* Compressed outside the lock, and only what gzip would be used for. */
    entry gz = {0};
    if (rep->len >= COMPRESS_MIN_BYTES &&
        compress_type_ok(rep->content_type)) {
        size_t skip = rep->took_len ? rep->took_off + rep->took_len : 0;
        gz.gz_raw_len = rep->len - skip;
        gz.gz_tail = compress_tail(rep->body + skip, gz.gz_raw_len,
                                   &gz.gz_tail_len, &gz.gz_tail_crc);
    }
    conditional_body_tag(rep, gz.etag);
    size_t cost = strlen(key) + rep->len + gz.gz_tail_len;
    uint64_t h = hdx_hash64_str(key);
    size_t slot = (size_t)(h % SLOTS);
    pthread_mutex_t *mu = &g_locks[slot % LOCKS];
    pthread_mutex_lock(mu);
    entry *e = &g_slots[slot];
    entry_clear(e);
    make_room(cost, mu);
    if (atomic_load(&g_bytes) + cost <= g_limit) {
        e->key = hdx_xstrdup(key);
        e->hash = h;
        e->body = hdx_xmalloc(rep->len + 1);
        memcpy(e->body, rep->body, rep->len);
        e->body[rep->len] = '\0';
        e->len = rep->len;
        e->content_type = rep->content_type;
        e->took_off = rep->took_off;
        e->took_len = rep->took_len;
        e->gz_tail = gz.gz_tail;
        e->gz_tail_len = gz.gz_tail_len;
        e->gz_raw_len = gz.gz_raw_len;
        e->gz_tail_crc = gz.gz_tail_crc;
        memcpy(e->etag, gz.etag, sizeof e->etag);
        e->search = rep->search;
        gz.gz_tail = NULL;
        atomic_fetch_add(&g_bytes, cost);
    }
    pthread_mutex_unlock(mu);
    free(gz.gz_tail); /* not stored */
}

void cache_counts(unsigned long *hits, unsigned long *misses, size_t *bytes)
{
    *hits = atomic_load_explicit(&g_hits, memory_order_relaxed);
    *misses = atomic_load_explicit(&g_misses, memory_order_relaxed);
    *bytes = atomic_load(&g_bytes);
}
