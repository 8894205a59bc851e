/*
 * http.h - the request a handler reads and the reply it fills.
 *
 * server/main.c collects everything a handler may look at from
 * libmicrohttpd into a `request` once, when the request arrives (method,
 * path, query arguments, headers, body, caller level, this thread's index
 * handle), so handlers never see an MHD connection and unit tests build
 * requests directly.  A handler fills a `reply` (status, body, content
 * type, any number of extra headers); main.c turns it into an MHD
 * response.  Error bodies always have the shape {"error":{"code","message"}}.
 */
#ifndef HDX_SERVER_HTTP_H
#define HDX_SERVER_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdx/article.h"
#include "hdx/buf.h"
#include "hdx/hdx.h"
#include "hdx/xapian.h"

#define MAX_BODY (32u * 1024u)   /* POST bodies (a pasted error) */
/* The console's form body: a MAX_BODY paste, form-encoded (each byte at
 * most "%XX"), and the form's few other fields. */
#define MAX_FORM_BODY (3u * MAX_BODY + 4096u)
#define MAX_QUERY_BYTES 1024u    /* the q= parameter of searches */
#define HTTP_MAX_ARGS 256u       /* query arguments of one request */
#define HTTP_MAX_URI (64u * 1024u) /* request target, before decoding */
/* libmicrohttpd's memory for one connection: the request line, headers
 * and parsed arguments.  Twice HTTP_MAX_URI, so that a URI within the
 * limits always leaves room for HTTP_MAX_ARGS arguments (main.c). */
#define HTTP_CONN_MEMORY (2u * HTTP_MAX_URI)

/* What main.c saw in the raw URI before libmicrohttpd parsed it. */
typedef struct http_precheck {
    bool uri_too_long;       /* over HTTP_MAX_URI bytes */
    bool too_many_args;      /* over HTTP_MAX_ARGS arguments */
    bool nul_path;           /* "%00" in the path: decoded, it cuts it */
} http_precheck;

/* One query argument or header.  Both strings are borrowed (from MHD, or
 * from the test that built the request) for the request's lifetime;
 * `value` is NULL for an argument given without '=' ("?q"). */
typedef struct http_kv {
    const char *name;
    const char *value;
} http_kv;

typedef struct request {
    const char *method;      /* borrowed, as sent ("GET", "HEAD", ...) */
    const char *path;        /* owned; URL path without the query string */
    http_kv *args;           /* owned array, in the order sent */
    size_t n_args;
    http_kv *headers;        /* owned array */
    size_t n_headers;
    http_kv *cookies;        /* owned array (MHD parsed the Cookie header) */
    size_t n_cookies;
    http_precheck pre;       /* when too long or too many, no args */
    const char *nul_arg;     /* first argument whose decoded name or
                                value holds a NUL byte (borrowed), or NULL */
    hdx_buf body;
    bool body_too_large;
    hdx_audience level;      /* caller level from the bearer token */
    bool has_token;          /* a valid token was presented */
    bool bad_token;          /* a token was presented but is unknown */
    const char *caller;      /* token name (never the token), or NULL */
    bool signed_in;          /* the level came from a session cookie */
    char session_id[65];     /* that session's id, "" otherwise */
    char csrf[65];           /* that session's CSRF token, "" otherwise */
    bool tls;                /* came over TLS (a trusted proxy said so) */
    const char *client;      /* the client's address (borrowed), or NULL */
    bool outside_base;       /* the path is outside --base-path (404) */
    const char *id;          /* the {id} of the matched route, or NULL */
    char *id_owned;          /* storage for id when it had to be cut */
    hdx_db *db;              /* this thread's index handle, or NULL */
    hdx_error db_err;        /* why db is NULL */
    double t0;               /* arrival, http_now_ms() */
    int status;              /* for the log line */
    /* For analytics (record.h) only, never stored: the session id once
     * record.c has worked it out ("" until then).  The client's address
     * above is an input of the keyed session id only, never recorded. */
    char session[33];
} request;

