/*
 * test_render.c - Markdown rendering (server/render.c): which link
 * targets name an article, and that links to articles the reader may not
 * see become plain text with no trace of their id, while the others point
 * at the URL the resolver gives; relative paths, xref, media and
 * placeholders; tables, callouts and level-1 headings.  The resolvers
 * are stubs: no index.
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
        {"xref:skylark.export#a", "skylark.export", "#a"},
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

/* Stubs for a document at corpus path "docs/guide/page.md": "docs/x.md"
 * was indexed as article "x"; files under docs/ are served. */
static char *stub_path_id(const char *path, void *ctx)
{
    (void)ctx;
    return !strcmp(path, "docs/x.md") ? strdup("x") : NULL;
}

static char *stub_media(const char *path, void *ctx)
{
    (void)ctx;
    if (strncmp(path, "docs/", 5) != 0 || strstr(path, "gone"))
        return NULL;
    char url[256];
    snprintf(url, sizeof url, "/media/%s?a=page", path);
    return strdup(url);
}

static void stub_any_links(const char *const *ids, size_t n, char **out,
                           char **titles, void *ctx)
{
    (void)ctx;
    for (size_t i = 0; i < n; i++) {
        char url[64];
        snprintf(url, sizeof url, "/a/%s", ids[i]);
        out[i] = strdup(url);
        titles[i] = strdup("Title of x");
    }
}

static void test_render_paths_and_media(void **state)
{
    (void)state;
    const char *md =
        "[x](../x.md#vat) [y](../y.md) <xref:x> [z](xref:x#s)\n\n"
        "![shot](img/a.png) ![gone](img/gone.png) ![up](../../../up.png)\n\n"
        "[pdf](files/a.pdf#page=2) [out](../../../out.pdf) [web](#top)\n\n"
        "line<br>break <span>x</span>\n\n"
        "![ext](https://cdn.example.com/a.png) ![abs](/images/b.png) "
        "![logo](/assets/logo.svg)\n";
    render_opts o = {.path = "docs/guide/page.md", .links = stub_any_links,
                     .path_id = stub_path_id, .media = stub_media};
    char *html = render_markdown(md, &o);
    static const char *const shown[] = {
        "<a href=\"/a/x#vat\">x</a>", "<a href=\"/a/../y\">y</a>",
        "<a href=\"/a/x\">Title of x</a>", "<a href=\"/a/x#s\">z</a>",
        "<img src=\"/media/docs/guide/img/a.png?a=page\" alt=\"shot\" />",
        "<span class=\"img-missing\">Image not available: gone</span>",
        "<span class=\"img-missing\">Image not available: up</span>",
        "<a href=\"/media/docs/guide/files/a.pdf?a=page#page=2\">pdf</a>",
        " out ", "<a href=\"#top\">web</a>", "line<br />\nbreak x",
        "<span class=\"img-missing\">Image not available: ext</span>",
        "<span class=\"img-missing\">Image not available: abs</span>",
        "<img src=\"/assets/logo.svg\" alt=\"logo\" />"};
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
        if (!strstr(html, shown[i]))
            fail_msg("missing %s in\n%s", shown[i], html);
    assert_null(strstr(html, "raw HTML"));
    free(html);
}

static void test_render_blocks(void **state)
{
    (void)state;
    const char *md =
        "# The title\n\nIntro.\n\n## Plans\n\n| Plan | Price |\n|:--|--:|\n"
        "| Free | 0 |\n\n> [!WARNING]\n> Careful <now>.\n\n"
        "> [!TIP] Use *this*\n> Body.\n\n> Plain quote.\n\n# Another h1\n";
    render_opts o = {.title = "The title"};
    char *html = render_markdown(md, &o);
    static const char *const shown[] = {
        "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
        "aria-label=\"Table: Plans\">\n<table>",
        "<th scope=\"col\" align=\"left\">Plan</th>",
        "<th scope=\"col\" align=\"right\">Price</th>",
        "<td align=\"left\">Free</td>",
        "<div class=\"callout callout-warning\" role=\"note\">\n"
        "<p class=\"callout-title\"><strong>Warning</strong></p>\n"
        "<p>Careful .</p>\n</div>",
        "<p class=\"callout-title\"><strong>Tip</strong>: Use</p>",
        "<blockquote>\n<p>Plain quote.</p>", "<h2>Another h1</h2>"};
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
        if (!strstr(html, shown[i]))
            fail_msg("missing %s in\n%s", shown[i], html);
    assert_null(strstr(html, "<h1"));
    assert_null(strstr(html, "The title"));
    assert_null(strstr(html, "[!"));
    free(html);
    /* Without a page title the document keeps its h1 (the API's html). */
    html = render_markdown(md, NULL);
    assert_non_null(strstr(html, "<h1>The title</h1>"));
    free(html);
    size_t n;
    int *lv = render_heading_levels(md, &n);
    assert_int_equal(n, 3);
    assert_int_equal(lv[0], 1);
    assert_int_equal(lv[1], 2);
    free(lv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_paths_and_media),
        cmocka_unit_test(test_render_blocks),
        cmocka_unit_test(test_render_link_ids),
        cmocka_unit_test(test_render_hidden_links_become_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
