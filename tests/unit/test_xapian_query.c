/*
 * test_xapian_query.c - queries and results of the C API over Xapian
 * against real glass databases: the results contract, synonyms,
 * completion, by-id and related queries, drafts, identifiers, broken
 * syntax and the any-word fallback, typed filters, sorting and facets,
 * title completion and known-issue lookup.
 */
#include "xapian_fixture.h"

static const char accessors_v1[] =
    "---\nid: doc-a\ntitle: Error 0x80070005 when syncing files\n---\n"
    "Give the folder *write* access.\n";
static const char accessors_v2[] =
    "---\nid: doc-a\ntitle: Error 0x80070005 when syncing files\n---\n"
    "Turn off the folder protection.\n";

/* Hit i's text and Markdown contain these. */
static void assert_hit_reads(const hdx_results *r, size_t i, const char *text,
                             const char *markdown)
{
    if (!strstr(hdx_results_text(r, i, NULL), text))
        fail_msg("hit %zu text lacks \"%s\"", i, text);
    char *md = hdx_results_markdown(r, i);
    if (!strstr(md, markdown))
        fail_msg("hit %zu Markdown lacks \"%s\": %s", i, markdown, md);
    free(md);
}

/* Exactly one hit, `id`, carrying the one query identifier `matched`. */
static void assert_one_hit(const hdx_results *r, const char *id,
                           const char *matched)
{
    assert_int_equal(hdx_results_count(r), 1);
    char got[64];
    hit_id(r, 0, got, sizeof got);
    assert_string_equal(got, id);
    assert_int_equal(hdx_results_n_matched_ids(r, 0), 1);
    assert_string_equal(hdx_results_matched_id(r, 0, 0), matched);
}

/* An index of accessors_v1, open, and a public query for "syncing". */
static hdx_db *syncing_v1(fixture *f, hdx_query **q)
{
    const article_spec arts[] = {{"doc-a.md", accessors_v1}};
    write_articles(f->index, arts, 1);
    hdx_db *db = open_db(f->index);
    hdx_query_opts o = {.level = HDX_AUD_PUBLIC};
    CHECK(hdx_query_parse(db, "syncing", &o, q, E));
    return db;
}

/* syncing_v1's page of results, the query already freed: results may
 * outlive their query. */
static hdx_results *syncing_page(fixture *f, hdx_db **db)
{
    hdx_query *q = NULL;
    *db = syncing_v1(f, &q);
    hdx_results *r = NULL;
    CHECK(hdx_query_run(q, 0, 10, &r, E));
    hdx_query_free(q);
    return r;
}

/* The page's accessors.  Text and Markdown are read from the hdx_db on
 * demand, so the results are freed before it is closed, and then closing
 * warns about nothing. */
static void test_results_accessors(void **state)
{
    fixture *f = *state;
    hdx_db *db = NULL;
    hdx_results *r = syncing_page(f, &db);
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
    assert_hit_reads(r, 0, "Give the folder write access.",
                     "Give the folder *write* access.");
    hdx_results_free(r);
    close_quietly(db, f->dir);
}

/* A page made before the hdx_db moved to a newer revision still reads the
 * text and Markdown of its own revision; a new query sees the new one. */
static void test_results_read_after_reopen(void **state)
{
    fixture *f = *state;
    hdx_query *q = NULL;
    hdx_db *db = syncing_v1(f, &q);
    hdx_results *old = NULL;
    CHECK(hdx_query_run(q, 0, 10, &old, E));
    assert_int_equal(hdx_results_count(old), 1);

    const article_spec v2[] = {{"doc-a.md", accessors_v2}};
    write_articles(f->index, v2, 1);
    bool changed = false;
    CHECK(hdx_db_reopen(db, &changed, E));
    assert_true(changed);
    /* read for the first time after the reopen */
    assert_hit_reads(old, 0, "write access", "*write* access");
    hdx_results *cur = NULL;
    CHECK(hdx_query_run(q, 0, 10, &cur, E));
    assert_int_equal(hdx_results_count(cur), 1);
    assert_hit_reads(cur, 0, "protection", "folder protection");
    hdx_results_free(cur);
    hdx_results_free(old);
    hdx_query_free(q);
    close_quietly(db, f->dir);
}

/* Closing the hdx_db while a page of it is alive is the caller's bug,
 * and hdx_db_close says so.  Run in a child process, which exits without
 * touching the orphaned page (or running the leak check). */
static void test_close_warns_about_live_results(void **state)
{
    fixture *f = *state;
    hdx_db *db = NULL;
    hdx_results *r = syncing_page(f, &db);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char out[256];
        close_capturing(db, f->dir, out, sizeof out);
        _exit(strstr(out, "hdx_db_close with 1 live") ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    /* the parent frees in the right order: no warning */
    hdx_results_free(r);
    close_quietly(db, f->dir);
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
    assert_one_hit(r, "doc-sky", "sky1042");
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
    assert_one_hit(r, "inc-1", "err_sync_stalled");
    hdx_results_free(r);
    hdx_db_close(db);
}


int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_results_accessors),
        T(test_results_read_after_reopen),
        T(test_close_warns_about_live_results),
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
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
