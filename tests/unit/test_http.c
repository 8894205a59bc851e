/*
 * test_http.c - requests and replies (server/http.c) and the JSON writer
 * (server/json_out.c): argument lookup and parsing (ints, bools, bounds,
 * messages naming the parameter), headers, unlimited reply headers, and
 * output byte-identical to jansson's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "http.h"
#include "json_out.h"

static request make(const char *const *kv, size_t n)
{
    request r;
    request_init(&r, "GET", "/api/search", 0);
    for (size_t i = 0; i + 1 < n; i += 2)
        request_add_arg(&r, kv[i], kv[i + 1]);
    return r;
}

/* The error message of a reply (static copy). */
static const char *message(const reply *rep)
{
    static char out[512];
    json_error_t e;
    json_t *j = json_loads(rep->body, 0, &e);
    const char *m = json_string_value(
        json_object_get(json_object_get(j, "error"), "message"));
    snprintf(out, sizeof out, "%s", m ? m : "");
    json_decref(j);
    return out;
}

static void test_http_arg_first_match_and_null_value(void **state)
{
    (void)state;
    const char *kv[] = {"q", "one", "q", "two", "flag", NULL, "e", ""};
    request r = make(kv, 8);
    assert_string_equal(http_arg(&r, "q"), "one");
    assert_null(http_arg(&r, "flag"));
    assert_string_equal(http_arg(&r, "e"), "");
    assert_null(http_arg(&r, "Queue"));
    assert_null(http_arg(&r, "missing"));
    request_clear(&r);
}

static void test_http_many_args_and_headers(void **state)
{
    (void)state;
    request r;
    request_init(&r, "POST", "/x", 0);
    char names[100][16];
    for (int i = 0; i < 100; i++) {
        snprintf(names[i], sizeof names[i], "key%d", i);
        request_add_arg(&r, names[i], names[i]);
        request_add_header(&r, names[i], names[i]);
    }
    assert_int_equal(r.n_args, 100);
    assert_string_equal(http_arg(&r, "key99"), "key99");
    assert_string_equal(http_header(&r, "KEY57"), "key57");
    request_clear(&r);
}

static void test_http_header_case_insensitive(void **state)
{
    (void)state;
    request r;
    request_init(&r, "HEAD", "/", 0);
    request_add_header(&r, "Content-Type", "application/json");
    assert_string_equal(http_header(&r, "content-type"), "application/json");
    assert_null(http_header(&r, "Authorization"));
    assert_true(http_is_get(&r));
    request_clear(&r);
}

typedef struct int_case {
    const char *value; /* NULL: absent */
    bool ok;
    long want;
} int_case;

static const int_case k_ints[] = {
    {NULL, true, 10}, {"", true, 10},     {"1", true, 1},
    {"50", true, 50}, {"0", false, 0},    {"51", false, 0},
    {"-1", false, 0}, {"abc", false, 0},  {"5x", false, 0},
    {" 5", true, 5},  {"99999999999999999999", false, 0},
};

static void test_http_int_arg_bounds_and_message(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof k_ints / sizeof k_ints[0]; i++) {
        const char *kv[] = {"per_page", k_ints[i].value};
        request r = make(kv, k_ints[i].value ? 2 : 0);
        reply rep = {0};
        long out = -7;
        bool ok = http_int_arg(&r, &rep, "per_page", 1, 50, 10, &out);
        assert_int_equal(ok, k_ints[i].ok);
        if (ok) {
            assert_int_equal(out, k_ints[i].want);
            assert_null(rep.body);
        } else {
            assert_int_equal(rep.status, 400);
            assert_non_null(strstr(rep.body, "\"bad_parameter\""));
            assert_string_equal(
                message(&rep),
                "parameter 'per_page' must be a whole number from 1 to 50");
        }
        reply_clear(&rep);
        request_clear(&r);
    }
}

typedef struct bool_case {
    const char *value;
    bool ok, want;
} bool_case;

static const bool_case k_bools[] = {
    {NULL, true, true},    {"", true, true},       {"1", true, true},
    {"true", true, true},  {"0", true, false},     {"false", true, false},
    {"yes", false, false}, {"TRUE", false, false}, {"2", false, false},
};

