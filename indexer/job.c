/*
 * job.c - one file from bytes to documents (see job.h).
 *
 * This is the C and Xapian term-generation work that dominates a run, so
 * it is what the parse pool spreads over the cores.  A file whose hash
 * matches the stored one stops after hashing.
 */
#include "job.h"

#include "hdx/alloc.h"
#include "hdx/article.h"
#include "hdx/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "path:line: msg", malloc'd; a line below 1 is shown as 1. */
static char *diag_line(const char *path, int line, const char *msg)
{
    size_t n = strlen(path) + strlen(msg) + 32;
    char *s = hdx_xmalloc(n);
    snprintf(s, n, "%s:%d: %s", path, line > 0 ? line : 1, msg);
    return s;
}

void job_run(const char *corpus, job *j)
{
    const char *rel = j->file->rel;
    char *data;
    size_t len;
    hdx_error err;
    hdx_error_clear(&err);
    if (walk_read_file(corpus, rel, &data, &len, &err) != HDX_OK) {
        j->error = diag_line(rel, 1, walk_error_reason(&err, rel));
        return;
    }
    j->hash = hdx_hash64(data, len);
    if (j->old && j->old->hash == j->hash) {
        j->same_content = true;
        free(data);
        return;
    }
    hdx_article *a;
    hdx_status st = hdx_article_parse(rel, data, len, &a, &err);
    free(data);
    if (st != HDX_OK) {
        j->error = diag_line(rel, err.line, err.msg);
        return;
    }
    hdx_browse_place(j->browse, a);
    if (hdx_docset_build(a, &j->docs, &err) != HDX_OK)
        j->error = diag_line(rel, 1, err.msg);
    else
        j->id = hdx_xstrdup(a->id);
    hdx_article_free(a);
}

void job_clear(job *j)
{
    free(j->error);
    free(j->id);
    hdx_docset_free(j->docs);
    j->docs = NULL;
    j->error = j->id = NULL;
}
