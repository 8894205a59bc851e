/*
 * publish.h - one finished file into a writer's open batch: its documents,
 * the owner of its id ("i:" metadata) and its file state ("f:").  The
 * incremental run and the shard writers both call publish_file(), so a
 * file is always recorded the same way.  Nothing here commits.
 *
 * Ownership: every pointer is borrowed for the duration of the call.
 */
#ifndef HDX_INDEXER_PUBLISH_H
#define HDX_INDEXER_PUBLISH_H

#include <stdbool.h>
#include <stdint.h>

#include "hdx/document.h"
#include "hdx/xapian.h"

typedef struct publish_item {
    const char *path;        /* relative to the corpus */
    const char *id;          /* as written; its key must be the path's
                                (ids_claim() said so) */
    const hdx_docset *docs;
    long long size, mtime_ns; /* of the file as listed */
    uint64_t hash;            /* hdx_hash64 of its bytes */
} publish_item;

/*
 * Publish `it`.  In a `fresh` writer (a new shard) the documents are only
 * added.  Otherwise the documents the path had before leave first, and
 * `released_id` (the path's previous id, when ids_claim() ended its hold;
 * NULL for none) loses its owner entry.  Statuses: the writer's (HDX_EDB,
 * HDX_ENOMEM, ...).  Not thread-safe for one writer.
 */
hdx_status publish_file(hdx_writer *w, const publish_item *it, bool fresh,
                        const char *released_id, hdx_error *err);

/* Remove everything `path` published: its documents, the owner entry of
 * `released_id` (NULL: none) and its file state. */
hdx_status publish_remove(hdx_writer *w, const char *path,
                          const char *released_id, hdx_error *err);

#endif
