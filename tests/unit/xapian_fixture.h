/*
 * xapian_fixture.h - what the test_xapian*.c binaries share: a mkdtemp
 * fixture, documents built term by term from the schema module's terms
 * (doc_spec) or as real articles through the document builder, and small
 * query helpers.  Header-only (static inline) because each test binary
 * is linked from its one .c and libhelpdex.a.
 */
#ifndef HDX_TESTS_XAPIAN_FIXTURE_H
#define HDX_TESTS_XAPIAN_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hdx/article.h"
#include "hdx/buf.h"
#include "hdx/document.h"
#include "hdx/text.h"
#include "hdx/xapian.h"

#include <jansson.h>

/* The wrapper's own tests build some documents term by term, through the
 * lib-private writer calls; every term comes from the schema module. */
#include "../../lib/schema.h"
#include "../../lib/xdoc.h"

typedef struct {
    char dir[64];
    char index[128];
} fixture;

static inline int fx_setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/hdx-xapian-XXXXXX",
             tmp && *tmp && strlen(tmp) < 30 ? tmp : "/tmp");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->index, sizeof f->index, "%s/index", f->dir);
    *state = f;
    return 0;
}

static inline int rm_entry(const char *path, const struct stat *sb,
                           int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static inline int fx_teardown(void **state)
{
    fixture *f = *state;
    int rc = nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return rc;
}

/* ---- helpers ---------------------------------------------------------- */

/* CHECK(f(..., E)): E names the error struct the macro provides. */
#define CHECK(call)                                                           \
    do {                                                                      \
        hdx_error E_buf_;                                                     \
        memset(&E_buf_, 0, sizeof E_buf_);                                    \
        hdx_error *E = &E_buf_;                                               \
        hdx_status st_ = (call);                                              \
        if (st_ != HDX_OK)                                                    \
            fail_msg("%s: status %d (%s) %s: %s", #call, st_,                 \
                     hdx_status_str(st_), E_buf_.where, E_buf_.msg);          \
    } while (0)

static inline hdx_writer *open_writer(const char *path)
{
    hdx_writer *w = NULL;
    hdx_error e;
    memset(&e, 0, sizeof e);
    hdx_status st = hdx_writer_open(path, 0, &w, &e);
    if (st != HDX_OK)
        fail_msg("hdx_writer_open(%s): %d %s", path, st, e.msg);
    assert_non_null(w);
    return w;
}

/* hdxi_term_make() that must succeed; caller frees. */
static inline char *term_raw(const char *prefix, const char *value)
{
    char *t = NULL;
    assert_int_equal(hdxi_term_make(prefix, value, &t, NULL), HDX_OK);
    assert_non_null(t);
    return t;
}

/* Document counts that must be readable. */
static inline unsigned writer_docs(hdx_writer *w)
{
    unsigned n = 0;
    assert_int_equal(hdx_writer_doccount(w, &n, NULL), HDX_OK);
    return n;
}

static inline unsigned db_docs(hdx_db *db)
{
    unsigned n = 0;
    assert_int_equal(hdx_db_doccount(db, &n, NULL), HDX_OK);
    return n;
}

/* The term of field `f` for `value`, as the schema spells it; caller
 * frees. */
static inline char *term_of(hdxi_field f, const char *value)
{
    return term_raw(hdxi_prefix(f), value);
}

/* hdxi_writer_has_term / hdxi_writer_delete on a unique id value. */
static inline bool has_uid(hdx_writer *w, const char *uid)
{
    char *t = term_of(HDXI_F_UID, uid);
    bool found = false;
    CHECK(hdxi_writer_has_term(w, t, &found, E));
    free(t);
    return found;
}

static inline unsigned delete_uid(hdx_writer *w, const char *uid)
{
    char *t = term_of(HDXI_F_UID, uid);
    unsigned n = 99;
    CHECK(hdxi_writer_delete(w, t, &n, E));
    free(t);
    return n;
}

/* Add the visibility term of each level letter in `levels`: 'p', 'a',
 * 'i' for a published version that level sees, 'A', 'I' for a draft. */
static inline void add_visibility(hdx_doc *d, const char *levels)
{
    for (const char *v = levels; *v; v++) {
        char c = (char)(*v | 0x20);
        hdx_audience l = c == 'p'   ? HDX_AUD_PUBLIC
                         : c == 'a' ? HDX_AUD_AGENT
                                    : HDX_AUD_INTERNAL;
        char t[4];
        assert_true(hdxi_visibility_term(l, *v != c, t));
        CHECK(hdxi_doc_add_term(d, t, 0, E));
    }
}

typedef struct {
    const char *uid;  /* unique id value (HDXI_F_UID term) */
    const char *id;
    const char *text;
    const char *vis;  /* levels that see it (add_visibility): "pai", "AI" */
    bool spelling;
    const char *idents; /* space-separated identifier terms, or NULL */
} doc_spec;

static inline void add_doc(hdx_writer *w, const doc_spec *s)
{
    hdx_error e;
    memset(&e, 0, sizeof e);
    hdx_doc *d = NULL;
    if (hdxi_doc_new("en", &d, &e) != HDX_OK)
        fail_msg("hdxi_doc_new: %s", e.msg);
    hdx_buf norm;
    hdx_buf_init(&norm);
    assert_int_equal(hdx_text_normalize(&norm, s->text, strlen(s->text), &e),
                     HDX_OK);
    if (hdxi_doc_index_text(d, norm.data, norm.len, "", 1, true, &e) != HDX_OK)
        fail_msg("index_text: %s", e.msg);
    hdx_buf_clear(&norm);
    char *term = term_of(HDXI_F_ID, s->id);
    assert_int_equal(hdxi_doc_add_term(d, term, 0, &e), HDX_OK);
    free(term);
    add_visibility(d, s->vis);
    if (s->idents) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", s->idents);
        char *save = NULL;
        for (char *t = strtok_r(buf, " ", &save); t;
             t = strtok_r(NULL, " ", &save)) {
            term = term_of(HDXI_F_IDENT, t);
            assert_int_equal(hdxi_doc_add_term(d, term, 1, &e), HDX_OK);
            free(term);
        }
    }
    /* The hit header as the document builder writes it, id only. */
    char data[128];
    snprintf(data, sizeof data, "{\"id\":\"%s\"}", s->id);
    assert_int_equal(
        hdxi_doc_set_value(d, HDXI_SLOT_DATA, data, strlen(data), &e), HDX_OK);
    assert_int_equal(
        hdxi_doc_set_value(d, HDXI_SLOT_ID, s->id, strlen(s->id), &e), HDX_OK);
    hdxi_doc_set_spelling(d, s->spelling);
    term = term_of(HDXI_F_UID, s->uid);
    if (hdxi_writer_replace(w, term, d, &e) != HDX_OK)
        fail_msg("hdxi_writer_replace(%s): %s", s->uid, e.msg);
    free(term);
    hdxi_doc_free(d);
}

