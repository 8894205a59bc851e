/*
 * test_buf.c - hdx_buf: the growable, always NUL-terminated byte buffer
 * (include/hdx/buf.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "hdx/buf.h"

static int buf_setup(void **state)
{
    hdx_buf *b = malloc(sizeof *b);
    if (!b)
        return -1;
    hdx_buf_init(b);
    *state = b;
    return 0;
}

static int buf_teardown(void **state)
{
    hdx_buf *b = *state;
    hdx_buf_clear(b);
    free(b);
    return 0;
}

static void test_init_is_empty_string(void **state)
{
    hdx_buf *b = *state;
    assert_non_null(b->data);
    assert_int_equal(b->len, 0);
    assert_string_equal(b->data, "");
    assert_true(b->cap > b->len);
}

static void test_add_appends_and_terminates(void **state)
{
    hdx_buf *b = *state;
    hdx_buf_add(b, "abcdef", 3);
    hdx_buf_add(b, "", 0);
    hdx_buf_adds(b, "XYZ");
    hdx_buf_addc(b, '!');
    assert_int_equal(b->len, 7);
    assert_string_equal(b->data, "abcXYZ!");
    assert_int_equal(b->data[b->len], '\0');
}

static void test_add_binary_bytes(void **state)
{
    hdx_buf *b = *state;
    static const char bytes[] = {'a', '\0', 'b'};
    hdx_buf_add(b, bytes, sizeof bytes);
    assert_int_equal(b->len, 3);
    assert_memory_equal(b->data, bytes, 3);
    assert_int_equal(b->data[3], '\0');
}

static void test_add_grows_past_initial_capacity(void **state)
{
    hdx_buf *b = *state;
    char chunk[97];
    memset(chunk, 'q', sizeof chunk);
    for (int i = 0; i < 1000; i++)
        hdx_buf_add(b, chunk, sizeof chunk);
    assert_int_equal(b->len, 97000);
    assert_true(b->cap > b->len);
    assert_int_equal(b->data[b->len], '\0');
    for (size_t i = 0; i < b->len; i++)
        if (b->data[i] != 'q')
            fail_msg("byte %zu corrupted", i);
}

static void test_addc_many(void **state)
{
    hdx_buf *b = *state;
    for (int i = 0; i < 5000; i++)
        hdx_buf_addc(b, (char)('a' + i % 26));
    assert_int_equal(b->len, 5000);
    assert_int_equal(strlen(b->data), 5000);
    assert_int_equal(b->data[26], 'a');
    assert_int_equal(b->data[4999], 'a' + 4999 % 26);
}

static void test_reset_keeps_allocation(void **state)
{
    hdx_buf *b = *state;
    hdx_buf_adds(b, "some text that is here");
    size_t cap = b->cap;
    hdx_buf_reset(b);
    assert_int_equal(b->len, 0);
    assert_string_equal(b->data, "");
    assert_int_equal(b->cap, cap);
    hdx_buf_adds(b, "again");
    assert_string_equal(b->data, "again");
}

static void test_reserve_then_add(void **state)
{
    hdx_buf *b = *state;
    hdx_buf_adds(b, "x");
    hdx_buf_reserve(b, 10000);
    assert_true(b->cap >= 10002);
    assert_string_equal(b->data, "x");
    hdx_buf_reserve(b, 0);
    assert_string_equal(b->data, "x");
}

static void test_printf_small(void **state)
{
    hdx_buf *b = *state;
    hdx_buf_adds(b, "n=");
    hdx_buf_printf(b, "%d/%s/%zu", 42, "abc", (size_t)7);
    assert_string_equal(b->data, "n=42/abc/7");
    assert_int_equal(b->len, strlen("n=42/abc/7"));
}

static void test_printf_grows(void **state)
{
    hdx_buf *b = *state;
    char big[3001];
    memset(big, 'z', 3000);
    big[3000] = '\0';
    hdx_buf_adds(b, "<");
    hdx_buf_printf(b, "%s|%d", big, 9);
    hdx_buf_adds(b, ">");
    assert_int_equal(b->len, 1 + 3000 + 2 + 1);
    assert_int_equal(b->data[0], '<');
    assert_int_equal(b->data[3000], 'z');
    assert_memory_equal(b->data + 3001, "|9>", 4);
}

static void test_printf_exactly_fills(void **state)
{
    hdx_buf *b = *state;
    /* Output that needs exactly the remaining room plus one. */
    size_t room = b->cap - b->len;
    char s[512];
    assert_true(room < sizeof s);
    memset(s, 'k', room);
    s[room] = '\0';
    hdx_buf_printf(b, "%s", s);
    assert_int_equal(b->len, room);
    assert_int_equal(strlen(b->data), room);
    hdx_buf_printf(b, "%s", "");
    assert_int_equal(b->len, room);
}

typedef struct {
    const char *in;
    const char *out;
} html_case;

static const html_case html_cases[] = {
    {"", ""},
    {"plain text", "plain text"},
    {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
    {"a & b", "a &amp; b"},
    {"\"quoted\" 'single'", "&quot;quoted&quot; &#39;single&#39;"},
    {"&amp;", "&amp;amp;"},
    {"caf\xC3\xA9 <b>", "caf\xC3\xA9 &lt;b&gt;"},
    {"<<>>", "&lt;&lt;&gt;&gt;"},
};

static void test_add_html_table(void **state)
{
    hdx_buf *b = *state;
    for (size_t i = 0; i < sizeof html_cases / sizeof html_cases[0]; i++) {
        hdx_buf_reset(b);
        hdx_buf_add_html(b, html_cases[i].in, strlen(html_cases[i].in));
        if (strcmp(b->data, html_cases[i].out) != 0)
            fail_msg("add_html(\"%s\") = \"%s\", want \"%s\"", html_cases[i].in,
                     b->data, html_cases[i].out);
        assert_int_equal(b->len, strlen(html_cases[i].out));
    }
}

static void test_add_html_respects_length(void **state)
{
    hdx_buf *b = *state;
    hdx_buf_add_html(b, "<a>&<b>", 4); /* only "<a>&" */
    assert_string_equal(b->data, "&lt;a&gt;&amp;");
}

static void test_detach_returns_data_and_reinits(void **state)
{
    hdx_buf *b = *state;
    hdx_buf_adds(b, "owned by caller");
    char *p = hdx_buf_detach(b);
    assert_string_equal(p, "owned by caller");
    assert_non_null(b->data);
    assert_true(b->data != p);
    assert_int_equal(b->len, 0);
    assert_string_equal(b->data, "");
    hdx_buf_adds(b, "fresh");
    assert_string_equal(b->data, "fresh");
    assert_string_equal(p, "owned by caller");
    free(p);
}

static void test_detach_empty(void **state)
{
    hdx_buf *b = *state;
    char *p = hdx_buf_detach(b);
    assert_non_null(p);
    assert_string_equal(p, "");
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, buf_setup, buf_teardown)
        T(test_init_is_empty_string),
        T(test_add_appends_and_terminates),
        T(test_add_binary_bytes),
        T(test_add_grows_past_initial_capacity),
        T(test_addc_many),
        T(test_reset_keeps_allocation),
        T(test_reserve_then_add),
        T(test_printf_small),
        T(test_printf_grows),
        T(test_printf_exactly_fills),
        T(test_add_html_table),
        T(test_add_html_respects_length),
        T(test_detach_returns_data_and_reinits),
        T(test_detach_empty),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
