/*
 * full_build.h - a full build with parallel shard writers, for large
 * corpora on several cores: the documents go to private shards, which are
 * merged into a new index that is swapped in for the old one at once.
 */
#ifndef HDX_INDEXER_FULL_BUILD_H
#define HDX_INDEXER_FULL_BUILD_H

#include <stddef.h>

#include "pipeline.h"
#include "report.h"
#include "walk.h"

#include "hdx/xapian.h"

/* Is a corpus of `n_files` worth the shards, with these options? */
bool full_build_wanted(const index_opts *o, size_t n_files);

/*
 * Rebuild every file of `wl` into a new index that replaces o->db.  `w` is
 * the open writer of o->db: it holds the index lock throughout, and is
 * taken and closed.  `wl` and `r` stay the caller's.  Returns the exit
 * status (see index_run) after printing the summary or the failure.
 */
int full_build(const index_opts *o, const walk_list *wl, hdx_writer *w,
               run_report *r);

#endif
