/*
 * hdx_bench.c - in-process query latency of libhelpdex (no HTTP).
 *
 *   hdx_bench DB QUERIES [PASSES] [MODE]
 *
 * Runs every line of QUERIES as a public search (facets on, spelling on),
 * top 10, PASSES times (default 3) in each mode:
 *   nosnip  parse + run + fetch each hit's stored data
 *   snip    the same, plus what server/api_search.c does per hit:
 *           parse the JSON header, hdx_snippet_make() over the stored
 *           text with the query's terms (28 words, as api_snippet()) and
 *           find the snippet's section in the section table.
 * MODE (optional) restricts to one of them (for perf/callgrind).
 * Prints one JSON object per pass and mode on stdout:
 *   {"mode":"snip","pass":1,"n":2000,"p50_ms":..,"p99_ms":..,"max_ms":..,
 *    "mean_ms":..,"total_s":..,"hits":..,"zero":..,"fails":..,
 *    "text_bytes":..}   (text_bytes: stored text scanned for snippets)
 */
#include "hdx/article.h"
#include "hdx/hdx.h"
#include "hdx/sections.h"
#include "hdx/snippet.h"
#include "hdx/xapian.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const double *sorted, size_t n, double p)
{
    if (!n)
        return 0;
    size_t k = (size_t)(p * (double)(n - 1) + 0.5);
    return sorted[k < n ? k : n - 1];
}

static volatile size_t sink;
static size_t text_bytes; /* stored text the snippets were cut from */

/* What docdata_parse(), api_snippet() and section_at() do for one hit:
 * parse the JSON header (the document data), cut the snippet from the
 * plain text (value slot HDXI_SLOT_TEXT, hdx_results_text()), find its section. */
static void snippet_hit(const hdx_results *res, size_t i)
{
    size_t len;
    const char *data = hdx_results_data(res, i, &len);
    json_error_t e;
    json_t *hdr = json_loadb(data, len, 0, &e);
    size_t text_len;
    const char *text = hdx_results_text(res, i, &text_len);
    text_bytes += text_len;
    size_t nt = hdx_results_n_terms(res);
    hdx_snip_term *terms = calloc(nt ? nt : 1, sizeof *terms);
    for (size_t k = 0; k < nt; k++)
        terms[k].text = hdx_results_term(res, k, &terms[k].is_stem);
    hdx_snippet s;
    hdx_snippet_make(text, text_len, terms, nt, 28, &s);
    sink += strlen(s.html);
    size_t sec_len;
    const char *secs = hdx_results_sections(res, i, &sec_len);
    hdx_section_ref sec;
    if (hdx_sections_at(secs, sec_len, s.offset, &sec))
        sink += strlen(sec.heading);
    free(s.html);
    free(terms);
    json_decref(hdr);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: hdx_bench DB QUERIES [PASSES] [nosnip|snip]\n");
        return 2;
    }
    int passes = argc > 3 ? atoi(argv[3]) : 3;
    const char *only = argc > 4 ? argv[4] : NULL;
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    size_t nq = 0, cap = 256;
    char **qs = malloc(cap * sizeof *qs);
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!*line)
            continue;
        if (nq == cap)
            qs = realloc(qs, (cap *= 2) * sizeof *qs);
        qs[nq++] = strdup(line);
    }
    fclose(f);

    hdx_db *db;
    hdx_error err;
    if (hdx_db_open(argv[1], &db, &err) != HDX_OK) {
        fprintf(stderr, "hdx_bench: %s: %s\n", argv[1], err.msg);
        return 1;
    }
    hdx_query_opts o;
    memset(&o, 0, sizeof o);
    o.level = HDX_AUD_PUBLIC;
    o.facets = true;
    o.spelling = true;

    double *ms = malloc(nq * sizeof *ms);
    static const char *const modes[] = {"nosnip", "snip"};
    for (int pass = 1; pass <= passes; pass++) {
        for (int m = 0; m < 2; m++) {
            if (only && strcmp(only, modes[m]) != 0)
                continue;
            size_t hits = 0, zero = 0, fails = 0;
            text_bytes = 0;
            double t_all = now_ms();
            for (size_t i = 0; i < nq; i++) {
                double t0 = now_ms();
                hdx_query *q = NULL;
                hdx_results *r = NULL;
                if (hdx_query_parse(db, qs[i], &o, &q, &err) != HDX_OK ||
                    hdx_query_run(q, 0, 10, &r, &err) != HDX_OK) {
                    fails++;
                } else {
                    size_t n = hdx_results_count(r);
                    hits += n;
                    zero += n == 0;
                    for (size_t k = 0; k < n; k++) {
                        if (m == 1) {
                            snippet_hit(r, k);
                        } else {
                            size_t len;
                            sink += (size_t)hdx_results_data(r, k, &len)[0] + len;
                        }
                    }
                }
                hdx_results_free(r);
                hdx_query_free(q);
                ms[i] = now_ms() - t0;
            }
            double total = now_ms() - t_all;
            double sum = 0;
            for (size_t i = 0; i < nq; i++)
                sum += ms[i];
            qsort(ms, nq, sizeof *ms, cmp_d);
            printf("{\"mode\":\"%s\",\"pass\":%d,\"n\":%zu,\"p50_ms\":%.4f,"
                   "\"p99_ms\":%.4f,\"max_ms\":%.4f,\"mean_ms\":%.4f,"
                   "\"total_s\":%.3f,\"hits\":%zu,\"zero\":%zu,\"fails\":%zu,"
                   "\"text_bytes\":%zu}\n",
                   modes[m], pass, nq, pct(ms, nq, .5), pct(ms, nq, .99),
                   ms[nq - 1], sum / (double)nq, total / 1e3, hits, zero,
                   fails, text_bytes);
            fflush(stdout);
        }
    }
    free(ms);
    for (size_t i = 0; i < nq; i++)
        free(qs[i]);
    free(qs);
    hdx_db_close(db);
    return 0;
}
