/*
 * routes.c - the route table and the dispatcher (see routes.h).
 */
#include "routes.h"

#include "api.h"
#include "assets.h"
#include "cache.h"
#include "contact.h"
#include "deflect.h"
#include "feedback.h"
#include "health.h"
#include "web_admin.h"
#include "web_agents.h"
#include "web_browse.h"
#include "web_go.h"
#include "media.h"
#include "meili.h"
#include "metrics.h"
#include "page.h"
#include "record.h"
#include "web_pages.h"
#include "web_seo.h"

#include "base_path.h"
#include "html.h"

#include "hdx/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GET ROUTE_GET
#define POST ROUTE_POST
#define PUB HDX_AUD_PUBLIC
#define AGENT HDX_AUD_AGENT
#define INTERNAL HDX_AUD_INTERNAL

/* First match wins: a longer pattern comes before a prefix of it. */
static const route k_routes[] = {
    {GET, ROUTE_EXACT, "/healthz", NULL, handle_healthz, PUB, false,
     "healthz"},
    {GET, ROUTE_EXACT, "/readyz", NULL, handle_readyz, PUB, false, "readyz"},
    {GET, ROUTE_EXACT, "/metrics", NULL, handle_metrics, INTERNAL, false,
     "metrics"},
    {GET, ROUTE_EXACT, "/api/search", NULL, handle_search, PUB, true,
     "search"},
    {GET, ROUTE_EXACT, "/api/suggest", NULL, handle_suggest, PUB, true,
     "suggest"},
    {GET | POST, ROUTE_EXACT, "/api/known-issues", NULL, handle_known_issues,
     AGENT, false, "known-issues"},
    {GET, ROUTE_ID, "/api/incidents/", NULL, handle_incident, AGENT, false,
     "incident"},
    {GET, ROUTE_ID, "/api/articles/", "/related", handle_related, PUB, false,
     "related"},
    {GET, ROUTE_ID, "/api/articles/", NULL, handle_article, PUB, false,
     "article"},
    {GET, ROUTE_EXACT, "/api/deflect", NULL, handle_deflect, PUB, false,
     "deflect"},
    {GET, ROUTE_EXACT, "/api/categories", NULL, handle_categories, PUB, false,
     "categories"},
    {POST, ROUTE_EXACT, "/api/feedback", NULL, handle_feedback, PUB, false,
     "feedback"},
    {POST, ROUTE_EXACT, "/api/events", NULL, handle_events, PUB, false,
     "events"},
    {GET, ROUTE_EXACT, "/api/feedback/stats", NULL, handle_feedback_stats,
     AGENT, false, "feedback-stats"},
    {GET, ROUTE_EXACT, "/", NULL, handle_page_home, PUB, false, "page-home"},
    {GET, ROUTE_EXACT, "/search", NULL, handle_page_search, PUB, false,
     "page-search"},
    {GET, ROUTE_REST, "/a/", NULL, handle_page_article, PUB, false,
     "page-article"},
    {GET | POST, ROUTE_EXACT, "/contact", NULL, handle_page_contact, PUB,
     false, "page-contact"},
    {GET, ROUTE_EXACT, "/go", NULL, handle_go, PUB, false, "page-go"},
    {GET, ROUTE_REST, "/c/", NULL, handle_page_category, PUB, false,
     "page-category"},
    {GET, ROUTE_REST, "/media/", NULL, handle_media, PUB, false, "media"},
    {GET, ROUTE_EXACT, "/assets/theme.css", NULL, handle_theme, PUB, false,
     "theme"},
    {GET, ROUTE_REST, "/assets/", NULL, handle_asset, PUB, false, "asset"},
    {GET, ROUTE_EXACT, "/robots.txt", NULL, handle_robots, PUB, false,
     "robots"},
    {GET, ROUTE_EXACT, "/sitemap.xml", NULL, handle_sitemap, PUB, false,
     "sitemap"},
    {GET, ROUTE_ID, "/sitemap-", ".xml", handle_sitemap_part, PUB, false,
     "sitemap-part"},
    {GET, ROUTE_EXACT, "/admin", NULL, handle_admin, INTERNAL, false,
     "admin"},
    {GET, ROUTE_EXACT, "/admin/articles", NULL, handle_admin_articles,
     INTERNAL, false, "admin-articles"},
    {GET, ROUTE_EXACT, "/admin/gaps", NULL, handle_admin_gaps, INTERNAL,
     false, "admin-gaps"},
    {GET, ROUTE_EXACT, "/admin/export.csv", NULL, handle_admin_export,
     INTERNAL, false, "admin-export"},
    {GET | POST, ROUTE_EXACT, "/signin", NULL, handle_signin, PUB, false,
     "signin"},
    {POST, ROUTE_EXACT, "/signout", NULL, handle_signout, PUB, false,
     "signout"},
    {GET | POST, ROUTE_EXACT, "/agent/console", NULL, handle_console, AGENT,
     false, "console"},
    /* The Meilisearch-compatible API: its own table (meili.c). */
    {GET | POST | ROUTE_OPTIONS, ROUTE_REST, "/meili/", NULL, handle_meili,
     PUB, false, "meili"},
    /* Last: any other path is an article's old URL or a 404. */
    {GET | POST, ROUTE_REST, "/", NULL, handle_alias, PUB, false, "alias"},
};

