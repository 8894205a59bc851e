/*
 * test_browse.c - the browse hierarchy (lib/browse.c, lib/browse_load.c):
 * default display names, keys, old-URL keys, clean ids from slugs, the
 * folder rule on a deep tree, placing articles (folders and front
 * matter), the writers' files, the stored form; and the platform
 * front-matter fields (lib/frontmatter.c) the hierarchy reads.
 */
#include "parse_helpers.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hdx/browse.h"

typedef struct pair {
    const char *in, *want;
} pair;

static void test_browse_default_names(void **state)
{
    (void)state;
    static const pair cases[] = {
        {"windows-server", "Windows Server"},
        {"sql-server", "SQL Server"},
        {"api", "API"},
        {"SharePoint", "SharePoint"},
        {"dynamics-365", "Dynamics 365"},
        {"ios_apps", "iOS Apps"},
        {"files-and-sync", "Files and Sync"},
        {"and-more", "And More"},
        {"billing/refunds", "Refunds"},
        {"t001", "T001"},
        {"", ""},
        {"--a--b--", "A B"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *n = hdx_browse_default_name(cases[i].in);
        assert_string_equal(n, cases[i].want);
        free(n);
    }
}

static void test_browse_keys_and_alias_keys(void **state)
{
    (void)state;
    char *k = hdx_browse_key(NULL, "Billing & VAT");
    assert_string_equal(k, "billing-vat");
    free(k);
    k = hdx_browse_key("billing", "Refunds and credits");
    assert_string_equal(k, "billing/refunds-and-credits");
    free(k);
    static const pair urls[] = {
        {"/old/refunds/", "old/refunds"},
        {"https://x.zendesk.com/hc/en-us/articles/1-Reset?a=1#top",
         "hc/en-us/articles/1-reset"},
        {"/kb/VAT.html", "kb/vat.html"},
        {"//a///b/", "a/b"},
        {"/", ""},
    };
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        char *a = hdx_browse_alias_key(urls[i].in);
        assert_string_equal(a, urls[i].want);
        free(a);
    }
    static const pair ids[] = {{"/sharing/guests", "sharing/guests"},
                               {"sharing//guests/", "sharing/guests"},
                               {"/./a/../b", "a/b"},
                               {"/", ""}};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        char *c = hdx_article_clean_id(ids[i].in);
        assert_string_equal(c, ids[i].want);
        free(c);
    }
}

/* ---- the folder rule ---------------------------------------------------- */

static const char *const k_tree[] = {
    "Office/Outlook/o.md",
    "Office/Teams/meetings/m.md",
    "Office/Teams/t.md",
    "StackFAQ/t001/a01.md",
    "StackFAQ/t002/a01.md",
    "SupportArticles-docs/support/sql/c.md",
    "SupportArticles-docs/support/windows-server/dhcp/deep/b.md",
    "SupportArticles-docs/support/windows-server/dns/a.md",
    "billing/refunds/y.md",
    "billing/x.md",
    "root.md",
};

static const struct {
    const char *path, *cat, *sec;
} k_places[] = {
    {"Office/Outlook/o.md", "outlook", NULL},
    {"Office/Teams/meetings/m.md", "teams", "teams/meetings"},
    {"Office/Teams/t.md", "teams", NULL},
    {"StackFAQ/t001/a01.md", "stackfaq", "stackfaq/t001"},
    {"SupportArticles-docs/support/sql/c.md", "sql", NULL},
    {"SupportArticles-docs/support/windows-server/dhcp/deep/b.md",
     "windows-server", "windows-server/dhcp"},
    {"SupportArticles-docs/support/windows-server/dns/a.md", "windows-server",
     "windows-server/dns"},
    {"billing/refunds/y.md", "billing", "billing/refunds"},
    {"billing/x.md", "billing", NULL},
    {"root.md", "general", NULL},
};

