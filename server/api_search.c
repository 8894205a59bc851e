/*
 * api_search.c - public search endpoints: search, suggest, article,
 * related.  Each works at the caller's level (public without a
 * token); libhelpdex applies the visibility filter to every query.
 * Search results, the hot path, are written straight into a buffer
 * (json_out.h) instead of being built as a jansson tree.
 */
#include "api.h"
#include "shard_set.h"
#include "html.h"

#include "json_out.h"
#include "status.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"
#include "hdx/sections.h"
#include "hdx/text.h"

#include <stdlib.h>
#include <string.h>

#define MAX_PER_PAGE 50
#define MAX_PAGE 1000
#define MAX_SUGGEST_BYTES 200u

/* 414 / 400 unless `q` fits in `max` bytes and is UTF-8. */
static bool valid_q(const char *q, size_t max, reply *rep)
{
    size_t n = strlen(q);
    if (n > max) {
        reply_error(rep, 414, "query_too_long",
                    "parameter 'q' is longer than %zu bytes", max);
        return false;
    }
    if (!hdx_text_valid_utf8(q, n, NULL)) {
        reply_error(rep, 400, "bad_parameter",
                    "parameter 'q' is not valid UTF-8");
        return false;
    }
    return true;
}

/* 403 for drafts=1 from a public caller. */
static bool drafts_allowed(const request *r, bool drafts, reply *rep)
{
    if (drafts && r->level == HDX_AUD_PUBLIC) {
        reply_error(rep, 403, "forbidden",
                    "parameter 'drafts' needs an agent or internal token");
        return false;
    }
    return true;
}

/* ---- search ------------------------------------------------------------- */

typedef struct search_args {
    const char *q;
    long page, per_page;
    hdx_query_opts o;
    api_filter af; /* owns the strings of o.filter */
} search_args;

static bool search_parse(const request *r, reply *rep, search_args *a)
{
    a->q = http_arg(r, "q");
    if (!a->q)
        a->q = "";
    bool facets, drafts;
    if (!valid_q(a->q, MAX_QUERY_BYTES, rep) ||
        !http_int_arg(r, rep, "page", 1, MAX_PAGE, 1, &a->page) ||
        !http_int_arg(r, rep, "per_page", 1, MAX_PER_PAGE, 10, &a->per_page) ||
        !http_bool_arg(r, rep, "facets", true, &facets) ||
        !http_bool_arg(r, rep, "drafts", false, &drafts) ||
        !drafts_allowed(r, drafts, rep))
        return false;
    a->o = api_opts(r);
    const char *sort = http_arg(r, "sort");
    if (sort && *sort) {
        if (!strcmp(sort, "updated"))
            a->o.sort = HDX_SORT_UPDATED;
        else if (strcmp(sort, "relevance") != 0) {
            reply_error(rep, 400, "bad_parameter",
                        "parameter 'sort' must be relevance or updated");
            return false;
        }
    }
    if (!api_filter_args(&a->af, r, rep))
        return false;
    if (!*a->q && !a->af.f.n_products && !a->af.f.n_tags && !a->af.f.types) {
        reply_error(rep, 400, "bad_parameter", "parameter 'q' is required");
        return false;
    }
    a->o.filter = a->af.f;
    a->o.facets = facets;
    a->o.spelling = true;
    return true;
}

static const char *const k_hit_copy[] = {"id", "title", "path", "summary",
                                         "type", "product", "tags",
                                         "updated"};
#define N_HIT_COPY (sizeof k_hit_copy / sizeof k_hit_copy[0])

/* What a hit takes from its stored header. */
typedef struct hit_head {
    char *id, *title; /* owned; NULL when absent */
    bool draft;
} hit_head;

/* The copied fields spliced from the stored header as written, without
 * parsing it into a tree; false (b as it was) when the header holds
 * something splicing cannot reproduce byte for byte. */
