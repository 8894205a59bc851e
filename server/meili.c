/*
 * meili.c - the Meilisearch-compatible API under /meili/ (see meili.h and
 * docs/meilisearch.md): its own small route table below the one entry of
 * server/routes.c, keys, CORS, errors in Meilisearch's shape, and the
 * searches themselves.
 *
 * Keys are helpdex's bearer tokens: no key (or an empty one) is the
 * public search key, an agent or internal token searches at its level, an
 * unknown one is 403 invalid_api_key.  Every search is hdx_query_parse()
 * + hdx_query_run() with the caller's level in hdx_query_opts, like
 * /api/search, so the library's one visibility filter decides what is
 * found, counted and totalled.  Answers carry
 * Access-Control-Allow-Origin: * (keys travel in a header, never in
 * cookies, so any page may call it and reads only what its key allows).
 */
#include "meili.h"
#include "shard_set.h"

#include "status.h"

#include "hdx/alloc.h"
#include "hdx/text.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- errors ---------------------------------------------------------- */

void meili_err_set(meili_err *e, int status, const char *code,
                   const char *fmt, ...)
{
    e->status = status;
    snprintf(e->code, sizeof e->code, "%s", code);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
}

static void reply_err(reply *rep, meili_err *e)
{
    http_make_utf8(e->msg);
    const char *type = e->status == 401 || e->status == 403 ? "auth"
                       : e->status >= 500                   ? "internal"
                                                            : "invalid_request";
    char link[128];
    snprintf(link, sizeof link, "https://docs.meilisearch.com/errors#%s",
             e->code);
    reply_json(rep, e->status,
               json_pack("{s:s, s:s, s:s, s:s}", "message", e->msg, "code",
                         e->code, "type", type, "link", link));
}

void meili_error(reply *rep, int status, const char *code, const char *fmt,
                 ...)
{
    meili_err e = {.status = status};
    snprintf(e.code, sizeof e.code, "%s", code);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.msg, sizeof e.msg, fmt, ap);
    va_end(ap);
    reply_err(rep, &e);
}

static void err_of_status(meili_err *e, hdx_status st, const hdx_error *err)
{
    const status_info *si = status_info_of(st);
    meili_err_set(e, si->http >= 500 ? si->http : 500, "internal", "%s",
                  status_message(st, err));
    status_log(st, err);
}

/* ---- indexes --------------------------------------------------------- */

typedef struct meili_index {
    const char *uid;
    unsigned types; /* HDX_TYPE_BIT()s */
} meili_index;

static const meili_index k_indexes[] = {
    {"all", HDX_TYPE_BIT(HDX_TYPE_ARTICLE) | HDX_TYPE_BIT(HDX_TYPE_FAQ) |
                HDX_TYPE_BIT(HDX_TYPE_INCIDENT)},
    {"articles", HDX_TYPE_BIT(HDX_TYPE_ARTICLE)},
    {"faq", HDX_TYPE_BIT(HDX_TYPE_FAQ)},
    {"incidents", HDX_TYPE_BIT(HDX_TYPE_INCIDENT)},
};
#define N_INDEXES (sizeof k_indexes / sizeof k_indexes[0])

static const meili_index *index_find(const char *uid, size_t n,
                                     meili_err *e)
{
    for (size_t i = 0; i < N_INDEXES; i++)
        if (strlen(k_indexes[i].uid) == n && !strncmp(uid, k_indexes[i].uid, n))
            return &k_indexes[i];
    meili_err_set(e, 404, "index_not_found", "Index `%.*s` not found.",
                  (int)(n > 100 ? 100 : n), uid);
    return NULL;
}

static json_t *index_json(const meili_index *ix)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "uid", ix->uid, "primaryKey",
                     "id", "createdAt", "1970-01-01T00:00:00Z", "updatedAt",
                     "1970-01-01T00:00:00Z");
}

/* ---- searches -------------------------------------------------------- */

