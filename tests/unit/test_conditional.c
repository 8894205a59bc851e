/*
 * test_conditional.c - entity tags and 304s (server/conditional.c):
 * If-None-Match lists, weak and gzip forms of one tag, "*", and the
 * final reply step (a body-hash tag, a weak one past took_ms, 304 with
 * no body, the gzip form of the tag).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "conditional.h"

static void test_conditional_match(void **state)
{
    (void)state;
    static const struct {
        const char *inm, *tag;
        bool want;
    } cases[] = {
        {NULL, "\"abc\"", false},
        {"\"abc\"", "\"abc\"", true},
        {"\"abd\"", "\"abc\"", false},
        {"\"x\", \"abc\"", "\"abc\"", true},
        {"W/\"abc\"", "\"abc\"", true},
        {"\"abc\"", "W/\"abc\"", true},
        {"\"abc-gz\"", "\"abc\"", true},
        {"\"abc\"", "\"abc-gz\"", true},
        {"*", "\"abc\"", true},
        {" * ", "\"abc\"", true},
        {"\"ab\"", "\"abc\"", false},
        {"\"abcd\"", "\"abc\"", false},
        {"", "\"abc\"", false},
        {",,", "\"abc\"", false},
        {"abc", "\"abc\"", true}, /* unquoted: tolerated */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (conditional_match(cases[i].inm, cases[i].tag) != cases[i].want)
            fail_msg("If-None-Match '%s' vs %s", cases[i].inm,
                     cases[i].tag);
}

/* A finished reply to GET with the given headers. */
static void finish(const char *inm, const char *ae, const char *body,
                   size_t took_off, size_t took_len, reply *rep)
{
    request r;
    request_init(&r, "GET", "/x", 0);
    if (inm)
        request_add_header(&r, "If-None-Match", inm);
    if (ae)
        request_add_header(&r, "Accept-Encoding", ae);
    memset(rep, 0, sizeof *rep);
    reply_take(rep, 200, "application/json", strdup(body), strlen(body));
    rep->took_off = took_off;
    rep->took_len = took_len;
    reply_finish(&r, rep);
    request_clear(&r);
}

static void test_conditional_finish(void **state)
{
    (void)state;
    reply a, b;
    finish(NULL, NULL, "{\"took_ms\":1.5,\"x\":1}", 11, 3, &a);
    assert_int_equal(a.status, 200);
    const char *tag = reply_header_get(&a, "ETag");
    assert_non_null(tag);
    assert_memory_equal(tag, "W/\"", 3); /* took_ms: weak */
    /* Another took_ms, the same tag; sent back, a 304 without a body. */
    finish(tag, NULL, "{\"took_ms\":9.25,\"x\":1}", 11, 4, &b);
    assert_int_equal(b.status, 304);
    assert_int_equal(b.len, 0);
    assert_string_equal(reply_header_get(&b, "ETag"), tag);
    reply_clear(&b);
    /* A different body: 200. */
    finish(tag, NULL, "{\"took_ms\":1.5,\"x\":2}", 11, 3, &b);
    assert_int_equal(b.status, 200);
    reply_clear(&b);
    reply_clear(&a);
    /* No took_ms: strong; gzip appends -gz, and the 304 says so too. */
    char big[2048];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    finish(NULL, "gzip", big, 0, 0, &a);
    tag = reply_header_get(&a, "ETag");
    assert_int_equal(tag[0], '"');
    assert_non_null(strstr(tag, "-gz\""));
    assert_string_equal(reply_header_get(&a, "Content-Encoding"), "gzip");
    finish(tag, "gzip", big, 0, 0, &b);
    assert_int_equal(b.status, 304);
    assert_string_equal(reply_header_get(&b, "ETag"), tag);
    assert_null(reply_header_get(&b, "Content-Encoding"));
    reply_clear(&b);
    finish(tag, NULL, big, 0, 0, &b); /* identity revalidates the gz tag */
    assert_int_equal(b.status, 304);
    reply_clear(&b);
    reply_clear(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conditional_match),
        cmocka_unit_test(test_conditional_finish),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
