/*
 * pool.h - parse workers over an array of jobs, with a bounded window.
 * Workers take jobs in index order and run them (job_run); the one
 * consumer waits for job i, publishes it, and releases it.  Workers stay
 * within a window of the consumer, so memory stays flat on any corpus.
 *
 * Ownership: the caller owns the job array, which must outlive the pool;
 * the pool clears (job_clear) every job when it stops.  The pool itself
 * is heap-allocated by pool_start() and freed by pool_stop().
 * Threads: pool_wait/pool_release/pool_stop are for the one consumer.
 */
#ifndef HDX_INDEXER_POOL_H
#define HDX_INDEXER_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "job.h"

typedef struct pool pool;

/* One per CPU, at most 8: the default of --jobs. */
int pool_default_threads(void);

/* Start min(nthreads, n, 16) workers on jobs[0..n) of files below
 * `corpus` (borrowed until pool_stop).  Aborts if no thread can start. */
pool *pool_start(const char *corpus, job *jobs, size_t n, int nthreads);

/* Block until job i has run; the job stays the pool's. */
job *pool_wait(pool *p, size_t i);

/* Job i is consumed: let the workers run further ahead, or, with `stop`,
 * start no further job. */
void pool_release(pool *p, size_t i, bool stop);

/* Start no further job, join the workers, clear every job, free `p`.
 * Accepts NULL. */
void pool_stop(pool *p);

#endif
