/*
 * meili.h - the Meilisearch-compatible search API under /meili/ (issue
 * 18, docs/meilisearch.md), shared by its four files:
 *
 *   meili.c         routes, dispatch, keys, CORS, errors, search runs
 *   meili_params.c  search parameters (JSON body or query string)
 *   meili_filter.c  Meilisearch's filter grammar → helpdex typed filters
 *   meili_hits.c    hits, _formatted (highlight, crop), _matchesPosition
 *
 * A search here is the native search: the same hdx_query_opts (caller's
 * level from the bearer token, typed filters, sort, facets) through
 * hdx_query_parse() and hdx_query_run(), so the one visibility filter of
 * the library applies; nothing here filters documents itself.
 */
#ifndef HDX_SERVER_MEILI_H
#define HDX_SERVER_MEILI_H

#include "api.h"

#include <jansson.h>

/* The Meilisearch API endpoint (ROUTE_REST "/meili/"; r->id is the rest
 * of the path). */
void handle_meili(request *r, reply *rep);

/* Set a Meilisearch error reply {message, code, type, link}. */
void meili_error(reply *rep, int status, const char *code, const char *fmt,
                 ...) __attribute__((format(printf, 4, 5)));

/* A failure with its Meilisearch status, code and message. */
typedef struct meili_err {
    int status;
    char code[64];
    char msg[512];
} meili_err;

void meili_err_set(meili_err *e, int status, const char *code,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* ---- attributes ----------------------------------------------------- */

/* The attributes of a hit, as bits of masks. */
enum {
    MA_ID, MA_TITLE, MA_SUMMARY, MA_CONTENT, MA_TYPE, MA_PRODUCT, MA_TAGS,
    MA_UPDATED, MA_LOCALE, MA_STATUS, MA_CATEGORY, MA_PATH, MA_URL, MA_COUNT
};
#define MA_BIT(a) (1u << (unsigned)(a))
/* Displayed by default: everything but the body text. */
#define MA_DISPLAYED ((MA_BIT(MA_COUNT) - 1u) & ~MA_BIT(MA_CONTENT))

/* The name of attribute a; the attribute called `name`, or -1. */
const char *meili_attr_name(int a);
int meili_attr_parse(const char *name);

/* Facets that can be counted (bits of meili_search.facets), and the bit
 * of `updated`, whose min and max are facetStats. */
enum { MF_PRODUCT, MF_TAGS, MF_TYPE, MF_COUNT, MF_UPDATED = MF_COUNT };

/* ---- dates of the `updated` filter (meili_date.c) -------------------- */

/* A YYYY-MM-DD date, or Unix seconds (what facetStats gives, so a range
 * slider's numbers filter too): its day into out[11]; false with e set. */
bool meili_date_of(const char *v, char out[11], meili_err *e);

/* The day before (-1) or after (+1) a YYYY-MM-DD date, in place. */
void meili_day_step(char d[11], int step);

/* ---- filters (meili_filter.c) --------------------------------------- */

/* A filter as helpdex's typed filter: an AND of per-attribute groups. */
typedef struct meili_filter {
    api_filter af;          /* products, tags (owned), types */
    char from[11], to[11];  /* updated range, "" when open */
    char *category;         /* owned, or NULL */
    bool none;              /* contradictory: matches nothing */
} meili_filter;

/* Parse `f` (a string, or an array of strings and arrays of strings:
 * outer AND, inner OR; NULL or null: no filter) into *out (zeroed by the
 * caller; clear it even on failure).  False with e set
 * (invalid_search_filter) for bad syntax, an unknown attribute or a form
 * helpdex cannot express. */
bool meili_filter_parse(const json_t *f, meili_filter *out, meili_err *e);
/* The same for one filter expression. */
bool meili_filter_parse_str(const char *s, meili_filter *out, meili_err *e);
void meili_filter_clear(meili_filter *f);

/* ---- parameters (meili_params.c) ------------------------------------ */

typedef struct meili_search {
    const char *q;              /* borrowed from `params` */
    long offset, limit;         /* offset/limit paging */
    long page, hits_per_page;   /* page paging when `paged` */
    bool paged;
    unsigned retrieve;          /* MA_BIT()s */
    unsigned highlight, crop;   /* MA_BIT()s */
    bool highlight_all;         /* attributesToHighlight "*" */
    const char *pre, *post;     /* highlight tags (borrowed) */
    const char *marker;         /* crop marker (borrowed) */
    long crop_length;
    long crop_lengths[MA_COUNT]; /* "attr:N" (0: crop_length) */
    bool matches, score;        /* showMatchesPosition, showRankingScore */
    unsigned facets;            /* bits (1u << MF_x) */
    bool all_words;             /* matchingStrategy all */
    hdx_sort sort;
    meili_filter filter;
    json_t *params;             /* owned: the parameters as an object */
} meili_search;

/*
 * Read the search parameters of `obj` (a JSON object; new reference kept
 * in s->params; `multi`: inside a multi-search, where indexUid is
 * allowed) into *s (zeroed by the caller; meili_search_clear() it even on
 * failure).  False with e set for an unknown, unsupported or invalid
 * parameter.
 */
bool meili_search_parse(json_t *obj, bool multi, meili_search *s,
                        meili_err *e);
/* The parameters of a GET search (query string) as a JSON object, or
 * NULL with e set. */
json_t *meili_query_params(const request *r, meili_err *e);
void meili_search_clear(meili_search *s);

/* ---- hits (meili_hits.c) -------------------------------------------- */

/* The hits of `res` (NULL: none) as Meilisearch hits for `s`, leaving
 * out any whose stored data is unreadable.  New reference. */
json_t *meili_hits(const hdx_results *res, const meili_search *s);

#endif