/* The facets of `res` that the search asked for, as facetDistribution. */
static json_t *facets_json(const hdx_results *res, unsigned want)
{
    static const char *const lib[MF_COUNT] = {"product", "tag", "type"};
    static const char *const out[MF_COUNT] = {"product", "tags", "type"};
    json_t *dist = json_object();
    for (int g = 0; g < MF_COUNT; g++) {
        if (!(want & (1u << g)))
            continue;
        json_t *counts = json_object();
        for (size_t k = 0; res && k < hdx_results_n_facets(res); k++) {
            const char *facet, *value;
            unsigned count;
            hdx_results_facet(res, k, &facet, &value, &count);
            if (!strcmp(facet, lib[g]))
                json_object_set_new(counts, value, json_integer(count));
        }
        json_object_set_new(dist, out[g], counts);
    }
    return dist;
}

/* Unix seconds of a YYYY-MM-DD date, at 00:00 UTC. */
static json_int_t day_seconds(const char *d)
{
    struct tm tm = {0};
    tm.tm_year = atoi(d) - 1900;
    tm.tm_mon = atoi(d + 5) - 1;
    tm.tm_mday = atoi(d + 8);
    return (json_int_t)timegm(&tm);
}

/* facetStats: the earliest and latest `updated` of the matches, as
 * Meilisearch gives a numeric facet's (Unix seconds; the `updated`
 * filter takes them too). */
static json_t *facet_stats(const hdx_results *res, unsigned want)
{
    json_t *stats = json_object();
    char lo[11], hi[11];
    if (res && (want & (1u << MF_UPDATED)) &&
        hdx_results_updated_range(res, lo, hi))
        json_object_set_new(stats, "updated",
                            json_pack("{s:I, s:I}", "min", day_seconds(lo),
                                      "max", day_seconds(hi)));
    return stats;
}

static void page_fields(json_t *o, const meili_search *s, unsigned total)
{
    if (s->paged) {
        long hpp = s->hits_per_page;
        json_object_set_new(o, "hitsPerPage", json_integer(hpp));
        json_object_set_new(o, "page", json_integer(s->page));
        json_object_set_new(o, "totalPages",
                            json_integer(hpp ? (total + hpp - 1) / hpp : 0));
        json_object_set_new(o, "totalHits", json_integer(total));
    } else {
        json_object_set_new(o, "limit", json_integer(s->limit));
        json_object_set_new(o, "offset", json_integer(s->offset));
        json_object_set_new(o, "estimatedTotalHits", json_integer(total));
    }
}

static json_t *result_json(const request *r, const meili_search *s,
                           const hdx_results *res)
{
    json_t *hits = meili_hits(res, s);
    json_t *o = json_object();
    json_object_set_new(o, "hits", hits);
    json_object_set_new(o, "query", json_string(s->q));
    json_object_set_new(o, "processingTimeMs",
                        json_integer((json_int_t)(http_now_ms() - r->t0)));
    page_fields(o, s, res ? hdx_results_total(res) : 0);
    if (s->facets) {
        json_object_set_new(o, "facetDistribution",
                            facets_json(res, s->facets));
        json_object_set_new(o, "facetStats", facet_stats(res, s->facets));
    }
    /* Sharded mode: as /api/search's partial and missing_shards. */
    json_t *missing =
        r->db ? shard_set_missing(r->db, r->level >= HDX_AUD_AGENT) : NULL;
    if (missing) {
        json_object_set_new(o, "partial",
                            json_boolean(json_array_size(missing) > 0));
        if (json_array_size(missing))
            json_object_set(o, "missingShards", missing);
        json_decref(missing);
    }
    return o;
}

