/*
 * test_status.c - the status table (server/status.c): every hdx_status
 * has an HTTP code, a code word and a public message, and reply_status()
 * renders it as the API's JSON error without leaking internals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "status.h"

typedef struct status_case {
    hdx_status st;
    int http;
    const char *code;
    bool retry;
} status_case;

/* One row per status: adding a status without a row fails here. */
static const status_case k_cases[] = {
    {HDX_ENOMEM, 500, "internal", false},
    {HDX_EINVAL, 400, "bad_query", false},
    {HDX_ENOTFOUND, 404, "not_found", false},
    {HDX_EDB_OPEN, 500, "internal", false},
    {HDX_EDB_LOCKED, 503, "busy", true},
    {HDX_EDB_CORRUPT, 500, "internal", false},
    {HDX_EDB_MODIFIED, 503, "busy", true},
    {HDX_EDB, 500, "internal", false},
    {HDX_EQUERY, 400, "bad_query", false},
    {HDX_EIO, 500, "internal", false},
    {HDX_EPARSE, 500, "internal", false},
    {HDX_EINTERNAL, 500, "internal", false},
    {HDX_ESCHEMA, 503, "unavailable", false},
    {HDX_ESHARD, 503, "unavailable", true},
};

static void test_status_every_status_has_a_row(void **state)
{
    (void)state;
    assert_int_equal(sizeof k_cases / sizeof k_cases[0],
                     HDX_STATUS_COUNT - 1);
    assert_int_equal(status_info_of(HDX_OK)->http, 200);
    for (int st = 1; st < HDX_STATUS_COUNT; st++) {
        const status_info *s = status_info_of((hdx_status)st);
        assert_non_null(s->code);
        assert_non_null(s->heading);
        assert_non_null(s->text);
        assert_true(s->http >= 400 && s->http <= 599);
    }
}

static void test_status_reply_for_every_status(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof k_cases / sizeof k_cases[0]; i++) {
        const status_case *c = &k_cases[i];
        hdx_error err;
        hdx_error_set(&err, c->st, "hdx_secret_fn", "secret /var/lib/x");
        reply rep = {0};
        reply_status(&rep, c->st, &err);
        assert_int_equal(rep.status, c->http);
        json_error_t e;
        json_t *j = json_loads(rep.body, 0, &e);
        json_t *o = json_object_get(j, "error");
        assert_string_equal(json_string_value(json_object_get(o, "code")),
                            c->code);
        const char *msg = json_string_value(json_object_get(o, "message"));
        assert_non_null(msg);
        /* Only a bad query's own message is public. */
        bool public_msg = c->st == HDX_EQUERY || c->st == HDX_EINVAL;
        assert_int_equal(strstr(msg, "secret") != NULL, public_msg);
        assert_null(strstr(rep.body, "hdx_secret_fn"));
        assert_int_equal(reply_header_get(&rep, "Retry-After") != NULL,
                         c->retry);
        json_decref(j);
        reply_clear(&rep);
    }
}

static void test_status_ok_leaves_reply_alone(void **state)
{
    (void)state;
    reply rep = {0};
    reply_status(&rep, HDX_OK, NULL);
    assert_null(rep.body);
    assert_int_equal(rep.n_hdr, 0);
}

static void test_status_out_of_range_is_internal(void **state)
{
    (void)state;
    const status_info *s = status_info_of((hdx_status)999);
    assert_int_equal(s->http, 500);
    assert_string_equal(s->code, "internal");
    assert_string_equal(status_message(HDX_EQUERY, NULL), "bad query");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_every_status_has_a_row),
        cmocka_unit_test(test_status_reply_for_every_status),
        cmocka_unit_test(test_status_ok_leaves_reply_alone),
        cmocka_unit_test(test_status_out_of_range_is_internal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
