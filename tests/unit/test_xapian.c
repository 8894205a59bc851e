/*
 * test_xapian.c - the C API over Xapian (include/hdx/xapian.h) against real
 * glass databases in mkdtemp directories: writing, visibility, locking,
 * corruption, long terms, transactions, generations, metadata, synonyms,
 * completion, by-id and related queries.
 */
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

static int fx_setup(void **state)
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

static int rm_entry(const char *path, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int fx_teardown(void **state)
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

static hdx_writer *open_writer(const char *path)
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

/* The term of field `f` for `value`, as the schema spells it; caller
 * frees. */
static char *term_of(hdxi_field f, const char *value)
{
    return hdxi_term_make(hdxi_prefix(f), value);
}

/* hdxi_writer_has_term / hdxi_writer_delete on a unique id value. */
static bool has_uid(hdx_writer *w, const char *uid)
{
    char *t = term_of(HDXI_F_UID, uid);
    bool found = false;
    CHECK(hdxi_writer_has_term(w, t, &found, E));
    free(t);
    return found;
}

static unsigned delete_uid(hdx_writer *w, const char *uid)
{
    char *t = term_of(HDXI_F_UID, uid);
    unsigned n = 99;
    CHECK(hdxi_writer_delete(w, t, &n, E));
    free(t);
    return n;
}

/* Add the visibility term of each level letter in `levels`: 'p', 'a',
 * 'i' for a published version that level sees, 'A', 'I' for a draft. */
static void add_visibility(hdx_doc *d, const char *levels)
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

static void add_doc(hdx_writer *w, const doc_spec *s)
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

static void write_docs(const char *path, const doc_spec *docs, size_t n)
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
static void put_article(hdx_writer *w, const char *path, const char *src)
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

static void write_articles(const char *path, const article_spec *arts,
                           size_t n)
{
    hdx_writer *w = open_writer(path);
    CHECK(hdx_writer_begin(w, E));
    for (size_t i = 0; i < n; i++)
        put_article(w, arts[i].path, arts[i].src);
    CHECK(hdx_writer_commit(w, E));
    hdx_writer_close(w);
}

static hdx_db *open_db(const char *path)
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
static void hit_id(const hdx_results *r, size_t i, char *out, size_t n)
{
    size_t len = 0;
    const char *data = hdx_results_data(r, i, &len);
    json_t *o = json_loadb(data, len, 0, NULL);
    const char *id = json_string_value(json_object_get(o, "id"));
    snprintf(out, n, "%s", id ? id : "?");
    json_decref(o);
}

/* Run a query; return the hit count and, in ids (comma-joined), their ids. */
static size_t run_query(hdx_query *q, char *ids, size_t ids_size)
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

static size_t search(hdx_db *db, const char *text, hdx_audience level,
                     char *ids, size_t ids_size)
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

static size_t search_path(const char *path, const char *text,
                          hdx_audience level, char *ids, size_t ids_size)
{
    hdx_db *db = open_db(path);
    size_t n = search(db, text, level, ids, ids_size);
    hdx_db_close(db);
    return n;
}

/* hdx_db_close(db) with stderr captured: what it wrote ("" if nothing). */
static void close_capturing(hdx_db *db, const char *dir, char *out, size_t n)
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

/* ---- writer and reader ------------------------------------------------ */

static void test_write_then_search(void **state)
{
    fixture *f = *state;
    const article_spec arts[] = {
        {"doc-a.md", "---\nid: doc-a\n"
                     "title: Sync fails with access denied on Windows\n---\n"
                     "Check the account permissions.\n"},
        {"doc-b.md", "---\nid: doc-b\n"
                     "title: Printing a report from the dashboard\n---\n"
                     "Open the dashboard menu.\n"},
    };
    write_articles(f->index, arts, 2);
    hdx_db *db = open_db(f->index);
    assert_int_equal(hdx_db_doccount(db), 2);
    char ids[256];
    assert_int_equal(search(db, "sync", HDX_AUD_PUBLIC, ids, sizeof ids), 1);
    assert_string_equal(ids, "doc-a");
    /* stemming: "printed reports" finds "Printing a report" */
    assert_int_equal(search(db, "printed reports", HDX_AUD_PUBLIC, ids,
                            sizeof ids),
                     1);
    assert_string_equal(ids, "doc-b");
    /* normalised at query time too */
    assert_int_equal(search(db, "SYNC Fails", HDX_AUD_PUBLIC, ids, sizeof ids),
                     1);
    assert_int_equal(search(db, "zebra", HDX_AUD_PUBLIC, ids, sizeof ids), 0);
    hdx_db_close(db);
}

static const char accessors_v1[] =
    "---\nid: doc-a\ntitle: Error 0x80070005 when syncing files\n---\n"
    "Give the folder *write* access.\n";
static const char accessors_v2[] =
    "---\nid: doc-a\ntitle: Error 0x80070005 when syncing files\n---\n"
    "Turn off the folder protection.\n";

/* The page's accessors.  Text and Markdown are read from the hdx_db on
 * demand, so the results are freed before it is closed, and then closing
 * warns about nothing. */
static void test_results_accessors(void **state)
{
    fixture *f = *state;
    const article_spec arts[] = {{"doc-a.md", accessors_v1}};
    write_articles(f->index, arts, 1);
    hdx_db *db = open_db(f->index);
    hdx_query_opts o = {.level = HDX_AUD_PUBLIC};
    hdx_query *q = NULL;
    CHECK(hdx_query_parse(db, "syncing", &o, &q, E));
    hdx_results *r = NULL;
    CHECK(hdx_query_run(q, 0, 10, &r, E));
    hdx_query_free(q); /* results may outlive their query */
    assert_int_equal(hdx_results_count(r), 1);
    assert_int_equal(hdx_results_total(r), 1);
    char id[64];
    hit_id(r, 0, id, sizeof id);
    assert_string_equal(id, "doc-a");
    assert_true(hdx_results_score(r, 0) > 0);
    assert_true(hdx_results_percent(r, 0) > 0);
    assert_false(hdx_results_relaxed(r));
    assert_true(hdx_results_n_terms(r) >= 1);
    size_t len = 0;
    const char *text = hdx_results_text(r, 0, &len);
    assert_int_equal(len, strlen(text));
    assert_non_null(strstr(text, "Give the folder write access."));
    char *md = hdx_results_markdown(r, 0);
    assert_non_null(strstr(md, "Give the folder *write* access."));
    free(md);
    hdx_results_free(r);
    char warned[256];
    close_capturing(db, f->dir, warned, sizeof warned);
    assert_string_equal(warned, "");
}

/* A page made before the hdx_db moved to a newer revision still reads the
 * text and Markdown of its own revision; a new query sees the new one. */
static void test_results_read_after_reopen(void **state)
{
    fixture *f = *state;
    const article_spec v1[] = {{"doc-a.md", accessors_v1}};
    write_articles(f->index, v1, 1);
    hdx_db *db = open_db(f->index);
    hdx_query_opts o = {.level = HDX_AUD_PUBLIC};
    hdx_query *q = NULL;
    CHECK(hdx_query_parse(db, "syncing", &o, &q, E));
    hdx_results *old = NULL;
    CHECK(hdx_query_run(q, 0, 10, &old, E));
    assert_int_equal(hdx_results_count(old), 1);

    const article_spec v2[] = {{"doc-a.md", accessors_v2}};
    write_articles(f->index, v2, 1);
    bool changed = false;
    CHECK(hdx_db_reopen(db, &changed, E));
    assert_true(changed);
    /* read for the first time after the reopen */
    assert_non_null(strstr(hdx_results_text(old, 0, NULL), "write access"));
    char *md = hdx_results_markdown(old, 0);
    assert_non_null(strstr(md, "*write* access"));
    free(md);

    hdx_results *cur = NULL;
    CHECK(hdx_query_run(q, 0, 10, &cur, E));
    assert_int_equal(hdx_results_count(cur), 1);
    assert_non_null(strstr(hdx_results_text(cur, 0, NULL), "protection"));
    md = hdx_results_markdown(cur, 0);
    assert_non_null(strstr(md, "folder protection"));
    free(md);
    hdx_results_free(cur);
    hdx_results_free(old);
    hdx_query_free(q);
    char warned[256];
    close_capturing(db, f->dir, warned, sizeof warned);
    assert_string_equal(warned, "");
}

typedef struct {
    const char *vis;
    bool pub, agent, internal;
} vis_case;

static const vis_case vis_cases[] = {
    {"i", false, false, true},
    {"ai", false, true, true},
    {"pai", true, true, true},
    {"", false, false, false},
};

static void test_visibility_terms(void **state)
{
    fixture *f = *state;
    hdx_writer *w = open_writer(f->index);
    CHECK(hdx_writer_begin(w, E));
    for (size_t i = 0; i < sizeof vis_cases / sizeof vis_cases[0]; i++) {
        char uid[16], id[16];
        snprintf(uid, sizeof uid, "u%zu", i);
        snprintf(id, sizeof id, "doc-%zu", i);
        char text[64];
        snprintf(text, sizeof text, "quarantine word%zu", i);
        doc_spec s = {uid, id, text, vis_cases[i].vis, false, NULL};
        add_doc(w, &s);
    }
    CHECK(hdx_writer_commit(w, E));
    hdx_writer_close(w);

    hdx_db *db = open_db(f->index);
    for (size_t i = 0; i < sizeof vis_cases / sizeof vis_cases[0]; i++) {
        char word[32];
        snprintf(word, sizeof word, "word%zu", i);
        const bool want[3] = {vis_cases[i].pub, vis_cases[i].agent,
                              vis_cases[i].internal};
        for (int lvl = 0; lvl < 3; lvl++) {
            size_t n = search(db, word, (hdx_audience)lvl, NULL, 0);
            if (n != (want[lvl] ? 1u : 0u))
                fail_msg("doc with \"%s\" at level %d: %zu hits",
                         vis_cases[i].vis, lvl, n);
        }
    }
    /* totals are per level too */
    assert_int_equal(search(db, "quarantine", HDX_AUD_PUBLIC, NULL, 0), 1);
    assert_int_equal(search(db, "quarantine", HDX_AUD_AGENT, NULL, 0), 2);
    assert_int_equal(search(db, "quarantine", HDX_AUD_INTERNAL, NULL, 0), 3);
    hdx_db_close(db);
}

static void test_replace_same_uid_keeps_doccount(void **state)
{
    fixture *f = *state;
    hdx_writer *w = open_writer(f->index);
    CHECK(hdx_writer_begin(w, E));
    doc_spec v1 = {"same", "doc-a", "original wording alpha", "p", false, NULL};
    add_doc(w, &v1);
    CHECK(hdx_writer_commit(w, E));
    assert_int_equal(hdx_writer_doccount(w), 1);
    CHECK(hdx_writer_begin(w, E));
    doc_spec v2 = {"same", "doc-a", "revised wording omega", "p", false, NULL};
    add_doc(w, &v2);
    add_doc(w, &v2); /* twice in one batch */
    CHECK(hdx_writer_commit(w, E));
    assert_int_equal(hdx_writer_doccount(w), 1);
    assert_true(has_uid(w, "same"));
    assert_false(has_uid(w, "other"));
    hdx_writer_close(w);

    assert_int_equal(search_path(f->index, "alpha", HDX_AUD_PUBLIC, NULL, 0),
                     0);
    assert_int_equal(search_path(f->index, "omega", HDX_AUD_PUBLIC, NULL, 0),
                     1);
}

static void test_delete_by_term(void **state)
{
    fixture *f = *state;
    const doc_spec docs[] = {
        {"a", "doc-a", "first", "p", false, NULL},
        {"b", "doc-b", "second", "p", false, NULL},
    };
    write_docs(f->index, docs, 2);
    hdx_writer *w = open_writer(f->index);
    assert_int_equal(delete_uid(w, "a"), 1);
    assert_int_equal(delete_uid(w, "missing"), 0);
    CHECK(hdx_writer_commit(w, E));
    assert_int_equal(hdx_writer_doccount(w), 1);
    hdx_writer_close(w);
}

static void test_open_missing_path(void **state)
{
    fixture *f = *state;
    char missing[192];
    snprintf(missing, sizeof missing, "%s/no/such/index", f->dir);
    hdx_db *db = (hdx_db *)1;
    hdx_error e;
    memset(&e, 0, sizeof e);
    assert_int_equal(hdx_db_open(missing, &db, &e), HDX_ENOTFOUND);
    assert_null(db);
    assert_int_equal(e.code, HDX_ENOTFOUND);
    assert_true(e.msg[0] != '\0');
    assert_string_equal(e.where, "hdx_db_open");
    /* an empty directory is not an index either */
    assert_int_equal(hdx_db_open(f->dir, &db, NULL), HDX_ENOTFOUND);
    assert_null(db);
}

static void test_open_errors(void **state)
{
    fixture *f = *state;
    char file[192], nested[192];
    snprintf(file, sizeof file, "%s/plain-file", f->dir);
    snprintf(nested, sizeof nested, "%s/missing/parent/index", f->dir);
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fputs("not an index\n", fp);
    fclose(fp);

    hdx_error e;
    memset(&e, 0, sizeof e);
    hdx_db *db = (hdx_db *)1;
    assert_int_equal(hdx_db_open(file, &db, &e), HDX_EDB_OPEN);
    assert_null(db);
    assert_true(e.msg[0] != '\0');

    hdx_writer *w = (hdx_writer *)1;
    memset(&e, 0, sizeof e);
    assert_int_equal(hdx_writer_open(file, 0, &w, &e), HDX_EDB_OPEN);
    assert_null(w);
    memset(&e, 0, sizeof e);
    assert_int_equal(hdx_writer_open(nested, 0, &w, &e), HDX_EDB_OPEN);
    assert_null(w);
    assert_string_equal(e.where, "hdx_writer_open");
}

static void test_second_writer_is_locked(void **state)
{
    fixture *f = *state;
    hdx_writer *w1 = open_writer(f->index);
    hdx_writer *w2 = (hdx_writer *)1;
    hdx_error e;
    memset(&e, 0, sizeof e);
    assert_int_equal(hdx_writer_open(f->index, 0, &w2, &e), HDX_EDB_LOCKED);
    assert_null(w2);
    assert_int_equal(e.code, HDX_EDB_LOCKED);
    assert_string_equal(e.msg, "index is locked by another indexer");
    assert_string_equal(e.where, "hdx_writer_open");
    /* waiting a little still fails while the lock is held */
    memset(&e, 0, sizeof e);
    assert_int_equal(hdx_writer_open(f->index, 1, &w2, &e), HDX_EDB_LOCKED);
    assert_null(w2);
    /* readers are not blocked by the writer */
    CHECK(hdx_writer_commit(w1, E));
    hdx_db *db = open_db(f->index);
    hdx_db_close(db);
    /* closing releases the lock */
    hdx_writer_close(w1);
    w2 = open_writer(f->index);
    hdx_writer_close(w2);
}

static bool is_db_error(hdx_status st)
{
    return st == HDX_EDB_CORRUPT || st == HDX_EDB || st == HDX_EDB_OPEN;
}

typedef enum { TRUNCATE, GARBAGE_HEAD, GARBAGE_ALL } damage;

static void damage_file(const char *path, damage how)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    if (how == TRUNCATE) {
        assert_int_equal(ftruncate(fd, 0), 0);
    } else {
        /* the first block, or every block, overwritten with junk */
        char junk[8192];
        memset(junk, 0xA5, sizeof junk);
        off_t end = how == GARBAGE_ALL ? sb.st_size : 8192;
        for (off_t off = 0; off < end && off < sb.st_size;
             off += (off_t)sizeof junk) {
            size_t n = sb.st_size - off < (off_t)sizeof junk
                           ? (size_t)(sb.st_size - off)
                           : sizeof junk;
            assert_int_equal(pwrite(fd, junk, n, off), (ssize_t)n);
        }
    }
    close(fd);
}