static bool head_fast(hdx_buf *b, const char *data, size_t len,
                      hit_head *h)
{
    jraw o;
    const char *v, *id = NULL, *title = NULL;
    size_t vn, id_len = 0, title_len = 0, mark = b->len;
    if (!jraw_parse(data, len, &o))
        return false;
    if ((v = jraw_find(&o, "id", &vn)) && !jraw_plain_string(v, vn, &id,
                                                             &id_len))
        return false;
    if ((v = jraw_find(&o, "title", &vn)) &&
        !jraw_plain_string(v, vn, &title, &title_len))
        return false;
    for (size_t k = 0; k < N_HIT_COPY; k++) {
        hdx_buf_addc(b, k ? ',' : '{');
        jout_key(b, k_hit_copy[k]);
        v = jraw_find(&o, k_hit_copy[k], &vn);
        if (!v)
            hdx_buf_adds(b, "null");
        else if (!jout_raw(b, v, vn)) {
            b->len = mark;
            b->data[mark] = '\0';
            return false;
        }
    }
    v = jraw_find(&o, "draft", &vn);
    h->draft = v && vn == 4 && !memcmp(v, "true", 4);
    h->id = id ? hdx_xstrndup(id, id_len) : NULL;
    h->title = title ? hdx_xstrndup(title, title_len) : NULL;
    return true;
}

/* The same from the parsed header. */
static void head_slow(hdx_buf *b, const json_t *hdr, hit_head *h)
{
    for (size_t k = 0; k < N_HIT_COPY; k++) {
        hdx_buf_addc(b, k ? ',' : '{');
        jout_key(b, k_hit_copy[k]);
        jout_value(b, json_object_get(hdr, k_hit_copy[k]));
    }
    const char *id = json_string_value(json_object_get(hdr, "id"));
    const char *title = json_string_value(json_object_get(hdr, "title"));
    h->id = id ? hdx_xstrdup(id) : NULL;
    h->title = title ? hdx_xstrdup(title) : NULL;
    h->draft = json_is_true(json_object_get(hdr, "draft"));
}

/* Append hit i as the API's HIT object; false if its data is unreadable. */
static bool hit_out(hdx_buf *b, const hdx_results *res, size_t i)
{
    docdata d = {0};
    hit_head h = {0};
    size_t len;
    const char *data = hdx_results_data(res, i, &len);
    if (!head_fast(b, data, len, &h)) {
        if (!docdata_parse(res, i, &d))
            return false;
        head_slow(b, d.hdr, &h);
    }
    d.sections = hdx_results_sections(res, i, &d.sections_len);
    d.text = hdx_results_text(res, i, &d.text_len);
    size_t off = 0;
    char *snip = api_snippet(res, &d, 0, d.text_len, &off);
    hdx_section_ref s;
    bool sec = api_hit_section(&d, off, h.title, &s);
    hdx_buf url;
    hdx_buf_init(&url);
    web_article_path(&url, h.id);
    if (sec) {
        hdx_buf_addc(&url, '#');
        hdx_buf_adds(&url, s.anchor);
    }
    hdx_buf_adds(b, ",\"url\":");
    jout_strn(b, url.data, url.len);
    hdx_buf_adds(b, ",\"snippet\":");
    jout_str(b, snip);
    hdx_buf_adds(b, ",\"section\":");
    if (sec) {
        hdx_buf_adds(b, "{\"heading\":");
        jout_str(b, s.heading);
        hdx_buf_adds(b, ",\"anchor\":");
        jout_str(b, s.anchor);
        hdx_buf_addc(b, '}');
    } else {
        hdx_buf_adds(b, "null");
    }
    hdx_buf_adds(b, ",\"score\":");
    jout_real(b, (double)(long)(hdx_results_score(res, i) * 1000.0) / 1000.0);
    hdx_buf_adds(b, h.draft ? ",\"draft\":true}" : "}");
    hdx_buf_clear(&url);
    free(snip);
    free(h.id);
    free(h.title);
    docdata_clear(&d);
    return true;
}

static void facets_out(hdx_buf *b, const hdx_results *res)
{
    static const char *const names[] = {"product", "type", "tag"};
    hdx_buf_adds(b, ",\"facets\":");
    for (size_t g = 0; g < 3; g++) {
        hdx_buf_addc(b, g ? ',' : '{');
        jout_key(b, names[g]);
        hdx_buf_addc(b, '[');
        bool first = true;
        for (size_t k = 0; k < hdx_results_n_facets(res); k++) {
            const char *facet, *value;
            unsigned count;
            hdx_results_facet(res, k, &facet, &value, &count);
            if (strcmp(facet, names[g]) != 0)
                continue;
            hdx_buf_adds(b, first ? "{\"value\":" : ",{\"value\":");
            jout_str(b, value);
            hdx_buf_printf(b, ",\"count\":%d}", (int)count);
            first = false;
        }
        hdx_buf_addc(b, ']');
    }
    hdx_buf_addc(b, '}');
}

