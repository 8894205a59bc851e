/*
 * web_seo.c - robots.txt, sitemaps and absolute URLs (see web_seo.h).
 *
 * The sitemap's query is built here rather than from the request (as
 * api_opts() does): a sitemap is for crawlers, so it is the public view
 * even when an agent's token comes with the request, never with drafts.
 * Parts are pages of one query in document order, stable for a revision.
 */
#include "web_seo.h"
#include "base_path.h"

#include "api.h"
#include "html.h"
#include "status.h"
#include "web_common.h"

#include "hdx/alloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XML_TYPE "application/xml; charset=utf-8"

static char *g_public_url;
static unsigned g_max_urls = SEO_MAX_URLS;

bool seo_open(const char *public_url, unsigned max_urls)
{
    if (max_urls)
        g_max_urls = max_urls;
    if (!public_url)
        return true;
    if (strncmp(public_url, "http://", 7) != 0 &&
        strncmp(public_url, "https://", 8) != 0) {
        fprintf(stderr, "helpdex-serve: --public-url: expected http:// or "
                        "https://..., got '%s'\n", public_url);
        return false;
    }
    g_public_url = hdx_xstrdup(public_url);
    size_t n = strlen(g_public_url);
    while (n > 8 && g_public_url[n - 1] == '/')
        g_public_url[--n] = '\0';
    return true;
}

void seo_close(void)
{
    free(g_public_url);
    g_public_url = NULL;
    g_max_urls = SEO_MAX_URLS;
}

/* A Host header fit to go into a URL: host or [v6], optional :port. */
static bool host_ok(const char *h)
{
    if (!h || !*h || strlen(h) > 255)
        return false;
    for (const char *p = h; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr(".-:[]", *p))
            return false;
    return true;
}

void seo_url(hdx_buf *b, const request *r, const char *path)
{
    const char *host = http_header(r, "Host");
    if (g_public_url) {
        /* It ends with the prefix already (options.c checks). */
        size_t n = strlen(base_path());
        if (n && !strncmp(path, base_path(), n))
            path += n;
        hdx_buf_adds(b, g_public_url);
    } else if (host_ok(host)) {
        hdx_buf_adds(b, "http://");
        hdx_buf_adds(b, host);
    }
    hdx_buf_adds(b, path);
}

void handle_robots(request *r, reply *rep)
{
    hdx_buf b;
    hdx_buf_init(&b);
    hdx_buf_adds(&b, "# The public help center may be crawled; the API and\n"
                     "# feedback endpoints are not pages.\n"
                     "User-agent: *\n");
    const char *base = base_path();
    hdx_buf_printf(&b, "Allow: %s/\n"
                       "Disallow: %s/api/\n"
                       "Disallow: %s/admin/\n"
                       "Disallow: %s/search?\n"
                       "\nSitemap: ", base, base, base, base);
    hdx_buf map;
    hdx_buf_init(&map);
    base_url(&map, "/sitemap.xml");
    seo_url(&b, r, map.data);
    hdx_buf_clear(&map);
    hdx_buf_adds(&b, "\n");
    reply_take_buf(rep, 200, "text/plain; charset=utf-8", &b);
}

/* Public, published articles and FAQs [offset, offset + limit). */
static hdx_results *public_articles(const request *r, reply *rep,
                                    unsigned offset, unsigned limit)
{
    hdx_query_opts o;
    memset(&o, 0, sizeof o);
    o.level = HDX_AUD_PUBLIC;
    o.drafts = false;
    o.filter.types = WEB_TYPES;
    o.sort = HDX_SORT_RELEVANCE;
    hdx_error err;
    hdx_error_clear(&err);
    hdx_status st;
    hdx_query *q = NULL;
    hdx_results *res = NULL;
    hdx_db *db = api_db(r, &st, &err);
    if (db)
        st = hdx_query_parse(db, "", &o, &q, &err);
    if (st == HDX_OK)
        st = hdx_query_run(q, offset, limit, &res, &err);
    hdx_query_free(q);
    if (st != HDX_OK)
        reply_status(rep, st, &err);
    return res;
}

