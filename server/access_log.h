/*
 * access_log.h - one line on stderr per request, and the request id.
 *
 * Two formats (--log-format): "text", the historical one, still the
 * default:
 *
 *   GET /api/search 200 1.23ms client=203.0.113.9 id=5f0c... caller=eng
 *
 * and "json", one object per line (JSON Lines) built with jansson, for
 * journald, Loki, Elasticsearch and friends:
 *
 *   {"ts":"2026-12-01T13:55:57.123Z","id":"5f0c...","method":"GET",
 *    "route":"search","path":"/api/search","status":200,"bytes":512,
 *    "ms":1.234,"cache_hit":false,"client":"203.0.113.9","caller":"eng"}
 *
 * What is never logged, in either format: the Authorization header (only
 * the token's name, "caller"), any other header, the query string and
 * any request body (a pasted known-issue lookup is a customer's log).
 * The JSON format goes further: "path" is only given for routes that
 * serve public callers; for agent and internal routes the route name is
 * all there is (an incident id in a path is not for the log).
 *
 * Every string from the request goes through access_log_field() first:
 * control bytes, and bytes that are not UTF-8, become '?', so a request
 * can neither break a line (a decoded %0A) nor forge one; the JSON format
 * escapes quotes on top.  A line is written with one write(2), so lines
 * of concurrent requests do not interleave (up to PIPE_BUF, 4 KiB, even
 * on a pipe; a longer path is the only way past that).
 *
 * Request ids: a client's (or proxy's) X-Request-Id is kept when it is
 * 1-64 bytes of [A-Za-z0-9._-]; otherwise the server makes one, 128 bits
 * from getrandom() as 32 hex digits.  It is sent back on every response.
 */
#ifndef HDX_SERVER_ACCESS_LOG_H
#define HDX_SERVER_ACCESS_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "client_ip.h"
#include "http.h"

#define REQUEST_ID_MAX 64

typedef enum access_log_format {
    ACCESS_LOG_TEXT,
    ACCESS_LOG_JSON,
    ACCESS_LOG_OFF    /* --quiet */
} access_log_format;

/* What the log line says besides the request itself. */
typedef struct access_rec {
    char id[REQUEST_ID_MAX + 1];
    char client[CLIENT_IP_MAX];  /* see client_ip.h */
    struct timespec wall;        /* arrival, CLOCK_REALTIME */
    const char *route;           /* route name (static), NULL: none */
    bool route_public;           /* the route serves public callers */
    bool cache_hit;              /* answered from it */
    size_t bytes;                /* body bytes sent (0 for HEAD) */
} access_rec;

/* "text", "json" → *out; false for anything else. */
bool access_log_format_parse(const char *s, access_log_format *out);
/* The format of every later line (set once, before serving). */
void access_log_set_format(access_log_format f);

/* True for 1 to REQUEST_ID_MAX bytes of [A-Za-z0-9._-]. */
bool request_id_valid(const char *s);
/* A new random id: 32 lowercase hex digits. */
void request_id_new(char out[33]);

/* Start the record of a request arriving now: the wall clock, and the id
 * (`given`, the X-Request-Id header, when request_id_valid(), else new). */
void access_rec_start(access_rec *a, const char *given);

/* The client's address (a->client) from the TCP peer (NULL: unknown) and
 * r's X-Forwarded-For headers, believed only from a proxy in `l`
 * (client_ip.h). */
void access_rec_client(access_rec *a, const proxy_list *l,
                       const struct sockaddr *peer, const request *r);

/* `s` (NULL: "-") as one safe log field; see above.  Caller frees. */
char *access_log_field(const char *s);

/* RFC 3339 UTC with milliseconds: "2026-12-01T13:55:57.123Z". */
void access_log_time(const struct timespec *ts, char out[32]);

/* The line (with its '\n') for request `r` that took `ms`, in `f`; NULL
 * for ACCESS_LOG_OFF.  Caller frees. */
char *access_log_line(access_log_format f, const request *r,
                      const access_rec *a, double ms);

/* Write the line in the configured format to stderr (nothing when off). */
void access_log_write(const request *r, const access_rec *a, double ms);

#endif