static void search_render(const request *r, reply *rep, const search_args *a,
                          const hdx_results *res)
{
    hdx_buf b;
    hdx_buf_init(&b);
    hdx_buf_reserve(&b, 8192);
    hdx_buf_adds(&b, "{\"query\":");
    jout_str(&b, a->q);
    hdx_buf_printf(&b, ",\"total\":%d,\"page\":%d,\"per_page\":%d,"
                       "\"took_ms\":",
                   (int)hdx_results_total(res), (int)a->page,
                   (int)a->per_page);
    size_t took_off = b.len, took_len = http_took_ms(&b, r->t0);
    hdx_buf_adds(&b, ",\"hits\":[");
    bool first = true;
    for (size_t i = 0; i < hdx_results_count(res); i++) {
        size_t mark = b.len;
        if (!first)
            hdx_buf_addc(&b, ',');
        if (hit_out(&b, res, i))
            first = false;
        else
            b.len = mark, b.data[mark] = '\0';
    }
    hdx_buf_adds(&b, hdx_results_relaxed(res) ? "],\"relaxed\":true"
                                              : "],\"relaxed\":false");
    if (hdx_results_corrected(res)) {
        hdx_buf_adds(&b, ",\"corrected_query\":");
        jout_str(&b, hdx_results_corrected(res));
    }
    if (hdx_results_suggestion(res)) {
        hdx_buf_adds(&b, ",\"did_you_mean\":");
        jout_str(&b, hdx_results_suggestion(res));
    }
    if (a->o.facets)
        facets_out(&b, res);
    shard_set_json(&b, r->db, r->level >= HDX_AUD_AGENT);
    hdx_buf_addc(&b, '}');
    reply_json_buf(rep, 200, &b, took_off, took_len);
    rep->search = api_search_note(res, a->page == 1);
}

void handle_search(request *r, reply *rep)
{
    search_args a = {0};
    if (!search_parse(r, rep, &a)) {
        api_filter_clear(&a.af);
        return;
    }
    hdx_error err;
    hdx_error_clear(&err);
    hdx_status st;
    hdx_query *query = NULL;
    hdx_results *res = NULL;
    hdx_db *db = api_db(r, &st, &err);
    if (db)
        st = hdx_query_parse(db, a.q, &a.o, &query, &err);
    if (st == HDX_OK)
        st = hdx_query_run(query, (unsigned)((a.page - 1) * a.per_page),
                           (unsigned)a.per_page, &res, &err);
    if (st == HDX_OK)
        search_render(r, rep, &a, res);
    else
        reply_status(rep, st, &err);
    hdx_results_free(res);
    hdx_query_free(query);
    api_filter_clear(&a.af);
}

/* ---- suggest ------------------------------------------------------------ */

static void on_word(const char *w, unsigned freq, void *arr)
{
    (void)freq;
    json_array_append_new(arr, json_string(w));
}

void handle_suggest(request *r, reply *rep)
{
    const char *q = http_arg(r, "q");
    if (!q || !*q) {
        reply_error(rep, 400, "bad_parameter", "parameter 'q' is required");
        return;
    }
    if (!valid_q(q, MAX_SUGGEST_BYTES, rep))
        return;
    hdx_error err;
    hdx_error_clear(&err);
    hdx_status st;
    hdx_db *db = api_db(r, &st, &err);
    /* Completions of the last word (public dictionary only). */
    const char *last = strrchr(q, ' ');
    last = last ? last + 1 : q;
    json_t *words = json_array();
    if (db && *last)
        st = hdx_db_complete(db, last, 6, on_word, words, &err);
    hdx_query_opts o = api_opts(r);
    hdx_query *query = NULL;
    hdx_results *res = NULL;
    if (db && st == HDX_OK)
        st = hdx_query_partial(db, q, &o, &query, &err);
    if (st == HDX_OK)
        st = hdx_query_run(query, 0, 6, &res, &err);
    hdx_query_free(query);
    if (st != HDX_OK) {
        json_decref(words);
        reply_status(rep, st, &err);
        return;
    }
    json_t *titles = json_array();
    for (size_t i = 0; i < hdx_results_count(res); i++) {
        json_t *t = api_link_json(res, i);
        if (t)
            json_array_append_new(titles, t);
    }
    reply_search note = api_search_note(res, true);
    hdx_results_free(res);
    reply_json(rep, 200,
               json_pack("{s:s, s:o, s:o}", "query", q, "completions", words,
                         "titles", titles));
    rep->search = note;
}

