/*
 * test_markdown.c - the Markdown body of hdx_article_parse()
 * (lib/markdown.c): sections and their line ranges, audience markers and
 * what each audience sees, incident section kinds, anchors, refs with
 * lines, section text and code, and deeply nested or huge bodies.
 *
 * Tests named test_regression_* reproduce library bugs found by this suite
 * (CR line endings leaking agent sections, spurious audience notes, an
 * off-by-one section end); they failed before the fix.
 */
#include "parse_helpers.h"

#include <stdio.h>

#include "hdx/buf.h"

/* ---- sections ---------------------------------------------------------- */

static const char *const AUD_DOC =
    "---\n"              /* 1 */
    "title: T\n"         /* 2 */
    "---\n"              /* 3 */
    "# Top\n"            /* 4 */
    "\n"                 /* 5 */
    "intro words\n"      /* 6 */
    "\n"                 /* 7 */
    "## Agent notes {audience=agent}\n" /* 8 */
    "\n"                 /* 9 */
    "secret words\n"     /* 10 */
    "\n"                 /* 11 */
    "### Sub\n"          /* 12 */
    "\n"                 /* 13 */
    "more secret\n"      /* 14 */
    "\n"                 /* 15 */
    "## Public again\n"  /* 16 */
    "\n"                 /* 17 */
    "open text\n";       /* 18 */

static void test_audience_sections(void **state)
{
    (void)state;
    hdx_article *a = parse_ok("a.md", AUD_DOC);
    assert_int_equal(a->audience, HDX_AUD_PUBLIC);
    assert_int_equal(a->n_sections, 5);
    assert_int_equal(a->sections[0].level, 0);
    assert_string_equal(a->sections[0].heading, "");

    const hdx_section *s = find_section(a, "Agent notes");
    assert_int_equal(s->audience, HDX_AUD_AGENT);
    assert_int_equal(s->level, 2);
    assert_string_equal(s->anchor, "agent-notes");
    assert_null(strchr(s->heading, '{'));
    assert_int_equal(s->first_line, 8);
    assert_int_equal(s->last_line, 11);
    assert_non_null(strstr(s->text, "secret words"));

    const hdx_section *sub = find_section(a, "Sub");
    assert_int_equal(sub->audience, HDX_AUD_AGENT); /* inherited */
    assert_int_equal(sub->level, 3);
    assert_int_equal(sub->first_line, 12);

    const hdx_section *pub = find_section(a, "Public again");
    assert_int_equal(pub->audience, HDX_AUD_PUBLIC);
    assert_int_equal(pub->first_line, 16);
    /* the last section runs to the end of the file (18 lines; see
     * test_regression_last_section_last_line for the exact value) */
    assert_true(pub->last_line >= 18);
    assert_int_equal(find_section(a, "Top")->audience, HDX_AUD_PUBLIC);

    assert_true(hdx_article_has_sections_above(a, HDX_AUD_PUBLIC));
    assert_false(hdx_article_has_sections_above(a, HDX_AUD_AGENT));
    assert_false(hdx_article_has_sections_above(a, HDX_AUD_INTERNAL));

    char *pub_md = hdx_article_visible_markdown(a, HDX_AUD_PUBLIC);
    assert_non_null(strstr(pub_md, "# Top\n"));
    assert_non_null(strstr(pub_md, "intro words\n"));
    assert_non_null(strstr(pub_md, "## Public again\n"));
    assert_non_null(strstr(pub_md, "open text\n"));
    assert_null(strstr(pub_md, "Agent notes"));
    assert_null(strstr(pub_md, "secret"));
    assert_null(strstr(pub_md, "### Sub"));
    assert_string_equal(pub_md,
                        "# Top\n\nintro words\n\n## Public again\n\nopen text\n");

    char *agent_md = hdx_article_visible_markdown(a, HDX_AUD_AGENT);
    assert_string_equal(agent_md, a->body); /* everything, lines intact */
    assert_non_null(strstr(agent_md, "## Agent notes {audience=agent}\n"));
    assert_non_null(strstr(agent_md, "secret words"));
    assert_non_null(strstr(agent_md, "more secret"));
    char *internal_md = hdx_article_visible_markdown(a, HDX_AUD_INTERNAL);
    assert_string_equal(internal_md, a->body);
    free(pub_md);
    free(agent_md);
    free(internal_md);
    hdx_article_free(a);
}

