/*
 * fuzz_query.c - libFuzzer harness of the query pipeline (normalise →
 * rewrite → Xapian's QueryParser → run) on a small real index, built once
 * at start from corpus/ (common.c).
 *
 * Input: TEXT, optionally followed by a NUL and OPTIONS: OPTIONS[0] the
 * caller level, [1] flags (drafts, facets, spelling, lookup mode, sort by
 * date), [2] the page offset, [3] the page size, [4] type bits, then
 * NUL-separated strings: products (comma list), tags (comma list),
 * updated_from, updated_to, lang.  Without OPTIONS: a public caller with
 * facets and spelling, the first ten hits.
 *
 * The text goes through hdx_query_parse, hdx_query_lookup and
 * hdx_query_partial, each then run.  Checked: when every string is valid
 * UTF-8, no step returns an error status (hdx_query_parse's contract: "a
 * query Xapian cannot parse is retried as plain words, so this fails only
 * on resource errors"); a page holds at most `limit` hits and no more
 * than the total; every hit's stored data is JSON whose audience and
 * version the caller may see, and a draft only for a caller who asked for
 * drafts above public; every accessor answers for every hit.
 */
#include "common.h"

#include "hdx/snippet.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static hdx_db *g_db;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    g_db = fuzz_index_open(fuzz_tmpdir());
    return 0;
}

typedef struct input {
    char *text;
    hdx_query_opts o;
    unsigned offset, limit;
    char *list[2][8]; /* products, tags (pointers into strs) */
    char *strs;       /* copy of the option strings */
    bool utf8;        /* every string is valid UTF-8 */
} input;

/* Split a comma list in place into out[0..8); returns the count. */
static size_t split(char *s, char **out)
{
    size_t n = 0;
    for (char *t = strtok(s, ","); t && n < 8; t = strtok(NULL, ","))
        out[n++] = t;
    return n;
}

static void read_options(input *in, const uint8_t *p, size_t n)
{
    if (n > 0)
        in->o.level = (hdx_audience)(p[0] % HDX_AUD_COUNT);
    if (n > 1) {
        in->o.drafts = p[1] & 1;
        in->o.facets = p[1] & 2;
        in->o.spelling = p[1] & 4;
        in->o.types_lookup = p[1] & 8;
        in->o.sort = p[1] & 16 ? HDX_SORT_UPDATED : HDX_SORT_RELEVANCE;
    }
    in->offset = n > 2 ? p[2] % 64 : 0;
    in->limit = n > 3 ? 1 + p[3] % 50 : 10;
    in->o.filter.types = n > 4 ? p[4] & 7 : 0;
    if (n <= 5)
        return;
    in->strs = fuzz_strndup(p + 5, n - 5);
    char *field[5] = {NULL};
    size_t k = 0;
    for (char *s = in->strs; k < 5 && s < in->strs + (n - 5) + 1;
         s += strlen(s) + 1) {
        field[k++] = s;
        in->utf8 = in->utf8 && fuzz_utf8_ok(s, strlen(s), NULL);
    }
    in->o.filter.n_products = field[0] ? split(field[0], in->list[0]) : 0;
    in->o.filter.products = (const char *const *)in->list[0];
    in->o.filter.n_tags = field[1] ? split(field[1], in->list[1]) : 0;
    in->o.filter.tags = (const char *const *)in->list[1];
    in->o.filter.updated_from = field[2];
    in->o.filter.updated_to = field[3];
    in->o.lang = field[4];
}

