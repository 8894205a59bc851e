/*
 * web_search.c - the help center's search page (/search): results with
 * snippets, facets as filters, spelling notices and paging.  Works without
 * JavaScript; web/app.js enhances it.
 */
#include "web_pages.h"
#include "base_path.h"

#include "api.h"
#include "feedback_store.h"
#include "html.h"
#include "page.h"
#include "render.h"
#include "status.h"
#include "web_browse.h"
#include "web_common.h"
#include "web_go.h"

#include "hdx/alloc.h"
#include "hdx/sections.h"
#include "hdx/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PER_PAGE 10
#define MAX_PAGE 1000

typedef struct search_state {
    const char *q, *product, *tag;
    long page;
    const hdx_browse *names; /* the writers' product names */
} search_state;

/* Append the /search URL for `s` with one field changed (NULL: keep). */
static void search_url(hdx_buf *out, const search_state *s, const char *q,
                       const char *product, const char *tag, long page)
{
    hdx_buf u;
    hdx_buf_init(&u);
    base_url(&u, "/search");
    char sep = '?';
    const char *vals[3] = {q, product, tag};
    const char *names[3] = {"q", "product", "tag"};
    for (int i = 0; i < 3; i++) {
        if (!vals[i] || !*vals[i])
            continue;
        hdx_buf_addc(&u, sep);
        sep = '&';
        hdx_buf_adds(&u, names[i]);
        hdx_buf_addc(&u, '=');
        web_urlenc(&u, vals[i]);
    }
    if (page > 1) {
        hdx_buf_addc(&u, sep);
        hdx_buf_printf(&u, "page=%ld", page);
    }
    (void)s;
    web_esc(out, u.data);
    hdx_buf_clear(&u);
}

static void add_hit(hdx_buf *b, const hdx_results *res, size_t i,
                    const char *q, const hdx_browse *names, long rank)
{
    docdata d;
    if (!docdata_parse(res, i, &d))
        return;
    size_t off = 0;
    char *snip = api_snippet(res, &d, 0, d.text_len, &off);
    const char *title = web_hstr(d.hdr, "title");
    /* The section the snippet is from (as /api/search names it). */
    const char *sec_heading = NULL, *sec_anchor = NULL;
    hdx_section_ref s;
    if (api_hit_section(&d, off, title, &s)) {
        sec_heading = s.heading;
        sec_anchor = s.anchor;
    }
    hdx_buf url;
    hdx_buf_init(&url);
    web_article_path(&url, web_hstr(d.hdr, "id"));
    if (q && *q) {
        hdx_buf_adds(&url, "?q=");
        web_urlenc(&url, q);
    }
    if (sec_anchor && *sec_anchor) {
        hdx_buf_addc(&url, '#');
        web_urlenc(&url, sec_anchor);
    }
    hdx_buf_adds(b, "<li class=\"hit\">\n<h2><a ");
    web_go_attrs(b, url.data, web_hstr(d.hdr, "id"), q, rank, sec_anchor);
    hdx_buf_adds(b, ">");
    web_esc(b, title);
    const char *aud = web_hstr(d.hdr, "audience");
    int level = aud ? hdx_audience_parse(aud) : -1;
    hdx_buf_adds(b, "</a>");
    if (level > HDX_AUD_PUBLIC) /* never paste it to a customer */
        web_audience_badge(b, (hdx_audience)level);
    hdx_buf_adds(b, "</h2>\n<p class=\"meta\">");
    web_browse_product(b, names, web_hstr(d.hdr, "product"));
    if (!strcmp(web_hstr(d.hdr, "type") ? web_hstr(d.hdr, "type") : "", "faq"))
        hdx_buf_adds(b, " · FAQ");
    if (sec_heading) {
        hdx_buf_adds(b, " › ");
        web_esc(b, sec_heading);
    }
    hdx_buf_adds(b, "</p>\n<p class=\"snippet\">");
    hdx_buf_adds(b, snip); /* escaped by the library, <mark> only */
    hdx_buf_adds(b, "</p>\n</li>\n");
    hdx_buf_clear(&url);
    free(snip);
    docdata_clear(&d);
}

