/*
 * routes.c - the route table.  Paths with an {id} take the rest of the path
 * (ids may contain '/': "support/windows/fix-x"), so they are matched by
 * prefix and suffix rather than by segment.
 */
#include "routes.h"

#include "api.h"
#include "web.h"

#include <string.h>

typedef enum { M_GET = 1, M_POST = 2 } methods;

static int method_bit(const char *m)
{
    if (!strcmp(m, "GET") || !strcmp(m, "HEAD"))
        return M_GET;
    if (!strcmp(m, "POST"))
        return M_POST;
    return 0;
}

static bool allowed(request *r, reply *rep, int mask)
{
    if (method_bit(r->method) & mask)
        return true;
    reply_error(rep, 405, "method_not_allowed",
                "method %s is not allowed here", r->method);
    reply_header(rep, "Allow",
                 mask == M_GET ? "GET, HEAD"
                 : mask == M_POST ? "POST"
                                  : "GET, HEAD, POST");
    return false;
}

static bool starts(const char *s, const char *prefix, const char **rest)
{
    size_t n = strlen(prefix);
    if (strncmp(s, prefix, n) != 0)
        return false;
    *rest = s + n;
    return true;
}

void route_request(request *r, reply *rep)
{
    const char *p = r->path, *rest;
    if (!strcmp(p, "/healthz")) {
        if (allowed(r, rep, M_GET))
            handle_healthz(r, rep);
        return;
    }
    if (!strcmp(p, "/api/search")) {
        if (allowed(r, rep, M_GET))
            handle_search(r, rep);
        return;
    }
    if (!strcmp(p, "/api/suggest")) {
        if (allowed(r, rep, M_GET))
            handle_suggest(r, rep);
        return;
    }
    if (!strcmp(p, "/api/known-issues")) {
        if (allowed(r, rep, M_GET | M_POST))
            handle_known_issues(r, rep);
        return;
    }
    if (starts(p, "/api/incidents/", &rest) && *rest) {
        if (allowed(r, rep, M_GET))
            handle_incident(r, rep, rest);
        return;
    }
    if (starts(p, "/api/articles/", &rest) && *rest) {
        if (!allowed(r, rep, M_GET))
            return;
        size_t n = strlen(rest);
        static const char suffix[] = "/related";
        if (n > sizeof suffix - 1 &&
            !strcmp(rest + n - (sizeof suffix - 1), suffix)) {
            char id[1024];
            size_t idn = n - (sizeof suffix - 1);
            if (idn >= sizeof id) {
                reply_error(rep, 404, "not_found", "no such article");
                return;
            }
            memcpy(id, rest, idn);
            id[idn] = '\0';
            handle_related(r, rep, id);
        } else {
            handle_article(r, rep, rest);
        }
        return;
    }
    if (web_route(r, rep))
        return;
    reply_error(rep, 404, "not_found", "no such endpoint: %s", r->path);
}
