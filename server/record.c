/*
 * record.c - the analytics hooks of the request path (see record.h).
 */
#include "record.h"
#include "base_path.h"

#include "web_seo.h"

#include "analytics/recorder.h"
#include "analytics/session_id.h"

#include "hdx/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool record_on(void)
{
    return recorder_running();
}

/* Set-Cookie for r->session; Secure over https (seo_https). */
static void set_cookie(const request *r, reply *rep)
{
    char cookie[112 + BASE_PATH_MAX];
    snprintf(cookie, sizeof cookie, SID_COOKIE "=%s; Path=%s; HttpOnly; "
             "SameSite=Lax%s", r->session, base_path_cookie(),
             seo_https(r) ? "; Secure" : "");
    reply_header(rep, "Set-Cookie", cookie);
}

const char *record_session(request *r, reply *rep, bool page)
{
    if (r->session[0])
        return r->session;
    const char *given = http_header(r, "X-Session-Id");
    const char *cookie = http_cookie(r, SID_COOKIE);
    if (session_id_valid(given)) {
        snprintf(r->session, sizeof r->session, "%s", given);
    } else if (session_id_valid(cookie)) {
        snprintf(r->session, sizeof r->session, "%s", cookie);
    } else if (page && rep && r->level == HDX_AUD_PUBLIC) {
        session_id_random(r->session);
        set_cookie(r, rep);
    } /* else the keyed id, which the writer makes (record_submit) */
    return r->session;
}

bool record_submit(request *r, analytics_event *ev, const char *source)
{
    /* A HEAD asks about a page; nobody searched or read anything. */
    if (!record_on() || !strcmp(r->method, "HEAD")) {
        analytics_event_clear(ev);
        return false;
    }
    if (!ev->session[0]) /* else the caller's (POST /api/events) */
        snprintf(ev->session, sizeof ev->session, "%s",
                 record_session(r, NULL, false));
    if (!ev->session[0]) { /* the keyed id, off the request path */
        const char *ua = http_header(r, "User-Agent");
        ev->client = hdx_xstrdup(r->client ? r->client : "");
        ev->agent = hdx_xstrdup(ua ? ua : "");
    }
    ev->audience = hdx_audience_name(r->level);
    ev->source = source;
    return recorder_submit(ev);
}

static char *opt_dup(const char *s)
{
    return s && *s ? hdx_xstrdup(s) : NULL;
}

static bool is_true(const char *v)
{
    return v && (!strcmp(v, "1") || !strcmp(v, "true"));
}

/* The search event of a reply that carries one. */
static void record_search(const route *rt, request *r, const reply *rep)
{
    const char *q = http_arg(r, "q");
    if (!q || !q[strspn(q, " \t\r\n")]) /* a listing, not a search */
        return;
    analytics_event ev;
    analytics_event_init(&ev, "search");
    ev.query = hdx_xstrdup(q);
    ev.results = rep->search.total;
    ev.relaxed = rep->search.relaxed;
    ev.corrected = rep->search.corrected;
    ev.typeahead = !strcmp(rt->name, "suggest") ||
                   is_true(http_arg(r, "typeahead"));
    ev.product = opt_dup(http_arg(r, "product"));
    ev.locale = opt_dup(http_arg(r, "locale"));
    record_submit(r, &ev, strncmp(rt->name, "page-", 5) ? "api" : "web");
}

void record_reply(const route *rt, request *r, reply *rep)
{
    if (!record_on())
        return;
    bool page = !strncmp(rt->name, "page-", 5);
    if (page && rep->status == 200)
        record_session(r, rep, true);
    if (rep->search.set && rep->status == 200)
        record_search(rt, r, rep);
}

void record_view(request *r, reply *rep, const char *article)
{
    if (!record_on())
        return;
    record_session(r, rep, true);
    analytics_event ev;
    analytics_event_init(&ev, "view");
    ev.article = hdx_xstrdup(article);
    const char *q = http_arg(r, "q");
    if (q && *q)
        ev.query = hdx_xstrdup(q);
    record_submit(r, &ev, "web");
}

void record_feedback(request *r, const char *article, bool helpful,
                     const char *comment, const char *query)
{
    if (!record_on())
        return;
    analytics_event ev;
    analytics_event_init(&ev, "feedback");
    ev.article = hdx_xstrdup(article);
    ev.helpful = helpful;
    ev.comment = opt_dup(comment);
    if (query && *query)
        ev.query = hdx_xstrdup(query);
    record_submit(r, &ev, "web");
}
