/*
 * web_admin_html.h - the bodies of the /admin pages: a report (borrowed)
 * rendered as HTML tables and inline SVG charts (web_admin_html.c).  Text
 * from the store is HTML-escaped; numbers are printed as the Markdown
 * report prints them (report_col_format).
 */
#ifndef HDX_SERVER_WEB_ADMIN_HTML_H
#define HDX_SERVER_WEB_ADMIN_HTML_H

#include "analytics/report.h"

#include "hdx/buf.h"

/* "?from=...&amp;to=...&amp;by=...&amp;audience=..." (then product and
 * locale when set) for an href: the filter of p, with `dim` ("product" or
 * "locale") set to `value` unless dim is NULL. */
void admin_query(hdx_buf *b, const report_params *p, const char *dim,
                 const char *value);

void admin_html_overview(hdx_buf *b, const report *r);
void admin_html_articles(hdx_buf *b, const report *r);
void admin_html_gaps(hdx_buf *b, const report *r);

#endif
