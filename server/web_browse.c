/*
 * web_browse.c - category and section pages, the home page's category
 * list, breadcrumbs, "more in this section" and old-URL redirects (see
 * web_browse.h).  Names and order come from the index's browse table;
 * what exists and how many articles it holds come only from queries at
 * the caller's level.
 */
#include "web_browse.h"
#include "base_path.h"

#include "browse_list.h"

#include "api.h"
#include "html.h"
#include "page.h"
#include "web_common.h"

#include "hdx/alloc.h"
#include "hdx/schema.h"
#include "hdx/text.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define N_MORE 5 /* "more in this section" links */

hdx_browse *web_browse_load(const request *r)
{
    char *json = NULL;
    if (r->db)
        hdx_db_meta_get(r->db, HDX_META_BROWSE, &json, NULL);
    hdx_browse *t = hdx_browse_parse(json);
    free(json);
    return t;
}

void web_browse_product(hdx_buf *b, const hdx_browse *t, const char *product)
{
    if (!product || !*product)
        return;
    char *name = hdx_browse_name(t, HDX_BROWSE_PRODUCT, product, NULL);
    web_esc(b, name);
    free(name);
}

static void article_link(hdx_buf *b, const char *id, const char *title)
{
    hdx_buf_adds(b, "<a href=\"");
    web_article_href(b, id);
    hdx_buf_adds(b, "\">");
    web_esc(b, title);
    hdx_buf_adds(b, "</a>");
}

static void items_html(hdx_buf *b, const browse_item *it, size_t n)
{
    hdx_buf_adds(b, "<ul class=\"list\">\n");
    for (size_t i = 0; i < n; i++) {
        hdx_buf_adds(b, "<li>");
        article_link(b, it[i].id, it[i].title);
        if (it[i].summary) {
            hdx_buf_adds(b, "<p>");
            web_esc(b, it[i].summary);
            hdx_buf_adds(b, "</p>");
        }
        hdx_buf_adds(b, "</li>\n");
    }
    hdx_buf_adds(b, "</ul>\n");
}

/* ---- breadcrumbs -------------------------------------------------------- */

/* One BreadcrumbList item; href NULL: the current page. */
static void crumb(hdx_buf *b, int pos, const char *href, const char *name)
{
    hdx_buf_adds(b, "<li itemprop=\"itemListElement\" itemscope "
                    "itemtype=\"https://schema.org/ListItem\">");
    if (href) {
        hdx_buf_adds(b, "<a itemprop=\"item\" href=\"");
        web_esc(b, href);
        hdx_buf_adds(b, "\"><span itemprop=\"name\">");
    } else {
        hdx_buf_adds(b, "<span aria-current=\"page\"><span itemprop=\"name\">");
    }
    web_esc(b, name);
    hdx_buf_adds(b, href ? "</span></a>" : "</span></span>");
    hdx_buf_printf(b, "<meta itemprop=\"position\" content=\"%d\"></li>\n",
                   pos);
}

static void place_href(hdx_buf *out, const char *key)
{
    web_id_path(out, "/c/", key);
}

/* Home › category › section › here (each NULL: left out; the last one
 * given is the current page unless `here` is given). */
static void crumbs(hdx_buf *b, const hdx_browse *t, const char *cat,
                   const char *cat_label, const char *sec,
                   const char *sec_label, const char *here)
{
    hdx_buf_adds(b, "<nav class=\"crumbs\" aria-label=\"Breadcrumb\">\n"
                    "<ol itemscope "
                    "itemtype=\"https://schema.org/BreadcrumbList\">\n");
    int pos = 1;
    hdx_buf home;
    hdx_buf_init(&home);
    base_url(&home, "/");
    crumb(b, pos++, home.data, "Home");
    hdx_buf_clear(&home);
    const char *keys[2] = {cat, sec};
    const char *labels[2] = {cat_label, sec_label};
    for (int i = 0; i < 2; i++) {
        if (!keys[i])
            continue;
        bool last = !here && (i == 1 || !sec);
        hdx_buf href;
        hdx_buf_init(&href);
        place_href(&href, keys[i]);
        char *name =
            hdx_browse_name(t, i ? HDX_BROWSE_SECTION : HDX_BROWSE_CATEGORY,
                            keys[i], labels[i]);
        crumb(b, pos++, last ? NULL : href.data, name);
        free(name);
        hdx_buf_clear(&href);
    }
    if (here)
        crumb(b, pos, NULL, here);
    hdx_buf_adds(b, "</ol>\n</nav>\n");
}

