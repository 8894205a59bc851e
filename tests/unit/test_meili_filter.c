/*
 * test_meili_filter.c - Meilisearch's filter grammar onto helpdex's typed
 * filter (server/meili_filter.c): what each accepted form becomes, and
 * that every form hdx_filter cannot express is refused with
 * invalid_search_filter naming the problem, never approximated.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "meili.h"

#define ARTICLE HDX_TYPE_BIT(HDX_TYPE_ARTICLE)
#define FAQ HDX_TYPE_BIT(HDX_TYPE_FAQ)
#define INCIDENT HDX_TYPE_BIT(HDX_TYPE_INCIDENT)

/* Parse s, which must be accepted, into *f (the caller clears it). */
static void ok(const char *s, meili_filter *f)
{
    meili_err e = {0};
    memset(f, 0, sizeof *f);
    bool good = meili_filter_parse_str(s, f, &e);
    if (!good)
        fail_msg("%s: %s", s, e.msg);
}

/* s must be refused; its message must contain `word`. */
static void bad(const char *s, const char *word)
{
    meili_filter f = {0};
    meili_err e = {0};
    assert_false(meili_filter_parse_str(s, &f, &e));
    assert_int_equal(e.status, 400);
    assert_string_equal(e.code, "invalid_search_filter");
    if (!strstr(e.msg, word))
        fail_msg("%s: '%s' lacks '%s'", s, e.msg, word);
    meili_filter_clear(&f);
}

static void test_equalities_and_lists(void **state)
{
    (void)state;
    meili_filter f;
    ok("product = web", &f);
    assert_int_equal(f.af.f.n_products, 1);
    assert_string_equal(f.af.f.products[0], "web");
    meili_filter_clear(&f);
    ok("product IN [web, 'mobile app'] AND tags = sync", &f);
    assert_int_equal(f.af.f.n_products, 2);
    assert_string_equal(f.af.f.products[1], "mobile app");
    assert_int_equal(f.af.f.n_tags, 1);
    assert_string_equal(f.af.f.tags[0], "sync");
    meili_filter_clear(&f);
    ok("\"tags\"=\"sync\"", &f); /* instant-meilisearch's facet filters */
    assert_int_equal(f.af.f.n_tags, 1);
    meili_filter_clear(&f);
    ok("(product = web OR product = mobile) AND category = billing", &f);
    assert_int_equal(f.af.f.n_products, 2);
    assert_string_equal(f.category, "billing");
    assert_false(f.none);
    meili_filter_clear(&f);
    ok("  ", &f);
    assert_int_equal(f.af.f.n_products + f.af.f.n_tags + f.af.f.types, 0);
    meili_filter_clear(&f);
}

static void test_types_and_negation(void **state)
{
    (void)state;
    meili_filter f;
    ok("type != faq", &f);
    assert_int_equal(f.af.f.types, ARTICLE | INCIDENT);
    meili_filter_clear(&f);
    ok("NOT type IN [faq, incident]", &f);
    assert_int_equal(f.af.f.types, ARTICLE);
    meili_filter_clear(&f);
    ok("type NOT IN [faq] AND type = incident", &f);
    assert_int_equal(f.af.f.types, INCIDENT);
    meili_filter_clear(&f);
    ok("type = faq AND type = article", &f);
    assert_true(f.none);
    meili_filter_clear(&f);
}

static void test_dates(void **state)
{
    (void)state;
    meili_filter f;
    ok("updated > 2026-01-31", &f);
    assert_string_equal(f.from, "2026-02-01");
    assert_string_equal(f.to, "");
    meili_filter_clear(&f);
    ok("updated < 2024-03-01", &f); /* a leap year */
    assert_string_equal(f.to, "2024-02-29");
    meili_filter_clear(&f);
    ok("updated 2026-01-01 TO 2026-02-01 AND updated >= 2026-01-15", &f);
    assert_string_equal(f.from, "2026-01-15");
    assert_string_equal(f.to, "2026-02-01");
    meili_filter_clear(&f);
    ok("updated = 2026-04-07", &f);
    assert_string_equal(f.from, "2026-04-07");
    assert_string_equal(f.to, "2026-04-07");
    meili_filter_clear(&f);
    ok("updated <= 2026-01-01 AND updated > 2026-01-01", &f);
    assert_true(f.none);
    meili_filter_clear(&f);
}

static void test_products_intersect(void **state)
{
    (void)state;
    meili_filter f;
    ok("product IN [web, mobile] AND product = WEB", &f);
    assert_int_equal(f.af.f.n_products, 1);
    assert_false(f.none);
    meili_filter_clear(&f);
    ok("product = web AND product = mobile", &f);
    assert_true(f.none);
    meili_filter_clear(&f);
}

static void test_array_form(void **state)
{
    (void)state;
    json_error_t je;
    json_t *v = json_loads("[[\"product = web\", \"product = mobile\"], "
                           "\"type = faq\"]", 0, &je);
    meili_filter f = {0};
    meili_err e = {0};
    assert_true(meili_filter_parse(v, &f, &e));
    assert_int_equal(f.af.f.n_products, 2);
    assert_int_equal(f.af.f.types, FAQ);
    meili_filter_clear(&f);
    json_decref(v);
    v = json_loads("[[[\"product = web\"]]]", 0, &je);
    assert_false(meili_filter_parse(v, &f, &e));
    assert_string_equal(e.code, "invalid_search_filter");
    meili_filter_clear(&f);
    json_decref(v);
    v = json_integer(3);
    assert_false(meili_filter_parse(v, &f, &e));
    json_decref(v);
}

static void test_refused(void **state)
{
    (void)state;
    bad("title = x", "`title` is not filterable");
    bad("product = web OR tags = sync", "OR");
    bad("product != web", "on `type` only");
    bad("NOT tags = x", "on `type` only");
    bad("tags = a AND tags = b", "one `tags` condition");
    bad("category IN [a, b]", "one `category`");
    bad("product =", "expected a value");
    bad("product = 'web", "unterminated string");
    bad("product ! web", "expected `!=`");
    bad("updated > yesterday", "YYYY-MM-DD");
    bad("product > 3", "compares only `updated`");
    bad("product EXISTS", "EXISTS");
    bad("(product = web", "expected `)`");
    bad("product = web extra", "unexpected token");
    bad("product IN web", "expected `[`");
    bad("type = faqs", "article, faq or incident");
    bad("(product = web AND type = faq) OR type = article", "AND");
    bad("AND", "expecting an attribute");
}

/* The tree is walked recursively: its depth and size are bounded. */
static void test_bounded(void **state)
{
    (void)state;
    char deep[200] = "", many[6000] = "";
    for (int i = 0; i < 40; i++)
        strcat(deep, "(");
    strcat(deep, "type = faq");
    bad(deep, "nests too deeply");
    memset(deep, 0, sizeof deep);
    for (int i = 0; i < 40; i++)
        strcat(deep, "NOT ");
    strcat(deep, "type = faq");
    bad(deep, "nests too deeply");
    for (int i = 0; i < 300; i++)
        strcat(many, i ? " OR type = faq" : "type = faq");
    bad(many, "too many conditions");
    meili_filter f;
    ok("((((type = faq))))", &f);
    assert_int_equal(f.af.f.types, FAQ);
    meili_filter_clear(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equalities_and_lists),
        cmocka_unit_test(test_types_and_negation),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_products_intersect),
        cmocka_unit_test(test_array_form),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
