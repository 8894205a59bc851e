/*
 * compress.c - gzip content coding of replies (see compress.h).
 *
 * Accept-Encoding is a comma list of codings, each with optional
 * parameters ("gzip;q=0.8, identity;q=0.5, *;q=0"); only q matters here.
 * That token list is the one piece of HTTP parsed by hand (libmicrohttpd
 * hands over the header value, not its structure).  Qualities are kept in
 * thousandths, as RFC 9110 12.4.2 allows at most three decimals.
 */
#include "compress.h"

#include "hdx/alloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

/* A qvalue ("0", "0.5", "1", "1.000") in thousandths, or -1. */
static int parse_q(const char *s, size_t n)
{
    if (n == 0 || (s[0] != '0' && s[0] != '1'))
        return -1;
    int q = (s[0] - '0') * 1000;
    if (n == 1)
        return q;
    if (s[1] != '.' || n > 5)
        return -1;
    int scale = 100;
    for (size_t i = 2; i < n; i++, scale /= 10) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        q += (s[i] - '0') * scale;
    }
    return q > 1000 ? -1 : q;
}

static bool is_ows(char c)
{
    return c == ' ' || c == '\t';
}

/* Trim optional whitespace off [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
    while (*n && is_ows(**s))
        (*s)++, (*n)--;
    while (*n && is_ows((*s)[*n - 1]))
        (*n)--;
}

/* The quality of one element's parameters ("; q=0.5; x=y"), 1000 when
 * no q is given, -1 when one is malformed. */
static int element_q(const char *p, size_t n)
{
    int q = 1000;
    while (n) {
        const char *semi = memchr(p, ';', n);
        size_t len = semi ? (size_t)(semi - p) : n;
        const char *v = p;
        size_t vn = len;
        trim(&v, &vn);
        if (vn >= 2 && (v[0] == 'q' || v[0] == 'Q') && v[1] == '=') {
            q = parse_q(v + 2, vn - 2);
            if (q < 0)
                return -1;
        }
        p += len + (semi != NULL);
        n -= len + (semi != NULL);
    }
    return q;
}

static bool token_is(const char *t, size_t n, const char *word)
{
    return strlen(word) == n && strncasecmp(t, word, n) == 0;
}

compress_coding compress_choose(const char *ae)
{
    if (!ae)
        return CODING_IDENTITY;
    int q_gzip = -1, q_star = -1, q_identity = -1;
    const char *p = ae;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *semi = memchr(p, ';', len);
        const char *tok = p;
        size_t tn = semi ? (size_t)(semi - p) : len;
        trim(&tok, &tn);
        int q = semi ? element_q(semi + 1, len - (size_t)(semi + 1 - p))
                     : 1000;
        if (q >= 0) {
            if (token_is(tok, tn, "gzip") || token_is(tok, tn, "x-gzip"))
                q_gzip = q > q_gzip ? q : q_gzip;
            else if (token_is(tok, tn, "*"))
                q_star = q;
            else if (token_is(tok, tn, "identity"))
                q_identity = q;
        }
        p += len + (comma != NULL);
    }
    if (q_gzip < 0)
        q_gzip = q_star < 0 ? 0 : q_star;
    /* Unlisted, identity is acceptable but states no preference. */
    if (q_identity < 0)
        q_identity = q_star < 0 ? 0 : q_star;
    return q_gzip > 0 && q_gzip >= q_identity ? CODING_GZIP
                                               : CODING_IDENTITY;
}

bool compress_type_ok(const char *ct)
{
    static const char *const types[] = {
        "text/",          "application/json", "application/javascript",
        "image/svg+xml",  "application/xml",  "application/manifest+json",
    };
    if (!ct)
        return false;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strncasecmp(ct, types[i], strlen(types[i])))
            return true;
    return false;
}

char *compress_gzip(const char *body, size_t len, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    /* 15 + 16: a gzip header and trailer; level 6 is zlib's default. */
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK)
        abort(); /* only on OOM */
    size_t cap = deflateBound(&z, (uLong)len);
    unsigned char *out = hdx_xmalloc(cap + 1);
    z.next_in = (Bytef *)(uintptr_t)body;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        abort(); /* deflateBound() guarantees room */
    *out_len = z.total_out;
    deflateEnd(&z);
    return (char *)out;
}

bool compress_wanted(const request *r, reply *rep)
{
    if (!compress_type_ok(rep->content_type))
        return false;
    reply_header(rep, "Vary", "Accept-Encoding");
    return rep->body && rep->len >= COMPRESS_MIN_BYTES &&
           rep->status != 204 && rep->status != 304 &&
           !reply_header_get(rep, "Content-Encoding") &&
           compress_choose(http_header(r, "Accept-Encoding")) == CODING_GZIP;
}

void compress_apply(reply *rep)
{
    size_t n;
    char *gz = compress_gzip(rep->body, rep->len, &n);
    free(rep->body);
    rep->body = gz;
    rep->len = n;
    rep->took_off = rep->took_len = 0;
    reply_header(rep, "Content-Encoding", "gzip");
}