/* ---- article and related ------------------------------------------------ */

/* The visible headings after the untitled start, as [{heading,anchor}]. */
static json_t *toc_json(const docdata *d)
{
    json_t *toc = json_array();
    size_t pos = 0, i = 0;
    hdx_section_ref s;
    while (hdx_sections_next(d->sections, d->sections_len, &pos, &s))
        if (i++ > 0 && *s.heading)
            json_array_append_new(toc, json_pack("{s:s, s:s}", "heading",
                                                 s.heading, "anchor",
                                                 s.anchor));
    return toc;
}

static json_t *article_json(const request *r, const hdx_results *res,
                            const docdata *d)
{
    static const char *const copy[] = {
        "id", "title", "path", "summary", "type", "product", "tags",
        "updated", "status", "locale", "versions", "fixed_in", "error_codes",
        "problem", "resolved", "category", "section"};
    json_t *out = json_object();
    for (size_t k = 0; k < sizeof copy / sizeof copy[0]; k++) {
        json_t *v = json_object_get(d->hdr, copy[k]);
        if (v)
            json_object_set(out, copy[k], v);
    }
    json_object_set_new(out, "sections", toc_json(d));
    hdx_buf url;
    hdx_buf_init(&url);
    web_article_path(&url, r->id);
    json_object_set_new(out, "url", json_string(url.data));
    hdx_buf_clear(&url);
    char *md = hdx_results_markdown(res, 0);
    char *html = api_render(r, d, md, true, NULL);
    json_object_set_new(out, "html", json_string(html));
    free(html);
    free(md);
    if (json_is_true(json_object_get(d->hdr, "draft")))
        json_object_set_new(out, "draft", json_true());
    json_t *kb = json_object_get(d->hdr, "kb");
    if (kb)
        json_object_set_new(out, "kb", api_links(r, kb));
    return out;
}

void handle_article(request *r, reply *rep)
{
    bool drafts;
    if (!http_bool_arg(r, rep, "drafts", false, &drafts) ||
        !drafts_allowed(r, drafts, rep))
        return;
    hdx_results *res;
    docdata d;
    if (!api_fetch_doc(r, rep, 0, "no such article", &res, &d))
        return;
    reply_json(rep, 200, article_json(r, res, &d));
    docdata_clear(&d);
    hdx_results_free(res);
}

/* {id, title, url[, summary]} of related hit i, or NULL. */
static json_t *related_json(const hdx_results *res, size_t i)
{
    json_t *e = api_link_json(res, i);
    docdata d;
    if (e && docdata_parse(res, i, &d)) {
        json_t *sum = json_object_get(d.hdr, "summary");
        if (sum)
            json_object_set(e, "summary", sum);
        docdata_clear(&d);
    }
    return e;
}

void handle_related(request *r, reply *rep)
{
    long limit;
    if (!http_int_arg(r, rep, "limit", 1, 20, 5, &limit))
        return;
    hdx_error err;
    hdx_error_clear(&err);
    hdx_status st;
    hdx_db *db = api_db(r, &st, &err);
    hdx_query_opts o = api_opts(r);
    hdx_query *q = NULL;
    hdx_results *res = NULL;
    if (db)
        st = hdx_query_related(db, r->id, &o, &q, &err);
    if (st == HDX_OK)
        st = hdx_query_run(q, 0, (unsigned)limit, &res, &err);
    hdx_query_free(q);
    if (st == HDX_ENOTFOUND)
        reply_error(rep, 404, "not_found", "no such article");
    else if (st != HDX_OK)
        reply_status(rep, st, &err);
    if (st != HDX_OK)
        return;
    json_t *arr = json_array();
    for (size_t i = 0; i < hdx_results_count(res); i++) {
        json_t *e = related_json(res, i);
        if (e)
            json_array_append_new(arr, e);
    }
    hdx_results_free(res);
    reply_json(rep, 200, json_pack("{s:s, s:o}", "id", r->id, "related", arr));
}
