/*
 * fuzz_http.c - libFuzzer harness of the server's request handling
 * without a socket: the request is collected as server/main.c collects it
 * from libmicrohttpd (arguments decoded, headers, body up to MAX_BODY,
 * caller level from the Authorization header through auth_check()) and
 * answered by route_request(), so every handler's argument parsing
 * (http_int_arg, http_bool_arg, filters, ids, feedback forms) runs on a
 * small real index (common.c) with the help center and an in-memory
 * feedback store.
 *
 * Input, as on the wire:  METHOD SP TARGET LF  (Name: value LF)*  LF  body
 * TARGET is a path and an optional ?query; both are %-decoded as MHD does
 * ('+' is a space in the query).  The tokens "agent-fuzz-token" and
 * "internal-fuzz-token" give the agent and internal levels.  A header
 * "X-Fuzz-Session" (any value) sends the cookie of a live sign-in
 * session of the agent token (session.h); "Cookie" sends its value as
 * a session id.
 *
 * Checked: every reply has a body and a status from 100 to 599 and never
 * 500; a JSON reply parses, and an error reply (>= 400) has the shape
 * {"error":{"code","message"}} (or, from the Meilisearch API under
 * /meili/, its {"code","message",...}); a cacheable GET answered 200 is
 * answered again from the cache with the same status, type and body
 * (took_ms aside); a signed-in one never is.
 */
#include "common.h"

#include "auth.h"
#include "cache.h"
#include "session.h"
#include "feedback_store.h"
#include "routes.h"
#include "web.h"

#include "hdx/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_KV 64

static hdx_db *g_db;
static auth *g_auth;
static char g_sid[SESSION_HEX + 1]; /* a live session of the agent token */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = fuzz_tmpdir();
    g_db = fuzz_index_open(dir);
    char tokens[4096], assets[4096], corpus[4096];
    snprintf(tokens, sizeof tokens, "%s/tokens", dir);
    FILE *f = fopen(tokens, "w");
    if (!f)
        fuzz_fail("cannot write %s", tokens);
    fputs("agent-fuzz-token agent fuzz-agent\n"
          "internal-fuzz-token internal fuzz-internal\n", f);
    fclose(f);
    chmod(tokens, 0600); /* auth_load() refuses a file others may read */
    hdx_error err;
    if (auth_load(tokens, &g_auth, &err) != HDX_OK)
        fuzz_fail("auth_load: %s", err.msg);
    snprintf(assets, sizeof assets, "%s/web", fuzz_root());
    snprintf(corpus, sizeof corpus, "%s/corpus", fuzz_root());
    /* The corpus the index was built from: GET /media/ is fuzzed too. */
    web_config wc = {.assets_dir = assets,
                     .feedback_db = ":memory:",
                     .corpus = corpus};
    if (web_init(&wc, &err) != HDX_OK)
        fuzz_fail("web_init: %s", err.msg);
    cache_init();
    char csrf[SESSION_HEX + 1];
    session_configure(1000000000L, 1000000000L); /* never expires here */
    session_create("agent-fuzz-token", http_now_ms() / 1000.0, g_sid, csrf);
    return 0;
}

/* The parts of one input; every string is owned here. */
typedef struct parsed {
    char *method, *path;
    char *name[MAX_KV], *value[MAX_KV]; /* value NULL: no '=' */
    size_t n_args;
    char *hname[MAX_KV], *hvalue[MAX_KV];
    size_t n_headers;
    const char *body;
    size_t body_len;
} parsed;

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* s[0..n) %-decoded ('+' → ' ' when `plus`); a C string, so a decoded
 * NUL ends it, as it ends MHD's. */
static char *decode(const char *s, size_t n, bool plus)
{
    char *out = hdx_xmalloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < n &&
            (hi = hexval(s[i + 1])) >= 0 && (lo = hexval(s[i + 2])) >= 0) {
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[o++] = plus && s[i] == '+' ? ' ' : s[i];
        }
    }
    out[o] = '\0';
    return out;
}

