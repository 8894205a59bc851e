/*
 * test_base_path.c - the --base-path prefix (server/base_path.c): what
 * the option accepts and why not, how an incoming path loses the prefix
 * (and which paths are outside it), and the URLs and cookie path written
 * under it; with no prefix every path and URL is unchanged.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base_path.h"

static void test_base_path_valid(void **state)
{
    (void)state;
    static const char *const good[] = {"/", "/help", "/help/center",
                                       "/support-2.0", "/a_b~c"};
    static const char *const bad[] = {"", "help", "/help/", "//help",
                                      "/a//b", "/a/../b", "/..", "/a/.",
                                      "/a?b", "/a#b", "/a%2e", "/a b",
                                      "/a\\b", "/a\"b"};
    const char *why;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        assert_true(base_path_valid(good[i], &why));
        assert_null(why);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_false(base_path_valid(bad[i], &why));
        assert_non_null(why);
    }
    char longer[BASE_PATH_MAX + 2];
    memset(longer, 'a', sizeof longer - 1);
    longer[0] = '/';
    longer[sizeof longer - 1] = '\0';
    assert_false(base_path_valid(longer, &why));
    assert_false(base_path_valid(NULL, &why));
}

/* strip() on a copy of `in`: the result, or NULL when outside. */
static char *strip(const char *in)
{
    char *p = strdup(in);
    if (!base_path_strip(p)) {
        assert_string_equal(p, in); /* left as it was */
        free(p);
        return NULL;
    }
    return p;
}

static void expect(const char *in, const char *want)
{
    char *got = strip(in);
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_base_path_strip(void **state)
{
    (void)state;
    base_path_set("/help");
    expect("/help/", "/");
    expect("/help", "/");
    expect("/help/a/x", "/a/x");
    expect("/help/help/x", "/help/x");
    expect("/helpx", NULL);
    expect("/search", NULL);
    expect("/", NULL);
    expect("/hel", NULL);
    expect("/healthz", "/healthz"); /* also at the root */
    expect("/readyz", "/readyz");
    expect("/metrics", "/metrics");
    expect("/help/healthz", "/healthz");
    base_path_set(NULL);
    expect("/help/a/x", "/help/a/x");
    expect("/", "/");
    base_path_set("/");
    assert_string_equal(base_path(), "");
    expect("/search", "/search");
}

static void test_base_path_urls_and_cookie(void **state)
{
    (void)state;
    hdx_buf b;
    hdx_buf_init(&b);
    base_path_set(NULL);
    base_url(&b, "/search?q=x");
    assert_string_equal(b.data, "/search?q=x");
    assert_string_equal(base_path_cookie(), "/");
    base_path_set("/help/center");
    hdx_buf_reset(&b);
    base_url(&b, "/search?q=x");
    assert_string_equal(b.data, "/help/center/search?q=x");
    assert_string_equal(base_path(), "/help/center");
    assert_string_equal(base_path_cookie(), "/help/center");
    base_path_set("no-slash"); /* invalid: no prefix */
    assert_string_equal(base_path(), "");
    base_path_set(NULL);
    hdx_buf_clear(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base_path_valid),
        cmocka_unit_test(test_base_path_strip),
        cmocka_unit_test(test_base_path_urls_and_cookie),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
