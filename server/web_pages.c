/*
 * web_pages.c - the help center's HTML pages: home (/), search (/search)
 * and article (/a/{id}).  Server-rendered so they work without JavaScript;
 * web/app.js enhances them.  Every query goes through libhelpdex with the
 * caller's level (api_opts), exactly as the JSON API does, and every piece
 * of text is HTML-escaped; the only HTML taken as is comes from the
 * library's snippets (escaped, with <mark>) and cmark's safe-mode output.
 */
#include "web_pages.h"

#include "api.h"
#include "feedback_store.h"
#include "html.h"
#include "page.h"
#include "render.h"
#include "status.h"

#include "hdx/alloc.h"
#include "hdx/sections.h"
#include "hdx/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PER_PAGE 10
#define MAX_PAGE 1000
#define N_RECENT 6
#define N_RELATED 5
#define MIN_TOC_SECTIONS 4

/* The help center shows articles and FAQs (incidents are for agents). */
#define WEB_TYPES (HDX_TYPE_BIT(HDX_TYPE_ARTICLE) | HDX_TYPE_BIT(HDX_TYPE_FAQ))

/* ---- small helpers ------------------------------------------------------ */

static const char *hstr(json_t *hdr, const char *key)
{
    return json_string_value(json_object_get(hdr, key));
}

/* "2026-01-19" → "19 January 2026" (as is when it does not parse). */
static void add_date(hdx_buf *b, const char *ymd)
{
    static const char *const months[] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    int y, m, d;
    if (!ymd)
        return;
    hdx_buf_adds(b, "<time datetime=\"");
    web_esc(b, ymd);
    hdx_buf_adds(b, "\">");
    if (strlen(ymd) == 10 && sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d) == 3 &&
        m >= 1 && m <= 12 && d >= 1 && d <= 31)
        hdx_buf_printf(b, "%d %s %d", d, months[m - 1], y);
    else
        web_esc(b, ymd);
    hdx_buf_adds(b, "</time>");
}

/*
 * Run `q` for this caller over articles and FAQs (plus `extra` filters,
 * or NULL).
 * NULL on failure, with the reply set to an error page.
 */
static hdx_results *run_query(request *r, reply *rep, const char *q,
                              const hdx_filter *extra, hdx_sort sort,
                              bool facets, unsigned offset, unsigned limit)
{
    hdx_error err;
    hdx_error_clear(&err);
    hdx_query_opts o = api_opts(r);
    if (extra)
        o.filter = *extra;
    o.filter.types = WEB_TYPES;
    o.sort = sort;
    o.facets = facets;
    o.spelling = *q != '\0';
    hdx_status st;
    hdx_query *query = NULL;
    hdx_results *res = NULL;
    hdx_db *db = api_db(r, &st, &err);
    if (db)
        st = hdx_query_parse(db, q, &o, &query, &err);
    if (st == HDX_OK)
        st = hdx_query_run(query, offset, limit, &res, &err);
    hdx_query_free(query);
    if (st != HDX_OK)
        web_reply_status(rep, st, &err);
    return res;
}

/* ---- home --------------------------------------------------------------- */

static void hero_form(hdx_buf *b)
{
    hdx_buf_adds(b,
                 "<section class=\"hero\">\n<h1>How can we help?</h1>\n"
                 "<form class=\"search search-big\" role=\"search\" "
                 "action=\"/search\" method=\"get\">\n"
                 "<label for=\"q\" class=\"visually-hidden\">Search the help "
                 "center</label>\n"
                 "<input id=\"q\" name=\"q\" type=\"search\" "
                 "autocomplete=\"off\" maxlength=\"1024\" "
                 "placeholder=\"Search, e.g. reset "
                 "password\">\n"
                 "<button type=\"submit\">Search</button>\n</form>\n"
                 "</section>\n");
}

