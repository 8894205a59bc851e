/*
 * shards.h - parallel writers for a full build.
 *
 * One Xapian writer can only use one core.  A full build (fresh index or
 * --rebuild) therefore writes into N private shards from N threads that
 * take finished documents from one queue, then merges the shards with
 * Xapian's compaction into a new index that replaces the old one in one
 * rename (see pipeline.c).  Incremental runs do not use shards.
 */
#ifndef HDX_INDEXER_SHARDS_H
#define HDX_INDEXER_SHARDS_H

#include <stdint.h>

#include "hdx/document.h"
#include "hdx/xapian.h"

typedef struct shard_set shard_set;

/* One file's finished work; shards_push() takes ownership of `docs`. */
typedef struct shard_item {
    hdx_docset *docs;
    char *path;
    char *id;
    long long size, mtime_ns;
    uint64_t hash;
} shard_item;

/* Create `n` shards in `dir` (which must exist) and start their writers. */
hdx_status shards_start(const char *dir, int n, shard_set **out,
                        hdx_error *err);

/* Queue an item (blocks while the queue is full).  Takes ownership. */
void shards_push(shard_set *s, shard_item *item);

/*
 * Stop the writers after the queue drains.  Returns the first error any
 * writer met.  After this, shards_writer(s, 0) may be used by the caller
 * for index-wide metadata before shards_merge().
 */
hdx_status shards_join(shard_set *s, hdx_error *err);
hdx_writer *shards_writer(shard_set *s, int i);

/* Commit and close every shard, then compact them all into `dest`. */
hdx_status shards_merge(shard_set *s, const char *dest, hdx_error *err);

/* Free everything (after join); accepts NULL. */
void shards_free(shard_set *s);

#endif
