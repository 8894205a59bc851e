/*
 * test_auth.c - the tokens file and the bearer check (server/auth.c):
 * header forms, unknown tokens, levels, and the file's rules (mode,
 * line format, token length), against files in a mkdtemp folder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"

#define AGENT "agent-token-0123456789"
#define INTERNAL "internal-token-0123456789"

typedef struct fixture {
    char dir[64];
    char path[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/hdx-test-auth-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/tokens", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    unlink(f->path);
    rmdir(f->dir);
    free(f);
    return 0;
}

static void write_file(const fixture *f, const char *text, mode_t mode)
{
    FILE *fp = fopen(f->path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    chmod(f->path, mode);
}

typedef struct header_case {
    const char *header;
    bool ok;
    hdx_audience level;
    const char *name;
} header_case;

static const header_case k_headers[] = {
    {"Bearer " AGENT, true, HDX_AUD_AGENT, "docs"},
    {"bearer " AGENT, true, HDX_AUD_AGENT, "docs"},
    {"BEARER " INTERNAL, true, HDX_AUD_INTERNAL, "oncall"},
    {"Bearer    " AGENT "  \t", true, HDX_AUD_AGENT, "docs"},
    {"Bearer " AGENT "x", false, HDX_AUD_PUBLIC, NULL},
    {"Bearer agent-token-012345678", false, HDX_AUD_PUBLIC, NULL},
    {"Bearer", false, HDX_AUD_PUBLIC, NULL},
    {"Bearer ", false, HDX_AUD_PUBLIC, NULL},
    {"Basic " AGENT, false, HDX_AUD_PUBLIC, NULL},
    {AGENT, false, HDX_AUD_PUBLIC, NULL},
    {"", false, HDX_AUD_PUBLIC, NULL},
};

static void test_auth_header_forms(void **state)
{
    fixture *f = *state;
    write_file(f, "# comment\n" AGENT " agent docs\n\n" INTERNAL
                  "  internal  oncall # trailing\n", 0600);
    auth *a;
    assert_int_equal(auth_load(f->path, &a, NULL), HDX_OK);
    for (size_t i = 0; i < sizeof k_headers / sizeof k_headers[0]; i++) {
        hdx_audience level = HDX_AUD_INTERNAL;
        const char *name = "x";
        bool ok = auth_check(a, k_headers[i].header, &level, &name);
        assert_int_equal(ok, k_headers[i].ok);
        assert_int_equal(level, k_headers[i].level);
        if (k_headers[i].name)
            assert_string_equal(name, k_headers[i].name);
        else
            assert_null(name);
    }
    auth_free(a);
}

static void test_auth_no_file_means_everyone_public(void **state)
{
    (void)state;
    auth *a;
    assert_int_equal(auth_load(NULL, &a, NULL), HDX_OK);
    hdx_audience level;
    const char *name;
    assert_false(auth_check(a, "Bearer " AGENT, &level, &name));
    assert_int_equal(level, HDX_AUD_PUBLIC);
    auth_free(a);
    auth_free(NULL);
}

typedef struct file_case {
    const char *text;
    mode_t mode;
    hdx_status st;
    int line;
    const char *needle;
} file_case;

static const file_case k_files[] = {
    {AGENT " agent docs\n", 0644, HDX_EIO, 0, "chmod 600"},
    {AGENT " agent docs\n", 0640, HDX_EIO, 0, "readable by other users"},
    {AGENT " agent\n", 0600, HDX_EPARSE, 1, "expected 'token level name'"},
    {"\n" AGENT " boss docs\n", 0600, HDX_EPARSE, 2,
     "level must be public, agent or internal"},
    {"short agent docs\n", 0600, HDX_EPARSE, 1, "16 to 128 characters"},
};

static void test_auth_file_rules(void **state)
{
    fixture *f = *state;
    for (size_t i = 0; i < sizeof k_files / sizeof k_files[0]; i++) {
        write_file(f, k_files[i].text, k_files[i].mode);
        auth *a = (auth *)1;
        hdx_error err;
        assert_int_equal(auth_load(f->path, &a, &err), k_files[i].st);
        assert_null(a);
        assert_int_equal(err.code, k_files[i].st);
        assert_non_null(strstr(err.msg, k_files[i].needle));
        assert_non_null(strstr(err.msg, f->path));
        if (k_files[i].line)
            assert_int_equal(err.line, k_files[i].line);
    }
}

static void test_auth_missing_file(void **state)
{
    fixture *f = *state;
    auth *a;
    hdx_error err;
    assert_int_equal(auth_load(f->path, &a, &err), HDX_EIO);
    assert_null(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_auth_header_forms, setup,
                                        teardown),
        cmocka_unit_test(test_auth_no_file_means_everyone_public),
        cmocka_unit_test_setup_teardown(test_auth_file_rules, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_auth_missing_file, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
