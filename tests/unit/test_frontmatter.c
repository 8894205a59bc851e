/*
 * test_frontmatter.c - the YAML front matter of hdx_article_parse()
 * (lib/frontmatter.c): every field and the aliases of other docs
 * platforms, dates, audience values and personas, unknown keys with
 * did-you-mean notes, and a YAML alias bomb.
 */
#include "parse_helpers.h"

#include <stdio.h>

#include "hdx/buf.h"

/* ---- fields and aliases ------------------------------------------------ */

static void test_full_front_matter(void **state)
{
    (void)state;
    const char *src =
        "---\n"
        "id: kb/sync-fails\n"
        "title: Sync fails with 0x80070005\n"
        "summary: What to do when sync is denied.\n"
        "tags: [sync, permissions]\n"
        "product: SkySync Desktop\n"
        "audience: agent\n"
        "status: published\n"
        "updated: 2025-11-03\n"
        "locale: de\n"
        "type: faq\n"
        "versions: 5.1, 5.2\n"
        "error_codes: [\"0x80070005\", SKY-1042]\n"
        "kb: [kb/other]\n"
        "fixed_in: 5.3\n"
        "problem: PRB-77\n"
        "ms.topic: troubleshooting\n"
        "x-custom: whatever\n"
        "author: someone\n"
        "---\n"
        "Body text.\n";
    hdx_article *a = parse_ok("articles/sync.md", src);
    assert_string_equal(a->path, "articles/sync.md");
    assert_string_equal(a->id, "kb/sync-fails");
    assert_string_equal(a->title, "Sync fails with 0x80070005");
    assert_false(a->title_from_h1);
    assert_string_equal(a->summary, "What to do when sync is denied.");
    assert_int_equal(a->tags.n, 2);
    assert_string_equal(a->tags.items[0], "sync");
    assert_string_equal(a->tags.items[1], "permissions");
    assert_string_equal(a->product, "SkySync Desktop");
    assert_int_equal(a->audience, HDX_AUD_AGENT);
    assert_string_equal(a->status, "published");
    assert_false(a->draft);
    assert_string_equal(a->updated, "2025-11-03");
    assert_string_equal(a->locale, "de");
    assert_int_equal(a->type, HDX_TYPE_FAQ);
    assert_int_equal(a->versions.n, 2);
    assert_string_equal(a->versions.items[0], "5.1");
    assert_string_equal(a->versions.items[1], "5.2");
    assert_int_equal(a->error_codes.n, 2);
    assert_string_equal(a->error_codes.items[0], "0x80070005");
    assert_string_equal(a->error_codes.items[1], "SKY-1042");
    assert_int_equal(a->kb.n, 1);
    assert_true(has_item(&a->kb, "kb/other"));
    assert_true(has_item(&a->tags, "permissions"));
    assert_string_equal(a->fixed_in, "5.3");
    assert_string_equal(a->problem, "PRB-77");
    /* namespaced, x- and known descriptive keys are not "unknown" */
    assert_int_equal(a->unknown_fields.n, 0);
    assert_null(find_note(a, "unknown-field"));
    assert_int_equal(a->body_first_line, 21);
    assert_string_equal(a->body, "Body text.\n");
    hdx_article_free(a);
}

typedef struct {
    const char *name;
    const char *front; /* lines between the fences; title is added */
    const char *summary, *updated;
    bool draft;
    const char *tag0;
} alias_case;

static const alias_case alias_cases[] = {
    {"description", "description: From description\n", "From description",
     NULL, false, NULL},
    {"excerpt", "excerpt: From excerpt\n", "From excerpt", NULL, false, NULL},
    {"ms.date US", "ms.date: 04/07/2023\n", NULL, "2023-04-07", false, NULL},
    {"lastmod with time", "lastmod: 2024-01-02T10:00:00Z\n", NULL,
     "2024-01-02", false, NULL},
    {"date slashes", "date: 2024/02/29\n", NULL, "2024-02-29", false, NULL},
    {"last_modified", "last_modified: 2020-12-31\n", NULL, "2020-12-31",
     false, NULL},
    {"draft true", "draft: true\n", NULL, NULL, true, NULL},
    {"draft yes", "draft: yes\n", NULL, NULL, true, NULL},
    {"draft false", "draft: false\n", NULL, NULL, false, NULL},
    {"published false", "published: false\n", NULL, NULL, true, NULL},
    {"status draft", "status: Draft\n", NULL, NULL, true, NULL},
    {"keywords list", "keywords: [alpha, beta]\n", NULL, NULL, false,
     "alpha"},
    {"keywords comma string", "keywords: alpha, beta\n", NULL, NULL, false,
     "alpha"},
    {"categories", "categories:\n  - alpha\n  - beta\n", NULL, NULL, false,
     "alpha"},
};

static void test_front_matter_aliases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof alias_cases / sizeof alias_cases[0]; i++) {
        const alias_case *c = &alias_cases[i];
        char src[512];
        snprintf(src, sizeof src, "---\ntitle: T\n%s---\nbody\n", c->front);
        hdx_article *a = parse_ok("a.md", src);
        if (c->summary && (!a->summary || strcmp(a->summary, c->summary)))
            fail_msg("%s: summary \"%s\"", c->name,
                     a->summary ? a->summary : "(null)");
        if (c->updated && (!a->updated || strcmp(a->updated, c->updated)))
            fail_msg("%s: updated \"%s\", want %s", c->name,
                     a->updated ? a->updated : "(null)", c->updated);
        if (a->draft != c->draft)
            fail_msg("%s: draft %d, want %d", c->name, a->draft, c->draft);
        if (c->tag0) {
            if (a->tags.n != 2 || strcmp(a->tags.items[0], c->tag0) ||
                strcmp(a->tags.items[1], "beta"))
                fail_msg("%s: tags n=%zu", c->name, a->tags.n);
        }
        assert_int_equal(a->unknown_fields.n, 0);
        hdx_article_free(a);
    }
}

