/*
 * web_admin_html.c - the /admin pages' bodies (see web_admin_html.h):
 * the overview (KPI table, funnels, trend charts, the series and the
 * per-product / per-locale tables), the article tables and the content
 * gaps.  Every number also appears as text in a table, so the charts are
 * a picture of the tables, not the only place a number is.
 */
#include "web_admin_html.h"
#include "base_path.h"

#include "html.h"
#include "svg_chart.h"

#include "hdx/alloc.h"

#include <stdlib.h>
#include <string.h>

#define MAX_COMMENTS 20

static void day(hdx_buf *b, long long t)
{
    char d[11];
    report_day_str(t, d);
    hdx_buf_printf(b, "<time datetime=\"%s\">%s</time>", d, d);
}

void admin_query(hdx_buf *b, const report_params *p, const char *dim,
                 const char *value)
{
    char from[11], to[11];
    report_day_str(p->from, from);
    report_day_str(p->to - REPORT_DAY_SECONDS, to);
    hdx_buf_printf(b, "?from=%s&amp;to=%s&amp;by=%s&amp;audience=%s", from,
                   to, p->by == REPORT_BY_WEEK ? "week" : "day",
                   p->audience ? p->audience : "all");
    const char *product = p->product, *locale = p->locale;
    if (dim && !strcmp(dim, "product"))
        product = value;
    else if (dim)
        locale = value;
    if (product) {
        hdx_buf_adds(b, "&amp;product=");
        web_url_attr(b, product);
    }
    if (locale) {
        hdx_buf_adds(b, "&amp;locale=");
        web_url_attr(b, locale);
    }
}

static void totals_table(hdx_buf *b, const report *r)
{
    size_t n;
    const report_col *c = report_cols(&n);
    hdx_buf_adds(b, "<table class=\"admin-table\"><caption>Totals</caption>"
                    "<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        hdx_buf_printf(b, "<tr><th scope=\"row\">%s</th><td>", c[i].label);
        report_col_format(b, &c[i], &r->total, true);
        hdx_buf_adds(b, "</td></tr>\n");
    }
    hdx_buf_adds(b, "</tbody></table>\n");
}

/* A table of KPI rows (the brief columns): heading `first`, row names
 * from names[i] (escaped) or, when NULL, the rows' bucket dates. */
static void kpi_table(hdx_buf *b, const char *caption, const char *first,
                      const report_kpis *const *rows,
                      const char *const *names, size_t n_rows,
                      const report *r, const char *dim)
{
    size_t n;
    const report_col *c = report_cols(&n);
    hdx_buf_printf(b, "<table class=\"admin-table\"><caption>%s</caption>"
                      "<thead><tr><th scope=\"col\">%s</th>", caption, first);
    for (size_t i = 0; i < n; i++)
        if (c[i].brief)
            hdx_buf_printf(b, "<th scope=\"col\">%s</th>", c[i].label);
    hdx_buf_adds(b, "</tr></thead><tbody>\n");
    for (size_t k = 0; k < n_rows; k++) {
        hdx_buf_adds(b, "<tr><th scope=\"row\">");
        if (names) {
            /* A product or locale links to the overview filtered by it. */
            hdx_buf_adds(b, "<a href=\"");
            base_url(b, "/admin");
            admin_query(b, &r->p, dim, names[k]);
            hdx_buf_adds(b, "\">");
            web_esc(b, names[k]);
            hdx_buf_adds(b, "</a>");
        } else
            day(b, rows[k]->start);
        hdx_buf_adds(b, "</th>");
        for (size_t i = 0; i < n; i++)
            if (c[i].brief) {
                hdx_buf_adds(b, "<td>");
                report_col_format(b, &c[i], rows[k], true);
                hdx_buf_adds(b, "</td>");
            }
        hdx_buf_adds(b, "</tr>\n");
    }
    hdx_buf_adds(b, "</tbody></table>\n");
}

static void funnels(hdx_buf *b, const report_kpis *k)
{
    funnel_step search[] = {{"Searches", (double)k->searches},
                            {"With results", (double)k->with_results},
                            {"With a click", (double)k->clicked}};
    funnel_step sessions[] = {{"Sessions", (double)k->sessions},
                              {"Searched or read", (double)k->active},
                              {"No escalation", (double)k->succeeded}};
    funnel_step contact[] = {{"Opened the contact form", (double)k->contact},
                             {"Deflected", (double)k->deflected}};
    hdx_buf_adds(b, "<section class=\"admin-charts\"><h2>Funnels</h2>\n");
    svg_funnel(b, "Searches: with results, with a click", search, 3);
    svg_funnel(b, "Sessions: searched or read, did not escalate", sessions,
               3);
    svg_funnel(b, "Contact form: deflected by a suggested article", contact,
               2);
    hdx_buf_adds(b, "</section>\n");
}

