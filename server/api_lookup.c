/*
 * api_lookup.c - the agents' known-issue endpoints: paste-an-error lookup
 * and incident notes.  Both need a token of level agent or higher.
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

/* Byte range [from, to) of the first section of `kind` in d's text. */
static bool section_range(const docdata *d, hdx_section_kind kind,
                          size_t *from, size_t *to)
{
    size_t pos = 0;
    hdx_section_ref s, next;
    while (hdx_sections_next(d->sections, d->sections_len, &pos, &s)) {
        if (s.kind != kind)
            continue;
        *from = s.offset;
        *to = hdx_sections_next(d->sections, d->sections_len, &pos, &next)
                  ? next.offset
                  : d->text_len;
        return true;
    }
    return false;
}

static char *section_text(const docdata *d, hdx_section_kind kind)
{
    size_t from, to;
    if (!section_range(d, kind, &from, &to) || to > d->text_len || from > to)
        return NULL;
    /* Drop the heading line that starts the section's text. */
    const char *nl = memchr(d->text + from, '\n', to - from);
    if (nl)
        from = (size_t)(nl - d->text) + 1;
    while (to > from && (d->text[to - 1] == '\n' || d->text[to - 1] == ' '))
        to--;
    return hdx_xstrndup(d->text + from, to - from);
}

static json_t *kb_links(hdx_db *db, request *r, const docdata *d)
{
    json_t *links = json_array();
    json_t *kb = json_object_get(d->hdr, "kb");
    size_t i;
    json_t *k;
    json_array_foreach(kb, i, k)
    {
        json_t *l = api_link(db, r, json_string_value(k));
        if (l)
            json_array_append_new(links, l);
    }
    return links;
}

static void copy_fields(json_t *out, json_t *hdr)
{
    static const char *const copy[] = {
        "id", "type", "title", "status", "product", "versions", "fixed_in",
        "error_codes", "problem", "resolved", "updated", "path"};
    for (size_t k = 0; k < sizeof copy / sizeof copy[0]; k++) {
        json_t *v = json_object_get(hdr, copy[k]);
        json_object_set(out, copy[k], v ? v : json_null());
    }
}

static json_t *lookup_hit(hdx_db *db, request *r, const hdx_results *res,
                          size_t i)
{
    docdata d;
    if (!docdata_parse(res, i, &d))
        return NULL;
    json_t *h = json_object();
    copy_fields(h, d.hdr);
    const char *id = json_string_value(json_object_get(d.hdr, "id"));
    hdx_buf url;
    hdx_buf_init(&url);
    hdx_buf_printf(&url, "/api/incidents/%s", id ? id : "");
    const char *type = json_string_value(json_object_get(d.hdr, "type"));
    if (type && strcmp(type, "incident") != 0) {
        hdx_buf_reset(&url);
        hdx_buf_printf(&url, "/a/%s", id ? id : "");
    }
    json_object_set_new(h, "url", json_string(url.data));
    hdx_buf_clear(&url);
    json_t *ids = json_array();
    for (size_t k = 0; k < hdx_results_n_matched_ids(res, i); k++)
        json_array_append_new(ids,
                              json_string(hdx_results_matched_id(res, i, k)));
    json_object_set_new(h, "matched_identifiers", ids);
    size_t from = 0, to = d.text_len;
    section_range(&d, HDX_SEC_SYMPTOMS, &from, &to);
    char *snip = api_snippet(res, &d, from, to, NULL);
    json_object_set_new(h, "symptoms_snippet", json_string(snip));
    free(snip);
    const char *res_md =
        json_string_value(json_object_get(d.hdr, "resolution_md"));
    if (res_md) {
        char *html = render_markdown(res_md, NULL, 0);
        json_object_set_new(h, "resolution", json_string(html));
        free(html);
    } else {
        json_object_set_new(h, "resolution", json_null());
    }
    json_object_set_new(h, "kb", kb_links(db, r, &d));
    json_object_set_new(h, "score",
                        json_real((double)(long)(hdx_results_score(res, i) *
                                                 1000.0) / 1000.0));
    docdata_clear(&d);
    return h;
}

