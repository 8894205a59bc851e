/*
 * browse_int.h - lib-private: the body of hdx_browse, shared by
 * browse.c (the table, placing, JSON) and browse_load.c (reading the
 * corpus's folders and writers' files into it).
 */
#ifndef HDX_LIB_BROWSE_INT_H
#define HDX_LIB_BROWSE_INT_H

#include "hdx/browse.h"

#define HDXI_BROWSE_KINDS 3

/* A named thing: a category, a section or a product. */
typedef struct hdxi_browse_entry {
    char *key;
    char *title; /* the writers' name, or NULL */
    char *desc;  /* or NULL */
    double pos;
    bool has_pos;
} hdxi_browse_entry;

/* Articles below `folder` ("" is the root) go to (cat, sec). */
typedef struct hdxi_browse_place {
    char *folder;
    char *cat;
    char *sec; /* NULL: directly in the category */
} hdxi_browse_place;

/* An article's position from mkdocs.yml's nav (its order there). */
typedef struct hdxi_browse_nav {
    char *path;
    double pos;
} hdxi_browse_nav;

struct hdx_browse {
    hdxi_browse_nav *nav;
    size_t n_nav;
    hdxi_browse_entry *e[HDXI_BROWSE_KINDS];
    size_t n[HDXI_BROWSE_KINDS];
    hdxi_browse_place *places;
    size_t n_places;
};

/* The entry of `key`, added (all unset) when missing. */
hdxi_browse_entry *hdxi_browse_entry_get(hdx_browse *b, hdx_browse_kind k,
                                         const char *key);
/* The entry of `key`, or NULL. */
const hdxi_browse_entry *
hdxi_browse_entry_find(const hdx_browse *b, hdx_browse_kind k, const char *key);
/* Add a place (all strings copied; sec may be NULL). */
void hdxi_browse_add_place(hdx_browse *b, const char *folder, const char *cat,
                           const char *sec);
/* Add a nav position (path copied). */
void hdxi_browse_add_nav(hdx_browse *b, const char *path, double pos);
/* Set a string field unless it is set already (`v` copied; NULL/"": no). */
void hdxi_browse_set(char **field, const char *v);

#endif
