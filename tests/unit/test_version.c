/*
 * test_version.c - hdx/version.h: what parses as a version, the order of
 * versions (numbers, missing parts, "v", pre-releases, components), finding
 * the customer's version in pasted text, and the fit of an incident.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "hdx/version.h"

typedef struct {
    const char *in;
    bool ok;
} parse_case;

static const parse_case parse_cases[] = {
    {"5.2.1", true},          {"v5.2.1", true},
    {"V5", true},             {" 5.2 ", true},
    {"5.3.0-rc.1", true},     {"5.2.1+build.7", true},
    {"sdk-java 3.4.1", true}, {"1.2.3.4.5.6", true},
    {"1.2.3.4.5.6.7", false}, {"5.2.x", false},
    {"latest", false},        {"", false},
    {"5..2", false},          {"5.2.", false},
    {"5.2-", false},          {"5.2-rc..1", false},
    {"1234567890", false},    {"v", false},
};

static void test_version_parse(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
        hdx_ver v;
        bool ok = hdx_ver_parse(parse_cases[i].in, &v);
        if (ok != parse_cases[i].ok)
            fail_msg("'%s': expected %s", parse_cases[i].in,
                     parse_cases[i].ok ? "a version" : "no version");
    }
    hdx_ver v;
    assert_true(hdx_ver_parse("SDK-Java  v3.4.1-RC.2+x", &v));
    assert_string_equal(v.component, "sdk-java");
    assert_int_equal(v.n_parts, 3);
    assert_int_equal(v.part[1], 4);
    assert_string_equal(v.pre, "rc.2");
}

typedef struct {
    const char *a, *b;
    int cmp;          /* sign */
    bool comparable;
} cmp_case;

static const cmp_case cmp_cases[] = {
    {"5.2.1", "5.2.1", 0, true},
    {"5.2.0", "5.2.1", -1, true},
    {"5.10.0", "5.9.9", 1, true},      /* numbers, not text */
    {"5.2", "5.2.0", 0, true},         /* missing parts are zeros */
    {"v5.2.1", "5.2.1", 0, true},
    {"5.3.0-rc.1", "5.3.0", -1, true}, /* a pre-release comes first */
    {"5.3.0-alpha", "5.3.0-alpha.1", -1, true},
    {"5.3.0-alpha.1", "5.3.0-alpha.beta", -1, true},
    {"5.3.0-beta.2", "5.3.0-beta.11", -1, true},
    {"5.3.0-rc.1", "5.2.9", 1, true},
    {"5.2.1+b7", "5.2.1+b9", 0, true}, /* build metadata is ignored */
    {"sdk-java 3.4.0", "sdk-java 3.4.1", -1, true},
    {"sdk-java 3.4.0", "3.4.1", 0, false},
    {"sdk-java 3.4.0", "sdk-python 3.4.0", 0, false},
};

static void test_version_cmp(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cmp_cases / sizeof cmp_cases[0]; i++) {
        const cmp_case *c = &cmp_cases[i];
        hdx_ver a, b;
        assert_true(hdx_ver_parse(c->a, &a));
        assert_true(hdx_ver_parse(c->b, &b));
        bool comparable;
        int d = hdx_ver_cmp(&a, &b, &comparable);
        int sign = d < 0 ? -1 : d > 0;
        if (sign != c->cmp || comparable != c->comparable)
            fail_msg("%s vs %s: got %d (%s)", c->a, c->b, sign,
                     comparable ? "comparable" : "not comparable");
        /* and the other way round */
        d = hdx_ver_cmp(&b, &a, NULL);
        assert_int_equal(d < 0 ? -1 : d > 0, -c->cmp);
    }
}

typedef struct {
    const char *text;
    const char *found; /* NULL: none */
} find_case;

static const find_case find_cases[] = {
    {"Skylark desktop version 5.2.1 on Windows 11", "5.2.1"},
    {"Version: 5.2.0\nOS: macOS 14.4", "5.2.0"},
    {"app build 5.3.0-rc.1 crashed", "5.3.0-rc.1"},
    {"running v5.1.3.", "5.1.3"},
    {"ver=5.2", "5.2"},
    {"Release 5.2.4 notes", "5.2.4"},
    {"connect to 10.0.0.12:443 failed", NULL},  /* an address */
    {"libskysync.so.3 at line 52", NULL},
    {"build 5021 failed", NULL},               /* one number is no version */
    {"conversion 5.2.1", NULL},                /* not the word "version" */
    {"", NULL},
};

static void test_version_find(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof find_cases / sizeof find_cases[0]; i++) {
        char out[HDX_VER_TEXT];
        const find_case *c = &find_cases[i];
        bool ok = hdx_ver_find(c->text, strlen(c->text), out);
        if (ok != (c->found != NULL) || (ok && strcmp(out, c->found)))
            fail_msg("'%s': got '%s'", c->text, ok ? out : "(none)");
    }
}

typedef struct {
    const char *customer, *fixed_in;
    const char *versions[3];
    hdx_ver_fit fit;
} fit_case;

static const fit_case fit_cases[] = {
    {"5.2.1", "5.2.4", {"5.2.1", "5.2.2"}, HDX_FIT_UPGRADE},
    {"5.2.4", "5.2.4", {"5.2.1", "5.2.2"}, HDX_FIT_FIXED},  /* fixed there */
    {"5.3.0", "5.2.4", {"5.2.1", "5.2.2"}, HDX_FIT_FIXED},
    {"5.1.0", "5.2.4", {"5.2.1", "5.2.2"}, HDX_FIT_TOO_OLD},
    {"5.2.2", NULL, {"5.2.1", "5.2.2"}, HDX_FIT_AFFECTED},
    {"5.2.3", NULL, {"5.2.1", "5.2.2"}, HDX_FIT_UNKNOWN},
    {"5.2.1", NULL, {NULL}, HDX_FIT_UNKNOWN},
    {NULL, "5.2.4", {"5.2.1"}, HDX_FIT_UNKNOWN},
    {"latest", "5.2.4", {"5.2.1"}, HDX_FIT_UNKNOWN},
    /* another component's numbers say nothing */
    {"5.2.1", "sdk-java 3.4.1", {"sdk-java 3.4.0"}, HDX_FIT_UNKNOWN},
    {"sdk-java 3.4.1", "sdk-java 3.4.1", {"sdk-java 3.4.0"}, HDX_FIT_FIXED},
};

static void test_version_fit(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof fit_cases / sizeof fit_cases[0]; i++) {
        const fit_case *c = &fit_cases[i];
        size_t n = 0;
        while (n < 3 && c->versions[n])
            n++;
        hdx_ver_fit f = hdx_ver_fit_of(c->customer, c->fixed_in, c->versions,
                                       n);
        if (f != c->fit)
            fail_msg("case %zu (customer %s): got %d, expected %d", i,
                     c->customer ? c->customer : "(none)", (int)f,
                     (int)c->fit);
    }
    assert_true(hdx_ver_fit_demoted(HDX_FIT_FIXED));
    assert_true(hdx_ver_fit_demoted(HDX_FIT_TOO_OLD));
    assert_false(hdx_ver_fit_demoted(HDX_FIT_UPGRADE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_parse),
        cmocka_unit_test(test_version_cmp),
        cmocka_unit_test(test_version_find),
        cmocka_unit_test(test_version_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
