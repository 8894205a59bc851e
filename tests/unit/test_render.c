/*
 * test_render.c - Markdown rendering (server/render.c): which link
 * targets name an article, and that links to articles the reader may not
 * see become plain text with no trace of their id, while the others point
 * at the URL the resolver gives.  The resolver is a stub: no index.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

static void test_render_link_ids(void **state)
{
    (void)state;
    static const struct {
        const char *url, *id, *tail;
    } cases[] = {
        {"kb:int-art", "int-art", ""},
        {"kb:int-art#steps", "int-art", "#steps"},
        {"/a/agent-art", "agent-art", ""},
        {"/a/caf%C3%A9-setup?x=1", "caf\xc3\xa9-setup", "?x=1"},
        {"/a/sub/page.md", "sub/page", ""},
        {"billing-faq.md", "billing-faq", ""},
        {"./billing-faq.md#a", "billing-faq", "#a"},
        {"kb:x%00y", "", ""},
        {"kb:", "", ""},
        {"https://example.com/a.md", NULL, NULL},
        {"/docs/x.md", NULL, NULL},
        {"mailto:someone", NULL, NULL},
        {"#anchor", NULL, NULL},
        {"picture.png", NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *tail = NULL;
        char *id = render_link_id(cases[i].url, &tail);
        if (!cases[i].id) {
            assert_null(id);
            continue;
        }
        assert_non_null(id);
        assert_string_equal(id, cases[i].id);
        assert_string_equal(tail, cases[i].tail);
        free(id);
    }
}

/* The stub reader sees "pub" and "agent-art"; it counts its calls. */
static int g_calls;

static void stub_links(const char *const *ids, size_t n, char **out,
                       char **titles, void *ctx)
{
    (void)ctx;
    (void)titles;
    g_calls++;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(ids[i], "pub") || !strcmp(ids[i], "agent-art")) {
            char url[64];
            snprintf(url, sizeof url, "/a/%s", ids[i]);
            out[i] = strdup(url);
        }
}

static void test_render_hidden_links_become_text(void **state)
{
    (void)state;
    const char *md =
        "See [the runbook](kb:int-art), [the guide](/a/agent-art#s), "
        "<kb:int-auto>, <kb:pub>, ![pic](kb:int-img) and "
        "[gone](missing.md) or [web](https://example.com/).\n\n"
        "[ref]: kb:int-ref\n\nA [reference][ref].\n";
    static const char *const shown[] = {
        "See the runbook, ", "<a href=\"/a/agent-art#s\">the guide</a>",
        "<a href=\"/a/pub\">kb:pub</a>", " pic and gone or ",
        "<a href=\"https://example.com/\">web</a>", "A reference."};
    g_calls = 0;
    render_opts o = {.links = stub_links};
    char *html = render_markdown(md, &o);
    assert_int_equal(g_calls, 1); /* every link in one call */
    assert_null(strstr(html, "int-"));
    assert_null(strstr(html, "missing"));
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
        assert_non_null(strstr(html, shown[i]));
    free(html);
    /* Without a resolver every article link is text. */
    html = render_markdown(md, NULL);
    assert_null(strstr(html, "agent-art"));
    assert_null(strstr(html, "kb:"));
    free(html);
    /* No article links: the resolver is not asked. */
    g_calls = 0;
    html = render_markdown("Plain [web](https://example.com/).\n", &o);
    assert_int_equal(g_calls, 0);
    free(html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_link_ids),
        cmocka_unit_test(test_render_hidden_links_become_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
