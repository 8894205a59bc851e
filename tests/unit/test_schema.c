/*
 * test_schema.c - the schema module (lib/schema.h): the field table, the
 * visibility terms, the facet value encoding, the date slot form, id keys
 * and metadata keys.  Table-driven; no index needed.  Expected terms are
 * built from the module's own prefixes, never spelt here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdx/buf.h"
#include "hdx/schema.h"

#include "../../lib/schema.h"

/* ---- the field table -------------------------------------------------- */

static void test_schema_table_is_indexed_by_field(void **state)
{
    (void)state;
    for (int f = 0; f < HDXI_F_COUNT; f++) {
        const hdxi_field_def *def = hdxi_schema_field((hdxi_field)f);
        assert_int_equal(def->field, f);
        assert_non_null(def->prefix);
        assert_string_equal(hdxi_prefix((hdxi_field)f), def->prefix);
    }
    /* out of range: the first entry, never a wild read */
    assert_ptr_equal(hdxi_schema_field(HDXI_F_COUNT), hdxi_schema_field(0));
}

static void test_schema_names_and_prefixes_unique(void **state)
{
    (void)state;
    for (int a = 0; a < HDXI_F_COUNT; a++) {
        const hdxi_field_def *x = hdxi_schema_field((hdxi_field)a);
        for (int b = a + 1; b < HDXI_F_COUNT; b++) {
            const hdxi_field_def *y = hdxi_schema_field((hdxi_field)b);
            if (!strcmp(x->prefix, y->prefix))
                fail_msg("fields %d and %d share prefix %s", a, b, x->prefix);
            if (x->name && y->name && !strcmp(x->name, y->name))
                fail_msg("fields %d and %d share name %s", a, b, x->name);
        }
    }
}

/* What each field is: its query name and its kind. */
static const struct {
    hdxi_field field;
    const char *name; /* NULL: no query syntax */
    hdxi_kind kind;
    bool normalise;
} field_cases[] = {
    {HDXI_F_UID, NULL, HDXI_BOOLEAN, false},
    {HDXI_F_ID, "id", HDXI_BOOLEAN, true},
    {HDXI_F_PATH, NULL, HDXI_BOOLEAN, false},
    {HDXI_F_TYPE, "type", HDXI_BOOLEAN, true},
    {HDXI_F_AUDIENCE, NULL, HDXI_BOOLEAN, false},
    {HDXI_F_STATUS, NULL, HDXI_BOOLEAN, false},
    {HDXI_F_PRODUCT, "product", HDXI_BOOLEAN, true},
    {HDXI_F_TAG, "tag", HDXI_BOOLEAN, true},
    {HDXI_F_TITLE, "title", HDXI_TEXT, true},
    {HDXI_F_HEADING, "heading", HDXI_TEXT, true},
    {HDXI_F_SYMPTOMS, "symptoms", HDXI_TEXT, true},
    {HDXI_F_CODE, "code", HDXI_TEXT, true},
    {HDXI_F_IDENT, NULL, HDXI_IDENT, false},
    {HDXI_F_VISIBLE, NULL, HDXI_MARK, false},
    {HDXI_F_DRAFT, NULL, HDXI_MARK, false},
    {HDXI_F_SPELLED, NULL, HDXI_MARK, false},
    {HDXI_F_CATEGORY, "category", HDXI_BOOLEAN, false},
    {HDXI_F_SECTION, "section", HDXI_BOOLEAN, false},
    {HDXI_F_ALIAS, NULL, HDXI_BOOLEAN, false},
    {HDXI_F_PAIR, NULL, HDXI_PAIR, false},
};

