/*
 * browse_list.c - the places and articles a caller can see (see
 * browse_list.h).
 */
#include "browse_list.h"

#include "api.h"
#include "web_common.h"

#include "hdx/alloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_LISTED 1000 /* articles on one category or section page */

/* ---- places with counts ------------------------------------------------- */

static void add_place(const char *key, unsigned count, const char *hdr,
                      size_t hdr_len, void *ctx)
{
    browse_place_list *l = ctx;
    json_t *h = json_loadb(hdr, hdr_len, 0, NULL);
    const char *label = web_hstr(
        h, l->kind == HDX_BROWSE_CATEGORY ? "category_label" : "section_label");
    l->items = hdx_xrealloc(l->items, (l->n + 1) * sizeof *l->items);
    browse_place *p = &l->items[l->n++];
    p->key = hdx_xstrdup(key);
    p->name = hdx_browse_name(l->t, l->kind, key, label);
    label = web_hstr(h, "category_label");
    p->cat_label = label ? hdx_xstrdup(label) : NULL;
    p->count = count;
    p->has_pos = hdx_browse_position(l->t, l->kind, key, &p->pos);
    json_decref(h);
}

/* Positioned first (by position), then by name. */
static int cmp_place(const void *x, const void *y)
{
    const browse_place *a = x, *b = y;
    if (a->has_pos != b->has_pos)
        return a->has_pos ? -1 : 1;
    if (a->has_pos && a->pos != b->pos)
        return a->pos < b->pos ? -1 : 1;
    return strcasecmp(a->name, b->name);
}

void browse_places_clear(browse_place_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].key);
        free(l->items[i].name);
        free(l->items[i].cat_label);
    }
    free(l->items);
}

/* The categories (parent NULL) or sections of `parent` for this caller. */
hdx_status browse_places(const request *r, const hdx_browse *t,
                         const char *parent, browse_place_list *out)
{
    memset(out, 0, sizeof *out);
    out->t = t;
    out->kind = parent ? HDX_BROWSE_SECTION : HDX_BROWSE_CATEGORY;
    hdx_error err;
    hdx_status st;
    hdx_db *db = api_db(r, &st, &err);
    if (!db)
        return st;
    hdx_query_opts o = api_opts(r);
    o.filter.types = WEB_TYPES;
    st = hdx_browse_count(db, &o, parent, add_place, out, &err);
    if (out->n) /* qsort(NULL, 0, ...) is undefined */
        qsort(out->items, out->n, sizeof *out->items, cmp_place);
    return st;
}

/* ---- articles of one browse_place
 * ---------------------------------------------- */

static int cmp_item(const void *x, const void *y)
{
    const browse_item *a = x, *b = y;
    if (a->has_pos != b->has_pos)
        return a->has_pos ? -1 : 1;
    if (a->has_pos && a->pos != b->pos)
        return a->pos < b->pos ? -1 : 1;
    return strcasecmp(a->title, b->title);
}

void browse_items_free(browse_item *it, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(it[i].id);
        free(it[i].title);
        free(it[i].summary);
        free(it[i].cat_label);
        free(it[i].sec_label);
    }
    free(it);
}

/* The articles of section key `sec` ("<category>/": directly in the
 * category) this caller sees, in the writers' order.  *n: how many. */
browse_item *browse_items(request *r, reply *rep, const char *sec, size_t *n,
                          bool *failed)
{
    hdx_filter f = {0};
    f.section = sec;
    *n = 0;
    hdx_results *res =
        web_run_query(r, rep, "", &f, HDX_SORT_RELEVANCE, false, 0, MAX_LISTED);
    *failed = !res;
    if (!res)
        return NULL;
    size_t cnt = hdx_results_count(res);
    browse_item *it = hdx_xcalloc(cnt ? cnt : 1, sizeof *it);
    for (size_t i = 0; i < cnt; i++) {
        docdata d;
        if (!docdata_parse(res, i, &d))
            continue;
        const char *label = web_hstr(d.hdr, "nav_label");
        const char *title = web_hstr(d.hdr, "title");
        browse_item *x = &it[(*n)++];
        x->id = hdx_xstrdup(web_hstr(d.hdr, "id"));
        x->title = hdx_xstrdup(label ? label : title ? title : x->id);
        const char *sum = web_hstr(d.hdr, "summary");
        x->summary = sum ? hdx_xstrdup(sum) : NULL;
        const char *cl = web_hstr(d.hdr, "category_label");
        const char *sl = web_hstr(d.hdr, "section_label");
        x->cat_label = cl ? hdx_xstrdup(cl) : NULL;
        x->sec_label = sl ? hdx_xstrdup(sl) : NULL;
        json_t *pos = json_object_get(d.hdr, "position");
        x->has_pos = json_is_number(pos);
        x->pos = x->has_pos ? json_number_value(pos) : 0;
        docdata_clear(&d);
    }
    hdx_results_free(res);
    qsort(it, *n, sizeof *it, cmp_item);
    return it;
}
