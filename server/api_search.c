/*
 * api_search.c - public search endpoints: search, suggest, article,
 * related, healthz.  Each works at the caller's level (public without a
 * token); libhelpdex applies the visibility filter to every query.
 */
#include "api.h"

#include "index_pool.h"
#include "render.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"
#include "hdx/sections.h"
#include "hdx/text.h"

#include <stdlib.h>
#include <string.h>

#define MAX_PER_PAGE 50
#define MAX_PAGE 1000

/* The typed filters of product=, tag=, type= (comma lists). */
static bool add_filters(request *r, reply *rep, api_filter *af)
{
    api_filter_products(af, http_arg(r, "product"));
    api_filter_tags(af, http_arg(r, "tag"));
    return api_filter_types(af, http_arg(r, "type"), rep);
}

/* The section {heading, anchor} holding text offset `off`, or JSON null
 * for the untitled start and for a heading that repeats the title. */
static json_t *section_at(const docdata *d, size_t off, const char *title)
{
    hdx_section_ref s;
    if (!api_hit_section(d, off, title, &s))
        return json_null();
    json_t *j = json_pack("{s:s, s:s}", "heading", s.heading, "anchor",
                          s.anchor);
    return j ? j : json_null();
}

static json_t *hit_json(const hdx_results *res, size_t i)
{
    docdata d;
    if (!docdata_parse(res, i, &d))
        return NULL;
    size_t off = 0;
    char *snip = api_snippet(res, &d, 0, d.text_len, &off);
    const char *id = json_string_value(json_object_get(d.hdr, "id"));
    hdx_buf url;
    hdx_buf_init(&url);
    hdx_buf_printf(&url, "/a/%s", id ? id : "");
    json_t *section =
        section_at(&d, off, json_string_value(json_object_get(d.hdr, "title")));
    if (!json_is_null(section)) {
        hdx_buf_adds(&url, "#");
        hdx_buf_adds(&url,
                     json_string_value(json_object_get(section, "anchor")));
    }
    json_t *h = json_object();
    static const char *const copy[] = {"id", "title", "path", "summary",
                                       "type", "product", "tags", "updated"};
    for (size_t k = 0; k < sizeof copy / sizeof copy[0]; k++) {
        json_t *v = json_object_get(d.hdr, copy[k]);
        json_object_set(h, copy[k], v ? v : json_null());
    }
    json_object_set_new(h, "url", json_string(url.data));
    json_object_set_new(h, "snippet", json_string(snip));
    json_object_set_new(h, "section", section);
    json_object_set_new(h, "score",
                        json_real((double)(long)(hdx_results_score(res, i) *
                                                 1000.0) / 1000.0));
    if (json_is_true(json_object_get(d.hdr, "draft")))
        json_object_set_new(h, "draft", json_true());
    hdx_buf_clear(&url);
    free(snip);
    docdata_clear(&d);
    return h;
}

static json_t *facets_json(const hdx_results *res)
{
    json_t *f = json_object();
    json_object_set_new(f, "product", json_array());
    json_object_set_new(f, "type", json_array());
    json_object_set_new(f, "tag", json_array());
    for (size_t k = 0; k < hdx_results_n_facets(res); k++) {
        const char *facet, *value;
        unsigned count;
        hdx_results_facet(res, k, &facet, &value, &count);
        json_array_append_new(json_object_get(f, facet),
                              json_pack("{s:s, s:i}", "value", value, "count",
                                        (int)count));
    }
    return f;
}

