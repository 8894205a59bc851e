/*
 * state.c - per-file incremental state kept in the index metadata.
 *
 * Keys longer than Xapian allows are replaced by a hash of the path; the
 * path itself is always in the value, which is what loading relies on.
 */
#include "state.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"
#include "hdx/schema.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    state_table *t;
    size_t cap;
} load_ctx;

static void on_meta(const char *key, const char *value, void *p)
{
    (void)key;
    load_ctx *c = p;
    file_state fs = {0};
    unsigned long long hash = 0;
    int off = 0;
    if (sscanf(value, "%lld %lld %llx\t%n", &fs.size, &fs.mtime_ns, &hash,
               &off) != 3 || off == 0)
        return;
    const char *id = value + off;
    const char *tab = strchr(id, '\t');
    if (!tab)
        return;
    fs.hash = hash;
    fs.id = hdx_xstrndup(id, (size_t)(tab - id));
    fs.path = hdx_xstrdup(tab + 1);
    if (c->t->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->t->items = hdx_xrealloc(c->t->items, c->cap * sizeof(file_state));
    }
    c->t->items[c->t->n++] = fs;
}

static int cmp_state(const void *a, const void *b)
{
    return strcmp(((const file_state *)a)->path, ((const file_state *)b)->path);
}

hdx_status state_load(hdx_writer *w, state_table *t, hdx_error *err)
{
    t->items = NULL;
    t->n = 0;
    load_ctx c = {t, 0};
    hdx_status st = hdx_writer_meta_list(w, HDX_META_FILE_PREFIX, on_meta, &c, err);
    if (st == HDX_OK && t->n)
        qsort(t->items, t->n, sizeof(file_state), cmp_state);
    return st;
}

const file_state *state_find(const state_table *t, const char *path)
{
    file_state key = {.path = (char *)path};
    if (!t->n)
        return NULL;
    return bsearch(&key, t->items, t->n, sizeof(file_state), cmp_state);
}

hdx_status state_put(hdx_writer *w, const char *path, long long size,
                     long long mtime_ns, uint64_t hash, const char *id,
                     hdx_error *err)
{
    char *key = hdx_meta_key_file(path);
    hdx_buf v;
    hdx_buf_init(&v);
    hdx_buf_printf(&v, "%lld %lld %016" PRIx64 "\t%s\t%s", size, mtime_ns,
                   hash, id, path);
    hdx_status st = hdx_writer_meta_set(w, key, v.data, err);
    hdx_buf_clear(&v);
    free(key);
    return st;
}

hdx_status state_delete(hdx_writer *w, const char *path, hdx_error *err)
{
    char *key = hdx_meta_key_file(path);
    hdx_status st = hdx_writer_meta_set(w, key, NULL, err);
    free(key);
    return st;
}

hdx_status state_set_id_owner(hdx_writer *w, const char *id, const char *path,
                              hdx_error *err)
{
    char *key = hdx_meta_key_id(id);
    hdx_status st = hdx_writer_meta_set(w, key, path, err);
    free(key);
    return st;
}

void state_table_free(state_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->items[i].path);
        free(t->items[i].id);
    }
    free(t->items);
    t->items = NULL;
    t->n = 0;
}
