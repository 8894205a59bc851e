/*
 * api_browse.c - GET /api/categories: the help center's hierarchy as the
 * caller sees it (docs/api.md, docs/browsing.md).  Every entry and count
 * comes from browse_places(), queries at the caller's level: a category
 * or section without a visible article is not in the answer.
 */
#include "api.h"
#include "browse_list.h"
#include "html.h"
#include "status.h"
#include "web_browse.h"

#include "hdx/alloc.h"

#include <string.h>

/* {key, name, description?, count, url} of one place. */
static json_t *place_json(const hdx_browse *t, hdx_browse_kind k,
                          const browse_place *p)
{
    hdx_buf url;
    hdx_buf_init(&url);
    web_id_path(&url, "/c/", p->key);
    json_t *o =
        json_pack("{s:s, s:s, s:i, s:s}", "key", p->key, "name", p->name,
                  "count", (json_int_t)p->count, "url", url.data);
    hdx_buf_clear(&url);
    const char *desc = hdx_browse_description(t, k, p->key);
    if (desc)
        json_object_set_new(o, "description", json_string(desc));
    return o;
}

/* The sections of category `c` into its object; false on a failure. */
static hdx_status add_sections(const request *r, const hdx_browse *t,
                               const browse_place *c, json_t *cat)
{
    browse_place_list secs;
    hdx_status st = browse_places(r, t, c->key, &secs);
    json_t *arr = json_array();
    size_t own = 0;
    for (size_t i = 0; st == HDX_OK && i < secs.n; i++) {
        if (!secs.items[i].key[strlen(c->key) + 1])
            own = secs.items[i].count; /* "<category>/": no section */
        else
            json_array_append_new(
                arr, place_json(t, HDX_BROWSE_SECTION, &secs.items[i]));
    }
    json_object_set_new(cat, "sections", arr);
    json_object_set_new(cat, "articles", json_integer((json_int_t)own));
    browse_places_clear(&secs);
    return st;
}

void handle_categories(request *r, reply *rep)
{
    hdx_browse *t = web_browse_load(r);
    browse_place_list cats;
    hdx_status st = browse_places(r, t, NULL, &cats);
    json_t *arr = json_array();
    for (size_t i = 0; st == HDX_OK && i < cats.n; i++) {
        json_t *c = place_json(t, HDX_BROWSE_CATEGORY, &cats.items[i]);
        st = add_sections(r, t, &cats.items[i], c);
        json_array_append_new(arr, c);
    }
    browse_places_clear(&cats);
    hdx_browse_free(t);
    if (st != HDX_OK) {
        json_decref(arr);
        hdx_error err;
        hdx_error_set(&err, st, __func__, "cannot list the categories");
        reply_status(rep, st, &err);
        return;
    }
    reply_json(rep, 200, json_pack("{s:o}", "categories", arr));
}
