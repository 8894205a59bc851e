/*
 * merge.h - one read view over several hosts' analytics stores.
 *
 * Each helpdex-serve behind a balancer records into its own store
 * (docs/scaling.md).  helpdex-report reads them as one: the first store
 * is opened with analytics_open(), the others are checked the same way
 * and ATTACHed, and a TEMP view named "events" - found before any
 * schema's own table - is the UNION ALL of every store's events, so the
 * report queries (analytics/report.h) run unchanged over all of them.
 */
#ifndef HDX_ANALYTICS_MERGE_H
#define HDX_ANALYTICS_MERGE_H

#include "hdx/hdx.h"

#include <sqlite3.h>
#include <stddef.h>

/* At most this many stores (SQLite's default limit of attached files, plus
 * the first). */
#define ANALYTICS_MERGE_MAX 11

/*
 * Open the `n` (1 to ANALYTICS_MERGE_MAX) stores at `paths` as one, for
 * reading, into *out; the caller closes it with sqlite3_close().  With
 * n == 1 this is analytics_open(paths[0], false, ...).  A missing store
 * is HDX_ENOTFOUND, one that is not a store of this schema version
 * HDX_EDB_OPEN, as for analytics_open(); err->msg names the file.
 */
hdx_status analytics_open_merged(const char *const *paths, size_t n,
                                 sqlite3 **out, hdx_error *err);

#endif
