/*
 * report_csv.c - a report as CSV (helpdex-report --format csv, the
 * dashboard's export): one table per part, each starting with its header
 * row, tables separated by one empty line.  Fields are quoted as RFC 4180
 * says; a text field that a spreadsheet would run as a formula (it starts
 * with = + - @ or a tab) gets a leading apostrophe, since queries and
 * comments are customers' words.
 */
#include "report.h"

#include <string.h>

static void csv_text(hdx_buf *b, const char *s)
{
    s = s ? s : "";
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        hdx_buf_addc(b, '"');
    if (*s && strchr("=+-@\t", *s))
        hdx_buf_addc(b, '\'');
    for (; *s; s++) {
        if (*s == '"')
            hdx_buf_addc(b, '"');
        hdx_buf_addc(b, *s);
    }
    if (quote)
        hdx_buf_addc(b, '"');
}

static void csv_day(hdx_buf *b, long long t)
{
    char d[11];
    report_day_str(t, d);
    hdx_buf_adds(b, d);
}

static void kpi_row(hdx_buf *b, const char *scope, const char *value,
                    long long day, const report_kpis *k)
{
    size_t n;
    const report_col *c = report_cols(&n);
    hdx_buf_printf(b, "%s,", scope);
    if (value)
        csv_text(b, value);
    else
        csv_day(b, day);
    for (size_t i = 0; i < n; i++) {
        hdx_buf_addc(b, ',');
        report_col_format(b, &c[i], k, false);
    }
    hdx_buf_adds(b, "\r\n");
}

static void csv_kpis(hdx_buf *b, const report *r)
{
    size_t n;
    const report_col *c = report_cols(&n);
    hdx_buf_adds(b, "scope,value");
    for (size_t i = 0; i < n; i++)
        hdx_buf_printf(b, ",%s", c[i].key);
    hdx_buf_adds(b, "\r\n");
    kpi_row(b, "total", NULL, r->p.from, &r->total);
    const char *unit = r->p.by == REPORT_BY_WEEK ? "week" : "day";
    for (size_t i = 0; i < r->n_series; i++)
        kpi_row(b, unit, NULL, r->series[i].start, &r->series[i]);
    for (size_t i = 0; i < r->n_slices; i++)
        kpi_row(b, r->slices[i].dim, r->slices[i].value, 0, &r->slices[i].k);
}

static void csv_articles(hdx_buf *b, const report *r)
{
    hdx_buf_adds(b, "article,views,clicks,helpful,not_helpful,comments,"
                    "escalations\r\n");
    for (size_t i = 0; i < r->n_articles; i++) {
        const report_article *a = &r->articles[i];
        csv_text(b, a->id);
        hdx_buf_printf(b, ",%ld,%ld,%ld,%ld,%ld,%ld\r\n", a->views,
                       a->clicks, a->helpful, a->not_helpful, a->comments,
                       a->escalations);
    }
    hdx_buf_adds(b, "\r\narticle,escalations_after_reading\r\n");
    for (size_t i = 0; i < r->n_pre_escalation; i++) {
        csv_text(b, r->pre_escalation[i].id);
        hdx_buf_printf(b, ",%ld\r\n", r->pre_escalation[i].escalations);
    }
    hdx_buf_adds(b, "\r\narticle,date,not_helpful_comment\r\n");
    for (size_t i = 0; i < r->n_comments; i++) {
        csv_text(b, r->comments[i].article);
        hdx_buf_addc(b, ',');
        csv_day(b, r->comments[i].ts);
        hdx_buf_addc(b, ',');
        csv_text(b, r->comments[i].comment);
        hdx_buf_adds(b, "\r\n");
    }
}

static void csv_gaps(hdx_buf *b, const report *r)
{
    hdx_buf_adds(b, "rank,cluster,example,sessions,searches,zero_results,"
                    "no_click,first_seen,last_seen,variants\r\n");
    for (size_t i = 0; i < r->n_gaps; i++) {
        const report_gap *g = &r->gaps[i];
        hdx_buf_printf(b, "%zu,", i + 1);
        csv_text(b, g->key);
        hdx_buf_addc(b, ',');
        csv_text(b, g->example);
        hdx_buf_printf(b, ",%ld,%ld,%ld,%ld,", g->sessions, g->searches,
                       g->zero, g->no_click);
        csv_day(b, g->first);
        hdx_buf_addc(b, ',');
        csv_day(b, g->last);
        hdx_buf_addc(b, ',');
        hdx_buf vb;
        hdx_buf_init(&vb);
        for (size_t k = 0; k < g->n_forms; k++) {
            if (k)
                hdx_buf_adds(&vb, "; ");
            hdx_buf_adds(&vb, g->forms[k]);
        }
        csv_text(b, vb.data);
        hdx_buf_clear(&vb);
        hdx_buf_adds(b, "\r\n");
    }
}

void report_csv(hdx_buf *b, const report *r, unsigned sections)
{
    bool first = true;
    if (sections & REPORT_KPIS) {
        csv_kpis(b, r);
        first = false;
    }
    if (sections & REPORT_ARTICLES) {
        if (!first)
            hdx_buf_adds(b, "\r\n");
        csv_articles(b, r);
        first = false;
    }
    if (sections & REPORT_GAPS) {
        if (!first)
            hdx_buf_adds(b, "\r\n");
        csv_gaps(b, r);
    }
}
