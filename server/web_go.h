/*
 * web_go.h - counted result links: GET /go and the links that use it.
 *
 * With recording on (record.h), a result link of the /search page is
 * /go?a=ID&p=RANK&q=QUERY: the server records the click and answers 302
 * to the article, so a click counts without JavaScript.  The link also
 * carries the direct URL (data-hdx-href); web/app.js swaps it in and
 * reports the click with navigator.sendBeacon() to POST /api/events
 * instead, so no click is counted twice.  With recording off the link
 * is the direct URL only.
 */
#ifndef HDX_SERVER_WEB_GO_H
#define HDX_SERVER_WEB_GO_H

#include "http.h"

#include "hdx/buf.h"

/* Append the attributes of a result link to `b`: href (escaped) and,
 * when recording, the data-hdx-* ones.  `direct` is the article URL
 * (with ?q= and #anchor as the page builds it), `id` the article, `q`
 * the query (may be NULL), `rank` its 1-based position, `anchor` the
 * section or NULL. */
void web_go_attrs(hdx_buf *b, const char *direct, const char *id,
                  const char *q, long rank, const char *anchor);

/* GET /go?a=ID&p=N&q=Q: record the click, 302 to /a/ID?q=Q.  With
 * src=contact the click is of source 'contact' (a suggestion of the
 * contact page, contact.h), else 'web'.  The target
 * is always a path of this server built from an article the caller may
 * see (404 otherwise), never a URL taken from the request. */
void handle_go(request *r, reply *rep);

#endif
