/*
 * report.c - the report's period and filter, the KPI pass and the
 * assembling of a report (see report.h).
 *
 * The KPIs come from one pass over the period's events ordered by
 * session and time: a small state machine per session attributes each
 * click to the search before it, follows the contact form to a
 * deflection or an escalation, and hands every zero-result or no-click
 * search to the content-gap clustering (report_gaps.c).  The same pass,
 * with the filter narrowed, gives the per-product and per-locale totals.
 */
#include "report.h"

#include "hdx/alloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WEEK_SECONDS (7 * REPORT_DAY_SECONDS)

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

/* ---- the KPI pass ------------------------------------------------------- */

typedef struct gap_list {
    report_gap_rec *v;
    size_t n, cap;
} gap_list;

typedef struct pass {
    const report_params *p;
    report_kpis *series;
    size_t n;
    long long first, len;   /* first bucket's start, bucket length */
    gap_list *gaps;         /* NULL: not wanted */
    /* the session being read */
    char session[80];
    long long s_first;
    bool active, escalated, opened, deflect;
    /* its open search */
    bool open, results, clicked;
    long long q_ts;
    char *query;
} pass;

static long long bucket_start(report_by by, long long t)
{
    long long day = t / REPORT_DAY_SECONDS;
    if (by == REPORT_BY_WEEK)
        day -= (day + 3) % 7; /* 1970-01-01 was a Thursday */
    return day * REPORT_DAY_SECONDS;
}

static report_kpis *bucket(pass *ps, long long t)
{
    long long i = (bucket_start(ps->p->by, t) - ps->first) / ps->len;
    if (i < 0)
        i = 0;
    if ((size_t)i >= ps->n)
        i = (long long)ps->n - 1;
    return &ps->series[i];
}

static void close_search(pass *ps)
{
    if (!ps->open)
        return;
    ps->open = false;
    if (ps->clicked)
        bucket(ps, ps->q_ts)->clicked++;
    if (ps->gaps && !ps->clicked) {
        gap_list *g = ps->gaps;
        if (g->n == g->cap) {
            g->cap = g->cap ? 2 * g->cap : 256;
            g->v = hdx_xrealloc(g->v, g->cap * sizeof *g->v);
        }
        g->v[g->n++] = (report_gap_rec){hdx_xstrdup(ps->query),
                                        hdx_xstrdup(ps->session), ps->q_ts,
                                        !ps->results, NULL};
    }
    free(ps->query);
    ps->query = NULL;
}

static void close_session(pass *ps)
{
    close_search(ps);
    if (!ps->session[0])
        return;
    report_kpis *k = bucket(ps, ps->s_first);
    k->sessions++;
    k->active += ps->active;
    k->succeeded += ps->active && !ps->escalated;
    k->escalated += ps->escalated;
    k->contact += ps->opened;
    k->deflected += ps->opened && ps->deflect;
    ps->session[0] = '\0';
}

/* One event: columns session, ts, kind, source, results, typeahead,
 * position, query. */
static void step(sqlite3_stmt *st, void *ctx)
{
    pass *ps = ctx;
    const char *session = (const char *)sqlite3_column_text(st, 0);
    long long ts = sqlite3_column_int64(st, 1);
    const char *kind = (const char *)sqlite3_column_text(st, 2);
    const char *source = (const char *)sqlite3_column_text(st, 3);
    if (!session || !kind)
        return;
    if (strcmp(session, ps->session) != 0) {
        close_session(ps);
        snprintf(ps->session, sizeof ps->session, "%s", session);
        ps->s_first = ts;
        ps->active = ps->escalated = ps->opened = ps->deflect = false;
    }
    if (!strcmp(kind, "search")) {
        if (sqlite3_column_int(st, 5))
            return; /* typeahead: in no search KPI */
        close_search(ps);
        report_kpis *k = bucket(ps, ts);
        long results = sqlite3_column_int(st, 4);
        k->searches++;
        k->zero += results == 0;
        k->with_results += results > 0;
        ps->open = ps->active = true;
        ps->results = results > 0;
        ps->clicked = false;
        ps->q_ts = ts;
        ps->query = report_strcol(st, 7);
    } else if (!strcmp(kind, "click")) {
        report_kpis *k = bucket(ps, ts);
        k->clicks++;
        if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
            k->n_pos++;
            k->pos_sum += sqlite3_column_int64(st, 6);
        }
        if (ps->open && ps->results && ts - ps->q_ts <= REPORT_CLICK_WINDOW)
            ps->clicked = true;
        if (ps->opened && source && !strcmp(source, "contact"))
            ps->deflect = true;
    } else if (!strcmp(kind, "view")) {
        ps->active = true;
    } else if (!strcmp(kind, "contact_open")) {
        ps->opened = true;
    } else if (!strcmp(kind, "escalation")) {
        ps->escalated = true;
        ps->deflect = false;
    }
}

