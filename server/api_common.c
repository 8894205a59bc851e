/*
 * api_common.c - helpers shared by the API handlers (see api.h).
 */
#include "api.h"
#include "html.h"
#include "media.h"

#include "render.h"
#include "status.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"
#include "hdx/schema.h"
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

bool api_filter_args(api_filter *af, const request *r, reply *rep)
{
    api_filter_products(af, http_arg(r, "product"));
    api_filter_tags(af, http_arg(r, "tag"));
    return api_filter_types(af, http_arg(r, "type"), rep);
}

hdx_query_opts api_opts(const request *r)
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

hdx_db *api_db(const request *r, hdx_status *st, hdx_error *err)
{
    *st = HDX_OK;
    if (r->db)
        return r->db;
    /* The index went away under a running server: it cannot be opened
     * (not "no such document"). */
    *st = r->db_err.code == HDX_OK || r->db_err.code == HDX_ENOTFOUND
              ? HDX_EDB_OPEN
              : r->db_err.code;
    if (err && r->db_err.code == HDX_OK)
        hdx_error_set(err, *st, __func__, "no index handle");
    else if (err)
        *err = r->db_err, err->code = *st;
    return NULL;
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

hdx_status api_fetch(const request *r, const char *id, unsigned types,
                     hdx_results **res, hdx_error *err)
{
    *res = NULL;
    if (!id || !*id)
        return hdx_error_set(err, HDX_ENOTFOUND, __func__, "no id");
    hdx_status st;
    hdx_db *db = api_db(r, &st, err);
    if (!db)
        return st;
    hdx_query_opts o = api_opts(r);
    o.filter.types = types;
    hdx_query *q = NULL;
    st = hdx_query_by_id(db, id, &o, &q, err);
    if (st == HDX_OK)
        st = hdx_query_run(q, 0, 1, res, err);
    hdx_query_free(q);
    if (st == HDX_OK && hdx_results_count(*res) == 0)
        st = hdx_error_set(err, HDX_ENOTFOUND, __func__, "no such document");
    if (st != HDX_OK) {
        hdx_results_free(*res);
        *res = NULL;
    }
    return st;
}

bool api_fetch_doc(const request *r, reply *rep, unsigned types,
                   const char *missing, hdx_results **res, docdata *d)
{
    hdx_error err;
    hdx_error_clear(&err);
    hdx_status st = api_fetch(r, r->id, types, res, &err);
    if (st == HDX_OK && !docdata_parse(*res, 0, d))
        st = hdx_error_set(&err, HDX_EINTERNAL, __func__, "unreadable data");
    if (st == HDX_OK)
        return true;
    if (st == HDX_ENOTFOUND)
        reply_error(rep, 404, "not_found", "%s", missing);
    else
        reply_status(rep, st, &err);
    hdx_results_free(*res);
    *res = NULL;
    return false;
}

json_t *api_link_json(const hdx_results *res, size_t k)
{
    docdata d;
    if (!docdata_parse(res, k, &d))
        return NULL;
    const char *id = json_string_value(json_object_get(d.hdr, "id"));
    hdx_buf url;
    hdx_buf_init(&url);
    web_article_path(&url, id);
    json_t *link = json_pack("{s:O, s:O, s:s}", "id",
                             json_object_get(d.hdr, "id"), "title",
                             json_object_get(d.hdr, "title"), "url", url.data);
    hdx_buf_clear(&url);
    docdata_clear(&d);
    return link;
}

/* Hits come back in no particular order and are matched up by
 * normalised id (the index matches ids so). */
hdx_status api_resolve_links(const request *r, const char *const *ids,
                             size_t n, json_t **out, hdx_error *err)
{
    hdx_status st = HDX_OK;
    hdx_db *db = n ? api_db(r, &st, err) : NULL;
    hdx_query_opts o = api_opts(r);
    hdx_query *q = NULL;
    hdx_results *res = NULL;
    if (db)
        st = hdx_query_by_ids(db, ids, n, &o, &q, err);
    if (db && st == HDX_OK)
        st = hdx_query_run(q, 0, (unsigned)n, &res, err);
    if (!db || st != HDX_OK) {
        hdx_query_free(q);
        return st;
    }
    size_t nh = hdx_results_count(res);
    json_t **hits = hdx_xcalloc(nh ? nh : 1, sizeof *hits);
    char **hit_norm = hdx_xcalloc(nh ? nh : 1, sizeof *hit_norm);
    for (size_t k = 0; k < nh; k++) {
        hits[k] = api_link_json(res, k);
        const char *hid = json_string_value(json_object_get(hits[k], "id"));
        hit_norm[k] = hid ? hdx_text_normalized(hid) : NULL;
    }
    for (size_t i = 0; i < n; i++) {
        char *norm = ids[i] && *ids[i] ? hdx_text_normalized(ids[i]) : NULL;
        for (size_t k = 0; norm && k < nh && !out[i]; k++)
            if (hit_norm[k] && !strcmp(norm, hit_norm[k]))
                out[i] = json_incref(hits[k]);
        free(norm);
    }
    for (size_t k = 0; k < nh; k++) {
        json_decref(hits[k]);
        free(hit_norm[k]);
    }
    free(hits);
    free(hit_norm);
    hdx_results_free(res);
    hdx_query_free(q);
    return HDX_OK;
}

void api_links_resolve(const request *r, json_t *const *lists, size_t n)
{
    size_t total = 0;
    for (size_t k = 0; k < n; k++)
        total += json_array_size(lists[k]);
    const char **ids = hdx_xcalloc(total ? total : 1, sizeof *ids);
    json_t **links = hdx_xcalloc(total ? total : 1, sizeof *links);
    size_t at = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < json_array_size(lists[k]); i++)
            ids[at++] = json_string_value(json_array_get(lists[k], i));
    /* A failure leaves every link out: none is shown unchecked. */
    api_resolve_links(r, ids, total, links, NULL);
    at = 0;
    for (size_t k = 0; k < n; k++) {
        size_t len = json_array_size(lists[k]);
        json_array_clear(lists[k]);
        for (size_t i = 0; i < len; i++, at++)
            if (links[at])
                json_array_append_new(lists[k], links[at]);
    }
    free(links);
    free(ids);
}

