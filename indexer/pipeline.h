/*
 * pipeline.h - one indexing run: walk the corpus, open the index, and hand
 * the run to the full build (full_build.h) or the incremental run
 * (incremental.h).  Either publishes everything in one atomic step.
 * Ownership: `index_opts` and its strings are the caller's.
 */
#ifndef HDX_INDEXER_PIPELINE_H
#define HDX_INDEXER_PIPELINE_H

#include <stdbool.h>

typedef struct index_opts {
    const char *corpus;
    const char *db;
    bool rebuild;
    bool quiet;
    int wait_seconds;
    int jobs; /* parse threads; 0: pool_default_threads() */
    /* Set by index_run(): the corpus's hierarchy (hdx/browse.h). */
    const struct hdx_browse *browse;
} index_opts;

/* Exit status: 0 all indexed, 1 some files skipped, 3 the run failed
 * (nothing published).  Problems are printed (report.h). */
int index_run(const index_opts *o);

#endif