/* hdx_query_opts for this search: the caller's level, as /api/search. */
static hdx_query_opts search_opts(const request *r, const meili_search *s,
                                  const meili_index *ix)
{
    hdx_query_opts o;
    memset(&o, 0, sizeof o);
    o.level = r->level;
    o.filter = s->filter.af.f;
    o.filter.types = (s->filter.af.f.types ? s->filter.af.f.types
                                           : ix->types) & ix->types;
    /* Every type: no type filter, as /api/search without type= (cheaper
     * to match), except for an empty query, which the filters alone
     * match (every document of the index). */
    if (o.filter.types == HDX_TYPE_BIT(HDX_TYPE_COUNT) - 1u && *s->q)
        o.filter.types = 0;
    o.filter.updated_from = *s->filter.from ? s->filter.from : NULL;
    o.filter.updated_to = *s->filter.to ? s->filter.to : NULL;
    o.filter.category = s->filter.category;
    o.sort = s->sort;
    o.facets = s->facets != 0;
    o.updated_range = (s->facets & (1u << MF_UPDATED)) != 0;
    /* Meilisearch's facetDistribution counts every document the search
     * matched, with matchingStrategy "last" those missing words too. */
    o.facets_relaxed = true;
    o.spelling = true;
    o.all_words = s->all_words;
    return o;
}

/* Run search s on index ix; the results (NULL: nothing can match). */
static bool run(const request *r, const meili_search *s,
                const meili_index *ix, hdx_results **res, meili_err *e)
{
    *res = NULL;
    hdx_query_opts o = search_opts(r, s, ix);
    if (s->filter.none || (s->filter.af.f.types && !(s->filter.af.f.types &
                                                      ix->types)))
        return true;
    long offset = s->offset, limit = s->limit;
    if (s->paged) {
        offset = s->page ? (s->page - 1) * s->hits_per_page : 0;
        limit = s->page ? s->hits_per_page : 0;
    }
    hdx_error err;
    hdx_error_clear(&err);
    hdx_status st;
    hdx_query *q = NULL;
    hdx_db *db = api_db(r, &st, &err);
    if (db)
        st = hdx_query_parse(db, s->q, &o, &q, &err);
    if (st == HDX_OK)
        st = hdx_query_run(q, (unsigned)offset, (unsigned)limit, res, &err);
    hdx_query_free(q);
    if (st != HDX_OK)
        err_of_status(e, st, &err);
    return st == HDX_OK;
}

/* One search of index `uid` with the parameters `params`. */
static json_t *search(const request *r, const char *uid, size_t uid_len,
                      json_t *params, bool multi, meili_err *e)
{
    const meili_index *ix = index_find(uid, uid_len, e);
    meili_search s = {0};
    hdx_results *res = NULL;
    json_t *out = NULL;
    if (ix && meili_search_parse(params, multi, &s, e) && run(r, &s, ix, &res,
                                                               e))
        out = result_json(r, &s, res);
    hdx_results_free(res);
    meili_search_clear(&s);
    return out;
}

/* The JSON body of a POST; NULL with e set.  An empty body is {}. */
static json_t *body_json(const request *r, meili_err *e)
{
    if (r->body_too_large) {
        meili_err_set(e, 413, "payload_too_large", "The provided payload "
                      "reached the size limit of %u bytes.", MAX_BODY);
        return NULL;
    }
    if (!r->body.len)
        return json_object();
    json_error_t je;
    json_t *v = json_loadb(r->body.data, r->body.len, 0, &je);
    if (!v)
        meili_err_set(e, 400, "malformed_payload", "The json payload "
                      "provided is malformed. `%s`.", je.text);
    return v;
}

