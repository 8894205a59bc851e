/*
 * api_common.c - helpers shared by the API handlers (see api.h).
 */
#include "api.h"

#include "index_pool.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"
#include "hdx/snippet.h"
#include "hdx/text.h"
#include "hdx/zip.h"

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

char *api_markdown(hdx_db *db, const hdx_results *res, size_t i)
{
    char *z = NULL;
    size_t zlen = 0;
    char *md = NULL;
    if (hdx_db_value(db, hdx_results_docid(res, i), HDX_SLOT_MARKDOWN, &z,
                     &zlen, NULL) == HDX_OK)
        md = hdx_unzip(z, zlen, NULL);
    free(z);
    return md ? md : hdx_xstrdup("");
}

void docdata_clear(docdata *d)
{
    json_decref(d->hdr);
    d->hdr = NULL;
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

hdx_status api_fetch(request *r, const char *id, const char *const *filters,
                     size_t n_filters, hdx_db **db_out, hdx_results **res,
                     hdx_error *err)
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
    o.filters = filters;
    o.n_filters = n_filters;
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
    if (api_fetch(r, id, NULL, 0, NULL, &res, NULL) != HDX_OK)
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