void handle_search(request *r, reply *rep)
{
    const char *q = http_arg(r, "q");
    if (!q)
        q = "";
    if (strlen(q) > MAX_QUERY_BYTES) {
        reply_error(rep, 414, "query_too_long",
                    "parameter 'q' is longer than %u bytes", MAX_QUERY_BYTES);
        return;
    }
    if (!hdx_text_valid_utf8(q, strlen(q), NULL)) {
        reply_error(rep, 400, "bad_parameter",
                    "parameter 'q' is not valid UTF-8");
        return;
    }
    long page, per_page;
    bool facets, drafts;
    if (!http_int_arg(r, rep, "page", 1, MAX_PAGE, 1, &page) ||
        !http_int_arg(r, rep, "per_page", 1, MAX_PER_PAGE, 10, &per_page) ||
        !http_bool_arg(r, rep, "facets", true, &facets) ||
        !http_bool_arg(r, rep, "drafts", false, &drafts))
        return;
    if (drafts && r->level == HDX_AUD_PUBLIC) {
        reply_error(rep, 403, "forbidden",
                    "parameter 'drafts' needs an agent or internal token");
        return;
    }
    const char *sort = http_arg(r, "sort");
    hdx_query_opts o = api_opts(r);
    if (sort && *sort) {
        if (!strcmp(sort, "updated"))
            o.sort = HDX_SORT_UPDATED;
        else if (strcmp(sort, "relevance") != 0) {
            reply_error(rep, 400, "bad_parameter",
                        "parameter 'sort' must be relevance or updated");
            return;
        }
    }
    api_filter af = {0};
    if (!add_filters(r, rep, &af)) {
        api_filter_clear(&af);
        return;
    }
    if (!*q && !af.f.n_products && !af.f.n_tags && !af.f.types) {
        api_filter_clear(&af);
        reply_error(rep, 400, "bad_parameter", "parameter 'q' is required");
        return;
    }
    o.filter = af.f;
    o.facets = facets;
    o.spelling = true;

    hdx_error err;
    hdx_error_clear(&err);
    hdx_db *db = index_pool_get(&err);
    hdx_query *query = NULL;
    hdx_results *res = NULL;
    hdx_status st = db ? hdx_query_parse(db, q, &o, &query, &err) : err.code;
    if (st == HDX_OK)
        st = hdx_query_run(query, (unsigned)((page - 1) * per_page),
                           (unsigned)per_page, &res, &err);
    if (st != HDX_OK) {
        reply_status(rep, st, &err);
        hdx_query_free(query);
        api_filter_clear(&af);
        return;
    }
    json_t *hits = json_array();
    for (size_t i = 0; i < hdx_results_count(res); i++) {
        json_t *h = hit_json(res, i);
        if (h)
            json_array_append_new(hits, h);
    }
    json_t *body = json_pack(
        "{s:s, s:i, s:i, s:i, s:f, s:o, s:b}", "query", q, "total",
        (int)hdx_results_total(res), "page", (int)page, "per_page",
        (int)per_page, "took_ms",
        (double)(long)((http_now_ms() - r->t0) * 1000.0) / 1000.0, "hits",
        hits, "relaxed", hdx_results_relaxed(res));
    if (hdx_results_corrected(res))
        json_object_set_new(body, "corrected_query",
                            json_string(hdx_results_corrected(res)));
    if (hdx_results_suggestion(res))
        json_object_set_new(body, "did_you_mean",
                            json_string(hdx_results_suggestion(res)));
    if (facets)
        json_object_set_new(body, "facets", facets_json(res));
    reply_json(rep, 200, body);
    hdx_results_free(res);
    hdx_query_free(query);
    api_filter_clear(&af);
}

typedef struct words_ctx {
    json_t *arr;
} words_ctx;

static void on_word(const char *w, unsigned freq, void *p)
{
    (void)freq;
    json_array_append_new(((words_ctx *)p)->arr, json_string(w));
}