static void parse_query(parsed *p, const char *q, size_t n)
{
    for (size_t i = 0; i < n && p->n_args < MAX_KV;) {
        const char *amp = memchr(q + i, '&', n - i);
        size_t e = amp ? (size_t)(amp - q) : n;
        const char *eq = memchr(q + i, '=', e - i);
        size_t ne = eq ? (size_t)(eq - q) : e;
        if (e > i) {
            p->name[p->n_args] = decode(q + i, ne - i, true);
            p->value[p->n_args] = eq ? decode(eq + 1, e - ne - 1, true) : NULL;
            p->n_args++;
        }
        i = e + 1;
    }
}

/* One line of s[*at..n) without its LF (and CR); *at moves past it. */
static const char *line(const char *s, size_t n, size_t *at, size_t *len)
{
    const char *l = s + *at;
    const char *lf = memchr(l, '\n', n - *at);
    size_t k = lf ? (size_t)(lf - l) : n - *at;
    *at += k + (lf != NULL);
    if (k && l[k - 1] == '\r')
        k--;
    *len = k;
    return l;
}

static void parse_input(parsed *p, const char *s, size_t n)
{
    memset(p, 0, sizeof *p);
    size_t at = 0, len;
    const char *l = line(s, n, &at, &len);
    const char *sp = memchr(l, ' ', len);
    size_t ml = sp ? (size_t)(sp - l) : len;
    p->method = fuzz_strndup((const uint8_t *)l, ml);
    const char *t = sp ? sp + 1 : l + len;
    size_t tl = sp ? len - ml - 1 : 0;
    const char *sp2 = memchr(t, ' ', tl); /* " HTTP/1.1" is not the target */
    tl = sp2 ? (size_t)(sp2 - t) : tl;
    const char *qm = memchr(t, '?', tl);
    size_t pl = qm ? (size_t)(qm - t) : tl;
    p->path = pl ? decode(t, pl, false) : hdx_xstrdup("/");
    if (qm)
        parse_query(p, qm + 1, tl - pl - 1);
    while (at < n) {
        l = line(s, n, &at, &len);
        if (len == 0)
            break;
        const char *colon = memchr(l, ':', len);
        if (!colon || p->n_headers == MAX_KV)
            continue;
        size_t nl = (size_t)(colon - l), vs = nl + 1;
        while (vs < len && (l[vs] == ' ' || l[vs] == '\t'))
            vs++;
        p->hname[p->n_headers] = fuzz_strndup((const uint8_t *)l, nl);
        p->hvalue[p->n_headers] =
            fuzz_strndup((const uint8_t *)l + vs, len - vs);
        p->n_headers++;
    }
    p->body = s + at;
    p->body_len = n - at;
}

static void parsed_free(parsed *p)
{
    free(p->method);
    free(p->path);
    for (size_t i = 0; i < p->n_args; i++) {
        free(p->name[i]);
        free(p->value[i]);
    }
    for (size_t i = 0; i < p->n_headers; i++) {
        free(p->hname[i]);
        free(p->hvalue[i]);
    }
}

/* The request as server/main.c's request_new() and on_request() build
 * it; release with request_clear(). */
static void build_request(request *r, const parsed *p)
{
    request_init(r, p->method, p->path, http_now_ms());
    for (size_t i = 0; i < p->n_args; i++)
        request_add_arg(r, p->name[i], p->value[i]);
    for (size_t i = 0; i < p->n_headers; i++) {
        if (!strcasecmp(p->hname[i], "X-Fuzz-Session"))
            request_add_cookie(r, SESSION_COOKIE, g_sid);
        else if (!strcasecmp(p->hname[i], "Cookie"))
            request_add_cookie(r, SESSION_COOKIE, p->hvalue[i]);
        request_add_header(r, p->hname[i], p->hvalue[i]);
    }
    auth_request(g_auth, r);
    if (p->body_len > MAX_BODY)
        r->body_too_large = true;
    else
        hdx_buf_add(&r->body, p->body, p->body_len);
    if (!r->bad_token)
        r->db = g_db;
}

