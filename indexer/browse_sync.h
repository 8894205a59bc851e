/*
 * browse_sync.h - the corpus's category → section hierarchy for an
 * indexing run (hdx/browse.h): built from the walk, compared with and
 * stored in the index's metadata.
 * Ownership: browse_build() returns a table the caller frees with
 * hdx_browse_free(); the writer and the walk list stay the caller's.
 */
#ifndef HDX_INDEXER_BROWSE_SYNC_H
#define HDX_INDEXER_BROWSE_SYNC_H

#include <stdbool.h>

#include "walk.h"

#include "hdx/browse.h"
#include "hdx/xapian.h"

/* The hierarchy of the walked corpus.  Problems in the writers' files
 * are printed as "path:line: warning|error: message" on stderr and
 * counted in *n_errors (may be NULL); they never stop the run. */
hdx_browse *browse_build(const char *corpus, const walk_list *wl,
                         unsigned *n_errors);

/* *changed: the index was written with another folder layout, so every
 * article's place may differ (the run must re-index all). */
hdx_status browse_layout_changed(hdx_writer *w, const hdx_browse *b,
                                 bool *changed, hdx_error *err);

/* Store the table and its layout stamp in the open batch; *changed
 * (optional) when it differs from what the index held. */
hdx_status browse_store(hdx_writer *w, const hdx_browse *b, bool *changed,
                        hdx_error *err);

#endif
