/*
 * report_tables.c - the per-article part of a report (see report.h): the
 * article table (views, clicks, votes, comments, escalations), the
 * articles most often read right before an escalation, and the "not
 * helpful" articles with their comments.  Plain GROUP BY queries over
 * the report's filter.
 */
#include "report.h"

#include "hdx/alloc.h"

#include <stdlib.h>
#include <string.h>

static void add_article(sqlite3_stmt *st, void *ctx)
{
    report *r = ctx;
    r->articles = hdx_xrealloc(r->articles,
                               (r->n_articles + 1) * sizeof *r->articles);
    r->articles[r->n_articles++] = (report_article){
        report_strcol(st, 0),      sqlite3_column_int(st, 1),
        sqlite3_column_int(st, 2), sqlite3_column_int(st, 3),
        sqlite3_column_int(st, 4), sqlite3_column_int(st, 5),
        sqlite3_column_int(st, 6)};
}

static const char k_articles_sql[] =
    "SELECT article, SUM(kind = 'view'), SUM(kind = 'click'),"
    " SUM(kind = 'feedback' AND helpful = 1),"
    " SUM(kind = 'feedback' AND helpful = 0),"
    " SUM(kind = 'feedback' AND comment IS NOT NULL AND comment <> ''),"
    " SUM(kind = 'escalation')"
    " FROM events WHERE %s AND article IS NOT NULL AND article <> ''"
    " AND kind IN ('view', 'click', 'feedback', 'escalation')"
    " GROUP BY article ORDER BY 2 DESC, 3 DESC, 1";

static int by_escalations(const void *a, const void *b)
{
    const report_article *x = a, *y = b;
    if (x->escalations != y->escalations)
        return x->escalations > y->escalations ? -1 : 1;
    return strcmp(x->id, y->id);
}

static int by_not_helpful(const void *a, const void *b)
{
    const report_article *x = a, *y = b;
    if (x->not_helpful != y->not_helpful)
        return x->not_helpful > y->not_helpful ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* Copies of the articles with `field` > 0, sorted by `cmp`. */
static report_article *pick(const report *r, size_t off,
                            int (*cmp)(const void *, const void *),
                            size_t *n_out)
{
    report_article *v = hdx_xcalloc(r->n_articles + 1, sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < r->n_articles; i++) {
        long value;
        memcpy(&value, (const char *)&r->articles[i] + off, sizeof value);
        if (value > 0) {
            v[n] = r->articles[i];
            v[n++].id = hdx_xstrdup(r->articles[i].id);
        }
    }
    qsort(v, n, sizeof *v, cmp);
    *n_out = n;
    return v;
}

static void add_comment(sqlite3_stmt *st, void *ctx)
{
    report *r = ctx;
    r->comments = hdx_xrealloc(r->comments,
                               (r->n_comments + 1) * sizeof *r->comments);
    r->comments[r->n_comments++] = (report_comment){
        report_strcol(st, 0), report_strcol(st, 1),
        sqlite3_column_int64(st, 2)};
}

static const char k_comments_sql[] =
    "SELECT article, comment, ts FROM events WHERE %s AND"
    " kind = 'feedback' AND helpful = 0 AND article IS NOT NULL"
    " AND comment IS NOT NULL AND comment <> '' ORDER BY ts DESC, id DESC";

hdx_status report_fill_tables(sqlite3 *db, report *r, hdx_error *err)
{
    hdx_status st = report_each(db, &r->p, k_articles_sql, add_article, r,
                                err);
    if (st != HDX_OK)
        return st;
    r->pre_escalation = pick(r, offsetof(report_article, escalations),
                             by_escalations, &r->n_pre_escalation);
    r->not_helpful = pick(r, offsetof(report_article, not_helpful),
                          by_not_helpful, &r->n_not_helpful);
    return report_each(db, &r->p, k_comments_sql, add_comment, r, err);
}
