/*
 * pool.c - the parse pool (see pool.h).
 *
 * One mutex guards the cursor, the window and the ready flags; workers
 * broadcast `ready` when a job finishes and wait on `space` while the
 * window is full.  Jobs are consumed in index order, so output and
 * duplicate-id decisions do not depend on which worker was faster.
 */
#include "pool.h"

#include "hdx/alloc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WINDOW 256
#define MAX_THREADS 16

struct pool {
    const char *corpus;
    job *jobs;
    bool *ready;     /* ready[i]: job i has run */
    size_t n;
    size_t next;     /* next job to take */
    size_t consumed; /* jobs the consumer has finished with */
    pthread_mutex_t mu;
    pthread_cond_t ready_cv; /* a job finished */
    pthread_cond_t space;    /* the window moved */
    pthread_t tids[MAX_THREADS];
    int started;
};

int pool_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->next < p->n && p->next >= p->consumed + WINDOW)
            pthread_cond_wait(&p->space, &p->mu);
        if (p->next >= p->n) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        size_t i = p->next++;
        pthread_mutex_unlock(&p->mu);
        job_run(p->corpus, &p->jobs[i]);
        pthread_mutex_lock(&p->mu);
        p->ready[i] = true;
        pthread_cond_broadcast(&p->ready_cv);
        pthread_mutex_unlock(&p->mu);
    }
}

pool *pool_start(const char *corpus, job *jobs, size_t n, int nthreads)
{
    pool *p = hdx_xcalloc(1, sizeof *p);
    p->corpus = corpus;
    p->jobs = jobs;
    p->n = n;
    p->ready = hdx_xcalloc(n ? n : 1, sizeof(bool));
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->ready_cv, NULL);
    pthread_cond_init(&p->space, NULL);
    if (nthreads > MAX_THREADS)
        nthreads = MAX_THREADS;
    for (; p->started < nthreads && (size_t)p->started < n; p->started++)
        if (pthread_create(&p->tids[p->started], NULL, worker, p) != 0) {
            /* Like running out of memory: no sensible way on. */
            fputs("helpdex-index: cannot start a parse thread\n", stderr);
            abort();
        }
    return p;
}

job *pool_wait(pool *p, size_t i)
{
    pthread_mutex_lock(&p->mu);
    while (!p->ready[i])
        pthread_cond_wait(&p->ready_cv, &p->mu);
    pthread_mutex_unlock(&p->mu);
    return &p->jobs[i];
}

void pool_release(pool *p, size_t i, bool stop)
{
    pthread_mutex_lock(&p->mu);
    p->consumed = i + 1;
    if (stop)
        p->next = p->n;
    pthread_cond_broadcast(&p->space);
    pthread_mutex_unlock(&p->mu);
}

void pool_stop(pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->next = p->n;
    pthread_cond_broadcast(&p->space);
    pthread_mutex_unlock(&p->mu);
    for (int k = 0; k < p->started; k++)
        pthread_join(p->tids[k], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->ready_cv);
    pthread_cond_destroy(&p->space);
    for (size_t i = 0; i < p->n; i++)
        job_clear(&p->jobs[i]);
    free(p->ready);
    free(p);
}
