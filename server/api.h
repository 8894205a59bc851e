/*
 * api.h - the JSON API handlers (one function per endpoint) and the helpers
 * they share.  Every handler validates its parameters, calls libhelpdex
 * with the caller's level, and fills a reply; docs/api.md is the contract.
 */
#ifndef HDX_SERVER_API_H
#define HDX_SERVER_API_H

#include "http.h"

#include "hdx/sections.h"
#include "hdx/xapian.h"

/* The parts of a stored document (see docs/index-schema.md). */
typedef struct docdata {
    json_t *hdr;          /* owned; parsed JSON header (NULL: not parsed) */
    const char *sections; /* borrowed: section table (hdx/sections.h) */
    size_t sections_len;
    const char *text;     /* borrowed from the results */
    size_t text_len;
} docdata;

/* Parse hit i of `res`; false if its stored data is unreadable. */
bool docdata_parse(const hdx_results *res, size_t i, docdata *out);
void docdata_clear(docdata *d);

/*
 * Typed filters from comma lists (product=a,b&tag=c&type=faq); owns the
 * strings that af.f points to.  Zero-initialise, fill, clear.
 */
typedef struct api_filter {
    hdx_filter f;
    char **products, **tags;
} api_filter;

/* Add the values of a comma list to the products or the tags. */
void api_filter_products(api_filter *af, const char *list);
void api_filter_tags(api_filter *af, const char *list);
/* Add the types of a comma list; false (with a 400 in rep) for a word
 * that is not a document type. */
bool api_filter_types(api_filter *af, const char *list, reply *rep);
/* All three from product=, tag= and type=. */
bool api_filter_args(api_filter *af, const request *r, reply *rep);
void api_filter_clear(api_filter *af);

/* Query options for this caller (level, drafts from drafts=1, lang). */
hdx_query_opts api_opts(const request *r);

/* This request's index handle; NULL with the failure in *st and err. */
hdx_db *api_db(const request *r, hdx_status *st, hdx_error *err);

/*
 * The section a hit's snippet at text offset `off` comes from, as a hit
 * names it: false for the untitled start of the document and for a
 * heading that only repeats the title.  *out points into d.
 */
bool api_hit_section(const docdata *d, size_t off, const char *title,
                     hdx_section_ref *out);

/* Snippet of d's text (or of [from, to) of it) for the results' terms. */
char *api_snippet(const hdx_results *res, const docdata *d, size_t from,
                  size_t to, size_t *offset);

/*
 * The document `id` as the caller sees it, optionally restricted to the
 * document types `types` (HDX_TYPE_BIT()s; 0: any).  HDX_OK: *res holds
 * exactly one hit (caller frees); HDX_ENOTFOUND when the caller cannot see
 * such a document - the same answer whether it does not exist or is above
 * their level.  Other statuses come from the index.
 */
hdx_status api_fetch(const request *r, const char *id, unsigned types,
                     hdx_results **res, hdx_error *err);

/* True if `id` is an article or FAQ the caller may see; *st_out is set
 * (else HDX_OK) for a failure of the index itself. */
bool api_visible(const request *r, const char *id, hdx_status *st_out);

/* The document r->id for a JSON endpoint: api_fetch() and the parse of
 * its data.  False with the reply set (404 `missing`, or the status
 * table's answer); on success the caller frees *res and clears *d. */
bool api_fetch_doc(const request *r, reply *rep, unsigned types,
                   const char *missing, hdx_results **res, docdata *d);

/* Hit k of `res` as a link {id, title, url: "/a/{id}"}, or NULL if its
 * stored data is unreadable.  New reference. */
json_t *api_link_json(const hdx_results *res, size_t k);

/* What `res` found, as a search's analytics note (http.h, record.h);
 * `set` false when the reply is not one to record (a later page). */
reply_search api_search_note(const hdx_results *res, bool set);

/*
 * out[i] (zeroed by the caller): the link of ids[i] as api_link_json()
 * makes it (a new reference), or NULL when the caller cannot see such a
 * document, for all n ids (borrowed; NULL or "" entries match nothing) in
 * one query at the caller's level.  On a failure of the index its status,
 * with every out[i] NULL.
 */
hdx_status api_resolve_links(const request *r, const char *const *ids,
                             size_t n, json_t **out, hdx_error *err);

/*
 * The linked articles `ids` (a JSON array of id strings, NULL: none) as
 * [{id,title,url}] in their order, only those the caller can see, fetched
 * in one query.  Always returns an array (a new reference).
 */
json_t *api_links(const request *r, const json_t *ids);
/*
 * `md` (a Markdown body of document `d`) rendered for this caller
 * (render.h): links to articles they may see point at them, links to any
 * other article are plain text, all checked in one query; relative links
 * resolve against d's corpus path, files through the media route.
 * `sections`: give the headings d's anchors (md is d's whole body).
 * `title`: the page's own <h1> text (render_opts.title), or NULL.  Caller
 * frees.
 */
char *api_render(const request *r, const docdata *d, const char *md,
                 bool sections, const char *title);

/* The same for several documents at once, still in one query: each of
 * lists[0..n) (arrays of ids, owned by the caller) is replaced in place by
 * its links. */
void api_links_resolve(const request *r, json_t *const *lists, size_t n);

/* What a known-issue lookup found (new references, the caller's). */
typedef struct api_lookup_out {
    json_t *hits;   /* the API's hit objects, kb links resolved */
    json_t *terms;  /* the terms searched */
    long total;
} api_lookup_out;

/*
 * The known-issue lookup of `text` (valid UTF-8) for this caller, at most
 * `limit` hits, as GET /api/known-issues answers it (docs/api.md).  With
 * `notes`, each hit also has "resolution_text" and "workaround_text", the
 * plain text of those sections (or null), for the console.  On failure
 * the index's status, with *out empty.
 */
hdx_status api_lookup_run(request *r, const char *text, unsigned limit,
                          bool notes, api_lookup_out *out, hdx_error *err);

/* Handlers: each parses, validates, calls the library once and renders;
 * the id of an {id} route is r->id (see routes.h). */
void handle_search(request *r, reply *rep);
void handle_suggest(request *r, reply *rep);
void handle_events(request *r, reply *rep);   /* api_events.c */
void handle_article(request *r, reply *rep);
void handle_related(request *r, reply *rep);
void handle_known_issues(request *r, reply *rep);
void handle_incident(request *r, reply *rep);
void handle_categories(request *r, reply *rep);

#endif