void web_browse_crumbs(hdx_buf *b, const hdx_browse *t, json_t *hdr)
{
    crumbs(b, t, web_hstr(hdr, "category"), web_hstr(hdr, "category_label"),
           web_hstr(hdr, "section"), web_hstr(hdr, "section_label"),
           web_hstr(hdr, "title"));
}

/* ---- home -----------------------------------------------------------------
 */

void web_browse_home(hdx_buf *b, const request *r, const hdx_browse *t)
{
    browse_place_list l;
    if (browse_places(r, t, NULL, &l) != HDX_OK || l.n == 0) {
        browse_places_clear(&l);
        return;
    }
    hdx_buf_adds(b, "<section aria-labelledby=\"categories-h\">\n"
                    "<h2 id=\"categories-h\">Browse by category</h2>\n"
                    "<ul class=\"cards\">\n");
    for (size_t i = 0; i < l.n; i++) {
        hdx_buf href;
        hdx_buf_init(&href);
        place_href(&href, l.items[i].key);
        hdx_buf_adds(b, "<li><a class=\"card\" href=\"");
        web_esc(b, href.data);
        hdx_buf_adds(b, "\"><span class=\"card-title\">");
        web_esc(b, l.items[i].name);
        hdx_buf_printf(b,
                       "</span><span class=\"card-meta\">%u article%s"
                       "</span></a></li>\n",
                       l.items[i].count, l.items[i].count == 1 ? "" : "s");
        hdx_buf_clear(&href);
    }
    hdx_buf_adds(b, "</ul>\n</section>\n");
    browse_places_clear(&l);
}

/* ---- more in this section ------------------------------------------------ */

void web_browse_more(hdx_buf *b, const request *r, const hdx_browse *t,
                     json_t *hdr)
{
    const char *cat = web_hstr(hdr, "category");
    const char *sec = web_hstr(hdr, "section");
    const char *id = web_hstr(hdr, "id");
    if (!cat || !id)
        return;
    hdx_buf key;
    hdx_buf_init(&key);
    if (sec)
        hdx_buf_adds(&key, sec);
    else
        hdx_buf_printf(&key, "%s/", cat);
    reply scratch = {0};
    size_t n;
    bool failed;
    browse_item *it =
        browse_items((request *)r, &scratch, key.data, &n, &failed);
    reply_clear(&scratch);
    size_t self = n;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(it[i].id, id))
            self = i;
    if (n > 1) {
        char *name = hdx_browse_name(
            t, sec ? HDX_BROWSE_SECTION : HDX_BROWSE_CATEGORY, sec ? sec : cat,
            web_hstr(hdr, sec ? "section_label" : "category_label"));
        hdx_buf_adds(b, "<nav class=\"more\" aria-labelledby=\"more-h\">\n"
                        "<h2 id=\"more-h\">More in ");
        web_esc(b, name);
        hdx_buf_adds(b, "</h2>\n<ul>\n");
        size_t shown = 0;
        for (size_t k = 1; k < n && shown < N_MORE; k++) {
            size_t i = (self == n ? k - 1 : self + k) % n;
            hdx_buf_adds(b, "<li>");
            article_link(b, it[i].id, it[i].title);
            hdx_buf_adds(b, "</li>\n");
            shown++;
        }
        hdx_buf_adds(b, "</ul>\n<p><a href=\"");
        hdx_buf href;
        hdx_buf_init(&href);
        place_href(&href, sec ? sec : cat);
        web_esc(b, href.data);
        hdx_buf_clear(&href);
        hdx_buf_printf(b, "\">All %zu articles in ", n);
        web_esc(b, name);
        hdx_buf_adds(b, "</a></p>\n</nav>\n");
        free(name);
    }
    browse_items_free(it, n);
    hdx_buf_clear(&key);
}