static size_t n_buckets(const report_params *p, long long *first,
                        long long *len)
{
    *len = p->by == REPORT_BY_WEEK ? WEEK_SECONDS : REPORT_DAY_SECONDS;
    *first = bucket_start(p->by, p->from);
    long long last = bucket_start(p->by, p->to - 1);
    return (size_t)((last - *first) / *len + 1);
}

/* Fill series[0..n_buckets) (zeroed by the caller) from the events of p;
 * the zero-result and no-click searches go to `gaps` unless NULL. */
static hdx_status kpi_pass(sqlite3 *db, const report_params *p,
                           report_kpis *series, gap_list *gaps,
                           hdx_error *err)
{
    pass ps = {.p = p, .series = series, .gaps = gaps};
    ps.n = n_buckets(p, &ps.first, &ps.len);
    for (size_t i = 0; i < ps.n; i++)
        series[i].start = ps.first + (long long)i * ps.len;
    hdx_status st = report_each(db, p,
                                "SELECT session, ts, kind, source, results,"
                                " typeahead, position, query FROM events"
                                " WHERE %s ORDER BY session, ts, id",
                                step, &ps, err);
    close_session(&ps);
    return st;
}

static void add_kpis(report_kpis *t, const report_kpis *k)
{
    t->sessions += k->sessions;
    t->searches += k->searches;
    t->zero += k->zero;
    t->with_results += k->with_results;
    t->clicked += k->clicked;
    t->clicks += k->clicks;
    t->n_pos += k->n_pos;
    t->pos_sum += k->pos_sum;
    t->active += k->active;
    t->succeeded += k->succeeded;
    t->escalated += k->escalated;
    t->contact += k->contact;
    t->deflected += k->deflected;
}

/* The totals of p into *out (a pass with its own series). */
static hdx_status totals(sqlite3 *db, const report_params *p,
                         report_kpis *out, hdx_error *err)
{
    long long first, len;
    size_t n = n_buckets(p, &first, &len);
    report_kpis *s = hdx_xcalloc(n, sizeof *s);
    hdx_status st = kpi_pass(db, p, s, NULL, err);
    memset(out, 0, sizeof *out);
    out->start = p->from;
    for (size_t i = 0; i < n; i++)
        add_kpis(out, &s[i]);
    free(s);
    return st;
}

static void add_slice(sqlite3_stmt *st, void *ctx)
{
    report *r = ctx;
    r->slices = hdx_xrealloc(r->slices, (r->n_slices + 1) * sizeof *r->slices);
    r->slices[r->n_slices++] = (report_slice){
        .dim = hdx_xstrdup((const char *)sqlite3_column_text(st, 1)),
        .value = report_strcol(st, 0)};
}

/* One slice per distinct product and locale in the period (unless p
 * already filters on it), each with its totals. */
static hdx_status fill_slices(sqlite3 *db, report *r, hdx_error *err)
{
    static const char *const q[] = {
        "SELECT DISTINCT product, 'product' FROM events WHERE %s AND"
        " product IS NOT NULL AND product <> '' ORDER BY 1",
        "SELECT DISTINCT locale, 'locale' FROM events WHERE %s AND"
        " locale IS NOT NULL AND locale <> '' ORDER BY 1"};
    hdx_status st = HDX_OK;
    if (!r->p.product)
        st = report_each(db, &r->p, q[0], add_slice, r, err);
    if (st == HDX_OK && !r->p.locale)
        st = report_each(db, &r->p, q[1], add_slice, r, err);
    for (size_t i = 0; st == HDX_OK && i < r->n_slices; i++) {
        report_slice *sl = &r->slices[i];
        report_params p = r->p;
        if (!strcmp(sl->dim, "product"))
            p.product = sl->value;
        else
            p.locale = sl->value;
        st = totals(db, &p, &sl->k, err);
    }
    return st;
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
    long long first, len;
    r->n_series = n_buckets(p, &first, &len);
    r->series = hdx_xcalloc(r->n_series, sizeof *r->series);
    gap_list gaps = {0};
    hdx_status st = kpi_pass(db, &r->p, r->series, &gaps, err);
    report_fill_gaps(r, gaps.v, gaps.n);
    r->total.start = p->from;
    for (size_t i = 0; i < r->n_series; i++)
        add_kpis(&r->total, &r->series[i]);
    if (st == HDX_OK)
        st = fill_slices(db, r, err);
    if (st == HDX_OK)
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