/* BUG: markdown.c counts the newlines of the body to find the last line,
 * so with the usual trailing newline the last section's last_line is one
 * past the end of the file (19 for an 18-line file). */
static void test_regression_last_section_last_line(void **state)
{
    (void)state;
    hdx_article *a = parse_ok("a.md", AUD_DOC);
    assert_int_equal(find_section(a, "Public again")->last_line, 18);
    hdx_article_free(a);
    a = parse_ok("a.md", "# One\n\nline\n"); /* 3 lines */
    assert_int_equal(find_section(a, "One")->last_line, 3);
    hdx_article_free(a);
}

/* BUG (audience leak): cmark ends a line at a lone CR, but markdown.c's
 * last_line and hdx_article_visible_markdown() count only LF, so with
 * CR-only line endings or "\r\r\n" (a doubly converted file) section line
 * ranges no longer match the lines cut, and agent-only lines are emitted
 * into the public Markdown (which the indexer stores for public readers). */
static void test_regression_cr_line_endings_leak_agent_section(void **state)
{
    (void)state;
    static const char *const srcs[] = {
        "# T\r\rpublic words\r\r## Agent {audience=agent}\r\rsecret "
        "words\r",
        "# T\r\r\n\r\r\npublic words\r\r\n\r\r\n## Agent {audience=agent}"
        "\r\r\n\r\r\nsecret words\r\r\n\r\r\n## Public\r\r\n\r\r\nok\r\r\n",
        /* one stray CR shifts every later range by a line */
        "# T\n\npublic\rwords\n\n## Agent {audience=agent}\nsecret one\n"
        "secret two\n\n## Public\n\nok\n",
    };
    size_t leaks = 0;
    for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
        hdx_article *a = parse_ok("a.md", srcs[i]);
        assert_int_equal(find_section(a, "Agent")->audience, HDX_AUD_AGENT);
        char *md = hdx_article_visible_markdown(a, HDX_AUD_PUBLIC);
        if (strstr(md, "secret") || strstr(md, "audience=agent")) {
            print_error("case %zu: agent-only text in the public Markdown\n",
                        i);
            leaks++;
        }
        free(md);
        hdx_article_free(a);
    }
    assert_int_equal(leaks, 0);
}

static void test_audience_marker_cannot_lower_inherited(void **state)
{
    (void)state;
    hdx_article *a = parse_ok(
        "a.md", "# T\n\n## Internal {audience=internal}\n\nx\n\n"
                "### Try public {audience=public}\n\ny\n\n"
                "### Agent {audience=\"agent\"}\n\nz\n");
    assert_int_equal(find_section(a, "Internal")->audience, HDX_AUD_INTERNAL);
    assert_int_equal(find_section(a, "Try public")->audience,
                     HDX_AUD_INTERNAL);
    assert_int_equal(find_section(a, "Agent")->audience, HDX_AUD_INTERNAL);
    char *md = hdx_article_visible_markdown(a, HDX_AUD_AGENT);
    assert_string_equal(md, "# T\n\n");
    free(md);
    hdx_article_free(a);
}

typedef struct {
    const char *heading;
    hdx_section_kind kind;
} kind_case;

static const kind_case kind_cases[] = {
    {"Symptoms", HDX_SEC_SYMPTOMS},
    {"symptom", HDX_SEC_SYMPTOMS},
    {"SYMPTOMS", HDX_SEC_SYMPTOMS},
    {"Cause", HDX_SEC_CAUSE},
    {"Root cause", HDX_SEC_CAUSE},
    {"ROOT CAUSE", HDX_SEC_CAUSE},
    {"Resolution", HDX_SEC_RESOLUTION},
    {"Resolution steps", HDX_SEC_RESOLUTION},
    {"resolution", HDX_SEC_RESOLUTION},
    {"Workaround", HDX_SEC_WORKAROUND},
    {"WORKAROUND", HDX_SEC_WORKAROUND},
    {"Temporary workaround", HDX_SEC_WORKAROUND},
    {"Related articles", HDX_SEC_LINKS},
    {"See also", HDX_SEC_LINKS},
    {"Next steps", HDX_SEC_LINKS},
    {"References", HDX_SEC_LINKS},
    {"Relatedness", HDX_SEC_OTHER},
    {"Background", HDX_SEC_OTHER},
    {"Causes", HDX_SEC_CAUSE},
    {"Workarounds", HDX_SEC_WORKAROUND},
    {"Causeway closure", HDX_SEC_OTHER}, /* "cause" + more letters */
    {"Fixed in 5.3", HDX_SEC_OTHER},
    {"Timeline", HDX_SEC_OTHER},
};

