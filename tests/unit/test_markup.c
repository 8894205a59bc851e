/*
 * test_markup.c - the platform pass and the cmark-gfm setup (lib/platform.c,
 * lib/markup.c): each platform construct's rewrite, that the line count
 * never changes, what is reported (line, rule, message), code left alone,
 * the GFM extensions, and the path resolver shared by lint and renderer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdx/markup.h"

static char g_notes[2048];

static void record(void *ctx, int line, const char *rule, const char *msg)
{
    (void)ctx;
    size_t n = strlen(g_notes);
    snprintf(g_notes + n, sizeof g_notes - n, "%d:%s:%s\n", line, rule, msg);
}

static size_t lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void test_markup_prepare_rewrites(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out, *notes;
    } cases[] = {
        /* Docusaurus admonitions, with a title, nested in a list-free body */
        {":::tip Guests are free\nText.\n:::\n",
         "> [!TIP] Guests are free\n> Text.\n\n", ""},
        {":::note[Heads up]\nA\n:::\n", "> [!NOTE] Heads up\n> A\n\n", ""},
        /* MkDocs: indented block, blank lines inside, end at dedent */
        {"!!! warning \"Careful\"\n    One\n\n    Two\nAfter\n",
         "> [!WARNING] Careful\n> One\n> \n> Two\nAfter\n", ""},
        {"??? note\n    Hidden\n", "> [!NOTE]\n> Hidden\n", ""},
        /* Hugo callouts and links */
        {"{{< notice tip >}}\nHi\n{{< /notice >}}\n",
         "> [!TIP]\n> Hi\n\n", ""},
        {"{{% alert title=\"Mind\" color=\"warning\" %}}\nX\n{{% /alert %}}\n",
         "> [!WARNING] Mind\n> X\n\n", ""},
        {"[a]({{< relref \"../b/c.md\" >}}) [d]({{< ref \"e.md#f\" >}})\n",
         "[a](../b/c.md) [d](e.md#f)\n", ""},
        {"{{< figure src=\"i/x.png\" alt=\"An x\" >}}\n",
         "![An x](<i/x.png>)\n", ""},
        {"a {{< youtube abc >}} b\n", "a  b\n",
         "1:hugo-shortcode:Hugo shortcode '{{< youtube >}}' is not "
         "rendered: it is left out of the page\n"},
        /* Jekyll / Liquid */
        {"[x]({% link a/b.md %}) {{ site.baseurl }}/y\n", "[x](/a/b.md) /y\n",
         ""},
        {"{% include note.html content=\"x\" %}\n", "\n",
         "1:liquid:Liquid tag '{% include %}' is not rendered: it is left "
         "out of the page\n"},
        {"Hi {{ page.title }}, key={{deviceID}}\n", "Hi , key={{deviceID}}\n",
         "1:liquid:Liquid variable '{{ page.title }}' is not rendered: it "
         "is left out of the page\n"},
        {"{% highlight ruby %}\nputs 1\n{% endhighlight %}\n",
         "```ruby\nputs 1\n```\n", ""},
        {"{% comment %}\nhidden\n{% endcomment %}\nshown\n", "\n\n\nshown\n",
         ""},
        /* MDX module lines; prose starting with "import" is kept */
        {"import Tabs from '@theme/Tabs';\nimport your data\n",
         "\nimport your data\n", ""},
        /* DocFX */
        {":::image type=\"content\" source=\"m/a b.png\" alt-text=\"A [b]\":::\n",
         "![A \\[b\\]](<m/a b.png>)\n", ""},
        {":::image type=\"complex\" source=\"m/c.png\" alt-text=\"C\":::\n"
         "long description\n:::image-end:::\nafter\n",
         "![C](<m/c.png>)\n\n\nafter\n", ""},
        {"::: zone pivot=\"x\"\nZ\n::: zone-end\n", "\nZ\n\n", ""},
        {"Name *:::no-loc text=\"GUID\":::* here\n", "Name *GUID* here\n", ""},
        {"Select :::image type=\"icon\" source=\"m/i.png\"::: then\n",
         "Select ![](<m/i.png>) then\n", ""},
        {"> [!VIDEO https://example.com/embed/x]\n",
         "> [Video](<https://example.com/embed/x>)\n", ""},
        {"> [!div class=\"nextstepaction\"]\n> [Go](x.md)\n",
         "> \n> [Go](x.md)\n", ""},
        {"[!INCLUDE [t](../includes/x.md)]\n", "\n",
         "1:docfx-include:DocFX include '../includes/x.md' is not rendered: "
         "it is left out of the page\n"},
        {":::code language=\"cs\" source=\"a.cs\":::\n", "\n",
         "1:docfx-directive:directive ':::code' is not rendered: it is "
         "left out of the page\n"},
        /* code is left alone: fences, tildes, spans */
        {"```\n{{< x >}}\n:::tip\n```\n`{{ page.x }}` ok\n",
         "```\n{{< x >}}\n:::tip\n```\n`{{ page.x }}` ok\n", ""},
        {"~~~~\n!!! note\n~~~~\n", "~~~~\n!!! note\n~~~~\n", ""},
        /* the note's line is the line of the construct */
        {"a\nb\n{% if x %}c{% endif %}\n", "a\nb\nc\n",
         "3:liquid:Liquid tag '{% if %}' is not rendered: it is left out "
         "of the page\n"},
        /* unterminated tags are text */
        {"a {{< b\n", "a {{< b\n", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        g_notes[0] = '\0';
        char *out = hdx_markup_prepare(cases[i].in, strlen(cases[i].in),
                                       record, NULL);
        if (strcmp(out, cases[i].out) || strcmp(g_notes, cases[i].notes))
            print_error("case %zu:\n[%s] expected\n[%s]\nnotes [%s]\n", i,
                        out, cases[i].out, g_notes);
        assert_string_equal(out, cases[i].out);
        assert_string_equal(g_notes, cases[i].notes);
        assert_int_equal(lines(out), lines(cases[i].in));
        free(out);
    }
}

