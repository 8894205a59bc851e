/*
 * report_md.c - a report as Markdown (helpdex-report --format md): the
 * KPI totals, series and slices, the article tables, the "not helpful"
 * comments and the content gaps, as GitHub-flavoured tables.  Text from
 * the store (queries, comments, ids) is escaped so it can never open a
 * link, emphasis, HTML or a new table cell.
 */
#include "report.h"

#include <string.h>

/* Append s with Markdown's punctuation backslash-escaped and line breaks
 * turned into spaces. */
static void md_text(hdx_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '\n' || *s == '\r' || *s == '\t') {
            hdx_buf_addc(b, ' ');
            continue;
        }
        if (strchr("\\`*_[]<>|~", *s))
            hdx_buf_addc(b, '\\');
        hdx_buf_addc(b, *s);
    }
}

static void md_day(hdx_buf *b, long long t)
{
    char d[11];
    report_day_str(t, d);
    hdx_buf_adds(b, d);
}

static void kpi_header(hdx_buf *b, const char *first)
{
    size_t n;
    const report_col *c = report_cols(&n);
    hdx_buf_printf(b, "| %s |", first);
    for (size_t i = 0; i < n; i++)
        if (c[i].brief)
            hdx_buf_printf(b, " %s |", c[i].label);
    hdx_buf_adds(b, "\n|---|");
    for (size_t i = 0; i < n; i++)
        if (c[i].brief)
            hdx_buf_adds(b, "---:|");
    hdx_buf_adds(b, "\n");
}

static void kpi_row(hdx_buf *b, const report_kpis *k)
{
    size_t n;
    const report_col *c = report_cols(&n);
    for (size_t i = 0; i < n; i++)
        if (c[i].brief) {
            hdx_buf_adds(b, " ");
            report_col_format(b, &c[i], k, true);
            hdx_buf_adds(b, " |");
        }
    hdx_buf_adds(b, "\n");
}

static void md_kpis(hdx_buf *b, const report *r)
{
    size_t n;
    const report_col *c = report_cols(&n);
    hdx_buf_adds(b, "## KPIs\n\n| Metric | Value |\n|---|---:|\n");
    for (size_t i = 0; i < n; i++) {
        hdx_buf_printf(b, "| %s | ", c[i].label);
        report_col_format(b, &c[i], &r->total, true);
        hdx_buf_adds(b, " |\n");
    }
    const char *unit = r->p.by == REPORT_BY_WEEK ? "week" : "day";
    hdx_buf_printf(b, "\n## KPIs by %s\n\n", unit);
    kpi_header(b, r->p.by == REPORT_BY_WEEK ? "Week of" : "Day");
    for (size_t i = 0; i < r->n_series; i++) {
        hdx_buf_adds(b, "| ");
        md_day(b, r->series[i].start);
        hdx_buf_adds(b, " |");
        kpi_row(b, &r->series[i]);
    }
    for (size_t i = 0; i < r->n_slices; i++) {
        const report_slice *s = &r->slices[i];
        if (i == 0 || strcmp(s->dim, r->slices[i - 1].dim) != 0) {
            hdx_buf_printf(b, "\n## KPIs by %s\n\n", s->dim);
            kpi_header(b, !strcmp(s->dim, "product") ? "Product" : "Locale");
        }
        hdx_buf_adds(b, "| ");
        md_text(b, s->value);
        hdx_buf_adds(b, " |");
        kpi_row(b, &s->k);
    }
    hdx_buf_adds(b, "\n");
}

static void md_articles(hdx_buf *b, const report *r)
{
    hdx_buf_adds(b, "## Articles\n\n| Article | Views | Clicks from search "
                    "| Helpful | Not helpful | Comments | Escalations after "
                    "reading |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (size_t i = 0; i < r->n_articles; i++) {
        const report_article *a = &r->articles[i];
        hdx_buf_adds(b, "| ");
        md_text(b, a->id);
        hdx_buf_printf(b, " | %ld | %ld | %ld | %ld | %ld | %ld |\n",
                       a->views, a->clicks, a->helpful, a->not_helpful,
                       a->comments, a->escalations);
    }
    hdx_buf_adds(b, "\n## Read right before an escalation\n\n"
                    "| Article | Escalations |\n|---|---:|\n");
    for (size_t i = 0; i < r->n_pre_escalation; i++) {
        hdx_buf_adds(b, "| ");
        md_text(b, r->pre_escalation[i].id);
        hdx_buf_printf(b, " | %ld |\n", r->pre_escalation[i].escalations);
    }
    hdx_buf_adds(b, "\n## Not helpful\n");
    for (size_t i = 0; i < r->n_not_helpful; i++) {
        const report_article *a = &r->not_helpful[i];
        hdx_buf_adds(b, "\n### ");
        md_text(b, a->id);
        hdx_buf_printf(b, "\n\n%ld not helpful, %ld helpful.\n\n",
                       a->not_helpful, a->helpful);
        for (size_t k = 0; k < r->n_comments; k++) {
            if (strcmp(r->comments[k].article, a->id) != 0)
                continue;
            hdx_buf_adds(b, "- ");
            md_day(b, r->comments[k].ts);
            hdx_buf_adds(b, ": ");
            md_text(b, r->comments[k].comment);
            hdx_buf_adds(b, "\n");
        }
    }
    hdx_buf_adds(b, "\n");
}

static void md_gaps(hdx_buf *b, const report *r)
{
    hdx_buf_adds(b, "## Content gaps\n\n| # | Example query | Sessions | "
                    "Searches | Zero results | No click | First seen | Last "
                    "seen | Variants |\n"
                    "|---:|---|---:|---:|---:|---:|---|---|---|\n");
    for (size_t i = 0; i < r->n_gaps; i++) {
        const report_gap *g = &r->gaps[i];
        hdx_buf_printf(b, "| %zu | ", i + 1);
        md_text(b, g->example);
        hdx_buf_printf(b, " | %ld | %ld | %ld | %ld | ", g->sessions,
                       g->searches, g->zero, g->no_click);
        md_day(b, g->first);
        hdx_buf_adds(b, " | ");
        md_day(b, g->last);
        hdx_buf_adds(b, " | ");
        for (size_t k = 0; k < g->n_forms; k++) {
            if (k)
                hdx_buf_adds(b, "; ");
            md_text(b, g->forms[k]);
        }
        hdx_buf_adds(b, " |\n");
    }
    hdx_buf_adds(b, "\n");
}

void report_md(hdx_buf *b, const report *r, unsigned sections)
{
    hdx_buf_adds(b, "# helpdex analytics\n\n");
    report_describe(b, r);
    hdx_buf_adds(b, ".\n\n");
    if (sections & REPORT_KPIS)
        md_kpis(b, r);
    if (sections & REPORT_ARTICLES)
        md_articles(b, r);
    if (sections & REPORT_GAPS)
        md_gaps(b, r);
    /* Each part ends with an empty line; the text ends with one '\n'. */
    if (b->len >= 2 && !strcmp(b->data + b->len - 2, "\n\n"))
        b->data[--b->len] = '\0';
}