static void test_incident_section_kinds(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof kind_cases / sizeof kind_cases[0]; i++) {
        char src[256];
        snprintf(src, sizeof src, "# Incident\n\n## %s\n\ntext\n",
                 kind_cases[i].heading);
        hdx_article *a = parse_ok("incidents/i.md", src);
        const hdx_section *s = find_section(a, kind_cases[i].heading);
        if (s->kind != kind_cases[i].kind)
            fail_msg("\"%s\": kind %s, want %s", kind_cases[i].heading,
                     hdx_section_kind_name(s->kind),
                     hdx_section_kind_name(kind_cases[i].kind));
        hdx_article_free(a);
    }
}

static void test_anchors(void **state)
{
    (void)state;
    hdx_article *a = parse_ok("a.md", "# Title\n\n"
                                      "## Other {#custom}\n\nO\n\n"
                                      "## Dup\n\n## Dup\n\n## Dup\n\n"
                                      "## Mixed {#m-1 audience=agent}\n\nM\n");
    const hdx_section *s = find_section(a, "Other");
    assert_string_equal(s->anchor, "custom");
    assert_int_equal(s->audience, HDX_AUD_PUBLIC);
    assert_string_equal(find_section(a, "Title")->anchor, "title");
    const char *want[] = {"dup", "dup-1", "dup-2"};
    size_t k = 0;
    for (size_t i = 0; i < a->n_sections; i++)
        if (!strcmp(a->sections[i].heading, "Dup")) {
            assert_true(k < 3);
            assert_string_equal(a->sections[i].anchor, want[k]);
            k++;
        }
    assert_int_equal(k, 3);
    const hdx_section *m = find_section(a, "Mixed");
    assert_string_equal(m->anchor, "m-1");
    assert_int_equal(m->audience, HDX_AUD_AGENT);
    /* every anchor unique */
    for (size_t i = 1; i < a->n_sections; i++)
        for (size_t j = i + 1; j < a->n_sections; j++)
            assert_string_not_equal(a->sections[i].anchor,
                                    a->sections[j].anchor);
    hdx_article_free(a);
}

/* BUG: markdown.c heading_attrs() returns -2 ("bad audience") for every
 * brace group without audience=, so `## Other {#custom}` gets an
 * "invalid-audience" error note although it has no audience attribute. */
static void test_regression_anchor_only_heading_gets_audience_error(void **state)
{
    (void)state;
    hdx_article *a = parse_ok("a.md", "# Title\n\n## Other {#custom}\n\nO\n");
    const hdx_note *n = find_note(a, "invalid-audience");
    if (n)
        fail_msg("spurious note at line %d: %s", n->line, n->msg);
    hdx_article_free(a);
}

static void test_refs_with_line_numbers(void **state)
{
    (void)state;
    const char *src = "---\n"                          /* 1 */
                      "title: T\n"                     /* 2 */
                      "---\n"                          /* 3 */
                      "Intro.\n"                       /* 4 */
                      "\n"                             /* 5 */
                      "See [the guide](guide.md).\n"   /* 6 */
                      "\n"                             /* 7 */
                      "![screenshot](img/shot.png)\n"  /* 8 */
                      "\n"                             /* 9 */
                      "- item with <https://example.com/x>\n"; /* 10 */
    hdx_article *a = parse_ok("a.md", src);
    assert_int_equal(a->n_refs, 3);
    assert_string_equal(a->refs[0].target, "guide.md");
    assert_int_equal(a->refs[0].line, 6);
    assert_false(a->refs[0].is_image);
    assert_string_equal(a->refs[1].target, "img/shot.png");
    assert_int_equal(a->refs[1].line, 8);
    assert_true(a->refs[1].is_image);
    assert_string_equal(a->refs[2].target, "https://example.com/x");
    assert_int_equal(a->refs[2].line, 10);
    assert_false(a->refs[2].is_image);
    /* link text is searchable, the target is not */
    assert_non_null(strstr(a->sections[0].text, "the guide"));
    assert_null(strstr(a->sections[0].text, "guide.md"));
    hdx_article_free(a);
}