json_t *api_links(const request *r, const json_t *ids)
{
    json_t *links = json_array();
    for (size_t i = 0; i < json_array_size(ids); i++)
        json_array_append(links, json_array_get(ids, i));
    api_links_resolve(r, &links, 1);
    return links;
}

/* What the render functions below need: the request, the document. */
typedef struct render_ctx {
    const request *r;
    const char *id;
} render_ctx;

/* render_links_fn at the caller's level: the URL and title of each
 * visible link. */
static void render_links(const char *const *ids, size_t n, char **out,
                         char **titles, void *ctx)
{
    const render_ctx *rc = ctx;
    json_t **links = hdx_xcalloc(n, sizeof *links);
    api_resolve_links(rc->r, ids, n, links, NULL);
    for (size_t i = 0; i < n; i++) {
        const char *url = json_string_value(json_object_get(links[i], "url"));
        const char *t = json_string_value(json_object_get(links[i], "title"));
        out[i] = url ? hdx_xstrdup(url) : NULL;
        titles[i] = url && t ? hdx_xstrdup(t) : NULL;
        json_decref(links[i]);
    }
    free(links);
}

/* render_path_fn: the id the indexer recorded for a corpus file (its
 * file state, indexer/state.h: "size mtime hash\tid\tpath"). */
static char *render_path_id(const char *path, void *ctx)
{
    const render_ctx *rc = ctx;
    if (!rc->r->db)
        return NULL;
    char *key = hdx_meta_key_file(path), *v = NULL, *id = NULL;
    if (hdx_db_meta_get(rc->r->db, key, &v, NULL) == HDX_OK && v) {
        char *t1 = strchr(v, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (t2 && t2 > t1 + 1)
            id = hdx_xstrndup(t1 + 1, (size_t)(t2 - t1 - 1));
    }
    free(v);
    free(key);
    return id;
}

static char *render_media(const char *path, void *ctx)
{
    const render_ctx *rc = ctx;
    return rc->id ? media_url(path, rc->id) : NULL;
}

char *api_render(const request *r, const docdata *d, const char *md,
                 bool sections, const char *title)
{
    render_ctx rc = {r, json_string_value(json_object_get(d->hdr, "id"))};
    render_opts o = {
        .sections = sections ? d->sections : NULL,
        .sections_len = sections ? d->sections_len : 0,
        .path = json_string_value(json_object_get(d->hdr, "path")),
        .title = title,
        .links = render_links,
        .path_id = render_path_id,
        .media = render_media,
        .ctx = &rc,
    };
    return render_markdown(md, &o);
}

reply_search api_search_note(const hdx_results *res, bool set)
{
    reply_search n = {set, hdx_results_relaxed(res),
                      hdx_results_corrected(res) != NULL ||
                          hdx_results_suggestion(res) != NULL,
                      (long)hdx_results_total(res)};
    return n;
}

bool api_visible(const request *r, const char *id, hdx_status *st_out)
{
    hdx_error err;
    hdx_error_clear(&err);
    *st_out = HDX_OK;
    hdx_results *res;
    hdx_status st = api_fetch(r, id, 0, &res, &err);
    hdx_results_free(res);
    if (st != HDX_OK && st != HDX_ENOTFOUND && st != HDX_EINVAL)
        *st_out = st;
    return st == HDX_OK;
}