static void test_corrupt_index_reports_error(void **state)
{
    fixture *f = *state;
    static const damage modes[] = {TRUNCATE, GARBAGE_HEAD, GARBAGE_ALL};
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        char path[192];
        snprintf(path, sizeof path, "%s/idx%zu", f->dir, m);
        /* enough documents that the postlist has several blocks */
        hdx_writer *w = open_writer(path);
        CHECK(hdx_writer_begin(w, E));
        for (int i = 0; i < 300; i++) {
            char uid[32], id[32], text[256];
            snprintf(uid, sizeof uid, "u%d", i);
            snprintf(id, sizeof id, "doc-%d", i);
            snprintf(text, sizeof text,
                     "common sync error number%d token%d alpha beta gamma "
                     "delta words to fill the posting lists %d",
                     i, i * 7, i % 13);
            doc_spec s = {uid, id, text, "p", false, NULL};
            add_doc(w, &s);
        }
        CHECK(hdx_writer_commit(w, E));
        hdx_writer_close(w);

        char pl[256];
        snprintf(pl, sizeof pl, "%s/postlist.glass", path);
        damage_file(pl, modes[m]);

        hdx_db *db = NULL;
        hdx_error e;
        memset(&e, 0, sizeof e);
        hdx_status st = hdx_db_open(path, &db, &e);
        if (st != HDX_OK) {
            if (!is_db_error(st))
                fail_msg("mode %zu: open gave %d (%s)", m, st, e.msg);
            if (getenv("HDX_TEST_VERBOSE"))
                fprintf(stderr, "corrupt mode %zu: open status %d: %s\n", m,
                        st, e.msg);
            assert_null(db);
            assert_true(e.msg[0] != '\0');
            continue;
        }
        /* Opening may succeed; reading the postlist must then fail. */
        hdx_query_opts o = {.level = HDX_AUD_PUBLIC};
        hdx_status worst = HDX_OK;
        static const char *const queries[] = {"common", "sync error",
                                              "number7", "alpha OR delta"};
        for (size_t k = 0; k < 4; k++) {
            hdx_query *q = NULL;
            memset(&e, 0, sizeof e);
            st = hdx_query_parse(db, queries[k], &o, &q, &e);
            if (st == HDX_OK) {
                hdx_results *r = NULL;
                st = hdx_query_run(q, 0, 10, &r, &e);
                if (st == HDX_OK)
                    hdx_results_free(r);
                else
                    assert_null(r);
                hdx_query_free(q);
            }
            if (st != HDX_OK) {
                if (!is_db_error(st))
                    fail_msg("mode %zu query \"%s\": status %d (%s) %s", m,
                             queries[k], st, hdx_status_str(st), e.msg);
                worst = st;
            }
        }
        hdx_db_close(db);
        if (getenv("HDX_TEST_VERBOSE"))
            fprintf(stderr, "corrupt mode %zu: open ok, query status %d\n", m,
                    worst);
        if (worst == HDX_OK)
            fail_msg("mode %zu: damaged postlist.glass went unnoticed", m);
    }
}