/* One chart of report columns `keys` over the series. */
static void trend(hdx_buf *b, const report *r, const char *title,
                  const char *const *keys, size_t n_keys, bool percent,
                  const char *const *x)
{
    size_t n;
    const report_col *c = report_cols(&n);
    chart_line lines[4];
    double *v = hdx_xcalloc(n_keys * r->n_series + 1, sizeof *v);
    size_t m = 0;
    for (size_t k = 0; k < n_keys && m < 4; k++)
        for (size_t i = 0; i < n; i++)
            if (!strcmp(c[i].key, keys[k])) {
                double *row = v + m * r->n_series;
                for (size_t s = 0; s < r->n_series; s++)
                    row[s] = report_col_value(&c[i], &r->series[s]);
                lines[m++] = (chart_line){c[i].label, row};
            }
    svg_line_chart(b, title, x, r->n_series, lines, m, percent);
    free(v);
}

static void trends(hdx_buf *b, const report *r)
{
    char (*days)[11] = hdx_xcalloc(r->n_series + 1, sizeof *days);
    const char **x = hdx_xcalloc(r->n_series + 1, sizeof *x);
    for (size_t i = 0; i < r->n_series; i++) {
        report_day_str(r->series[i].start, days[i]);
        x[i] = days[i];
    }
    static const char *const volume[] = {"sessions", "searches"};
    static const char *const search[] = {"zero_result_rate", "no_click_rate",
                                         "ctr"};
    static const char *const outcome[] = {"self_service_rate",
                                          "escalation_rate",
                                          "deflection_rate"};
    hdx_buf_adds(b, "<section class=\"admin-charts\"><h2>Trends</h2>\n");
    trend(b, r, "Sessions and searches", volume, 2, false, x);
    trend(b, r, "Search: zero results, no click, click-through", search, 3,
          true, x);
    trend(b, r, "Outcomes: self-service, escalation, deflection", outcome,
          3, true, x);
    hdx_buf_adds(b, "</section>\n");
    free(x);
    free(days);
}

static void slices(hdx_buf *b, const report *r, const char *dim,
                   const char *caption, const char *first)
{
    const report_kpis **rows = hdx_xcalloc(r->n_slices + 1, sizeof *rows);
    const char **names = hdx_xcalloc(r->n_slices + 1, sizeof *names);
    size_t n = 0;
    for (size_t i = 0; i < r->n_slices; i++)
        if (!strcmp(r->slices[i].dim, dim)) {
            rows[n] = &r->slices[i].k;
            names[n++] = r->slices[i].value;
        }
    if (n)
        kpi_table(b, caption, first, rows, names, n, r, dim);
    free(rows);
    free(names);
}

void admin_html_overview(hdx_buf *b, const report *r)
{
    totals_table(b, r);
    funnels(b, &r->total);
    trends(b, r);
    const report_kpis **rows = hdx_xcalloc(r->n_series + 1, sizeof *rows);
    for (size_t i = 0; i < r->n_series; i++)
        rows[i] = &r->series[i];
    bool week = r->p.by == REPORT_BY_WEEK;
    kpi_table(b, week ? "By week" : "By day", week ? "Week of" : "Day", rows,
              NULL, r->n_series, r, NULL);
    free(rows);
    slices(b, r, "product", "By product", "Product");
    slices(b, r, "locale", "By locale", "Locale");
}

static void article_link(hdx_buf *b, const char *id)
{
    hdx_buf_adds(b, "<a href=\"");
    web_article_href(b, id);
    hdx_buf_adds(b, "\">");
    web_esc(b, id);
    hdx_buf_adds(b, "</a>");
}

/* The newest MAX_COMMENTS "not helpful" comments of article `id` (the
 * CSV export has them all). */
static void comments_of(hdx_buf *b, const report *r, const char *id)
{
    size_t n = 0;
    hdx_buf_adds(b, "<ul class=\"admin-comments\">\n");
    for (size_t k = 0; k < r->n_comments; k++) {
        if (strcmp(r->comments[k].article, id) != 0 || n++ >= MAX_COMMENTS)
            continue;
        hdx_buf_adds(b, "<li>");
        day(b, r->comments[k].ts);
        hdx_buf_adds(b, ": ");
        web_esc(b, r->comments[k].comment);
        hdx_buf_adds(b, "</li>\n");
    }
    hdx_buf_adds(b, "</ul>\n");
    if (n > MAX_COMMENTS)
        hdx_buf_printf(b, "<p class=\"meta\">%zu more in the CSV export."
                          "</p>\n", n - MAX_COMMENTS);
}

