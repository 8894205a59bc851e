/*
 * test_article.c - hdx_article_parse() as a whole (include/hdx/article.h):
 * the checks before any parser (size, binary, UTF-8, empty), front matter
 * fences, line endings and BOM, defaults from the path and the type, and
 * every fatal error with its position and lint rule (err->rule).
 *
 * Tests named test_regression_* reproduce library bugs found by this suite
 * (here: a NULL error struct); they failed before the fix.
 */
#include "parse_helpers.h"

#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- defaults, fences, line endings ------------------------------------ */

static void test_defaults_from_path_and_h1(void **state)
{
    (void)state;
    hdx_article *a =
        parse_ok("articles/My File.md", "# Hello World\n\nBody text.\n");
    assert_string_equal(a->id, "articles/my-file");
    assert_string_equal(a->title, "Hello World");
    assert_true(a->title_from_h1);
    assert_string_equal(a->locale, "en");
    assert_int_equal(a->audience, HDX_AUD_PUBLIC);
    assert_int_equal(a->type, HDX_TYPE_ARTICLE);
    assert_string_equal(a->status, "published");
    assert_false(a->draft);
    assert_null(a->summary);
    assert_null(a->updated);
    assert_null(a->product);
    assert_int_equal(a->body_first_line, 1);
    hdx_article_free(a);
}

static void test_defaults_for_incidents(void **state)
{
    (void)state;
    hdx_article *a = parse_ok("incidents/2026/Sync Outage.md",
                              "# Sync outage\n\n## Symptoms\n\nIt broke.\n");
    assert_string_equal(a->id, "incidents/2026/sync-outage");
    assert_int_equal(a->type, HDX_TYPE_INCIDENT);
    assert_int_equal(a->audience, HDX_AUD_AGENT);
    assert_string_equal(a->status, "open");
    hdx_article_free(a);

    a = parse_ok("incidents/x.md",
                 "---\ntitle: X\nresolved: 2026-01-05\n---\nbody\n");
    assert_int_equal(a->type, HDX_TYPE_INCIDENT);
    assert_string_equal(a->status, "resolved");
    assert_string_equal(a->resolved, "2026-01-05");
    hdx_article_free(a);

    /* an explicit audience wins over the incident default */
    a = parse_ok("incidents/y.md", "---\ntitle: Y\naudience: public\n---\nb\n");
    assert_int_equal(a->type, HDX_TYPE_INCIDENT);
    assert_int_equal(a->audience, HDX_AUD_PUBLIC);
    hdx_article_free(a);
}

static void test_empty_front_matter_and_crlf_and_bom(void **state)
{
    (void)state;
    hdx_article *a = parse_ok("a.md", "---\n---\n# From H1\n");
    assert_string_equal(a->title, "From H1");
    hdx_article_free(a);

    a = parse_ok("a.md", "---\r\ntitle: T\r\n---\r\nbody\r\n");
    assert_string_equal(a->title, "T");
    hdx_article_free(a);

    a = parse_ok("a.md", "\xEF\xBB\xBF# Bom title\n");
    assert_string_equal(a->title, "Bom title");
    hdx_article_free(a);
}

static void test_closing_fence_with_trailing_space(void **state)
{
    (void)state;
    hdx_article *a =
        parse_ok("a.md", "---\ntitle: Spaced\n--- \nbody line\n");
    assert_string_equal(a->title, "Spaced");
    assert_string_equal(a->body, "body line\n");
    assert_int_equal(a->body_first_line, 4);
    hdx_article_free(a);
    a = parse_ok("a.md", "---\ntitle: Tabbed\n---\t\r\nbody\n");
    assert_string_equal(a->title, "Tabbed");
    hdx_article_free(a);
}

/* ---- fatal errors ------------------------------------------------------ */

static void test_unterminated_front_matter(void **state)
{
    (void)state;
    hdx_error e = parse_fail("a.md", "---\ntitle: T\nbody\n\nmore\n");
    assert_int_equal(e.line, 1);
}