/* A reader that opened the index before it was damaged must report the
 * damage when it next reads, not crash. */
static void test_corrupt_under_open_reader(void **state)
{
    fixture *f = *state;
    hdx_writer *w = open_writer(f->index);
    CHECK(hdx_writer_begin(w, E));
    for (int i = 0; i < 300; i++) {
        char uid[32], id[32], text[256];
        snprintf(uid, sizeof uid, "u%d", i);
        snprintf(id, sizeof id, "doc-%d", i);
        snprintf(text, sizeof text,
                 "shared words number%d token%d and more filler text %d", i,
                 i * 3, i % 7);
        doc_spec s = {uid, id, text, "p", false, NULL};
        add_doc(w, &s);
    }
    CHECK(hdx_writer_commit(w, E));
    hdx_writer_close(w);
    hdx_db *db = open_db(f->index);
    char pl[256];
    snprintf(pl, sizeof pl, "%s/postlist.glass", f->index);
    damage_file(pl, GARBAGE_ALL);
    hdx_query_opts o = {.level = HDX_AUD_PUBLIC};
    hdx_status worst = HDX_OK;
    static const char *const queries[] = {"shared", "number42", "filler text",
                                          "token9 OR words"};
    for (size_t k = 0; k < 4; k++) {
        hdx_query *q = NULL;
        hdx_error e;
        memset(&e, 0, sizeof e);
        hdx_status st = hdx_query_parse(db, queries[k], &o, &q, &e);
        if (st == HDX_OK) {
            hdx_results *r = NULL;
            st = hdx_query_run(q, 0, 10, &r, &e);
            if (st == HDX_OK)
                hdx_results_free(r);
            hdx_query_free(q);
        }
        if (st != HDX_OK) {
            if (!is_db_error(st))
                fail_msg("query \"%s\": status %d (%s) %s", queries[k], st,
                         hdx_status_str(st), e.msg);
            worst = st;
        }
    }
    if (getenv("HDX_TEST_VERBOSE"))
        fprintf(stderr, "corrupt under open reader: status %d\n", worst);
    assert_true(is_db_error(worst));
    hdx_db_close(db);
}

