/*
 * http.c - argument parsing and reply construction (see http.h).
 */
#include "http.h"

#include "hdx/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double http_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

const char *http_arg(request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

bool http_int_arg(request *r, reply *rep, const char *name, long min,
                  long max, long def, long *out)
{
    const char *v = http_arg(r, name);
    *out = def;
    if (!v || !*v)
        return true;
    char *end;
    long x = strtol(v, &end, 10);
    if (*end || x < min || x > max) {
        reply_error(rep, 400, "bad_parameter",
                    "parameter '%s' must be a whole number from %ld to %ld",
                    name, min, max);
        return false;
    }
    *out = x;
    return true;
}

bool http_bool_arg(request *r, reply *rep, const char *name, bool def,
                   bool *out)
{
    const char *v = http_arg(r, name);
    *out = def;
    if (!v || !*v)
        return true;
    if (!strcmp(v, "1") || !strcmp(v, "true")) {
        *out = true;
        return true;
    }
    if (!strcmp(v, "0") || !strcmp(v, "false")) {
        *out = false;
        return true;
    }
    reply_error(rep, 400, "bad_parameter",
                "parameter '%s' must be 0 or 1", name);
    return false;
}

void reply_clear(reply *rep)
{
    free(rep->body);
    for (size_t i = 0; i < rep->n_hdr; i++)
        free(rep->hdr_value[i]);
    memset(rep, 0, sizeof *rep);
}

void reply_bytes(reply *rep, int status, const char *content_type,
                 const char *body, size_t len)
{
    free(rep->body);
    rep->status = status;
    rep->content_type = content_type;
    rep->body = hdx_xmalloc(len + 1);
    memcpy(rep->body, body, len);
    rep->body[len] = '\0';
    rep->len = len;
}

void reply_json(reply *rep, int status, json_t *obj)
{
    free(rep->body);
    rep->status = status;
    rep->content_type = "application/json; charset=utf-8";
    rep->body = json_dumps(obj, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(6));
    rep->len = rep->body ? strlen(rep->body) : 0;
    json_decref(obj);
    if (!rep->body) {
        rep->body = hdx_xstrdup("{}");
        rep->len = 2;
    }
}

void reply_error(reply *rep, int status, const char *code, const char *fmt,
                 ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    reply_json(rep, status,
               json_pack("{s:{s:s, s:s}}", "error", "code", code, "message",
                         msg));
}

void reply_header(reply *rep, const char *name, const char *value)
{
    if (rep->n_hdr >= sizeof rep->hdr_name / sizeof rep->hdr_name[0])
        return;
    rep->hdr_name[rep->n_hdr] = name;
    rep->hdr_value[rep->n_hdr] = hdx_xstrdup(value);
    rep->n_hdr++;
}

void reply_status(reply *rep, hdx_status st, const hdx_error *err)
{
    switch (st) {
    case HDX_OK:
        return;
    case HDX_EINVAL:
    case HDX_EQUERY:
        reply_error(rep, 400, "bad_query", "%s", err ? err->msg : "bad query");
        return;
    case HDX_ENOTFOUND:
        reply_error(rep, 404, "not_found", "no such document");
        return;
    case HDX_EDB_MODIFIED:
    case HDX_EDB_LOCKED:
        reply_error(rep, 503, "busy", "the index is being updated; retry");
        reply_header(rep, "Retry-After", "1");
        return;
    default:
        fprintf(stderr, "helpdex-serve: %s: %s (%s)\n",
                err ? err->where : "?", err ? err->msg : "?",
                hdx_status_str(st));
        reply_error(rep, 500, "internal", "internal error");
        return;
    }
}
