/*
 * test_vocab.c - the small value helpers of include/hdx/article.h:
 * audience, type and section-kind names (lib/vocab.c) and slugs
 * (lib/slug.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "hdx/article.h"

static void test_slugify_and_names(void **state)
{
    (void)state;
    static const char *const slugs[][2] = {
        {"Hello World", "hello-world"},
        {"  Sync: fails (0x80070005)!  ", "sync-fails-0x80070005"},
        {"Caf\xC3\xA9 Cr\xC3\xA8me", "cafe-creme"},
        {"My File", "my-file"},
        {"---", ""},
    };
    for (size_t i = 0; i < sizeof slugs / sizeof slugs[0]; i++) {
        char *s = hdx_slugify(slugs[i][0]);
        if (strcmp(s, slugs[i][1]))
            fail_msg("slugify(\"%s\") = \"%s\", want \"%s\"", slugs[i][0], s,
                     slugs[i][1]);
        free(s);
    }
    assert_int_equal(hdx_audience_parse("Agent"), HDX_AUD_AGENT);
    assert_int_equal(hdx_audience_parse("nobody"), -1);
    assert_string_equal(hdx_audience_name(HDX_AUD_INTERNAL), "internal");
    assert_int_equal(hdx_doctype_parse("incident"), HDX_TYPE_INCIDENT);
    assert_int_equal(hdx_doctype_parse("howto"), HDX_TYPE_ARTICLE);
    assert_int_equal(hdx_doctype_parse("blog"), -1);
    assert_string_equal(hdx_doctype_name(HDX_TYPE_FAQ), "faq");
    assert_string_equal(hdx_section_kind_name(HDX_SEC_CAUSE), "cause");
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slugify_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