static void test_long_uid_is_hashed(void **state)
{
    fixture *f = *state;
    /* unique id values that make 300-byte terms */
    char uid1[301], uid2[301];
    size_t plen = strlen(hdxi_prefix(HDXI_F_UID));
    memset(uid1, 'u', 300 - plen);
    uid1[300 - plen] = '\0';
    memcpy(uid2, uid1, sizeof uid1);
    uid2[299 - plen] = 'v'; /* differs only after the kept prefix */

    char *t1 = term_of(HDXI_F_UID, uid1);
    char *t2 = term_of(HDXI_F_UID, uid2);
    assert_int_equal(strlen(uid1) + plen, 300);
    assert_true(strlen(t1) <= HDXI_MAX_TERM);
    assert_true(strlen(t2) <= HDXI_MAX_TERM);
    assert_string_not_equal(t1, t2);
    char *t3 = term_of(HDXI_F_UID, uid1);
    assert_string_equal(t1, t3); /* deterministic */
    free(t1);
    free(t2);
    free(t3);
    /* hashing never cuts a UTF-8 sequence */
    char accents[301] = "";
    for (int i = 0; i < 150; i++)
        strcat(accents, "\xC3\xA9");
    char skewed[16];
    snprintf(skewed, sizeof skewed, "%sx", hdxi_prefix(HDXI_F_ID));
    for (int skew = 0; skew < 2; skew++) {
        char *ta = hdxi_term_make(skew ? skewed : hdxi_prefix(HDXI_F_ID),
                                  accents);
        assert_true(strlen(ta) <= HDXI_MAX_TERM);
        assert_true(hdx_text_valid_utf8(ta, strlen(ta), NULL));
        free(ta);
    }
    char want[32];
    snprintf(want, sizeof want, "%sdoc-a", hdxi_prefix(HDXI_F_ID));
    char *shortt = term_of(HDXI_F_ID, "doc-a");
    assert_string_equal(shortt, want); /* short terms are kept as they are */
    free(shortt);

    hdx_writer *w = open_writer(f->index);
    CHECK(hdx_writer_begin(w, E));
    doc_spec a = {uid1, "doc-long", "lengthy identifier text", "p", false, NULL};
    add_doc(w, &a);
    add_doc(w, &a); /* replaces itself */
    CHECK(hdx_writer_commit(w, E));
    assert_int_equal(hdx_writer_doccount(w), 1);
    doc_spec b = {uid2, "doc-long2", "lengthy identifier other", "p", false, NULL};
    CHECK(hdx_writer_begin(w, E));
    add_doc(w, &b);
    CHECK(hdx_writer_commit(w, E));
    assert_int_equal(hdx_writer_doccount(w), 2);
    assert_true(has_uid(w, uid1));
    assert_int_equal(delete_uid(w, uid2), 1);
    CHECK(hdx_writer_commit(w, E));
    hdx_writer_close(w);
    char ids[64];
    assert_int_equal(
        search_path(f->index, "lengthy", HDX_AUD_PUBLIC, ids, sizeof ids), 1);
    assert_string_equal(ids, "doc-long");
}

static void test_cancel_discards(void **state)
{
    fixture *f = *state;
    hdx_writer *w = open_writer(f->index);
    CHECK(hdx_writer_begin(w, E));
    doc_spec keep = {"k", "doc-keep", "kept document", "p", false, NULL};
    add_doc(w, &keep);
    CHECK(hdx_writer_commit(w, E));

    CHECK(hdx_writer_begin(w, E));
    doc_spec drop = {"d", "doc-drop", "discarded document", "p", false, NULL};
    add_doc(w, &drop);
    CHECK(hdx_writer_meta_set(w, "user:key", "dropped", E));
    CHECK(hdx_writer_cancel(w, E));
    assert_int_equal(hdx_writer_doccount(w), 1);
    char *v = (char *)1;
    CHECK(hdx_writer_meta_get(w, "user:key", &v, E));
    assert_null(v);
    CHECK(hdx_writer_cancel(w, E)); /* no batch: harmless */
    hdx_writer_close(w);

    hdx_db *db = open_db(f->index);
    assert_int_equal(hdx_db_doccount(db), 1);
    assert_int_equal(hdx_db_generation(db), 1);
    assert_int_equal(search(db, "discarded", HDX_AUD_PUBLIC, NULL, 0), 0);
    assert_int_equal(search(db, "kept", HDX_AUD_PUBLIC, NULL, 0), 1);
    hdx_db_close(db);

    /* closing with a batch open discards it too */
    w = open_writer(f->index);
    CHECK(hdx_writer_begin(w, E));
    add_doc(w, &drop);
    hdx_writer_close(w);
    db = open_db(f->index);
    assert_int_equal(hdx_db_doccount(db), 1);
    hdx_db_close(db);
}

static void test_generation_increments_per_commit(void **state)
{
    fixture *f = *state;
    hdx_writer *w = open_writer(f->index);
    CHECK(hdx_writer_commit(w, E)); /* creates the on-disk revision */
    hdx_db *db = open_db(f->index);
    unsigned long g0 = hdx_db_generation(db);
    assert_int_equal(g0, 1);
    for (unsigned long k = 1; k <= 3; k++) {
        CHECK(hdx_writer_begin(w, E));
        char id[16];
        snprintf(id, sizeof id, "doc-%lu", k);
        doc_spec s = {id, id, "generation text", "p", false, NULL};
        add_doc(w, &s);
        CHECK(hdx_writer_commit(w, E));
        bool changed = false;
        CHECK(hdx_db_reopen(db, &changed, E));
        assert_true(changed);
        assert_int_equal(hdx_db_generation(db), g0 + k);
        char *g = NULL;
        CHECK(hdx_db_meta_get(db, HDXI_META_GENERATION, &g, E));
        assert_non_null(g);
        assert_int_equal(strtoul(g, NULL, 10), g0 + k);
        free(g);
    }
    bool changed = true;
    CHECK(hdx_db_reopen(db, &changed, E));
    assert_false(changed);
    assert_int_equal(hdx_db_doccount(db), 3);
    hdx_db_close(db);
    hdx_writer_close(w);
}

static void test_empty_index_generation_zero(void **state)
{
    fixture *f = *state;
    hdx_writer *w = open_writer(f->index);
    hdx_writer_close(w);
    hdx_db *db = NULL;
    hdx_error e;
    memset(&e, 0, sizeof e);
    hdx_status st = hdx_db_open(f->index, &db, &e);
    if (st == HDX_OK) {
        assert_int_equal(hdx_db_generation(db), 0);
        assert_int_equal(hdx_db_doccount(db), 0);
        hdx_db_close(db);
    } else {
        assert_int_equal(st, HDX_ENOTFOUND);
    }
}

