/*
 * incremental.h - the run that brings an index up to date in place, in
 * one Xapian transaction: files gone leave, changed and new files are
 * parsed in parallel and published in path order, unchanged files are
 * not read at all.  It also does small full rebuilds (`full`).
 */
#ifndef HDX_INDEXER_INCREMENTAL_H
#define HDX_INDEXER_INCREMENTAL_H

#include <stdbool.h>

#include "pipeline.h"
#include "report.h"
#include "walk.h"

#include "hdx/xapian.h"

/*
 * Run on `w`, whose batch is open (hdx_writer_begin).  With `full`, every
 * stored file is forgotten and every listed file re-indexed.  Takes `w`
 * and closes it; `wl` and `r` stay the caller's.  Returns the exit status
 * (see index_run) after printing the summary or the failure.
 */
int incremental_run(const index_opts *o, const walk_list *wl, hdx_writer *w,
                    bool full, run_report *r);

#endif
