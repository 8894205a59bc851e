/*
 * web_internal.h - what the help center's source files share: the branding
 * read from --config, the HTML page shell, URL and HTML escaping helpers,
 * and the page handlers.  Not used outside server/web*.c.
 */
#ifndef HDX_SERVER_WEB_INTERNAL_H
#define HDX_SERVER_WEB_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "http.h"

#include "hdx/buf.h"

/* The Content-Security-Policy every help center response carries. */
#define WEB_CSP                                                            \
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "        \
    "script-src 'self'; object-src 'none'; base-uri 'none'; "             \
    "frame-ancestors 'none'; form-action 'self'"

/* Branding; every string is owned by web.c and lives until web_shutdown(). */
typedef struct web_brand {
    char *product_name;  /* "Skylark" → "Skylark Help Center" */
    char primary_color[8]; /* "#rrggbb" */
    char *logo;          /* file name inside the assets dir */
    char *support_url;   /* http(s) URL, or NULL */
    char *support_email; /* address, or NULL */
} web_brand;

const web_brand *web_brand_get(void);

/*
 * Parse a branding file into `out` (defaults first, then the file).  On an
 * error returns false with "file:line: what is wrong" in msg.  `assets_dir`
 * is used to check that the logo exists.  Free with web_brand_clear().
 */
bool web_brand_load(const char *path, const char *assets_dir, web_brand *out,
                    char *msg, size_t msg_len);
void web_brand_clear(web_brand *b);

/* Append s (NULL: nothing) HTML-escaped. */
void web_esc(hdx_buf *b, const char *s);
/* Append s percent-encoded for a query-string value (RFC 3986 unreserved
 * characters kept, everything else %XX, space as %20). */
void web_urlenc(hdx_buf *b, const char *s);
/* `s` URL-encoded, then HTML-escaped: a value inside an href="...". */
void web_url_attr(hdx_buf *b, const char *s);

/* Page shell: <!doctype html> … <main id="main">; `q` pre-fills the header
 * search box (NULL: the home page, whose hero holds the search box). */
void web_page_begin(hdx_buf *b, const char *title, const char *q);
/* </main>, footer, script tag, </html>. */
void web_page_end(hdx_buf *b);
/* Hand the buffer's contents to the reply as text/html with the CSP. */
void web_reply_html(reply *rep, int status, hdx_buf *b);
/* A whole small page with a heading and a message (errors, 404). */
void web_reply_message(reply *rep, int status, const char *heading,
                       const char *message);

/*
 * The escalation panel: a link to the support channel pre-filled with the
 * query and the ids of the articles viewed (both may be NULL/empty).
 * `hidden` renders it with the hidden attribute (JavaScript reveals it).
 */
void web_escalation(hdx_buf *b, const char *query, const char *article_id,
                    bool hidden);

/* Append "/a/{id}" with the id percent-encoded (its '/' kept). */
void web_article_path(hdx_buf *b, const char *id);

/* Display label of a product value ("api" → "API", "desktop" → "Desktop"). */
void web_product_label(hdx_buf *b, const char *product);

/* Page handlers (web_pages.c). */
void web_page_home(request *r, reply *rep);
void web_page_search(request *r, reply *rep);
void web_page_article(request *r, reply *rep, const char *id);

#endif
