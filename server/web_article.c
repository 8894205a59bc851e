/*
 * web_article.c - the help center's article page (/a/{id}): the rendered
 * Markdown the caller may see (cmark-gfm safe mode), its table of contents,
 * related articles and the feedback form.
 */
#include "web_pages.h"
#include "base_path.h"

#include "api.h"
#include "feedback_store.h"
#include "record.h"
#include "html.h"
#include "page.h"
#include "render.h"
#include "status.h"
#include "web_browse.h"
#include "web_common.h"
#include "web_seo.h"

#include "hdx/alloc.h"
#include "hdx/sections.h"
#include "hdx/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_RELATED 5
#define MIN_TOC_SECTIONS 4

/* Does table record i (heading s, at `level`) belong in the table of
 * contents?  Not the untitled start, not a heading that repeats the
 * title, nothing below level 3. */
static bool toc_wants(size_t i, const hdx_section_ref *s, const char *title,
                      int level)
{
    return i > 0 && *s->heading && *s->anchor && level <= 3 &&
           !(title && !strcmp(s->heading, title));
}

/* The heading levels of the article, for the records of its table. */
typedef struct toc_levels {
    int *v;
    size_t n;
} toc_levels;

static int level_of(const toc_levels *lv, size_t record)
{
    /* Record 0 is the text before the first heading; a level-1 heading
     * that stays on the page is shown as level 2 (render.h). */
    int l = record > 0 && record - 1 < lv->n ? lv->v[record - 1] : 2;
    return l < 2 ? 2 : l;
}

/* Count the table of contents' entries. */
static size_t toc_entries(const docdata *d, const char *title,
                          const toc_levels *lv)
{
    size_t pos = 0, i = 0, n = 0;
    hdx_section_ref s;
    for (; hdx_sections_next(d->sections, d->sections_len, &pos, &s); i++)
        n += toc_wants(i, &s, title, level_of(lv, i));
    return n;
}

/* The table of contents: level-3 entries in a list under their level-2
 * entry; a <details> element, collapsed on phones by app.js. */