void handle_page_home(request *r, reply *rep)
{
    hdx_results *res =
        run_query(r, rep, "", NULL, HDX_SORT_UPDATED, true, 0, N_RECENT);
    if (!res)
        return;
    hdx_buf b;
    hdx_buf_init(&b);
    web_page_begin(&b, NULL, NULL);
    hero_form(&b);
    hdx_buf_adds(&b, "<div class=\"home\">\n");
    /* Products as entry points. */
    bool any = false;
    for (size_t k = 0; k < hdx_results_n_facets(res); k++) {
        const char *facet, *value;
        unsigned count;
        hdx_results_facet(res, k, &facet, &value, &count);
        if (strcmp(facet, "product") != 0)
            continue;
        if (!any)
            hdx_buf_adds(&b, "<section aria-labelledby=\"products-h\">\n"
                             "<h2 id=\"products-h\">Browse by product</h2>\n"
                             "<ul class=\"cards\">\n");
        any = true;
        hdx_buf_adds(&b, "<li><a class=\"card\" href=\"/search?product=");
        web_url_attr(&b, value);
        hdx_buf_adds(&b, "\"><span class=\"card-title\">");
        web_product_label(&b, value);
        hdx_buf_printf(&b, "</span><span class=\"card-meta\">%u article%s"
                           "</span></a></li>\n",
                       count, count == 1 ? "" : "s");
    }
    if (any)
        hdx_buf_adds(&b, "</ul>\n</section>\n");
    hdx_buf_adds(&b, "<section aria-labelledby=\"recent-h\">\n"
                     "<h2 id=\"recent-h\">Recently updated</h2>\n"
                     "<ul class=\"list\">\n");
    for (size_t i = 0; i < hdx_results_count(res); i++) {
        docdata d;
        if (!docdata_parse(res, i, &d))
            continue;
        hdx_buf_adds(&b, "<li><a href=\"");
        hdx_buf url;
        hdx_buf_init(&url);
        web_article_path(&url, hstr(d.hdr, "id"));
        web_esc(&b, url.data);
        hdx_buf_clear(&url);
        hdx_buf_adds(&b, "\">");
        web_esc(&b, hstr(d.hdr, "title"));
        hdx_buf_adds(&b, "</a>");
        if (hstr(d.hdr, "summary")) {
            hdx_buf_adds(&b, "<p>");
            web_esc(&b, hstr(d.hdr, "summary"));
            hdx_buf_adds(&b, "</p>");
        }
        hdx_buf_adds(&b, "<p class=\"meta\">");
        web_product_label(&b, hstr(d.hdr, "product"));
        if (hstr(d.hdr, "updated")) {
            hdx_buf_adds(&b, " · Updated ");
            add_date(&b, hstr(d.hdr, "updated"));
        }
        hdx_buf_adds(&b, "</p></li>\n");
        docdata_clear(&d);
    }
    hdx_buf_adds(&b, "</ul>\n<p><a href=\"/search\">See all articles</a></p>\n"
                     "</section>\n</div>\n");
    hdx_results_free(res);
    web_page_end(&b);
    web_reply_html(rep, 200, &b);
    hdx_buf_clear(&b);
}

/* ---- search ------------------------------------------------------------- */

typedef struct search_state {
    const char *q, *product, *tag;
    long page;
} search_state;

