/*
 * test_text.c - UTF-8 validation, normalisation and clipping
 * (include/hdx/text.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "hdx/buf.h"
#include "hdx/text.h"

/* ---- hdx_text_valid_utf8 -------------------------------------------- */

typedef struct {
    const char *name;
    const char *s;
    size_t n;       /* 0: strlen(s) */
    bool valid;
    size_t bad_at;  /* expected bad offset when !valid */
} utf8_case;

#define S(lit) lit, sizeof(lit) - 1

static const utf8_case utf8_cases[] = {
    {"empty", "", 0, true, 0},
    {"ascii", S("hello, world"), true, 0},
    {"2-byte e-acute", S("caf\xC3\xA9"), true, 0},
    {"3-byte euro", S("\xE2\x82\xAC 5"), true, 0},
    {"4-byte emoji", S("\xF0\x9F\x98\x80"), true, 0},
    {"U+10FFFF max", S("\xF4\x8F\xBF\xBF"), true, 0},
    {"U+FFFF", S("\xEF\xBF\xBF"), true, 0},
    {"U+E000 after surrogates", S("\xEE\x80\x80"), true, 0},
    {"NUL byte is valid UTF-8", "a\0b", 3, true, 0},
    {"overlong 2-byte slash C0 AF", S("ab\xC0\xAF"), false, 2},
    {"overlong 2-byte C1", S("\xC1\xBF"), false, 0},
    {"overlong 3-byte E0 80 AF", S("x\xE0\x80\xAF"), false, 1},
    {"overlong 3-byte E0 9F BF", S("\xE0\x9F\xBF"), false, 0},
    {"overlong 4-byte F0 8F BF BF", S("abc\xF0\x8F\xBF\xBF"), false, 3},
    {"surrogate D800", S("ok\xED\xA0\x80"), false, 2},
    {"surrogate DFFF", S("\xED\xBF\xBF"), false, 0},
    {"above U+10FFFF (F4 90)", S("\xF4\x90\x80\x80"), false, 0},
    {"F5 lead byte", S("a\xF5\x80\x80\x80"), false, 1},
    {"FF byte", S("abc\xFF"), false, 3},
    {"lone continuation", S("ab\x80" "cd"), false, 2},
    {"truncated 2-byte at end", S("caf\xC3"), false, 3},
    {"truncated 3-byte at end", S("x\xE2\x82"), false, 1},
    {"truncated 4-byte at end", S("\xF0\x9F\x98"), false, 0},
    {"truncated then ascii", S("\xE2\x82" "a"), false, 0},
    {"bad after valid multibyte", S("\xC3\xA9\xC3\xA9\xC3(x"), false, 4},
};

static void test_valid_utf8_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof utf8_cases / sizeof utf8_cases[0]; i++) {
        const utf8_case *c = &utf8_cases[i];
        size_t bad = (size_t)-1;
        bool ok = hdx_text_valid_utf8(c->s, c->n, &bad);
        if (ok != c->valid)
            fail_msg("%s: valid=%d, want %d", c->name, ok, c->valid);
        if (!c->valid && bad != c->bad_at)
            fail_msg("%s: bad offset %zu, want %zu", c->name, bad, c->bad_at);
        /* NULL bad_offset is allowed */
        assert_int_equal(hdx_text_valid_utf8(c->s, c->n, NULL), c->valid);
    }
}

static void test_valid_utf8_respects_length(void **state)
{
    (void)state;
    /* Cutting a valid string inside a character makes it invalid... */
    const char *s = "a\xC3\xA9z";
    size_t bad = 99;
    assert_false(hdx_text_valid_utf8(s, 2, &bad));
    assert_int_equal(bad, 1);
    /* ...and bytes beyond n are never looked at. */
    assert_true(hdx_text_valid_utf8("ab\xFF", 2, NULL));
}

/*
 * hdx_text_valid_utf8 leaves decoding to utf8proc_iterate(), so pin what
 * utf8proc 2.8 does with one sequence of each kind: if a later utf8proc
 * accepted any of the bad ones, this fails before the contract above does.
 */
typedef struct {
    const char *name;
    const char *s;
    size_t n;
    utf8proc_ssize_t ret;   /* bytes consumed, or the error */
    utf8proc_int32_t cp;    /* code point when ret > 0 */
} iterate_case;

#define BAD UTF8PROC_ERROR_INVALIDUTF8, -1