static json_t *multi_search(const request *r, meili_err *e)
{
    json_t *body = body_json(r, e), *out = NULL;
    json_t *queries = json_object_get(body, "queries");
    const json_t *fed = json_object_get(body, "federation");
    if (body && (!json_is_array(queries) || (fed && !json_is_null(fed))))
        meili_err_set(e, 400, fed ? "invalid_multi_search_federation"
                                  : "bad_request",
                      fed ? "helpdex does not support federated multi-search"
                          : "`.queries` must be an array of searches");
    else if (body)
        out = json_object();
    json_t *results = json_array();
    size_t i;
    json_t *q;
    json_array_foreach(out ? queries : NULL, i, q) {
        const char *uid = json_string_value(json_object_get(q, "indexUid"));
        json_t *one = NULL;
        if (!uid)
            meili_err_set(e, 400, "missing_index_uid", "Missing field "
                          "`indexUid`");
        else
            one = search(r, uid, strlen(uid), q, true, e);
        if (!one) {
            meili_err tmp = *e;
            meili_err_set(e, tmp.status, tmp.code, "Inside `.queries[%zu]`: "
                          "%s", i, tmp.msg);
            json_decref(out);
            out = NULL;
            break;
        }
        json_object_set_new(one, "indexUid", json_string(uid));
        json_array_append_new(results, one);
    }
    if (out)
        json_object_set(out, "results", results);
    json_decref(results);
    json_decref(body);
    return out;
}

/* ---- facet search ---------------------------------------------------- */

/* Does facet value v hold a word starting with the folded query fq? */
static bool facet_value_matches(const char *v, const char *fq)
{
    if (!*fq)
        return true;
    char *fv = hdx_text_folded(v);
    bool hit = false;
    size_t n = strlen(fq);
    for (const char *p = fv; *p && !hit; p++)
        hit = (p == fv || !isalnum((unsigned char)p[-1])) &&
              !strncmp(p, fq, n);
    free(fv);
    return hit;
}

static json_t *facet_hits(const hdx_results *res, const char *lib_name,
                          const char *query)
{
    json_t *hits = json_array();
    char *fq = hdx_text_folded(query ? query : "");
    for (size_t k = 0; res && k < hdx_results_n_facets(res); k++) {
        const char *facet, *value;
        unsigned count;
        hdx_results_facet(res, k, &facet, &value, &count);
        if (!strcmp(facet, lib_name) && facet_value_matches(value, fq))
            json_array_append_new(hits, json_pack("{s:s, s:i}", "value",
                                                  value, "count",
                                                  (int)count));
    }
    free(fq);
    return hits;
}

/* The search parameters of a facet search: its body without facetName
 * and facetQuery, counting that one facet. */
static json_t *facet_params(json_t *body, const char *name)
{
    json_t *p = json_copy(body);
    json_object_del(p, "facetName");
    json_object_del(p, "facetQuery");
    json_object_del(p, "exhaustiveFacetCount");
    json_object_set_new(p, "facets", json_pack("[s]", name));
    json_object_set_new(p, "limit", json_integer(0));
    return p;
}

static json_t *facet_search(const request *r, const char *uid, size_t n,
                            meili_err *e)
{
    const meili_index *ix = index_find(uid, n, e);
    json_t *body = ix ? body_json(r, e) : NULL, *out = NULL;
    const char *name = json_string_value(json_object_get(body, "facetName"));
    const json_t *fq = json_object_get(body, "facetQuery");
    const char *lib = !name                  ? NULL
                      : !strcmp(name, "product") ? "product"
                      : !strcmp(name, "tags")    ? "tag"
                      : !strcmp(name, "type")    ? "type"
                                                 : NULL;
    if (body && !name)
        meili_err_set(e, 400, "missing_facet_search_facet_name",
                      "Missing field `facetName`");
    else if (body && !lib)
        meili_err_set(e, 400, "invalid_facet_search_facet_name",
                      "Attribute `%s` is not facet-searchable. helpdex "
                      "searches the facets `product`, `tags` and `type`.",
                      name);
    else if (body && fq && !json_is_null(fq) && !json_is_string(fq))
        meili_err_set(e, 400, "invalid_facet_search_facet_query",
                      "Invalid value type at `.facetQuery`: expected a "
                      "string");
    else if (body) {
        json_t *params = facet_params(body, name);
        meili_search s = {0};
        hdx_results *res = NULL;
        if (meili_search_parse(params, false, &s, e) &&
            run(r, &s, ix, &res, e))
            out = json_pack("{s:o, s:O, s:I}", "facetHits",
                            facet_hits(res, lib, json_string_value(fq)),
                            "facetQuery", fq ? fq : json_null(),
                            "processingTimeMs",
                            (json_int_t)(http_now_ms() - r->t0));
        hdx_results_free(res);
        meili_search_clear(&s);
        json_decref(params);
    }
    json_decref(body);
    return out;
}

