/*
 * meili_params.c - the search parameters of the Meilisearch API (see
 * meili.h): one table names every parameter Meilisearch documents for a
 * search, its error code and its reader.  A parameter helpdex cannot
 * honour is refused with its own invalid_search_* code unless it is given
 * its no-op value (null, false, empty), never ignored; a name Meilisearch
 * does not have is `bad_request`, as Meilisearch answers.  GET searches
 * are turned into the same JSON object first (comma lists → arrays).
 */
#include "meili.h"

#include "hdx/text.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HITS 1000 /* Meilisearch's default pagination.maxTotalHits */
#define MAX_CROP 1000

static const char *const k_attrs[MA_COUNT] = {
    "id", "title", "summary", "content", "type", "product", "tags",
    "updated", "locale", "status", "category", "path", "url"};

const char *meili_attr_name(int a)
{
    return a >= 0 && a < MA_COUNT ? k_attrs[a] : NULL;
}

int meili_attr_parse(const char *name)
{
    for (int a = 0; a < MA_COUNT; a++)
        if (!strcmp(name, k_attrs[a]))
            return a;
    return -1;
}

typedef struct param param;
typedef bool (*param_fn)(const json_t *v, meili_search *s, const param *p,
                         meili_err *e);
struct param {
    const char *name, *code;
    param_fn fn; /* NULL: not supported by helpdex */
    const char *expect;
    size_t off;  /* the field of meili_search the generic readers fill */
};

#define FIELD(s, p, type) ((type *)(void *)((char *)(s) + (p)->off))

static bool type_err(const param *p, meili_err *e)
{
    meili_err_set(e, 400, p->code, "Invalid value type at `.%s`: expected %s",
                  p->name, p->expect);
    return false;
}

static bool rd_q(const json_t *v, meili_search *s, const param *p,
                 meili_err *e)
{
    if (json_is_null(v))
        return true;
    if (!json_is_string(v))
        return type_err(p, e);
    s->q = json_string_value(v);
    if (strlen(s->q) > MAX_QUERY_BYTES ||
        !hdx_text_valid_utf8(s->q, strlen(s->q), NULL)) {
        meili_err_set(e, 400, p->code, "`.q` must be UTF-8 of at most %u "
                      "bytes", MAX_QUERY_BYTES);
        return false;
    }
    return true;
}

static bool rd_uint(const json_t *v, const param *p, long max, long *out,
                    meili_err *e)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return type_err(p, e);
    json_int_t n = json_integer_value(v);
    *out = n > max ? max : (long)n;
    return true;
}

/* A count into the field p->off; page and hitsPerPage choose paging. */
static bool rd_count(const json_t *v, meili_search *s, const param *p,
                     meili_err *e)
{
    long max = !strcmp(p->name, "cropLength") ? MAX_CROP : MAX_HITS;
    s->paged |= !strcmp(p->name, "page") || !strcmp(p->name, "hitsPerPage");
    return rd_uint(v, p, max, FIELD(s, p, long), e);
}

static bool rd_filter(const json_t *v, meili_search *s, const param *p,
                      meili_err *e)
{
    (void)p;
    return meili_filter_parse(v, &s->filter, e);
}

/* An array of strings (null: absent); fn(name, ctx) for each. */
static bool each_string(const json_t *v, const param *p, meili_err *e,
                        bool (*fn)(const char *, void *, meili_err *),
                        void *ctx)
{
    if (json_is_null(v))
        return true;
    if (!json_is_array(v))
        return type_err(p, e);
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) {
        if (!json_is_string(x))
            return type_err(p, e);
        if (!fn(json_string_value(x), ctx, e))
            return false;
    }
    return true;
}

typedef struct attr_ctx {
    unsigned *mask;
    long *lengths; /* attributesToCrop "attr:N", or NULL */
    bool *star;    /* set for "*", or NULL */
} attr_ctx;