static void check_hit(const input *in, const hdx_results *r, size_t i)
{
    size_t len;
    const char *data = hdx_results_data(r, i, &len);
    json_error_t je;
    json_t *h = json_loadb(data, len, 0, &je);
    if (!h)
        fuzz_fail("hit %zu: stored data is not JSON: %s", i, je.text);
    const char *aud = json_string_value(json_object_get(h, "audience"));
    const char *ver = json_string_value(json_object_get(h, "version"));
    int a = aud ? hdx_audience_parse(aud) : -1;
    int v = ver ? hdx_audience_parse(ver) : -1;
    if (a < 0 || v < 0 || a > (int)in->o.level || v > (int)in->o.level)
        fuzz_fail("hit %zu (%s) of audience %s, version %s at level %d", i,
                  json_string_value(json_object_get(h, "id")), aud, ver,
                  (int)in->o.level);
    if (json_is_true(json_object_get(h, "draft")) &&
        (!in->o.drafts || in->o.level == HDX_AUD_PUBLIC))
        fuzz_fail("hit %zu is a draft the caller did not ask for", i);
    json_decref(h);
    (void)hdx_results_sections(r, i, &len);
    const char *text = hdx_results_text(r, i, &len);
    free(hdx_results_markdown(r, i));
    (void)hdx_results_score(r, i);
    (void)hdx_results_percent(r, i);
    for (size_t k = 0; k < hdx_results_n_matched_ids(r, i); k++)
        if (!hdx_results_matched_id(r, i, k))
            fuzz_fail("hit %zu: matched id %zu is NULL", i, k);
    /* The server's snippet of this hit, with the results' own terms. */
    size_t nt = hdx_results_n_terms(r);
    hdx_snip_term *terms = calloc(nt ? nt : 1, sizeof *terms);
    for (size_t k = 0; k < nt; k++)
        terms[k].text = hdx_results_term(r, k, &terms[k].is_stem);
    hdx_snippet sn;
    hdx_snippet_make(text, len, terms, nt, 28, &sn);
    free(sn.html);
    free(terms);
}

static void check_results(const input *in, const hdx_results *r,
                          const char *name)
{
    size_t n = hdx_results_count(r);
    /* The total counts every hit shown, the any-word fallback's too
     * (finding query-1, tests/fuzz/regressions/query/). */
    if (n > in->limit || (n > 0 && hdx_results_total(r) < in->offset + n))
        fuzz_fail("%s: %zu hits at offset %u for limit %u, total %u%s", name,
                  n, in->offset, in->limit, hdx_results_total(r),
                  hdx_results_relaxed(r) ? " (relaxed)" : "");
    for (size_t i = 0; i < n; i++)
        check_hit(in, r, i);
    for (size_t k = 0; k < hdx_results_n_facets(r); k++) {
        const char *facet, *value;
        unsigned count;
        hdx_results_facet(r, k, &facet, &value, &count);
        if (!facet || !value)
            fuzz_fail("facet %zu has a NULL name or value", k);
    }
    (void)hdx_results_corrected(r);
    (void)hdx_results_suggestion(r);
    (void)hdx_results_relaxed(r);
}

typedef hdx_status (*build_fn)(hdx_db *, const char *, const hdx_query_opts *,
                               hdx_query **, hdx_error *);

static void run(const input *in, build_fn build, const char *name)
{
    hdx_query *q = NULL;
    hdx_results *r = NULL;
    hdx_error err;
    hdx_error_clear(&err);
    hdx_status st = build(g_db, in->text, &in->o, &q, &err);
    if (st == HDX_OK)
        st = hdx_query_run(q, in->offset, in->limit, &r, &err);
    /* Text never fails (finding query-2: CJK then Latin letters). */
    if (st != HDX_OK && in->utf8)
        fuzz_fail("%s: status %d (%s) in %s for valid UTF-8 input: %s", name,
                  (int)st, hdx_status_str(st), err.where, err.msg);
    if (st != HDX_OK && r)
        fuzz_fail("%s: failed but left results", name);
    if (r)
        check_results(in, r, name);
    hdx_results_free(r);
    hdx_query_free(q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input in;
    memset(&in, 0, sizeof in);
    in.o.facets = in.o.spelling = true;
    in.limit = 10;
    const uint8_t *nul = memchr(data, 0, size);
    size_t len = nul ? (size_t)(nul - data) : size;
    in.text = fuzz_strndup(data, len);
    in.utf8 = fuzz_utf8_ok(in.text, len, NULL);
    if (nul)
        read_options(&in, nul + 1, size - len - 1);
    run(&in, hdx_query_parse, "hdx_query_parse");
    run(&in, hdx_query_lookup, "hdx_query_lookup");
    run(&in, hdx_query_partial, "hdx_query_partial");
    free(in.strs);
    free(in.text);
    return 0;
}
