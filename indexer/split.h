/*
 * split.h - helpdex-index --split: cut a built index into shard indexes
 * and a metadata index for helpdex-serve --shard (docs/scaling-shards.md).
 */
#ifndef HDX_INDEXER_SPLIT_H
#define HDX_INDEXER_SPLIT_H

#include <stdbool.h>

/* Does the command line ask for a split (--split)? */
bool split_wanted(int argc, char **argv);

/* helpdex-index --db DIR --split OUT [--split-by product|year|round]
 * [--shards N] [--quiet].  Exit status: 0 done, 2 bad option, 3 the
 * split failed. */
int split_main(int argc, char **argv);

#endif
