/*
 * full_build.c - a full build with parallel shard writers (see
 * full_build.h).  The documents go to private shards in "<db>.build.<pid>"
 * (builddir.h: a marked folder, so a later run can remove it if this one
 * is killed), are merged by compaction, and the merged index is swapped with the old
 * one by one renameat2(RENAME_EXCHANGE): readers see the old index or the
 * new one, never a mix, and a crash at any point leaves the old index in
 * place.  The caller's writer holds the index lock throughout.
 */
#include "full_build.h"

#include "browse_sync.h"
#include "builddir.h"
#include "fsutil.h"
#include "ids.h"
#include "job.h"
#include "pool.h"
#include "shards.h"
#include "synonyms.h"

#include "hdx/alloc.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_SHARDS 4

bool full_build_wanted(const index_opts *o, size_t n_files)
{
    return n_files >= 400 && o->jobs != 1 &&
           (o->jobs > 1 || pool_default_threads() > 1);
}

/* Parse every file in parallel, check its id, and queue it for the shard
 * writers, in path order. */
static void feed(const index_opts *o, const walk_list *wl, shard_set *shards,
                 run_counts *c, run_report *rep)
{
    job *jobs = hdx_xcalloc(wl->n ? wl->n : 1, sizeof(job));
    for (size_t i = 0; i < wl->n; i++) {
        jobs[i].file = &wl->files[i];
        jobs[i].browse = o->browse;
    }
    pool *p = pool_start(o->corpus, jobs, wl->n,
                         o->jobs > 0 ? o->jobs : pool_default_threads());
    id_table ids;
    ids_init(&ids);
    for (size_t i = 0; i < wl->n; i++) {
        job *j = pool_wait(p, i);
        const char *owner;
        if (j->error) {
            report_skipped(c, j->error);
        } else if ((owner = ids_claim(&ids, j->id, j->file->rel, NULL,
                                      NULL))) {
            report_duplicate(c, j->file->rel, j->id, owner);
        } else {
            shard_item *it = hdx_xcalloc(1, sizeof *it);
            it->docs = j->docs; /* moved */
            it->id = j->id;     /* moved */
            j->docs = NULL;
            j->id = NULL;
            it->path = hdx_xstrdup(j->file->rel);
            it->size = (long long)j->file->size;
            it->mtime_ns = j->file->mtime_ns;
            it->hash = j->hash;
            c->docs += (unsigned)hdx_docset_count(it->docs);
            shards_push(shards, it);
            c->indexed++;
        }
        job_clear(j);
        pool_release(p, i, false);
        report_progress(rep, i, wl->n);
    }
    pool_stop(p);
    free(jobs);
    ids_clear(&ids);
}

/* Write everything into the shards of `dir` and merge them into `merged`. */
static hdx_status build(const index_opts *o, const walk_list *wl,
                        unsigned long gen, const char *dir,
                        const char *merged, run_counts *c, run_report *rep,
                        hdx_error *err)
{
    int nshards = o->jobs > 0 ? o->jobs : pool_default_threads();
    if (nshards > MAX_SHARDS)
        nshards = MAX_SHARDS;
    shard_set *shards = NULL;
    hdx_status st = shards_start(dir, nshards, &shards, err);
    if (st != HDX_OK)
        return st;
    feed(o, wl, shards, c, rep);
    st = shards_join(shards, err);
    /* Index-wide metadata lives in shard 0 (compaction keeps the first
     * source's value of a key). */
    if (st == HDX_OK) {
        hdx_writer *w0 = shards_writer(shards, 0);
        bool changed;
        st = synonyms_sync(w0, o->corpus, true, &changed, err);
        if (st == HDX_OK)
            st = browse_store(w0, o->browse, NULL, err);
        if (st == HDX_OK)
            st = hdx_writer_stamp(w0, gen + 1, err);
    }
    if (st == HDX_OK)
        st = shards_merge(shards, merged, err);
    shards_free(shards);
    return st;
}

int full_build(const index_opts *o, const walk_list *wl, hdx_writer *w,
               run_report *rep)
{
    hdx_error err;
    hdx_error_clear(&err);
    run_counts c = {0};
    report_walk_problems(&c, wl);
    unsigned long gen = 0;
    hdx_status st = hdx_writer_generation(w, &gen, &err);

    char dir[4096], merged[4200];
    hdx_error dir_err;
    if (builddir_create(o->db, dir, sizeof dir, &dir_err) != HDX_OK) {
        fprintf(stderr, "helpdex-index: %s\n", dir_err.msg);
        hdx_writer_close(w);
        return 3;
    }
    snprintf(merged, sizeof merged, "%s/merged", dir);
    if (st == HDX_OK)
        st = build(o, wl, gen, dir, merged, &c, rep, &err);
    if (st == HDX_OK)
        st = fs_exchange(merged, o->db, &err);
    /* Either way the old index (now at `merged`, or untouched) is done. */
    hdx_writer_cancel(w, NULL);
    hdx_writer_close(w);
    builddir_remove(dir);
    if (st != HDX_OK) {
        report_failure(o->db, &err);
        return 3;
    }
    report_summary(rep, &c, c.docs);
    return c.failed ? 1 : 0;
}
