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

#include "ids.h"
#include "shards.h"
#include "state.h"
#include "synonyms.h"
#include "walk.h"

#include "hdx/alloc.h"
#include "hdx/article.h"
#include "hdx/document.h"
#include "hdx/hash.h"
#include "hdx/schema.h"
#include "hdx/text.h"
#include "hdx/xapian.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <sys/stat.h>
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
    hdx_docset *docs;
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
    char *data;
    size_t len;
    hdx_error err;
    hdx_error_clear(&err);
    if (walk_read_file(o->corpus, j->file->rel, &data, &len, &err) !=
        HDX_OK) {
        j->error = errorf(j->file->rel, 1,
                          walk_error_reason(&err, j->file->rel));
        return;
    }
    j->hash = hdx_hash64(data, len);
    if (j->old && j->old->hash == j->hash) {
        j->same_content = true;
        free(data);
        return;
    }
    hdx_article *a;
    if (hdx_article_parse(j->file->rel, data, len, &a, &err) != HDX_OK) {
        j->error = errorf(j->file->rel, err.line, err.msg);
        free(data);
        return;
    }
    free(data);
    if (hdx_docset_build(a, &j->docs, &err) != HDX_OK)
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

static hdx_status delete_file_docs(hdx_writer *w, const char *path,
                                   const char *old_id, hdx_error *err)
{
    hdx_status st = hdx_writer_delete_path(w, path, NULL, err);
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
    if (owner && strcmp(owner, f->rel) != 0 && walk_listed(wl, owner)) {
        fprintf(stderr, "%s:1: " IDS_DUPLICATE_FMT "; file skipped\n",
                f->rel, j->id, owner);
        free(owner);
        c->failed++;
        return HDX_OK;
    }
    free(owner);
    st = delete_file_docs(w, f->rel, j->old ? j->old->id : NULL, err);
    if (st == HDX_OK)
        st = hdx_writer_put(w, j->docs, false, err);
    if (st == HDX_OK)
        st = state_set_id_owner(w, j->id, f->rel, err);
    if (st == HDX_OK)
        st = state_put(w, f->rel, (long long)f->size, f->mtime_ns, j->hash,
                       j->id, err);
    c->indexed++;
    c->docs += (unsigned)hdx_docset_count(j->docs);
    return st;
}

static void job_clear(job *j)
{
    free(j->error);
    free(j->id);
    hdx_docset_free(j->docs);
    j->docs = NULL;
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
    char *data = NULL;
    size_t len = 0;
    if (walk_read_file(o->corpus, "synonyms.txt", &data, &len, NULL) !=
        HDX_OK)
        data = hdx_xstrdup(""); /* missing or unreadable: no synonyms */
    char hash[17];
    hdx_hash64_hex(hdx_hash64(data, len), hash);
    char *old = NULL;
    hdx_status st = hdx_writer_meta_get(w, HDX_META_SYNONYMS, &old, err);
    *changed = false;
    if (st == HDX_OK && (force || !old || strcmp(old, hash) != 0)) {
        unsigned groups;
        st = synonyms_load(w, "synonyms.txt", data, len, &groups, err);
        if (st == HDX_OK)
            st = hdx_writer_meta_set(w, HDX_META_SYNONYMS, hash, err);
        *changed = true;
    }
    free(old);
    free(data);
    return st;
}

/* ---- the parse pool ------------------------------------------------- */

typedef struct pool_run {
    pool pl;
    pthread_t tids[16];
    int started;
} pool_run;

static void pool_start(pool_run *r, const index_opts *o, job *jobs, size_t n)
{
    memset(r, 0, sizeof *r);
    r->pl.o = o;
    r->pl.jobs = jobs;
    r->pl.n = n;
    pthread_mutex_init(&r->pl.mu, NULL);
    pthread_cond_init(&r->pl.ready, NULL);
    pthread_cond_init(&r->pl.space, NULL);
    int nthreads = o->jobs > 0 ? o->jobs : ncpu();
    if (nthreads > 16)
        nthreads = 16;
    for (; r->started < nthreads && (size_t)r->started < n; r->started++)
        pthread_create(&r->tids[r->started], NULL, worker, &r->pl);
}

