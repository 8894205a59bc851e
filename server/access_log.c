/*
 * access_log.c - access log lines and request ids (see access_log.h).
 */
#include "access_log.h"

#include "hdx/alloc.h"
#include "hdx/text.h"

#include <jansson.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

static _Atomic int g_format = ACCESS_LOG_TEXT;

bool access_log_format_parse(const char *s, access_log_format *out)
{
    if (s && !strcmp(s, "text"))
        *out = ACCESS_LOG_TEXT;
    else if (s && !strcmp(s, "json"))
        *out = ACCESS_LOG_JSON;
    else
        return false;
    return true;
}

void access_log_set_format(access_log_format f)
{
    atomic_store(&g_format, (int)f);
}

bool request_id_valid(const char *s)
{
    size_t n = 0;
    if (!s)
        return false;
    for (; s[n]; n++) {
        char c = s[n];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                  (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == '-';
        if (!ok || n >= REQUEST_ID_MAX)
            return false;
    }
    return n > 0;
}

/* splitmix64: only for when getrandom() fails (it does not on Linux
 * >= 3.17 once the pool is ready, which it is long before we serve). */
static uint64_t fallback_random(void)
{
    static _Atomic uint64_t counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t z = atomic_fetch_add(&counter, 1) * 0x9e3779b97f4a7c15ull +
                 (uint64_t)ts.tv_nsec + ((uint64_t)ts.tv_sec << 30);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void request_id_new(char out[33])
{
    unsigned char raw[16];
    if (getrandom(raw, sizeof raw, GRND_NONBLOCK) != (ssize_t)sizeof raw)
        for (int i = 0; i < 2; i++) {
            uint64_t x = fallback_random();
            memcpy(raw + 8 * i, &x, 8);
        }
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 15];
    }
    out[32] = '\0';
}

void access_rec_start(access_rec *a, const char *given)
{
    clock_gettime(CLOCK_REALTIME, &a->wall);
    if (request_id_valid(given))
        snprintf(a->id, sizeof a->id, "%s", given);
    else
        request_id_new(a->id);
}

void access_rec_client(access_rec *a, const proxy_list *l,
                       const struct sockaddr *peer, const request *r)
{
    struct in6_addr addr;
    bool known = ip_from_sockaddr(peer, &addr);
    const char **xff = hdx_xcalloc(r->n_headers + 1, sizeof *xff);
    size_t n = 0;
    for (size_t i = 0; i < r->n_headers; i++)
        if (!strcasecmp(r->headers[i].name, "X-Forwarded-For"))
            xff[n++] = r->headers[i].value;
    client_ip(l, known ? &addr : NULL, xff, n, a->client);
    free(xff);
}

char *access_log_field(const char *s)
{
    char *out = hdx_xstrdup(s ? s : "-");
    size_t n = strlen(out), bad;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
            out[i] = '?';
    while (!hdx_text_valid_utf8(out, n, &bad) && bad < n)
        out[bad] = '?';
    return out;
}

void access_log_time(const struct timespec *ts, char out[32])
{
    struct tm tm;
    time_t t = ts->tv_sec;
    gmtime_r(&t, &tm);
    size_t n = strftime(out, 24, "%Y-%m-%dT%H:%M:%S", &tm);
    unsigned ms = (unsigned)(ts->tv_nsec / 1000000L) % 1000u;
    snprintf(out + n, 32 - n, ".%03uZ", ms);
}

/* Set key to the safe form of s (see access_log_field). */
static void set_field(json_t *o, const char *key, const char *s)
{
    char *f = access_log_field(s);
    json_object_set_new(o, key, json_string(f));
    free(f);
}

static char *json_line(const request *r, const access_rec *a, double ms)
{
    char ts[32];
    access_log_time(&a->wall, ts);
    json_t *o = json_object();
    json_object_set_new(o, "ts", json_string(ts));
    json_object_set_new(o, "id", json_string(a->id));
    set_field(o, "method", r->method);
    json_object_set_new(o, "route", a->route ? json_string(a->route)
                                             : json_null());
    if (a->route_public)
        set_field(o, "path", r->path);
    json_object_set_new(o, "status", json_integer(r->status));
    json_object_set_new(o, "bytes", json_integer((json_int_t)a->bytes));
    json_object_set_new(o, "ms", json_real((double)(long long)(ms * 1000.0)
                                           / 1000.0));
    json_object_set_new(o, "cache_hit", json_boolean(a->cache_hit));
    json_object_set_new(o, "client", json_string(a->client));
    if (r->caller)
        set_field(o, "caller", r->caller);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                JSON_REAL_PRECISION(10));
    json_decref(o);
    if (!s)
        return NULL;
    size_t n = strlen(s);
    s = hdx_xrealloc(s, n + 2);
    memcpy(s + n, "\n", 2);
    return s;
}

static char *text_line(const request *r, const access_rec *a, double ms)
{
    char *method = access_log_field(r->method);
    char *path = access_log_field(r->path);
    char *caller = r->caller ? access_log_field(r->caller) : NULL;
    char *out = NULL;
    if (asprintf(&out, "%s %s %d %.2fms client=%s id=%s%s%s\n", method,
                 path, r->status, ms, a->client, a->id,
                 caller ? " caller=" : "", caller ? caller : "") < 0)
        out = NULL;
    free(method);
    free(path);
    free(caller);
    return out;
}

char *access_log_line(access_log_format f, const request *r,
                      const access_rec *a, double ms)
{
    switch (f) {
    case ACCESS_LOG_JSON: return json_line(r, a, ms);
    case ACCESS_LOG_TEXT: return text_line(r, a, ms);
    default: return NULL;
    }
}

void access_log_write(const request *r, const access_rec *a, double ms)
{
    char *line = access_log_line((access_log_format)atomic_load(&g_format),
                                 r, a, ms);
    if (!line)
        return;
    /* write(2) itself, not stdio: one system call for the whole line. */
    size_t n = strlen(line), off = 0;
    while (off < n) {
        ssize_t w = write(STDERR_FILENO, line + off, n - off);
        if (w <= 0)
            break; /* stderr closed or full: the line is lost, not the
                      request */
        off += (size_t)w;
    }
    free(line);
}
