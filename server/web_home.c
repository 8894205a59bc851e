/*
 * web_home.c - the help center's home page (/): the search box, the
 * categories and products the caller can see and the recently updated
 * articles.
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

#include "hdx/alloc.h"
#include "hdx/sections.h"
#include "hdx/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_RECENT 6

static void hero_form(hdx_buf *b)
{
    hdx_buf_adds(b,
                 "<section class=\"hero\">\n<h1>How can we help?</h1>\n"
                 "<form class=\"search search-big\" role=\"search\" "
                 "action=\"");
    base_url(b, "/search\" method=\"get\">\n"
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
        web_run_query(r, rep, "", NULL, HDX_SORT_UPDATED, true, 0, N_RECENT);
    if (!res)
        return;
    hdx_buf b;
    hdx_buf_init(&b);
    web_page_begin(&b, NULL, NULL);
    hero_form(&b);
    hdx_buf_adds(&b, "<div class=\"home\">\n");
    hdx_browse *t = web_browse_load(r);
    web_browse_home(&b, r, t);
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
        hdx_buf_adds(&b, "<li><a class=\"card\" href=\"");
        base_url(&b, "/search?product=");
        web_url_attr(&b, value);
        hdx_buf_adds(&b, "\"><span class=\"card-title\">");
        char *name = hdx_browse_name(t, HDX_BROWSE_PRODUCT, value, NULL);
        web_esc(&b, name);
        free(name);
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
        web_article_href(&b, web_hstr(d.hdr, "id"));
        hdx_buf_adds(&b, "\">");
        web_esc(&b, web_hstr(d.hdr, "title"));
        hdx_buf_adds(&b, "</a>");
        if (web_hstr(d.hdr, "summary")) {
            hdx_buf_adds(&b, "<p>");
            web_esc(&b, web_hstr(d.hdr, "summary"));
            hdx_buf_adds(&b, "</p>");
        }
        hdx_buf_adds(&b, "<p class=\"meta\">");
        if (web_hstr(d.hdr, "product")) {
            char *name = hdx_browse_name(t, HDX_BROWSE_PRODUCT,
                                         web_hstr(d.hdr, "product"), NULL);
            web_esc(&b, name);
            free(name);
        }
        if (web_hstr(d.hdr, "updated")) {
            hdx_buf_adds(&b, " · Updated ");
            web_add_date(&b, web_hstr(d.hdr, "updated"));
        }
        hdx_buf_adds(&b, "</p></li>\n");
        docdata_clear(&d);
    }
    hdx_buf_adds(&b, "</ul>\n<p><a href=\"");
    base_url(&b, "/search\">See all articles</a></p>\n</section>\n</div>\n");
    hdx_results_free(res);
    hdx_browse_free(t);
    web_page_end(&b);
    web_reply_html(rep, 200, &b);
    hdx_buf_clear(&b);
}
