/*
 * report_gaps.c - content gaps: the zero-result and no-click searches
 * of a report clustered so that variants of one need count together.
 *
 * Each normalised query gets a cluster key: "id:" and its first error
 * identifier when it holds one (hdx/ident.h: "0x80070005", "sky-1042"),
 * else its stems (hdx_stem_words(): folding, stop words, the English
 * stemmer), sorted and deduplicated, so "reset password", "password
 * resets" and "resetting my password" share the key "password reset".
 * A query with no stem left keys on itself.  Clusters rank by the
 * distinct sessions they cost, then by searches.
 */
#include "report.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"
#include "hdx/ident.h"
#include "hdx/xapian.h"

#include <stdlib.h>
#include <string.h>

static void first_ident(const char *term, size_t len, void *ctx)
{
    char **out = ctx;
    if (!*out) {
        *out = hdx_xmalloc(len + 4);
        memcpy(*out, "id:", 3);
        memcpy(*out + 3, term, len);
        (*out)[len + 3] = '\0';
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted, deduplicated words of `stems` joined by spaces. */
static char *sorted_words(char *stems)
{
    char *words[64];
    size_t n = 0;
    for (char *save, *w = strtok_r(stems, " ", &save); w && n < 64;
         w = strtok_r(NULL, " ", &save))
        words[n++] = w;
    qsort(words, n, sizeof *words, cmp_str);
    hdx_buf b;
    hdx_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (i && !strcmp(words[i], words[i - 1]))
            continue;
        if (b.len)
            hdx_buf_adds(&b, " ");
        hdx_buf_adds(&b, words[i]);
    }
    char *out = hdx_buf_detach(&b);
    hdx_buf_clear(&b);
    return out;
}

static char *cluster_key(const char *query)
{
    char *key = NULL;
    hdx_ident_extract(query, strlen(query), first_ident, &key);
    if (key)
        return key;
    char *stems = NULL;
    if (hdx_stem_words(query, NULL, &stems, NULL) == HDX_OK && *stems)
        key = sorted_words(stems);
    free(stems);
    return key ? key : hdx_xstrdup(query);
}

static int by_query(const void *a, const void *b)
{
    const report_gap_rec *x = a, *y = b;
    return strcmp(x->query, y->query);
}

static int by_key_session(const void *a, const void *b)
{
    const report_gap_rec *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->session, y->session);
}

static int by_key_query(const void *a, const void *b)
{
    const report_gap_rec *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->query, y->query);
}

/* The records sorted by key and session: one cluster per key with its
 * counts, first / last seen and distinct sessions. */
static void count_clusters(report *r, report_gap_rec *v, size_t n)
{
    qsort(v, n, sizeof *v, by_key_session);
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(v[i].key, v[i - 1].key) != 0) {
            r->gaps = hdx_xrealloc(r->gaps, (r->n_gaps + 1) * sizeof *r->gaps);
            r->gaps[r->n_gaps++] = (report_gap){
                .key = hdx_xstrdup(v[i].key), .first = v[i].ts,
                .last = v[i].ts};
        }
        report_gap *g = &r->gaps[r->n_gaps - 1];
        g->searches++;
        g->zero += v[i].zero;
        g->no_click += !v[i].zero;
        if (v[i].ts < g->first)
            g->first = v[i].ts;
        if (v[i].ts > g->last)
            g->last = v[i].ts;
        if (i == 0 || by_key_session(&v[i], &v[i - 1]) != 0)
            g->sessions++;
    }
}

typedef struct form_count {
    const char *query;
    long n;
} form_count;

static int by_count(const void *a, const void *b)
{
    const form_count *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->query, y->query);
}

/* v[0..n) is one cluster's records sorted by query: its forms. */
static void set_forms(report_gap *g, const report_gap_rec *v, size_t n)
{
    form_count *f = hdx_xcalloc(n, sizeof *f);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(v[i].query, v[i - 1].query) != 0)
            f[k++].query = v[i].query;
        f[k - 1].n++;
    }
    qsort(f, k, sizeof *f, by_count);
    g->forms = hdx_xcalloc(k, sizeof *g->forms);
    g->n_forms = k;
    for (size_t i = 0; i < k; i++)
        g->forms[i] = hdx_xstrdup(f[i].query);
    g->example = hdx_xstrdup(f[0].query);
    free(f);
}

static int by_cost(const void *a, const void *b)
{
    const report_gap *x = a, *y = b;
    if (x->sessions != y->sessions)
        return x->sessions > y->sessions ? -1 : 1;
    if (x->searches != y->searches)
        return x->searches > y->searches ? -1 : 1;
    return strcmp(x->key, y->key);
}

void report_fill_gaps(report *r, report_gap_rec *v, size_t n)
{
    if (n == 0) { /* v may be NULL: qsort(NULL, 0, ...) is undefined */
        free(v);
        return;
    }
    /* One key per distinct query. */
    qsort(v, n, sizeof *v, by_query);
    for (size_t i = 0; i < n; i++)
        v[i].key = i && !strcmp(v[i].query, v[i - 1].query)
                       ? hdx_xstrdup(v[i - 1].key)
                       : cluster_key(v[i].query);
    count_clusters(r, v, n);
    qsort(v, n, sizeof *v, by_key_query);
    size_t g = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && !strcmp(v[j].key, v[i].key))
            j++;
        set_forms(&r->gaps[g++], v + i, j - i);
        i = j;
    }
    qsort(r->gaps, r->n_gaps, sizeof *r->gaps, by_cost);
    for (size_t i = 0; i < n; i++) {
        free(v[i].query);
        free(v[i].session);
        free(v[i].key);
    }
    free(v);
}
