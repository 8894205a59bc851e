/*
 * report.h - every number of the analytics reports, computed once.
 *
 * report_fill() reads the store (schema.h) for a period [from, to), one
 * audience and an optional product / locale, and fills a `report`: the
 * KPIs per day or week and in total, the same totals per product and per
 * locale, the per-article table, the content gaps (zero-result and
 * no-click queries clustered), the articles read right before an
 * escalation and the "not helpful" articles with their comments.  The
 * renderers (report_md.c, report_csv.c, report_json.c; the /admin
 * dashboard of helpdex-serve) only print it.  Every definition is in
 * docs/analytics-reports.md, and is exactly what report.c computes.
 *
 * Ownership: a report owns every string and array in it; report_free()
 * releases them all.  report_params strings are borrowed by the caller.
 */
#ifndef HDX_ANALYTICS_REPORT_H
#define HDX_ANALYTICS_REPORT_H

#include "hdx/buf.h"
#include "hdx/hdx.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#define REPORT_DAY_SECONDS 86400LL
/* A click belongs to the search before it only within this window. */
#define REPORT_CLICK_WINDOW 1800LL

typedef enum report_by { REPORT_BY_DAY, REPORT_BY_WEEK } report_by;

typedef enum report_section {
    REPORT_KPIS = 1u,     /* KPI series, totals, per product / locale */
    REPORT_ARTICLES = 2u, /* per-article table, pre-escalation, comments */
    REPORT_GAPS = 4u,     /* content gaps */
    REPORT_ALL = 7u
} report_section;

typedef struct report_params {
    long long from, to;   /* [from, to), Unix seconds at 00:00 UTC */
    report_by by;
    const char *product;  /* only sessions with an event of it; NULL: all */
    const char *locale;   /* the same for a locale; NULL: all */
    const char *audience; /* "public", "agent", "internal"; NULL: all */
    unsigned sections;    /* the REPORT_* parts to compute; 0: all */
} report_params;

/* The raw counts of one bucket (or of the whole period). */
typedef struct report_kpis {
    long long start;        /* bucket start (Unix time); totals: `from` */
    long sessions;          /* distinct sessions, by their first event */
    long searches;          /* non-typeahead searches */
    long zero;              /* ... with results = 0 */
    long with_results;      /* ... with results > 0 */
    long clicked;           /* ... of those followed by a click */
    long clicks, n_pos;     /* clicks; clicks with a position */
    long long pos_sum;      /* sum of their positions */
    long active;            /* sessions with a search or a view */
    long succeeded;         /* active sessions without an escalation */
    long escalated;         /* sessions with an escalation */
    long contact;           /* sessions that opened the contact form */
    long deflected;         /* ... and left it for a suggested article */
} report_kpis;

/* The rates of report_kpis, as docs/analytics-reports.md defines them;
 * each is NAN when its denominator is 0. */
double report_zero_rate(const report_kpis *k);
double report_no_click_rate(const report_kpis *k);
double report_ctr(const report_kpis *k);
double report_avg_position(const report_kpis *k);
double report_self_service(const report_kpis *k);
double report_escalation_rate(const report_kpis *k);
double report_deflection_rate(const report_kpis *k);

typedef struct report_slice {
    char *dim;              /* "product" or "locale" */
    char *value;
    report_kpis k;          /* totals of the sessions of that value */
} report_slice;

typedef struct report_article {
    char *id;
    long views, clicks;     /* page reads; clicks from a search */
    long helpful, not_helpful, comments;
    long escalations;       /* escalations naming it as last read */
} report_article;

typedef struct report_comment {
    char *article, *comment;
    long long ts;
} report_comment;

typedef struct report_gap {
    char *key;              /* "id:<identifier>" or the sorted stems */
    char *example;          /* its most searched normalised form */
    char **forms;           /* every normalised form, most searched first */
    size_t n_forms;
    long searches;          /* zero-result + no-click searches */
    long zero, no_click;
    long sessions;          /* distinct sessions they cost */
    long long first, last;  /* first / last seen (Unix time) */
} report_gap;

typedef struct report {
    report_params p;        /* strings copied: owned */
    report_kpis total;
    report_kpis *series;    /* one per bucket, oldest first */
    size_t n_series;
    report_slice *slices;   /* per product, then per locale */
    size_t n_slices;
    report_article *articles; /* most viewed first */
    size_t n_articles;
    report_article *pre_escalation; /* copies: most escalations first,
                                       only those with escalations > 0 */
    size_t n_pre_escalation;
    report_article *not_helpful; /* copies: most "not helpful" first */
    size_t n_not_helpful;
    report_comment *comments; /* "not helpful" with a comment, newest first */
    size_t n_comments;
    report_gap *gaps;       /* most sessions first */
    size_t n_gaps;
} report;