static void test_invalid_yaml_reports_its_line(void **state)
{
    (void)state;
    hdx_error e =
        parse_fail("a.md", "---\ntitle: T\nfoo: [unclosed\nbar: 1\n---\nb\n");
    assert_true(e.line > 1);
    assert_true(e.column >= 1);
    assert_non_null(strstr(e.msg, "YAML"));

    e = parse_fail("a.md", "---\ntitle: T\nsummary: \"open quote\n---\nb\n");
    assert_true(e.line > 1);

    e = parse_fail("a.md", "---\ntitle: T\n  bad: indent\n---\nb\n");
    assert_true(e.line > 1);

    /* front matter must be a mapping */
    e = parse_fail("a.md", "---\n- a\n- b\n---\n# T\n");
    assert_int_equal(e.line, 2);
}

typedef struct {
    const char *name;
    const char *src;
    size_t len; /* 0: strlen */
    int line, column; /* 0: not checked */
    const char *rule; /* err->rule: the lint rule of the failure */
} fatal_case;

static const fatal_case fatal_cases[] = {
    {"empty", "", 0, 1, 0, "empty-file"},
    {"whitespace only", "  \n\n\t\n", 0, 1, 0, "empty-file"},
    {"bom only", "\xEF\xBB\xBF\n", 0, 1, 0, "empty-file"},
    {"NUL byte", "# T\n\0binary", 11, 1, 0, "binary-file"},
    {"invalid UTF-8 line 2 col 3", "line one\nab\xC3(cd\n", 0, 2, 3,
     "invalid-utf8"},
    {"invalid UTF-8 after multibyte", "caf\xC3\xA9 \xFF\n", 0, 1, 6,
     "invalid-utf8"},
    {"surrogate in body", "# T\n\nx \xED\xA0\x80\n", 0, 3, 3, "invalid-utf8"},
    {"invalid status", "---\ntitle: T\nstatus: bogus\n---\nb\n", 0, 0, 0,
     "invalid-status"},
    {"article status on incident",
     "---\ntitle: T\ntype: incident\nstatus: published\n---\nb\n", 0, 0, 0,
     "invalid-status"},
    {"invalid type", "---\ntitle: T\ntype: blogpost\n---\nb\n", 0, 3, 1,
     "invalid-type"},
    {"no title", "just some text\n", 0, 1, 0, "missing-title"},
    {"empty H1 is no title", "# \n\ntext\n", 0, 1, 0, "missing-title"},
    {"audience typo internl", "---\ntitle: T\naudience: internl\n---\nb\n", 0,
     3, 1, "invalid-audience"},
    {"audience typo pubic", "---\ntitle: T\naudience: Pubic\n---\nb\n", 0, 3,
     1, "invalid-audience"},
    {"audience typo agnet", "---\ntitle: T\naudience: agnet\n---\nb\n", 0, 3,
     1, "invalid-audience"},
    {"heading audience typo", "# T\n\n## Notes {audience=agnet}\n\nx\n", 0, 3,
     1, "invalid-audience"},
    {"unterminated front matter", "---\ntitle: T\nbody\n", 0, 1, 1, "yaml"},
    {"invalid YAML", "---\ntitle: T\nfoo: [unclosed\nbar: 1\n---\nb\n", 0, 0,
     0, "yaml"},
    {"front matter not a mapping", "---\n- a\n- b\n---\n# T\n", 0, 2, 1,
     "yaml"},
    /* The rule follows the failure, not words the writer put in the value
     * (a lint that matched the message would say yaml / missing-title). */
    {"type value quoting a message",
     "---\ntitle: T\ntype: invalid YAML\n---\nb\n", 0, 3, 1, "invalid-type"},
    {"status value quoting a message",
     "---\ntitle: T\nstatus: no title\n---\nb\n", 0, 3, 1, "invalid-status"},
};

static void test_fatal_errors_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof fatal_cases / sizeof fatal_cases[0]; i++) {
        const fatal_case *c = &fatal_cases[i];
        size_t n = c->len ? c->len : strlen(c->src);
        hdx_error e = parse_fail_n("a.md", c->src, n);
        if (c->line && e.line != c->line)
            fail_msg("%s: line %d, want %d (%s)", c->name, e.line, c->line,
                     e.msg);
        if (c->column && e.column != c->column)
            fail_msg("%s: column %d, want %d (%s)", c->name, e.column,
                     c->column, e.msg);
        if (strcmp(e.rule, c->rule) != 0)
            fail_msg("%s: rule \"%s\", want \"%s\" (%s)", c->name, e.rule,
                     c->rule, e.msg);
    }
}