/* ---- category and section pages ------------------------------------------ */

static void page_head(hdx_buf *b, const hdx_browse *t, hdx_browse_kind k,
                      const char *key, const char *name)
{
    hdx_buf_adds(b, "<header class=\"place-head\">\n<h1>");
    web_esc(b, name);
    hdx_buf_adds(b, "</h1>\n");
    const char *desc = hdx_browse_description(t, k, key);
    if (desc) {
        hdx_buf_adds(b, "<p class=\"lead\">");
        web_esc(b, desc);
        hdx_buf_adds(b, "</p>\n");
    }
    hdx_buf_adds(b, "</header>\n");
}

static void not_found(reply *rep)
{
    web_reply_message(rep, 404, "Page not found",
                      "We couldn't find that category or section. Try the "
                      "help center home or a search.");
}

/* /c/{category}: its sections with counts, then its own articles. */
static void category_page(request *r, reply *rep, const hdx_browse *t,
                          const char *cat)
{
    browse_place_list l;
    hdx_status st = browse_places(r, t, cat, &l);
    if (st != HDX_OK || l.n == 0) {
        browse_places_clear(&l);
        if (st != HDX_OK) {
            hdx_error err;
            hdx_error_set(&err, st, __func__, "cannot list the category");
            web_reply_status(rep, st, &err);
        } else {
            not_found(rep);
        }
        return;
    }
    hdx_buf b;
    hdx_buf_init(&b);
    /* A name a front matter gave, from a visible article there. */
    char *name =
        hdx_browse_name(t, HDX_BROWSE_CATEGORY, cat, l.items[0].cat_label);
    web_page_begin(&b, name, "");
    crumbs(&b, t, cat, l.items[0].cat_label, NULL, NULL, NULL);
    hdx_buf_adds(&b, "<div class=\"place-page\">\n");
    page_head(&b, t, HDX_BROWSE_CATEGORY, cat, name);
    bool any_section = false;
    for (size_t i = 0; i < l.n; i++)
        any_section = any_section || l.items[i].key[strlen(cat) + 1];
    if (any_section)
        hdx_buf_adds(&b, "<section aria-labelledby=\"sections-h\">\n"
                         "<h2 id=\"sections-h\">Sections</h2>\n"
                         "<ul class=\"cards\">\n");
    for (size_t i = 0; i < l.n; i++) {
        if (!l.items[i].key[strlen(cat) + 1])
            continue;
        hdx_buf href;
        hdx_buf_init(&href);
        place_href(&href, l.items[i].key);
        hdx_buf_adds(&b, "<li><a class=\"card\" href=\"");
        web_esc(&b, href.data);
        hdx_buf_adds(&b, "\"><span class=\"card-title\">");
        web_esc(&b, l.items[i].name);
        hdx_buf_printf(&b,
                       "</span><span class=\"card-meta\">%u article%s"
                       "</span></a></li>\n",
                       l.items[i].count, l.items[i].count == 1 ? "" : "s");
        hdx_buf_clear(&href);
    }
    if (any_section)
        hdx_buf_adds(&b, "</ul>\n</section>\n");
    hdx_buf own;
    hdx_buf_init(&own);
    hdx_buf_printf(&own, "%s/", cat);
    size_t n;
    bool failed;
    browse_item *it = browse_items(r, rep, own.data, &n, &failed);
    if (n) {
        hdx_buf_adds(&b, "<section aria-labelledby=\"articles-h\">\n"
                         "<h2 id=\"articles-h\">Articles</h2>\n");
        items_html(&b, it, n);
        hdx_buf_adds(&b, "</section>\n");
    }
    browse_items_free(it, n);
    hdx_buf_clear(&own);
    hdx_buf_adds(&b, "</div>\n");
    web_page_end(&b);
    web_reply_html(rep, 200, &b);
    hdx_buf_clear(&b);
    free(name);
    browse_places_clear(&l);
}