static void test_docfx_alert_marker_dropped(void **state)
{
    (void)state;
    hdx_article *a = parse_ok("a.md", "# T\n\n> [!NOTE]\n> Note text here.\n\n"
                                      "> [!WARNING]\n> Careful now.\n\n"
                                      ":::image type=\"content\" "
                                      "source=\"a.png\":::\n\nAfter.\n");
    const hdx_section *s = find_section(a, "T");
    assert_non_null(strstr(s->text, "Note text here."));
    assert_non_null(strstr(s->text, "Careful now."));
    assert_non_null(strstr(s->text, "After."));
    assert_null(strstr(s->text, "[!"));
    assert_null(strstr(s->text, "NOTE"));
    assert_null(strstr(s->text, "WARNING"));
    assert_null(strstr(s->text, ":::"));
    hdx_article_free(a);
}

static void test_section_text_and_code(void **state)
{
    (void)state;
    hdx_article *a = parse_ok(
        "a.md", "Preamble text.\n\n# Title\n\nRun `sky --reset` now.\n\n"
                "```\nsky sync --force\n```\n\n<b>bold html</b>\n");
    assert_non_null(strstr(a->sections[0].text, "Preamble text."));
    const hdx_section *s = find_section(a, "Title");
    assert_int_equal(s->first_line, 3);
    assert_non_null(strstr(s->text, "sky --reset"));
    assert_non_null(strstr(s->code, "sky --reset"));
    assert_non_null(strstr(s->code, "sky sync --force"));
    assert_non_null(strstr(s->text, "bold html"));
    assert_null(strstr(s->text, "<b>"));
    /* the heading's own text is not repeated in the body text */
    assert_null(strstr(s->text, "Title"));
    hdx_article_free(a);
}

/* ---- hostile bodies ---------------------------------------------------- */

static void parse_timed(const char *what, const hdx_buf *b)
{
    double t0 = now_s();
    hdx_article *a = parse_ok_n("deep.md", b->data, b->len);
    double dt = now_s() - t0;
    assert_string_equal(a->title, "Deep");
    if (!under_valgrind() && dt > 10.0)
        fail_msg("%s took %.1fs", what, dt);
    hdx_article_free(a);
}

static void test_deeply_nested_markdown(void **state)
{
    (void)state;
    static const char *const units[][2] = {
        {"> ", "deep quote\n"},   /* block quotes */
        {"- ", "deep list\n"},    /* list items */
        {"* ", "deep list\n"},
        {"[", "x"},               /* link brackets (no closers) */
        {"*a ", "\n"},            /* emphasis openers */
        {"<div>", "\n"},          /* raw HTML */
        {"![", "y"},              /* image brackets */
    };
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        hdx_buf b;
        hdx_buf_init(&b);
        hdx_buf_adds(&b, "# Deep\n\n");
        for (int i = 0; i < 10000; i++)
            hdx_buf_adds(&b, units[u][0]);
        hdx_buf_adds(&b, units[u][1]);
        parse_timed(units[u][0], &b);
        hdx_buf_clear(&b);
    }
    /* balanced nested links [[[...x](u)](u)...] */
    hdx_buf b;
    hdx_buf_init(&b);
    hdx_buf_adds(&b, "# Deep\n\n");
    for (int i = 0; i < 10000; i++)
        hdx_buf_addc(&b, '[');
    hdx_buf_addc(&b, 'x');
    for (int i = 0; i < 10000; i++)
        hdx_buf_adds(&b, "](u)");
    hdx_buf_addc(&b, '\n');
    parse_timed("nested links", &b);
    hdx_buf_clear(&b);
}