/* Wait until job i is parsed. */
static job *pool_wait(pool_run *r, size_t i)
{
    job *j = &r->pl.jobs[i];
    pthread_mutex_lock(&r->pl.mu);
    while (j->state != SLOT_READY)
        pthread_cond_wait(&r->pl.ready, &r->pl.mu);
    pthread_mutex_unlock(&r->pl.mu);
    return j;
}

/* Job i is consumed: let the workers run further ahead (or stop them). */
static void pool_release(pool_run *r, size_t i, bool stop)
{
    pthread_mutex_lock(&r->pl.mu);
    r->pl.consumed = i + 1;
    if (stop)
        r->pl.next = r->pl.n;
    pthread_cond_broadcast(&r->pl.space);
    pthread_mutex_unlock(&r->pl.mu);
}

static void pool_stop(pool_run *r)
{
    pthread_mutex_lock(&r->pl.mu);
    r->pl.next = r->pl.n;
    pthread_cond_broadcast(&r->pl.space);
    pthread_mutex_unlock(&r->pl.mu);
    for (int k = 0; k < r->started; k++)
        pthread_join(r->tids[k], NULL);
    pthread_mutex_destroy(&r->pl.mu);
    pthread_cond_destroy(&r->pl.ready);
    pthread_cond_destroy(&r->pl.space);
    for (size_t i = 0; i < r->pl.n; i++)
        job_clear(&r->pl.jobs[i]);
}

static void progress(const index_opts *o, double t0, double *last, size_t i,
                     size_t n)
{
    double t = now_s();
    if (isatty(2) && !o->quiet && t - *last > 0.2) {
        fprintf(stderr, "\rhelpdex-index: %zu/%zu files (%.0f files/s)  ",
                i + 1, n, (double)(i + 1) / (t - t0));
        *last = t;
    }
}

static void print_summary(const index_opts *o, const counts *c, double secs,
                          unsigned total_docs)
{
    if (isatty(2) && !o->quiet)
        fputc('\n', stderr);
    if (!o->quiet)
        printf("helpdex-index: indexed %u, unchanged %u, deleted %u, "
               "skipped %u (errors) in %.2fs (%.0f files/s); %u documents\n",
               c->indexed, c->unchanged, c->deleted, c->failed, secs,
               secs > 0 ? (double)(c->indexed + c->failed) / secs : 0.0,
               total_docs);
}