/* /c/{category}/{section}: its articles. */
static void section_page(request *r, reply *rep, const hdx_browse *t,
                         const char *cat, const char *sec)
{
    size_t n;
    bool failed;
    browse_item *it = browse_items(r, rep, sec, &n, &failed);
    if (failed)
        return;
    if (n == 0) {
        browse_items_free(it, n);
        not_found(rep);
        return;
    }
    char *name = hdx_browse_name(t, HDX_BROWSE_SECTION, sec, it[0].sec_label);
    hdx_buf b;
    hdx_buf_init(&b);
    web_page_begin(&b, name, "");
    crumbs(&b, t, cat, it[0].cat_label, sec, it[0].sec_label, NULL);
    hdx_buf_adds(&b, "<div class=\"place-page\">\n");
    page_head(&b, t, HDX_BROWSE_SECTION, sec, name);
    hdx_buf_printf(&b, "<p class=\"meta\">%zu article%s</p>\n", n,
                   n == 1 ? "" : "s");
    items_html(&b, it, n);
    hdx_buf_adds(&b, "</div>\n");
    web_page_end(&b);
    web_reply_html(rep, 200, &b);
    hdx_buf_clear(&b);
    free(name);
    browse_items_free(it, n);
}

void handle_page_category(request *r, reply *rep)
{
    const char *rest = r->id ? r->id : "";
    size_t len = strlen(rest);
    while (len && rest[len - 1] == '/')
        len--;
    char *key = hdx_xstrndup(rest, len);
    char *slash = strchr(key, '/');
    if (!*key || (slash && strchr(slash + 1, '/')) ||
        !hdx_text_valid_utf8(key, strlen(key), NULL)) {
        not_found(rep);
        free(key);
        return;
    }
    hdx_browse *t = web_browse_load(r);
    if (slash) {
        char *cat = hdx_xstrndup(key, (size_t)(slash - key));
        section_page(r, rep, t, cat, key);
        free(cat);
    } else {
        category_page(r, rep, t, key);
    }
    hdx_browse_free(t);
    free(key);
}

/* ---- old URLs ------------------------------------------------------------ */

bool web_browse_alias(const request *r, const char *path, hdx_buf *loc)
{
    char *key = hdx_browse_alias_key(path);
    bool found = false;
    hdx_status st;
    hdx_error err;
    hdx_db *db = *key ? api_db(r, &st, &err) : NULL;
    hdx_query_opts o = api_opts(r);
    o.filter.alias = key;
    hdx_query *q = NULL;
    hdx_results *res = NULL;
    if (db && hdx_query_parse(db, "", &o, &q, NULL) == HDX_OK &&
        hdx_query_run(q, 0, 1, &res, NULL) == HDX_OK &&
        hdx_results_count(res) == 1) {
        docdata d;
        if (docdata_parse(res, 0, &d) && web_hstr(d.hdr, "id")) {
            web_article_path(loc, web_hstr(d.hdr, "id"));
            found = true;
        }
        docdata_clear(&d);
    }
    hdx_results_free(res);
    hdx_query_free(q);
    free(key);
    return found;
}

void handle_alias(request *r, reply *rep)
{
    hdx_buf loc;
    hdx_buf_init(&loc);
    if (http_is_get(r) && hdx_text_valid_utf8(r->path, strlen(r->path), NULL) &&
        web_browse_alias(r, r->path, &loc)) {
        web_reply_message(rep, 301, "Moved", "This article has moved.");
        reply_header(rep, "Location", loc.data);
    } else {
        reply_error(rep, 404, "not_found", "no such endpoint: %s", r->path);
    }
    hdx_buf_clear(&loc);
}
