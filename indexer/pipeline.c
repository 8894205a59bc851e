/*
 * pipeline.c - an indexing run (see pipeline.h).
 *
 * Workers read, hash, parse and build documents for the files that changed
 * (the C and Xapian term-generation work, which dominates); the main thread
 * consumes their results in path order and is the only one touching the
 * writer.  Consuming in order keeps output and duplicate-id decisions
 * deterministic; a bounded window keeps memory flat on big corpora.
 *
 * Publication: every change of the run happens inside one Xapian
 * transaction, committed at the end.  A crash or SIGKILL at any point leaves
 * the previous commit intact, and because the per-file state is metadata in
 * the same transaction, the next run redoes exactly the unpublished work.
 */
#include "pipeline.h"

#include "document.h"
#include "state.h"
#include "synonyms.h"
#include "walk.h"

#include "hdx/alloc.h"
#include "hdx/article.h"
#include "hdx/xapian.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WINDOW 256

typedef enum { SLOT_PENDING, SLOT_READY } slot_state;

typedef struct job {
    const walk_file *file;
    file_state *old; /* stored state, or NULL for a new file */
    /* results */
    slot_state state;
    bool same_content; /* hash equal to the stored one: nothing to index */
    uint64_t hash;
    char *error;       /* "path:line: message" when the file failed */
    char *id;
    built docs;
} job;

typedef struct pool {
    const index_opts *o;
    job *jobs;
    size_t n;
    size_t next;     /* next job to take */
    size_t consumed; /* jobs the main thread has finished with */
    pthread_mutex_t mu;
    pthread_cond_t ready;    /* a job finished */
    pthread_cond_t space;    /* the window moved */
} pool;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *errorf(const char *path, int line, const char *msg)
{
    size_t n = strlen(path) + strlen(msg) + 32;
    char *s = hdx_xmalloc(n);
    snprintf(s, n, "%s:%d: %s", path, line > 0 ? line : 1, msg);
    return s;
}

static void do_job(const index_opts *o, job *j)
{
    char full[8192];
    snprintf(full, sizeof full, "%s/%s", o->corpus, j->file->rel);
    char *data;
    size_t len;
    if (walk_read_file(full, &data, &len) != 0) {
        j->error = errorf(j->file->rel, 1, strerror(errno));
        return;
    }
    j->hash = state_hash(data, len);
    if (j->old && j->old->hash == j->hash) {
        j->same_content = true;
        free(data);
        return;
    }
    hdx_article *a;
    hdx_error err;
    hdx_error_clear(&err);
    if (hdx_article_parse(j->file->rel, data, len, &a, &err) != HDX_OK) {
        j->error = errorf(j->file->rel, err.line, err.msg);
        free(data);
        return;
    }
    free(data);
    if (document_build(a, &j->docs, &err) != HDX_OK)
        j->error = errorf(j->file->rel, 1, err.msg);
    else
        j->id = hdx_xstrdup(a->id);
    hdx_article_free(a);
}

static void *worker(void *p)
{
    pool *pl = p;
    for (;;) {
        pthread_mutex_lock(&pl->mu);
        while (pl->next < pl->n && pl->next >= pl->consumed + WINDOW)
            pthread_cond_wait(&pl->space, &pl->mu);
        if (pl->next >= pl->n) {
            pthread_mutex_unlock(&pl->mu);
            return NULL;
        }
        job *j = &pl->jobs[pl->next++];
        pthread_mutex_unlock(&pl->mu);
        do_job(pl->o, j);
        pthread_mutex_lock(&pl->mu);
        j->state = SLOT_READY;
        pthread_cond_broadcast(&pl->ready);
        pthread_mutex_unlock(&pl->mu);
    }
}

typedef struct counts {
    unsigned indexed, unchanged, deleted, failed, docs;
} counts;

