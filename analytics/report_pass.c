/*
 * report_pass.c - the KPIs of a report in one pass over the period's
 * events, ordered by session and time (see report.h).
 *
 * A small state machine per session attributes each click to the search
 * before it (same session, within REPORT_CLICK_WINDOW, before the next
 * search), follows the contact form to a deflection or an escalation, and
 * hands every zero-result or no-click search to the content-gap
 * clustering.  Each count goes to its bucket of the series and to the
 * session's own totals; when the session ends, those are added to the
 * slice of every product and locale the session has an event of, which
 * is exactly what the --product / --locale filter would count.
 */
#include "report.h"

#include "hdx/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WEEK_SECONDS (7 * REPORT_DAY_SECONDS)
#define MAX_TAGS 8 /* products (locales) one session is counted under */

typedef struct tags {
    char *v[MAX_TAGS];
    size_t n;
} tags;

typedef struct pass {
    report *r;
    long long first, len;   /* first bucket's start, bucket length */
    bool want_gaps;
    report_gap_rec *gaps;
    size_t n_gaps, cap_gaps;
    /* the session being read */
    char session[80];
    long long s_first;
    bool active, escalated, opened, deflect;
    report_kpis sk;         /* its own totals */
    tags products, locales;
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
    long long i = (bucket_start(ps->r->p.by, t) - ps->first) / ps->len;
    if (i < 0)
        i = 0;
    if ((size_t)i >= ps->r->n_series)
        i = (long long)ps->r->n_series - 1;
    return &ps->r->series[i];
}

/* Add n to `field` of the bucket of t and of the session's totals. */
#define COUNT(ps, t, field, n)                                              \
    do {                                                                    \
        long add_ = (n);                                                    \
        bucket(ps, t)->field += add_;                                       \
        (ps)->sk.field += add_;                                             \
    } while (0)

static void tag(tags *t, const char *value)
{
    if (!value || !*value || t->n == MAX_TAGS)
        return;
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->v[i], value))
            return;
    t->v[t->n++] = hdx_xstrdup(value);
}

static void close_search(pass *ps)
{
    if (!ps->open)
        return;
    ps->open = false;
    COUNT(ps, ps->q_ts, clicked, ps->clicked);
    if (!ps->clicked && ps->want_gaps) {
        if (ps->n_gaps == ps->cap_gaps) {
            ps->cap_gaps = ps->cap_gaps ? 2 * ps->cap_gaps : 256;
            ps->gaps = hdx_xrealloc(ps->gaps, ps->cap_gaps * sizeof *ps->gaps);
        }
        ps->gaps[ps->n_gaps++] = (report_gap_rec){
            hdx_xstrdup(ps->query), hdx_xstrdup(ps->session), ps->q_ts,
            !ps->results, NULL};
    }
    free(ps->query);
    ps->query = NULL;
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

/* Add the session's totals to the slice dim = value (made if new). */
static void add_to_slice(report *r, const char *dim, const char *value,
                         const report_kpis *k)
{
    size_t i = 0;
    while (i < r->n_slices && (strcmp(r->slices[i].dim, dim) != 0 ||
                               strcmp(r->slices[i].value, value) != 0))
        i++;
    if (i == r->n_slices) {
        r->slices = hdx_xrealloc(r->slices, (i + 1) * sizeof *r->slices);
        r->slices[i] = (report_slice){.dim = hdx_xstrdup(dim),
                                      .value = hdx_xstrdup(value),
                                      .k.start = r->p.from};
        r->n_slices++;
    }
    add_kpis(&r->slices[i].k, k);
}

static void close_tags(report *r, tags *t, const char *dim, bool wanted,
                       const report_kpis *k)
{
    for (size_t i = 0; i < t->n; i++) {
        if (wanted)
            add_to_slice(r, dim, t->v[i], k);
        free(t->v[i]);
    }
    t->n = 0;
}

static void close_session(pass *ps)
{
    close_search(ps);
    if (!ps->session[0])
        return;
    long long t = ps->s_first;
    COUNT(ps, t, sessions, 1);
    COUNT(ps, t, active, ps->active);
    COUNT(ps, t, succeeded, ps->active && !ps->escalated);
    COUNT(ps, t, escalated, ps->escalated);
    COUNT(ps, t, contact, ps->opened);
    COUNT(ps, t, deflected, ps->opened && ps->deflect);
    close_tags(ps->r, &ps->products, "product", !ps->r->p.product, &ps->sk);
    close_tags(ps->r, &ps->locales, "locale", !ps->r->p.locale, &ps->sk);
    memset(&ps->sk, 0, sizeof ps->sk);
    ps->session[0] = '\0';
}

static void search(pass *ps, sqlite3_stmt *st, long long ts)
{
    close_search(ps);
    long results = sqlite3_column_int(st, 4);
    COUNT(ps, ts, searches, 1);
    COUNT(ps, ts, zero, results == 0);
    COUNT(ps, ts, with_results, results > 0);
    ps->open = ps->active = true;
    ps->results = results > 0;
    ps->clicked = false;
    ps->q_ts = ts;
    ps->query = report_strcol(st, 7);
}

static void click(pass *ps, sqlite3_stmt *st, long long ts)
{
    const char *source = (const char *)sqlite3_column_text(st, 3);
    COUNT(ps, ts, clicks, 1);
    if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
        COUNT(ps, ts, n_pos, 1);
        COUNT(ps, ts, pos_sum, sqlite3_column_int(st, 6));
    }
    if (ps->open && ps->results && ts - ps->q_ts <= REPORT_CLICK_WINDOW)
        ps->clicked = true;
    if (ps->opened && source && !strcmp(source, "contact"))
        ps->deflect = true;
}

