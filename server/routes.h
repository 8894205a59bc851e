/*
 * routes.h - the one route table of helpdex-serve (API and help center).
 *
 * Each route names its methods, its path pattern, its handler, the lowest
 * caller level it serves and whether its answers may be cached.  The
 * dispatcher reads the table for everything: unknown path → 404, known
 * path with the wrong method → 405 with Allow, too low a level → 401/403,
 * the response cache.  Patterns are an exact path, or a prefix whose rest
 * is the {id} (ids may contain '/', "support/windows/fix-x"), optionally
 * followed by a fixed suffix such as "/related".
 */
#ifndef HDX_SERVER_ROUTES_H
#define HDX_SERVER_ROUTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "http.h"

#include "hdx/article.h"

typedef void (*route_handler)(request *r, reply *rep);

enum { ROUTE_GET = 1u, ROUTE_POST = 2u, /* ROUTE_GET includes HEAD */
       ROUTE_OPTIONS = 4u };             /* CORS preflights (meili.h) */

typedef enum route_match {
    ROUTE_EXACT,   /* the path is `path` */
    ROUTE_ID,      /* `path` then a non-empty {id} (then `suffix`) */
    ROUTE_REST     /* `path` then anything, possibly empty */
} route_match;

typedef struct route {
    unsigned methods;       /* ROUTE_GET | ROUTE_POST */
    route_match match;
    const char *path;       /* exact path or prefix */
    const char *suffix;     /* ROUTE_ID only: required after the id, or NULL */
    route_handler handler;
    hdx_audience level;     /* lowest caller level; above public a token is
                               needed (401 without one, 403 below it) */
    bool cacheable;         /* GET answers go through the response cache */
    const char *name;       /* for tests and the log */
} route;

/* The table and its length (static). */
const route *route_table(size_t *n);

/*
 * The route `path` matches, or NULL.  For ROUTE_ID and ROUTE_REST the id
 * is returned in *id_out: a pointer into `path`, of length *id_len (it is
 * cut before the suffix, so it is not NUL-terminated there).
 */
const route *route_find(const char *path, const char **id_out,
                        size_t *id_len);

/* The Allow header value of a route ("GET, HEAD", "POST", ...). */
const char *route_allow(const route *rt);

/* Print the table, one route a line: name, methods, match kind, pattern
 * ("{id}" for the id), lowest level, "cached" or "-", tab-separated
 * (helpdex-serve --print-routes; the leak tests read it). */
void route_print(FILE *f);

/*
 * Answer `r`: refuse a request that did not arrive whole (414 for a URI
 * over HTTP_MAX_URI or HTTP_MAX_ARGS, 400 for a NUL byte in the decoded
 * path or an argument), match, check the method and the caller's level,
 * then serve
 * from the cache or call the handler (and store a cacheable answer).
 * r->db must already be this thread's handle (or NULL with r->db_err):
 * the cache key holds its UUID and generation.
 */
void route_request(request *r, reply *rep);

#endif