void handle_suggest(request *r, reply *rep)
{
    const char *q = http_arg(r, "q");
    if (!q || !*q) {
        reply_error(rep, 400, "bad_parameter", "parameter 'q' is required");
        return;
    }
    if (strlen(q) > 200) {
        reply_error(rep, 414, "query_too_long",
                    "parameter 'q' is longer than 200 bytes");
        return;
    }
    if (!hdx_text_valid_utf8(q, strlen(q), NULL)) {
        reply_error(rep, 400, "bad_parameter",
                    "parameter 'q' is not valid UTF-8");
        return;
    }
    hdx_error err;
    hdx_error_clear(&err);
    hdx_db *db = index_pool_get(&err);
    if (!db) {
        reply_status(rep, err.code, &err);
        return;
    }
    /* Completions of the last word (public dictionary only). */
    const char *last = strrchr(q, ' ');
    last = last ? last + 1 : q;
    words_ctx wc = {json_array()};
    hdx_status st = HDX_OK;
    if (*last)
        st = hdx_db_complete(db, last, 6, on_word, &wc, &err);
    json_t *titles = json_array();
    hdx_query_opts o = api_opts(r);
    hdx_query *query = NULL;
    hdx_results *res = NULL;
    if (st == HDX_OK)
        st = hdx_query_partial(db, q, &o, &query, &err);
    if (st == HDX_OK)
        st = hdx_query_run(query, 0, 6, &res, &err);
    if (st != HDX_OK) {
        json_decref(wc.arr);
        json_decref(titles);
        hdx_query_free(query);
        reply_status(rep, st, &err);
        return;
    }
    for (size_t i = 0; i < hdx_results_count(res); i++) {
        docdata d;
        if (!docdata_parse(res, i, &d))
            continue;
        const char *id = json_string_value(json_object_get(d.hdr, "id"));
        hdx_buf url;
        hdx_buf_init(&url);
        hdx_buf_printf(&url, "/a/%s", id ? id : "");
        json_array_append_new(titles,
                              json_pack("{s:O, s:O, s:s}", "id",
                                        json_object_get(d.hdr, "id"), "title",
                                        json_object_get(d.hdr, "title"), "url",
                                        url.data));
        hdx_buf_clear(&url);
        docdata_clear(&d);
    }
    hdx_results_free(res);
    hdx_query_free(query);
    reply_json(rep, 200,
               json_pack("{s:s, s:o, s:o}", "query", q, "completions", wc.arr,
                         "titles", titles));
}

/* Fetch `id` at the caller's level; on failure the reply is set. */
static hdx_results *fetch_by_id(request *r, reply *rep, const char *id,
                                hdx_db **db_out)
{
    hdx_error err;
    hdx_error_clear(&err);
    hdx_results *res;
    hdx_status st = api_fetch(r, id, 0, db_out, &res, &err);
    if (st == HDX_ENOTFOUND)
        reply_error(rep, 404, "not_found", "no such article");
    else if (st != HDX_OK)
        reply_status(rep, st, &err);
    return st == HDX_OK ? res : NULL;
}

void handle_article(request *r, reply *rep, const char *id)
{
    bool drafts;
    if (!http_bool_arg(r, rep, "drafts", false, &drafts))
        return;
    if (drafts && r->level == HDX_AUD_PUBLIC) {
        reply_error(rep, 403, "forbidden",
                    "parameter 'drafts' needs an agent or internal token");
        return;
    }
    hdx_db *db;
    hdx_results *res = fetch_by_id(r, rep, id, &db);
    if (!res)
        return;
    docdata d;
    if (!docdata_parse(res, 0, &d)) {
        hdx_results_free(res);
        reply_error(rep, 500, "internal", "internal error");
        return;
    }
    char *md = hdx_results_markdown(res, 0);
    char *html = render_markdown(md, d.sections, d.sections_len);
    free(md);
    json_t *out = json_object();
    static const char *const copy[] = {
        "id", "title", "path", "summary", "type", "product", "tags",
        "updated", "status", "locale", "versions", "fixed_in", "error_codes",
        "problem", "resolved"};
    for (size_t k = 0; k < sizeof copy / sizeof copy[0]; k++) {
        json_t *v = json_object_get(d.hdr, copy[k]);
        if (v)
            json_object_set(out, copy[k], v);
    }
    /* The table of contents: every titled section after the start. */
    json_t *toc = json_array();
    size_t pos = 0, i = 0;
    hdx_section_ref s;
    while (hdx_sections_next(d.sections, d.sections_len, &pos, &s))
        if (i++ > 0 && *s.heading)
            json_array_append_new(toc, json_pack("{s:s, s:s}", "heading",
                                                 s.heading, "anchor",
                                                 s.anchor));
    json_object_set_new(out, "sections", toc);
    hdx_buf url;
    hdx_buf_init(&url);
    hdx_buf_printf(&url, "/a/%s", id);
    json_object_set_new(out, "url", json_string(url.data));
    hdx_buf_clear(&url);
    json_object_set_new(out, "html", json_string(html));
    if (json_is_true(json_object_get(d.hdr, "draft")))
        json_object_set_new(out, "draft", json_true());
    /* Linked articles the caller may see. */
    json_t *kb = json_object_get(d.hdr, "kb");
    if (kb) {
        json_t *links = json_array();
        json_t *k;
        json_array_foreach(kb, i, k)
        {
            json_t *l = api_link(db, r, json_string_value(k));
            if (l)
                json_array_append_new(links, l);
        }
        json_object_set_new(out, "kb", links);
    }
    free(html);
    docdata_clear(&d);
    hdx_results_free(res);
    reply_json(rep, 200, out);
}

