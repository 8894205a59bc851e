/*
 * web_go.c - counted result links and GET /go (see web_go.h).
 */
#include "web_go.h"
#include "base_path.h"

#include "api.h"
#include "html.h"
#include "page.h"
#include "record.h"
#include "status.h"

#include "hdx/alloc.h"
#include "hdx/text.h"

#include <stdlib.h>
#include <string.h>

void web_go_attrs(hdx_buf *b, const char *direct, const char *id,
                  const char *q, long rank, const char *anchor)
{
    hdx_buf_adds(b, "href=\"");
    if (!record_on()) {
        web_esc(b, direct);
        hdx_buf_addc(b, '"');
        return;
    }
    hdx_buf go;
    hdx_buf_init(&go);
    base_url(&go, "/go?a=");
    web_urlenc(&go, id);
    hdx_buf_printf(&go, "&p=%ld", rank);
    if (q && *q) {
        hdx_buf_adds(&go, "&q=");
        web_urlenc(&go, q);
    }
    if (anchor && *anchor) { /* kept by the browser through the 302 */
        hdx_buf_addc(&go, '#');
        web_urlenc(&go, anchor);
    }
    web_esc(b, go.data);
    hdx_buf_adds(b, "\" data-hdx-href=\"");
    web_esc(b, direct);
    hdx_buf_adds(b, "\" data-hdx-id=\"");
    web_esc(b, id);
    hdx_buf_printf(b, "\" data-hdx-pos=\"%ld\"", rank);
    hdx_buf_clear(&go);
}

void handle_go(request *r, reply *rep)
{
    const char *a = http_arg(r, "a"), *q = http_arg(r, "q");
    const char *src = http_arg(r, "src"); /* "contact": its suggestions */
    long pos;
    if (!http_int_arg(r, rep, "p", 1, 1000, 0, &pos))
        return;
    if (q && (strlen(q) > MAX_QUERY_BYTES ||
              !hdx_text_valid_utf8(q, strlen(q), NULL)))
        q = NULL;
    hdx_status st = HDX_OK;
    if (!a || !*a || !api_visible(r, a, &st)) {
        if (st != HDX_OK)
            web_reply_status(rep, st, NULL);
        else
            web_reply_message(rep, 404, "Article not found",
                              "We couldn't find that article. It may have "
                              "been moved or removed; try searching for it.");
        return;
    }
    hdx_buf loc;
    hdx_buf_init(&loc);
    web_article_path(&loc, a);
    if (q && *q) {
        hdx_buf_adds(&loc, "?q=");
        web_urlenc(&loc, q);
    }
    if (record_on()) {
        analytics_event ev;
        analytics_event_init(&ev, "click");
        ev.article = hdx_xstrdup(a);
        ev.position = pos ? pos : ANALYTICS_NULL;
        if (q && *q)
            ev.query = hdx_xstrdup(q);
        record_session(r, rep, true);
        record_submit(r, &ev,
                      src && !strcmp(src, "contact") ? "contact" : "web");
    }
    web_reply_message(rep, 302, "Found", "The article is here.");
    reply_header(rep, "Location", loc.data);
    hdx_buf_clear(&loc);
}