/* Unknown attributes match nothing, as in Meilisearch. */
static bool one_attr(const char *name, void *ctx, meili_err *e)
{
    attr_ctx *c = ctx;
    const char *colon = c->lengths ? strchr(name, ':') : NULL;
    char buf[64];
    size_t n = colon ? (size_t)(colon - name) : strlen(name);
    if (n >= sizeof buf)
        return true;
    memcpy(buf, name, n);
    buf[n] = '\0';
    long len = 0;
    if (colon) {
        char *end;
        len = strtol(colon + 1, &end, 10);
        if (*end || len < 0 || len > MAX_CROP) {
            meili_err_set(e, 400, "invalid_search_attributes_to_crop",
                          "`%s`: a crop length is a number up to %d", name,
                          MAX_CROP);
            return false;
        }
    }
    int a = meili_attr_parse(buf);
    unsigned bits = !strcmp(buf, "*") ? MA_DISPLAYED
                                      : a >= 0 ? MA_BIT(a) : 0u;
    *c->mask |= bits;
    if (c->star && !strcmp(buf, "*"))
        *c->star = true;
    for (int k = 0; colon && k < MA_COUNT; k++)
        if (bits & MA_BIT(k))
            c->lengths[k] = len;
    return true;
}

static bool rd_retrieve(const json_t *v, meili_search *s, const param *p,
                        meili_err *e)
{
    s->retrieve = 0;
    attr_ctx c = {&s->retrieve, NULL, NULL};
    if (json_is_null(v))
        s->retrieve = MA_DISPLAYED;
    return each_string(v, p, e, one_attr, &c);
}

static bool rd_highlight(const json_t *v, meili_search *s, const param *p,
                         meili_err *e)
{
    attr_ctx c = {&s->highlight, NULL, &s->highlight_all};
    return each_string(v, p, e, one_attr, &c);
}

static bool rd_crop(const json_t *v, meili_search *s, const param *p,
                    meili_err *e)
{
    attr_ctx c = {&s->crop, s->crop_lengths, NULL};
    return each_string(v, p, e, one_attr, &c);
}

static bool rd_string(const json_t *v, const param *p, const char **out,
                      meili_err *e)
{
    if (json_is_null(v))
        return true;
    if (!json_is_string(v))
        return type_err(p, e);
    *out = json_string_value(v);
    return true;
}

static bool rd_bool(const json_t *v, const param *p, bool *out, meili_err *e)
{
    if (json_is_null(v))
        return true;
    if (!json_is_boolean(v))
        return type_err(p, e);
    *out = json_is_true(v);
    return true;
}

static bool rd_str(const json_t *v, meili_search *s, const param *p,
                   meili_err *e)
{
    return rd_string(v, p, FIELD(s, p, const char *), e);
}

static bool rd_flag(const json_t *v, meili_search *s, const param *p,
                    meili_err *e)
{
    return rd_bool(v, p, FIELD(s, p, bool), e);
}

static bool rd_strategy(const json_t *v, meili_search *s, const param *p,
                        meili_err *e)
{
    const char *m = "last";
    if (!rd_string(v, p, &m, e))
        return false;
    if (strcmp(m, "last") != 0 && strcmp(m, "all") != 0) {
        meili_err_set(e, 400, p->code, "Unknown value `%s` at "
                      "`.matchingStrategy`: helpdex supports `last` and "
                      "`all`", m);
        return false;
    }
    s->all_words = !strcmp(m, "all");
    return true;
}

static bool one_facet(const char *name, void *ctx, meili_err *e)
{
    meili_search *s = ctx;
    if (!strcmp(name, "*"))
        s->facets |= ((1u << MF_COUNT) - 1u) | (1u << MF_UPDATED);
    else if (!strcmp(name, "updated"))
        s->facets |= 1u << MF_UPDATED;
    else if (!strcmp(name, "product"))
        s->facets |= 1u << MF_PRODUCT;
    else if (!strcmp(name, "tags") || !strcmp(name, "tag"))
        s->facets |= 1u << MF_TAGS;
    else if (!strcmp(name, "type"))
        s->facets |= 1u << MF_TYPE;
    else {
        meili_err_set(e, 400, "invalid_search_facets",
                      "Invalid facet distribution: attribute `%s` is not "
                      "faceted. helpdex counts `product`, `tags` and `type`, "
                      "and gives `updated` as facetStats.",
                      name);
        return false;
    }
    return true;
}