typedef struct reply_header_kv {
    const char *name;        /* static string */
    char *value;             /* owned */
} reply_header_kv;

/* What a search answer found, for its analytics event (record.h).  The
 * cache keeps it with the body, so a cached answer is recorded alike. */
typedef struct reply_search {
    bool set;                /* the reply is a recordable search */
    bool relaxed, corrected;
    long total;
} reply_search;

typedef struct reply {
    int status;
    char *body;              /* malloc'd, owned by the reply */
    size_t len;
    const char *content_type;/* static string */
    reply_header_kv *hdr;    /* owned, grows as needed */
    size_t n_hdr;
    size_t took_off;         /* where the took_ms number is in body */
    size_t took_len;         /* its length; 0: the body has none */
    /* The body's last gz_raw_len bytes as ready raw deflate data (owned,
     * or NULL), with their CRC-32: a cached answer's gzip form is built
     * from it without compressing again (compress.h). */
    char *gz_tail;
    size_t gz_tail_len, gz_raw_len;
    uint32_t gz_tail_crc;
    reply_search search;
} reply;

/* Start a request for `method` (borrowed) and `path` (copied) at time t0.
 * Release it with request_clear(). */
void request_init(request *r, const char *method, const char *path,
                  double t0);
void request_clear(request *r);
/* Append an argument / a header (both strings borrowed, see http_kv). */
void request_add_arg(request *r, const char *name, const char *value);
void request_add_header(request *r, const char *name, const char *value);
void request_add_cookie(request *r, const char *name, const char *value);

/* The first query argument `name` (as decoded by MHD), or NULL. */
const char *http_arg(const request *r, const char *name);
/* The first header `name` (case-insensitive), or NULL. */
const char *http_header(const request *r, const char *name);

/* The first cookie `name`, or NULL. */
const char *http_cookie(const request *r, const char *name);

/* True for GET and HEAD. */
bool http_is_get(const request *r);

/* Parse an integer argument in [min, max]; absent or empty → def.  On a
 * bad value fills `rep` with a 400 naming the parameter and returns
 * false. */
bool http_int_arg(const request *r, reply *rep, const char *name, long min,
                  long max, long def, long *out);
/* Parse a 0/1/true/false argument (same contract). */
bool http_bool_arg(const request *r, reply *rep, const char *name, bool def,
                   bool *out);

/* Set the reply to `obj` serialised (steals the reference). */
void reply_json(reply *rep, int status, json_t *obj);
/* Set the reply to a JSON body built in `b` (taken over; b is left empty)
 * with the took_ms number at [took_off, took_off + took_len). */
void reply_json_buf(reply *rep, int status, hdx_buf *b, size_t took_off,
                    size_t took_len);
/* Set an error reply; `code` is a short machine word ("bad_parameter"). */
void reply_error(reply *rep, int status, const char *code, const char *fmt,
                 ...) __attribute__((format(printf, 4, 5)));
/* Make a message that may echo request bytes valid UTF-8 in place (each
 * bad byte becomes '?'), so a JSON error built from it keeps its shape. */
void http_make_utf8(char *msg);
/* Set the reply to a copy of `body`. */
void reply_bytes(reply *rep, int status, const char *content_type,
                 const char *body, size_t len);
/* Set the reply to the contents of `b`, which is left cleared. */
void reply_take_buf(reply *rep, int status, const char *content_type,
                    hdx_buf *b);
/* Set the reply to `body` (malloc'd; the reply takes it). */
void reply_take(reply *rep, int status, const char *content_type, char *body,
                size_t len);
/* Add a header (name static, value copied); there is no limit. */
void reply_header(reply *rep, const char *name, const char *value);
/* The value of header `name` set on the reply, or NULL. */
const char *reply_header_get(const reply *rep, const char *name);
void reply_clear(reply *rep);

double http_now_ms(void);

/* Append the milliseconds since t0, truncated to 3 decimals, as the API's
 * took_ms number; returns its length. */
size_t http_took_ms(hdx_buf *b, double t0);

#endif