/* The pasted text: ?q=, or the body (raw text, or JSON {"text": ...}). */
static char *pasted_text(request *r, reply *rep)
{
    if (r->body_too_large) {
        reply_error(rep, 413, "too_large",
                    "the pasted text is over %u bytes", MAX_BODY);
        return NULL;
    }
    const char *q = http_arg(r, "q");
    if (!strcmp(r->method, "GET")) {
        if (!q || !*q) {
            reply_error(rep, 400, "bad_parameter",
                        "parameter 'q' is required");
            return NULL;
        }
        if (strlen(q) > MAX_BODY) {
            reply_error(rep, 414, "query_too_long",
                        "parameter 'q' is longer than %u bytes", MAX_BODY);
            return NULL;
        }
        return hdx_xstrdup(q);
    }
    const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                                 "Content-Type");
    if (ct && !strncasecmp(ct, "application/json", 16)) {
        json_error_t e;
        json_t *j = json_loadb(r->body.data, r->body.len, 0, &e);
        const char *t = json_string_value(json_object_get(j, "text"));
        if (!t) {
            json_decref(j);
            reply_error(rep, 400, "bad_body",
                        "JSON body must be {\"text\": \"...\"}");
            return NULL;
        }
        char *copy = hdx_xstrdup(t);
        json_decref(j);
        return copy;
    }
    if (r->body.len == 0) {
        reply_error(rep, 400, "bad_body",
                    "POST the pasted text as the request body");
        return NULL;
    }
    return hdx_xstrndup(r->body.data, r->body.len);
}

void handle_known_issues(request *r, reply *rep)
{
    if (!api_require(r, rep, HDX_AUD_AGENT))
        return;
    long limit;
    if (!http_int_arg(r, rep, "limit", 1, 20, 5, &limit))
        return;
    char *text = pasted_text(r, rep);
    if (!text)
        return;
    if (!hdx_text_valid_utf8(text, strlen(text), NULL)) {
        free(text);
        reply_error(rep, 400, "bad_parameter",
                    "the pasted text is not valid UTF-8");
        return;
    }
    hdx_error err;
    hdx_error_clear(&err);
    hdx_db *db = index_pool_get(&err);
    hdx_query_opts o = api_opts(r);
    o.types_lookup = true;
    hdx_query *q = NULL;
    hdx_results *res = NULL;
    hdx_status st = db ? hdx_query_lookup(db, text, &o, &q, &err) : err.code;
    if (st == HDX_OK)
        st = hdx_query_run(q, 0, (unsigned)limit, &res, &err);
    hdx_query_free(q);
    free(text);
    if (st != HDX_OK) {
        reply_status(rep, st, &err);
        return;
    }
    json_t *hits = json_array();
    for (size_t i = 0; i < hdx_results_count(res); i++) {
        json_t *h = lookup_hit(db, r, res, i);
        if (h)
            json_array_append_new(hits, h);
    }
    json_t *terms = json_array();
    for (size_t k = 0; k < hdx_results_n_terms(res); k++)
        json_array_append_new(terms, json_string(hdx_results_term(res, k,
                                                                  NULL)));
    json_t *body = json_pack(
        "{s:i, s:f, s:o, s:o}", "total", (int)hdx_results_total(res),
        "took_ms", (double)(long)((http_now_ms() - r->t0) * 1000.0) / 1000.0,
        "terms", terms, "hits", hits);
    hdx_results_free(res);
    reply_json(rep, 200, body);
}

void handle_incident(request *r, reply *rep, const char *id)
{
    if (!api_require(r, rep, HDX_AUD_AGENT))
        return;
    hdx_error err;
    hdx_error_clear(&err);
    hdx_db *db;
    hdx_results *res;
    hdx_status st = api_fetch(r, id, HDX_TYPE_BIT(HDX_TYPE_INCIDENT), &db,
                              &res, &err);
    if (st == HDX_ENOTFOUND) {
        reply_error(rep, 404, "not_found", "no such incident");
        return;
    }
    if (st != HDX_OK) {
        reply_status(rep, st, &err);
        return;
    }
    docdata d;
    if (!docdata_parse(res, 0, &d)) {
        hdx_results_free(res);
        reply_error(rep, 500, "internal", "internal error");
        return;
    }
    json_t *out = json_object();
    copy_fields(out, d.hdr);
    static const hdx_section_kind kinds[] = {HDX_SEC_SYMPTOMS, HDX_SEC_CAUSE};
    for (size_t k = 0; k < 2; k++) {
        char *t = section_text(&d, kinds[k]);
        json_object_set_new(out, hdx_section_kind_name(kinds[k]),
                            t ? json_string(t) : json_null());
        free(t);
    }
    const char *res_md =
        json_string_value(json_object_get(d.hdr, "resolution_md"));
    char *rhtml = res_md ? render_markdown(res_md, NULL, 0) : NULL;
    json_object_set_new(out, "resolution",
                        rhtml ? json_string(rhtml) : json_null());
    free(rhtml);
    char *md = hdx_results_markdown(res, 0);
    char *html = render_markdown(md, d.sections, d.sections_len);
    free(md);
    json_object_set_new(out, "html", json_string(html));
    free(html);
    json_object_set_new(out, "kb", kb_links(db, r, &d));
    docdata_clear(&d);
    hdx_results_free(res);
    reply_json(rep, 200, out);
}
