/*
 * pipeline.h - one indexing run: walk, diff against the stored state,
 * parse changed files in parallel, publish everything in one commit.
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
    int jobs;
} index_opts;

/* Exit status: 0 all indexed, 1 some files skipped, 3 the run failed
 * (nothing published). */
int index_run(const index_opts *o);

#endif
