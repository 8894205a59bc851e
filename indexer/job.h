/*
 * job.h - the work for one changed file: read it, hash it, and (when its
 * bytes differ from what the index holds) parse it and build its
 * documents.  Workers run jobs in parallel (pool.h); the run's one writer
 * thread publishes them in path order.
 *
 * Ownership: `file` and `old` are borrowed from the run's walk_list and
 * state_table, which outlive the job.  The results (`error`, `id`,
 * `docs`) belong to the job until job_clear(), except that a consumer may
 * take `docs` or `id` by setting the field to NULL.
 */
#ifndef HDX_INDEXER_JOB_H
#define HDX_INDEXER_JOB_H

#include <stdbool.h>
#include <stdint.h>

#include "state.h"
#include "walk.h"

#include "hdx/browse.h"
#include "hdx/document.h"

typedef struct job {
    const walk_file *file;
    const hdx_browse *browse; /* places the article (hdx_browse_place) */
    const file_state *old; /* stored state, or NULL for a new file */
    /* results, set by job_run() */
    bool same_content; /* hash equal to the stored one: nothing to index */
    uint64_t hash;     /* hdx_hash64 of the bytes (when they could be read) */
    char *error;       /* "path:line: message" when the file failed */
    char *id;          /* the article's id as written */
    hdx_docset *docs;
} job;

/* Do the job for the file below `corpus`.  It never fails as such: a file
 * that cannot be read, parsed or built gets `error` instead of `docs`.
 * Thread-safe for distinct jobs. */
void job_run(const char *corpus, job *j);

/* Free the results and reset them to NULL. */
void job_clear(job *j);

#endif
