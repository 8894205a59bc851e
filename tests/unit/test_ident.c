/*
 * test_ident.c - the identifier scanner (include/hdx/ident.h): every form
 * the header promises, in text order and lower-cased, and the shapes it
 * must not take for identifiers (addresses, timestamps, versions, hosts).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "hdx/ident.h"

#define MAX_OUT 16

typedef struct {
    char items[MAX_OUT][128];
    size_t n;
    int bad_len; /* a callback whose len disagreed with strlen(term) */
} collected;

static void collect(const char *term, size_t len, void *ctx)
{
    collected *c = ctx;
    if (strlen(term) != len)
        c->bad_len = 1;
    if (c->n < MAX_OUT && len < sizeof c->items[0]) {
        memcpy(c->items[c->n], term, len);
        c->items[c->n][len] = '\0';
    }
    c->n++;
}

typedef struct {
    const char *text;
    const char *want[MAX_OUT]; /* NULL-terminated, in order */
} ident_case;

static const ident_case extract_cases[] = {
    /* hex status codes */
    {"0x80070005", {"0x80070005", "80070005", NULL}},
    {"0X8007000E", {"0x8007000e", "8007000e", NULL}},
    {"0x1234", {"0x1234", "1234", NULL}},
    {"(0x80070005).", {"0x80070005", "80070005", NULL}},
    {"80070005", {"80070005", NULL}},
    {"C0000005", {"c0000005", NULL}},
    /* letter+digit ids */
    {"SKY-1042", {"sky-1042", "sky1042", NULL}},
    {"sky_1042", {"sky_1042", "sky1042", NULL}},
    {"E1234", {"e1234", NULL}},
    {"KB5034441", {"kb5034441", NULL}},
    {"AADSTS50011", {"aadsts50011", NULL}},
    /* CONSTANT_CASE */
    {"ERR_SSL_PROTOCOL_ERROR", {"err_ssl_protocol_error", NULL}},
    {"SQLITE_BUSY", {"sqlite_busy", NULL}},
    /* HTTP status */
    {"HTTP 503", {"http-503", NULL}},
    {"http 404 not found", {"http-404", NULL}},
    {"HTTP/1.1 503", {"http-503", NULL}},
    {"HTTP Error 500.19", {"http-500.19", "http-500", NULL}},
    {"HTTP status 429", {"http-429", NULL}},
    /* dotted names */
    {"System.IO.IOException", {"system.io.ioexception", "ioexception", NULL}},
    {"java.lang.OutOfMemoryError",
     {"java.lang.outofmemoryerror", "outofmemoryerror", NULL}},
    /* type names without a namespace */
    {"KeyError", {"keyerror", NULL}},
    {"NullPointerException", {"nullpointerexception", NULL}},
    {"SSLHandshakeException", {"sslhandshakeexception", NULL}},
    {"Error", {NULL}},
    {"Terror", {NULL}},
    /* library files */
    {"libskysync.so.3", {"libskysync.so.3", NULL}},
    {"libskysync.so", {"libskysync.so", NULL}},
    {"mso.dll", {"mso.dll", NULL}},
    {"setup.exe", {"setup.exe", NULL}},
    /* in running text, in text order */
    {"Sync failed with 0x80070005 (see SKY-1042) after HTTP 503.",
     {"0x80070005", "80070005", "sky-1042", "sky1042", "http-503", NULL}},
    {"Error E1234: ERR_SSL_PROTOCOL_ERROR in libskysync.so.3",
     {"e1234", "err_ssl_protocol_error", "libskysync.so.3", NULL}},
    /* duplicates are reported again */
    {"E1234 and E1234", {"e1234", "e1234", NULL}},
    /* negatives */
    {"0x00007ff6a1b2c3d4", {NULL}},                /* an address */
    {"at 0x00007FF6A1B2C3D4 in module", {NULL}},
    {"2026-03-02T10:15:00", {NULL}},
    {"2026-03-02", {NULL}},
    {"version 5.2.1", {NULL}},
    {"www.example.com", {NULL}},
    {"the quick brown fox jumps over the lazy dog", {NULL}},
    {"Cannot open the file because it is in use", {NULL}},
    {"E1", {NULL}},                                 /* one digit */
    {"HTTP 600", {NULL}},                           /* not a status */
    {"HTTP 5030", {NULL}},
    {"12345678", {NULL}},                           /* decimal number */
    {"", {NULL}},
};

