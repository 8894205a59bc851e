/*
 * http.c - requests, argument parsing and reply construction (see http.h).
 */
#include "http.h"

#include "json_out.h"

#include "hdx/alloc.h"
#include "hdx/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

double http_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

size_t http_took_ms(hdx_buf *b, double t0)
{
    size_t before = b->len;
    jout_real(b, (double)(long)((http_now_ms() - t0) * 1000.0) / 1000.0);
    return b->len - before;
}

/* ---- request ------------------------------------------------------------ */

void request_init(request *r, const char *method, const char *path,
                  double t0)
{
    memset(r, 0, sizeof *r);
    r->method = method;
    r->path = hdx_xstrdup(path);
    r->t0 = t0;
    hdx_buf_init(&r->body);
}

void request_clear(request *r)
{
    hdx_buf_clear(&r->body);
    free((char *)r->path);
    free(r->args);
    free(r->headers);
    free(r->cookies);
    free(r->id_owned);
    memset(r, 0, sizeof *r);
}

/* Room for element n of an array whose capacity is 8, then the next
 * power of two above its count. */
static void *grow(void *arr, size_t n, size_t size)
{
    if (n == 0 || (n >= 8 && (n & (n - 1)) == 0))
        arr = hdx_xrealloc(arr, (n ? 2 * n : 8) * size);
    return arr;
}

static void kv_add(http_kv **arr, size_t *n, const char *name,
                   const char *value)
{
    *arr = grow(*arr, *n, sizeof **arr);
    (*arr)[*n].name = name;
    (*arr)[*n].value = value;
    (*n)++;
}

void request_add_arg(request *r, const char *name, const char *value)
{
    kv_add(&r->args, &r->n_args, name, value);
}

void request_add_header(request *r, const char *name, const char *value)
{
    kv_add(&r->headers, &r->n_headers, name, value);
}

void request_add_cookie(request *r, const char *name, const char *value)
{
    kv_add(&r->cookies, &r->n_cookies, name, value);
}

const char *http_arg(const request *r, const char *name)
{
    for (size_t i = 0; i < r->n_args; i++)
        if (!strcmp(r->args[i].name, name))
            return r->args[i].value;
    return NULL;
}

const char *http_header(const request *r, const char *name)
{
    for (size_t i = 0; i < r->n_headers; i++)
        if (!strcasecmp(r->headers[i].name, name))
            return r->headers[i].value;
    return NULL;
}

const char *http_cookie(const request *r, const char *name)
{
    for (size_t i = 0; i < r->n_cookies; i++)
        if (!strcmp(r->cookies[i].name, name))
            return r->cookies[i].value;
    return NULL;
}

bool http_is_get(const request *r)
{
    return !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD");
}

bool http_int_arg(const request *r, reply *rep, const char *name, long min,
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

bool http_bool_arg(const request *r, reply *rep, const char *name, bool def,
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

/* ---- reply -------------------------------------------------------------- */

void reply_clear(reply *rep)
{
    free(rep->body);
    free(rep->gz_tail);
    for (size_t i = 0; i < rep->n_hdr; i++)
        free(rep->hdr[i].value);
    free(rep->hdr);
    memset(rep, 0, sizeof *rep);
}

void reply_take(reply *rep, int status, const char *content_type, char *body,
                size_t len)
{
    free(rep->body);
    free(rep->gz_tail); /* it was part of the old body */
    rep->gz_tail = NULL;
    rep->gz_tail_len = rep->gz_raw_len = 0;
    rep->status = status;
    rep->content_type = content_type;
    rep->body = body;
    rep->len = len;
    rep->took_off = rep->took_len = 0;
}

void reply_take_buf(reply *rep, int status, const char *content_type,
                    hdx_buf *b)
{
    size_t len = b->len;
    reply_take(rep, status, content_type, b->data, len);
    b->data = NULL; /* the reply's now */
    hdx_buf_clear(b);
}

void reply_bytes(reply *rep, int status, const char *content_type,
                 const char *body, size_t len)
{
    char *copy = hdx_xmalloc(len + 1);
    memcpy(copy, body, len);
    copy[len] = '\0';
    reply_take(rep, status, content_type, copy, len);
}

void reply_json(reply *rep, int status, json_t *obj)
{
    char *body = json_dumps(obj, JOUT_FLAGS);
    json_decref(obj);
    if (!body)
        body = hdx_xstrdup("{}");
    reply_take(rep, status, "application/json; charset=utf-8", body,
               strlen(body));
}

void reply_json_buf(reply *rep, int status, hdx_buf *b, size_t took_off,
                    size_t took_len)
{
    reply_take_buf(rep, status, "application/json; charset=utf-8", b);
    rep->took_off = took_off;
    rep->took_len = took_len;
}

/* Messages may echo request bytes (a path, a method) and are cut to a
 * fixed size: make them valid UTF-8 so the JSON error keeps its shape
 * (jansson refuses invalid strings).  Each bad byte becomes '?'. */
void http_make_utf8(char *msg)
{
    size_t n = strlen(msg), bad;
    while (!hdx_text_valid_utf8(msg, n, &bad) && bad < n)
        msg[bad] = '?';
}

void reply_error(reply *rep, int status, const char *code, const char *fmt,
                 ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    http_make_utf8(msg);
    reply_json(rep, status,
               json_pack("{s:{s:s, s:s}}", "error", "code", code, "message",
                         msg));
}

void reply_header(reply *rep, const char *name, const char *value)
{
    size_t n = rep->n_hdr;
    rep->hdr = grow(rep->hdr, n, sizeof *rep->hdr);
    rep->hdr[n].name = name;
    rep->hdr[n].value = hdx_xstrdup(value);
    rep->n_hdr++;
}

const char *reply_header_get(const reply *rep, const char *name)
{
    for (size_t i = 0; i < rep->n_hdr; i++)
        if (!strcasecmp(rep->hdr[i].name, name))
            return rep->hdr[i].value;
    return NULL;
}