static inline void write_docs(const char *path, const doc_spec *docs,
                              size_t n)
{
    hdx_writer *w = open_writer(path);
    CHECK(hdx_writer_begin(w, E));
    for (size_t i = 0; i < n; i++)
        add_doc(w, &docs[i]);
    CHECK(hdx_writer_commit(w, E));
    hdx_writer_close(w);
}

/* A real article (front matter + Markdown) through the document builder,
 * as the indexer writes it. */
static inline void put_article(hdx_writer *w, const char *path,
                               const char *src)
{
    hdx_article *a = NULL;
    hdx_docset *set = NULL;
    CHECK(hdx_article_parse(path, src, strlen(src), &a, E));
    CHECK(hdx_docset_build(a, &set, E));
    CHECK(hdx_writer_put(w, set, false, E));
    hdx_docset_free(set);
    hdx_article_free(a);
}

typedef struct {
    const char *path;
    const char *src;
} article_spec;

static inline void write_articles(const char *path,
                                  const article_spec *arts, size_t n)
{
    hdx_writer *w = open_writer(path);
    CHECK(hdx_writer_begin(w, E));
    for (size_t i = 0; i < n; i++)
        put_article(w, arts[i].path, arts[i].src);
    CHECK(hdx_writer_commit(w, E));
    hdx_writer_close(w);
}

static inline hdx_db *open_db(const char *path)
{
    hdx_db *db = NULL;
    hdx_error e;
    memset(&e, 0, sizeof e);
    hdx_status st = hdx_db_open(path, &db, &e);
    if (st != HDX_OK)
        fail_msg("hdx_db_open(%s): %d %s", path, st, e.msg);
    assert_non_null(db);
    return db;
}

