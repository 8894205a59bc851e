/*
 * lint.h - `helpdex-index --check`: the writers' lint.  Reads the corpus,
 * never writes an index.
 */
#ifndef HDX_INDEXER_LINT_H
#define HDX_INDEXER_LINT_H

#include <stdbool.h>

typedef struct lint_opts {
    const char *corpus;
    bool json;   /* --format=json */
    bool strict; /* warnings count as errors */
} lint_opts;

/* Exit status: 1 if any error (or warning with strict), else 0. */
int lint_run(const lint_opts *o);

#endif