void handle_related(request *r, reply *rep, const char *id)
{
    long limit;
    if (!http_int_arg(r, rep, "limit", 1, 20, 5, &limit))
        return;
    hdx_error err;
    hdx_error_clear(&err);
    hdx_db *db = index_pool_get(&err);
    if (!db) {
        reply_status(rep, err.code, &err);
        return;
    }
    hdx_query_opts o = api_opts(r);
    hdx_query *q = NULL;
    hdx_results *res = NULL;
    hdx_status st = hdx_query_related(db, id, &o, &q, &err);
    if (st == HDX_OK)
        st = hdx_query_run(q, 0, (unsigned)limit, &res, &err);
    hdx_query_free(q);
    if (st != HDX_OK) {
        if (st == HDX_ENOTFOUND)
            reply_error(rep, 404, "not_found", "no such article");
        else
            reply_status(rep, st, &err);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < hdx_results_count(res); i++) {
        docdata d;
        if (!docdata_parse(res, i, &d))
            continue;
        const char *rid = json_string_value(json_object_get(d.hdr, "id"));
        hdx_buf url;
        hdx_buf_init(&url);
        hdx_buf_printf(&url, "/a/%s", rid ? rid : "");
        json_t *e = json_pack("{s:O, s:O, s:s}", "id",
                              json_object_get(d.hdr, "id"), "title",
                              json_object_get(d.hdr, "title"), "url",
                              url.data);
        json_t *sum = json_object_get(d.hdr, "summary");
        if (sum)
            json_object_set(e, "summary", sum);
        json_array_append_new(arr, e);
        hdx_buf_clear(&url);
        docdata_clear(&d);
    }
    hdx_results_free(res);
    reply_json(rep, 200, json_pack("{s:s, s:o}", "id", id, "related", arr));
}

void handle_healthz(request *r, reply *rep)
{
    hdx_error err;
    hdx_error_clear(&err);
    hdx_db *db = index_pool_get(&err);
    if (!db) {
        reply_error(rep, 503, "unavailable", "index not available");
        return;
    }
    /* Documents the caller can see: counts above their level are none of
     * their business. */
    hdx_query_opts o = api_opts(r);
    hdx_query *q = NULL;
    hdx_results *res = NULL;
    unsigned visible = 0;
    if (hdx_query_parse(db, "", &o, &q, &err) == HDX_OK) {
        hdx_query_free(q);
        q = NULL;
        o.filter.types = HDX_TYPE_BIT(HDX_TYPE_ARTICLE) |
                         HDX_TYPE_BIT(HDX_TYPE_FAQ) |
                         HDX_TYPE_BIT(HDX_TYPE_INCIDENT);
        if (hdx_query_parse(db, "", &o, &q, &err) == HDX_OK &&
            hdx_query_run(q, 0, 1, &res, &err) == HDX_OK)
            visible = hdx_results_total(res);
    }
    hdx_results_free(res);
    hdx_query_free(q);
    reply_json(rep, 200,
               json_pack("{s:s, s:I, s:i}", "status", "ok", "revision",
                         (json_int_t)hdx_db_generation(db), "documents",
                         (int)visible));
}
