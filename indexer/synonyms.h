/*
 * synonyms.h - the writers' synonyms file → Xapian's synonym table.
 *
 * Format (docs/article-format.md): one group per line, entries separated by
 * commas, '#' starts a comment; every entry of a group becomes a synonym of
 * every other.  Entries are normalised like all indexed text.
 * Ownership: every pointer is borrowed for the duration of the call.
 */
#ifndef HDX_INDEXER_SYNONYMS_H
#define HDX_INDEXER_SYNONYMS_H

#include <stdbool.h>

#include "hdx/xapian.h"

/* Replace the index's synonyms with those of `data` (the file `path`).
 * Bad lines are warnings, printed as "path:line: ..." on stderr and
 * skipped; *n_groups counts the groups loaded.  Statuses: the writer's. */
hdx_status synonyms_load(hdx_writer *w, const char *path, const char *data,
                         size_t len, unsigned *n_groups, hdx_error *err);

/*
 * Reload CORPUS/synonyms.txt into the writer's batch when its content
 * differs from the stamp stored in the index (or always, with `force`),
 * and store the new stamp.  A missing or unreadable file counts as empty.
 * *changed tells whether anything was written.  Statuses: the writer's.
 */
hdx_status synonyms_sync(hdx_writer *w, const char *corpus, bool force,
                         bool *changed, hdx_error *err);

#endif
