/*
 * page.c - page shell, message pages and the escalation panel (page.h).
 */
#include "page.h"
#include "base_path.h"

#include "record.h"

#include "assets.h"
#include "csrf.h"
#include "brand.h"
#include "contact.h"
#include "html.h"
#include "status.h"

#include <string.h>

/* An asset's fingerprinted URL, HTML-escaped. */
static void add_asset(hdx_buf *b, const char *name)
{
    hdx_buf url;
    hdx_buf_init(&url);
    asset_url(&url, name);
    web_esc(b, url.data);
    hdx_buf_clear(&url);
}

/* <meta name="description">, the canonical link and Open Graph. */
static void page_meta_tags(hdx_buf *b, const page_meta *m)
{
    if (m->description && *m->description) {
        hdx_buf_adds(b, "<meta name=\"description\" content=\"");
        web_esc(b, m->description);
        hdx_buf_adds(b, "\">\n");
    }
    if (m->url && *m->url) {
        hdx_buf_adds(b, "<link rel=\"canonical\" href=\"");
        web_esc(b, m->url);
        hdx_buf_adds(b, "\">\n<meta property=\"og:url\" content=\"");
        web_esc(b, m->url);
        hdx_buf_adds(b, "\">\n");
    }
    hdx_buf_adds(b, "<meta property=\"og:type\" content=\"");
    web_esc(b, m->og_type ? m->og_type : "website");
    hdx_buf_adds(b, "\">\n<meta property=\"og:title\" content=\"");
    web_esc(b, m->title);
    hdx_buf_adds(b, "\">\n");
    if (m->description && *m->description) {
        hdx_buf_adds(b, "<meta property=\"og:description\" content=\"");
        web_esc(b, m->description);
        hdx_buf_adds(b, "\">\n");
    }
    hdx_buf_adds(b, "<meta property=\"og:site_name\" content=\"");
    web_esc(b, brand_get()->product_name);
    hdx_buf_adds(b, " Help Center\">\n");
}

static _Thread_local const request *t_viewer;

void web_page_viewer(const request *r)
{
    t_viewer = r;
}

void web_audience_badge(hdx_buf *b, hdx_audience level)
{
    if (level == HDX_AUD_AGENT)
        hdx_buf_adds(b, "<span class=\"aud-badge\">Agents only</span>");
    else if (level > HDX_AUD_AGENT)
        hdx_buf_adds(b, "<span class=\"aud-badge aud-internal\">Internal "
                        "only</span>");
}

/* Who is reading, for a caller above public: name, level, the console,
 * and (signed in) the sign-out button. */
static void agent_bar(hdx_buf *b, const request *r)
{
    if (!r || r->level == HDX_AUD_PUBLIC)
        return;
    hdx_buf_adds(b, "<div class=\"agent-bar\" id=\"agent-bar\">"
                    "<span>Agent view: <strong>");
    web_esc(b, r->caller);
    hdx_buf_adds(b, "</strong> (");
    web_esc(b, hdx_audience_name(r->level));
    hdx_buf_adds(b, ")</span> <a href=\"");
    base_url(b, "/agent/console\">Known-issue console</a>");
    if (r->signed_in) {
        hdx_buf_adds(b, " <form method=\"post\" action=\"");
        base_url(b, "/signout\">");
        csrf_field(b, r->csrf);
        hdx_buf_adds(b, "<button type=\"submit\">Sign out</button></form>");
    }
    hdx_buf_adds(b, "</div>\n");
}

void web_page_begin(hdx_buf *b, const char *title, const char *q)
{
    web_page_begin_meta(b, title, q, NULL);
}

void web_page_begin_meta(hdx_buf *b, const char *title, const char *q,
                         const page_meta *meta)
{
    const web_brand *br = brand_get();
    hdx_buf_adds(b, "<!doctype html>\n<html lang=\"en\">\n<head>\n"
                    "<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, "
                    "initial-scale=1\">\n<title>");
    if (title && *title) {
        web_esc(b, title);
        hdx_buf_adds(b, " · ");
    }
    web_esc(b, br->product_name);
    hdx_buf_adds(b, " Help Center</title>\n");
    if (meta)
        page_meta_tags(b, meta);
    hdx_buf_adds(b, "<link rel=\"stylesheet\" href=\"");
    add_asset(b, "style.css");
    hdx_buf_adds(b, "\">\n<link rel=\"stylesheet\" href=\"");
    base_url(b, "/assets/theme.css\">\n<link rel=\"icon\" href=\"");
    add_asset(b, br->logo);
    hdx_buf_adds(b, "\">\n<script src=\"");
    add_asset(b, "app.js");
    hdx_buf_adds(b, "\" defer></script>\n");
    if (record_on()) { /* app.js reports clicks there (web_go.h) */
        hdx_buf_adds(b, "<meta name=\"hdx-events\" content=\"");
        base_url(b, "/api/events?source=web\">\n");
    }
    if (*base_path()) { /* app.js's endpoints are under it (base_path.h) */
        hdx_buf_adds(b, "<meta name=\"hdx-base\" content=\"");
        base_url(b, "\">\n");
    }
    hdx_buf_adds(b, "</head>\n<body>\n"
                    "<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
                    "<header class=\"site\">\n<div class=\"bar\">\n"
                    "<a class=\"brand\" href=\"");
    base_url(b, "/\"><img src=\"");
    add_asset(b, br->logo);
    hdx_buf_adds(b, "\" alt=\"\" width=\"32\" height=\"32\"><span>");
    web_esc(b, br->product_name);
    hdx_buf_adds(b, " <span class=\"brand-sub\">Help Center</span></span></a>\n");
    if (q) {
        hdx_buf_adds(b,
                     "<form class=\"search search-small\" role=\"search\" "
                     "action=\"");
        base_url(b, "/search\" method=\"get\">\n"
                     "<label for=\"q\" class=\"visually-hidden\">Search the "
                     "help center</label>\n"
                     "<input id=\"q\" name=\"q\" type=\"search\" "
                     "autocomplete=\"off\" maxlength=\"1024\" "
                     "placeholder=\"Search for answers\" value=\"");
        web_esc(b, q);
        hdx_buf_adds(b, "\">\n<button type=\"submit\">Search</button>\n"
                        "</form>\n");
    }
    hdx_buf_adds(b, "</div>\n");
    agent_bar(b, t_viewer);
    hdx_buf_adds(b, "</header>\n<main id=\"main\" tabindex=\"-1\">\n");
}