static void add_facets(hdx_buf *b, const hdx_results *res,
                       const search_state *st)
{
    static const struct {
        const char *facet, *label;
    } groups[] = {{"product", "Product"}, {"tag", "Topic"}};
    bool open = false;
    for (size_t g = 0; g < 2; g++) {
        const char *active = g == 0 ? st->product : st->tag;
        bool any = false;
        unsigned shown = 0;
        for (size_t k = 0; k < hdx_results_n_facets(res) && shown < 12; k++) {
            const char *facet, *value;
            unsigned count;
            hdx_results_facet(res, k, &facet, &value, &count);
            if (strcmp(facet, groups[g].facet) != 0)
                continue;
            if (!open) {
                hdx_buf_adds(b, "<aside class=\"facets\" aria-label=\"Filter "
                                "results\">\n");
                open = true;
            }
            if (!any)
                hdx_buf_printf(b, "<h2>%s</h2>\n<ul>\n", groups[g].label);
            any = true;
            shown++;
            bool on = active && !strcmp(active, value);
            hdx_buf_adds(b, "<li><a href=\"");
            if (g == 0)
                search_url(b, st, st->q, on ? NULL : value, st->tag, 1);
            else
                search_url(b, st, st->q, st->product, on ? NULL : value, 1);
            hdx_buf_adds(b, on ? "\" aria-current=\"true\" class=\"on\">"
                               : "\">");
            if (g == 0)
                web_browse_product(b, st->names, value);
            else
                web_esc(b, value);
            hdx_buf_printf(b, " <span class=\"count\">%u</span>", count);
            if (on)
                hdx_buf_adds(b, "<span class=\"visually-hidden\"> (selected; "
                                "select to remove)</span>");
            hdx_buf_adds(b, "</a></li>\n");
        }
        if (any)
            hdx_buf_adds(b, "</ul>\n");
    }
    if (open)
        hdx_buf_adds(b, "</aside>\n");
}

/* The search box, filters and page of /search; false (page set) for a
 * value that cannot be searched for. */
static bool search_parse(const request *r, reply *rep, search_state *st)
{
    *st = (search_state){http_arg(r, "q"), http_arg(r, "product"),
                         http_arg(r, "tag"), 1, NULL};
    if (!st->q)
        st->q = "";
    const char *pg = http_arg(r, "page");
    if (pg && *pg) {
        char *end;
        st->page = strtol(pg, &end, 10);
        if (*end || st->page < 1 || st->page > MAX_PAGE) {
            web_reply_message(rep, 400, "Bad page number",
                              "The page number must be a whole number from "
                              "1 to 1000.");
            return false;
        }
    }
    const char *vals[3] = {st->q, st->product, st->tag};
    for (int i = 0; i < 3; i++) {
        if (vals[i] && strlen(vals[i]) > MAX_QUERY_BYTES) {
            web_reply_message(rep, 414, "Search too long",
                              "Please shorten your search to under 1000 "
                              "characters.");
            return false;
        }
        if (vals[i] && !hdx_text_valid_utf8(vals[i], strlen(vals[i]), NULL)) {
            web_reply_message(rep, 400, "Search not understood",
                              "The search contains invalid characters.");
            return false;
        }
    }
    return true;
}

/* "Results for “q”" (escaped into the page, or raw into a title). */
static void results_heading(hdx_buf *b, const char *q, bool html)
{
    if (!*q) {
        hdx_buf_adds(b, "All articles");
    } else if (html) {
        hdx_buf_adds(b, "Results for “<span class=\"q\">");
        web_esc(b, q);
        hdx_buf_adds(b, "</span>”");
    } else {
        hdx_buf_adds(b, "Results for “");
        hdx_buf_adds(b, q);
        hdx_buf_adds(b, "”");
    }
}

/* The count line, with the active filters and a way to clear them. */
static void result_count(hdx_buf *b, const search_state *st, unsigned total)
{
    bool product = st->product && *st->product, tag = st->tag && *st->tag;
    hdx_buf_adds(b, "</h1>\n<p class=\"meta\" id=\"result-count\" "
                    "role=\"status\">");
    if (total)
        hdx_buf_printf(b, "%u article%s", total, total == 1 ? "" : "s");
    else
        hdx_buf_adds(b, "No articles found");
    if (product || tag) {
        hdx_buf_adds(b, " · filtered by ");
        if (product)
            web_browse_product(b, st->names, st->product);
        if (product && tag)
            hdx_buf_adds(b, ", ");
        if (tag)
            web_esc(b, st->tag);
        hdx_buf_adds(b, " · <a href=\"");
        search_url(b, st, st->q, NULL, NULL, 1);
        hdx_buf_adds(b, "\">clear filters</a>");
    }
    hdx_buf_adds(b, "</p>\n");
}

/* Did-you-mean, corrected and relaxed notices. */
static void notices(hdx_buf *b, const search_state *st,
                    const hdx_results *res)
{
    const char *corrected = hdx_results_corrected(res);
    const char *suggestion = hdx_results_suggestion(res);
    if (corrected) {
        hdx_buf_adds(b, "<p class=\"notice\" id=\"did-you-mean\">No results "
                        "for “");
        web_esc(b, st->q);
        hdx_buf_adds(b, "”. Showing results for <a href=\"");
        search_url(b, st, corrected, st->product, st->tag, 1);
        hdx_buf_adds(b, "\">");
        web_esc(b, corrected);
        hdx_buf_adds(b, "</a> instead.</p>\n");
    } else if (suggestion && *st->q) {
        hdx_buf_adds(b, "<p class=\"notice\" id=\"did-you-mean\">Did you "
                        "mean <a href=\"");
        search_url(b, st, suggestion, st->product, st->tag, 1);
        hdx_buf_adds(b, "\">");
        web_esc(b, suggestion);
        hdx_buf_adds(b, "</a>?</p>\n");
    }
    if (hdx_results_relaxed(res) && hdx_results_count(res))
        hdx_buf_adds(b, "<p class=\"notice\">No article contains all of "
                        "your words; these contain some of them.</p>\n");
}