/* Append the /search URL for `s` with one field changed (NULL: keep). */
static void search_url(hdx_buf *out, const search_state *s, const char *q,
                       const char *product, const char *tag, long page)
{
    hdx_buf u;
    hdx_buf_init(&u);
    hdx_buf_adds(&u, "/search");
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
                    const char *q)
{
    docdata d;
    if (!docdata_parse(res, i, &d))
        return;
    size_t off = 0;
    char *snip = api_snippet(res, &d, 0, d.text_len, &off);
    const char *title = hstr(d.hdr, "title");
    /* The section the snippet is from (as /api/search names it). */
    const char *sec_heading = NULL, *sec_anchor = NULL;
    hdx_section_ref s;
    if (api_hit_section(&d, off, title, &s)) {
        sec_heading = s.heading;
        sec_anchor = s.anchor;
    }
    hdx_buf url;
    hdx_buf_init(&url);
    web_article_path(&url, hstr(d.hdr, "id"));
    if (q && *q) {
        hdx_buf_adds(&url, "?q=");
        web_urlenc(&url, q);
    }
    if (sec_anchor && *sec_anchor) {
        hdx_buf_addc(&url, '#');
        web_urlenc(&url, sec_anchor);
    }
    hdx_buf_adds(b, "<li class=\"hit\">\n<h2><a href=\"");
    web_esc(b, url.data);
    hdx_buf_adds(b, "\">");
    web_esc(b, title);
    hdx_buf_adds(b, "</a></h2>\n<p class=\"meta\">");
    web_product_label(b, hstr(d.hdr, "product"));
    if (!strcmp(hstr(d.hdr, "type") ? hstr(d.hdr, "type") : "", "faq"))
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
                web_product_label(b, value);
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
                         http_arg(r, "tag"), 1};
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
            web_product_label(b, st->product);
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
        hdx_buf_adds(b, "<div class=\"empty\" id=\"no-results\">\n"
                        "<h2>We couldn't find a matching article</h2>\n"
                        "<ul>\n<li>Check the spelling, or use fewer or more "
                        "general words.</li>\n<li>Search for the exact "
                        "error message you see.</li>\n<li><a "
                        "href=\"/\">Browse articles by product</a>.</li>\n"
                        "</ul>\n</div>\n");
        return;
    }
    const char *corrected = hdx_results_corrected(res);
    hdx_buf_printf(b, "<ol class=\"results\" start=\"%ld\">\n",
                   (st->page - 1) * PER_PAGE + 1);
    for (size_t i = 0; i < n; i++)
        add_hit(b, res, i, corrected ? corrected : st->q);
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
    hdx_results *res = run_query(
        r, rep, st.q, &extra.f, *st.q ? HDX_SORT_RELEVANCE : HDX_SORT_UPDATED,
        true, (unsigned)((st.page - 1) * PER_PAGE), PER_PAGE);
    api_filter_clear(&extra);
    if (!res)
        return;
    hdx_buf b;
    hdx_buf_init(&b);
    search_page(&b, &st, res);
    hdx_results_free(res);
    web_reply_html(rep, 200, &b);
    hdx_buf_clear(&b);
}

/* ---- article ------------------------------------------------------------ */

/* Does table record i (heading s) belong in the table of contents?  Not
 * the untitled start, not a heading that repeats the title. */
static bool toc_wants(size_t i, const hdx_section_ref *s, const char *title)
{
    return i > 0 && *s->heading && *s->anchor &&
           !(title && !strcmp(s->heading, title));
}

/* Count and print the table of contents. */
static size_t toc_entries(const docdata *d, const char *title)
{
    size_t pos = 0, i = 0, n = 0;
    hdx_section_ref s;
    while (hdx_sections_next(d->sections, d->sections_len, &pos, &s))
        n += toc_wants(i++, &s, title);
    return n;
}

static void add_toc(hdx_buf *b, const docdata *d, const char *title)
{
    hdx_buf_adds(b, "<nav class=\"toc\" aria-labelledby=\"toc-h\">\n"
                    "<h2 id=\"toc-h\">On this page</h2>\n<ol>\n");
    size_t pos = 0, i = 0;
    hdx_section_ref s;
    while (hdx_sections_next(d->sections, d->sections_len, &pos, &s)) {
        if (!toc_wants(i++, &s, title))
            continue;
        hdx_buf_adds(b, "<li><a href=\"#");
        web_url_attr(b, s.anchor);
        hdx_buf_adds(b, "\">");
        web_esc(b, s.heading);
        hdx_buf_adds(b, "</a></li>\n");
    }
    hdx_buf_adds(b, "</ol>\n</nav>\n");
}

/* The rendered body without a leading <h1> (the page has its own). */
static const char *skip_h1(const char *html)
{
    while (*html == '\n')
        html++;
    if (strncmp(html, "<h1", 3) != 0)
        return html;
    const char *end = strstr(html, "</h1>");
    if (!end)
        return html;
    end += 5;
    while (*end == '\n')
        end++;
    return end;
}

