/*
 * report_cols.c - the one list of KPI columns (see report.h): their
 * names, how each is computed from the raw counts and how it is printed,
 * shared by the Markdown, CSV and JSON renderers and the dashboard.
 */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define COUNT(key, label, field, brief)                                   \
    {key, label, REPORT_COUNT, offsetof(report_kpis, field), NULL, brief}
#define RATE(key, label, fn)                                              \
    {key, label, REPORT_RATE, 0, fn, true}

static const report_col k_cols[] = {
    COUNT("sessions", "Sessions", sessions, true),
    COUNT("searches", "Searches", searches, true),
    COUNT("zero_result_searches", "Zero-result searches", zero, false),
    COUNT("searches_with_results", "Searches with results", with_results,
          false),
    COUNT("clicked_searches", "Searches with a click", clicked, false),
    COUNT("clicks", "Clicks", clicks, false),
    COUNT("active_sessions", "Sessions that searched or read", active,
          false),
    COUNT("self_service_sessions", "Self-service sessions", succeeded,
          false),
    COUNT("escalated_sessions", "Escalated sessions", escalated, false),
    COUNT("contact_sessions", "Sessions that opened the contact form",
          contact, false),
    COUNT("deflected_sessions", "Deflected contact sessions", deflected,
          false),
    RATE("zero_result_rate", "Zero-result rate", report_zero_rate),
    RATE("no_click_rate", "No-click rate", report_no_click_rate),
    RATE("ctr", "Click-through rate", report_ctr),
    {"avg_click_position", "Average click position", REPORT_MEAN, 0,
     report_avg_position, true},
    RATE("self_service_rate", "Self-service success", report_self_service),
    RATE("escalation_rate", "Escalation rate", report_escalation_rate),
    RATE("deflection_rate", "Deflection rate", report_deflection_rate),
};

const report_col *report_cols(size_t *n)
{
    *n = sizeof k_cols / sizeof k_cols[0];
    return k_cols;
}

double report_col_value(const report_col *c, const report_kpis *k)
{
    if (c->kind != REPORT_COUNT)
        return c->rate(k);
    long v;
    memcpy(&v, (const char *)k + c->off, sizeof v);
    return (double)v;
}

void report_col_format(hdx_buf *b, const report_col *c,
                       const report_kpis *k, bool human)
{
    double v = report_col_value(c, k);
    if (c->kind == REPORT_COUNT)
        hdx_buf_printf(b, "%.0f", v);
    else if (isnan(v))
        hdx_buf_adds(b, human ? "-" : "");
    else if (c->kind == REPORT_RATE && human)
        hdx_buf_printf(b, "%.1f%%", 100.0 * v);
    else
        hdx_buf_printf(b, human ? "%.2f" : "%.4f", v);
}

void report_describe(hdx_buf *b, const report *r)
{
    char a[11], z[11];
    report_day_str(r->p.from, a);
    report_day_str(r->p.to - REPORT_DAY_SECONDS, z);
    hdx_buf_printf(b, "%s to %s, by %s, audience %s, product %s, locale %s",
                   a, z, r->p.by == REPORT_BY_WEEK ? "week" : "day",
                   r->p.audience ? r->p.audience : "all",
                   r->p.product ? r->p.product : "all",
                   r->p.locale ? r->p.locale : "all");
}
