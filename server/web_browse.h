/*
 * web_browse.h - browsing the help center (docs/browsing.md): the
 * categories on the home page, the category and section pages
 * (/c/{category}, /c/{category}/{section}), breadcrumbs, "more in this
 * section" and the redirects of old URLs.  Every listing and count is a
 * query at the caller's level (hdx_browse_count, the visibility filter):
 * a place without an article the caller can see does not exist for them.
 */
#ifndef HDX_SERVER_WEB_BROWSE_H
#define HDX_SERVER_WEB_BROWSE_H

#include <jansson.h>

#include "http.h"

#include "hdx/browse.h"
#include "hdx/buf.h"

/* The index's names and order (an empty table when it has none).  Caller
 * frees with hdx_browse_free(). */
hdx_browse *web_browse_load(const request *r);

/* A product's display name (the writers', else the default), escaped;
 * nothing for NULL. */
void web_browse_product(hdx_buf *b, const hdx_browse *t, const char *product);

/* The home page's "Browse by category" section (nothing when the caller
 * sees no category). */
void web_browse_home(hdx_buf *b, const request *r, const hdx_browse *t);

/* Breadcrumbs of the article with header `hdr`: Home › Category ›
 * Section › title (BreadcrumbList microdata). */
void web_browse_crumbs(hdx_buf *b, const hdx_browse *t, json_t *hdr);

/* "More in this section": a few other articles of hdr's section (or
 * category) that the caller can see, in the writers' order. */
void web_browse_more(hdx_buf *b, const request *r, const hdx_browse *t,
                     json_t *hdr);

/* If an article the caller can see has the old URL `path`, append its
 * URL ("/a/{id}") to `loc` and return true. */
bool web_browse_alias(const request *r, const char *path, hdx_buf *loc);

/* GET /c/{category}[/{section}] (r->id: the rest of the path). */
void handle_page_category(request *r, reply *rep);

/* Any other path: a 301 to the article that has it as an old URL, else
 * the 404 of an unknown endpoint. */
void handle_alias(request *r, reply *rep);

#endif
