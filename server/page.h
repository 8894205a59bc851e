/*
 * page.h - the help center's page shell (header with the brand and the
 * search box, footer), whole message pages for errors, the escalation
 * panel, and the HTML rendering of the status table (status.h).
 */
#ifndef HDX_SERVER_PAGE_H
#define HDX_SERVER_PAGE_H

#include <stdbool.h>

#include "http.h"

#include "hdx/buf.h"
#include "hdx/hdx.h"

/* The request whose pages this thread builds now (NULL: none): the shell
 * shows a signed-in agent who they are, the console and sign-out.  Set
 * by the dispatcher around each handler (routes.c). */
void web_page_viewer(const request *r);

/* The "Agents only" / "Internal only" badge for a level above public
 * (nothing for public): what marks text a customer must not be sent. */
void web_audience_badge(hdx_buf *b, hdx_audience level);

/* Page shell: <!doctype html> … <main id="main">; `q` pre-fills the header
 * search box (NULL: the home page, whose hero holds the search box). */
void web_page_begin(hdx_buf *b, const char *title, const char *q);

/* What search engines and link previews read in a page's <head>; every
 * string borrowed, HTML-escaped on output, NULL or "" to leave it out. */
typedef struct page_meta {
    const char *title;       /* og:title */
    const char *description; /* <meta name="description">, og:description */
    const char *url;         /* absolute: <link rel="canonical">, og:url */
    const char *og_type;     /* og:type; NULL: "website" */
} page_meta;

/* web_page_begin() with the tags of `meta` (NULL: none) in the head. */
void web_page_begin_meta(hdx_buf *b, const char *title, const char *q,
                         const page_meta *meta);
/* </main>, footer, script tag, </html>. */
void web_page_end(hdx_buf *b);
/* Hand the buffer's contents to the reply as text/html with the CSP. */
void web_reply_html(reply *rep, int status, hdx_buf *b);
/* A whole small page with a heading and a message (errors, 404). */
void web_reply_message(reply *rep, int status, const char *heading,
                       const char *message);
/* The page for a library failure: HTTP code, heading and text from the
 * status table (internals to the log, Retry-After where it says so). */
void web_reply_status(reply *rep, hdx_status st, const hdx_error *err);

/*
 * The escalation panel: a link to the support channel pre-filled with the
 * query and the ids of the articles viewed (both may be NULL/empty).
 * `hidden` renders it with the hidden attribute (JavaScript reveals it).
 */
void web_escalation(hdx_buf *b, const char *query, const char *article_id,
                    bool hidden);

#endif
