/*
 * feedback_store.h - "Was this helpful?" votes on articles, kept in SQLite.
 *
 * One row per vote: article id, helpful flag, and the optional comment and
 * query the reader typed, with a UTC timestamp; nothing else about the
 * reader is stored.  The store is one connection behind a mutex (requests
 * arrive on several MHD threads), in WAL mode with a busy timeout so an
 * external reader (sqlite3 CLI, a report) does not block the server.
 * Every function is thread-safe.
 */
#ifndef HDX_SERVER_FEEDBACK_STORE_H
#define HDX_SERVER_FEEDBACK_STORE_H

#include <stdbool.h>

#include "hdx/hdx.h"

#define FEEDBACK_MAX_COMMENT 1000u
#define FEEDBACK_MAX_QUERY 500u

/* Open (creating) the store at `path`; NULL or "" leaves feedback
 * disabled and returns HDX_OK.  HDX_EDB_OPEN with a message naming the
 * file otherwise. */
hdx_status feedback_store_open(const char *path, hdx_error *err);
/* Close the store; safe to call when it was never opened. */
void feedback_store_close(void);
/* True when a store is open. */
bool feedback_store_enabled(void);

/* Record one vote (comment and query may be NULL or "": not stored).
 * HDX_EDB if SQLite fails (logged). */
hdx_status feedback_store_add(const char *article, bool helpful,
                              const char *comment, const char *query,
                              hdx_error *err);

/* Per-article counts, most "not helpful" first; the strings are valid
 * during the call only. */
typedef void (*feedback_row_fn)(const char *article, long long helpful,
                                long long not_helpful, long long comments,
                                const char *last, void *ctx);
hdx_status feedback_store_stats(feedback_row_fn fn, void *ctx,
                                hdx_error *err);

#endif