static bool rd_facets(const json_t *v, meili_search *s, const param *p,
                      meili_err *e)
{
    return each_string(v, p, e, one_facet, s);
}

static bool one_sort(const char *name, void *ctx, meili_err *e)
{
    meili_search *s = ctx;
    if (strcmp(name, "updated:desc") != 0) {
        meili_err_set(e, 400, "invalid_search_sort",
                      "helpdex sorts by `updated:desc` only, not `%s`", name);
        return false;
    }
    s->sort = HDX_SORT_UPDATED;
    return true;
}

static bool rd_sort(const json_t *v, meili_search *s, const param *p,
                    meili_err *e)
{
    return each_string(v, p, e, one_sort, s);
}

static bool rd_index(const json_t *v, meili_search *s, const param *p,
                     meili_err *e)
{
    (void)s;
    return json_is_string(v) || type_err(p, e);
}

#define SEARCH "invalid_search_"
#define OFF(f) offsetof(meili_search, f)
static const param k_params[] = {
    {"q", SEARCH "q", rd_q, "a string", 0},
    {"offset", SEARCH "offset", rd_count, "a positive integer", OFF(offset)},
    {"limit", SEARCH "limit", rd_count, "a positive integer", OFF(limit)},
    {"page", SEARCH "page", rd_count, "a positive integer", OFF(page)},
    {"hitsPerPage", SEARCH "hits_per_page", rd_count, "a positive integer",
     OFF(hits_per_page)},
    {"filter", SEARCH "filter", rd_filter, "a string or an array", 0},
    {"facets", SEARCH "facets", rd_facets, "an array of strings", 0},
    {"sort", SEARCH "sort", rd_sort, "an array of strings", 0},
    {"attributesToRetrieve", SEARCH "attributes_to_retrieve", rd_retrieve,
     "an array of strings", 0},
    {"attributesToHighlight", SEARCH "attributes_to_highlight", rd_highlight,
     "an array of strings", 0},
    {"highlightPreTag", SEARCH "highlight_pre_tag", rd_str, "a string",
     OFF(pre)},
    {"highlightPostTag", SEARCH "highlight_post_tag", rd_str, "a string",
     OFF(post)},
    {"attributesToCrop", SEARCH "attributes_to_crop", rd_crop,
     "an array of strings", 0},
    {"cropLength", SEARCH "crop_length", rd_count, "a positive integer",
     OFF(crop_length)},
    {"cropMarker", SEARCH "crop_marker", rd_str, "a string", OFF(marker)},
    {"showMatchesPosition", SEARCH "show_matches_position", rd_flag,
     "a boolean", OFF(matches)},
    {"showRankingScore", SEARCH "show_ranking_score", rd_flag, "a boolean",
     OFF(score)},
    {"matchingStrategy", SEARCH "matching_strategy", rd_strategy,
     "`last` or `all`", 0},
    {"indexUid", "invalid_index_uid", rd_index, "a string", 0},
    {"attributesToSearchOn", SEARCH "attributes_to_search_on", NULL, NULL, 0},
    {"showRankingScoreDetails", SEARCH "show_ranking_score_details", NULL,
     NULL, 0},
    {"rankingScoreThreshold", SEARCH "ranking_score_threshold", NULL, NULL,
     0},
    {"distinct", SEARCH "distinct", NULL, NULL, 0},
    {"hybrid", SEARCH "hybrid_query", NULL, NULL, 0},
    {"vector", SEARCH "vector", NULL, NULL, 0},
    {"retrieveVectors", SEARCH "retrieve_vectors", NULL, NULL, 0},
    {"locales", SEARCH "locales", NULL, NULL, 0},
};
#define N_PARAMS (sizeof k_params / sizeof k_params[0])

