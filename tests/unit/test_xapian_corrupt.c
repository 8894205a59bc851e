/*
 * test_xapian_corrupt.c - damaged indexes: truncated or overwritten
 * postlist.glass, before opening and under an open reader, must give a
 * database status (HDX_EDB_CORRUPT, HDX_EDB or HDX_EDB_OPEN), never a
 * crash (notmuch T560-lib-error.sh).
 */
#include "xapian_fixture.h"

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


int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_corrupt_index_reports_error),
        T(test_corrupt_under_open_reader),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
