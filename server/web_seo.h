/*
 * web_seo.h - what search engines read: /robots.txt, /sitemap.xml (split
 * into /sitemap-N.xml parts under a sitemap index past SEO_MAX_URLS
 * articles) and the absolute URLs of canonical links (docs/help-center.md,
 * "Search engines").
 *
 * Sitemaps list exactly what an anonymous visitor may read: public,
 * published articles and FAQs, through the same audience-filtered query
 * as every listing, whoever asks.  Absolute URLs start with --public-url
 * when it is given, else with "http://" and the request's Host header
 * (when it is a plain host[:port]), else they stay root-relative.
 */
#ifndef HDX_SERVER_WEB_SEO_H
#define HDX_SERVER_WEB_SEO_H

#include <stdbool.h>

#include "http.h"

#include "hdx/buf.h"

#define SEO_MAX_URLS 50000u /* per sitemap file (sitemaps.org) */

/*
 * Set the public base URL ("https://example.com/help"; copied, trailing
 * '/' dropped; NULL: none) and the URLs per sitemap file (0: the
 * default).  False, with a message on stderr, for a URL that is not
 * http(s)://.  Call once before the daemon starts; seo_close() frees.
 */
bool seo_open(const char *public_url, unsigned max_urls);
void seo_close(void);

/* Append the absolute URL of `path` for request `r`: a path as pages
 * write it, under --base-path (base_path.h) when there is one. */
void seo_url(hdx_buf *b, const request *r, const char *path);

/* Does the browser reach us over https: TLS said by a trusted proxy
 * (r->tls), or an https --public-url?  Every cookie we set is Secure
 * then. */
bool seo_https(const request *r);

/* GET /robots.txt, GET /sitemap.xml, GET /sitemap-{n}.xml. */
void handle_robots(request *r, reply *rep);
void handle_sitemap(request *r, reply *rep);
void handle_sitemap_part(request *r, reply *rep);

#endif
