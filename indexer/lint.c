/*
 * lint.c - the writers' lint (see lint.h and docs/publishing.md).  Per
 * file: what hdx_article_parse() fails on or notes.  Across files:
 * duplicate ids (the indexer's rule, ids.h), links and kb: entries that
 * point nowhere, missing images.  Output: compiler-style
 * "file:line:col: severity: message [rule]" lines, or one JSON document.
 */
#include "lint.h"

#include "ids.h"
#include "walk.h"

#include "hdx/alloc.h"
#include "hdx/article.h"
#include "hdx/browse.h"
#include "hdx/buf.h"
#include "hdx/markup.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct diag {
    char *file;
    int line, column;
    bool error;
    char *rule;
    char *msg;
} diag;

typedef struct lint {
    const lint_opts *o;
    diag *d;
    size_t n, cap;
} lint;

static void report(lint *l, const char *file, int line, int col, bool error,
                   const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static void report(lint *l, const char *file, int line, int col, bool error,
                   const char *rule, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->d = hdx_xrealloc(l->d, l->cap * sizeof(diag));
    }
    l->d[l->n++] = (diag){hdx_xstrdup(file), line > 0 ? line : 1,
                          col > 0 ? col : 1, error, hdx_xstrdup(rule),
                          hdx_xstrdup(msg)};
}

static bool has_scheme(const char *t)
{
    for (const char *p = t; *p && *p != '/'; p++)
        if (*p == ':')
            return true;
    return false;
}

typedef struct parsed {
    hdx_article *a;        /* NULL when the file failed to parse */
    const char *dup_owner; /* the file that holds a's id first, if not a */
} parsed;

/* What the cross-file rules look things up in. */
typedef struct corpus_view {
    const walk_list *wl;
    const parsed *ps; /* one per wl->files[i] */
    const id_table *ids;
} corpus_view;

/* The parsed article at corpus path `rel`, or NULL. */
static const hdx_article *article_at(const corpus_view *cv, const char *rel)
{
    size_t i = walk_find(cv->wl, rel);
    return i < cv->wl->n ? cv->ps[i].a : NULL;
}

/* The lowest level that sees body line `line` of `a`: the article's
 * audience or that of the section holding the line, if higher. */
static hdx_audience line_audience(const hdx_article *a, int line)
{
    size_t lo = 0, hi = a->n_sections; /* last section starting <= line */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (a->sections[mid].first_line <= line)
            lo = mid;
        else
            hi = mid;
    }
    hdx_audience s = a->n_sections ? a->sections[lo].audience : a->audience;
    return s > a->audience ? s : a->audience;
}

/* A kb:ID or /a/ID link: the id must exist, and readers who see the link
 * should be able to see its target. */
static void check_id_link(lint *l, const corpus_view *cv,
                          const hdx_article *a, const hdx_ref *ref,
                          const char *id)
{
    const char *owner = ids_owner(cv->ids, id);
    if (!owner) {
        report(l, a->path, ref->line, 1, true, "broken-link",
               "link to article id '%s' points nowhere", id);
        return;
    }
    const hdx_article *t = article_at(cv, owner);
    hdx_audience from = line_audience(a, ref->line);
    if (t && t->audience > from)
        report(l, a->path, ref->line, 1, false, "restricted-link",
               "link to article id '%s' (audience %s) in a section for %s "
               "readers, who cannot see it",
               id, hdx_audience_name(t->audience), hdx_audience_name(from));
}

