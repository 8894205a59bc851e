/*
 * report.c - the report's parameters (dates, period, audience), its
 * rates, the filter every query shares, and the assembling and freeing
 * of a report (see report.h).  The KPIs are report_pass.c's, the
 * article tables report_tables.c's, the content gaps report_gaps.c's.
 */
#include "report.h"

#include "hdx/alloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- parameters ------------------------------------------------------- */

bool report_parse_day(const char *ymd, long long *out)
{
    int y, m, d;
    char tail;
    if (!ymd || strlen(ymd) != 10 ||
        sscanf(ymd, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1970)
        return false;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    time_t t = timegm(&tm);
    if (t == (time_t)-1 || tm.tm_mday != d || tm.tm_mon != m - 1)
        return false; /* 2026-02-30 was normalised to March */
    *out = (long long)t;
    return true;
}

void report_day_str(long long t, char out[11])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

bool report_parse_audience(const char *s, const char **out)
{
    static const char *const names[] = {"public", "agent", "internal"};
    for (size_t i = 0; i < 3; i++)
        if (s && !strcmp(s, names[i])) {
            *out = names[i];
            return true;
        }
    if (s && !strcmp(s, "all")) {
        *out = NULL;
        return true;
    }
    return false;
}

bool report_parse_by(const char *s, report_by *out)
{
    if (s && !strcmp(s, "day"))
        *out = REPORT_BY_DAY;
    else if (s && !strcmp(s, "week"))
        *out = REPORT_BY_WEEK;
    else
        return false;
    return true;
}

bool report_parse_section(const char *s, unsigned *out)
{
    static const struct {
        const char *name;
        unsigned bits;
    } k[] = {{"kpis", REPORT_KPIS}, {"articles", REPORT_ARTICLES},
             {"gaps", REPORT_GAPS}, {"all", REPORT_ALL}};
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (s && !strcmp(s, k[i].name)) {
            *out = k[i].bits;
            return true;
        }
    return false;
}

hdx_status report_period(const char *first, const char *last,
                         report_params *p, hdx_error *err)
{
    long long a, b;
    if (last && *last) {
        if (!report_parse_day(last, &b))
            return hdx_error_set(err, HDX_EINVAL, __func__,
                                 "to: expected a date YYYY-MM-DD, got '%s'",
                                 last);
    } else {
        long long now = (long long)time(NULL);
        b = now - now % REPORT_DAY_SECONDS;
    }
    if (first && *first) {
        if (!report_parse_day(first, &a))
            return hdx_error_set(err, HDX_EINVAL, __func__,
                                 "from: expected a date YYYY-MM-DD, got '%s'",
                                 first);
    } else {
        a = b - 29 * REPORT_DAY_SECONDS;
    }
    if (a > b)
        return hdx_error_set(err, HDX_EINVAL, __func__,
                             "from: %s is after to: %s", first ? first : "",
                             last ? last : "today");
    p->from = a;
    p->to = b + REPORT_DAY_SECONDS;
    return HDX_OK;
}

/* ---- rates -------------------------------------------------------------- */

static double rate(double num, long den)
{
    return den > 0 ? num / (double)den : NAN;
}

double report_zero_rate(const report_kpis *k)
{
    return rate(k->zero, k->searches);
}
double report_no_click_rate(const report_kpis *k)
{
    return rate(k->with_results - k->clicked, k->with_results);
}
double report_ctr(const report_kpis *k)
{
    return rate(k->clicked, k->with_results);
}
double report_avg_position(const report_kpis *k)
{
    return rate((double)k->pos_sum, k->n_pos);
}
double report_self_service(const report_kpis *k)
{
    return rate(k->succeeded, k->active);
}
double report_escalation_rate(const report_kpis *k)
{
    return rate(k->escalated, k->sessions);
}
double report_deflection_rate(const report_kpis *k)
{
    return rate(k->deflected, k->contact);
}

/* ---- the filter --------------------------------------------------------- */

const char *report_where(void)
{
    return "ts >= ?1 AND ts < ?2 AND (?3 IS NULL OR audience = ?3)"
           " AND (?4 IS NULL OR session IN (SELECT session FROM events"
           "      WHERE product = ?4 AND ts >= ?1 AND ts < ?2))"
           " AND (?5 IS NULL OR session IN (SELECT session FROM events"
           "      WHERE locale = ?5 AND ts >= ?1 AND ts < ?2))";
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

void report_bind(sqlite3_stmt *st, const report_params *p)
{
    sqlite3_bind_int64(st, 1, p->from);
    sqlite3_bind_int64(st, 2, p->to);
    bind_text(st, 3, p->audience);
    bind_text(st, 4, p->product);
    bind_text(st, 5, p->locale);
}

char *report_strcol(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return hdx_xstrdup(s ? s : "");
}

hdx_status report_db_error(sqlite3 *db, hdx_error *err)
{
    return hdx_error_set(err, HDX_EDB, "report", "analytics store: %s",
                         sqlite3_errmsg(db));
}

hdx_status report_each(sqlite3 *db, const report_params *p, const char *fmt,
                       report_row_fn fn, void *ctx, hdx_error *err)
{
    const char *at = strstr(fmt, "%s");
    hdx_buf sql;
    hdx_buf_init(&sql);
    hdx_buf_add(&sql, fmt, at ? (size_t)(at - fmt) : strlen(fmt));
    if (at) {
        hdx_buf_adds(&sql, report_where());
        hdx_buf_adds(&sql, at + 2);
    }
    sqlite3_stmt *st;
    int prc = sqlite3_prepare_v2(db, sql.data, -1, &st, NULL);
    hdx_buf_clear(&sql);
    if (prc != SQLITE_OK)
        return report_db_error(db, err);
    report_bind(st, p);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(st, ctx);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? HDX_OK : report_db_error(db, err);
}

static char *dup_or_null(const char *s)
{
    return s ? hdx_xstrdup(s) : NULL;
}

hdx_status report_fill(sqlite3 *db, const report_params *p, report **out,
                       hdx_error *err)
{
    *out = NULL;
    report *r = hdx_xcalloc(1, sizeof *r);
    r->p = *p;
    r->p.product = dup_or_null(p->product);
    r->p.locale = dup_or_null(p->locale);
    r->p.audience = dup_or_null(p->audience);
    unsigned want = p->sections ? p->sections : REPORT_ALL;
    report_gap_rec *gaps = NULL;
    size_t n_gaps = 0;
    hdx_status st = HDX_OK;
    if (want & (REPORT_KPIS | REPORT_GAPS))
        st = report_kpi_pass(db, r, want & REPORT_GAPS ? &gaps : NULL,
                             &n_gaps, err);
    report_fill_gaps(r, gaps, n_gaps);
    if (st == HDX_OK && (want & REPORT_ARTICLES))
        st = report_fill_tables(db, r, err);
    if (st != HDX_OK) {
        report_free(r);
        return st;
    }
    *out = r;
    return HDX_OK;
}

static void free_articles(report_article *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(a[i].id);
    free(a);
}

void report_free(report *r)
{
    if (!r)
        return;
    free((char *)r->p.product);
    free((char *)r->p.locale);
    free((char *)r->p.audience);
    free(r->series);
    for (size_t i = 0; i < r->n_slices; i++) {
        free(r->slices[i].dim);
        free(r->slices[i].value);
    }
    free(r->slices);
    free_articles(r->articles, r->n_articles);
    free_articles(r->pre_escalation, r->n_pre_escalation);
    free_articles(r->not_helpful, r->n_not_helpful);
    for (size_t i = 0; i < r->n_comments; i++) {
        free(r->comments[i].article);
        free(r->comments[i].comment);
    }
    free(r->comments);
    for (size_t i = 0; i < r->n_gaps; i++) {
        report_gap *g = &r->gaps[i];
        free(g->key);
        free(g->example);
        for (size_t k = 0; k < g->n_forms; k++)
            free(g->forms[k]);
        free(g->forms);
    }
    free(r->gaps);
    free(r);
}
