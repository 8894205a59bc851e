/*
 * test_report.c - the report's definitions at their edges
 * (analytics/report.h): the 30-minute click window, clicks after the next
 * search, typeahead, deflection and escalation order, sessions across
 * midnight, audiences, undefined rates, the gap clusters, dates.  Each
 * case writes a few events into a real store in a mkdtemp folder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analytics/report.h"
#include "analytics/schema.h"

#define D0 1793577600LL /* Monday 2026-11-02 00:00 UTC */
#define T (D0 + 3600)

typedef struct fixture {
    char dir[64], path[96];
    sqlite3 *db;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/hdx-report-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/a.sqlite", f->dir);
    if (analytics_open(f->path, true, &f->db, NULL) != HDX_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sqlite3_close(f->db);
    char p[128];
    const char *const suffix[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* kind source query results(-1: NULL) typeahead article position(-1). */
static void ev(fixture *f, long long ts, const char *session,
               const char *audience, const char *kind, const char *source,
               const char *query, int results, int typeahead, int position)
{
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(f->db,
                           "INSERT INTO events(ts, session, audience, kind,"
                           " source, query, results, typeahead, article,"
                           " position) VALUES(?,?,?,?,?,?,?,?,?,?)",
                           -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_int64(st, 1, ts);
    sqlite3_bind_text(st, 2, session, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, audience, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, source, -1, SQLITE_STATIC);
    if (query)
        sqlite3_bind_text(st, 6, query, -1, SQLITE_STATIC);
    if (results >= 0)
        sqlite3_bind_int(st, 7, results);
    sqlite3_bind_int(st, 8, typeahead);
    if (!strcmp(kind, "click") || !strcmp(kind, "view"))
        sqlite3_bind_text(st, 9, "reset-password", -1, SQLITE_STATIC);
    if (position >= 0)
        sqlite3_bind_int(st, 10, position);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

#define PUB(ts, s, kind, src, q, res, ta, pos)                              \
    ev(f, ts, s, "public", kind, src, q, res, ta, pos)

static void write_sessions(fixture *f)
{
    PUB(T, "sA", "search", "web", "reset password", 3, 0, -1);
    PUB(T + 1800, "sA", "click", "web", NULL, -1, 0, 2); /* just in time */
    PUB(T, "sB", "search", "web", "0x80070005 error", 3, 0, -1);
    PUB(T + 1801, "sB", "click", "web", NULL, -1, 0, 1); /* too late */
    PUB(T, "sC", "search", "web", "sync stuck", 3, 0, -1);
    PUB(T + 10, "sC", "search", "web", "sync stuck windows", 3, 0, -1);
    PUB(T + 20, "sC", "click", "web", NULL, -1, 0, 1); /* the second's */
    PUB(T, "sD", "search", "web", "two factor", 2, 0, -1);
    PUB(T + 5, "sD", "search", "web", "two f", 4, 1, -1); /* typeahead */
    PUB(T + 10, "sD", "click", "web", NULL, -1, 0, 1);
    PUB(T, "sE", "search", "web", "Refunds for orders", 0, 0, -1);
    PUB(T + 100, "sL", "search", "web", "refund order", 0, 0, -1);
    PUB(T, "sF", "contact_open", "contact", NULL, -1, 0, -1);
    PUB(T + 5, "sF", "click", "contact", NULL, -1, 0, 1); /* deflected */
    PUB(T, "sG", "contact_open", "contact", NULL, -1, 0, -1);
    PUB(T + 5, "sG", "click", "contact", NULL, -1, 0, 1);
    PUB(T + 9, "sG", "escalation", "contact", NULL, -1, 0, -1);
    PUB(T, "sH", "click", "contact", NULL, -1, 0, 1); /* no form opened */
    PUB(T, "sI", "contact_open", "contact", NULL, -1, 0, -1);
    PUB(T + 5, "sI", "click", "contact", NULL, -1, 0, 1);
    PUB(T + 9, "sI", "escalation", "contact", NULL, -1, 0, -1);
    PUB(T + 20, "sI", "click", "contact", NULL, -1, 0, 1); /* read after */
    PUB(D0 + 86399, "sJ", "view", "web", NULL, -1, 0, -1);
    PUB(D0 + 86410, "sJ", "view", "web", NULL, -1, 0, -1); /* next day */
    ev(f, T, "sK", "agent", "search", "api", "agent words", 0, 0, -1);
}

static report *fill(fixture *f, const char *audience)
{
    report_params p = {.from = D0, .to = D0 + 2 * REPORT_DAY_SECONDS,
                       .audience = audience};
    report *r = NULL;
    hdx_error err;
    assert_int_equal(report_fill(f->db, &p, &r, &err), HDX_OK);
    return r;
}

static void test_report_kpis(void **state)
{
    fixture *f = *state;
    write_sessions(f);
    report *r = fill(f, "public");
    const report_kpis *k = &r->total;
    assert_int_equal(k->sessions, 11);
    assert_int_equal(k->searches, 7);
    assert_int_equal(k->zero, 2);
    assert_int_equal(k->with_results, 5);
    assert_int_equal(k->clicked, 3); /* A, C's second, D */
    assert_int_equal(k->clicks, 9);
    assert_int_equal(k->pos_sum, 10);
    assert_int_equal(k->active, 7);
    assert_int_equal(k->succeeded, 7);
    assert_int_equal(k->escalated, 2);
    assert_int_equal(k->contact, 3);
    assert_int_equal(k->deflected, 2); /* F, and I read one at the end */
    assert_true(fabs(report_avg_position(k) - 10.0 / 9) < 1e-9);
    assert_true(fabs(report_no_click_rate(k) - 2.0 / 5) < 1e-9);
    assert_int_equal(r->n_series, 2);
    assert_int_equal(r->series[0].sessions, 11); /* J starts on day 0 */
    assert_int_equal(r->series[1].sessions, 0);
    assert_true(isnan(report_zero_rate(&r->series[1])));
    report_free(r);
    r = fill(f, NULL);
    assert_int_equal(r->total.sessions, 12);
    assert_int_equal(r->total.searches, 8);
    report_free(r);
}

static void test_report_gaps(void **state)
{
    fixture *f = *state;
    write_sessions(f);
    report *r = fill(f, "public");
    assert_int_equal(r->n_gaps, 3);
    assert_string_equal(r->gaps[0].key, "order refund");
    assert_int_equal(r->gaps[0].sessions, 2);
    assert_int_equal(r->gaps[0].zero, 2);
    assert_int_equal(r->gaps[0].n_forms, 2);
    assert_string_equal(r->gaps[1].key, "id:0x80070005");
    assert_int_equal(r->gaps[1].no_click, 1);
    assert_string_equal(r->gaps[2].key, "stuck sync");
    assert_string_equal(r->gaps[2].example, "sync stuck");
    for (size_t i = 0; i < r->n_gaps; i++)
        assert_null(strstr(r->gaps[i].example, "agent"));
    report_free(r);
}

static void test_report_dates(void **state)
{
    (void)state;
    long long t;
    assert_true(report_parse_day("2026-11-02", &t) && t == D0);
    assert_true(report_parse_day("2028-02-29", &t));
    assert_false(report_parse_day("2026-02-29", &t));
    assert_false(report_parse_day("2026-1-01", &t));
    assert_false(report_parse_day("2026-01-01x", &t));
    assert_false(report_parse_day("2026-13-01", &t));
    assert_false(report_parse_day(NULL, &t));
    report_params p = {0};
    hdx_error err;
    assert_int_equal(report_period("2026-11-02", "2026-11-08", &p, &err),
                     HDX_OK);
    assert_true(p.from == D0 && p.to == D0 + 7 * REPORT_DAY_SECONDS);
    assert_int_equal(report_period("2026-11-09", "2026-11-08", &p, &err),
                     HDX_EINVAL);
    assert_non_null(strstr(err.msg, "from"));
    assert_int_equal(report_period("2026-11-09", "nope", &p, &err),
                     HDX_EINVAL);
    assert_non_null(strstr(err.msg, "to:"));
    char d[11];
    report_day_str(D0 + 86399, d);
    assert_string_equal(d, "2026-11-02");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_report_kpis, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_gaps, setup, teardown),
        cmocka_unit_test(test_report_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
