/*
 * web_admin.h - the internal analytics dashboard (/admin): the report of
 * analytics/report.h as HTML pages with server-made SVG charts, and its
 * CSV export.  Every route is INTERNAL in routes.c; the pages are
 * read-only GETs (their filter form is a GET), so they need no CSRF
 * token.  Each request opens the store read-only (query_only) for the
 * time of the request.
 */
#ifndef HDX_SERVER_WEB_ADMIN_H
#define HDX_SERVER_WEB_ADMIN_H

#include "http.h"

/* The store the dashboard reads: --analytics-db, borrowed for the life of
 * the server (argv), or NULL: the pages say analytics are off.  Set once
 * by web_init() before the server starts. */
void admin_set_store(const char *path);

/* /admin: KPI totals, funnels, trend charts, the per-day/week table and
 * the per-product and per-locale tables. */
void handle_admin(request *r, reply *rep);
/* /admin/articles: the article table, the articles read right before an
 * escalation, the "not helpful" articles with their comments. */
void handle_admin_articles(request *r, reply *rep);
/* /admin/gaps: the content-gap clusters. */
void handle_admin_gaps(request *r, reply *rep);
/* /admin/export.csv: helpdex-report --format csv of the same filter
 * (&section=kpis|articles|gaps|all). */
void handle_admin_export(request *r, reply *rep);

#endif
