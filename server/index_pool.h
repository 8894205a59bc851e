/*
 * index_pool.h - one read handle on the index per server thread, moved to
 * each new commit within a fraction of a second.
 *
 * Xapian handles are not thread-safe, so every MHD worker thread owns its
 * own hdx_db (created on first use, closed when the thread exits).  Before
 * each request the thread stat()s the index's version file (about a
 * microsecond; in a replica's stub folder, docs/scaling.md, it reads the
 * stub first to find the live copy's) and reopens its handle if a commit
 * or a switched stub landed, so every request sees the latest commit and
 * no thread lags behind another.  Reopening is all-or-nothing, so a
 * request is answered wholly from the old revision or wholly from the new
 * one.
 */
#ifndef HDX_SERVER_INDEX_POOL_H
#define HDX_SERVER_INDEX_POOL_H

#include <stddef.h>

#include "hdx/xapian.h"

/* Check that the index at db_path opens (the status and message of
 * hdx_db_open, with a hint to build it when it is missing). */
hdx_status index_pool_start(const char *db_path, hdx_error *err);
void index_pool_stop(void);

/* This thread's handle at the latest known revision, or NULL (err set). */
hdx_db *index_pool_get(hdx_error *err);

/* When the revision of this thread's handle was committed (seconds since
 * the epoch, from the version file's mtime); 0 if this thread has none. */
double index_pool_committed(void);

/* Handles moved to a new commit since the start, over all threads, and
 * reopens that failed (the handle kept its old revision). */
void index_pool_reopens(unsigned long *ok, unsigned long *failed);

#endif
