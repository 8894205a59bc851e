/*
 * lint.h - `helpdex-index --check`: the writers' lint.  Reads the corpus,
 * never writes an index.  The options are the caller's; the lint frees
 * everything it allocates before it returns.
 */
#ifndef HDX_INDEXER_LINT_H
#define HDX_INDEXER_LINT_H

#include <stdbool.h>

typedef struct lint_opts {
    const char *corpus;
    bool json;   /* --format=json */
    bool strict; /* warnings count as errors */
} lint_opts;

/* Print the diagnostics (stdout) and return the exit status: 1 if any
 * error (or warning with strict), else 0; 2 (after a line on stderr) if
 * the corpus folder cannot be listed. */
int lint_run(const lint_opts *o);

#endif