static void test_audience_typo_message(void **state)
{
    (void)state;
    hdx_error e =
        parse_fail("a.md", "---\ntitle: T\naudience: internl\n---\nb\n");
    assert_non_null(strstr(e.msg, "internal"));
}

static void test_file_over_max_bytes(void **state)
{
    (void)state;
    size_t n = HDX_ARTICLE_MAX_BYTES + 1;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'a', n);
    memcpy(big, "# Big\n", 6);
    hdx_error e = parse_fail_n("a.md", big, n);
    assert_string_equal(e.rule, "too-large");
    /* exactly the limit is accepted */
    hdx_article *a = parse_ok_n("a.md", big, HDX_ARTICLE_MAX_BYTES);
    assert_string_equal(a->title, "Big");
    hdx_article_free(a);
    free(big);
}

static void test_null_err_is_allowed_on_failure(void **state)
{
    (void)state;
    hdx_article *a = (hdx_article *)1;
    assert_int_equal(hdx_article_parse("a.md", "", 0, &a, NULL), HDX_EPARSE);
    assert_null(a);
    const char *s = "---\ntitle: T\nfoo: [x\n---\n";
    assert_int_equal(hdx_article_parse("a.md", s, strlen(s), &a, NULL),
                     HDX_EPARSE);
    assert_null(a);
}

/* Run parse(src, err=NULL) in a child; true if the child did not crash. */
static bool parse_null_err_survives(const char *src)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* cmocka's crash handlers would resume the test run in the child */
        signal(SIGSEGV, SIG_DFL);
        signal(SIGBUS, SIG_DFL);
        signal(SIGILL, SIG_DFL);
        signal(SIGFPE, SIG_DFL);
        signal(SIGABRT, SIG_DFL);
        hdx_article *a = NULL;
        hdx_status st = hdx_article_parse("a.md", src, strlen(src), &a, NULL);
        hdx_article_free(a);
        _exit(st == HDX_EPARSE ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* BUG: frontmatter.c apply_audience() and the type field wrote
 * err->line/err->column without checking err for NULL, so a refused
 * audience typo or an invalid type with err == NULL dereferenced NULL. */
static void test_regression_null_err_audience_typo_crashes(void **state)
{
    (void)state;
    assert_true(parse_null_err_survives(
        "---\ntitle: T\naudience: internl\n---\nbody\n"));
    assert_true(
        parse_null_err_survives("---\ntitle: T\ntype: blogpost\n---\nbody\n"));
}

/* A mistyped visibility marker refuses the file: indexing it would publish
 * the section it was meant to hide. */
static void test_bad_heading_audience_refuses_the_file(void **state)
{
    (void)state;
    const char *src = "# T\n\n## Notes {audience=agnet}\n\nsecret\n";
    hdx_article *a = NULL;
    hdx_error err;
    hdx_error_clear(&err);
    assert_int_equal(hdx_article_parse("a.md", src, strlen(src), &a, &err),
                     HDX_EPARSE);
    assert_null(a);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.msg, "audience="));
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_from_path_and_h1),
        cmocka_unit_test(test_defaults_for_incidents),
        cmocka_unit_test(test_empty_front_matter_and_crlf_and_bom),
        cmocka_unit_test(test_closing_fence_with_trailing_space),
        cmocka_unit_test(test_unterminated_front_matter),
        cmocka_unit_test(test_invalid_yaml_reports_its_line),
        cmocka_unit_test(test_fatal_errors_table),
        cmocka_unit_test(test_audience_typo_message),
        cmocka_unit_test(test_file_over_max_bytes),
        cmocka_unit_test(test_null_err_is_allowed_on_failure),
        cmocka_unit_test(test_regression_null_err_audience_typo_crashes),
        cmocka_unit_test(test_bad_heading_audience_refuses_the_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
