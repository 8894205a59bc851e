/*
 * http.h - request/reply plumbing between libmicrohttpd and the handlers.
 *
 * A handler gets a parsed `request` (method, path, query arguments, body,
 * caller level) and fills a `reply` (status, body, content type, extra
 * headers); server/main.c turns the reply into an MHD response.  Error
 * bodies always have the shape {"error":{"code","message"}}.
 */
#ifndef HDX_SERVER_HTTP_H
#define HDX_SERVER_HTTP_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

#include "hdx/article.h"
#include "hdx/buf.h"
#include "hdx/hdx.h"

#define MAX_BODY (32u * 1024u)   /* POST bodies (a pasted error) */
#define MAX_QUERY_BYTES 1024u    /* the q= parameter of searches */

typedef struct request {
    struct MHD_Connection *conn;
    const char *method;
    const char *path;        /* URL path without the query string */
    hdx_buf body;
    bool body_too_large;
    hdx_audience level;      /* caller level from the bearer token */
    bool has_token;          /* a valid token was presented */
    bool bad_token;          /* a token was presented but is unknown */
    const char *caller;      /* token name (never the token), or NULL */
    double t0;
    int status;              /* for the log line */
} request;

typedef struct reply {
    int status;
    char *body;              /* malloc'd, owned by the reply */
    size_t len;
    const char *content_type;/* static string */
    const char *hdr_name[6];
    char *hdr_value[6];      /* malloc'd */
    size_t n_hdr;
} reply;

/* A query argument (decoded by MHD) or NULL. */
const char *http_arg(request *r, const char *name);

/* Parse an integer argument in [min, max]; absent → def.  On a bad value
 * fills `rep` with a 400 naming the parameter and returns false. */
bool http_int_arg(request *r, reply *rep, const char *name, long min,
                  long max, long def, long *out);
/* Parse a 0/1/true/false argument. */
bool http_bool_arg(request *r, reply *rep, const char *name, bool def,
                   bool *out);

/* Set the reply to `obj` serialised (steals the reference). */
void reply_json(reply *rep, int status, json_t *obj);
/* Set an error reply; `code` is a short machine word ("bad_parameter"). */
void reply_error(reply *rep, int status, const char *code, const char *fmt,
                 ...) __attribute__((format(printf, 4, 5)));
/* Map a library status to an error reply; internals go to the log only. */
void reply_status(reply *rep, hdx_status st, const hdx_error *err);
/* Set the reply to a copy of `body`. */
void reply_bytes(reply *rep, int status, const char *content_type,
                 const char *body, size_t len);
void reply_header(reply *rep, const char *name, const char *value);
void reply_clear(reply *rep);

double http_now_ms(void);

#endif