static void add_related(hdx_buf *b, const request *r, const char *id)
{
    if (!r->db)
        return;
    hdx_query_opts o = api_opts(r);
    o.filter.types = WEB_TYPES;
    hdx_query *q = NULL;
    hdx_results *res = NULL;
    if (hdx_query_related(r->db, id, &o, &q, NULL) != HDX_OK ||
        hdx_query_run(q, 0, N_RELATED, &res, NULL) != HDX_OK ||
        hdx_results_count(res) == 0) {
        hdx_results_free(res);
        hdx_query_free(q);
        return;
    }
    hdx_buf_adds(b, "<section class=\"related\" aria-labelledby=\"rel-h\">\n"
                    "<h2 id=\"rel-h\">Related articles</h2>\n<ul>\n");
    for (size_t i = 0; i < hdx_results_count(res); i++) {
        docdata d;
        if (!docdata_parse(res, i, &d))
            continue;
        hdx_buf url;
        hdx_buf_init(&url);
        web_article_path(&url, hstr(d.hdr, "id"));
        hdx_buf_adds(b, "<li><a href=\"");
        web_esc(b, url.data);
        hdx_buf_adds(b, "\">");
        web_esc(b, hstr(d.hdr, "title"));
        hdx_buf_adds(b, "</a></li>\n");
        hdx_buf_clear(&url);
        docdata_clear(&d);
    }
    hdx_buf_adds(b, "</ul>\n</section>\n");
    hdx_results_free(res);
    hdx_query_free(q);
}

static void add_feedback(hdx_buf *b, const char *id, const char *q,
                         const char *given)
{
    hdx_buf_adds(b, "<section class=\"feedback\" aria-labelledby=\"fb-h\">\n"
                    "<h2 id=\"fb-h\">Was this article helpful?</h2>\n");
    if (given && (!strcmp(given, "yes") || !strcmp(given, "no"))) {
        hdx_buf_adds(b, "<p class=\"thanks\" id=\"feedback-status\" "
                        "role=\"status\">");
        hdx_buf_adds(b, !strcmp(given, "yes")
                            ? "Thanks for letting us know!"
                            : "Thanks for your feedback. We'll use it to "
                              "improve this article.");
        hdx_buf_adds(b, "</p>\n</section>\n");
        return;
    }
    hdx_buf_adds(b, "<form id=\"feedback-form\" method=\"post\" "
                    "action=\"/api/feedback\">\n"
                    "<input type=\"hidden\" name=\"article\" value=\"");
    web_esc(b, id);
    hdx_buf_adds(b, "\">\n");
    if (q && *q) {
        /* The store keeps at most FEEDBACK_MAX_QUERY bytes of it. */
        char *clipped = hdx_xstrndup(
            q, hdx_text_clip(q, strlen(q), FEEDBACK_MAX_QUERY));
        hdx_buf_adds(b, "<input type=\"hidden\" name=\"query\" value=\"");
        web_esc(b, clipped);
        hdx_buf_adds(b, "\">\n");
        free(clipped);
    }
    hdx_buf_adds(b,
                 "<details>\n<summary>Add a comment (optional)</summary>\n"
                 "<label for=\"fb-comment\">What were you looking for? "
                 "Please don't include personal details.</label>\n"
                 "<textarea id=\"fb-comment\" name=\"comment\" rows=\"3\" "
                 "maxlength=\"1000\"></textarea>\n</details>\n"
                 "<div class=\"fb-buttons\">\n"
                 "<button type=\"submit\" name=\"helpful\" value=\"yes\">"
                 "Yes</button>\n"
                 "<button type=\"submit\" name=\"helpful\" value=\"no\">"
                 "No</button>\n</div>\n</form>\n"
                 "<p class=\"thanks\" id=\"feedback-status\" role=\"status\" "
                 "hidden></p>\n</section>\n");
}

/* The page for an article that cannot be shown: a redirect for a
 * "page.md" link between articles, else one answer for "does not exist"
 * and "not for you", else the status table's page. */
static void article_missing(reply *rep, const char *id, hdx_status st,
                            const hdx_error *err)
{
    size_t n = strlen(id);
    if (st == HDX_ENOTFOUND && n > 3 && !strcmp(id + n - 3, ".md") &&
        !strstr(id, "..")) {
        char *bare = hdx_xstrndup(id, n - 3);
        hdx_buf loc;
        hdx_buf_init(&loc);
        web_article_path(&loc, bare);
        free(bare);
        web_reply_message(rep, 301, "Moved", "This article has moved.");
        reply_header(rep, "Location", loc.data);
        hdx_buf_clear(&loc);
    } else if (st == HDX_ENOTFOUND || st == HDX_EINVAL || st == HDX_EQUERY) {
        web_reply_message(rep, 404, "Article not found",
                          "We couldn't find that article. It may have "
                          "been moved or removed; try searching for it.");
    } else {
        web_reply_status(rep, st, err);
    }
}

