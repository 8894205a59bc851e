/*
 * synonyms.h - the writers' synonyms file → Xapian's synonym table.
 *
 * Format (docs/article-format.md): one group per line, entries separated by
 * commas, '#' starts a comment; every entry of a group becomes a synonym of
 * every other.  Entries are normalised like all indexed text.
 */
#ifndef HDX_INDEXER_SYNONYMS_H
#define HDX_INDEXER_SYNONYMS_H

#include "hdx/xapian.h"

/* Replace the index's synonyms with those of `path`.  Bad lines are
 * reported as "path:line: ..." on stderr and skipped; *n_groups counts the
 * groups loaded. */
hdx_status synonyms_load(hdx_writer *w, const char *path, const char *data,
                         size_t len, unsigned *n_groups, hdx_error *err);

#endif