static void test_invalid_date_is_a_note(void **state)
{
    (void)state;
    hdx_article *a =
        parse_ok("a.md", "---\ntitle: T\nupdated: 2023-02-30\n---\nbody\n");
    assert_null(a->updated);
    const hdx_note *n = find_note(a, "invalid-date");
    assert_non_null(n);
    assert_true(n->is_error);
    assert_int_equal(n->line, 3);
    hdx_article_free(a);
}

/* ---- non-fatal notes --------------------------------------------------- */

static void test_unknown_field_did_you_mean(void **state)
{
    (void)state;
    hdx_article *a =
        parse_ok("a.md", "---\ntitle: T\naudiance: internal\n---\nbody\n");
    assert_int_equal(a->unknown_fields.n, 1);
    assert_string_equal(a->unknown_fields.items[0], "audiance");
    const hdx_note *n = find_note(a, "unknown-field");
    assert_non_null(n);
    assert_false(n->is_error);
    assert_int_equal(n->line, 3);
    assert_int_equal(n->column, 1);
    assert_non_null(strstr(n->msg, "did you mean 'audience'"));
    hdx_article_free(a);

    /* far from every field: no suggestion */
    a = parse_ok("a.md", "---\ntitle: T\nzzzzqqqq: 1\n---\nbody\n");
    n = find_note(a, "unknown-field");
    assert_non_null(n);
    assert_null(strstr(n->msg, "did you mean"));
    hdx_article_free(a);
}

static void test_audience_persona_is_public_with_warning(void **state)
{
    (void)state;
    hdx_article *a =
        parse_ok("a.md", "---\ntitle: T\naudience: ITPro\n---\nbody\n");
    assert_int_equal(a->audience, HDX_AUD_PUBLIC);
    bool warned = false;
    for (size_t i = 0; i < a->n_notes; i++)
        if (!a->notes[i].is_error && a->notes[i].line == 3 &&
            strstr(a->notes[i].msg, "ITPro"))
            warned = true;
    assert_true(warned);
    hdx_article_free(a);
}

typedef struct {
    const char *value;
    hdx_audience want;
} aud_case;

static const aud_case aud_cases[] = {
    {"public", HDX_AUD_PUBLIC},     {"agent", HDX_AUD_AGENT},
    {"internal", HDX_AUD_INTERNAL}, {"Internal", HDX_AUD_INTERNAL},
    {"AGENT", HDX_AUD_AGENT},
};

static void test_audience_values(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof aud_cases / sizeof aud_cases[0]; i++) {
        char src[128];
        snprintf(src, sizeof src, "---\ntitle: T\naudience: %s\n---\nb\n",
                 aud_cases[i].value);
        hdx_article *a = parse_ok("a.md", src);
        assert_int_equal(a->audience, aud_cases[i].want);
        hdx_article_free(a);
        /* the "visibility" alias means the same */
        snprintf(src, sizeof src, "---\ntitle: T\nvisibility: %s\n---\nb\n",
                 aud_cases[i].value);
        a = parse_ok("a.md", src);
        assert_int_equal(a->audience, aud_cases[i].want);
        hdx_article_free(a);
    }
}

/* ---- hostile inputs ---------------------------------------------------- */

static void test_yaml_alias_bomb(void **state)
{
    (void)state;
    hdx_buf b;
    hdx_buf_init(&b);
    hdx_buf_adds(&b, "---\ntitle: Laughs\na: &a [\"lol\",\"lol\",\"lol\","
                     "\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (int i = 1; i < 9; i++) {
        hdx_buf_printf(&b, "%c: &%c [", 'a' + i, 'a' + i);
        for (int k = 0; k < 9; k++)
            hdx_buf_printf(&b, "%s*%c", k ? "," : "", 'a' + i - 1);
        hdx_buf_adds(&b, "]\n");
    }
    /* ...and the bomb fed to every list-valued and scalar field */
    hdx_buf_adds(&b, "tags: *i\nkeywords: *i\nversions: *i\nerror_codes: *i\n"
                     "summary: *i\nproduct: *i\n---\nbody\n");
    double t0 = now_s();
    hdx_article *a = parse_ok_n("a.md", b.data, b.len);
    double dt = now_s() - t0;
    assert_string_equal(a->title, "Laughs");
    /* 9^9 items must never be materialised */
    assert_true(a->tags.n < 100);
    assert_true(a->versions.n < 100);
    assert_true(a->error_codes.n < 100);
    if (!under_valgrind())
        assert_true(dt < 2.0);
    hdx_article_free(a);
    hdx_buf_clear(&b);
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_front_matter),
        cmocka_unit_test(test_front_matter_aliases),
        cmocka_unit_test(test_invalid_date_is_a_note),
        cmocka_unit_test(test_unknown_field_did_you_mean),
        cmocka_unit_test(test_audience_persona_is_public_with_warning),
        cmocka_unit_test(test_audience_values),
        cmocka_unit_test(test_yaml_alias_bomb),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