/* The id in the JSON header of hit i, into out. */
static inline void hit_id(const hdx_results *r, size_t i, char *out,
                          size_t n)
{
    size_t len = 0;
    const char *data = hdx_results_data(r, i, &len);
    json_t *o = json_loadb(data, len, 0, NULL);
    const char *id = json_string_value(json_object_get(o, "id"));
    snprintf(out, n, "%s", id ? id : "?");
    json_decref(o);
}

/* Run a query; return the hit count and, in ids (comma-joined), their ids. */
static inline size_t run_query(hdx_query *q, char *ids, size_t ids_size)
{
    hdx_results *r = NULL;
    CHECK(hdx_query_run(q, 0, 20, &r, E));
    assert_non_null(r);
    size_t n = hdx_results_count(r);
    if (ids) {
        ids[0] = '\0';
        for (size_t i = 0; i < n; i++) {
            char id[128];
            hit_id(r, i, id, sizeof id);
            size_t used = strlen(ids);
            snprintf(ids + used, ids_size - used, "%s%s", i ? "," : "", id);
        }
    }
    hdx_results_free(r);
    return n;
}

static inline size_t search(hdx_db *db, const char *text,
                            hdx_audience level, char *ids, size_t ids_size)
{
    hdx_query_opts o;
    memset(&o, 0, sizeof o);
    o.level = level;
    hdx_query *q = NULL;
    CHECK(hdx_query_parse(db, text, &o, &q, E));
    size_t n = run_query(q, ids, ids_size);
    hdx_query_free(q);
    return n;
}

static inline size_t search_path(const char *path, const char *text,
                                 hdx_audience level, char *ids,
                                 size_t ids_size)
{
    hdx_db *db = open_db(path);
    size_t n = search(db, text, level, ids, ids_size);
    hdx_db_close(db);
    return n;
}

/* hdx_db_close(db) with stderr captured into out[n] ("" if it wrote
 * nothing); `dir` holds the capture file. */
static inline void close_capturing(hdx_db *db, const char *dir, char *out,
                                   size_t n)
{
    char path[192];
    snprintf(path, sizeof path, "%s/stderr.txt", dir);
    fflush(stderr);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    int saved = dup(2);
    assert_true(saved >= 0);
    dup2(fd, 2);
    hdx_db_close(db);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    ssize_t got = pread(fd, out, n - 1, 0);
    out[got > 0 ? got : 0] = '\0';
    close(fd);
    unlink(path);
}

/* hdx_db_close(db), failing if it writes anything to stderr (it warns
 * about children still alive). */
static inline void close_quietly(hdx_db *db, const char *dir)
{
    char out[256];
    close_capturing(db, dir, out, sizeof out);
    assert_string_equal(out, "");
}

typedef struct {
    char words[16][32];
    unsigned freq[16];
    size_t n;
} words_seen;

static inline void on_word(const char *word, unsigned freq, void *ctx)
{
    words_seen *s = ctx;
    if (s->n < 16) {
        snprintf(s->words[s->n], sizeof s->words[0], "%s", word);
        s->freq[s->n] = freq;
    }
    s->n++;
}

static inline bool seen_word(const words_seen *s, const char *w)
{
    for (size_t i = 0; i < s->n && i < 16; i++)
        if (!strcmp(s->words[i], w))
            return true;
    return false;
}


/* Real articles with a title, a product, a date and a type. */
static const article_spec rich_articles[] = {
    {"kb-1.md", "---\nid: kb-1\ntitle: Reset your password\nproduct: desktop\n"
                "updated: 2024-01-05\ntype: article\n---\n"
                "Use the portal to reset a password.\n"},
    {"kb-2.md", "---\nid: kb-2\ntitle: Password expired on mobile\n"
                "product: mobile\nupdated: 2025-03-10\ntype: faq\n---\n"
                "The mobile app asks for a new password after expiry.\n"},
    {"kb-3.md", "---\nid: kb-3\ntitle: Password sync delays\nproduct: desktop\n"
                "updated: 2023-11-20\ntype: article\n---\n"
                "Directory password sync can lag.\n"},
    {"incidents/inc-1.md",
     "---\nid: inc-1\ntitle: 'Outage: sync stuck'\nproduct: desktop\n"
     "updated: 2026-02-01\ntype: incident\nerror_codes: [ERR_SYNC_STALLED]\n"
     "---\nClients log ERR_SYNC_STALLED and stop.\n"},
};

static inline hdx_db *rich_db(fixture *f)
{
    write_articles(f->index, rich_articles,
                   sizeof rich_articles / sizeof rich_articles[0]);
    return open_db(f->index);
}


#endif