void admin_html_articles(hdx_buf *b, const report *r)
{
    hdx_buf_adds(b, "<table class=\"admin-table\"><caption>Articles"
                    "</caption><thead><tr><th scope=\"col\">Article</th>"
                    "<th scope=\"col\">Views</th><th scope=\"col\">Clicks "
                    "from search</th><th scope=\"col\">Helpful</th>"
                    "<th scope=\"col\">Not helpful</th><th scope=\"col\">"
                    "Comments</th><th scope=\"col\">Escalations after "
                    "reading</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < r->n_articles; i++) {
        const report_article *a = &r->articles[i];
        hdx_buf_adds(b, "<tr><th scope=\"row\">");
        article_link(b, a->id);
        hdx_buf_printf(b, "</th><td>%ld</td><td>%ld</td><td>%ld</td>"
                          "<td>%ld</td><td>%ld</td><td>%ld</td></tr>\n",
                       a->views, a->clicks, a->helpful, a->not_helpful,
                       a->comments, a->escalations);
    }
    hdx_buf_adds(b, "</tbody></table>\n<table class=\"admin-table\">"
                    "<caption>Read right before an escalation</caption>"
                    "<thead><tr><th scope=\"col\">Article</th><th "
                    "scope=\"col\">Escalations</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < r->n_pre_escalation; i++) {
        hdx_buf_adds(b, "<tr><th scope=\"row\">");
        article_link(b, r->pre_escalation[i].id);
        hdx_buf_printf(b, "</th><td>%ld</td></tr>\n",
                       r->pre_escalation[i].escalations);
    }
    hdx_buf_adds(b, "</tbody></table>\n<section class=\"admin-unhelpful\">"
                    "<h2>Not helpful</h2>\n");
    for (size_t i = 0; i < r->n_not_helpful; i++) {
        const report_article *a = &r->not_helpful[i];
        hdx_buf_adds(b, "<h3>");
        article_link(b, a->id);
        hdx_buf_printf(b, "</h3>\n<p>%ld not helpful, %ld helpful.</p>\n",
                       a->not_helpful, a->helpful);
        comments_of(b, r, a->id);
    }
    hdx_buf_adds(b, "</section>\n");
}

void admin_html_gaps(hdx_buf *b, const report *r)
{
    hdx_buf_adds(b, "<table class=\"admin-table\"><caption>Content gaps: "
                    "zero-result and no-click queries, by the sessions "
                    "they cost</caption><thead><tr><th scope=\"col\">#</th>"
                    "<th scope=\"col\">Example query</th><th scope=\"col\">"
                    "Cluster</th><th scope=\"col\">Sessions</th><th "
                    "scope=\"col\">Searches</th><th scope=\"col\">Zero "
                    "results</th><th scope=\"col\">No click</th><th "
                    "scope=\"col\">First seen</th><th scope=\"col\">Last "
                    "seen</th><th scope=\"col\">Variants</th></tr></thead>"
                    "<tbody>\n");
    for (size_t i = 0; i < r->n_gaps; i++) {
        const report_gap *g = &r->gaps[i];
        hdx_buf_printf(b, "<tr><td>%zu</td><th scope=\"row\">"
                          "<a href=\"%s/search?q=", i + 1, base_path());
        web_url_attr(b, g->example);
        hdx_buf_adds(b, "\">");
        web_esc(b, g->example);
        hdx_buf_adds(b, "</a></th><td>");
        web_esc(b, g->key);
        hdx_buf_printf(b, "</td><td>%ld</td><td>%ld</td><td>%ld</td>"
                          "<td>%ld</td><td>", g->sessions, g->searches,
                       g->zero, g->no_click);
        day(b, g->first);
        hdx_buf_adds(b, "</td><td>");
        day(b, g->last);
        hdx_buf_adds(b, "</td><td>");
        for (size_t k = 0; k < g->n_forms; k++) {
            if (k)
                hdx_buf_adds(b, "; ");
            web_esc(b, g->forms[k]);
        }
        hdx_buf_adds(b, "</td></tr>\n");
    }
    if (r->n_gaps == 0)
        hdx_buf_adds(b, "<tr><td colspan=\"10\">No zero-result or "
                        "no-click searches in this period.</td></tr>\n");
    hdx_buf_adds(b, "</tbody></table>\n");
}