static void test_http_bool_arg(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof k_bools / sizeof k_bools[0]; i++) {
        const char *kv[] = {"facets", k_bools[i].value};
        request r = make(kv, k_bools[i].value ? 2 : 0);
        reply rep = {0};
        bool out = false;
        bool ok = http_bool_arg(&r, &rep, "facets", true, &out);
        assert_int_equal(ok, k_bools[i].ok);
        if (ok)
            assert_int_equal(out, k_bools[i].want);
        else
            assert_string_equal(message(&rep),
                                "parameter 'facets' must be 0 or 1");
        reply_clear(&rep);
        request_clear(&r);
    }
}

static void test_http_reply_headers_unlimited(void **state)
{
    (void)state;
    reply rep = {0};
    static const char *const names[] = {
        "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot",
        "Golf",  "Hotel", "India",   "Juliet", "Kilo", "Lima"};
    char v[16];
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < 12; i++) {
            snprintf(v, sizeof v, "%d-%zu", round, i);
            reply_header(&rep, names[i], v);
        }
    assert_int_equal(rep.n_hdr, 36);
    assert_string_equal(rep.hdr[35].name, "Lima");
    assert_string_equal(rep.hdr[35].value, "2-11");
    assert_string_equal(reply_header_get(&rep, "golf"), "0-6");
    assert_null(reply_header_get(&rep, "Zulu"));
    reply_clear(&rep);
    assert_int_equal(rep.n_hdr, 0);
}

static void test_http_reply_error_escapes(void **state)
{
    (void)state;
    reply rep = {0};
    reply_error(&rep, 400, "bad_parameter", "bad \"%s\"", "<x>\n");
    assert_int_equal(rep.status, 400);
    assert_string_equal(rep.content_type, "application/json; charset=utf-8");
    assert_string_equal(rep.body, "{\"error\":{\"code\":\"bad_parameter\","
                                  "\"message\":\"bad \\\"<x>\\n\\\"\"}}");
    reply_clear(&rep);
}

/* Strings that exercise every escaping rule. */
static const char *const k_strings[] = {
    "",
    "plain ascii",
    "quote \" backslash \\ slash /",
    "\b\f\n\r\t\x01\x1f\x7f",
    "caf\xc3\xa9 \xe2\x80\x9c\xe2\x80\x9d \xe2\x80\xa6",
    "\xf0\x9f\x98\x80 astral",
    "\xef\xbb\xbf bom and \xef\xbf\xbf",
    "<mark>reset</mark> &amp;",
};

static void test_json_out_matches_jansson(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof k_strings / sizeof k_strings[0]; i++) {
        json_t *s = json_string(k_strings[i]);
        assert_non_null(s);
        char *want = json_dumps(s, JOUT_FLAGS | JSON_ENCODE_ANY);
        hdx_buf b;
        hdx_buf_init(&b);
        jout_str(&b, k_strings[i]);
        assert_string_equal(b.data, want);
        hdx_buf_reset(&b);
        jout_value(&b, s);
        assert_string_equal(b.data, want);
        hdx_buf_clear(&b);
        free(want);
        json_decref(s);
    }
}

static void test_json_out_invalid_utf8_and_null(void **state)
{
    (void)state;
    hdx_buf b;
    hdx_buf_init(&b);
    jout_strn(&b, "a\xff" "b\xc3", 4);
    assert_string_equal(b.data, "\"a\\uFFFDb\\uFFFD\"");
    hdx_buf_reset(&b);
    jout_str(&b, NULL);
    jout_value(&b, NULL);
    assert_string_equal(b.data, "nullnull");
    hdx_buf_clear(&b);
}

static void test_json_out_reals_match_jansson(void **state)
{
    (void)state;
    static const double reals[] = {0, 1, 0.5, 1.234, 12.345, 1e-7, 1e21,
                                   123456.789, 4.2};
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++) {
        json_t *v = json_real(reals[i]);
        char *want = json_dumps(v, JOUT_FLAGS | JSON_ENCODE_ANY);
        hdx_buf b;
        hdx_buf_init(&b);
        jout_real(&b, reals[i]);
        assert_string_equal(b.data, want);
        hdx_buf_clear(&b);
        free(want);
        json_decref(v);
    }
}

