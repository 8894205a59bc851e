/*
 * api_common.c - helpers shared by the API handlers (see api.h).
 */
#include "api.h"

#include "index_pool.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"
#include "hdx/snippet.h"
#include "hdx/text.h"

#include <stdlib.h>
#include <string.h>

bool docdata_parse(const hdx_results *res, size_t i, docdata *out)
{
    memset(out, 0, sizeof *out);
    size_t len;
    const char *data = hdx_results_data(res, i, &len);
    json_error_t e;
    out->hdr = json_loadb(data, len, 0, &e);
    if (!out->hdr)
        return false;
    out->sections = hdx_results_sections(res, i, &out->sections_len);
    out->text = hdx_results_text(res, i, &out->text_len);
    return true;
}

void docdata_clear(docdata *d)
{
    json_decref(d->hdr);
    d->hdr = NULL;
}

/* Append the comma-separated values of `list` to *arr (n in *n). */
static void add_list(char ***arr, size_t *n, const char *list)
{
    if (!list || !*list)
        return;
    char *copy = hdx_xstrdup(list), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t;
         t = strtok_r(NULL, ",", &save)) {
        *arr = hdx_xrealloc(*arr, (*n + 1) * sizeof **arr);
        (*arr)[(*n)++] = hdx_xstrdup(t);
    }
    free(copy);
}

void api_filter_products(api_filter *af, const char *list)
{
    add_list(&af->products, &af->f.n_products, list);
    af->f.products = (const char *const *)af->products;
}

void api_filter_tags(api_filter *af, const char *list)
{
    add_list(&af->tags, &af->f.n_tags, list);
    af->f.tags = (const char *const *)af->tags;
}

bool api_filter_types(api_filter *af, const char *list, reply *rep)
{
    char **words = NULL;
    size_t n = 0;
    add_list(&words, &n, list);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        char *nv = hdx_text_normalized(words[i]);
        /* Types by their canonical name: "howto" is an article. */
        int type = *nv ? hdx_doctype_parse(nv) : -2;
        if (type == -1) {
            reply_error(rep, 400, "bad_parameter",
                        "parameter 'type' must be article, faq or incident");
            ok = false;
        } else if (type >= 0) {
            af->f.types |= HDX_TYPE_BIT(type);
        }
        free(nv);
        free(words[i]);
    }
    free(words);
    return ok;
}

void api_filter_clear(api_filter *af)
{
    for (size_t i = 0; i < af->f.n_products; i++)
        free(af->products[i]);
    for (size_t i = 0; i < af->f.n_tags; i++)
        free(af->tags[i]);
    free(af->products);
    free(af->tags);
    memset(af, 0, sizeof *af);
}

hdx_query_opts api_opts(request *r)
{
    hdx_query_opts o;
    memset(&o, 0, sizeof o);
    o.level = r->level;
    const char *d = http_arg(r, "drafts");
    o.drafts = r->level > HDX_AUD_PUBLIC && d && (!strcmp(d, "1") ||
                                                  !strcmp(d, "true"));
    o.lang = http_arg(r, "lang");
    return o;
}

bool api_require(request *r, reply *rep, hdx_audience level)
{
    if (!r->has_token) {
        reply_error(rep, 401, "unauthorized",
                    "this endpoint needs 'Authorization: Bearer <token>'");
        reply_header(rep, "WWW-Authenticate", "Bearer realm=\"helpdex\"");
        return false;
    }
    if (r->level < level) {
        reply_error(rep, 403, "forbidden",
                    "this endpoint needs a token of level '%s' or higher",
                    hdx_audience_name(level));
        return false;
    }
    return true;
}

bool api_hit_section(const docdata *d, size_t off, const char *title,
                     hdx_section_ref *out)
{
    return hdx_sections_at(d->sections, d->sections_len, off, out) &&
           *out->heading && !(title && !strcmp(out->heading, title));
}

char *api_snippet(const hdx_results *res, const docdata *d, size_t from,
                  size_t to, size_t *offset)
{
    size_t nt = hdx_results_n_terms(res);
    hdx_snip_term *terms = hdx_xcalloc(nt ? nt : 1, sizeof *terms);
    for (size_t k = 0; k < nt; k++)
        terms[k].text = hdx_results_term(res, k, &terms[k].is_stem);
    if (to > d->text_len)
        to = d->text_len;
    if (from > to)
        from = to;
    hdx_snippet s;
    hdx_snippet_make(d->text + from, to - from, terms, nt, 28, &s);
    free(terms);
    if (offset)
        *offset = from + s.offset;
    return s.html;
}

hdx_status api_fetch(request *r, const char *id, unsigned types,
                     hdx_db **db_out, hdx_results **res, hdx_error *err)
{
    *res = NULL;
    if (db_out)
        *db_out = NULL;
    if (!id || !*id)
        return hdx_error_set(err, HDX_ENOTFOUND, __func__, "no id");
    hdx_db *db = index_pool_get(err);
    if (!db)
        return err && err->code ? err->code : HDX_EDB;
    hdx_query_opts o = api_opts(r);
    o.filter.types = types;
    hdx_query *q = NULL;
    hdx_status st = hdx_query_by_id(db, id, &o, &q, err);
    if (st == HDX_OK)
        st = hdx_query_run(q, 0, 1, res, err);
    hdx_query_free(q);
    if (st == HDX_OK && hdx_results_count(*res) == 0)
        st = hdx_error_set(err, HDX_ENOTFOUND, __func__, "no such document");
    if (st != HDX_OK) {
        hdx_results_free(*res);
        *res = NULL;
        return st;
    }
    if (db_out)
        *db_out = db;
    return HDX_OK;
}

json_t *api_link(hdx_db *db, request *r, const char *id)
{
    (void)db;
    hdx_results *res;
    if (api_fetch(r, id, 0, NULL, &res, NULL) != HDX_OK)
        return NULL;
    json_t *link = NULL;
    docdata d;
    if (docdata_parse(res, 0, &d)) {
        const char *rid = json_string_value(json_object_get(d.hdr, "id"));
        hdx_buf url;
        hdx_buf_init(&url);
        hdx_buf_printf(&url, "/a/%s", rid ? rid : id);
        link = json_pack("{s:O, s:O, s:s}", "id", json_object_get(d.hdr, "id"),
                         "title", json_object_get(d.hdr, "title"), "url",
                         url.data);
        hdx_buf_clear(&url);
        docdata_clear(&d);
    }
    hdx_results_free(res);
    return link;
}