/* "2026-11-02" → its 00:00 UTC; false if it is not a real date. */
bool report_parse_day(const char *ymd, long long *out);
/* The date of Unix time t (UTC) as "YYYY-MM-DD" into out[11]. */
void report_day_str(long long t, char out[11]);
/* "public", "agent", "internal" → that; "all" → NULL; false otherwise. */
bool report_parse_audience(const char *s, const char **out);
/* "day" / "week"; false otherwise. */
bool report_parse_by(const char *s, report_by *out);
/* The kpis / articles / gaps / all of --section; false otherwise. */
bool report_parse_section(const char *s, unsigned *out);

/*
 * Set p->from and p->to from the first and the last day of the period
 * ("YYYY-MM-DD", both included; NULL: the last day is today UTC, the
 * first 29 days before the last).  HDX_EINVAL, with a message naming
 * "from" or "to", for a bad date or a first day after the last.
 */
hdx_status report_period(const char *first, const char *last,
                         report_params *p, hdx_error *err);

/*
 * Compute the report of `p` (the parts p->sections names; the others are
 * left empty) from `db` into *out (the caller frees it with
 * report_free()).  HDX_EDB, with SQLite's message, if a query fails.
 */
hdx_status report_fill(sqlite3 *db, const report_params *p, report **out,
                       hdx_error *err);
/* Accepts NULL. */
void report_free(report *r);

/* ---- the parts of report_fill(), for report*.c only ------------------ */

/* The filter of `p` as SQL over `events`, with parameters ?1..?5 that
 * report_bind() binds (static string). */
const char *report_where(void);
void report_bind(sqlite3_stmt *st, const report_params *p);
/* Run the SELECT `fmt` (its one "%s" becomes report_where()) with p
 * bound and call fn for each row.  HDX_EDB with SQLite's message. */
typedef void (*report_row_fn)(sqlite3_stmt *st, void *ctx);
hdx_status report_each(sqlite3 *db, const report_params *p, const char *fmt,
                       report_row_fn fn, void *ctx, hdx_error *err);
/* A malloc'd copy of column `i` ("" when NULL). */
char *report_strcol(sqlite3_stmt *st, int i);
/* HDX_EDB with SQLite's message (always returns HDX_EDB). */
hdx_status report_db_error(sqlite3 *db, hdx_error *err);

/* One zero-result or no-click search, as the KPI pass found it. */
typedef struct report_gap_rec {
    char *query, *session;  /* owned */
    long long ts;
    bool zero;              /* zero results (else: results, no click) */
    char *key;              /* set by the clustering */
} report_gap_rec;

/* The KPI pass (report_pass.c): r->series, r->total and r->slices from
 * r->p, and, unless gaps is NULL, the zero-result and no-click searches
 * in *gaps (n_gaps of them; the caller hands them to report_fill_gaps()). */
hdx_status report_kpi_pass(sqlite3 *db, report *r, report_gap_rec **gaps,
                           size_t *n_gaps, hdx_error *err);
/* Per-article table, pre-escalation, "not helpful" (report_tables.c). */
hdx_status report_fill_tables(sqlite3 *db, report *r, hdx_error *err);
/* Cluster recs[0..n) into r->gaps; frees the records' strings and the
 * array (report_gaps.c). */
void report_fill_gaps(report *r, report_gap_rec *recs, size_t n);

/* ---- the KPI columns every renderer prints (report_cols.c) ------------ */

typedef enum report_col_kind {
    REPORT_COUNT,   /* a count (the long at `off` in report_kpis) */
    REPORT_RATE,    /* a fraction, from `rate` */
    REPORT_MEAN     /* a mean, from `rate` */
} report_col_kind;

typedef struct report_col {
    const char *key;    /* JSON member and CSV header: "zero_result_rate" */
    const char *label;  /* for people: "Zero-result rate" */
    report_col_kind kind;
    size_t off;
    double (*rate)(const report_kpis *k);
    bool brief;         /* one of the columns of the short tables */
} report_col;

/* The columns, in print order (static). */
const report_col *report_cols(size_t *n);
/* Column c of k: a count, or the rate (NAN when undefined). */
double report_col_value(const report_col *c, const report_kpis *k);
/* Append column c of k: for people ("12.3%", "2.15", "-"), or plain
 * (`human` false: "0.1234", "2.1500", "" when undefined). */
void report_col_format(hdx_buf *b, const report_col *c,
                       const report_kpis *k, bool human);
/* "2026-11-01 to 2026-11-30, by day, audience public, product all, locale
 * all": the heading line of every rendering. */
void report_describe(hdx_buf *b, const report *r);

/* ---- renderers: the same numbers as Markdown, CSV and JSON ------------- */

/* Append the `sections` (REPORT_*) of `r` to `b`. */
void report_md(hdx_buf *b, const report *r, unsigned sections);
/* CSV: one table per part, each with a header row, blank-line separated
 * (docs/analytics-reports.md lists the columns). */
void report_csv(hdx_buf *b, const report *r, unsigned sections);
/* A new JSON object (the caller owns the reference). */
json_t *report_json(const report *r, unsigned sections);

#endif
