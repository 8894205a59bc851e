/*
 * test_recorder.c - the analytics writing side (analytics/): the
 * recorder's bounded queue drops and counts instead of blocking, stop
 * writes what is queued, rows hold what was submitted (NULLs where a
 * column does not apply), retention deletes old rows and keeps new
 * ones, session ids have their form, and queries are normalised with
 * the index's folding.  A real SQLite file in a mkdtemp folder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analytics/normalise.h"
#include "analytics/recorder.h"
#include "analytics/retention.h"
#include "analytics/schema.h"
#include "analytics/session_id.h"

#include "hdx/alloc.h"

typedef struct fixture {
    char dir[64];
    char path[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/hdx-recorder-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/a.sqlite", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static long long scalar(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(analytics_open(path, false, &db, NULL), HDX_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void search_event(analytics_event *ev, const char *q)
{
    analytics_event_init(ev, "search");
    memcpy(ev->session, "0123456789abcdef0123456789abcdef", 33);
    ev->audience = "public";
    ev->source = "api";
    ev->query = hdx_xstrdup(q);
    ev->results = 3;
    ev->relaxed = 0;
    ev->corrected = 1;
}

/* A writer that never wakes by itself (batch > queue, a minute's flush):
 * the queue fills, the rest is dropped and counted, stop writes it all. */
static void test_recorder_full_queue_drops_and_stop_flushes(void **state)
{
    fixture *f = *state;
    recorder_config cfg = {f->path, 90, 8, 100, 60000};
    recorder_stats before, after;
    recorder_stats_get(&before);
    assert_int_equal(recorder_start(&cfg, NULL), HDX_OK);
    assert_true(recorder_running());
    int queued = 0;
    for (int i = 0; i < 13; i++) {
        analytics_event ev;
        search_event(&ev, "reset password");
        queued += recorder_submit(&ev);
        assert_null(ev.query); /* taken either way */
    }
    assert_int_equal(queued, 8);
    recorder_stats_get(&after);
    assert_int_equal(after.dropped - before.dropped, 5);
    assert_int_equal(after.queued, 8);
    recorder_stop();
    assert_false(recorder_running());
    recorder_stats_get(&after);
    assert_int_equal(after.recorded - before.recorded, 8);
    assert_int_equal(scalar(f->path, "SELECT count(*) FROM events"), 8);
    assert_int_equal(scalar(f->path, "SELECT count(*) FROM events WHERE "
                                     "query='reset password' AND results=3 "
                                     "AND relaxed=0 AND corrected=1 AND "
                                     "article IS NULL AND position IS NULL "
                                     "AND helpful IS NULL AND ts > 0"),
                     8);
}

/* Without a recorder nothing is queued and nothing counted as dropped. */
static void test_recorder_off_submits_nothing(void **state)
{
    (void)state;
    recorder_stats before, after;
    recorder_stats_get(&before);
    analytics_event ev;
    search_event(&ev, "q");
    assert_false(recorder_submit(&ev));
    recorder_stats_get(&after);
    assert_int_equal(after.dropped, before.dropped);
}

/* A full batch wakes the writer long before the flush interval. */
static void test_recorder_writes_a_batch_without_stop(void **state)
{
    fixture *f = *state;
    recorder_config cfg = {f->path, 90, 100, 4, 60000};
    assert_int_equal(recorder_start(&cfg, NULL), HDX_OK);
    for (int i = 0; i < 4; i++) {
        analytics_event ev;
        search_event(&ev, "batch");
        assert_true(recorder_submit(&ev));
    }
    long long n = 0;
    for (int tries = 0; tries < 500 && n < 4; tries++) {
        usleep(10000);
        n = scalar(f->path, "SELECT count(*) FROM events");
    }
    assert_int_equal(n, 4);
    recorder_stop();
}

/* An event without a session gets the keyed id of its address and user
 * agent from the writer; neither is written. */