static void test_schema_boolean_vs_free_text(void **state)
{
    (void)state;
    assert_int_equal(sizeof field_cases / sizeof field_cases[0],
                     HDXI_F_COUNT);
    for (size_t i = 0; i < HDXI_F_COUNT; i++) {
        const hdxi_field_def *def = hdxi_schema_field(field_cases[i].field);
        if (field_cases[i].name)
            assert_string_equal(def->name, field_cases[i].name);
        else
            assert_null(def->name);
        if (def->kind != field_cases[i].kind ||
            def->normalise != field_cases[i].normalise)
            fail_msg("field %s (%d): kind %d normalise %d", def->prefix,
                     field_cases[i].field, def->kind, def->normalise);
    }
}

static bool all_upper(const char *s)
{
    for (; *s; s++)
        if (!isupper((unsigned char)*s))
            return false;
    return true;
}

/* Omega's termprefixes.rst: the standard single capitals for what they
 * mean there (Q unique id, S title, K keyword), X + capitals for our
 * own, and Z left to Xapian's stemmer. */
static void test_schema_prefixes_follow_omega(void **state)
{
    (void)state;
    static const struct {
        hdxi_field field;
        char omega; /* Omega's single-letter prefix for this meaning */
    } standard[] = {
        {HDXI_F_UID, 'Q'}, {HDXI_F_TITLE, 'S'}, {HDXI_F_TAG, 'K'}};
    for (size_t i = 0; i < sizeof standard / sizeof standard[0]; i++) {
        const char *p = hdxi_prefix(standard[i].field);
        assert_int_equal(strlen(p), 1);
        assert_int_equal(p[0], standard[i].omega);
    }
    for (int f = 0; f < HDXI_F_COUNT; f++) {
        const char *p = hdxi_prefix((hdxi_field)f);
        assert_true(*p && all_upper(p));
        if (strlen(p) > 1 && p[0] != 'X')
            fail_msg("prefix %s: multi-letter prefixes start with X", p);
        if (strcmp(p, HDXI_STEM_PREFIX) == 0)
            fail_msg("field %d uses the stem prefix", f);
        /* Where one prefix starts another (XS, XSP), the rest is capitals,
         * which a normalised (lower-case) value can never begin with. */
        for (int g = 0; g < HDXI_F_COUNT; g++) {
            const char *q = hdxi_prefix((hdxi_field)g);
            if (g != f && !strncmp(p, q, strlen(p)))
                assert_true(all_upper(q + strlen(p)));
        }
    }
    assert_int_equal(strlen(HDXI_STEM_PREFIX), 1);
    assert_true(all_upper(HDXI_STEM_PREFIX));
}

/* ---- visibility terms ------------------------------------------------- */

static const char level_letter[HDX_AUD_COUNT] = {'p', 'a', 'i'};

static void test_schema_visibility_terms(void **state)
{
    (void)state;
    static const struct {
        hdx_audience level;
        bool draft;
        bool ok;
    } cases[] = {
        {HDX_AUD_PUBLIC, false, true},  {HDX_AUD_AGENT, false, true},
        {HDX_AUD_INTERNAL, false, true}, {HDX_AUD_PUBLIC, true, false},
        {HDX_AUD_AGENT, true, true},    {HDX_AUD_INTERNAL, true, true},
    };
    char seen[6][4];
    size_t n_seen = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char t[4] = "zzz";
        bool ok = hdxi_visibility_term(cases[i].level, cases[i].draft, t);
        assert_int_equal(ok, cases[i].ok);
        if (!ok) {
            assert_string_equal(t, ""); /* no public draft term */
            continue;
        }
        char want[8];
        snprintf(want, sizeof want, "%s%c",
                 hdxi_prefix(cases[i].draft ? HDXI_F_DRAFT : HDXI_F_VISIBLE),
                 level_letter[cases[i].level]);
        assert_string_equal(t, want);
        assert_true(strlen(t) <= 3);
        for (size_t k = 0; k < n_seen; k++)
            assert_string_not_equal(seen[k], t);
        memcpy(seen[n_seen++], t, 4);
    }
    assert_int_equal(n_seen, 5);
    /* a level out of range is treated as public, never as higher */
    char t[4], pub[4];
    assert_true(hdxi_visibility_term((hdx_audience)7, false, t));
    assert_true(hdxi_visibility_term(HDX_AUD_PUBLIC, false, pub));
    assert_string_equal(t, pub);
    assert_false(hdxi_visibility_term((hdx_audience)7, true, t));
}

