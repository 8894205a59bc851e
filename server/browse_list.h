/*
 * browse_list.h - what the browsing pages and the categories endpoint
 * list: the places (categories, or the sections of one) and the articles
 * of one browse_place that a caller can see, in the writers' order.  Every list
 * comes from queries at the caller's level (hdx_browse_count, the
 * visibility filter); the browse table only names and orders.
 * Ownership: the lists are the caller's (browse_places_clear,
 * browse_items_free); the table and the request stay the caller's.
 */
#ifndef HDX_SERVER_BROWSE_LIST_H
#define HDX_SERVER_BROWSE_LIST_H

#include "http.h"

#include "hdx/browse.h"

typedef struct browse_place {
    char *key;
    char *name;
    char *cat_label; /* a category name from the front matter, or NULL */
    unsigned count;
    double pos;
    bool has_pos;
} browse_place;

typedef struct browse_place_list {
    browse_place *items;
    size_t n;
    const hdx_browse *t;
    hdx_browse_kind kind;
} browse_place_list;

/* The categories (parent NULL) or the sections of `parent` (their keys
 * are "<parent>/<slug>", and "<parent>/" for the articles directly in
 * it) that the caller sees, with counts, in the writers' order.  *out is
 * always initialised; clear it with browse_places_clear(). */
hdx_status browse_places(const request *r, const hdx_browse *t,
                         const char *parent, browse_place_list *out);
void browse_places_clear(browse_place_list *l);

typedef struct browse_item {
    char *id, *title, *summary;
    char *cat_label, *sec_label; /* front-matter names, or NULL */
    double pos;
    bool has_pos;
} browse_item;

/* The articles of section key `sec` ("<category>/": directly in the
 * category) the caller sees, in the writers' order; *n of them.  NULL
 * with *failed and `rep` set to an error page when the query fails.
 * Free with browse_items_free(). */
browse_item *browse_items(request *r, reply *rep, const char *sec, size_t *n,
                          bool *failed);
void browse_items_free(browse_item *it, size_t n);

#endif
