/*
 * cache.c - a direct-mapped response cache (see cache.h).
 *
 * 8192 slots, each guarded by one of 64 striped mutexes; a new entry
 * replaces whatever held its slot.  A global byte count bounds memory: an
 * entry that would exceed HDX_CACHE_BYTES is simply not stored.
 */
#include "cache.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"

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
} entry;

static entry g_slots[SLOTS];
static pthread_mutex_t g_locks[LOCKS];
static atomic_size_t g_bytes;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

void cache_init(void)
{
    for (int i = 0; i < LOCKS; i++)
        pthread_mutex_init(&g_locks[i], NULL);
}

static void entry_clear(entry *e)
{
    if (e->key)
        atomic_fetch_sub(&g_bytes, strlen(e->key) + e->len);
    free(e->key);
    free(e->body);
    memset(e, 0, sizeof *e);
}

void cache_shutdown(void)
{
    for (int i = 0; i < SLOTS; i++)
        entry_clear(&g_slots[i]);
    for (int i = 0; i < LOCKS; i++)
        pthread_mutex_destroy(&g_locks[i]);
}

typedef struct key_ctx {
    hdx_buf *b;
} key_ctx;

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind,
                               const char *k, const char *v)
{
    (void)kind;
    hdx_buf *b = ((key_ctx *)cls)->b;
    /* Length-prefixed, so no argument can forge another's boundaries. */
    hdx_buf_printf(b, "%zu:%s=%zu:%s;", strlen(k), k, v ? strlen(v) : 0,
                   v ? v : "");
    return MHD_YES;
}

char *cache_key(request *r, unsigned long generation)
{
    if (strcmp(r->method, "GET") != 0)
        return NULL;
    if (strcmp(r->path, "/api/search") != 0 &&
        strcmp(r->path, "/api/suggest") != 0)
        return NULL;
    hdx_buf b;
    hdx_buf_init(&b);
    hdx_buf_printf(&b, "%lu|%d|%s|", generation, (int)r->level, r->path);
    key_ctx c = {&b};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, &c);
    char *k = hdx_buf_detach(&b);
    hdx_buf_clear(&b);
    return k;
}

bool cache_get(const char *key, reply *rep)
{
    uint64_t h = hash_str(key);
    size_t slot = (size_t)(h % SLOTS);
    pthread_mutex_t *mu = &g_locks[slot % LOCKS];
    bool hit = false;
    pthread_mutex_lock(mu);
    entry *e = &g_slots[slot];
    if (e->key && e->hash == h && !strcmp(e->key, key)) {
        reply_bytes(rep, 200, e->content_type, e->body, e->len);
        hit = true;
    }
    pthread_mutex_unlock(mu);
    return hit;
}

void cache_put(const char *key, const reply *rep)
{
    if (rep->status != 200 || !rep->body || rep->len > MAX_ENTRY)
        return;
    size_t cost = strlen(key) + rep->len;
    uint64_t h = hash_str(key);
    size_t slot = (size_t)(h % SLOTS);
    pthread_mutex_t *mu = &g_locks[slot % LOCKS];
    pthread_mutex_lock(mu);
    entry *e = &g_slots[slot];
    entry_clear(e);
    if (atomic_load(&g_bytes) + cost <= HDX_CACHE_BYTES) {
        e->key = hdx_xstrdup(key);
        e->hash = h;
        e->body = hdx_xmalloc(rep->len + 1);
        memcpy(e->body, rep->body, rep->len);
        e->body[rep->len] = '\0';
        e->len = rep->len;
        e->content_type = rep->content_type;
        atomic_fetch_add(&g_bytes, cost);
    }
    pthread_mutex_unlock(mu);
}
