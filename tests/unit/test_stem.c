/*
 * test_stem.c - hdx_stem_words() (include/hdx/xapian.h): the stems of a
 * text's words as the query side analyses them (folding, stop words, the
 * stemmer of a language), which the reports use to cluster queries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "hdx/xapian.h"

typedef struct {
    const char *text, *lang, *want;
} stem_case;

static const stem_case k_cases[] = {
    {"refund order", NULL, "refund order"},
    {"Refunds for Orders", NULL, "refund order"},
    {"refunding my order", "", "refund order"},
    {"printer is offline!", NULL, "printer offlin"},
    {"the", NULL, ""},
    {"", NULL, ""},
    {NULL, NULL, ""},
    {"won't sync", NULL, "wont sync"},
    {"Café RÉSUMÉS", NULL, "cafe resum"},
    {"sync-error 0x80070005", NULL, "sync error 0x80070005"},
    {"Dateien synchronisieren", "de", "datei synchronisi"},
    {"running", "none", "running"},
    {"running", "xx-unknown", "run"},
};

static void test_stem_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof k_cases / sizeof k_cases[0]; i++) {
        char *out = (char *)1;
        hdx_error err;
        assert_int_equal(hdx_stem_words(k_cases[i].text, k_cases[i].lang,
                                        &out, &err),
                         HDX_OK);
        assert_string_equal(out, k_cases[i].want);
        free(out);
    }
}

static void test_stem_bad_utf8(void **state)
{
    (void)state;
    char *out = (char *)1;
    hdx_error err;
    assert_int_equal(hdx_stem_words("caf\xc3", NULL, &out, &err), HDX_EPARSE);
    assert_null(out);
    assert_int_equal(err.code, HDX_EPARSE);
    assert_int_equal(hdx_stem_words("caf\xc3", NULL, &out, NULL), HDX_EPARSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stem_cases),
        cmocka_unit_test(test_stem_bad_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