static void add_toc(hdx_buf *b, const docdata *d, const char *title,
                    const toc_levels *lv)
{
    hdx_buf_adds(b, "<nav class=\"toc\" aria-labelledby=\"toc-h\">\n"
                    "<details open>\n<summary><h2 id=\"toc-h\">On this page"
                    "</h2></summary>\n<ol>\n");
    size_t pos = 0, i = 0;
    bool item_open = false, sub_open = false;
    hdx_section_ref s;
    for (; hdx_sections_next(d->sections, d->sections_len, &pos, &s); i++) {
        int level = level_of(lv, i);
        if (!toc_wants(i, &s, title, level))
            continue;
        if (level == 3 && item_open && !sub_open) {
            hdx_buf_adds(b, "\n<ol>\n");
            sub_open = true;
        } else if (level == 2 || !item_open) {
            hdx_buf_adds(b, sub_open ? "</ol>\n</li>\n"
                                     : item_open ? "</li>\n" : "");
            sub_open = false;
            level = 2;
        }
        hdx_buf_adds(b, "<li><a href=\"#");
        web_url_attr(b, s.anchor);
        hdx_buf_adds(b, "\">");
        web_esc(b, s.heading);
        hdx_buf_adds(b, level == 3 ? "</a></li>\n" : "</a>");
        item_open = item_open || level == 2;
    }
    hdx_buf_adds(b, sub_open ? "</ol>\n</li>\n" : item_open ? "</li>\n" : "");
    hdx_buf_adds(b, "</ol>\n</details>\n</nav>\n");
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
        web_article_path(&url, web_hstr(d.hdr, "id"));
        web_li_link(b, url.data, web_hstr(d.hdr, "title"));
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
                    "action=\"");
    base_url(b, "/api/feedback\">\n"
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
static void article_missing(const request *r, reply *rep, const char *id,
                            hdx_status st, const hdx_error *err)
{
    size_t n = strlen(id);
    hdx_buf moved;
    hdx_buf_init(&moved);
    bool alias = st == HDX_ENOTFOUND && web_browse_alias(r, id, &moved);
    if (alias) { /* an old URL of an article: /a/<alias> */
        web_reply_message(rep, 301, "Moved", "This article has moved.");
        reply_header(rep, "Location", moved.data);
        hdx_buf_clear(&moved);
        return;
    }
    hdx_buf_clear(&moved);
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

/* For an agent: what in this page a customer cannot see. */
static void audience_banner(hdx_buf *b, json_t *hdr)
{
    const char *a = web_hstr(hdr, "audience"), *v = web_hstr(hdr, "version");
    int aud = a ? hdx_audience_parse(a) : -1;
    int ver = v ? hdx_audience_parse(v) : -1;
    if (aud > HDX_AUD_PUBLIC) {
        hdx_buf_adds(b, "<p class=\"aud-banner\" role=\"note\">");
        web_audience_badge(b, (hdx_audience)aud);
        hdx_buf_adds(b, " Customers cannot see this page: don't paste it "
                        "into a reply.</p>\n");
    } else if (ver > HDX_AUD_PUBLIC) {
        hdx_buf_adds(b, "<p class=\"aud-banner\" role=\"note\">");
        web_audience_badge(b, (hdx_audience)ver);
        hdx_buf_adds(b, " This page shows sections customers cannot see; "
                        "they are marked like this.</p>\n");
    }
}

/* The <article> element: heading, date, contents, body. */
static void article_body(hdx_buf *b, const request *r,
                         const hdx_results *res, const docdata *d)
{
    const char *title = web_hstr(d->hdr, "title");
    char *md = hdx_results_markdown(res, 0);
    char *html = api_render(r, d, md, true, title);
    hdx_buf_adds(b, "<article class=\"article\" data-id=\"");
    web_esc(b, web_hstr(d->hdr, "id"));
    hdx_buf_adds(b, "\">\n<header>\n<h1>");
    web_esc(b, title);
    hdx_buf_adds(b, "</h1>\n");
    if (web_hstr(d->hdr, "updated")) {
        hdx_buf_adds(b, "<p class=\"meta\">Last updated ");
        web_add_date(b, web_hstr(d->hdr, "updated"));
        hdx_buf_adds(b, "</p>\n");
    }
    audience_banner(b, d->hdr);
    hdx_buf_adds(b, "</header>\n");
    toc_levels lv;
    lv.v = render_heading_levels(md, &lv.n);
    if (toc_entries(d, title, &lv) >= MIN_TOC_SECTIONS)
        add_toc(b, d, title, &lv);
    free(lv.v);
    free(md);
    hdx_buf_adds(b, "<div class=\"body\">\n");
    hdx_buf_adds(b, html); /* cmark safe mode; no <h1> (render.h) */
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
        article_missing(r, rep, r->id, st, &err);
        return;
    }
    const char *aid = web_hstr(d.hdr, "id");
    hdx_buf b;
    hdx_buf_init(&b);
    hdx_buf canon, path;
    hdx_buf_init(&canon);
    hdx_buf_init(&path);
    web_article_path(&path, aid);
    seo_url(&canon, r, path.data);
    page_meta meta = {web_hstr(d.hdr, "title"), web_hstr(d.hdr, "summary"),
                      canon.data, "article"};
    web_page_begin_meta(&b, meta.title, q ? q : "", &meta);
    hdx_buf_clear(&canon);
    hdx_buf_clear(&path);
    hdx_browse *t = web_browse_load(r);
    web_browse_crumbs(&b, t, d.hdr);
    hdx_buf_adds(&b, "<div class=\"article-page\">\n");
    article_body(&b, r, res, &d);
    hdx_buf_adds(&b, "<div class=\"after\">\n");
    add_feedback(&b, aid, q, given);
    web_escalation(&b, q, aid, !(given && !strcmp(given, "no")));
    web_browse_more(&b, r, t, d.hdr);
    add_related(&b, r, aid);
    hdx_buf_adds(&b, "</div>\n</div>\n");
    hdx_browse_free(t);
    web_page_end(&b);
    web_reply_html(rep, 200, &b);
    record_view(r, rep, aid);
    hdx_buf_clear(&b);
    docdata_clear(&d);
    hdx_results_free(res);
}