static void test_one_megabyte_line(void **state)
{
    (void)state;
    hdx_buf b;
    hdx_buf_init(&b);
    hdx_buf_adds(&b, "# Deep\n\n");
    for (int i = 0; i < 1024 * 1024; i++)
        hdx_buf_addc(&b, "ab c*_[`"[i % 8]);
    hdx_buf_addc(&b, '\n');
    parse_timed("1 MB line", &b);
    hdx_buf_reset(&b);
    /* 1 MB of one word, no spaces at all */
    hdx_buf_adds(&b, "# Deep\n\n");
    for (int i = 0; i < 1024 * 1024; i++)
        hdx_buf_addc(&b, 'w');
    parse_timed("1 MB word", &b);
    hdx_buf_clear(&b);
}

/* Anchors are exactly what they were before de-duplication became a hash
 * set: the first free "-k" suffix, k from 1, against every earlier final
 * anchor, hand-written ones included. */
static void test_anchor_dedup_table(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        const char *want; /* the anchors of sections 1.., space-separated */
    } cases[] = {
        {"## a\n## a-1\n## a\n## a\n## a-1\n", "a a-1 a-2 a-3 a-1-1"},
        {"## a {#a-2}\n## a\n## a\n## a\n", "a-2 a a-1 a-3"},
        {"## a\n## a\n## a-1\n", "a a-1 a-1-1"},
        {"## x-1\n## x\n## x\n", "x-1 x x-2"},
        {"## b-1-1\n## b-1\n## b\n## b\n## b-1\n", "b-1-1 b-1 b b-2 b-1-2"},
        {"## p {#q}\n## r {#q}\n## q\n", "q q-1 q-2"},
        {"## a-0\n## a\n## a\n", "a-0 a a-1"},
        {"## A\n## a\n## \xc3\x81\n", "a a-1 a-2"},
        {"## a\n## a\n## a\n## a-1\n## a\n## a-3\n", "a a-1 a-2 a-1-1 a-3 a-3-1"},
        {"## a-2\n## a-1\n## a\n## a\n## a\n", "a-2 a-1 a a-3 a-4"},
        {"## c-10\n## c\n## c\n", "c-10 c c-1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hdx_buf src;
        hdx_buf_init(&src);
        hdx_buf_printf(&src, "---\ntitle: T\n---\n%s", cases[i].body);
        hdx_article *a = parse_ok("a.md", src.data);
        hdx_buf_clear(&src);
        hdx_buf got;
        hdx_buf_init(&got);
        for (size_t k = 1; k < a->n_sections; k++)
            hdx_buf_printf(&got, "%s%s", k > 1 ? " " : "",
                           a->sections[k].anchor);
        if (strcmp(got.data, cases[i].want) != 0)
            fail_msg("case %zu: anchors \"%s\", want \"%s\"", i, got.data,
                     cases[i].want);
        hdx_buf_clear(&got);
        hdx_article_free(a);
    }
    /* An empty slug clashes with section 0's "" anchor. */
    hdx_article *a = parse_ok("a.md", "# T\n\n## !!!\n\n## !!!\n");
    assert_string_equal(a->sections[2].anchor, "-1");
    assert_string_equal(a->sections[3].anchor, "-2");
    hdx_article_free(a);
}

/* Initialise `b` with "# Deep" and `n` headings, "## h<i>" or "## a". */
static void heading_doc(hdx_buf *b, int n, bool distinct)
{
    hdx_buf_init(b);
    hdx_buf_adds(b, "# Deep\n");
    for (int i = 0; i < n; i++) {
        if (distinct)
            hdx_buf_printf(b, "## h%d\n", i);
        else
            hdx_buf_adds(b, "## a\n");
    }
}

/* Issue 13, defect 4: 4,000 identical headings took 48 s and 100,000
 * distinct ones 35 s (anchor de-duplication rescanned every earlier
 * section per candidate).  Both must parse in well under a second; the
 * bound is generous for ASan builds. */
static hdx_article *parse_headings_timed(int n, bool distinct)
{
    hdx_buf b;
    heading_doc(&b, n, distinct);
    double t0 = now_s();
    hdx_article *a = parse_ok_n("many.md", b.data, b.len);
    double dt = now_s() - t0;
    hdx_buf_clear(&b);
    if (!under_valgrind() && dt > 1.0)
        fail_msg("%d %s headings took %.2fs", n,
                 distinct ? "distinct" : "identical", dt);
    return a;
}