/* rm -rf, for the build folder only. */
static int rm_tree_cb(const char *path, const struct stat *sb, int flag,
                      struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void rm_tree(const char *path)
{
    nftw(path, rm_tree_cb, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * Full build with parallel shard writers.  The documents go to private
 * shards in "<db>.build.<pid>", are merged by compaction, and the merged
 * index is swapped with the old one by one renameat2(RENAME_EXCHANGE):
 * readers see the old index or the new one, never a mix, and a crash at
 * any point leaves the old index in place.  `w` holds the index lock
 * throughout, so no other indexer writes meanwhile.
 */
static int full_build(const index_opts *o, walk_list *wl, hdx_writer *w,
                      double t0)
{
    hdx_error err;
    hdx_error_clear(&err);
    counts c = {0};
    unsigned long gen = 0;
    hdx_status st = hdx_writer_generation(w, &gen, &err);

    char dir[4096], merged[4200];
    snprintf(dir, sizeof dir, "%s.build.%ld", o->db, (long)getpid());
    snprintf(merged, sizeof merged, "%s/merged", dir);
    rm_tree(dir);
    if (mkdir(dir, 0755) != 0) {
        fprintf(stderr, "helpdex-index: %s: %s\n", dir, strerror(errno));
        return 3;
    }
    int nshards = o->jobs > 0 ? o->jobs : ncpu();
    if (nshards > 4)
        nshards = 4;
    shard_set *shards = NULL;
    if (st == HDX_OK)
        st = shards_start(dir, nshards, &shards, &err);

    job *jobs = hdx_xcalloc(wl->n ? wl->n : 1, sizeof(job));
    for (size_t i = 0; i < wl->n; i++)
        jobs[i].file = &wl->files[i];
    pool_run pr;
    pool_start(&pr, o, jobs, st == HDX_OK ? wl->n : 0);
    id_table ids;
    ids_init(&ids);
    double last = t0;
    for (size_t i = 0; st == HDX_OK && i < wl->n; i++) {
        job *j = pool_wait(&pr, i);
        const char *owner;
        if (j->error) {
            fprintf(stderr, "%s\n", j->error);
            c.failed++;
        } else if ((owner = ids_claim(&ids, j->id, j->file->rel, NULL,
                                      NULL))) {
            fprintf(stderr, "%s:1: " IDS_DUPLICATE_FMT "; file skipped\n",
                    j->file->rel, j->id, owner);
            c.failed++;
        } else {
            shard_item *it = hdx_xcalloc(1, sizeof *it);
            it->docs = j->docs;
            j->docs = NULL; /* moved */
            it->path = hdx_xstrdup(j->file->rel);
            it->id = hdx_xstrdup(j->id);
            it->size = (long long)j->file->size;
            it->mtime_ns = j->file->mtime_ns;
            it->hash = j->hash;
            c.docs += (unsigned)hdx_docset_count(it->docs);
            shards_push(shards, it);
            c.indexed++;
        }
        job_clear(j);
        pool_release(&pr, i, false);
        progress(o, t0, &last, i, wl->n);
    }
    pool_stop(&pr);
    free(jobs);
    ids_clear(&ids);
    if (shards) {
        hdx_status js = shards_join(shards, st == HDX_OK ? &err : NULL);
        if (st == HDX_OK)
            st = js;
    }
    /* Index-wide metadata lives in shard 0 (compaction keeps the first
     * source's value of a key). */
    if (st == HDX_OK) {
        hdx_writer *w0 = shards_writer(shards, 0);
        bool changed;
        st = sync_synonyms(w0, o, true, &changed, &err);
        if (st == HDX_OK)
            st = hdx_writer_stamp(w0, gen + 1, &err);
    }
    if (st == HDX_OK)
        st = shards_merge(shards, merged, &err);
    shards_free(shards);
    if (st == HDX_OK &&
        renameat2(AT_FDCWD, merged, AT_FDCWD, o->db, RENAME_EXCHANGE) != 0) {
        hdx_error_set(&err, HDX_EIO, "renameat2", "cannot install %s: %s",
                      merged, strerror(errno));
        st = HDX_EIO;
    }
    /* Either way the old index (now at `merged`, or untouched) is done. */
    hdx_writer_cancel(w, NULL);
    hdx_writer_close(w);
    rm_tree(dir);
    double secs = now_s() - t0;
    if (st != HDX_OK) {
        fprintf(stderr, "helpdex-index: %s: %s; nothing was published, the "
                        "previous index is unchanged\n", o->db, err.msg);
        return 3;
    }
    print_summary(o, &c, secs, c.docs);
    return c.failed ? 1 : 0;
}

int index_run(const index_opts *o)
{
    double t0 = now_s();
    hdx_error err;
    hdx_error_clear(&err);
    walk_list wl;
    if (walk_corpus(o->corpus, &wl, &err) != HDX_OK) {
        fprintf(stderr, "helpdex-index: %s\n", err.msg);
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
    bool current = false;
    if (st == HDX_OK)
        st = hdx_writer_schema_current(w, &current, &err);
    bool full = o->rebuild || !current;

    /* Large full builds use every core (see full_build()). */
    if (st == HDX_OK && full && wl.n >= 400 && o->jobs != 1 &&
        (o->jobs > 1 || ncpu() > 1)) {
        int rc = full_build(o, &wl, w, t0);
        walk_list_free(&wl);
        return rc;
    }

    state_table stt = {0};
    if (st == HDX_OK)
        st = state_load(w, &stt, &err);
    counts c = {0};
    bool changed = false;

    /* Files gone (or all files, for a full rebuild) leave the index first,
     * so a renamed file's id is free for its new path. */
    for (size_t i = 0; st == HDX_OK && i < stt.n; i++) {
        if (!full && walk_listed(&wl, stt.items[i].path))
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

    pool_run pr;
    pool_start(&pr, o, jobs, st == HDX_OK ? nj : 0);
    double last = t0;
    for (size_t i = 0; i < nj && st == HDX_OK; i++) {
        job *j = pool_wait(&pr, i);
        st = apply_job(w, &wl, j, &c, &err);
        changed = true;
        job_clear(j);
        pool_release(&pr, i, st != HDX_OK);
        progress(o, t0, &last, i, nj);
    }
    pool_stop(&pr);
    free(jobs);

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
    print_summary(o, &c, secs, total_docs);
    return c.failed ? 1 : 0;
}
