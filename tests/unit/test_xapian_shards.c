/*
 * test_xapian_shards.c - the sharded reader and the split
 * (lib/xapian/shards.cc, split.cc) against real glass databases: shard
 * specs, a split by product and round robin, the sharded reader finding
 * what one index finds (completion from the metadata index), a reopen
 * after a new split, a remote
 * shard that refuses the connection left out and named, strict mode, and
 * the open errors.  The remote backend itself is tested end to end with
 * xapian-tcpsrv in tests/scale/test_shards.py.
 */
#include "xapian_fixture.h"

typedef struct {
    const char *spec;
    bool valid;
} spec_case;

static const spec_case spec_cases[] = {
    {"/srv/index/shard-1", true}, {"shard-2", true},
    {"tcp:127.0.0.1:7001", true}, {"tcp:shard-host.internal:65535", true},
    {"tcp:127.0.0.1:0", false},   {"tcp:127.0.0.1:65536", false},
    {"tcp:127.0.0.1:", false},    {"tcp::7001", false},
    {"tcp:127.0.0.1", false},     {"tcp:127.0.0.1:70x", false},
    {"", false},
};

static void test_shard_spec_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof spec_cases / sizeof spec_cases[0]; i++)
        if (hdx_shard_spec_valid(spec_cases[i].spec) != spec_cases[i].valid)
            fail_msg("spec '%s': expected %s", spec_cases[i].spec,
                     spec_cases[i].valid ? "valid" : "invalid");
}

/* rich_articles split in two: the metadata index, the shards, counts. */
typedef struct {
    char meta[160], shard[2][160];
    unsigned counts[2];
} split_set;

static void split_rich(fixture *f, hdx_split_by by, split_set *out)
{
    write_articles(f->index, rich_articles,
                   sizeof rich_articles / sizeof rich_articles[0]);
    char dir[100]; /* f->dir is under 64 bytes */
    snprintf(dir, sizeof dir, "%s/split", f->dir);
    assert_int_equal(mkdir(dir, 0755), 0);
    CHECK(hdx_split(f->index, dir, by, 2, out->counts, E));
    snprintf(out->meta, sizeof out->meta, "%s/meta", dir);
    for (int i = 0; i < 2; i++)
        snprintf(out->shard[i], sizeof out->shard[i], "%s/shard-%d", dir,
                 i + 1);
}

static hdx_db *open_sharded(const char *meta, const char *const *specs,
                            size_t n, bool strict)
{
    hdx_shard_opts o = {specs, n, 300, strict};
    hdx_db *db = NULL;
    CHECK(hdx_db_open_sharded(meta, &o, &db, E));
    assert_non_null(db);
    return db;
}

static void test_split_by_product_searches_as_one(void **state)
{
    fixture *f = *state;
    split_set t;
    split_rich(f, HDX_SPLIT_PRODUCT, &t);
    /* desktop (3 documents) on one shard, mobile (1) on the other. */
    assert_int_equal(t.counts[0], 3);
    assert_int_equal(t.counts[1], 1);
    const char *specs[] = {t.shard[0], t.shard[1]};
    hdx_db *one = open_db(f->index);
    hdx_db *db = open_sharded(t.meta, specs, 2, false);
    assert_int_equal(hdx_db_n_shards(db), 2);
    assert_int_equal(hdx_db_n_missing(db), 0);
    assert_int_equal(hdx_db_n_shards(one), 0);
    assert_int_equal(db_docs(db), 4);
    assert_int_equal(hdx_db_generation(db), hdx_db_generation(one));
    const char *queries[] = {"password", "password sync", "mobile expired",
                             "ERR_SYNC_STALLED", "pasword"};
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        char a[256], b[256];
        size_t na = search(one, queries[i], HDX_AUD_AGENT, a, sizeof a);
        size_t nb = search(db, queries[i], HDX_AUD_AGENT, b, sizeof b);
        assert_int_equal(na, nb);
        assert_string_equal(a, b);
    }
    /* Completion reads the metadata index's spelling dictionary. */
    words_seen s = {0};
    CHECK(hdx_db_complete(db, "pass", 5, on_word, &s, E));
    assert_true(seen_word(&s, "password"));
    hdx_db_close(db);
    hdx_db_close(one);
}

static void test_split_round_robin(void **state)
{
    fixture *f = *state;
    split_set t;
    split_rich(f, HDX_SPLIT_ROUND, &t);
    assert_int_equal(t.counts[0], 2);
    assert_int_equal(t.counts[1], 2);
    assert_int_equal(search_path(t.meta, "password", HDX_AUD_AGENT, NULL, 0),
                     0); /* the metadata index holds no documents */
}

