/*
 * pipeline.c - an indexing run (see pipeline.h): the thin driver that
 * opens the index and chooses between a parallel full build (large
 * rebuilds, full_build.c) and an in-place run (incremental.c).  A run is
 * full with --rebuild, on a new index, or when the index was written with
 * another schema version.  Work folders of killed full builds are removed
 * first (builddir.h).
 */
#include "pipeline.h"

#include "browse_sync.h"
#include "builddir.h"
#include "full_build.h"
#include "incremental.h"
#include "report.h"
#include "walk.h"

#include "hdx/xapian.h"

#include <stdio.h>

/* Open the index and its batch; *full: every file must be re-indexed
 * (asked for, another schema, or another folder layout). */
static hdx_status open_index(const index_opts *o, hdx_writer **w, bool *full,
                             hdx_error *err)
{
    bool moved = false;
    hdx_status st = hdx_writer_open(o->db, o->wait_seconds, w, err);
    if (st != HDX_OK)
        return st;
    st = hdx_writer_begin(*w, err);
    bool current = false;
    if (st == HDX_OK)
        st = hdx_writer_schema_current(*w, &current, err);
    if (st == HDX_OK)
        st = browse_layout_changed(*w, o->browse, &moved, err);
    *full = o->rebuild || !current || moved;
    return st;
}

int index_run(const index_opts *opts)
{
    index_opts run = *opts;
    const index_opts *o = &run;
    run_report rep;
    report_start(&rep, o->quiet);
    hdx_error err;
    hdx_error_clear(&err);
    walk_list wl;
    if (walk_corpus(o->corpus, &wl, &err) != HDX_OK) {
        fprintf(stderr, "helpdex-index: %s\n", err.msg);
        return 3;
    }
    hdx_browse *browse = browse_build(o->corpus, &wl, NULL);
    run.browse = browse;
    hdx_writer *w = NULL;
    bool full = false;
    hdx_status st = open_index(o, &w, &full, &err);
    if (st == HDX_OK) /* the lock is ours: no other run is building */
        builddir_remove_stale(o->db);
    int rc;
    if (!w) {
        fprintf(stderr, "helpdex-index: %s: %s\n", o->db, err.msg);
        rc = 3;
    } else if (st != HDX_OK) {
        hdx_writer_close(w);
        report_failure(o->db, &err);
        rc = 3;
    } else if (full && full_build_wanted(o, wl.n)) {
        rc = full_build(o, &wl, w, &rep);
    } else {
        rc = incremental_run(o, &wl, w, full, &rep);
    }
    walk_list_free(&wl);
    hdx_browse_free(browse);
    return rc;
}
