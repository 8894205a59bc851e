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
    json_t *hdr;          /* owned; parsed JSON header */
    const char *sections; /* borrowed: section table (hdx/sections.h) */
    size_t sections_len;
    const char *text;     /* borrowed from the results */
    size_t text_len;
} docdata;

/* The visible Markdown of hit i (malloc'd, caller frees; "" if missing). */
char *api_markdown(hdx_db *db, const hdx_results *res, size_t i);

/* Parse hit i of `res`; false if its stored data is unreadable. */
bool docdata_parse(const hdx_results *res, size_t i, docdata *out);
void docdata_clear(docdata *d);

/* Query options for this caller (level, drafts from drafts=1). */
hdx_query_opts api_opts(request *r);

/* 403 unless the caller has at least `level`; 401 without a token. */
bool api_require(request *r, reply *rep, hdx_audience level);

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
 * boolean `filters` (e.g. "XTincident").  HDX_OK: *res holds exactly one
 * hit (caller frees) and *db_out is this thread's index handle;
 * HDX_ENOTFOUND when the caller cannot see such a document - the same
 * answer whether it does not exist or is above their level.
 */
hdx_status api_fetch(request *r, const char *id, const char *const *filters,
                     size_t n_filters, hdx_db **db_out, hdx_results **res,
                     hdx_error *err);

/* {id,title,url} of a document visible to the caller, or NULL. */
json_t *api_link(hdx_db *db, request *r, const char *id);

void handle_search(request *r, reply *rep);
void handle_suggest(request *r, reply *rep);
void handle_article(request *r, reply *rep, const char *id);
void handle_related(request *r, reply *rep, const char *id);
void handle_healthz(request *r, reply *rep);
void handle_known_issues(request *r, reply *rep);
void handle_incident(request *r, reply *rep, const char *id);

#endif
