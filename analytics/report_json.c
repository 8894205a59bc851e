/*
 * report_json.c - a report as one JSON object (helpdex-report --format
 * json), built with jansson.  Counts are integers, rates fractions
 * (0.1234), and a rate whose denominator is 0 is null; dates are
 * "YYYY-MM-DD" (UTC).  docs/analytics-reports.md shows the shape.
 */
#include "report.h"

#include <math.h>
#include <string.h>

static json_t *day(long long t)
{
    char d[11];
    report_day_str(t, d);
    return json_string(d);
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The KPI columns of k into obj. */
static json_t *kpis(json_t *obj, const report_kpis *k)
{
    size_t n;
    const report_col *c = report_cols(&n);
    for (size_t i = 0; i < n; i++) {
        double v = report_col_value(&c[i], k);
        json_t *j = c[i].kind == REPORT_COUNT ? json_integer((json_int_t)v)
                    : isnan(v)                ? json_null()
                                              : json_real(v);
        json_object_set_new(obj, c[i].key, j);
    }
    return obj;
}

static json_t *period(const report *r)
{
    return json_pack("{s:o, s:o, s:s, s:o, s:o, s:o}", "from", day(r->p.from),
                     "to", day(r->p.to - REPORT_DAY_SECONDS), "by",
                     r->p.by == REPORT_BY_WEEK ? "week" : "day", "audience",
                     str_or_null(r->p.audience), "product",
                     str_or_null(r->p.product), "locale",
                     str_or_null(r->p.locale));
}

static void add_kpis(json_t *o, const report *r)
{
    json_object_set_new(o, "totals", kpis(json_object(), &r->total));
    json_t *series = json_array();
    for (size_t i = 0; i < r->n_series; i++)
        json_array_append_new(
            series, kpis(json_pack("{s:o}", "start", day(r->series[i].start)),
                         &r->series[i]));
    json_object_set_new(o, "series", series);
    json_t *byp = json_array(), *byl = json_array();
    for (size_t i = 0; i < r->n_slices; i++) {
        const report_slice *s = &r->slices[i];
        json_t *row = kpis(json_pack("{s:s}", s->dim, s->value), &s->k);
        json_array_append_new(s->dim[0] == 'p' ? byp : byl, row);
    }
    json_object_set_new(o, "by_product", byp);
    json_object_set_new(o, "by_locale", byl);
}

static json_t *article(const report_article *a)
{
    return json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:i}", "id", a->id,
                     "views", (json_int_t)a->views, "clicks",
                     (json_int_t)a->clicks, "helpful", (json_int_t)a->helpful,
                     "not_helpful", (json_int_t)a->not_helpful, "comments",
                     (json_int_t)a->comments, "escalations",
                     (json_int_t)a->escalations);
}

static void add_articles(json_t *o, const report *r)
{
    json_t *all = json_array(), *pre = json_array(), *nh = json_array();
    for (size_t i = 0; i < r->n_articles; i++)
        json_array_append_new(all, article(&r->articles[i]));
    for (size_t i = 0; i < r->n_pre_escalation; i++)
        json_array_append_new(pre, article(&r->pre_escalation[i]));
    for (size_t i = 0; i < r->n_not_helpful; i++) {
        json_t *a = article(&r->not_helpful[i]), *cs = json_array();
        for (size_t k = 0; k < r->n_comments; k++)
            if (!strcmp(r->comments[k].article, r->not_helpful[i].id))
                json_array_append_new(
                    cs, json_pack("{s:o, s:s}", "date", day(r->comments[k].ts),
                                  "comment", r->comments[k].comment));
        json_object_set_new(a, "not_helpful_comments", cs);
        json_array_append_new(nh, a);
    }
    json_object_set_new(o, "articles", all);
    json_object_set_new(o, "pre_escalation", pre);
    json_object_set_new(o, "not_helpful", nh);
}

static void add_gaps(json_t *o, const report *r)
{
    json_t *gaps = json_array();
    for (size_t i = 0; i < r->n_gaps; i++) {
        const report_gap *g = &r->gaps[i];
        json_t *forms = json_array();
        for (size_t k = 0; k < g->n_forms; k++)
            json_array_append_new(forms, json_string(g->forms[k]));
        json_array_append_new(
            gaps, json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:o, s:o, s:o}",
                            "cluster", g->key, "example", g->example,
                            "sessions", (json_int_t)g->sessions, "searches",
                            (json_int_t)g->searches, "zero_results",
                            (json_int_t)g->zero, "no_click",
                            (json_int_t)g->no_click, "first_seen",
                            day(g->first), "last_seen", day(g->last),
                            "variants", forms));
    }
    json_object_set_new(o, "gaps", gaps);
}

json_t *report_json(const report *r, unsigned sections)
{
    json_t *o = json_pack("{s:o}", "period", period(r));
    if (sections & REPORT_KPIS)
        add_kpis(o, r);
    if (sections & REPORT_ARTICLES)
        add_articles(o, r);
    if (sections & REPORT_GAPS)
        add_gaps(o, r);
    return o;
}
