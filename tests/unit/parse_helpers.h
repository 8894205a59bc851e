/*
 * parse_helpers.h - what the article parser's unit tests share: parse an
 * inline source expecting success or HDX_EPARSE (checking the out-parameter
 * and error contract on the way), find a section or note, and time a parse.
 * Include it instead of <cmocka.h>; every helper is static inline, so a test
 * that uses only some of them still builds with -Werror.
 */
#ifndef HDX_TEST_PARSE_HELPERS_H
#define HDX_TEST_PARSE_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hdx/article.h"

static inline hdx_article *parse_ok_n(const char *path, const char *src, size_t n)
{
    hdx_article *a = (hdx_article *)1;
    hdx_error err;
    memset(&err, 0, sizeof err);
    hdx_status st = hdx_article_parse(path, src, n, &a, &err);
    if (st != HDX_OK)
        fail_msg("parse(%s) failed: status %d line %d col %d: %s", path, st,
                 err.line, err.column, err.msg);
    assert_non_null(a);
    return a;
}

static inline hdx_article *parse_ok(const char *path, const char *src)
{
    return parse_ok_n(path, src, strlen(src));
}

static inline hdx_error parse_fail_n(const char *path, const char *src, size_t n)
{
    hdx_article *a = (hdx_article *)1;
    hdx_error err;
    memset(&err, 0, sizeof err);
    hdx_status st = hdx_article_parse(path, src, n, &a, &err);
    if (st == HDX_OK) {
        hdx_article_free(a);
        fail_msg("parse(%s) succeeded, want HDX_EPARSE", path);
    }
    assert_int_equal(st, HDX_EPARSE);
    assert_int_equal(err.code, HDX_EPARSE);
    assert_null(a); /* out-parameter NULL on failure */
    assert_true(err.msg[0] != '\0');
    assert_true(err.line >= 1);
    return err;
}

static inline hdx_error parse_fail(const char *path, const char *src)
{
    return parse_fail_n(path, src, strlen(src));
}

static inline const hdx_section *find_section(const hdx_article *a,
                                       const char *heading)
{
    for (size_t i = 0; i < a->n_sections; i++)
        if (!strcmp(a->sections[i].heading, heading))
            return &a->sections[i];
    fail_msg("no section with heading \"%s\"", heading);
    return NULL;
}

static inline const hdx_note *find_note(const hdx_article *a, const char *rule)
{
    for (size_t i = 0; i < a->n_notes; i++)
        if (!strcmp(a->notes[i].rule, rule))
            return &a->notes[i];
    return NULL;
}

static inline bool has_item(const hdx_strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->items[i], s))
            return true;
    return false;
}

static inline double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Timing bounds are meaningless under valgrind. */
static inline bool under_valgrind(void)
{
    const char *p = getenv("LD_PRELOAD");
    return p && strstr(p, "vgpreload");
}

#endif