/* A YYYY-MM-DD date (the only form lastmod gets). */
static bool ymd_ok(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* The <urlset> of articles [offset, offset + limit). */
static void urlset(request *r, reply *rep, unsigned offset, unsigned limit)
{
    hdx_results *res = public_articles(r, rep, offset, limit);
    if (!res)
        return;
    hdx_buf b, path;
    hdx_buf_init(&b);
    hdx_buf_init(&path);
    hdx_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset "
                     "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
                     "\n");
    for (size_t i = 0; i < hdx_results_count(res); i++) {
        docdata d;
        if (!docdata_parse(res, i, &d))
            continue;
        hdx_buf_reset(&path);
        web_article_path(&path, web_hstr(d.hdr, "id"));
        hdx_buf url;
        hdx_buf_init(&url);
        seo_url(&url, r, path.data);
        hdx_buf_adds(&b, "<url><loc>");
        web_esc(&b, url.data);
        hdx_buf_adds(&b, "</loc>");
        hdx_buf_clear(&url);
        const char *updated = web_hstr(d.hdr, "updated");
        if (ymd_ok(updated))
            hdx_buf_printf(&b, "<lastmod>%s</lastmod>", updated);
        hdx_buf_adds(&b, "</url>\n");
        docdata_clear(&d);
    }
    hdx_buf_adds(&b, "</urlset>\n");
    hdx_buf_clear(&path);
    hdx_results_free(res);
    reply_take_buf(rep, 200, XML_TYPE, &b);
}

void handle_sitemap(request *r, reply *rep)
{
    hdx_results *res = public_articles(r, rep, 0, 0);
    if (!res)
        return;
    unsigned total = hdx_results_total(res);
    hdx_results_free(res);
    if (total <= g_max_urls) {
        urlset(r, rep, 0, g_max_urls);
        return;
    }
    hdx_buf b;
    hdx_buf_init(&b);
    hdx_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/"
                     "sitemap/0.9\">\n");
    unsigned parts = (total + g_max_urls - 1) / g_max_urls;
    for (unsigned k = 1; k <= parts; k++) {
        char path[64 + BASE_PATH_MAX];
        snprintf(path, sizeof path, "%s/sitemap-%u.xml", base_path(), k);
        hdx_buf url;
        hdx_buf_init(&url);
        seo_url(&url, r, path);
        hdx_buf_adds(&b, "<sitemap><loc>");
        web_esc(&b, url.data);
        hdx_buf_adds(&b, "</loc></sitemap>\n");
        hdx_buf_clear(&url);
    }
    hdx_buf_adds(&b, "</sitemapindex>\n");
    reply_take_buf(rep, 200, XML_TYPE, &b);
}

void handle_sitemap_part(request *r, reply *rep)
{
    /* r->id is the n of /sitemap-{n}.xml: 1 to 100000, digits only. */
    char *end;
    long k = strtol(r->id, &end, 10);
    if (!isdigit((unsigned char)r->id[0]) || *end || k < 1 || k > 100000) {
        reply_error(rep, 404, "not_found", "no such sitemap");
        return;
    }
    unsigned long off = (unsigned long)(k - 1) * g_max_urls;
    if (off > 0xFFFFFFFFul) {
        reply_error(rep, 404, "not_found", "no such sitemap");
        return;
    }
    urlset(r, rep, (unsigned)off, g_max_urls);
}

bool seo_https(const request *r)
{
    if (r->tls)
        return true;
    hdx_buf u;
    hdx_buf_init(&u);
    seo_url(&u, r, "/");
    bool https = !strncmp(u.data, "https://", 8);
    hdx_buf_clear(&u);
    return https;
}