/* Does `path` still exist in this run's file list? */
static bool listed(const walk_list *wl, const char *path)
{
    size_t lo = 0, hi = wl->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(wl->files[mid].rel, path);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static hdx_status delete_file_docs(hdx_writer *w, const char *path,
                                   const char *old_id, hdx_error *err)
{
    char *term = hdx_term_make("XF", path);
    hdx_status st = hdx_writer_delete(w, term, NULL, err);
    free(term);
    if (st == HDX_OK && old_id) {
        char *owner = NULL;
        st = state_id_owner(w, old_id, &owner, err);
        if (st == HDX_OK && owner && !strcmp(owner, path))
            st = state_set_id_owner(w, old_id, NULL, err);
        free(owner);
    }
    return st;
}

/* Publish one finished job into the open transaction. */
static hdx_status apply_job(hdx_writer *w, const walk_list *wl, job *j,
                            counts *c, hdx_error *err)
{
    const walk_file *f = j->file;
    if (j->error) {
        fprintf(stderr, "%s\n", j->error);
        c->failed++;
        return HDX_OK; /* its previous version, if any, stays indexed */
    }
    if (j->same_content) {
        c->unchanged++;
        return state_put(w, f->rel, (long long)f->size, f->mtime_ns, j->hash,
                         j->old->id, err);
    }
    char *owner = NULL;
    hdx_status st = state_id_owner(w, j->id, &owner, err);
    if (st != HDX_OK)
        return st;
    if (owner && strcmp(owner, f->rel) != 0 && listed(wl, owner)) {
        fprintf(stderr, "%s:1: duplicate id '%s' (already used by %s); "
                        "file skipped\n", f->rel, j->id, owner);
        free(owner);
        c->failed++;
        return HDX_OK;
    }
    free(owner);
    st = delete_file_docs(w, f->rel, j->old ? j->old->id : NULL, err);
    for (size_t k = 0; st == HDX_OK && k < j->docs.n; k++)
        st = hdx_writer_replace(w, j->docs.docs[k].uid, j->docs.docs[k].doc,
                                err);
    if (st == HDX_OK)
        st = state_set_id_owner(w, j->id, f->rel, err);
    if (st == HDX_OK)
        st = state_put(w, f->rel, (long long)f->size, f->mtime_ns, j->hash,
                       j->id, err);
    c->indexed++;
    c->docs += (unsigned)j->docs.n;
    return st;
}

static void job_clear(job *j)
{
    free(j->error);
    free(j->id);
    built_free(&j->docs);
    j->error = j->id = NULL;
}

static int ncpu(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

/* Reload synonyms when the file's content (or the schema) changed. */
static hdx_status sync_synonyms(hdx_writer *w, const index_opts *o, bool force,
                                bool *changed, hdx_error *err)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/synonyms.txt", o->corpus);
    char *data = NULL;
    size_t len = 0;
    if (walk_read_file(path, &data, &len) != 0) {
        data = hdx_xstrdup("");
        len = 0;
    }
    char hash[32];
    snprintf(hash, sizeof hash, "%016" PRIx64, state_hash(data, len));
    char *old = NULL;
    hdx_status st = hdx_writer_meta_get(w, "hdx:synonyms", &old, err);
    *changed = false;
    if (st == HDX_OK && (force || !old || strcmp(old, hash) != 0)) {
        unsigned groups;
        st = synonyms_load(w, "synonyms.txt", data, len, &groups, err);
        if (st == HDX_OK)
            st = hdx_writer_meta_set(w, "hdx:synonyms", hash, err);
        *changed = true;
    }
    free(old);
    free(data);
    return st;
}

int index_run(const index_opts *o)
{
    double t0 = now_s();
    hdx_error err;
    hdx_error_clear(&err);
    walk_list wl;
    if (walk_corpus(o->corpus, &wl) != 0) {
        fprintf(stderr, "helpdex-index: %s: %s\n", o->corpus, strerror(errno));
        return 3;
    }
    hdx_writer *w = NULL;
    hdx_status st = hdx_writer_open(o->db, o->wait_seconds, &w, &err);
    if (st != HDX_OK) {
        fprintf(stderr, "helpdex-index: %s: %s\n", o->db, err.msg);
        walk_list_free(&wl);
        return 3;
    }
    st = hdx_writer_begin(w, &err);

    /* A new data format or --rebuild: forget every stored file. */
    char *schema = NULL;
    if (st == HDX_OK)
        st = hdx_writer_meta_get(w, "hdx:schema", &schema, &err);
    bool full = o->rebuild || !schema || strcmp(schema, HDX_SCHEMA_VERSION);
    free(schema);

    state_table stt = {0};
    if (st == HDX_OK)
        st = state_load(w, &stt, &err);
    counts c = {0};
    bool changed = false;

    /* Files gone (or all files, for a full rebuild) leave the index first,
     * so a renamed file's id is free for its new path. */
    for (size_t i = 0; st == HDX_OK && i < stt.n; i++) {
        if (!full && listed(&wl, stt.items[i].path))
            continue;
        st = delete_file_docs(w, stt.items[i].path, stt.items[i].id, &err);
        if (st == HDX_OK)
            st = state_delete(w, stt.items[i].path, &err);
        if (!full)
            c.deleted++;
        changed = true;
    }

    bool syn_changed = false;
    if (st == HDX_OK)
        st = sync_synonyms(w, o, full, &syn_changed, &err);
    changed |= syn_changed;

    /* Only files whose size or mtime moved are read at all. */
    job *jobs = hdx_xcalloc(wl.n ? wl.n : 1, sizeof(job));
    size_t nj = 0;
    for (size_t i = 0; i < wl.n; i++) {
        file_state *old = full ? NULL : state_find(&stt, wl.files[i].rel);
        if (old && old->size == (long long)wl.files[i].size &&
            old->mtime_ns == wl.files[i].mtime_ns) {
            c.unchanged++;
            continue;
        }
        jobs[nj].file = &wl.files[i];
        jobs[nj].old = old;
        nj++;
    }

    pool pl = {.o = o, .jobs = jobs, .n = nj};
    pthread_mutex_init(&pl.mu, NULL);
    pthread_cond_init(&pl.ready, NULL);
    pthread_cond_init(&pl.space, NULL);
    int nthreads = o->jobs > 0 ? o->jobs : ncpu();
    pthread_t tids[16];
    if (nthreads > 16)
        nthreads = 16;
    int started = 0;
    if (st == HDX_OK)
        for (; started < nthreads && (size_t)started < nj; started++)
            pthread_create(&tids[started], NULL, worker, &pl);

    bool tty = isatty(2) && !o->quiet;
    double last = t0;
    for (size_t i = 0; i < nj && st == HDX_OK; i++) {
        job *j = &jobs[i];
        pthread_mutex_lock(&pl.mu);
        while (j->state != SLOT_READY)
            pthread_cond_wait(&pl.ready, &pl.mu);
        pthread_mutex_unlock(&pl.mu);
        st = apply_job(w, &wl, j, &c, &err);
        changed = true;
        job_clear(j);
        pthread_mutex_lock(&pl.mu);
        pl.consumed = i + 1;
        if (st != HDX_OK)
            pl.next = pl.n; /* stop the workers taking more */
        pthread_cond_broadcast(&pl.space);
        pthread_mutex_unlock(&pl.mu);
        double t = now_s();
        if (tty && t - last > 0.2) {
            fprintf(stderr, "\rhelpdex-index: %zu/%zu files (%.0f files/s)  ",
                    i + 1, nj, (double)(i + 1) / (t - t0));
            last = t;
        }
    }
    for (int k = 0; k < started; k++)
        pthread_join(tids[k], NULL);
    if (tty && nj)
        fputc('\n', stderr);
    pthread_mutex_destroy(&pl.mu);
    pthread_cond_destroy(&pl.ready);
    pthread_cond_destroy(&pl.space);
    for (size_t i = 0; i < nj; i++)
        job_clear(&jobs[i]);
    free(jobs);

    if (st == HDX_OK && full)
        st = hdx_writer_meta_set(w, "hdx:schema", HDX_SCHEMA_VERSION, &err);
    if (st == HDX_OK && (changed || full))
        st = hdx_writer_commit(w, &err);
    else if (st == HDX_OK)
        st = hdx_writer_cancel(w, &err);
    unsigned total_docs = hdx_writer_doccount(w);
    hdx_writer_close(w);
    state_table_free(&stt);
    walk_list_free(&wl);

    double secs = now_s() - t0;
    if (st != HDX_OK) {
        fprintf(stderr, "helpdex-index: %s: %s; nothing was published, the "
                        "previous index is unchanged\n", o->db, err.msg);
        return 3;
    }
    if (!o->quiet)
        printf("helpdex-index: indexed %u, unchanged %u, deleted %u, "
               "skipped %u (errors) in %.2fs (%.0f files/s); %u documents\n",
               c.indexed, c.unchanged, c.deleted, c.failed, secs,
               secs > 0 ? (double)(c.indexed + c.failed) / secs : 0.0,
               total_docs);
    return c.failed ? 1 : 0;
}