/* One event: columns session, ts, kind, source, results, typeahead,
 * position, query, product, locale. */
static void step(sqlite3_stmt *st, void *ctx)
{
    pass *ps = ctx;
    const char *session = (const char *)sqlite3_column_text(st, 0);
    long long ts = sqlite3_column_int64(st, 1);
    const char *kind = (const char *)sqlite3_column_text(st, 2);
    if (!session || !kind)
        return;
    if (strcmp(session, ps->session) != 0) {
        close_session(ps);
        snprintf(ps->session, sizeof ps->session, "%s", session);
        ps->s_first = ts;
        ps->active = ps->escalated = ps->opened = ps->deflect = false;
    }
    tag(&ps->products, (const char *)sqlite3_column_text(st, 8));
    tag(&ps->locales, (const char *)sqlite3_column_text(st, 9));
    if (!strcmp(kind, "search")) {
        if (!sqlite3_column_int(st, 5)) /* typeahead: in no search KPI */
            search(ps, st, ts);
    } else if (!strcmp(kind, "click")) {
        click(ps, st, ts);
    } else if (!strcmp(kind, "view")) {
        ps->active = true;
    } else if (!strcmp(kind, "contact_open")) {
        ps->opened = true;
    } else if (!strcmp(kind, "escalation")) {
        ps->escalated = true;
        ps->deflect = false;
    }
}

static int slice_order(const void *a, const void *b)
{
    const report_slice *x = a, *y = b;
    int c = strcmp(y->dim, x->dim); /* "product" before "locale" */
    return c ? c : strcmp(x->value, y->value);
}

hdx_status report_kpi_pass(sqlite3 *db, report *r, report_gap_rec **gaps,
                           size_t *n_gaps, hdx_error *err)
{
    pass ps = {.r = r, .want_gaps = gaps != NULL};
    const report_params *p = &r->p;
    ps.len = p->by == REPORT_BY_WEEK ? WEEK_SECONDS : REPORT_DAY_SECONDS;
    ps.first = bucket_start(p->by, p->from);
    r->n_series =
        (size_t)((bucket_start(p->by, p->to - 1) - ps.first) / ps.len + 1);
    r->series = hdx_xcalloc(r->n_series, sizeof *r->series);
    for (size_t i = 0; i < r->n_series; i++)
        r->series[i].start = ps.first + (long long)i * ps.len;
    hdx_status st = report_each(db, p,
                                "SELECT session, ts, kind, source, results,"
                                " typeahead, position, query, product, locale"
                                " FROM events WHERE %s"
                                " ORDER BY session, ts, id",
                                step, &ps, err);
    close_session(&ps);
    memset(&r->total, 0, sizeof r->total);
    r->total.start = p->from;
    for (size_t i = 0; i < r->n_series; i++)
        add_kpis(&r->total, &r->series[i]);
    if (r->n_slices) /* qsort(NULL, 0, ...) is undefined */
        qsort(r->slices, r->n_slices, sizeof *r->slices, slice_order);
    if (gaps)
        *gaps = ps.gaps;
    *n_gaps = ps.n_gaps;
    return st;
}