typedef struct {
    char keys[8][64];
    char values[8][64];
    size_t n;
} meta_seen;

static void on_meta(const char *key, const char *value, void *ctx)
{
    meta_seen *m = ctx;
    if (m->n < 8) {
        snprintf(m->keys[m->n], sizeof m->keys[0], "%s", key);
        snprintf(m->values[m->n], sizeof m->values[0], "%s", value);
    }
    m->n++;
}

static void test_metadata_set_get_list(void **state)
{
    fixture *f = *state;
    hdx_writer *w = open_writer(f->index);
    CHECK(hdx_writer_begin(w, E));
    CHECK(hdx_writer_meta_set(w, "file:a.md", "111", E));
    CHECK(hdx_writer_meta_set(w, "file:b.md", "222", E));
    CHECK(hdx_writer_meta_set(w, "other", "x", E));
    CHECK(hdx_writer_meta_set(w, "file:gone.md", "333", E));
    CHECK(hdx_writer_meta_set(w, "file:gone.md", "", E)); /* delete */
    CHECK(hdx_writer_meta_set(w, "other2", "y", E));
    CHECK(hdx_writer_meta_set(w, "other2", NULL, E)); /* delete */

    char *v = NULL;
    CHECK(hdx_writer_meta_get(w, "file:a.md", &v, E));
    assert_non_null(v);
    assert_string_equal(v, "111");
    free(v);
    v = (char *)1;
    CHECK(hdx_writer_meta_get(w, "file:gone.md", &v, E));
    assert_null(v);
    v = (char *)1;
    CHECK(hdx_writer_meta_get(w, "never-set", &v, E));
    assert_null(v);

    meta_seen m;
    memset(&m, 0, sizeof m);
    CHECK(hdx_writer_meta_list(w, "file:", on_meta, &m, E));
    assert_int_equal(m.n, 2);
    assert_string_equal(m.keys[0], "file:a.md");
    assert_string_equal(m.values[0], "111");
    assert_string_equal(m.keys[1], "file:b.md");
    assert_string_equal(m.values[1], "222");
    CHECK(hdx_writer_commit(w, E));
    hdx_writer_close(w);

    hdx_db *db = open_db(f->index);
    CHECK(hdx_db_meta_get(db, "file:b.md", &v, E));
    assert_non_null(v);
    assert_string_equal(v, "222");
    free(v);
    v = (char *)1;
    CHECK(hdx_db_meta_get(db, "other2", &v, E));
    assert_null(v);
    hdx_db_close(db);
}

static void test_synonyms(void **state)
{
    fixture *f = *state;
    const doc_spec docs[] = {
        {"a", "doc-nb", "Your notebook battery drains quickly", "p", false, NULL},
        {"b", "doc-other", "Keyboard layout settings", "p", false, NULL},
    };
    hdx_writer *w = open_writer(f->index);
    CHECK(hdx_writer_begin(w, E));
    for (size_t i = 0; i < 2; i++)
        add_doc(w, &docs[i]);
    CHECK(hdx_writer_add_synonym(w, "laptop", "notebook", E));
    CHECK(hdx_writer_commit(w, E));
    hdx_writer_close(w);

    char ids[128];
    assert_int_equal(
        search_path(f->index, "laptop", HDX_AUD_PUBLIC, ids, sizeof ids), 1);
    assert_string_equal(ids, "doc-nb");
    assert_int_equal(search_path(f->index, "Laptop battery", HDX_AUD_PUBLIC,
                                 ids, sizeof ids),
                     1);
    assert_string_equal(ids, "doc-nb");

    /* cleared synonyms no longer expand */
    w = open_writer(f->index);
    CHECK(hdx_writer_clear_synonyms(w, E));
    CHECK(hdx_writer_commit(w, E));
    hdx_writer_close(w);
    assert_int_equal(search_path(f->index, "laptop", HDX_AUD_PUBLIC, NULL, 0),
                     0);
}

typedef struct {
    char words[16][32];
    unsigned freq[16];
    size_t n;
} words_seen;

static void on_word(const char *word, unsigned freq, void *ctx)
{
    words_seen *s = ctx;
    if (s->n < 16) {
        snprintf(s->words[s->n], sizeof s->words[0], "%s", word);
        s->freq[s->n] = freq;
    }
    s->n++;
}

static bool seen_word(const words_seen *s, const char *w)
{
    for (size_t i = 0; i < s->n && i < 16; i++)
        if (!strcmp(s->words[i], w))
            return true;
    return false;
}

static void test_complete_uses_only_spelling_docs(void **state)
{
    fixture *f = *state;
    const doc_spec docs[] = {
        {"a", "doc-pub", "synchronization synchronize synchronize", "p",
         true, NULL},
        {"b", "doc-int", "syncopation confidential secretproject", "i",
         false, NULL},
    };
    write_docs(f->index, docs, 2);
    hdx_db *db = open_db(f->index);
    words_seen s;
    memset(&s, 0, sizeof s);
    CHECK(hdx_db_complete(db, "sync", 10, on_word, &s, E));
    assert_int_equal(s.n, 2);
    assert_true(seen_word(&s, "synchronize"));
    assert_true(seen_word(&s, "synchronization"));
    assert_false(seen_word(&s, "syncopation"));
    /* most frequent first */
    assert_string_equal(s.words[0], "synchronize");
    assert_true(s.freq[0] >= s.freq[1]);
    /* the prefix is normalised */
    memset(&s, 0, sizeof s);
    CHECK(hdx_db_complete(db, "SYNCHRONI", 1, on_word, &s, E));
    assert_int_equal(s.n, 1); /* max */
    memset(&s, 0, sizeof s);
    CHECK(hdx_db_complete(db, "secr", 10, on_word, &s, E));
    assert_int_equal(s.n, 0);
    CHECK(hdx_db_complete(db, "", 10, on_word, &s, E));
    assert_int_equal(s.n, 0);
    hdx_db_close(db);

    /* replacing the public doc removes its old spelling data */
    const doc_spec v2[] = {
        {"a", "doc-pub", "entirely different vocabulary", "p", true, NULL},
    };
    write_docs(f->index, v2, 1);
    db = open_db(f->index);
    memset(&s, 0, sizeof s);
    CHECK(hdx_db_complete(db, "sync", 10, on_word, &s, E));
    assert_int_equal(s.n, 0);
    memset(&s, 0, sizeof s);
    CHECK(hdx_db_complete(db, "vocab", 10, on_word, &s, E));
    assert_int_equal(s.n, 1);
    assert_string_equal(s.words[0], "vocabulary");
    hdx_db_close(db);

    /* deleting it removes its spelling data as well */
    hdx_writer *w = open_writer(f->index);
    assert_int_equal(delete_uid(w, "a"), 1);
    CHECK(hdx_writer_commit(w, E));
    hdx_writer_close(w);
    db = open_db(f->index);
    memset(&s, 0, sizeof s);
    CHECK(hdx_db_complete(db, "vocab", 10, on_word, &s, E));
    assert_int_equal(s.n, 0);
    hdx_db_close(db);
}