static void test_reopen_follows_a_new_split(void **state)
{
    fixture *f = *state;
    split_set t;
    split_rich(f, HDX_SPLIT_PRODUCT, &t);
    const char *specs[] = {t.shard[0], t.shard[1]};
    hdx_db *db = open_sharded(t.meta, specs, 2, false);
    unsigned long gen = hdx_db_generation(db);
    const article_spec more[] = {
        {"kb-9.md", "---\nid: kb-9\ntitle: Password manager export\n"
                    "product: web\n---\nExport the vault.\n"}};
    write_articles(f->index, more, 1);
    char dir[100];
    snprintf(dir, sizeof dir, "%s/split", f->dir);
    CHECK(hdx_split(f->index, dir, HDX_SPLIT_PRODUCT, 2, t.counts, E));
    bool changed = false;
    CHECK(hdx_db_reopen(db, &changed, E));
    assert_true(changed);
    assert_int_equal(hdx_db_generation(db), gen + 1);
    assert_int_equal(db_docs(db), 5);
    assert_int_equal(search(db, "vault", HDX_AUD_PUBLIC, NULL, 0), 1);
    CHECK(hdx_db_reopen(db, &changed, E));
    assert_false(changed);
    hdx_db_close(db);
}

static void test_refused_shard_is_left_out(void **state)
{
    fixture *f = *state;
    split_set t;
    split_rich(f, HDX_SPLIT_PRODUCT, &t);
    /* Port 1 on loopback: nothing listens, the connection is refused. */
    const char *specs[] = {t.shard[0], "tcp:127.0.0.1:1"};
    hdx_db *db = open_sharded(t.meta, specs, 2, false);
    assert_int_equal(hdx_db_n_missing(db), 1);
    assert_string_equal(hdx_db_missing(db, 0), "tcp:127.0.0.1:1");
    assert_null(hdx_db_missing(db, 1));
    char ids[256];
    assert_int_equal(search(db, "password", HDX_AUD_PUBLIC, ids, sizeof ids),
                     2); /* the desktop shard's public articles */
    assert_int_equal(hdx_db_n_missing(db), 1);
    hdx_db_close(db);

    /* None answers: no hits, no error. */
    const char *none[] = {"tcp:127.0.0.1:1", "tcp:127.0.0.1:2"};
    db = open_sharded(t.meta, none, 2, false);
    assert_int_equal(hdx_db_n_missing(db), 2);
    assert_int_equal(search(db, "password", HDX_AUD_PUBLIC, NULL, 0), 0);
    assert_int_equal(db_docs(db), 0);
    hdx_db_close(db);

    db = open_sharded(t.meta, specs, 2, true);
    hdx_query_opts o;
    memset(&o, 0, sizeof o);
    hdx_query *q = NULL;
    hdx_error e;
    assert_int_equal(hdx_query_parse(db, "password", &o, &q, &e), HDX_ESHARD);
    assert_null(q);
    assert_non_null(strstr(e.msg, "tcp:127.0.0.1:1"));
    hdx_db_close(db);
}

static void test_open_sharded_errors(void **state)
{
    fixture *f = *state;
    hdx_db *db = NULL;
    hdx_error e;
    const char *bad[] = {"tcp:127.0.0.1:99999"};
    hdx_shard_opts o = {bad, 1, 0, false};
    write_articles(f->index, rich_articles, 1);
    assert_int_equal(hdx_db_open_sharded(f->index, &o, &db, &e), HDX_EINVAL);
    assert_null(db);
    o.n = 0;
    assert_int_equal(hdx_db_open_sharded(f->index, &o, &db, &e), HDX_EINVAL);
    char missing[160];
    snprintf(missing, sizeof missing, "%s/no-such-meta", f->dir);
    const char *ok[] = {f->index};
    hdx_shard_opts o2 = {ok, 1, 0, false};
    assert_int_equal(hdx_db_open_sharded(missing, &o2, &db, &e),
                     HDX_ENOTFOUND);
    assert_null(db);
    assert_int_equal(hdx_split(f->index, f->dir, HDX_SPLIT_PRODUCT, 0, NULL,
                               &e),
                     HDX_EINVAL);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shard_spec_valid),
        T(test_split_by_product_searches_as_one),
        T(test_split_round_robin),
        T(test_reopen_follows_a_new_split),
        T(test_refused_shard_is_left_out),
        T(test_open_sharded_errors),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