/* Stored headers as the indexer writes them (compact, raw UTF-8). */
static const char *const k_headers[] = {
    "{\"id\":\"reset-password\",\"title\":\"Reset your password\","
    "\"tags\":[\"account\",\"caf\xc3\xa9\"],\"product\":null,"
    "\"draft\":true,\"n\":-12,\"kb\":[{\"a\":[1,2]}]}",
    "{\"id\":\"x\",\"summary\":\"quote \\\" tab \\t ctl \\u001F "
    "\xe2\x80\x9c\xf0\x9f\x98\x80\xe2\x80\x9d\"}",
    "{}",
    "{ \"id\" : \"spaced\" , \"tags\" : [ \"a\" , \"b\" ] }",
};

static void test_jraw_splice_matches_jansson(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof k_headers / sizeof k_headers[0]; i++) {
        json_error_t e;
        json_t *obj = json_loads(k_headers[i], 0, &e);
        assert_non_null(obj);
        jraw o;
        assert_true(jraw_parse(k_headers[i], strlen(k_headers[i]), &o));
        assert_int_equal(o.n, json_object_size(obj));
        const char *key;
        json_t *v;
        json_object_foreach(obj, key, v)
        {
            size_t n;
            const char *raw = jraw_find(&o, key, &n);
            assert_non_null(raw);
            char *want = json_dumps(v, JOUT_FLAGS | JSON_ENCODE_ANY);
            hdx_buf b;
            hdx_buf_init(&b);
            assert_true(jout_raw(&b, raw, n));
            assert_string_equal(b.data, want);
            hdx_buf_clear(&b);
            free(want);
        }
        json_decref(obj);
    }
}

static void test_jraw_refuses_what_it_cannot_copy(void **state)
{
    (void)state;
    static const char *const bad_objects[] = {"", "[]", "{\"a\"}",
                                              "{\"a\":}", "{\"a\":\"x}",
                                              "{\"a\":1,}"};
    jraw o;
    for (size_t i = 0; i < sizeof bad_objects / sizeof bad_objects[0]; i++)
        assert_false(jraw_parse(bad_objects[i], strlen(bad_objects[i]), &o));
    /* Reals, non-jansson escapes and bad UTF-8 are left to jansson. */
    static const char *const bad_values[] = {"1.5", "2e3", "\"\\u00e9\"",
                                             "\"a\\/b\"", "\"\xff\""};
    for (size_t i = 0; i < sizeof bad_values / sizeof bad_values[0]; i++) {
        hdx_buf b;
        hdx_buf_init(&b);
        assert_false(jout_raw(&b, bad_values[i], strlen(bad_values[i])));
        hdx_buf_clear(&b);
    }
    const char *s;
    size_t n;
    assert_true(jraw_plain_string("\"abc\"", 5, &s, &n));
    assert_int_equal(n, 3);
    assert_false(jraw_plain_string("\"a\\nb\"", 6, &s, &n));
    assert_false(jraw_plain_string("12", 2, &s, &n));
}

static void test_http_took_ms_is_a_real(void **state)
{
    (void)state;
    hdx_buf b;
    hdx_buf_init(&b);
    size_t n = http_took_ms(&b, http_now_ms() - 2.5);
    assert_int_equal(n, b.len);
    double v = strtod(b.data, NULL);
    assert_true(v >= 2.5 && v < 1000);
    assert_non_null(strchr(b.data, '.'));
    hdx_buf_clear(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http_arg_first_match_and_null_value),
        cmocka_unit_test(test_http_many_args_and_headers),
        cmocka_unit_test(test_http_header_case_insensitive),
        cmocka_unit_test(test_http_int_arg_bounds_and_message),
        cmocka_unit_test(test_http_bool_arg),
        cmocka_unit_test(test_http_reply_headers_unlimited),
        cmocka_unit_test(test_http_reply_error_escapes),
        cmocka_unit_test(test_json_out_matches_jansson),
        cmocka_unit_test(test_json_out_invalid_utf8_and_null),
        cmocka_unit_test(test_json_out_reals_match_jansson),
        cmocka_unit_test(test_jraw_splice_matches_jansson),
        cmocka_unit_test(test_jraw_refuses_what_it_cannot_copy),
        cmocka_unit_test(test_http_took_ms_is_a_real),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