static const iterate_case iterate_cases[] = {
    {"NUL", "\0", 1, 1, 0},
    {"2-byte e-acute", S("\xC3\xA9"), 2, 0xE9},
    {"3-byte euro", S("\xE2\x82\xAC"), 3, 0x20AC},
    {"U+FFFE noncharacter is well-formed", S("\xEF\xBF\xBE"), 3, 0xFFFE},
    {"U+10FFFF", S("\xF4\x8F\xBF\xBF"), 4, 0x10FFFF},
    {"overlong C0 AF", S("\xC0\xAF"), BAD},
    {"overlong C1 BF", S("\xC1\xBF"), BAD},
    {"overlong E0 80 AF", S("\xE0\x80\xAF"), BAD},
    {"overlong E0 9F BF", S("\xE0\x9F\xBF"), BAD},
    {"overlong F0 8F BF BF", S("\xF0\x8F\xBF\xBF"), BAD},
    {"surrogate D800", S("\xED\xA0\x80"), BAD},
    {"surrogate DFFF", S("\xED\xBF\xBF"), BAD},
    {"U+110000", S("\xF4\x90\x80\x80"), BAD},
    {"F5 lead", S("\xF5\x80\x80\x80"), BAD},
    {"FF", S("\xFF"), BAD},
    {"lone continuation", S("\x80"), BAD},
    {"truncated 2-byte", S("\xC3"), BAD},
    {"truncated 3-byte", S("\xE2\x82"), BAD},
    {"truncated 4-byte", S("\xF0\x9F\x98"), BAD},
    {"ASCII where a continuation belongs", S("\xE2\x82" "a"), BAD},
    {"cut by the length, not the bytes", "\xC3\xA9", 1, BAD},
};

static void test_utf8proc_iterate_contract(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof iterate_cases / sizeof iterate_cases[0];
         i++) {
        const iterate_case *c = &iterate_cases[i];
        utf8proc_int32_t cp = 0;
        utf8proc_ssize_t r = utf8proc_iterate((const utf8proc_uint8_t *)c->s,
                                              (utf8proc_ssize_t)c->n, &cp);
        if (r != c->ret)
            fail_msg("%s: utf8proc_iterate returned %zd, want %zd", c->name,
                     (ssize_t)r, (ssize_t)c->ret);
        if (r > 0 && cp != c->cp)
            fail_msg("%s: code point %X, want %X", c->name, (unsigned)cp,
                     (unsigned)c->cp);
    }
}

/* ---- hdx_text_normalize --------------------------------------------- */

typedef struct {
    const char *in;
    const char *out;
} norm_case;

static const norm_case norm_cases[] = {
    {"", ""},
    {"cafe", "cafe"},
    {"Caf\xC3\xA9", "cafe"},               /* precomposed é */
    {"cafe\xCC\x81", "cafe"},              /* e + combining acute */
    {"CAF\xC3\x89", "cafe"},               /* É */
    {"caf\xC3\xA9", "cafe"},
    {"CAFE", "cafe"},
    {"\xEF\xAC\x81", "fi"},                /* U+FB01 ﬁ ligature */
    {"\xEF\xAC\x81le", "file"},
    {"\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3", "abc"}, /* full-width ＡＢＣ */
    {"\xEF\xBD\x84\xEF\xBD\x8C\xEF\xBD\x8C", "dll"}, /* full-width ｄｌｌ */
    {"\xEF\xBC\x91\xEF\xBC\x92", "12"},    /* full-width digits */
    {"Stra\xC3\x9F" "e", "strasse"},       /* ß case-folds to ss */
    {"Na\xC3\xAFve R\xC3\xA9sum\xC3\xA9", "naive resume"},
    {"\xE2\x84\xAB", "a"},                 /* Angstrom sign → å → a */
    {"Hello, World! 0x80070005", "hello, world! 0x80070005"},
    {"\xCE\x9A\xCE\xB1\xCE\xBB\xCE\xB7", "\xCE\xBA\xCE\xB1\xCE\xBB\xCE\xB7"}, /* Greek */
    {"\xE6\x97\xA5\xE6\x9C\xAC", "\xE6\x97\xA5\xE6\x9C\xAC"}, /* CJK unchanged */
};

static void test_normalize_table(void **state)
{
    (void)state;
    hdx_buf b;
    hdx_buf_init(&b);
    for (size_t i = 0; i < sizeof norm_cases / sizeof norm_cases[0]; i++) {
        hdx_buf_reset(&b);
        hdx_error err = {0};
        hdx_status st = hdx_text_normalize(&b, norm_cases[i].in,
                                           strlen(norm_cases[i].in), &err);
        if (st != HDX_OK)
            fail_msg("normalize(\"%s\") failed: %s", norm_cases[i].in, err.msg);
        if (strcmp(b.data, norm_cases[i].out) != 0)
            fail_msg("normalize(\"%s\") = \"%s\", want \"%s\"",
                     norm_cases[i].in, b.data, norm_cases[i].out);
        assert_int_equal(b.len, strlen(norm_cases[i].out));
    }
    hdx_buf_clear(&b);
}

static void test_normalize_appends(void **state)
{
    (void)state;
    hdx_buf b;
    hdx_buf_init(&b);
    hdx_buf_adds(&b, "pre:");
    assert_int_equal(hdx_text_normalize(&b, "ABC", 3, NULL), HDX_OK);
    assert_int_equal(hdx_text_normalize(&b, " Caf\xC3\xA9", 6, NULL), HDX_OK);
    assert_string_equal(b.data, "pre:abc cafe");
    hdx_buf_clear(&b);
}