static void write_file(const char *dir, const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    char mk[600];
    snprintf(mk, sizeof mk, "mkdir -p '%s'", path);
    assert_int_equal(system(mk), 0);
    *slash = '/';
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int n_diags;
static void count_diag(const char *file, int line, bool is_error,
                       const char *msg, void *ctx)
{
    (void)msg;
    (void)ctx;
    (void)is_error;
    assert_string_equal(file, "billing/refunds/_category_.json");
    assert_int_equal(line, 1);
    n_diags++;
}

static void place(const hdx_browse *b, const char *path, const char *cat,
                  const char *sec, const char *fm_cat, const char *fm_sec)
{
    hdx_article a;
    memset(&a, 0, sizeof a);
    a.path = (char *)path;
    a.category = (char *)fm_cat;
    a.section = (char *)fm_sec;
    hdx_browse_place(b, &a);
    assert_string_equal(a.category_key, cat);
    if (sec)
        assert_string_equal(a.section_key, sec);
    else
        assert_null(a.section_key);
    free(a.category_key);
    free(a.section_key);
}

static void test_browse_deep_tree(void **state)
{
    (void)state;
    char dir[] = "/tmp/hdx-browse-XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_file(dir, "helpdex.yaml",
               "products:\n  windows-server: Windows Server\n"
               "categories:\n  billing: {title: Billing and payments, "
               "position: 2}\nsections:\n  billing/refunds: Refunds\n");
    write_file(dir, "billing/_index.md",
               "---\ntitle: Ignored, helpdex.yaml wins\nweight: 9\n"
               "description: Plans and invoices.\n---\n");
    write_file(dir, "billing/refunds/_category_.json", "{\"label\": ");
    write_file(dir, "Office/Teams/_category_.json",
               "{\"label\": \"Microsoft Teams\", \"position\": 1}");
    n_diags = 0;
    hdx_browse *b = hdx_browse_build(
        dir, k_tree, sizeof k_tree / sizeof k_tree[0], count_diag, NULL);
    assert_int_equal(n_diags, 1); /* the broken JSON, nothing else */
    for (size_t i = 0; i < sizeof k_places / sizeof k_places[0]; i++)
        place(b, k_places[i].path, k_places[i].cat, k_places[i].sec, NULL,
              NULL);
    /* Front matter wins; a section alone stays in the folder's category. */
    place(b, "billing/x.md", "getting-started", "getting-started/security",
          "Getting started", "Security");
    place(b, "billing/x.md", "billing", "billing/vat", NULL, "VAT");
    assert_string_equal(hdx_browse_title(b, HDX_BROWSE_CATEGORY, "billing"),
                        "Billing and payments");
    assert_string_equal(
        hdx_browse_description(b, HDX_BROWSE_CATEGORY, "billing"),
        "Plans and invoices.");
    double pos = 0;
    assert_true(hdx_browse_position(b, HDX_BROWSE_CATEGORY, "billing", &pos));
    assert_true(pos == 2);
    assert_string_equal(hdx_browse_title(b, HDX_BROWSE_CATEGORY, "teams"),
                        "Microsoft Teams");
    assert_string_equal(
        hdx_browse_title(b, HDX_BROWSE_SECTION, "billing/refunds"), "Refunds");
    assert_string_equal(
        hdx_browse_title(b, HDX_BROWSE_SECTION, "windows-server/dns"), "DNS");
    char *name = hdx_browse_name(b, HDX_BROWSE_PRODUCT, "windows-server", NULL);
    assert_string_equal(name, "Windows Server");
    free(name);
    name = hdx_browse_name(b, HDX_BROWSE_PRODUCT, "sql-server", "x");
    assert_string_equal(name, "x");
    free(name);
    /* The stored form reads back the same. */
    char *json = hdx_browse_json(b);
    hdx_browse *c = hdx_browse_parse(json);
    assert_true(hdx_browse_layout_hash(b) == hdx_browse_layout_hash(c));
    assert_string_equal(hdx_browse_title(c, HDX_BROWSE_CATEGORY, "teams"),
                        "Microsoft Teams");
    place(c, "Office/Teams/meetings/m.md", "teams", "teams/meetings", NULL,
          NULL);
    char *json2 = hdx_browse_json(c);
    assert_string_equal(json, json2);
    free(json);
    free(json2);
    hdx_browse_free(c);
    hdx_browse_free(b);
    hdx_browse *empty = hdx_browse_parse("not json");
    place(empty, "a/b.md", "general", NULL, NULL, NULL);
    hdx_browse_free(empty);
    char rm[600];
    snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
    assert_int_equal(system(rm), 0);
}

/* ---- platform front matter ---------------------------------------------- */

static void test_browse_platform_fields(void **state)
{
    (void)state;
    const char *src = "---\n"
                      "title: Invite guests\n"
                      "slug: /sharing/guests/\n"
                      "sidebar_position: 2.5\n"
                      "sidebar_label: Guests\n"
                      "hide_table_of_contents: true\n"
                      "categories: [Sharing, sharing, Guests]\n"
                      "tags: [guests]\n"
                      "aliases: [/old/guests/, '/kb/guests, invite.html']\n"
                      "redirect_from: /older/guests\n"
                      "permalink: /kb/guests.html\n"
                      "ms.custom: x\n"
                      "appliesto: [Windows]\n"
                      "html_url: https://x.zendesk.com/hc/articles/1\n"
                      "label_names: [Sharing]\n"
                      "section_id: 42\n"
                      "linkTitle: Guests too\n"
                      "menu: {main: {weight: 1}}\n"
                      "nav_order: 3\n"
                      "category: Sharing\n"
                      "section: People\n"
                      "---\nBody.\n";
    hdx_article *a = parse_ok("sharing/guests.md", src);
    assert_string_equal(a->id, "sharing/guests");
    assert_int_equal(a->n_notes, 0); /* no unknown-field warning */
    assert_int_equal(a->unknown_fields.n, 0);
    /* categories, tags and label_names: one tag per spelling-free form */
    assert_int_equal(a->tags.n, 2);
    assert_string_equal(a->tags.items[0], "Sharing");
    assert_string_equal(a->tags.items[1], "Guests");
    assert_true(a->has_position && a->position == 3);
    assert_string_equal(a->nav_label, "Guests too");
    assert_string_equal(a->category, "Sharing");
    assert_string_equal(a->section, "People");
    assert_int_equal(a->aliases.n, 5);
    assert_string_equal(a->aliases.items[1], "/kb/guests, invite.html");
    hdx_article_free(a);
    a = parse_ok("x.md", "---\ntitle: X\nweight: heavy\n---\nBody.\n");
    assert_false(a->has_position);
    assert_int_equal(a->n_notes, 1);
    assert_string_equal(a->notes[0].rule, "invalid-position");
    hdx_article_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_browse_default_names),
        cmocka_unit_test(test_browse_keys_and_alias_keys),
        cmocka_unit_test(test_browse_deep_tree),
        cmocka_unit_test(test_browse_platform_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
