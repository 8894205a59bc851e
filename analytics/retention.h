/*
 * retention.h - delete the events older than the retention.
 *
 * helpdex-serve keeps `--analytics-retention DAYS` days of events
 * (default 90).  The recorder's writer thread runs this when it starts
 * and then once a day, so no row outlives the retention by more than a
 * day.
 */
#ifndef HDX_ANALYTICS_RETENTION_H
#define HDX_ANALYTICS_RETENTION_H

#include "hdx/hdx.h"

#include <sqlite3.h>
#include <time.h>

#define ANALYTICS_RETENTION_DEFAULT 90L
#define ANALYTICS_RETENTION_MAX 36500L

/* Delete from `db` (borrowed, an analytics store) every event with ts
 * before now - days * 86400; *deleted (may be NULL) gets the number of
 * rows.  HDX_EDB with SQLite's message if the delete fails.  Not
 * thread-safe with other users of the same connection. */
hdx_status analytics_retention_run(sqlite3 *db, long days, time_t now,
                                   long long *deleted, hdx_error *err);

#endif
