/*
 * fuzz_article.c - libFuzzer harness of the article parser: any bytes as
 * a file to hdx_article_parse(), then the visible Markdown and the
 * restricted-section test at every level and the index documents
 * (hdx_docset_build).  Checked: a failure is HDX_EPARSE or HDX_ENOMEM with
 * a rule; a parsed article has a title, an id and valid UTF-8 strings; a
 * level never sees less Markdown than the level below it; a docset holds
 * one to HDX_AUD_COUNT documents.
 */
#include "common.h"

#include "hdx/article.h"
#include "hdx/document.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static void check_str(const char *what, const char *s)
{
    if (s && !fuzz_utf8_ok(s, strlen(s), NULL))
        fuzz_fail("article %s is not valid UTF-8", what);
}

static void check_article(const hdx_article *a)
{
    if (!a->id || !*a->id || !a->title || !*a->title)
        fuzz_fail("parsed article without an id or a title");
    check_str("id", a->id);
    check_str("title", a->title);
    check_str("summary", a->summary);
    if (a->audience >= HDX_AUD_COUNT || a->type >= HDX_TYPE_COUNT)
        fuzz_fail("audience %d / type %d out of range", (int)a->audience,
                  (int)a->type);
    for (size_t i = 0; i < a->n_sections; i++) {
        const hdx_section *s = &a->sections[i];
        if (!s->heading || !s->anchor || !s->text || !s->code)
            fuzz_fail("section %zu has a NULL string", i);
        if (s->level < 0 || s->level > 6 || s->audience >= HDX_AUD_COUNT)
            fuzz_fail("section %zu: level %d, audience %d", i, s->level,
                      (int)s->audience);
        check_str("heading", s->heading);
        check_str("section text", s->text);
    }
}

static void check_levels(const hdx_article *a)
{
    size_t prev = 0;
    for (int l = HDX_AUD_PUBLIC; l < HDX_AUD_COUNT; l++) {
        char *md = hdx_article_visible_markdown(a, (hdx_audience)l);
        if (!md)
            fuzz_fail("no visible Markdown at level %d", l);
        size_t len = strlen(md);
        if (len < prev)
            fuzz_fail("level %d sees %zu bytes, the level below %zu", l, len,
                      prev);
        prev = len;
        free(md);
        (void)hdx_article_has_sections_above(a, (hdx_audience)l);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hdx_article *a = NULL;
    hdx_error err;
    hdx_status st = hdx_article_parse("fuzz/input.md", (const char *)data,
                                      size, &a, &err);
    if (st != HDX_OK) {
        if (a || (st != HDX_EPARSE && st != HDX_ENOMEM) || !err.rule[0])
            fuzz_fail("hdx_article_parse: status %d, rule '%s', out %p",
                      (int)st, err.rule, (void *)a);
        return 0;
    }
    check_article(a);
    check_levels(a);
    hdx_docset *s = NULL;
    st = hdx_docset_build(a, &s, &err);
    if (st != HDX_OK)
        fuzz_fail("hdx_docset_build: status %d: %s", (int)st, err.msg);
    size_t n = hdx_docset_count(s);
    if (n < 1 || n > HDX_AUD_COUNT)
        fuzz_fail("docset of %zu documents", n);
    hdx_docset_free(s);
    hdx_article_free(a);
    return 0;
}