/* ---- dispatch -------------------------------------------------------- */

static void cors(reply *rep, bool preflight)
{
    reply_header(rep, "Access-Control-Allow-Origin", "*");
    if (!preflight)
        return;
    reply_header(rep, "Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    reply_header(rep, "Access-Control-Allow-Headers",
                 "Authorization, Content-Type, X-Meilisearch-Client");
    reply_header(rep, "Access-Control-Max-Age", "86400");
}

static json_t *indexes_json(void)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < N_INDEXES; i++)
        json_array_append_new(arr, index_json(&k_indexes[i]));
    return json_pack("{s:o, s:i, s:i, s:i}", "results", arr, "offset", 0,
                     "limit", 20, "total", (int)N_INDEXES);
}

/* GET /indexes/{uid}[/search] and POST /indexes/{uid}/(facet-)search. */
static json_t *index_route(const request *r, const char *rest, bool get,
                           meili_err *e)
{
    const char *slash = strchr(rest, '/');
    size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
    const char *sub = slash ? slash + 1 : NULL;
    if (!sub && get) {
        const meili_index *ix = index_find(rest, n, e);
        return ix ? index_json(ix) : NULL;
    }
    if (sub && !strcmp(sub, "search")) {
        json_t *params = get ? meili_query_params(r, e) : body_json(r, e);
        json_t *out = params ? search(r, rest, n, params, false, e) : NULL;
        json_decref(params);
        return out;
    }
    if (sub && !strcmp(sub, "facet-search") && !get)
        return facet_search(r, rest, n, e);
    if (!sub || !strcmp(sub, "facet-search"))
        meili_err_set(e, 405, "method_not_allowed", "method %s is not "
                      "allowed on /meili/%.200s", r->method, r->id);
    else
        meili_err_set(e, 404, "not_found", "no such route: /meili/%.200s",
                      r->id);
    return NULL;
}

static json_t *route(const request *r, meili_err *e)
{
    const char *p = r->id ? r->id : "";
    bool get = http_is_get(r);
    if (!strncmp(p, "indexes/", 8) && p[8])
        return index_route(r, p + 8, get, e);
    if (get && !strcmp(p, "health"))
        return json_pack("{s:s}", "status", "available");
    if (get && !strcmp(p, "version"))
        return json_pack("{s:s, s:s, s:s}", "commitSha", "helpdex",
                         "commitDate", "unknown", "pkgVersion", HDX_VERSION);
    if (get && !strcmp(p, "indexes"))
        return indexes_json();
    if (!get && !strcmp(p, "multi-search"))
        return multi_search(r, e);
    meili_err_set(e, 404, "not_found", "no such route: /meili/%.200s", p);
    return NULL;
}

void handle_meili(request *r, reply *rep)
{
    if (!strcmp(r->method, "OPTIONS")) {
        reply_bytes(rep, 204, "text/plain", "", 0);
        cors(rep, true);
        return;
    }
    /* Keys travel in the Authorization header only, as Meilisearch's do:
     * an agent's sign-in cookie (session.h) does not raise the level of
     * a search here, whichever page sent it. */
    if (r->signed_in && !http_header(r, "Authorization")) {
        r->level = HDX_AUD_PUBLIC;
        r->caller = NULL;
    }
    meili_err e = {0};
    json_t *out = NULL;
    if (r->bad_token)
        meili_err_set(&e, 403, "invalid_api_key",
                      "The provided API key is invalid.");
    else
        out = route(r, &e);
    if (out)
        reply_json(rep, 200, out);
    else
        reply_err(rep, &e);
    cors(rep, false);
}