static void test_markup_gfm_extensions(void **state)
{
    (void)state;
    const char *md = "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ "
                     "https://example.com\n\n- [x] done\n\n<b>raw</b>\n";
    cmark_node *doc = hdx_markup_parse(md, strlen(md), NULL, NULL);
    char *html = hdx_markup_html(doc);
    assert_non_null(strstr(html, "<table>"));
    assert_non_null(strstr(html, "<td>1</td>"));
    assert_non_null(strstr(html, "<del>old</del>"));
    assert_non_null(strstr(html, "<a href=\"https://example.com\">"));
    assert_non_null(strstr(html, "type=\"checkbox\" checked"));
    assert_null(strstr(html, "<b>")); /* safe mode */
    assert_true(hdx_markup_is(cmark_node_first_child(doc), "table"));
    free(html);
    cmark_node_free(doc);
}

static void test_markup_alert_marker(void **state)
{
    (void)state;
    char kind[16];
    assert_int_equal(hdx_markup_alert("[!NOTE] x", kind), 7);
    assert_string_equal(kind, "note");
    assert_int_equal(hdx_markup_alert("[!div class=\"x\"]", kind), 0);
    assert_int_equal(hdx_markup_alert("[!]", kind), 0);
    assert_int_equal(hdx_markup_alert("[!ABCDEFGHIJKLMNOPQ]", kind), 0);
}

static void test_markup_resolve(void **state)
{
    (void)state;
    static const struct {
        const char *from, *target, *out;
    } cases[] = {
        {"a/b.md", "../c.md", "c.md"},
        {"a/b.md", "./img/x.png", "a/img/x.png"},
        {"a/b.md", "x//y.md", "a/x/y.md"},
        {"b.md", "c.md", "c.md"},
        {"a/b.md", "/root.md", "root.md"},
        {"a/b.md", "../../up.md", NULL},
        {"a/b.md", "..", NULL},
        {"a/b.md", "x/../../../y", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *r = hdx_markup_resolve(cases[i].from, cases[i].target);
        if (!cases[i].out) {
            assert_null(r);
            continue;
        }
        assert_non_null(r);
        assert_string_equal(r, cases[i].out);
        free(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_markup_prepare_rewrites),
        cmocka_unit_test(test_markup_gfm_extensions),
        cmocka_unit_test(test_markup_alert_marker),
        cmocka_unit_test(test_markup_resolve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
