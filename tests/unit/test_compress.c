/*
 * test_compress.c - gzip content coding (server/compress.c): the
 * Accept-Encoding negotiation (q-values, identity, "*", q=0, malformed
 * elements, case), which types are compressed, the size threshold and
 * Vary, and a round trip through zlib's own gzip reader.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "compress.h"

static void test_compress_accept_encoding(void **state)
{
    (void)state;
    static const struct {
        const char *ae;
        compress_coding want;
    } cases[] = {
        {NULL, CODING_IDENTITY},
        {"", CODING_IDENTITY},
        {"gzip", CODING_GZIP},
        {"GZip", CODING_GZIP},
        {"x-gzip", CODING_GZIP},
        {"gzip, deflate, br", CODING_GZIP},
        {"deflate, br", CODING_IDENTITY},
        {"br;q=1.0, gzip;q=0.8, *;q=0.1", CODING_GZIP},
        {"gzip;q=0", CODING_IDENTITY},
        {"gzip; q=0.000", CODING_IDENTITY},
        {"gzip ; Q=0.001", CODING_GZIP},
        {"*", CODING_GZIP},
        {"*;q=0", CODING_IDENTITY},
        {"*;q=0, gzip", CODING_GZIP},
        {"gzip;q=0, *", CODING_IDENTITY},
        {"identity", CODING_IDENTITY},
        {"identity;q=0", CODING_IDENTITY},
        {"identity;q=0, gzip;q=0.5", CODING_GZIP},
        {"gzip;q=0.5, identity", CODING_IDENTITY},
        {"gzip;q=0.5, identity;q=0.5", CODING_GZIP},
        {"gzip;q=2", CODING_IDENTITY},       /* malformed: ignored */
        {"gzip;q=0.5000", CODING_IDENTITY},  /* four decimals */
        {"gzip;q=abc", CODING_IDENTITY},
        {"gzip;q=", CODING_IDENTITY},
        {"gzip;level=9", CODING_GZIP},       /* other parameters ignored */
        {"gzipx, xgzip", CODING_IDENTITY},
        {",,, ;;, gzip", CODING_GZIP},
        {"\tgzip\t", CODING_GZIP},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (compress_choose(cases[i].ae) != cases[i].want)
            fail_msg("Accept-Encoding '%s'",
                     cases[i].ae ? cases[i].ae : "(absent)");
    }
}

static void test_compress_types(void **state)
{
    (void)state;
    const char *yes[] = {"text/html; charset=utf-8",
                         "application/json; charset=utf-8",
                         "text/css; charset=utf-8", "text/javascript",
                         "image/svg+xml", "application/xml; charset=utf-8",
                         "text/plain; charset=utf-8"};
    const char *no[] = {"image/png", "image/jpeg", "application/pdf",
                        "font/woff2", "image/webp", "image/gif", NULL};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        assert_true(compress_type_ok(yes[i]));
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        assert_false(compress_type_ok(no[i]));
}

/* Inflate a gzip member with zlib's reader. */
static char *gunzip(const char *z, size_t n, size_t cap, size_t *out_len)
{
    z_stream s;
    memset(&s, 0, sizeof s);
    assert_int_equal(inflateInit2(&s, 15 + 16), Z_OK);
    char *out = malloc(cap);
    s.next_in = (Bytef *)(uintptr_t)z;
    s.avail_in = (uInt)n;
    s.next_out = (Bytef *)out;
    s.avail_out = (uInt)cap;
    assert_int_equal(inflate(&s, Z_FINISH), Z_STREAM_END);
    *out_len = s.total_out;
    inflateEnd(&s);
    return out;
}

static void test_compress_round_trip(void **state)
{
    (void)state;
    size_t n = 20000, zn, back;
    char *body = malloc(n);
    for (size_t i = 0; i < n; i++)
        body[i] = "helpdex compresses text "[i % 24];
    char *z = compress_gzip(body, n, &zn);
    assert_true(zn < n / 10);
    assert_int_equal((unsigned char)z[0], 0x1f); /* gzip magic */
    assert_int_equal((unsigned char)z[1], 0x8b);
    char *out = gunzip(z, zn, n + 16, &back);
    assert_int_equal(back, n);
    assert_memory_equal(out, body, n);
    free(out);
    free(z);
    z = compress_gzip("", 0, &zn); /* empty input: a valid member */
    out = gunzip(z, zn, 16, &back);
    assert_int_equal(back, 0);
    free(out);
    free(z);
    free(body);
}

static void wanted(const char *ae, const char *ctype, size_t len, bool want,
                   bool vary)
{
    request r;
    request_init(&r, "GET", "/x", 0);
    if (ae)
        request_add_header(&r, "accept-encoding", ae);
    reply rep;
    memset(&rep, 0, sizeof rep);
    char *body = calloc(1, len + 1);
    memset(body, 'a', len);
    reply_take(&rep, 200, ctype, body, len);
    assert_int_equal(compress_wanted(&r, &rep), want);
    const char *v = reply_header_get(&rep, "Vary");
    assert_int_equal(v != NULL, vary);
    if (want) {
        compress_apply(&rep);
        assert_string_equal(reply_header_get(&rep, "Content-Encoding"),
                            "gzip");
        assert_true(rep.len < len);
    }
    reply_clear(&rep);
    request_clear(&r);
}

static void test_compress_wanted_threshold_and_vary(void **state)
{
    (void)state;
    const char *html = "text/html; charset=utf-8";
    wanted("gzip", html, COMPRESS_MIN_BYTES, true, true);
    wanted("gzip", html, COMPRESS_MIN_BYTES - 1, false, true);
    wanted("gzip;q=0", html, 4096, false, true);
    wanted(NULL, html, 4096, false, true);
    wanted("gzip", "image/png", 4096, false, false);
    wanted("gzip", "application/pdf", 4096, false, false);
}

/* A cached answer's gzip form: a new head (its own took_ms) before the
 * tail compressed when it was stored. */
static void test_compress_ready_tail(void **state)
{
    (void)state;
    static const size_t heads[] = {0, 1, 60, 70000};
    for (size_t k = 0; k < sizeof heads / sizeof heads[0]; k++) {
        size_t head = heads[k], tail = 9000, n = head + tail, zn;
        char *body = malloc(n + 1);
        for (size_t i = 0; i < n; i++)
            body[i] = (char)('a' + (i * 7 + i / 13) % 26);
        reply rep;
        memset(&rep, 0, sizeof rep);
        reply_take(&rep, 200, "application/json", body, n);
        rep.gz_tail = compress_tail(body + head, tail, &rep.gz_tail_len,
                                    &rep.gz_tail_crc);
        rep.gz_raw_len = tail;
        compress_apply(&rep);
        assert_null(rep.gz_tail);
        size_t back;
        char *want = malloc(n);
        for (size_t i = 0; i < n; i++)
            want[i] = (char)('a' + (i * 7 + i / 13) % 26);
        char *out = gunzip(rep.body, rep.len, n + 16, &back);
        assert_int_equal(back, n);
        assert_memory_equal(out, want, n);
        (void)zn;
        free(out);
        free(want);
        reply_clear(&rep);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compress_accept_encoding),
        cmocka_unit_test(test_compress_types),
        cmocka_unit_test(test_compress_round_trip),
        cmocka_unit_test(test_compress_wanted_threshold_and_vary),
        cmocka_unit_test(test_compress_ready_tail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
