/*
 * test_snippet.c - passage selection and highlighting
 * (include/hdx/snippet.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdx/snippet.h"
#include "hdx/text.h"

#define ELLIPSIS "\xE2\x80\xA6"

static hdx_snippet snip(const char *text, const hdx_snip_term *terms,
                        size_t n_terms, unsigned max_words)
{
    hdx_snippet s;
    memset(&s, 0xAB, sizeof s);
    hdx_snippet_make(text, strlen(text), terms, n_terms, max_words, &s);
    assert_non_null(s.html);
    assert_true(s.offset <= strlen(text));
    return s;
}

static size_t count_str(const char *hay, const char *needle)
{
    size_t k = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        k++;
    return k;
}

typedef struct {
    const char *name;
    const char *text;
    hdx_snip_term terms[4];
    size_t n_terms;
    unsigned max_words;
    const char *want_html;
    unsigned want_matched;
} snip_case;

static const snip_case cases[] = {
    {"single match marked", "How to install the agent", {{"install", false}},
     1, 30, "How to <mark>install</mark> the agent", 1},
    {"case-insensitive match keeps original case",
     "INSTALL and Install and install", {{"install", false}}, 1, 30,
     "<mark>INSTALL</mark> and <mark>Install</mark> and <mark>install</mark>",
     1},
    {"apostrophe inside a word: matched folded", "Teams won't start",
     {{"wont", false}}, 1, 30, "Teams <mark>won&#39;t</mark> start", 1},
    {"phrase marked as one run", "sync is not moving; not now, moving on",
     {{"not moving", false}}, 1, 30,
     "sync is <mark>not moving</mark>; not now, moving on", 1},
    {"exact term does not match a longer word", "installer installs install",
     {{"install", false}}, 1, 30, "installer installs <mark>install</mark>",
     1},
    {"html escaped", "Reboot & run <script>alert('x')</script> \"now\"",
     {{"reboot", false}}, 1, 30,
     "<mark>Reboot</mark> &amp; run &lt;script&gt;alert(&#39;x&#39;)"
     "&lt;/script&gt; &quot;now",
     1},
    {"match inside markup-like text is escaped too",
     "<b>error</b>", {{"error", false}}, 1, 30,
     "b&gt;<mark>error</mark>&lt;/b", 1},
    {"stem matches words it prefixes",
     "You configure it. Configuration is done. Misconfigured is not.",
     {{"configur", true}}, 1, 30,
     "You <mark>configure</mark> it. <mark>Configuration</mark> is done. "
     "Misconfigured is not.",
     1},
    {"normalised match on accented word",
     "Le caf\xC3\xA9 est ferm\xC3\xA9.", {{"cafe", false}}, 1, 30,
     "Le <mark>caf\xC3\xA9</mark> est ferm\xC3\xA9.", 1},
    {"identifier kept whole", "Error SKY-1042 occurred again",
     {{"sky-1042", false}}, 1, 30, "Error <mark>SKY-1042</mark> occurred again",
     1},
    {"part of a compound word", "Error SKY-1042 occurred",
     {{"1042", false}}, 1, 30, "Error <mark>SKY-1042</mark> occurred", 1},
    {"two distinct terms", "the sync agent failed to sync",
     {{"sync", false}, {"agent", false}}, 2, 30,
     "the <mark>sync</mark> <mark>agent</mark> failed to <mark>sync</mark>",
     2},
    {"no terms: start of text", "one two three four five six", {{0}}, 0, 3,
     "one two three " ELLIPSIS, 0},
    {"no match: start of text", "one two three four five six",
     {{"zebra", false}}, 1, 3, "one two three " ELLIPSIS, 0},
    {"newlines folded", "first\nsecond\nthird", {{"second", false}}, 1, 30,
     "first <mark>second</mark> third", 1},
    {"closing period kept", "Restart the service.", {{"service", false}}, 1,
     30, "Restart the <mark>service</mark>.", 1},
};

static void test_snippet_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const snip_case *c = &cases[i];
        hdx_snippet s = snip(c->text, c->terms, c->n_terms, c->max_words);
        if (strcmp(s.html, c->want_html) != 0)
            fail_msg("%s: html\n  got  \"%s\"\n  want \"%s\"", c->name, s.html,
                     c->want_html);
        if (s.n_matched != c->want_matched)
            fail_msg("%s: n_matched %u, want %u", c->name, s.n_matched,
                     c->want_matched);
        free(s.html);
    }
}

static void test_window_around_densest_matches(void **state)
{
    (void)state;
    const char *text =
        "alpha one two three four five six seven eight nine ten eleven "
        "twelve thirteen fourteen alpha beta gamma fifteen sixteen seventeen "
        "eighteen nineteen twenty twentyone twentytwo";
    hdx_snip_term t[] = {{"alpha", false}, {"beta", false}, {"gamma", false}};
    hdx_snippet s = snip(text, t, 3, 8);
    /* the window holding all three terms, not the lone first "alpha" */
    assert_int_equal(s.n_matched, 3);
    assert_non_null(strstr(s.html, "<mark>alpha</mark> <mark>beta</mark> "
                                   "<mark>gamma</mark>"));
    assert_int_equal(count_str(s.html, "<mark>"), 3);
    /* cut at both ends */
    assert_memory_equal(s.html, ELLIPSIS " ", 4);
    size_t hl = strlen(s.html);
    assert_true(hl > 4);
    assert_string_equal(s.html + hl - 4, " " ELLIPSIS);
    /* offset is the byte where the passage starts in the text */
    assert_true(s.offset > 0);
    const char *w = text + s.offset;
    assert_true(strncmp(s.html + 4, w, 8) == 0);
    assert_true(s.offset < (size_t)(strstr(text, "alpha beta") - text));
    free(s.html);
}