static void test_many_identical_headings_are_linear(void **state)
{
    (void)state;
    hdx_article *a = parse_headings_timed(4000, false);
    /* section 0, "# Deep", then the first HDX_MAX_HEADINGS - 1 "## a" */
    assert_int_equal(a->n_sections, HDX_MAX_HEADINGS + 1);
    assert_string_equal(a->sections[2].anchor, "a");
    char want[32];
    for (size_t k = 3; k < a->n_sections; k++) {
        snprintf(want, sizeof want, "a-%zu", k - 2);
        assert_string_equal(a->sections[k].anchor, want);
    }
    /* one warning, at the first heading that opens no section */
    const hdx_note *n = find_note(a, "too-many-headings");
    assert_non_null(n);
    assert_false(n->is_error);
    assert_int_equal(n->line, HDX_MAX_HEADINGS + 1);
    size_t notes = 0;
    for (size_t i = 0; i < a->n_notes; i++)
        notes += !strcmp(a->notes[i].rule, "too-many-headings");
    assert_int_equal(notes, 1);
    hdx_article_free(a);
}

static void test_many_distinct_headings_are_linear(void **state)
{
    (void)state;
    hdx_article *a = parse_headings_timed(100000, true);
    assert_int_equal(a->n_sections, HDX_MAX_HEADINGS + 1);
    const hdx_section *last = &a->sections[a->n_sections - 1];
    assert_string_equal(last->heading, "h998");
    /* later headings are text of the last section, which runs to the end */
    assert_non_null(strstr(last->text, "h999\n"));
    assert_non_null(strstr(last->text, "h99999\n"));
    assert_int_equal(last->last_line, 100001);
    hdx_article_free(a);
}

/* Past the cap a marker cannot open a section, so it restricts the last
 * one: the text after it never reaches a lower level. */
static void test_headings_past_the_cap_keep_their_audience(void **state)
{
    (void)state;
    hdx_buf b;
    heading_doc(&b, HDX_MAX_HEADINGS + 5, true);
    hdx_buf_adds(&b, "## Secret {audience=internal}\n\nsecret words\n");
    hdx_article *a = parse_ok_n("cap.md", b.data, b.len);
    const hdx_section *last = &a->sections[a->n_sections - 1];
    assert_int_equal(last->audience, HDX_AUD_INTERNAL);
    assert_non_null(strstr(last->text, "Secret\n"));
    assert_null(strstr(last->text, "audience"));
    char *pub = hdx_article_visible_markdown(a, HDX_AUD_PUBLIC);
    assert_null(strstr(pub, "secret words"));
    assert_non_null(strstr(pub, "## h10\n"));
    free(pub);
    hdx_article_free(a);
    /* an unreadable marker still refuses the file */
    hdx_buf_clear(&b);
    heading_doc(&b, HDX_MAX_HEADINGS + 5, true);
    hdx_buf_adds(&b, "## Secret {audience=agnet}\n\nsecret words\n");
    hdx_error err = parse_fail_n("cap.md", b.data, b.len);
    assert_string_equal(err.rule, "invalid-audience");
    assert_int_equal(err.line, HDX_MAX_HEADINGS + 7);
    hdx_buf_clear(&b);
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_audience_sections),
        cmocka_unit_test(test_regression_last_section_last_line),
        cmocka_unit_test(test_regression_cr_line_endings_leak_agent_section),
        cmocka_unit_test(test_audience_marker_cannot_lower_inherited),
        cmocka_unit_test(test_incident_section_kinds),
        cmocka_unit_test(test_anchors),
        cmocka_unit_test(test_regression_anchor_only_heading_gets_audience_error),
        cmocka_unit_test(test_refs_with_line_numbers),
        cmocka_unit_test(test_docfx_alert_marker_dropped),
        cmocka_unit_test(test_section_text_and_code),
        cmocka_unit_test(test_deeply_nested_markdown),
        cmocka_unit_test(test_one_megabyte_line),
        cmocka_unit_test(test_anchor_dedup_table),
        cmocka_unit_test(test_many_identical_headings_are_linear),
        cmocka_unit_test(test_many_distinct_headings_are_linear),
        cmocka_unit_test(test_headings_past_the_cap_keep_their_audience),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
