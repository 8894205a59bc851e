/*
 * web_common.h - helpers shared by the help center's pages (web_home.c,
 * web_search.c, web_article.c).
 */
#ifndef HDX_SERVER_WEB_COMMON_H
#define HDX_SERVER_WEB_COMMON_H

#include <jansson.h>

#include "http.h"

#include "hdx/buf.h"
#include "hdx/xapian.h"

/* The help center shows articles and FAQs (incidents are for agents). */
#define WEB_TYPES (HDX_TYPE_BIT(HDX_TYPE_ARTICLE) | HDX_TYPE_BIT(HDX_TYPE_FAQ))

/* A string field of a stored header (borrowed from hdr), or NULL. */
const char *web_hstr(json_t *hdr, const char *key);

/* <li><a href="HREF">TITLE</a></li> and a newline, both escaped. */
void web_li_link(hdx_buf *b, const char *href, const char *title);

/* "2026-01-19" → a <time> element reading "19 January 2026" (the value
 * as is when it does not parse). */
void web_add_date(hdx_buf *b, const char *ymd);

/*
 * Run `q` for this caller over articles and FAQs (plus `extra` filters,
 * or NULL); a non-empty `q` of a caller above public also finds
 * incidents.  Caller frees the results; NULL on failure, with `rep` set to
 * an error page.
 */
hdx_results *web_run_query(request *r, reply *rep, const char *q,
                           const hdx_filter *extra, hdx_sort sort, bool facets,
                           unsigned offset, unsigned limit);

#endif