static void check_case(const char *what, const char *text,
                       const char *const *want, const collected *c)
{
    size_t nw = 0;
    while (want[nw])
        nw++;
    if (c->bad_len)
        fail_msg("%s(\"%s\"): callback len != strlen(term)", what, text);
    if (c->n != nw) {
        char got[1024] = "";
        for (size_t i = 0; i < c->n && i < MAX_OUT; i++) {
            strncat(got, " [", sizeof got - strlen(got) - 1);
            strncat(got, c->items[i], sizeof got - strlen(got) - 1);
            strncat(got, "]", sizeof got - strlen(got) - 1);
        }
        fail_msg("%s(\"%s\"): %zu identifiers (%s ), want %zu", what, text,
                 c->n, got, nw);
    }
    for (size_t i = 0; i < nw; i++)
        if (strcmp(c->items[i], want[i]) != 0)
            fail_msg("%s(\"%s\"): item %zu is \"%s\", want \"%s\"", what, text,
                     i, c->items[i], want[i]);
}

static void test_extract_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof extract_cases / sizeof extract_cases[0];
         i++) {
        collected c = {0};
        const char *t = extract_cases[i].text;
        hdx_ident_extract(t, strlen(t), collect, &c);
        check_case("extract", t, extract_cases[i].want, &c);
    }
}

static void test_extract_respects_length(void **state)
{
    (void)state;
    /* Only "E1234" is inside [0, 5); what follows must not be read. */
    const char *t = "E1234567 SKY-1042";
    collected c = {0};
    hdx_ident_extract(t, 5, collect, &c);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.items[0], "e1234");
}

static void test_extract_glued_to_non_ascii_is_a_word(void **state)
{
    (void)state;
    const char *t = "caf\xC3\xA9" "E1234 and \xC3\xA9SKY-1042";
    collected c = {0};
    hdx_ident_extract(t, strlen(t), collect, &c);
    assert_int_equal(c.n, 0);
}

static void test_extract_long_chunk_is_ignored(void **state)
{
    (void)state;
    char t[400];
    memset(t, 'A', sizeof t - 1);
    t[sizeof t - 1] = '\0';
    memcpy(t + 200, "_X1", 3);
    collected c = {0};
    hdx_ident_extract(t, strlen(t), collect, &c);
    assert_int_equal(c.n, 0);
    /* and a huge text with ids spread through it is fine */
    char big[64 * 1024];
    size_t n = 0;
    while (n + 16 < sizeof big) {
        memcpy(big + n, "word E1234 more ", 16);
        n += 16;
    }
    collected d = {0};
    hdx_ident_extract(big, n, collect, &d);
    assert_int_equal(d.n, n / 16);
    assert_string_equal(d.items[0], "e1234");
}

typedef struct {
    const char *code;
    const char *want[MAX_OUT];
} norm_case;

static const norm_case normalize_cases[] = {
    {"SKY-1042", {"sky-1042", "sky1042", NULL}},
    {"0x80070005", {"0x80070005", "80070005", NULL}},
    {"  HTTP 503 ", {"http-503", NULL}},
    /* no identifier shape: trimmed, lower-cased, spaces → '-' */
    {"  Event 1000 ", {"event-1000", NULL}},
    {"Timeout", {"timeout", NULL}},
    {"   ", {NULL}},
    {"", {NULL}},
};

static void test_normalize_code_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof normalize_cases / sizeof normalize_cases[0];
         i++) {
        collected c = {0};
        hdx_ident_normalize_code(normalize_cases[i].code, collect, &c);
        check_case("normalize_code", normalize_cases[i].code,
                   normalize_cases[i].want, &c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extract_table),
        cmocka_unit_test(test_extract_respects_length),
        cmocka_unit_test(test_extract_glued_to_non_ascii_is_a_word),
        cmocka_unit_test(test_extract_long_chunk_is_ignored),
        cmocka_unit_test(test_normalize_code_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