static void test_recorder_keys_the_session_of_an_anonymous_event(void **state)
{
    fixture *f = *state;
    recorder_config cfg = {f->path, 90, 0, 0, 0};
    assert_int_equal(recorder_start(&cfg, NULL), HDX_OK);
    analytics_event ev;
    search_event(&ev, "keyed");
    ev.session[0] = '\0';
    ev.client = hdx_xstrdup("198.51.100.7");
    ev.agent = hdx_xstrdup("ProbeAgent/1.0");
    time_t now = time(NULL);
    assert_true(recorder_submit(&ev));
    assert_null(ev.client);
    recorder_stop();
    char want[33], want_next[33];
    session_id_keyed("198.51.100.7", "ProbeAgent/1.0", now, want);
    session_id_keyed("198.51.100.7", "ProbeAgent/1.0", now + 1, want_next);
    sqlite3 *db;
    assert_int_equal(analytics_open(f->path, false, &db, NULL), HDX_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT session FROM events",
                                        -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *got = (const char *)sqlite3_column_text(st, 0);
    /* the same id (or the next second's, across a UTC midnight) */
    assert_true(!strcmp(got, want) || !strcmp(got, want_next));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void insert_at(sqlite3 *db, long long ts)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO events(ts, session, audience, kind, source) "
             "VALUES(%lld, '0123456789abcdef0123456789abcdef', 'public', "
             "'view', 'web')", ts);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

static void test_retention_deletes_only_old_rows(void **state)
{
    fixture *f = *state;
    sqlite3 *db;
    assert_int_equal(analytics_open(f->path, true, &db, NULL), HDX_OK);
    time_t now = 1800000000;
    insert_at(db, now - 91LL * 86400);
    insert_at(db, now - 90LL * 86400 - 1);
    insert_at(db, now - 90LL * 86400);
    insert_at(db, now - 3600);
    long long deleted;
    assert_int_equal(analytics_retention_run(db, 90, now, &deleted, NULL),
                     HDX_OK);
    assert_int_equal(deleted, 2);
    sqlite3_close(db);
    assert_int_equal(scalar(f->path, "SELECT count(*) FROM events"), 2);
    assert_int_equal(scalar(f->path, "SELECT min(ts) FROM events"),
                     now - 90LL * 86400);
}

static void test_session_ids(void **state)
{
    (void)state;
    char a[33], b[33], k1[33], k2[33], k3[33], k4[33];
    session_id_random(a);
    session_id_random(b);
    assert_true(session_id_valid(a));
    assert_string_not_equal(a, b);
    time_t day = 1800000000 - 1800000000 % 86400;
    session_id_keyed("203.0.113.9", "Mozilla/5.0", day + 10, k1);
    session_id_keyed("203.0.113.9", "Mozilla/5.0", day + 80000, k2);
    session_id_keyed("203.0.113.10", "Mozilla/5.0", day + 10, k3);
    assert_true(session_id_valid(k1));
    assert_string_equal(k1, k2);     /* same visitor, same day */
    assert_string_not_equal(k1, k3); /* another address */
    session_id_keyed("203.0.113.9", "Mozilla/5.0", day + 86400, k4);
    assert_string_not_equal(k1, k4); /* the next day: a new secret */
    assert_null(strstr(k1, "203"));
    static const char *const bad[] = {
        NULL, "", "0123456789abcdef0123456789abcde",
        "0123456789abcdef0123456789abcdef0", "0123456789ABCDEF0123456789abcdef",
        "0123456789abcdef0123456789abcdeg"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(session_id_valid(bad[i]));
}

static void test_normalise_query(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"Reset  Password ", "reset password"},
        {"  \tWON'T\nsync  ", "wont sync"},
        {"Caf\xc3\xa9", "cafe"},    /* marks stripped, as the index does */
        {"cafe\xcc\x81", "cafe"},
        {"", ""},
        {NULL, ""},
        {"bad \xff utf8", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = analytics_normalise_query(cases[i].in);
        assert_string_equal(got, cases[i].out);
        free(got);
    }
    char *longq = malloc(2001);
    memset(longq, 'a', 2000);
    longq[2000] = '\0';
    char *got = analytics_normalise_query(longq);
    assert_int_equal(strlen(got), ANALYTICS_MAX_QUERY);
    free(got);
    free(longq);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_recorder_full_queue_drops_and_stop_flushes, setup, teardown),
        cmocka_unit_test(test_recorder_off_submits_nothing),
        cmocka_unit_test_setup_teardown(
            test_recorder_writes_a_batch_without_stop, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_recorder_keys_the_session_of_an_anonymous_event, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_retention_deletes_only_old_rows,
                                        setup, teardown),
        cmocka_unit_test(test_session_ids),
        cmocka_unit_test(test_normalise_query),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
