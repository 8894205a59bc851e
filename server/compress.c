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

/* zlib levels: answers compressed as they are sent get the fast level
 * (about a third of level 6's time, 8% larger on an 8 KB search answer);
 * the response cache compresses once per entry and can afford more. */
#define LEVEL_NOW 1
#define LEVEL_CACHED 6

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

/* One deflate run over body[0..len): a gzip member when `gzip`, else raw
 * deflate data ending in a final block. */
static char *deflate_all(const char *body, size_t len, int level, bool gzip,
                         size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    /* The window need not be larger than the body: zlib's state (and
     * the time spent clearing it) shrinks with it. */
    int wbits = 9;
    while (wbits < 15 && ((size_t)1 << wbits) < len)
        wbits++;
    if (deflateInit2(&z, level, Z_DEFLATED, gzip ? wbits + 16 : -wbits, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        abort(); /* only on OOM */
    size_t cap = deflateBound(&z, (uLong)len) + 32;
    unsigned char *out = hdx_xmalloc(cap);
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

char *compress_gzip(const char *body, size_t len, size_t *out_len)
{
    return deflate_all(body, len, LEVEL_NOW, true, out_len);
}

char *compress_tail(const char *tail, size_t n, size_t *out_len,
                    uint32_t *crc)
{
    *crc = (uint32_t)crc32(0, (const Bytef *)tail, (uInt)n);
    return deflate_all(tail, n, LEVEL_CACHED, false, out_len);
}

static void put_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/*
 * A gzip member (RFC 1952) of rep's body from its ready tail: the
 * 10-byte header, the head as one non-final stored block (RFC 1951
 * 3.2.4: a byte 0, LEN, ~LEN, the bytes; it ends on a byte boundary, so
 * the tail's blocks follow as they are), the tail, CRC-32 and length.
 * NULL when the head is too long for one stored block.
 */
static char *join_tail(const reply *rep, size_t *out_len)
{
    static const unsigned char hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    size_t head = rep->len - rep->gz_raw_len;
    if (rep->gz_raw_len > rep->len || head > 0xFFFF)
        return NULL;
    size_t n = sizeof hdr + (head ? 5 + head : 0) + rep->gz_tail_len + 8;
    unsigned char *out = hdx_xmalloc(n), *p = out;
    memcpy(p, hdr, sizeof hdr);
    p += sizeof hdr;
    if (head) {
        *p++ = 0; /* BFINAL 0, BTYPE 00: stored */
        p[0] = (unsigned char)(head & 0xFF);
        p[1] = (unsigned char)(head >> 8);
        p[2] = (unsigned char)(~head & 0xFF);
        p[3] = (unsigned char)((~head >> 8) & 0xFF);
        memcpy(p + 4, rep->body, head);
        p += 4 + head;
    }
    memcpy(p, rep->gz_tail, rep->gz_tail_len);
    p += rep->gz_tail_len;
    uLong crc = crc32(0, (const Bytef *)rep->body, (uInt)head);
    crc = crc32_combine(crc, rep->gz_tail_crc, (z_off_t)rep->gz_raw_len);
    put_le32(p, (uint32_t)crc);
    put_le32(p + 4, (uint32_t)rep->len);
    *out_len = n;
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
    char *gz = rep->gz_tail ? join_tail(rep, &n) : NULL;
    if (!gz)
        gz = compress_gzip(rep->body, rep->len, &n);
    free(rep->gz_tail);
    rep->gz_tail = NULL;
    rep->gz_tail_len = rep->gz_raw_len = 0;
    free(rep->body);
    rep->body = gz;
    rep->len = n;
    rep->took_off = rep->took_len = 0;
    reply_header(rep, "Content-Encoding", "gzip");
}