const route *route_table(size_t *n)
{
    *n = sizeof k_routes / sizeof k_routes[0];
    return k_routes;
}

/* Does `path` match `rt`?  Sets the id span for prefix routes. */
static bool matches(const route *rt, const char *path, const char **id,
                    size_t *id_len)
{
    size_t n = strlen(rt->path);
    if (rt->match == ROUTE_EXACT)
        return !strcmp(path, rt->path);
    if (strncmp(path, rt->path, n) != 0)
        return false;
    const char *rest = path + n;
    size_t len = strlen(rest);
    if (rt->match == ROUTE_ID && rt->suffix) {
        size_t sn = strlen(rt->suffix);
        if (len <= sn || strcmp(rest + len - sn, rt->suffix) != 0)
            return false;
        len -= sn;
    }
    if (rt->match == ROUTE_ID && len == 0)
        return false;
    *id = rest;
    *id_len = len;
    return true;
}

const route *route_find(const char *path, const char **id_out,
                        size_t *id_len)
{
    *id_out = NULL;
    *id_len = 0;
    for (size_t i = 0; i < sizeof k_routes / sizeof k_routes[0]; i++)
        if (matches(&k_routes[i], path, id_out, id_len))
            return &k_routes[i];
    return NULL;
}

const char *route_allow(const route *rt)
{
    switch (rt->methods) {
    case GET: return "GET, HEAD";
    case POST: return "POST";
    default: return "GET, HEAD, POST";
    }
}

static unsigned method_bit(const char *m)
{
    if (!strcmp(m, "GET") || !strcmp(m, "HEAD"))
        return GET;
    if (!strcmp(m, "POST"))
        return POST;
    if (!strcmp(m, "OPTIONS"))
        return ROUTE_OPTIONS;
    return 0;
}

/* 401/403 unless the caller has the route's level; true if they do. */
static bool authorised(const route *rt, const request *r, reply *rep)
{
    if (rt->level == PUB)
        return true;
    if (!r->has_token && !strncmp(rt->path, "/agent/", 7)) {
        /* An agents' page: the sign-in page, then back here. */
        hdx_buf to;
        hdx_buf_init(&to);
        base_url(&to, "/signin?next=");
        web_urlenc(&to, rt->path);
        web_reply_message(rep, 303, "Sign in", "Agents: sign in first.");
        reply_header(rep, "Location", to.data);
        hdx_buf_clear(&to);
        return false;
    }
    if (!r->has_token) {
        reply_error(rep, 401, "unauthorized",
                    "this endpoint needs 'Authorization: Bearer <token>'");
        reply_header(rep, "WWW-Authenticate", "Bearer realm=\"helpdex\"");
        return false;
    }
    if (r->level < rt->level) {
        reply_error(rep, 403, "forbidden",
                    "this endpoint needs a token of level '%s' or higher",
                    hdx_audience_name(rt->level));
        return false;
    }
    return true;
}