static void check_refs(lint *l, const corpus_view *cv, const hdx_article *a)
{
    const walk_list *wl = cv->wl;
    for (size_t r = 0; r < a->n_refs; r++) {
        const hdx_ref *ref = &a->refs[r];
        char *t = hdx_xstrdup(ref->target);
        char *cut = strpbrk(t, "#?");
        if (cut)
            *cut = '\0';
        MHD_http_unescape(t);
        if (!*t) {
            free(t);
            continue; /* same-page anchor */
        }
        if (!strncmp(t, "xref:", 5)) { /* DocFX: the target's uid (id) */
            check_id_link(l, cv, a, ref, t + 5);
            free(t);
            continue;
        }
        if (!strncmp(t, "kb:", 3) || !strncmp(t, "/a/", 3)) {
            check_id_link(l, cv, a, ref, t + 3);
            free(t);
            continue;
        }
        size_t tn = strlen(t);
        bool root_md = t[0] == '/' && tn > 4 && !strcmp(t + tn - 3, ".md");
        if (has_scheme(t) || (t[0] == '/' && !root_md)) {
            free(t);
            continue; /* external URL or site-absolute path */
        }
        char *rel = hdx_markup_resolve(a->path, t);
        char full[8192];
        struct stat st;
        bool exists = false;
        if (rel) {
            snprintf(full, sizeof full, "%s/%s", l->o->corpus, rel);
            exists = walk_listed(wl, rel) || stat(full, &st) == 0;
        }
        if (rel && !exists) { /* above the corpus root: not ours to check */
            if (ref->is_image)
                report(l, a->path, ref->line, 1, false, "missing-image",
                       "image '%s' not found", ref->target);
            else
                report(l, a->path, ref->line, 1, true, "broken-link",
                       "link target '%s' does not exist", ref->target);
        }
        free(rel);
        free(t);
    }
}

static void check_article(lint *l, const hdx_article *a)
{
    for (size_t i = 0; i < a->n_notes; i++) {
        const hdx_note *n = &a->notes[i];
        report(l, a->path, n->line, n->column, n->is_error, n->rule, "%s",
               n->msg);
    }
    if (a->type == HDX_TYPE_INCIDENT) {
        bool has = false;
        for (size_t s = 0; s < a->n_sections; s++)
            if (a->sections[s].kind == HDX_SEC_RESOLUTION ||
                a->sections[s].kind == HDX_SEC_WORKAROUND)
                has = true;
        if (!has)
            report(l, a->path, 1, 1, true, "incident-resolution",
                   "incident has no Resolution or Workaround section");
    }
}

static int cmp_diag(const void *x, const void *y)
{
    const diag *a = x, *b = y;
    int c = strcmp(a->file, b->file);
    if (c)
        return c;
    return a->line - b->line;
}

static void print_text(lint *l, unsigned errors, unsigned warnings,
                       size_t nfiles)
{
    for (size_t i = 0; i < l->n; i++) {
        diag *d = &l->d[i];
        printf("%s:%d:%d: %s: %s [%s]\n", d->file, d->line, d->column,
               d->error ? "error" : "warning", d->msg, d->rule);
    }
    printf("helpdex-index --check: %zu files, %u errors, %u warnings\n",
           nfiles, errors, warnings);
}

static void print_json(lint *l, unsigned errors, unsigned warnings,
                       size_t nfiles)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < l->n; i++) {
        diag *d = &l->d[i];
        json_array_append_new(
            arr, json_pack("{s:s, s:i, s:i, s:s, s:s, s:s}", "file", d->file,
                           "line", d->line, "column", d->column, "severity",
                           d->error ? "error" : "warning", "rule", d->rule,
                           "message", d->msg));
    }
    json_t *root = json_pack("{s:I, s:I, s:I, s:o}", "files",
                             (json_int_t)nfiles, "errors", (json_int_t)errors,
                             "warnings", (json_int_t)warnings, "diagnostics",
                             arr);
    char *s = json_dumps(root, JSON_INDENT(2));
    puts(s);
    free(s);
    json_decref(root);
}

