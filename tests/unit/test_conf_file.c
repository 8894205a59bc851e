/*
 * test_conf_file.c - reading helpdex.conf (server/conf_file.c): values
 * and lists become (name, value, line) entries in order, and every
 * mistake is reported as FILE:LINE with what is wrong.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf_file.h"

static char g_path[] = "/tmp/hdx-conf-XXXXXX";

static hdx_status load(const char *text, conf_file *f, hdx_error *err)
{
    strcpy(g_path, "/tmp/hdx-conf-XXXXXX");
    int fd = mkstemp(g_path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    hdx_status st = conf_file_load(g_path, f, err);
    unlink(g_path);
    return st;
}

static void test_values_lists_and_lines(void **state)
{
    (void)state;
    conf_file f;
    hdx_error err;
    assert_int_equal(load("# helpdex.conf\n"
                          "db: /var/lib/helpdex/index\n"
                          "threads: 8\n"
                          "trusted-proxy:\n"
                          "  - 10.0.0.1\n"
                          "  - \"::1\"\n"
                          "listen: [127.0.0.1:8080, \"[::1]:8080\"]\n"
                          "quiet: true\n",
                          &f, &err),
                     HDX_OK);
    const char *want[][3] = {
        {"db", "/var/lib/helpdex/index", "2"}, {"threads", "8", "3"},
        {"trusted-proxy", "10.0.0.1", "5"},   {"trusted-proxy", "::1", "6"},
        {"listen", "127.0.0.1:8080", "7"},    {"listen", "[::1]:8080", "7"},
        {"quiet", "true", "8"},
    };
    assert_int_equal(f.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < f.n; i++) {
        assert_string_equal(f.entries[i].name, want[i][0]);
        assert_string_equal(f.entries[i].value, want[i][1]);
        assert_int_equal(f.entries[i].line, atoi(want[i][2]));
    }
    conf_file_clear(&f);
}

static void test_empty_file_has_no_entries(void **state)
{
    (void)state;
    conf_file f;
    hdx_error err;
    assert_int_equal(load("# nothing set: the defaults\n", &f, &err), HDX_OK);
    assert_int_equal(f.n, 0);
    conf_file_clear(&f);
}

/* Each mistake: the status and the "FILE:LINE: ..." tail of the message. */
static void expect_error(const char *text, hdx_status code, const char *tail)
{
    conf_file f;
    hdx_error err;
    assert_int_equal(load(text, &f, &err), code);
    char want[256];
    snprintf(want, sizeof want, "%s:%s", g_path, tail);
    if (strcmp(err.msg, want) != 0)
        fail_msg("got '%s', want '%s'", err.msg, want);
    conf_file_clear(&f);
}

static void test_mistakes_name_file_and_line(void **state)
{
    (void)state;
    expect_error("db: /a\nthreads: 4\ndb: /b\n", HDX_EPARSE,
                 "3: 'db' is given twice (first on line 1)");
    expect_error("- db\n- threads\n", HDX_EPARSE,
                 "1: expected 'option: value' lines");
    expect_error("db: /a\nbranding:\n  color: red\n", HDX_EPARSE,
                 "2: 'branding': expected a value or a list of values");
    expect_error("trusted-proxy:\n  - 10.0.0.1\n  - [a, b]\n", HDX_EPARSE,
                 "3: 'trusted-proxy': a list item must be a plain value");
    expect_error("db: /a\n  threads: 4\n", HDX_EPARSE,
                 "2: mapping values are not allowed in this context");
}

static void test_missing_file_names_it(void **state)
{
    (void)state;
    conf_file f;
    hdx_error err;
    assert_int_equal(conf_file_load("/nonexistent/helpdex.conf", &f, &err),
                     HDX_EIO);
    assert_string_equal(err.msg,
                        "/nonexistent/helpdex.conf: No such file or directory");
    conf_file_clear(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_lists_and_lines),
        cmocka_unit_test(test_empty_file_has_no_entries),
        cmocka_unit_test(test_mistakes_name_file_and_line),
        cmocka_unit_test(test_missing_file_names_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
