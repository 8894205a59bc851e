/*
 * test_access_log.c - access log lines and request ids
 * (server/access_log.c): ids are validated and made fresh, the JSON line
 * parses and has its fields, no path for non-public routes, and no
 * request byte can break or forge a line in either format.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "access_log.h"

static void test_access_log_request_id_valid(void **state)
{
    (void)state;
    char long_ok[65], too_long[66];
    memset(long_ok, 'a', 64);
    long_ok[64] = '\0';
    memset(too_long, 'a', 65);
    too_long[65] = '\0';
    assert_true(request_id_valid("abc-123"));
    assert_true(request_id_valid("A.b_C-9"));
    assert_true(request_id_valid(long_ok));
    assert_false(request_id_valid(too_long));
    assert_false(request_id_valid(""));
    assert_false(request_id_valid(NULL));
    assert_false(request_id_valid("a b"));
    assert_false(request_id_valid("a\nb"));
    assert_false(request_id_valid("a\"b"));
    assert_false(request_id_valid("caf\xc3\xa9"));
}

static void test_access_log_request_id_new(void **state)
{
    (void)state;
    char a[33], b[33];
    request_id_new(a);
    request_id_new(b);
    assert_int_equal(strlen(a), 32);
    assert_int_equal(strspn(a, "0123456789abcdef"), 32);
    assert_string_not_equal(a, b);
    access_rec r;
    memset(&r, 0, sizeof r);
    access_rec_start(&r, "given-id.1");
    assert_string_equal(r.id, "given-id.1");
    access_rec_start(&r, "bad id");
    assert_int_equal(strlen(r.id), 32);
}

static void test_access_log_time(void **state)
{
    (void)state;
    struct timespec ts = {1796133714, 678901234};
    char out[32];
    access_log_time(&ts, out);
    assert_string_equal(out, "2026-12-01T14:01:54.678Z");
}

static json_t *line_json(const request *r, const access_rec *a)
{
    char *line = access_log_line(ACCESS_LOG_JSON, r, a, 1.2345);
    assert_non_null(line);
    size_t n = strlen(line);
    assert_true(n > 1 && line[n - 1] == '\n');
    assert_null(memchr(line, '\n', n - 1));
    json_error_t e;
    json_t *j = json_loads(line, 0, &e);
    assert_non_null(j);
    free(line);
    return j;
}

static void test_access_log_json_fields(void **state)
{
    (void)state;
    request r;
    request_init(&r, "GET", "/a/x\n\"}{\xff", 0);
    r.status = 200;
    r.caller = "eng";
    access_rec a;
    memset(&a, 0, sizeof a);
    access_rec_start(&a, "rid-1");
    strcpy(a.client, "203.0.113.5");
    a.route = "page-article";
    a.route_public = true;
    a.cache_hit = true;
    a.bytes = 512;
    json_t *j = line_json(&r, &a);
    assert_string_equal(json_string_value(json_object_get(j, "id")), "rid-1");
    assert_string_equal(json_string_value(json_object_get(j, "method")),
                        "GET");
    assert_string_equal(json_string_value(json_object_get(j, "route")),
                        "page-article");
    assert_string_equal(json_string_value(json_object_get(j, "path")),
                        "/a/x?\"}{?");
    assert_int_equal(json_integer_value(json_object_get(j, "status")), 200);
    assert_int_equal(json_integer_value(json_object_get(j, "bytes")), 512);
    assert_true(json_real_value(json_object_get(j, "ms")) == 1.234);
    assert_true(json_is_true(json_object_get(j, "cache_hit")));
    assert_string_equal(json_string_value(json_object_get(j, "client")),
                        "203.0.113.5");
    assert_string_equal(json_string_value(json_object_get(j, "caller")),
                        "eng");
    assert_int_equal(strlen(json_string_value(json_object_get(j, "ts"))), 24);
    json_decref(j);
    /* An agent or internal route: its name, never its path. */
    a.route = "incident";
    a.route_public = false;
    j = line_json(&r, &a);
    assert_null(json_object_get(j, "path"));
    json_decref(j);
    request_clear(&r);
}

static void test_access_log_text_cannot_be_forged(void **state)
{
    (void)state;
    request r;
    request_init(&r, "GET\r", "/x\nGET /forged 200", 0);
    r.status = 404;
    access_rec a;
    memset(&a, 0, sizeof a);
    strcpy(a.id, "rid");
    strcpy(a.client, "127.0.0.1");
    char *line = access_log_line(ACCESS_LOG_TEXT, &r, &a, 0.5);
    assert_string_equal(line, "GET? /x?GET /forged 200 404 0.50ms "
                              "client=127.0.0.1 id=rid\n");
    free(line);
    assert_null(access_log_line(ACCESS_LOG_OFF, &r, &a, 0.5));
    request_clear(&r);
}

static void test_access_log_format_parse(void **state)
{
    (void)state;
    access_log_format f;
    assert_true(access_log_format_parse("json", &f));
    assert_int_equal(f, ACCESS_LOG_JSON);
    assert_true(access_log_format_parse("text", &f));
    assert_int_equal(f, ACCESS_LOG_TEXT);
    assert_false(access_log_format_parse("JSON", &f));
    assert_false(access_log_format_parse("combined", &f));
    assert_false(access_log_format_parse(NULL, &f));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_access_log_request_id_valid),
        cmocka_unit_test(test_access_log_request_id_new),
        cmocka_unit_test(test_access_log_time),
        cmocka_unit_test(test_access_log_json_fields),
        cmocka_unit_test(test_access_log_text_cannot_be_forged),
        cmocka_unit_test(test_access_log_format_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
