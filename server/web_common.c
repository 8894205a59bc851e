/*
 * web_common.c - what the help center's pages share: the query they all
 * run (articles and FAQs at the caller's level, errors as a status page),
 * header fields and dates as a reader sees them.
 */
#include "web_common.h"

#include "api.h"
#include "html.h"
#include "page.h"
#include "status.h"

#include <stdio.h>
#include <string.h>

const char *web_hstr(json_t *hdr, const char *key)
{
    return json_string_value(json_object_get(hdr, key));
}

/* "2026-01-19" → "19 January 2026" (as is when it does not parse). */
void web_add_date(hdx_buf *b, const char *ymd)
{
    static const char *const months[] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    int y, m, d;
    if (!ymd)
        return;
    hdx_buf_adds(b, "<time datetime=\"");
    web_esc(b, ymd);
    hdx_buf_adds(b, "\">");
    if (strlen(ymd) == 10 && sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d) == 3 &&
        m >= 1 && m <= 12 && d >= 1 && d <= 31)
        hdx_buf_printf(b, "%d %s %d", d, months[m - 1], y);
    else
        web_esc(b, ymd);
    hdx_buf_adds(b, "</time>");
}

/*
 * Run `q` for this caller over articles and FAQs (plus `extra` filters,
 * or NULL).
 * NULL on failure, with the reply set to an error page.
 */
hdx_results *web_run_query(request *r, reply *rep, const char *q,
                           const hdx_filter *extra, hdx_sort sort, bool facets,
                           unsigned offset, unsigned limit)
{
    hdx_error err;
    hdx_error_clear(&err);
    hdx_query_opts o = api_opts(r);
    if (extra)
        o.filter = *extra;
    o.filter.types = WEB_TYPES;
    if (*q && r->level > HDX_AUD_PUBLIC) /* agents search incidents too */
        o.filter.types |= HDX_TYPE_BIT(HDX_TYPE_INCIDENT);
    o.sort = sort;
    o.facets = facets;
    o.spelling = *q != '\0';
    hdx_status st;
    hdx_query *query = NULL;
    hdx_results *res = NULL;
    hdx_db *db = api_db(r, &st, &err);
    if (db)
        st = hdx_query_parse(db, q, &o, &query, &err);
    if (st == HDX_OK)
        st = hdx_query_run(query, offset, limit, &res, &err);
    hdx_query_free(query);
    if (st != HDX_OK)
        web_reply_status(rep, st, &err);
    return res;
}

void web_li_link(hdx_buf *b, const char *href, const char *title)
{
    hdx_buf_adds(b, "<li><a href=\"");
    web_esc(b, href);
    hdx_buf_adds(b, "\">");
    web_esc(b, title);
    hdx_buf_adds(b, "</a></li>\n");
}
