/*
 * incremental.c - an in-place run (see incremental.h).  This thread alone
 * touches the writer and consumes the jobs in path order, so output and
 * duplicate-id decisions are the same on every run.  All of it is one
 * transaction: after a crash or SIGKILL the previous commit is intact, and
 * the per-file state (in the same transaction) makes the next run redo
 * exactly the unpublished work.
 */
#include "incremental.h"

#include "browse_sync.h"
#include "ids.h"
#include "job.h"
#include "pool.h"
#include "publish.h"
#include "state.h"
#include "synonyms.h"

#include "hdx/alloc.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct inc_run {
    const index_opts *o;
    const walk_list *wl;
    hdx_writer *w;
    bool full;
    state_table stored;
    id_table ids;   /* preloaded with the ids the index holds */
    run_counts c;
    bool changed;   /* something to commit */
} inc_run;

/* Load the stored state; every stored file holds its id. */
static hdx_status load(inc_run *r, hdx_error *err)
{
    hdx_status st = state_load(r->w, &r->stored, err);
    for (size_t i = 0; st == HDX_OK && i < r->stored.n; i++)
        ids_claim(&r->ids, r->stored.items[i].id, r->stored.items[i].path,
                  NULL, NULL);
    return st;
}

/* Files gone (or all files, for a full rebuild) leave the index first,
 * so a renamed file's id is free for its new path. */
static hdx_status remove_gone(inc_run *r, hdx_error *err)
{
    hdx_status st = HDX_OK;
    for (size_t i = 0; st == HDX_OK && i < r->stored.n; i++) {
        const file_state *s = &r->stored.items[i];
        /* Under a folder that could not be read, a file may well still be
         * there: its indexed version stays, as a skipped file's does. */
        if (!r->full && (walk_listed(r->wl, s->path) ||
                         walk_unreadable(r->wl, s->path)))
            continue;
        bool held = ids_release(&r->ids, s->id, s->path);
        st = publish_remove(r->w, s->path, held ? s->id : NULL, err);
        if (!r->full)
            r->c.deleted++;
        r->changed = true;
    }
    return st;
}

/* Jobs for the files whose size or mtime moved; the others are not read
 * at all.  Returns the number of jobs in `jobs`. */
static size_t plan(inc_run *r, job *jobs)
{
    size_t n = 0;
    for (size_t i = 0; i < r->wl->n; i++) {
        const walk_file *f = &r->wl->files[i];
        const file_state *old = r->full ? NULL : state_find(&r->stored, f->rel);
        if (old && old->size == (long long)f->size &&
            old->mtime_ns == f->mtime_ns) {
            r->c.unchanged++;
            continue;
        }
        jobs[n].file = f;
        jobs[n].old = old;
        jobs[n].browse = r->o->browse;
        n++;
    }
    return n;
}

/* Publish one finished job into the open transaction. */
static hdx_status apply(inc_run *r, const job *j, hdx_error *err)
{
    const walk_file *f = j->file;
    if (j->error) {
        report_skipped(&r->c, j->error);
        return HDX_OK; /* its previous version, if any, stays indexed */
    }
    if (j->same_content) {
        r->c.unchanged++;
        return state_put(r->w, f->rel, (long long)f->size, f->mtime_ns,
                         j->hash, j->old->id, err);
    }
    bool released = false;
    const char *owner = ids_claim(&r->ids, j->id, f->rel,
                                  j->old ? j->old->id : NULL, &released);
    if (owner) {
        report_duplicate(&r->c, f->rel, j->id, owner);
        return HDX_OK;
    }
    publish_item p = {f->rel, j->id, j->docs, (long long)f->size,
                      f->mtime_ns, j->hash};
    hdx_status st = publish_file(r->w, &p, false,
                                 released ? j->old->id : NULL, err);
    r->c.indexed++;
    r->c.docs += (unsigned)hdx_docset_count(j->docs);
    return st;
}

/* Parse the changed files in parallel and publish them in path order. */
static hdx_status index_changed(inc_run *r, run_report *rep, hdx_error *err)
{
    job *jobs = hdx_xcalloc(r->wl->n ? r->wl->n : 1, sizeof(job));
    size_t n = plan(r, jobs);
    pool *p = pool_start(r->o->corpus, jobs, n,
                         r->o->jobs > 0 ? r->o->jobs : pool_default_threads());
    hdx_status st = HDX_OK;
    for (size_t i = 0; i < n && st == HDX_OK; i++) {
        job *j = pool_wait(p, i);
        st = apply(r, j, err);
        r->changed = true;
        job_clear(j);
        pool_release(p, i, st != HDX_OK);
        report_progress(rep, i, n);
    }
    pool_stop(p);
    free(jobs);
    return st;
}

int incremental_run(const index_opts *o, const walk_list *wl, hdx_writer *w,
                    bool full, run_report *rep)
{
    hdx_error err;
    hdx_error_clear(&err);
    inc_run r = {.o = o, .wl = wl, .w = w, .full = full};
    ids_init(&r.ids);
    report_walk_problems(&r.c, wl);
    hdx_status st = load(&r, &err);
    if (st == HDX_OK)
        st = remove_gone(&r, &err);
    bool syn_changed = false;
    if (st == HDX_OK)
        st = synonyms_sync(w, o->corpus, full, &syn_changed, &err);
    r.changed |= syn_changed;
    if (st == HDX_OK)
        st = browse_store(w, o->browse, &syn_changed, &err);
    r.changed |= syn_changed;
    if (st == HDX_OK)
        st = index_changed(&r, rep, &err);
    /* A run that changed nothing commits nothing: the revision stays. */
    if (st == HDX_OK && (r.changed || full))
        st = hdx_writer_commit(w, &err);
    else if (st == HDX_OK)
        st = hdx_writer_cancel(w, &err);
    /* The count is only for the summary: the run is published either way,
     * so a failure to count is said, not turned into "nothing published". */
    unsigned total_docs = 0;
    hdx_error cerr;
    if (st == HDX_OK && hdx_writer_doccount(w, &total_docs, &cerr) != HDX_OK)
        fprintf(stderr, "helpdex-index: %s: cannot count documents: %s\n",
                o->db, cerr.msg);
    hdx_writer_close(w);
    state_table_free(&r.stored);
    ids_clear(&r.ids);
    if (st != HDX_OK) {
        report_failure(o->db, &err);
        return 3;
    }
    report_summary(rep, &r.c, total_docs);
    return r.c.failed ? 1 : 0;
}