static void check_reply(const request *r, const reply *rep)
{
    if (!rep->body || rep->status < 100 || rep->status > 599 ||
        rep->status == 500)
        fuzz_fail("%s %s: status %d, body %s", r->method, r->path,
                  rep->status, rep->body ? rep->body : "(none)");
    const char *ct = rep->content_type;
    if (!ct || strncmp(ct, "application/json", 16) != 0)
        return;
    json_error_t je;
    json_t *j = json_loadb(rep->body, rep->len, 0, &je);
    if (!j)
        fuzz_fail("%s %s: reply %d is not JSON (%s): %.*s", r->method,
                  r->path, rep->status, je.text, (int)rep->len, rep->body);
    /* The Meilisearch API's errors have its shape, {message, code, type,
     * link} (docs/meilisearch.md); what the dispatcher refuses before it
     * (a method, a URI over the limits, a NUL byte), and every other
     * error, helpdex's. */
    json_t *e = json_object_get(j, "error");
    if (!e && !strncmp(r->path, "/meili/", 7))
        e = j;
    /* Every error keeps its shape, invalid UTF-8 in the request or not
     * (finding http-1, tests/fuzz/regressions/http/). */
    if (rep->status >= 400 &&
        (!json_is_string(json_object_get(e, "code")) ||
         !json_is_string(json_object_get(e, "message"))))
        fuzz_fail("%s %s: error reply %d without error.code/message: %s",
                  r->method, r->path, rep->status, rep->body);
    json_decref(j);
}

/* body[0..len) without its took_ms span, compared. */
static bool same_body(const reply *a, const reply *b)
{
    size_t at = a->took_len ? a->took_off : a->len;
    size_t bt = b->took_len ? b->took_off : b->len;
    size_t ae = at + a->took_len, be = bt + b->took_len;
    return at == bt && a->len - ae == b->len - be &&
           !memcmp(a->body, b->body, at) &&
           !memcmp(a->body + ae, b->body + be, a->len - ae);
}

/* A cacheable 200 must come back from the cache, the same. */
static void check_cached(const parsed *p, const reply *first)
{
    request r;
    build_request(&r, p);
    reply rep = {0};
    route_request(&r, &rep);
    if (r.signed_in) { /* never stored, never served from the cache */
        if (reply_header_get(&rep, "X-Cache"))
            fuzz_fail("%s %s: a signed-in answer came from the cache",
                      r.method, r.path);
    } else if (!reply_header_get(&rep, "X-Cache") ||
               rep.status != first->status || !rep.content_type ||
               !first->content_type ||
               strcmp(rep.content_type, first->content_type) ||
               !same_body(first, &rep)) {
        fuzz_fail("%s %s: the cached answer differs from the first one",
                  r.method, r.path);
    }
    reply_clear(&rep);
    request_clear(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    parsed p;
    parse_input(&p, (const char *)data, size);
    request r;
    build_request(&r, &p);
    reply rep = {0};
    route_request(&r, &rep);
    check_reply(&r, &rep);
    const char *id;
    size_t id_len;
    const route *rt = route_find(r.path, &id, &id_len);
    if (rt && rt->cacheable && rep.status == 200 && !strcmp(r.method, "GET") &&
        rep.len <= 256u * 1024u)
        check_cached(&p, &rep);
    /* Keep runs independent: an empty cache and feedback store. */
    if (rt && !strcmp(rt->name, "feedback") && rep.status < 400) {
        feedback_store_close();
        if (feedback_store_open(":memory:", NULL) != HDX_OK)
            fuzz_fail("cannot reopen the feedback store");
    }
    cache_shutdown();
    cache_init();
    reply_clear(&rep);
    request_clear(&r);
    parsed_free(&p);
    return 0;
}
