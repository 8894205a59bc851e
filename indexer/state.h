/*
 * state.h - what the index remembers about each source file.
 *
 * Stored as Xapian metadata ("f:<path>" → "size mtime hash\tid\tpath"),
 * so it is committed in the same transaction as the documents it
 * describes: after a crash, the state and the documents always agree, and
 * the next run redoes exactly what was not published.
 */
#ifndef HDX_INDEXER_STATE_H
#define HDX_INDEXER_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "hdx/xapian.h"

typedef struct file_state {
    char *path;
    long long size;
    long long mtime_ns;
    uint64_t hash;
    char *id;   /* as written in the article */
} file_state;

/* Embedded by value; owns its items and their strings until
 * state_table_free(). */
typedef struct state_table {
    file_state *items; /* sorted by path */
    size_t n;
} state_table;

/* Load every stored file state of the index.  Entries that do not parse
 * (written by something else) are ignored.  Statuses: the writer's. */
hdx_status state_load(hdx_writer *w, state_table *t, hdx_error *err);

/* Binary search; NULL if absent.  Borrowed until state_table_free(). */
const file_state *state_find(const state_table *t, const char *path);

/* Record (replace) the state of `path`, in the writer's open batch. */
hdx_status state_put(hdx_writer *w, const char *path, long long size,
                     long long mtime_ns, uint64_t hash, const char *id,
                     hdx_error *err);

/* Forget the state of `path`. */
hdx_status state_delete(hdx_writer *w, const char *path, hdx_error *err);

void state_table_free(state_table *t);

/* Record `path` (NULL: nobody) as the owner of id's key ("i:" + key), the
 * index's copy of the duplicate-id table (ids.h). */
hdx_status state_set_id_owner(hdx_writer *w, const char *id, const char *path,
                              hdx_error *err);

#endif
