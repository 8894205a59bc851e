/*
 * test_xapian.c - the C API over Xapian (include/hdx/xapian.h), writer and
 * reader, against real glass databases in mkdtemp directories: writing,
 * visibility, replacing and deleting, open errors, locking, long terms,
 * transactions, generations, schema versions, metadata and compaction.
 * Queries: test_xapian_query.c; damaged indexes: test_xapian_corrupt.c.
 */
#include "xapian_fixture.h"

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
    assert_int_equal(db_docs(db), 2);
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
    assert_int_equal(writer_docs(w), 1);
    CHECK(hdx_writer_begin(w, E));
    doc_spec v2 = {"same", "doc-a", "revised wording omega", "p", false, NULL};
    add_doc(w, &v2);
    add_doc(w, &v2); /* twice in one batch */
    CHECK(hdx_writer_commit(w, E));
    assert_int_equal(writer_docs(w), 1);
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
    assert_int_equal(writer_docs(w), 1);
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
        char *ta = term_raw(skew ? skewed : hdxi_prefix(HDXI_F_ID),
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
    assert_int_equal(writer_docs(w), 1);
    doc_spec b = {uid2, "doc-long2", "lengthy identifier other", "p", false, NULL};
    CHECK(hdx_writer_begin(w, E));
    add_doc(w, &b);
    CHECK(hdx_writer_commit(w, E));
    assert_int_equal(writer_docs(w), 2);
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
    assert_int_equal(writer_docs(w), 1);
    char *v = (char *)1;
    CHECK(hdx_writer_meta_get(w, "user:key", &v, E));
    assert_null(v);
    CHECK(hdx_writer_cancel(w, E)); /* no batch: harmless */
    hdx_writer_close(w);

    hdx_db *db = open_db(f->index);
    assert_int_equal(db_docs(db), 1);
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
    assert_int_equal(db_docs(db), 1);
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
    assert_int_equal(db_docs(db), 3);
    hdx_db_close(db);
    hdx_writer_close(w);
}

/* A recreated index starts its generation again at 1, so the generation
 * alone cannot tell it from the old one; its UUID can (issue 13). */
static void test_uuid_names_the_index_not_its_path(void **state)
{
    fixture *f = *state;
    doc_spec s = {"u", "doc-u", "uuid text", "p", false, NULL};
    write_docs(f->index, &s, 1);
    hdx_db *db = open_db(f->index);
    char before[64];
    snprintf(before, sizeof before, "%s", hdx_db_uuid(db));
    assert_true(strlen(before) > 0);
    unsigned long gen = hdx_db_generation(db);
    bool changed = true;
    CHECK(hdx_db_reopen(db, &changed, E));
    assert_false(changed);
    assert_string_equal(hdx_db_uuid(db), before); /* same index */
    assert_int_equal(nftw(f->index, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
    write_docs(f->index, &s, 1);
    CHECK(hdx_db_reopen(db, &changed, E));
    assert_true(changed);
    assert_int_equal(hdx_db_generation(db), gen);
    assert_string_not_equal(hdx_db_uuid(db), before);
    hdx_db_close(db);
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
        assert_int_equal(db_docs(db), 0);
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


static void test_compact(void **state)
{
    fixture *f = *state;
    hdx_db *db = rich_db(f);
    unsigned n = db_docs(db);
    hdx_db_close(db);
    char dest[192];
    snprintf(dest, sizeof dest, "%s/compacted", f->dir);
    const char *const src[] = {f->index};
    CHECK(hdx_compact(src, 1, dest, E));
    db = open_db(dest);
    assert_int_equal(db_docs(db), n);
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
    assert_int_equal(db_docs(db), 2);
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
        T(test_visibility_terms),
        T(test_replace_same_uid_keeps_doccount),
        T(test_delete_by_term),
        T(test_open_missing_path),
        T(test_open_errors),
        T(test_second_writer_is_locked),
        T(test_long_uid_is_hashed),
        T(test_cancel_discards),
        T(test_generation_increments_per_commit),
        T(test_empty_index_generation_zero),
        T(test_uuid_names_the_index_not_its_path),
        T(test_metadata_set_get_list),
        T(test_compact),
        T(test_compact_merges_shards),
        T(test_schema_mismatch_refused),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
