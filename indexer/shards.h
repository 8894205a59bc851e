/*
 * shards.h - parallel writers for a full build.  One Xapian writer can use
 * only one core, so a large full build writes into N private shards from
 * N threads fed by one queue, then compacts the shards into a new index
 * that replaces the old one in one rename (full_build.c).
 *
 * Ownership: the caller owns the shard_set (shards_start / shards_free);
 * shards_push() takes each item and the writer thread frees it once
 * written (publish_file()).
 */
#ifndef HDX_INDEXER_SHARDS_H
#define HDX_INDEXER_SHARDS_H

#include <stdint.h>

#include "hdx/document.h"
#include "hdx/xapian.h"

typedef struct shard_set shard_set;

/* One file's finished work, checked for duplicate ids; it owns every
 * pointer in it. */
typedef struct shard_item {
    hdx_docset *docs;
    char *path;
    char *id;
    long long size, mtime_ns;
    uint64_t hash;
} shard_item;

/* Create `n` (1 to 8) shards in `dir` (which must exist) and start their
 * writers.  Statuses: hdx_writer_open_shard()'s. */
hdx_status shards_start(const char *dir, int n, shard_set **out,
                        hdx_error *err);

/* Queue an item (blocks while the queue is full).  Takes ownership.  For
 * one producer thread. */
void shards_push(shard_set *s, shard_item *item);

/*
 * Stop the writers after the queue drains.  Returns the first error any
 * writer met.  After this, shards_writer(s, 0) may be used by the caller
 * for index-wide metadata before shards_merge().
 */
hdx_status shards_join(shard_set *s, hdx_error *err);
hdx_writer *shards_writer(shard_set *s, int i);

/* Commit and close every shard, then compact them all into `dest`, a
 * path in the shards' folder. */
hdx_status shards_merge(shard_set *s, const char *dest, hdx_error *err);

/* Free everything (after join); accepts NULL. */
void shards_free(shard_set *s);

#endif