/* Call the handler, through the cache when the route allows it. */
static void serve(const route *rt, request *r, reply *rep)
{
    char *key = NULL;
    /* A signed-in agent's answers never enter the cache (their pages
     * carry the session's CSRF token). */
    /* Nor does a partial answer (a shard missing, shard_set.h), before or
     * after the handler ran: the next query may find the shard again. */
    if (rt->cacheable && r->db && !strcmp(r->method, "GET") &&
        !r->signed_in && !hdx_db_n_missing(r->db))
        key = cache_key(r, hdx_db_uuid(r->db), hdx_db_generation(r->db));
    if (key && cache_get(key, r->t0, rep)) {
        reply_header(rep, "X-Cache", "hit");
    } else {
        web_page_viewer(r); /* the page shell shows who is signed in */
        rt->handler(r, rep);
        web_page_viewer(NULL);
        if (key && !hdx_db_n_missing(r->db))
            cache_put(key, rep);
    }
    free(key);
    record_reply(rt, r, rep); /* analytics, when on (record.h) */
}

/*
 * A request libmicrohttpd could not hand over whole: 414 for a URI over
 * the limits (its arguments were never parsed), 400 for a NUL byte that
 * decoding put into the path or an argument (a C string would end there
 * and the rest be silently ignored).  True if the request is whole.
 */
static bool whole(const request *r, reply *rep)
{
    if (r->pre.uri_too_long)
        reply_error(rep, 414, "uri_too_long",
                    "the URL is longer than %u bytes", HTTP_MAX_URI);
    else if (r->pre.too_many_args)
        reply_error(rep, 414, "too_many_parameters",
                    "the URL has more than %u query parameters",
                    HTTP_MAX_ARGS);
    else if (r->pre.nul_path)
        reply_error(rep, 400, "bad_parameter",
                    "the path contains a NUL byte (%%00)");
    else if (r->nul_arg)
        reply_error(rep, 400, "bad_parameter",
                    "parameter '%s' contains a NUL byte (%%00)", r->nul_arg);
    else
        return true;
    return false;
}

void route_print(FILE *f)
{
    static const char *const kinds[] = {"exact", "id", "rest"};
    for (size_t i = 0; i < sizeof k_routes / sizeof k_routes[0]; i++) {
        const route *rt = &k_routes[i];
        fprintf(f, "%s\t%s\t%s\t%s%s%s\t%s\t%s\n", rt->name,
                route_allow(rt), kinds[rt->match], rt->path,
                rt->match == ROUTE_EXACT ? "" : "{id}",
                rt->suffix ? rt->suffix : "", hdx_audience_name(rt->level),
                rt->cacheable ? "cached" : "-");
    }
}

void route_request(request *r, reply *rep)
{
    if (!whole(r, rep))
        return;
    const char *id;
    size_t id_len;
    const route *rt =
        r->outside_base ? NULL : route_find(r->path, &id, &id_len);
    /* The Meilisearch API answers an unknown key in its own shape. */
    if (r->bad_token && !(rt && rt->handler == handle_meili)) {
        reply_error(rep, 401, "unauthorized", "unknown token");
        reply_header(rep, "WWW-Authenticate",
                     "Bearer realm=\"helpdex\", error=\"invalid_token\"");
        return;
    }
    if (!rt || r->outside_base) {
        reply_error(rep, 404, "not_found", "no such endpoint: %s", r->path);
        return;
    }
    if (!(method_bit(r->method) & rt->methods)) {
        reply_error(rep, 405, "method_not_allowed",
                    "method %s is not allowed here", r->method);
        reply_header(rep, "Allow", route_allow(rt));
        return;
    }
    if (!authorised(rt, r, rep))
        return;
    if (id && id[id_len] != '\0') {
        free(r->id_owned);
        r->id_owned = hdx_xstrndup(id, id_len);
        id = r->id_owned;
    }
    r->id = id;
    serve(rt, r, rep);
}