static const param *param_find(const char *name, bool multi)
{
    for (size_t i = 0; i < N_PARAMS; i++)
        if (!strcmp(k_params[i].name, name))
            return multi || strcmp(name, "indexUid") ? &k_params[i] : NULL;
    return NULL;
}

/* A parameter helpdex does not have, given its no-op value? */
static bool no_op(const json_t *v)
{
    return json_is_null(v) || json_is_false(v) ||
           (json_is_array(v) && !json_array_size(v));
}

static bool read_one(const char *name, const json_t *v, bool multi,
                     meili_search *s, meili_err *e)
{
    const param *p = param_find(name, multi);
    if (!p) {
        meili_err_set(e, 400, "bad_request", "Unknown field `%s`: expected "
                      "one of the search parameters of docs/meilisearch.md",
                      name);
        return false;
    }
    if (p->fn)
        return p->fn(v, s, p, e);
    if (no_op(v))
        return true;
    meili_err_set(e, 400, p->code, "helpdex does not support `%s` (see "
                  "docs/meilisearch.md)", name);
    return false;
}

bool meili_search_parse(json_t *obj, bool multi, meili_search *s,
                        meili_err *e)
{
    s->params = json_incref(obj);
    s->q = "";
    s->limit = 20;
    s->page = 1;
    s->hits_per_page = 20;
    s->retrieve = MA_DISPLAYED;
    s->pre = "<em>";
    s->post = "</em>";
    s->marker = "\xe2\x80\xa6";
    s->crop_length = 10;
    if (!json_is_object(obj)) {
        meili_err_set(e, 400, "bad_request", "the search parameters must "
                      "be a JSON object");
        return false;
    }
    const char *name;
    json_t *v;
    json_object_foreach(obj, name, v)
        if (!read_one(name, v, multi, s, e))
            return false;
    return true;
}

void meili_search_clear(meili_search *s)
{
    meili_filter_clear(&s->filter);
    json_decref(s->params);
    s->params = NULL;
}

/* ---- GET: the query string as the JSON object ----------------------- */

static const char *const k_int_args[] = {"offset", "limit", "page",
                                         "hitsPerPage", "cropLength"};
static const char *const k_bool_args[] = {"showMatchesPosition",
                                          "showRankingScore"};
static const char *const k_list_args[] = {
    "facets", "sort", "attributesToRetrieve", "attributesToHighlight",
    "attributesToCrop"};

static bool in(const char *name, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(name, names[i]))
            return true;
    return false;
}

/* "a,b" → ["a","b"]. */
static json_t *comma_list(const char *v)
{
    json_t *arr = json_array();
    const char *p = v;
    while (*p) {
        size_t n = strcspn(p, ",");
        if (n)
            json_array_append_new(arr, json_stringn(p, n));
        p += n + (p[n] == ',');
    }
    return arr;
}

static json_t *arg_value(const char *name, const char *v)
{
    char *end;
    if (in(name, k_int_args, 5)) {
        long long n = strtoll(v, &end, 10);
        return *v && !*end ? json_integer(n) : json_string(v);
    }
    if (in(name, k_bool_args, 2) && (!strcmp(v, "true") ||
                                     !strcmp(v, "false")))
        return json_boolean(!strcmp(v, "true"));
    if (in(name, k_list_args, 5))
        return comma_list(v);
    return json_string(v);
}

json_t *meili_query_params(const request *r, meili_err *e)
{
    json_t *obj = json_object();
    for (size_t i = 0; i < r->n_args; i++) {
        const char *name = r->args[i].name, *v = r->args[i].value;
        json_t *val = arg_value(name, v ? v : "");
        if (!val || json_object_set_new(obj, name, val) != 0) {
            meili_err_set(e, 400, "bad_request",
                          "parameter `%s` is not valid UTF-8", name);
            json_decref(obj);
            return NULL;
        }
    }
    return obj;
}
