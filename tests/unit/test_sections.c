/*
 * test_sections.c - the stored section table (include/hdx/sections.h):
 * round trip, lookup by text offset, and damaged tables ending the walk.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "hdx/sections.h"

/* start (untitled), Symptoms at 40, Resolution at 300, Notes at 70000. */
static void make_table(hdx_buf *t)
{
    hdx_buf_init(t);
    hdx_sections_add(t, 0, HDX_SEC_OTHER, "", "");
    hdx_sections_add(t, 40, HDX_SEC_SYMPTOMS, "Symptoms", "symptoms");
    hdx_sections_add(t, 300, HDX_SEC_RESOLUTION, "Résolution «1»",
                     "resolution-1");
    hdx_sections_add(t, 70000, HDX_SEC_OTHER, "Notes", NULL);
}

static void test_round_trip(void **state)
{
    (void)state;
    hdx_buf t;
    make_table(&t);
    size_t pos = 0, n = 0;
    hdx_section_ref r;
    static const size_t offs[] = {0, 40, 300, 70000};
    static const hdx_section_kind kinds[] = {HDX_SEC_OTHER, HDX_SEC_SYMPTOMS,
                                             HDX_SEC_RESOLUTION, HDX_SEC_OTHER};
    static const char *const heads[] = {"", "Symptoms", "Résolution «1»",
                                        "Notes"};
    static const char *const anchors[] = {"", "symptoms", "resolution-1", ""};
    while (hdx_sections_next(t.data, t.len, &pos, &r)) {
        assert_true(n < 4);
        assert_int_equal(r.offset, offs[n]);
        assert_int_equal(r.kind, kinds[n]);
        assert_string_equal(r.heading, heads[n]);
        assert_string_equal(r.anchor, anchors[n]);
        n++;
    }
    assert_int_equal(n, 4);
    assert_int_equal(pos, t.len);
    hdx_buf_clear(&t);
}

static void test_at_offset(void **state)
{
    (void)state;
    hdx_buf t;
    make_table(&t);
    hdx_section_ref r;
    assert_true(hdx_sections_at(t.data, t.len, 0, &r));
    assert_string_equal(r.heading, "");
    assert_true(hdx_sections_at(t.data, t.len, 39, &r));
    assert_int_equal(r.offset, 0);
    assert_true(hdx_sections_at(t.data, t.len, 40, &r));
    assert_string_equal(r.anchor, "symptoms");
    assert_true(hdx_sections_at(t.data, t.len, 69999, &r));
    assert_string_equal(r.anchor, "resolution-1");
    assert_true(hdx_sections_at(t.data, t.len, (size_t)1 << 30, &r));
    assert_string_equal(r.heading, "Notes");
    hdx_buf_clear(&t);
}

static void test_empty_and_null(void **state)
{
    (void)state;
    size_t pos = 0;
    hdx_section_ref r;
    assert_false(hdx_sections_next(NULL, 0, &pos, &r));
    assert_false(hdx_sections_next("", 0, &pos, &r));
    assert_false(hdx_sections_at(NULL, 0, 10, &r));
}

/* Every truncation of a valid table decodes a prefix of its records and
 * never reads past the end (ASan checks the "never"). */
static void test_truncated_tables_stop(void **state)
{
    (void)state;
    hdx_buf t;
    make_table(&t);
    for (size_t len = 0; len < t.len; len++) {
        char *copy = malloc(len ? len : 1);
        memcpy(copy, t.data, len);
        size_t pos = 0, n = 0;
        hdx_section_ref r;
        while (hdx_sections_next(copy, len, &pos, &r))
            n++;
        assert_true(n < 4);
        assert_true(pos <= len);
        free(copy);
    }
    hdx_buf_clear(&t);
}

static void test_unknown_kind_reads_as_other(void **state)
{
    (void)state;
    static const char rec[] = {5, 0, 0, 0, 99, 'H', 0, 'a', 0};
    size_t pos = 0;
    hdx_section_ref r;
    assert_true(hdx_sections_next(rec, sizeof rec, &pos, &r));
    assert_int_equal(r.offset, 5);
    assert_int_equal(r.kind, HDX_SEC_OTHER);
    assert_string_equal(r.heading, "H");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_at_offset),
        cmocka_unit_test(test_empty_and_null),
        cmocka_unit_test(test_truncated_tables_stop),
        cmocka_unit_test(test_unknown_kind_reads_as_other),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