/* Read and parse every file; the per-file rules; the id table. */
static void load(lint *l, const walk_list *wl, parsed *ps, id_table *ids)
{
    for (size_t i = 0; i < wl->n; i++) {
        const char *rel = wl->files[i].rel;
        char *data;
        size_t len;
        hdx_error err;
        hdx_error_clear(&err);
        if (walk_read_file(l->o->corpus, rel, &data, &len, &err) != HDX_OK) {
            report(l, rel, 1, 1, true, "io", "%s",
                   walk_error_reason(&err, rel));
            continue;
        }
        if (hdx_article_parse(rel, data, len, &ps[i].a, &err) != HDX_OK) {
            /* The parser names the rule (err.rule); "parse" covers a
             * failure it could not classify. */
            report(l, rel, err.line, err.column, true,
                   *err.rule ? err.rule : "parse", "%s", err.msg);
        } else {
            check_article(l, ps[i].a);
            ps[i].dup_owner = ids_claim(ids, ps[i].a->id, rel, NULL, NULL);
        }
        free(data);
    }
}

/* Cross-file rules: duplicate ids and links, file by file. */
static void check_corpus(lint *l, const walk_list *wl, const parsed *ps,
                         const id_table *ids)
{
    corpus_view cv = {wl, ps, ids};
    for (size_t i = 0; i < wl->n; i++) {
        const hdx_article *a = ps[i].a;
        if (!a)
            continue;
        if (ps[i].dup_owner)
            report(l, a->path, 1, 1, true, "duplicate-id", IDS_DUPLICATE_FMT,
                   a->id, ps[i].dup_owner);
        check_refs(l, &cv, a);
        for (size_t k = 0; k < a->kb.n; k++)
            if (!ids_owner(ids, a->kb.items[k]))
                report(l, a->path, 1, 1, true, "broken-link",
                       "kb article '%s' does not exist", a->kb.items[k]);
    }
}

static void browse_diag(const char *file, int line, bool is_error,
                        const char *msg, void *ctx)
{
    report(ctx, file, line > 0 ? line : 1, 1, is_error, "browse", "%s", msg);
}

/* The writers' browsing files: corpus/helpdex.yaml and the folder files
 * (_category_.json, _index.md, a folder's helpdex.yaml), read as the
 * indexer reads them (docs/browsing.md). */
static void check_browse(lint *l, const walk_list *wl)
{
    const char **paths = hdx_xcalloc(wl->n ? wl->n : 1, sizeof(char *));
    for (size_t i = 0; i < wl->n; i++)
        paths[i] = wl->files[i].rel;
    hdx_browse_free(hdx_browse_build(l->o->corpus, paths, wl->n,
                                     browse_diag, l));
    free(paths);
}

int lint_run(const lint_opts *o)
{
    walk_list wl;
    hdx_error err;
    if (walk_corpus(o->corpus, &wl, &err) != HDX_OK) {
        fprintf(stderr, "helpdex-index: %s\n", err.msg);
        return 2;
    }
    lint l = {.o = o};
    for (size_t i = 0; i < wl.n_problems; i++) /* a folder not read */
        report(&l, wl.problems[i].rel, 1, 1, true, "io", "%s: %s",
               wl.problems[i].what, strerror(wl.problems[i].errnum));
    parsed *ps = hdx_xcalloc(wl.n ? wl.n : 1, sizeof(parsed));
    id_table ids;
    ids_init(&ids);
    load(&l, &wl, ps, &ids);
    check_corpus(&l, &wl, ps, &ids);
    check_browse(&l, &wl);
    if (l.n)
        qsort(l.d, l.n, sizeof(diag), cmp_diag);
    unsigned errors = 0, warnings = 0;
    for (size_t i = 0; i < l.n; i++) {
        if (o->strict)
            l.d[i].error = true;
        if (l.d[i].error)
            errors++;
        else
            warnings++;
    }
    if (o->json)
        print_json(&l, errors, warnings, wl.n);
    else
        print_text(&l, errors, warnings, wl.n);
    for (size_t i = 0; i < l.n; i++) {
        free(l.d[i].file);
        free(l.d[i].rule);
        free(l.d[i].msg);
    }
    free(l.d);
    for (size_t i = 0; i < wl.n; i++)
        hdx_article_free(ps[i].a);
    free(ps);
    ids_clear(&ids);
    walk_list_free(&wl);
    return errors ? 1 : 0;
}
