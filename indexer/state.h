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
    char *id;
} file_state;

typedef struct state_table {
    file_state *items; /* sorted by path */
    size_t n;
} state_table;

hdx_status state_load(hdx_writer *w, state_table *t, hdx_error *err);
/* Binary search; NULL if absent. */
file_state *state_find(state_table *t, const char *path);
hdx_status state_put(hdx_writer *w, const char *path, long long size,
                     long long mtime_ns, uint64_t hash, const char *id,
                     hdx_error *err);
hdx_status state_delete(hdx_writer *w, const char *path, hdx_error *err);
void state_table_free(state_table *t);

/* Metadata key of the file that owns id (i:<id>), for duplicate checks. */
hdx_status state_id_owner(hdx_writer *w, const char *id, char **path,
                          hdx_error *err);
hdx_status state_set_id_owner(hdx_writer *w, const char *id, const char *path,
                              hdx_error *err);


#endif