/* ---- facets ----------------------------------------------------------- */

typedef struct {
    char product[32], type[32];
    char tags[16][32];
    size_t n_tags;
    size_t n_calls;
} decoded;

static void on_facet(hdxi_facet f, const char *v, size_t len, void *ctx)
{
    decoded *d = ctx;
    d->n_calls++;
    char *dst = f == HDXI_FACET_PRODUCT ? d->product
                : f == HDXI_FACET_TYPE  ? d->type
                : d->n_tags < 16        ? d->tags[d->n_tags++]
                                        : NULL;
    if (dst)
        snprintf(dst, 32, "%.*s", (int)len, v);
}

static void test_schema_facets_round_trip(void **state)
{
    (void)state;
    static const char *const many[] = {"a",  "bb", "c-c", "d d", "e",
                                       "f",  "g",  "h",   "i",   "j",
                                       "kk", "l"};
    static const char *const one[] = {"windows"};
    static const struct {
        const char *product, *type;
        const char *const *tags;
        size_t n_tags;
    } cases[] = {
        {"desktop", "article", one, 1},
        {"", "faq", one, 1},           /* empty product */
        {NULL, "incident", NULL, 0},   /* no product, no tags */
        {"mobile", "article", NULL, 0},
        {"web", "faq", many, 12},
        {"", "", NULL, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hdx_buf b;
        hdx_buf_init(&b);
        hdxi_facets_encode(&b, cases[i].product, cases[i].type, cases[i].tags,
                           cases[i].n_tags);
        decoded d;
        memset(&d, 0, sizeof d);
        hdxi_facets_decode(b.data, b.len, on_facet, &d);
        hdx_buf_clear(&b);
        const char *p = cases[i].product ? cases[i].product : "";
        assert_string_equal(d.product, p);
        assert_string_equal(d.type, cases[i].type);
        assert_int_equal(d.n_tags, cases[i].n_tags);
        for (size_t k = 0; k < d.n_tags; k++)
            assert_string_equal(d.tags[k], cases[i].tags[k]);
        /* empty values yield no call */
        assert_int_equal(d.n_calls, (*p ? 1u : 0u) +
                                        (*cases[i].type ? 1u : 0u) +
                                        cases[i].n_tags);
    }
    /* not an encoded value: nothing */
    decoded d;
    memset(&d, 0, sizeof d);
    hdxi_facets_decode("desktop", 7, on_facet, &d);
    hdxi_facets_decode("", 0, on_facet, &d);
    assert_int_equal(d.n_calls, 0);
    assert_string_equal(hdxi_facet_name(HDXI_FACET_PRODUCT), "product");
    assert_string_equal(hdxi_facet_name(HDXI_FACET_TYPE), "type");
    assert_string_equal(hdxi_facet_name(HDXI_FACET_TAG), "tag");
}

/* ---- the date slot ---------------------------------------------------- */

static void test_schema_slot_date(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        const char *want; /* NULL: rejected */
    } cases[] = {
        {"2024-01-05", "20240105"},
        {"1999-12-31", "19991231"},
        {"2024-1-05", NULL},
        {"2024/01/05", NULL},
        {"20240105", NULL},
        {"2024-01-0x", NULL},
        {"2024-01-05T10:00", NULL},
        {" 2024-01-05", NULL},
        {"", NULL},
        {NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[9] = "untouch";
        bool ok = hdxi_slot_date(cases[i].in, out);
        if (ok != (cases[i].want != NULL))
            fail_msg("hdxi_slot_date(\"%s\") = %d", cases[i].in ? cases[i].in
                                                                : "(null)",
                     ok);
        if (ok)
            assert_string_equal(out, cases[i].want);
    }
}

/* ---- id keys and metadata keys ---------------------------------------- */

static void test_schema_id_key(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        bool same;
    } cases[] = {
        {"Café-Setup", "cafe-setup", true},
        {"Cafe\xCC\x81-Setup", "cafe-setup", true}, /* decomposed é */
        {"CAFE-SETUP", "cafe-setup", true},
        {"cafe-setup", "cafe-setup-2", false},
        {NULL, "", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *a = hdx_id_key(cases[i].a);
        char *b = hdx_id_key(cases[i].b);
        assert_non_null(a);
        if ((strcmp(a, b) == 0) != cases[i].same)
            fail_msg("hdx_id_key case %zu: \"%s\" vs \"%s\"", i, a, b);
        free(a);
        free(b);
    }
    char *k = hdx_id_key("Café-Setup");
    assert_string_equal(k, "cafe-setup");
    free(k);
}

static char *repeat(char c, size_t n, const char *tail)
{
    char *s = malloc(n + strlen(tail) + 1);
    memset(s, c, n);
    strcpy(s + n, tail);
    return s;
}

static void test_schema_meta_keys(void **state)
{
    (void)state;
    size_t fp = strlen(HDX_META_FILE_PREFIX);
    /* short keys are kept as they are, under the prefix */
    char *k = hdx_meta_key_file("articles/reset.md");
    assert_int_equal(strncmp(k, HDX_META_FILE_PREFIX, fp), 0);
    assert_string_equal(k + fp, "articles/reset.md");
    free(k);
    /* 200 bytes: kept; longer: hashed, still distinct and deterministic */
    static const struct {
        size_t len;
        bool hashed;
    } lens[] = {{1, false}, {200, false}, {201, true}, {300, true},
                {5000, true}};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        char *p1 = repeat('p', lens[i].len - 1, "1");
        char *p2 = repeat('p', lens[i].len - 1, "2");
        char *k1 = hdx_meta_key_file(p1), *k2 = hdx_meta_key_file(p2);
        char *k1b = hdx_meta_key_file(p1);
        assert_string_not_equal(k1, k2);
        assert_string_equal(k1, k1b);
        assert_int_equal(strncmp(k1, HDX_META_FILE_PREFIX, fp), 0);
        assert_true(strlen(k1) <= 200 + fp);
        assert_int_equal(strcmp(k1 + fp, p1) != 0, lens[i].hashed);
        char *i1 = hdx_meta_key_id(p1);
        assert_true(strlen(i1) <= 200 + fp);
        assert_string_not_equal(i1, k1); /* file and id keys never meet */
        free(i1);
        free(k1);
        free(k1b);
        free(k2);
        free(p1);
        free(p2);
    }
    /* id keys compare by hdx_id_key */
    char *a = hdx_meta_key_id("Café-Setup"), *b = hdx_meta_key_id("cafe-setup");
    assert_string_equal(a, b);
    free(a);
    free(b);
    char *la = repeat('X', 250, "-Café"), *lb = repeat('x', 250, "-cafe");
    a = hdx_meta_key_id(la);
    b = hdx_meta_key_id(lb);
    assert_string_equal(a, b); /* hashed after the id key */
    free(a);
    free(b);
    free(la);
    free(lb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_table_is_indexed_by_field),
        cmocka_unit_test(test_schema_names_and_prefixes_unique),
        cmocka_unit_test(test_schema_boolean_vs_free_text),
        cmocka_unit_test(test_schema_prefixes_follow_omega),
        cmocka_unit_test(test_schema_visibility_terms),
        cmocka_unit_test(test_schema_facets_round_trip),
        cmocka_unit_test(test_schema_slot_date),
        cmocka_unit_test(test_schema_id_key),
        cmocka_unit_test(test_schema_meta_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