static void test_normalize_ascii_fast_path_agrees(void **state)
{
    (void)state;
    /* Every printable ASCII character: the fast path must give what the
     * full mapping gives when the same text has one non-ASCII char added. */
    char ascii[128];
    for (int i = 0; i < 127; i++)
        ascii[i] = (char)(1 + i); /* every ASCII byte but NUL */
    ascii[127] = '\0';
    char mixed[200];
    snprintf(mixed, sizeof mixed, "%s\xC3\xA9", ascii); /* + é */
    hdx_buf fast, full;
    hdx_buf_init(&fast);
    hdx_buf_init(&full);
    assert_int_equal(hdx_text_normalize(&fast, ascii, 127, NULL), HDX_OK);
    assert_int_equal(hdx_text_normalize(&full, mixed, strlen(mixed), NULL),
                     HDX_OK);
    assert_int_equal(full.len, fast.len + 1);
    assert_memory_equal(full.data, fast.data, fast.len);
    assert_int_equal(full.data[fast.len], 'e');
    hdx_buf_clear(&fast);
    hdx_buf_clear(&full);
}

static const char *const invalid_inputs[] = {
    "caf\xC3", "\xC0\xAF", "ok\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF",
    "\xC3\xA9\x80",
};

static void test_normalize_invalid_utf8(void **state)
{
    (void)state;
    hdx_buf b;
    hdx_buf_init(&b);
    for (size_t i = 0; i < sizeof invalid_inputs / sizeof invalid_inputs[0];
         i++) {
        hdx_buf_reset(&b);
        hdx_buf_adds(&b, "keep");
        hdx_error err = {0};
        hdx_status st = hdx_text_normalize(&b, invalid_inputs[i],
                                           strlen(invalid_inputs[i]), &err);
        if (st != HDX_EPARSE)
            fail_msg("case %zu: status %d, want HDX_EPARSE", i, st);
        assert_int_equal(err.code, HDX_EPARSE);
        assert_true(err.msg[0] != '\0');
        /* appends nothing */
        assert_string_equal(b.data, "keep");
        assert_int_equal(b.len, 4);
        /* err may be NULL */
        assert_int_equal(hdx_text_normalize(&b, invalid_inputs[i],
                                            strlen(invalid_inputs[i]), NULL),
                         HDX_EPARSE);
        assert_string_equal(b.data, "keep");
    }
    hdx_buf_clear(&b);
}

/* ---- hdx_text_clip ---------------------------------------------------- */

typedef struct {
    const char *s;
    size_t max;
    size_t want;
} clip_case;

static const clip_case clip_cases[] = {
    {"hello", 10, 5},
    {"hello", 5, 5},
    {"hello", 3, 3},
    {"hello", 0, 0},
    {"caf\xC3\xA9", 4, 3},            /* would cut é */
    {"caf\xC3\xA9", 5, 5},
    {"caf\xC3\xA9!", 5, 5},
    {"\xE2\x82\xAC\xE2\x82\xAC", 4, 3}, /* € € : after 1st byte of 2nd */
    {"\xE2\x82\xAC\xE2\x82\xAC", 5, 3},
    {"\xE2\x82\xAC\xE2\x82\xAC", 2, 0},
    {"\xE2\x82\xAC\xE2\x82\xAC", 3, 3},
    {"a\xF0\x9F\x98\x80z", 2, 1},
    {"a\xF0\x9F\x98\x80z", 4, 1},
    {"a\xF0\x9F\x98\x80z", 5, 5},
};

static void test_clip_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof clip_cases / sizeof clip_cases[0]; i++) {
        const clip_case *c = &clip_cases[i];
        size_t got = hdx_text_clip(c->s, strlen(c->s), c->max);
        if (got != c->want)
            fail_msg("clip(case %zu, max %zu) = %zu, want %zu", i, c->max, got,
                     c->want);
    }
}

static void test_clip_never_splits_any_max(void **state)
{
    (void)state;
    /* Mixed 1-, 2-, 3- and 4-byte characters; try every max. */
    const char *s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" "b\xC3\x9F"
                    "\xE6\x97\xA5z";
    size_t n = strlen(s);
    for (size_t max = 0; max <= n + 2; max++) {
        size_t k = hdx_text_clip(s, n, max);
        assert_true(k <= max);
        assert_true(k <= n);
        if (!hdx_text_valid_utf8(s, k, NULL))
            fail_msg("clip at max %zu gave %zu: splits a character", max, k);
        /* longest such prefix: the next character would not fit */
        if (k < n && k < max) {
            size_t next = k + 1;
            while (next < n && ((unsigned char)s[next] & 0xC0) == 0x80)
                next++;
            assert_true(next > max);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_utf8_table),
        cmocka_unit_test(test_valid_utf8_respects_length),
        cmocka_unit_test(test_utf8proc_iterate_contract),
        cmocka_unit_test(test_normalize_table),
        cmocka_unit_test(test_normalize_appends),
        cmocka_unit_test(test_normalize_ascii_fast_path_agrees),
        cmocka_unit_test(test_normalize_invalid_utf8),
        cmocka_unit_test(test_clip_table),
        cmocka_unit_test(test_clip_never_splits_any_max),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