static void test_window_prefers_more_distinct_terms(void **state)
{
    (void)state;
    /* "disk" three times early, then "disk full" together late. */
    const char *text =
        "disk disk disk a b c d e f g h i j k l m n o p q r s t u v w "
        "x y z the disk is full now";
    hdx_snip_term t[] = {{"disk", false}, {"full", false}};
    hdx_snippet s = snip(text, t, 2, 6);
    assert_int_equal(s.n_matched, 2);
    assert_non_null(strstr(s.html, "<mark>disk</mark> is <mark>full</mark>"));
    free(s.html);
}

static void test_ties_go_to_earliest(void **state)
{
    (void)state;
    const char *text = "error at start a b c d e f g h i j k l m n o p q r s "
                       "t u v w x y z and error at the end";
    hdx_snip_term t[] = {{"error", false}};
    hdx_snippet s = snip(text, t, 1, 5);
    assert_int_equal(s.offset, 0);
    assert_memory_equal(s.html, "<mark>error</mark>", 18);
    free(s.html);
}

static void test_offset_points_into_text(void **state)
{
    (void)state;
    const char *text = "Intro words here. Then many filler words follow "
                       "before the timeout finally appears in this text.";
    hdx_snip_term t[] = {{"timeout", false}};
    hdx_snippet s = snip(text, t, 1, 6);
    assert_true(s.offset > 0);
    assert_true(s.offset < strlen(text));
    /* the passage (after the leading "… ") starts with the text at offset */
    assert_memory_equal(s.html, ELLIPSIS " ", 4);
    const char *first = s.html + 4;
    size_t k = 0;
    while (first[k] && first[k] != ' ')
        k++;
    assert_memory_equal(text + s.offset, first, k);
    /* offset is a word start */
    assert_true(text[s.offset - 1] == ' ');
    free(s.html);
}

static void test_never_cuts_inside_utf8(void **state)
{
    (void)state;
    const char *text =
        "Z\xC3\xBCrich caf\xC3\xA9 na\xC3\xAFve r\xC3\xA9sum\xC3\xA9 "
        "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xF0\x9F\x98\x80\xF0\x9F\x98\x80 "
        "stra\xC3\x9F" "e \xC3\x84\xC3\x96\xC3\x9C \xC3\xBC" "ber caf\xC3\xA9 "
        "\xE2\x82\xAC" "100 \xCE\xBA\xCE\xB1\xCE\xBB\xCE\xB7 fin";
    size_t len = strlen(text);
    hdx_snip_term terms[][1] = {{{"cafe", false}}, {{"strasse", false}},
                                {{"uber", false}}, {{"fin", false}},
                                {{"zzz", false}}};
    for (size_t t = 0; t < sizeof terms / sizeof terms[0]; t++) {
        for (unsigned mw = 1; mw <= 14; mw++) {
            hdx_snippet s;
            hdx_snippet_make(text, len, terms[t], 1, mw, &s);
            if (!hdx_text_valid_utf8(s.html, strlen(s.html), NULL))
                fail_msg("term %zu max_words %u: invalid UTF-8 in \"%s\"", t,
                         mw, s.html);
            /* the offset is a character boundary */
            assert_true(s.offset <= len);
            if (s.offset < len)
                assert_true(((unsigned char)text[s.offset] & 0xC0) != 0x80);
            free(s.html);
        }
    }
}

static void test_accented_term_is_marked_whole(void **state)
{
    (void)state;
    const char *text = "Das Caf\xC3\xA9 und die Stra\xC3\x9F" "e";
    hdx_snip_term t[] = {{"strasse", false}, {"cafe", false}};
    hdx_snippet s = snip(text, t, 2, 30);
    assert_string_equal(s.html, "Das <mark>Caf\xC3\xA9</mark> und die "
                                "<mark>Stra\xC3\x9F" "e</mark>");
    assert_int_equal(s.n_matched, 2);
    free(s.html);
}

static void test_empty_text(void **state)
{
    (void)state;
    hdx_snip_term t[] = {{"x", false}};
    hdx_snippet s = snip("", t, 1, 10);
    assert_string_equal(s.html, "");
    assert_int_equal(s.offset, 0);
    assert_int_equal(s.n_matched, 0);
    free(s.html);
    s = snip("  ...  ", NULL, 0, 10);
    assert_int_equal(s.offset, 0);
    assert_int_equal(s.n_matched, 0);
    free(s.html);
}

static void test_empty_terms_start_of_long_text(void **state)
{
    (void)state;
    char text[4096];
    size_t n = 0;
    for (int i = 0; n + 12 < sizeof text; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "word%d ", i);
    hdx_snippet s = snip(text, NULL, 0, 0); /* 0: default length */
    assert_int_equal(s.offset, 0);
    assert_int_equal(s.n_matched, 0);
    assert_memory_equal(s.html, "word0 word1", 11);
    assert_non_null(strstr(s.html, ELLIPSIS));
    assert_null(strstr(s.html, "<mark>"));
    free(s.html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snippet_table),
        cmocka_unit_test(test_window_around_densest_matches),
        cmocka_unit_test(test_window_prefers_more_distinct_terms),
        cmocka_unit_test(test_ties_go_to_earliest),
        cmocka_unit_test(test_offset_points_into_text),
        cmocka_unit_test(test_never_cuts_inside_utf8),
        cmocka_unit_test(test_accented_term_is_marked_whole),
        cmocka_unit_test(test_empty_text),
        cmocka_unit_test(test_empty_terms_start_of_long_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