void web_page_end(hdx_buf *b)
{
    const web_brand *br = brand_get();
    hdx_buf_adds(b, "</main>\n<footer class=\"site\">\n<p>");
    web_esc(b, br->product_name);
    hdx_buf_adds(b, " Help Center · <a href=\"");
    base_url(b, "/\">Home</a> · <a href=\"");
    base_url(b, "/search\">All articles</a>");
    if (br->support_url || br->support_email) { /* contact.h */
        hdx_buf_adds(b, " · <a href=\"");
        base_url(b, "/contact\">Contact support</a>");
    }
    if (!t_viewer || t_viewer->level == HDX_AUD_PUBLIC) {
        hdx_buf_adds(b, " · <a href=\"");
        base_url(b, "/signin\">Agent sign-in</a>");
    }
    hdx_buf_adds(b, "</p>\n</footer>\n</body>\n</html>\n");
}

void web_reply_html(reply *rep, int status, hdx_buf *b)
{
    reply_take_buf(rep, status, "text/html; charset=utf-8", b);
    reply_header(rep, "Content-Security-Policy", WEB_CSP);
    reply_header(rep, "X-Frame-Options", "DENY");
}

void web_reply_message(reply *rep, int status, const char *heading,
                       const char *message)
{
    hdx_buf b;
    hdx_buf_init(&b);
    web_page_begin(&b, heading, "");
    hdx_buf_adds(&b, "<div class=\"narrow message\">\n<h1>");
    web_esc(&b, heading);
    hdx_buf_adds(&b, "</h1>\n<p>");
    web_esc(&b, message);
    hdx_buf_adds(&b, "</p>\n<p><a href=\"");
    base_url(&b, "/\">Go to the help center home</a></p>\n</div>\n");
    web_page_end(&b);
    web_reply_html(rep, status, &b);
    hdx_buf_clear(&b);
}

void web_reply_status(reply *rep, hdx_status st, const hdx_error *err)
{
    const status_info *s = status_info_of(st);
    status_log(st, err);
    web_reply_message(rep, s->http, s->heading ? s->heading : "",
                      s->text ? s->text : "");
    if (s->retry)
        reply_header(rep, "Retry-After", "1");
}

void web_escalation(hdx_buf *b, const char *query, const char *article_id,
                    bool hidden)
{
    const web_brand *br = brand_get();
    hdx_buf_adds(b, "<section class=\"escalate\" id=\"escalate\" "
                    "aria-labelledby=\"escalate-h\"");
    if (hidden)
        hdx_buf_adds(b, " hidden");
    hdx_buf_adds(b, ">\n<h2 id=\"escalate-h\">Still need help?</h2>\n");
    if (!br->support_url && !br->support_email) {
        contact_no_channel(b);
        hdx_buf_adds(b, "</section>\n");
        return;
    }
    hdx_buf_adds(b, "<p>Our support team can take it from here. We pass on "
                    "what you searched for and read, so you don't have to "
                    "repeat yourself.</p>\n");
    /* The contact page (contact.h), pre-filled: every value URL-encoded,
     * then the whole HTML-escaped. */
    hdx_buf link;
    hdx_buf_init(&link);
    base_url(&link, "/contact");
    char sep = '?';
    if (query && *query) {
        hdx_buf_adds(&link, "?q=");
        web_urlenc(&link, query);
        sep = '&';
    }
    if (article_id && *article_id) {
        hdx_buf_addc(&link, sep);
        hdx_buf_adds(&link, "articles=");
        web_urlenc(&link, article_id);
    }
    hdx_buf_adds(b, "<p><a class=\"button\" id=\"escalate-link\" href=\"");
    web_esc(b, link.data);
    hdx_buf_adds(b, "\" data-kind=\"contact\">Contact support</a></p>\n"
                    "</section>\n");
    hdx_buf_clear(&link);
}
