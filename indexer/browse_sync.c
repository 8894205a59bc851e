/*
 * browse_sync.c - the hierarchy of an indexing run (see browse_sync.h).
 * The table is rebuilt from the corpus on every run (reading a few
 * folder files is cheap); articles are placed when they are parsed, so
 * a change of the folder layout makes the run a full one.
 */
#include "browse_sync.h"

#include "hdx/alloc.h"
#include "hdx/hash.h"
#include "hdx/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_diag(const char *file, int line, bool is_error,
                       const char *msg, void *ctx)
{
    unsigned *n_errors = ctx;
    fprintf(stderr, "%s:%d: %s: %s\n", file, line > 0 ? line : 1,
            is_error ? "error" : "warning", msg);
    if (is_error && n_errors)
        (*n_errors)++;
}

hdx_browse *browse_build(const char *corpus, const walk_list *wl,
                         unsigned *n_errors)
{
    /* A folder the walk could not read keeps its place: it counts as a
     * folder holding an article, so the layout (and every placed
     * article) stays as it was until it can be read again. */
    size_t n = wl->n + wl->n_problems;
    const char **paths = hdx_xcalloc(n ? n : 1, sizeof(char *));
    char **extra =
        hdx_xcalloc(wl->n_problems ? wl->n_problems : 1, sizeof(char *));
    for (size_t i = 0; i < wl->n; i++)
        paths[i] = wl->files[i].rel;
    size_t n_extra = 0;
    for (size_t i = 0; i < wl->n_problems; i++) {
        if (strcmp(wl->problems[i].what, "cannot read folder") != 0)
            continue;
        size_t len = strlen(wl->problems[i].rel) + 3;
        extra[n_extra] = hdx_xmalloc(len);
        snprintf(extra[n_extra], len, "%s/?", wl->problems[i].rel);
        paths[wl->n + n_extra] = extra[n_extra];
        n_extra++;
    }
    n = wl->n + n_extra;
    hdx_browse *b = hdx_browse_build(corpus, paths, n, print_diag, n_errors);
    for (size_t i = 0; i < n_extra; i++)
        free(extra[i]);
    free(extra);
    free(paths);
    return b;
}

hdx_status browse_layout_changed(hdx_writer *w, const hdx_browse *b,
                                 bool *changed, hdx_error *err)
{
    char hex[17];
    hdx_hash64_hex(hdx_browse_layout_hash(b), hex);
    char *old = NULL;
    hdx_status st = hdx_writer_meta_get(w, HDX_META_BROWSE_LAYOUT, &old, err);
    *changed = st == HDX_OK && (!old || strcmp(old, hex) != 0);
    free(old);
    return st;
}

hdx_status browse_store(hdx_writer *w, const hdx_browse *b, bool *changed,
                        hdx_error *err)
{
    char *json = hdx_browse_json(b);
    char *old = NULL;
    hdx_status st = hdx_writer_meta_get(w, HDX_META_BROWSE, &old, err);
    bool differs = st == HDX_OK && (!old || strcmp(old, json) != 0);
    if (differs) {
        char hex[17];
        hdx_hash64_hex(hdx_browse_layout_hash(b), hex);
        st = hdx_writer_meta_set(w, HDX_META_BROWSE, json, err);
        if (st == HDX_OK)
            st = hdx_writer_meta_set(w, HDX_META_BROWSE_LAYOUT, hex, err);
    }
    if (changed)
        *changed = differs;
    free(old);
    free(json);
    return st;
}
