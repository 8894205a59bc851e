/*
 * api_lookup.c - the agents' known-issue endpoints: paste-an-error lookup
 * and incident notes.  Both need a token of level agent or higher.
 */
#include "api.h"
#include "html.h"

#include "status.h"

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

/* The rendered Resolution/Workaround Markdown, or JSON null.  Its article
 * links are checked in a query of their own (only when it has some). */
static json_t *resolution_json(const request *r, const docdata *d)
{
    const char *md =
        json_string_value(json_object_get(d->hdr, "resolution_md"));
    if (!md)
        return json_null();
    char *html = api_render(r, d, md, false, NULL);
    json_t *j = json_string(html);
    free(html);
    return j;
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

static json_t *lookup_hit(const request *r, const hdx_results *res,
                          size_t i, bool notes)
{
    docdata d;
    if (!docdata_parse(res, i, &d))
        return NULL;
    json_t *h = json_object();
    copy_fields(h, d.hdr);
    const char *id = json_string_value(json_object_get(d.hdr, "id"));
    hdx_buf url;
    hdx_buf_init(&url);
    const char *type = json_string_value(json_object_get(d.hdr, "type"));
    if (type && strcmp(type, "incident") != 0)
        web_article_path(&url, id);
    else
        web_id_path(&url, "/api/incidents/", id);
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
    json_object_set_new(h, "resolution", resolution_json(r, &d));
    if (notes) { /* plain text, for the console's internal notes */
        char *res_t = section_text(&d, HDX_SEC_RESOLUTION);
        char *wk_t = section_text(&d, HDX_SEC_WORKAROUND);
        json_object_set_new(h, "resolution_text",
                            res_t ? json_string(res_t) : json_null());
        json_object_set_new(h, "workaround_text",
                            wk_t ? json_string(wk_t) : json_null());
        free(res_t);
        free(wk_t);
    }
    /* The ids for now; handle_known_issues() resolves every hit's links
     * in one query. */
    json_t *kb = json_array();
    json_array_extend(kb, json_object_get(d.hdr, "kb"));
    json_object_set_new(h, "kb", kb);
    json_object_set_new(h, "score",
                        json_real((double)(long)(hdx_results_score(res, i) *
                                                 1000.0) / 1000.0));
    docdata_clear(&d);
    return h;
}

/* The pasted text: ?q=, or the body (raw text, or JSON {"text": ...}). */
static char *pasted_text(const request *r, reply *rep)
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
    const char *ct = http_header(r, "Content-Type");
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
    /* The text would end at a NUL byte, and the rest go unsearched. */
    if (memchr(r->body.data, '\0', r->body.len)) {
        reply_error(rep, 400, "bad_body", "the text contains a NUL byte");
        return NULL;
    }
    return hdx_xstrndup(r->body.data, r->body.len);
}

hdx_status api_lookup_run(request *r, const char *text, unsigned limit,
                          bool notes, api_lookup_out *out, hdx_error *err)
{
    memset(out, 0, sizeof *out);
    hdx_status st;
    hdx_db *db = api_db(r, &st, err);
    hdx_query_opts o = api_opts(r);
    o.types_lookup = true;
    hdx_query *q = NULL;
    hdx_results *res = NULL;
    if (db)
        st = hdx_query_lookup(db, text, &o, &q, err);
    if (st == HDX_OK)
        st = hdx_query_run(q, 0, limit, &res, err);
    hdx_query_free(q);
    if (st != HDX_OK)
        return st;
    json_t *hits = json_array();
    size_t n = hdx_results_count(res);
    json_t **kbs = hdx_xcalloc(n ? n : 1, sizeof *kbs);
    for (size_t i = 0; i < n; i++) {
        json_t *h = lookup_hit(r, res, i, notes);
        if (!h)
            continue;
        kbs[json_array_size(hits)] = json_object_get(h, "kb");
        json_array_append_new(hits, h);
    }
    api_links_resolve(r, kbs, json_array_size(hits));
    free(kbs);
    json_t *terms = json_array();
    for (size_t k = 0; k < hdx_results_n_terms(res); k++)
        json_array_append_new(terms, json_string(hdx_results_term(res, k,
                                                                  NULL)));
    out->total = (long)hdx_results_total(res);
    out->terms = terms;
    out->hits = hits;
    hdx_results_free(res);
    return HDX_OK;
}

void handle_known_issues(request *r, reply *rep)
{
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
    api_lookup_out lo;
    hdx_status st = api_lookup_run(r, text, (unsigned)limit, false, &lo, &err);
    free(text);
    if (st != HDX_OK) {
        reply_status(rep, st, &err);
        return;
    }
    json_t *body = json_pack(
        "{s:i, s:f, s:o, s:o}", "total", (int)lo.total,
        "took_ms", (double)(long)((http_now_ms() - r->t0) * 1000.0) / 1000.0,
        "terms", lo.terms, "hits", lo.hits);
    reply_json(rep, 200, body);
}

/* The incident record for /api/incidents/{id}. */
static json_t *incident_json(const request *r, const hdx_results *res,
                             const docdata *d)
{
    json_t *out = json_object();
    copy_fields(out, d->hdr);
    static const hdx_section_kind kinds[] = {HDX_SEC_SYMPTOMS, HDX_SEC_CAUSE};
    for (size_t k = 0; k < 2; k++) {
        char *t = section_text(d, kinds[k]);
        json_object_set_new(out, hdx_section_kind_name(kinds[k]),
                            t ? json_string(t) : json_null());
        free(t);
    }
    json_object_set_new(out, "resolution", resolution_json(r, d));
    char *md = hdx_results_markdown(res, 0);
    char *html = api_render(r, d, md, true, NULL);
    free(md);
    json_object_set_new(out, "html", json_string(html));
    free(html);
    json_object_set_new(out, "kb",
                        api_links(r, json_object_get(d->hdr, "kb")));
    return out;
}

void handle_incident(request *r, reply *rep)
{
    hdx_results *res;
    docdata d;
    if (!api_fetch_doc(r, rep, HDX_TYPE_BIT(HDX_TYPE_INCIDENT), "no such incident", &res, &d))
        return;
    reply_json(rep, 200, incident_json(r, res, &d));
    docdata_clear(&d);
    hdx_results_free(res);
}