static void pager(hdx_buf *b, const search_state *st, unsigned total)
{
    long pages = ((long)total + PER_PAGE - 1) / PER_PAGE;
    if (pages > MAX_PAGE)
        pages = MAX_PAGE;
    if (pages <= 1)
        return;
    hdx_buf_adds(b, "<nav class=\"pager\" aria-label=\"Pages\">\n");
    if (st->page > 1) {
        hdx_buf_adds(b, "<a rel=\"prev\" href=\"");
        search_url(b, st, st->q, st->product, st->tag, st->page - 1);
        hdx_buf_adds(b, "\">← Previous</a>\n");
    }
    hdx_buf_printf(b, "<span>Page %ld of %ld</span>\n", st->page, pages);
    if (st->page < pages) {
        hdx_buf_adds(b, "<a rel=\"next\" href=\"");
        search_url(b, st, st->q, st->product, st->tag, st->page + 1);
        hdx_buf_adds(b, "\">Next →</a>\n");
    }
    hdx_buf_adds(b, "</nav>\n");
}

/* The hits and the pager, or the "nothing found" advice. */
static void results_list(hdx_buf *b, const search_state *st,
                         const hdx_results *res)
{
    size_t n = hdx_results_count(res);
    if (!n) {
        hdx_buf_printf(b, "<div class=\"empty\" id=\"no-results\">\n"
                        "<h2>We couldn't find a matching article</h2>\n"
                        "<ul>\n<li>Check the spelling, or use fewer or more "
                        "general words.</li>\n<li>Search for the exact "
                        "error message you see.</li>\n<li><a "
                        "href=\"%s/\">Browse articles by category</a>.</li>\n"
                        "</ul>\n</div>\n", base_path());
        return;
    }
    const char *corrected = hdx_results_corrected(res);
    hdx_buf_printf(b, "<ol class=\"results\" start=\"%ld\">\n",
                   (st->page - 1) * PER_PAGE + 1);
    for (size_t i = 0; i < n; i++)
        add_hit(b, res, i, corrected ? corrected : st->q, st->names,
                (st->page - 1) * PER_PAGE + (long)i + 1);
    hdx_buf_adds(b, "</ol>\n");
    pager(b, st, hdx_results_total(res));
}

static void search_page(hdx_buf *b, const search_state *st,
                        const hdx_results *res)
{
    hdx_buf title;
    hdx_buf_init(&title);
    results_heading(&title, st->q, false);
    web_page_begin(b, title.data, st->q);
    hdx_buf_clear(&title);
    hdx_buf_adds(b, "<div class=\"search-page\">\n<div class=\"search-head\">"
                    "\n<h1 id=\"results-h\">");
    results_heading(b, st->q, true);
    result_count(b, st, hdx_results_total(res));
    notices(b, st, res);
    hdx_buf_adds(b, "</div>\n<div class=\"search-cols\">\n"
                    "<div id=\"results\" aria-labelledby=\"results-h\">\n");
    results_list(b, st, res);
    hdx_buf_adds(b, "</div>\n");
    add_facets(b, res, st);
    hdx_buf_adds(b, "</div>\n");
    /* Shown when nothing matched; app.js reveals it after a live search
     * that finds nothing. */
    web_escalation(b, st->q, NULL, hdx_results_count(res) != 0 || !*st->q);
    hdx_buf_adds(b, "</div>\n");
    web_page_end(b);
}

void handle_page_search(request *r, reply *rep)
{
    search_state st;
    if (!search_parse(r, rep, &st))
        return;
    api_filter extra = {0};
    api_filter_products(&extra, st.product);
    api_filter_tags(&extra, st.tag);
    hdx_results *res = web_run_query(
        r, rep, st.q, &extra.f, *st.q ? HDX_SORT_RELEVANCE : HDX_SORT_UPDATED,
        true, (unsigned)((st.page - 1) * PER_PAGE), PER_PAGE);
    api_filter_clear(&extra);
    if (!res)
        return;
    hdx_browse *names = web_browse_load(r);
    st.names = names;
    hdx_buf b;
    hdx_buf_init(&b);
    search_page(&b, &st, res);
    reply_search note = api_search_note(res, st.page == 1);
    hdx_results_free(res);
    hdx_browse_free(names);
    web_reply_html(rep, 200, &b);
    rep->search = note;
    hdx_buf_clear(&b);
}