/* Home › product › search results. */
static void crumbs(hdx_buf *b, const char *product, const char *q)
{
    hdx_buf_adds(b, "<nav class=\"crumbs\" aria-label=\"Breadcrumb\">\n<ol>\n"
                    "<li><a href=\"/\">Home</a></li>\n");
    if (product) {
        hdx_buf_adds(b, "<li><a href=\"/search?product=");
        web_url_attr(b, product);
        hdx_buf_adds(b, "\">");
        web_product_label(b, product);
        hdx_buf_adds(b, "</a></li>\n");
    }
    if (q && *q) {
        hdx_buf_adds(b, "<li><a href=\"/search?q=");
        web_url_attr(b, q);
        hdx_buf_adds(b, "\">Search results</a></li>\n");
    }
    hdx_buf_adds(b, "</ol>\n</nav>\n");
}

/* The <article> element: heading, date, contents, body. */
static void article_body(hdx_buf *b, const hdx_results *res,
                         const docdata *d)
{
    const char *title = hstr(d->hdr, "title");
    char *md = hdx_results_markdown(res, 0);
    char *html = render_markdown(md, d->sections, d->sections_len);
    free(md);
    hdx_buf_adds(b, "<article class=\"article\" data-id=\"");
    web_esc(b, hstr(d->hdr, "id"));
    hdx_buf_adds(b, "\">\n<header>\n<h1>");
    web_esc(b, title);
    hdx_buf_adds(b, "</h1>\n");
    if (hstr(d->hdr, "updated")) {
        hdx_buf_adds(b, "<p class=\"meta\">Last updated ");
        add_date(b, hstr(d->hdr, "updated"));
        hdx_buf_adds(b, "</p>\n");
    }
    hdx_buf_adds(b, "</header>\n");
    if (toc_entries(d, title) >= MIN_TOC_SECTIONS)
        add_toc(b, d, title);
    hdx_buf_adds(b, "<div class=\"body\">\n");
    hdx_buf_adds(b, skip_h1(html)); /* cmark safe mode */
    hdx_buf_adds(b, "</div>\n</article>\n");
    free(html);
}

void handle_page_article(request *r, reply *rep)
{
    const char *q = http_arg(r, "q");
    if (q && (strlen(q) > MAX_QUERY_BYTES ||
              !hdx_text_valid_utf8(q, strlen(q), NULL)))
        q = NULL;
    const char *given = http_arg(r, "feedback");
    hdx_error err;
    hdx_error_clear(&err);
    hdx_results *res = NULL;
    hdx_status st = api_fetch(r, r->id, 0, &res, &err);
    docdata d;
    if (st == HDX_OK && !docdata_parse(res, 0, &d))
        st = hdx_error_set(&err, HDX_EINTERNAL, __func__, "unreadable data");
    if (st != HDX_OK) {
        hdx_results_free(res);
        article_missing(rep, r->id, st, &err);
        return;
    }
    const char *aid = hstr(d.hdr, "id");
    hdx_buf b;
    hdx_buf_init(&b);
    web_page_begin(&b, hstr(d.hdr, "title"), q ? q : "");
    crumbs(&b, hstr(d.hdr, "product"), q);
    hdx_buf_adds(&b, "<div class=\"article-page\">\n");
    article_body(&b, res, &d);
    hdx_buf_adds(&b, "<div class=\"after\">\n");
    add_feedback(&b, aid, q, given);
    web_escalation(&b, q, aid, !(given && !strcmp(given, "no")));
    add_related(&b, r, aid);
    hdx_buf_adds(&b, "</div>\n</div>\n");
    web_page_end(&b);
    web_reply_html(rep, 200, &b);
    hdx_buf_clear(&b);
    docdata_clear(&d);
    hdx_results_free(res);
}