static void test_query_by_id(void **state)
{
    fixture *f = *state;
    const doc_spec docs[] = {
        {"a", "doc-a", "first public article", "pai", false, NULL},
        {"b", "doc-b", "second public article", "pai", false, NULL},
        {"c", "doc-secret", "internal runbook", "i", false, NULL},
    };
    write_docs(f->index, docs, 3);
    hdx_db *db = open_db(f->index);
    static const struct {
        const char *id;
        hdx_audience level;
        const char *want; /* NULL: no hit */
    } cases[] = {
        {"doc-b", HDX_AUD_PUBLIC, "doc-b"},
        {"DOC-B", HDX_AUD_PUBLIC, "doc-b"}, /* normalised */
        {"doc-a", HDX_AUD_AGENT, "doc-a"},
        {"doc-secret", HDX_AUD_PUBLIC, NULL},
        {"doc-secret", HDX_AUD_AGENT, NULL},
        {"doc-secret", HDX_AUD_INTERNAL, "doc-secret"},
        {"doc-none", HDX_AUD_INTERNAL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hdx_query_opts o = {.level = cases[i].level};
        hdx_query *q = NULL;
        CHECK(hdx_query_by_id(db, cases[i].id, &o, &q, E));
        char ids[64];
        size_t n = run_query(q, ids, sizeof ids);
        hdx_query_free(q);
        if (n != (cases[i].want ? 1u : 0u))
            fail_msg("by_id(%s, level %d): %zu hits", cases[i].id,
                     cases[i].level, n);
        if (cases[i].want)
            assert_string_equal(ids, cases[i].want);
    }
    hdx_db_close(db);
}

static void test_query_related_excludes_source(void **state)
{
    fixture *f = *state;
    const doc_spec docs[] = {
        {"a", "doc-a",
         "printer spooler crashes when printing duplex pages on the office "
         "printer",
         "pai", false, NULL},
        {"b", "doc-b",
         "the office printer spooler stops printing duplex documents",
         "pai", false, NULL},
        {"c", "doc-c", "calendar invitations arrive late in mailboxes",
         "pai", false, NULL},
        {"d", "doc-d", "printer spooler duplex printing internal notes", "i",
         false, NULL},
    };
    write_docs(f->index, docs, 4);
    hdx_db *db = open_db(f->index);
    hdx_query_opts o = {.level = HDX_AUD_PUBLIC};
    hdx_query *q = NULL;
    CHECK(hdx_query_related(db, "doc-a", &o, &q, E));
    char ids[128];
    size_t n = run_query(q, ids, sizeof ids);
    hdx_query_free(q);
    assert_true(n >= 1);
    assert_null(strstr(ids, "doc-a"));
    assert_null(strstr(ids, "doc-d")); /* not visible to public */
    assert_non_null(strstr(ids, "doc-b"));
    assert_int_equal(strncmp(ids, "doc-b", 5), 0); /* best match first */

    /* internal callers see the internal note, still never the source */
    o.level = HDX_AUD_INTERNAL;
    CHECK(hdx_query_related(db, "doc-a", &o, &q, E));
    n = run_query(q, ids, sizeof ids);
    hdx_query_free(q);
    assert_null(strstr(ids, "doc-a"));
    assert_non_null(strstr(ids, "doc-d"));

    /* a document the caller cannot see, or none at all: not found */
    o.level = HDX_AUD_PUBLIC;
    q = (hdx_query *)1;
    hdx_error e;
    memset(&e, 0, sizeof e);
    assert_int_equal(hdx_query_related(db, "doc-d", &o, &q, &e),
                     HDX_ENOTFOUND);
    assert_null(q);
    assert_int_equal(hdx_query_related(db, "doc-zzz", &o, &q, NULL),
                     HDX_ENOTFOUND);
    assert_null(q);
    hdx_db_close(db);
}

/* Drafts carry the draft visibility terms instead of the published ones:
 * only non-public callers that ask for drafts see them. */
static void test_drafts_visibility(void **state)
{
    fixture *f = *state;
    const doc_spec docs[] = {
        {"d", "doc-draft", "unfinished draft article", "AI", false,
         NULL},
    };
    write_docs(f->index, docs, 1);
    hdx_db *db = open_db(f->index);
    static const struct {
        hdx_audience level;
        bool drafts;
        size_t want;
    } cases[] = {
        {HDX_AUD_PUBLIC, false, 0}, {HDX_AUD_PUBLIC, true, 0},
        {HDX_AUD_AGENT, false, 0},  {HDX_AUD_AGENT, true, 1},
        {HDX_AUD_INTERNAL, true, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hdx_query_opts o = {.level = cases[i].level, .drafts = cases[i].drafts};
        hdx_query *q = NULL;
        CHECK(hdx_query_parse(db, "unfinished", &o, &q, E));
        size_t n = run_query(q, NULL, 0);
        hdx_query_free(q);
        if (n != cases[i].want)
            fail_msg("level %d drafts %d: %zu hits, want %zu", cases[i].level,
                     cases[i].drafts, n, cases[i].want);
    }
    hdx_db_close(db);
}

static void test_identifier_query_reports_matched_ids(void **state)
{
    fixture *f = *state;
    const doc_spec docs[] = {
        {"a", "doc-err", "Sync stops with an access error", "p", false,
         "0x80070005 80070005"},
        {"b", "doc-sky", "Known issue with uploads", "p", false,
         "sky-1042 sky1042"},
    };
    write_docs(f->index, docs, 2);
    hdx_db *db = open_db(f->index);
    hdx_query_opts o = {.level = HDX_AUD_PUBLIC};
    hdx_query *q = NULL;
    /* the words alone would match nothing; the identifier finds the doc */
    CHECK(hdx_query_parse(db, "SKY1042", &o, &q, E));
    hdx_results *r = NULL;
    CHECK(hdx_query_run(q, 0, 10, &r, E));
    assert_int_equal(hdx_results_count(r), 1);
    char id[64];
    hit_id(r, 0, id, sizeof id);
    assert_string_equal(id, "doc-sky");
    assert_int_equal(hdx_results_n_matched_ids(r, 0), 1);
    assert_string_equal(hdx_results_matched_id(r, 0, 0), "sky1042");
    hdx_results_free(r);
    hdx_query_free(q);

    CHECK(hdx_query_parse(db, "error 0x80070005 during sync", &o, &q, E));
    char ids[64];
    assert_true(run_query(q, ids, sizeof ids) >= 1);
    assert_int_equal(strncmp(ids, "doc-err", 7), 0);
    hdx_query_free(q);
    hdx_db_close(db);
}

static void test_broken_syntax_and_relaxed_fallback(void **state)
{
    fixture *f = *state;
    const doc_spec docs[] = {
        {"a", "doc-a", "Printer queue is stuck", "p", false, NULL},
    };
    write_docs(f->index, docs, 1);
    hdx_db *db = open_db(f->index);
    hdx_query_opts o = {.level = HDX_AUD_PUBLIC};
    static const char *const broken[] = {
        "((( printer", "printer AND", "\"unclosed printer", "title:", "-",
        "printer ))) OR OR", "*", "",
    };
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        hdx_query *q = NULL;
        hdx_error e;
        memset(&e, 0, sizeof e);
        if (hdx_query_parse(db, broken[i], &o, &q, &e) != HDX_OK)
            fail_msg("parse(\"%s\"): %s", broken[i], e.msg);
        hdx_results *r = NULL;
        if (hdx_query_run(q, 0, 10, &r, &e) != HDX_OK)
            fail_msg("run(\"%s\"): %s", broken[i], e.msg);
        hdx_results_free(r);
        hdx_query_free(q);
    }
    /* all words find nothing: rerun as any word, flagged relaxed */
    hdx_query *q = NULL;
    CHECK(hdx_query_parse(db, "printer zebra", &o, &q, E));
    hdx_results *r = NULL;
    CHECK(hdx_query_run(q, 0, 10, &r, E));
    assert_int_equal(hdx_results_count(r), 1);
    assert_true(hdx_results_relaxed(r));
    hdx_results_free(r);
    hdx_query_free(q);
    hdx_db_close(db);
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

static hdx_db *rich_db(fixture *f)
{
    write_articles(f->index, rich_articles,
                   sizeof rich_articles / sizeof rich_articles[0]);
    return open_db(f->index);
}

static void test_filters_sort_and_facets(void **state)
{
    fixture *f = *state;
    hdx_db *db = rich_db(f);
    char ids[128];

    /* filter: values of one group ORed, groups ANDed */
    static const struct {
        const char *products[2];
        size_t n;
        unsigned types;
        const char *from, *to;
        const char *want; /* sorted by updated, newest first */
    } cases[] = {
        {{"desktop"}, 1, 0, NULL, NULL, "kb-1,kb-3"},
        {{"Mobile"}, 1, 0, NULL, NULL, "kb-2"},
        {{"desktop", "mobile"}, 2, 0, NULL, NULL, "kb-2,kb-1,kb-3"},
        {{"desktop"}, 1, HDX_TYPE_BIT(HDX_TYPE_FAQ), NULL, NULL, ""},
        {{"mobile"}, 1, HDX_TYPE_BIT(HDX_TYPE_FAQ), NULL, NULL, "kb-2"},
        {{NULL}, 0, HDX_TYPE_BIT(HDX_TYPE_ARTICLE), NULL, NULL, "kb-1,kb-3"},
        {{NULL}, 0, 0, "2024-01-05", NULL, "kb-2,kb-1"},
        {{NULL}, 0, 0, NULL, "2024-01-04", "kb-3"},
        {{NULL}, 0, 0, "2024-01-01", "2025-12-31", "kb-2,kb-1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hdx_query_opts o = {.level = HDX_AUD_PUBLIC,
                            .filter = {.products = cases[i].products,
                                       .n_products = cases[i].n,
                                       .types = cases[i].types,
                                       .updated_from = cases[i].from,
                                       .updated_to = cases[i].to},
                            .sort = HDX_SORT_UPDATED};
        hdx_query *q = NULL;
        CHECK(hdx_query_parse(db, "password", &o, &q, E));
        run_query(q, ids, sizeof ids);
        hdx_query_free(q);
        if (strcmp(ids, cases[i].want))
            fail_msg("filters case %zu: \"%s\", want \"%s\"", i, ids,
                     cases[i].want);
    }

    /* facets count what matched */
    hdx_query_opts o = {.level = HDX_AUD_PUBLIC, .facets = true};
    hdx_query *q = NULL;
    CHECK(hdx_query_parse(db, "password", &o, &q, E));
    hdx_results *r = NULL;
    CHECK(hdx_query_run(q, 0, 10, &r, E));
    hdx_query_free(q);
    assert_int_equal(hdx_results_count(r), 3);
    unsigned desktop = 0, mobile = 0, articles = 0;
    for (size_t k = 0; k < hdx_results_n_facets(r); k++) {
        const char *facet = NULL, *value = NULL;
        unsigned count = 0;
        hdx_results_facet(r, k, &facet, &value, &count);
        if (!strcmp(facet, "product") && !strcmp(value, "desktop"))
            desktop = count;
        if (!strcmp(facet, "product") && !strcmp(value, "mobile"))
            mobile = count;
        if (!strcmp(facet, "type") && !strcmp(value, "article"))
            articles = count;
    }
    assert_int_equal(desktop, 2);
    assert_int_equal(mobile, 1);
    assert_int_equal(articles, 2);
    hdx_results_free(r);
    hdx_db_close(db);
}

static void test_partial_title_completion(void **state)
{
    fixture *f = *state;
    hdx_db *db = rich_db(f);
    hdx_query_opts o = {.level = HDX_AUD_PUBLIC};
    static const struct {
        const char *text;
        const char *want_first; /* NULL: no hit */
    } cases[] = {
        {"reset pass", "kb-1"},
        {"RESET PASSW", "kb-1"},
        {"password exp", "kb-2"},
        {"portal", NULL}, /* body words are not title words */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hdx_query *q = NULL;
        CHECK(hdx_query_partial(db, cases[i].text, &o, &q, E));
        char ids[128];
        size_t n = run_query(q, ids, sizeof ids);
        hdx_query_free(q);
        if (!cases[i].want_first) {
            if (n != 0)
                fail_msg("partial \"%s\": %zu hits (%s)", cases[i].text, n,
                         ids);
        } else if (n < 1 || strncmp(ids, cases[i].want_first,
                                    strlen(cases[i].want_first))) {
            fail_msg("partial \"%s\": \"%s\"", cases[i].text, ids);
        }
    }
    hdx_db_close(db);
}

static void test_lookup_finds_incident_from_pasted_log(void **state)
{
    fixture *f = *state;
    hdx_db *db = rich_db(f);
    hdx_query_opts o = {.level = HDX_AUD_AGENT, .types_lookup = true};
    hdx_query *q = NULL;
    CHECK(hdx_query_lookup(db,
                           "2026-02-01 10:15:00 [worker-3] ERROR "
                           "ERR_SYNC_STALLED at line 42 while password "
                           "sync ran\n   at Sync.Run()\n",
                           &o, &q, E));
    hdx_results *r = NULL;
    CHECK(hdx_query_run(q, 0, 10, &r, E));
    hdx_query_free(q);
    /* only incidents (and non-public notes) rank in lookup mode */
    assert_int_equal(hdx_results_count(r), 1);
    char id[64];
    hit_id(r, 0, id, sizeof id);
    assert_string_equal(id, "inc-1");
    assert_int_equal(hdx_results_n_matched_ids(r, 0), 1);
    assert_string_equal(hdx_results_matched_id(r, 0, 0), "err_sync_stalled");
    hdx_results_free(r);
    hdx_db_close(db);
}

static void test_compact(void **state)
{
    fixture *f = *state;
    hdx_db *db = rich_db(f);
    unsigned n = hdx_db_doccount(db);
    hdx_db_close(db);
    char dest[192];
    snprintf(dest, sizeof dest, "%s/compacted", f->dir);
    const char *const src[] = {f->index};
    CHECK(hdx_compact(src, 1, dest, E));
    db = open_db(dest);
    assert_int_equal(hdx_db_doccount(db), n);
    assert_int_equal(search(db, "password", HDX_AUD_PUBLIC, NULL, 0), 3);
    hdx_db_close(db);
    /* a missing source is reported, not thrown */
    char missing[192], dest2[192];
    snprintf(missing, sizeof missing, "%s/none", f->dir);
    snprintf(dest2, sizeof dest2, "%s/c2", f->dir);
    const char *const bad[] = {missing};
    hdx_error e;
    memset(&e, 0, sizeof e);
    assert_int_equal(hdx_compact(bad, 1, dest2, &e), HDX_ENOTFOUND);
}

/* Shards built in parallel merge into one index: documents, spelling data
 * (summed) and metadata (first source wins). */
static void test_compact_merges_shards(void **state)
{
    fixture *f = *state;
    char s1[192], s2[192], dest[192];
    snprintf(s1, sizeof s1, "%s/shard1", f->dir);
    snprintf(s2, sizeof s2, "%s/shard2", f->dir);
    snprintf(dest, sizeof dest, "%s/merged", f->dir);
    const char *const shards[] = {s1, s2};
    for (int k = 0; k < 2; k++) {
        hdx_writer *w = NULL;
        CHECK(hdx_writer_open_shard(shards[k], &w, E));
        assert_non_null(w);
        char uid[32], id[32], text[64];
        snprintf(uid, sizeof uid, "s%d", k);
        snprintf(id, sizeof id, "shard-%d", k);
        snprintf(text, sizeof text, "vocabulary from shard%d", k);
        doc_spec d = {uid, id, text, "pai", true, NULL};
        add_doc(w, &d);
        CHECK(hdx_writer_meta_set(w, "file:x.md", k ? "second" : "first", E));
        if (k == 0) /* the first shard carries the index-wide stamp */
            CHECK(hdx_writer_stamp(w, 7, E));
        CHECK(hdx_writer_commit(w, E));
        hdx_writer_close(w);
    }
    CHECK(hdx_compact(shards, 2, dest, E));
    hdx_db *db = open_db(dest);
    assert_int_equal(hdx_db_doccount(db), 2);
    char ids[64];
    assert_int_equal(search(db, "shard1", HDX_AUD_PUBLIC, ids, sizeof ids), 1);
    assert_string_equal(ids, "shard-1");
    assert_int_equal(search(db, "vocabulary", HDX_AUD_PUBLIC, NULL, 0), 2);
    words_seen w;
    memset(&w, 0, sizeof w);
    CHECK(hdx_db_complete(db, "vocab", 5, on_word, &w, E));
    assert_int_equal(w.n, 1);
    assert_string_equal(w.words[0], "vocabulary");
    assert_int_equal(w.freq[0], 2); /* summed over the shards */
    char *v = NULL;
    CHECK(hdx_db_meta_get(db, "file:x.md", &v, E));
    assert_non_null(v);
    assert_string_equal(v, "first");
    free(v);
    assert_int_equal(hdx_db_generation(db), 7);
    hdx_db_close(db);
}

/* An index of another schema version is refused with both versions named,
 * and a reader already open keeps its revision when one is swapped in. */
static void test_schema_mismatch_refused(void **state)
{
    fixture *f = *state;
    doc_spec d = {"a", "doc-a", "schema check", "pai", false, NULL};
    write_docs(f->index, &d, 1);
    hdx_db *db = open_db(f->index);
    /* An index as an older helpdex wrote it (a shard's commit does not
     * stamp the schema, so the old version stays). */
    char old[192], moved[192];
    snprintf(old, sizeof old, "%s/old", f->dir);
    snprintf(moved, sizeof moved, "%s/moved", f->dir);
    hdx_writer *w = NULL;
    CHECK(hdx_writer_open_shard(old, &w, E));
    doc_spec d2 = {"b", "doc-b", "older layout", "pai", false, NULL};
    add_doc(w, &d2);
    CHECK(hdx_writer_meta_set(w, HDXI_META_SCHEMA, "1", E));
    CHECK(hdx_writer_commit(w, E));
    hdx_writer_close(w);

    hdx_db *db2 = NULL;
    hdx_error e;
    memset(&e, 0, sizeof e);
    assert_int_equal(hdx_db_open(old, &db2, &e), HDX_ESCHEMA);
    assert_null(db2);
    assert_non_null(strstr(e.msg, "schema 1"));
    assert_non_null(strstr(e.msg, "schema " HDX_SCHEMA_VERSION));
    assert_non_null(strstr(e.msg, "helpdex-index --rebuild"));
    /* Swapped in under a running reader, as a full build swaps. */
    assert_int_equal(rename(f->index, moved), 0);
    assert_int_equal(rename(old, f->index), 0);
    unsigned long gen = hdx_db_generation(db);
    assert_int_equal(hdx_db_reopen(db, NULL, &e), HDX_ESCHEMA);
    assert_int_equal(hdx_db_generation(db), gen);
    assert_int_equal(search(db, "schema", HDX_AUD_PUBLIC, NULL, 0), 1);
    hdx_db_close(db);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_write_then_search),
        T(test_results_accessors),
        T(test_results_read_after_reopen),
        T(test_visibility_terms),
        T(test_replace_same_uid_keeps_doccount),
        T(test_delete_by_term),
        T(test_open_missing_path),
        T(test_open_errors),
        T(test_second_writer_is_locked),
        T(test_corrupt_index_reports_error),
        T(test_corrupt_under_open_reader),
        T(test_long_uid_is_hashed),
        T(test_cancel_discards),
        T(test_generation_increments_per_commit),
        T(test_empty_index_generation_zero),
        T(test_schema_mismatch_refused),
        T(test_metadata_set_get_list),
        T(test_synonyms),
        T(test_complete_uses_only_spelling_docs),
        T(test_query_by_id),
        T(test_query_related_excludes_source),
        T(test_drafts_visibility),
        T(test_identifier_query_reports_matched_ids),
        T(test_broken_syntax_and_relaxed_fallback),
        T(test_filters_sort_and_facets),
        T(test_partial_title_completion),
        T(test_lookup_finds_incident_from_pasted_log),
        T(test_compact),
        T(test_compact_merges_shards),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
