/*
 * html.h - the leaf helpers of the help center's HTML: escaping for text
 * and attributes, percent-encoding for URLs, article paths (display
 * names are web_browse.h's).  Pure functions over an hdx_buf; thread-safe.
 */
#ifndef HDX_SERVER_HTML_H
#define HDX_SERVER_HTML_H

#include "hdx/buf.h"

/* Append s (NULL: nothing) HTML-escaped. */
void web_esc(hdx_buf *b, const char *s);
/* Append s percent-encoded for a query-string value (RFC 3986 unreserved
 * characters kept, everything else %XX, space as %20). */
void web_urlenc(hdx_buf *b, const char *s);
/* `s` URL-encoded, then HTML-escaped: a value inside an href="...". */
void web_url_attr(hdx_buf *b, const char *s);
/*
 * THE article URL: append "/a/{id}" (under --base-path, base_path.h) with the id percent-encoded (its '/'
 * kept), for JSON and HTML alike, so both name an article the same way.
 */
void web_article_path(hdx_buf *b, const char *id);
/* web_article_path(), HTML-escaped: the value of an href="...". */
void web_article_href(hdx_buf *b, const char *id);

/* Append the prefix, base and id, the id encoded as web_article_path() encodes it
 * ("/api/incidents/" + id). */
void web_id_path(hdx_buf *b, const char *base, const char *id);

#endif
