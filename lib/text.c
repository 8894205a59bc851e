/*
 * text.c - UTF-8 validation and normalisation (see include/hdx/text.h).
 *
 * Validation decodes with utf8proc_iterate(), skipping ASCII bytes inline.
 * The full mapping is utf8proc_map() with COMPAT|COMPOSE (NFKC), CASEFOLD
 * and STRIPMARK.  Most support text is ASCII, so an ASCII run is folded
 * byte by byte instead: for ASCII input NFKC and mark stripping are the
 * identity and case folding is tolower(), so both paths agree.
 */
#include "hdx/text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

bool hdx_text_valid_utf8(const char *s, size_t n, size_t *bad_offset)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    while (i < n) {
        /* ASCII fast path: the server validates every query, and most text
         * is ASCII, so a byte below 0x80 costs no call. */
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        /* utf8proc_iterate() reads at most n - i bytes and rejects
         * overlongs, surrogates, code points above U+10FFFF, bad lead or
         * continuation bytes and truncated sequences (tests/unit/test_text.c
         * pins this for utf8proc 2.8). */
        utf8proc_int32_t cp;
        utf8proc_ssize_t len =
            utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
        if (len < 0) {
            if (bad_offset)
                *bad_offset = i;
            return false;
        }
        i += (size_t)len;
    }
    return true;
}

hdx_status hdx_text_normalize(hdx_buf *out, const char *s, size_t n,
                              hdx_error *err)
{
    size_t i = 0;
    while (i < n && (unsigned char)s[i] < 0x80)
        i++;
    if (i == n) {
        hdx_buf_reserve(out, n);
        char *d = out->data + out->len;
        for (size_t k = 0; k < n; k++) {
            unsigned char c = (unsigned char)s[k];
            d[k] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : (char)c;
        }
        out->len += n;
        out->data[out->len] = '\0';
        return HDX_OK;
    }
    size_t bad;
    if (!hdx_text_valid_utf8(s, n, &bad))
        return hdx_error_set(err, HDX_EPARSE, __func__,
                             "invalid UTF-8 at byte %zu", bad);
    utf8proc_uint8_t *mapped = NULL;
    utf8proc_ssize_t r = utf8proc_map(
        (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &mapped,
        UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
            UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
    if (r < 0)
        return hdx_error_set(err, HDX_EPARSE, __func__, "%s",
                             utf8proc_errmsg(r));
    hdx_buf_add(out, mapped, (size_t)r);
    free(mapped);
    return HDX_OK;
}

char *hdx_text_normalized(const char *s)
{
    hdx_buf b;
    hdx_buf_init(&b);
    if (s && hdx_text_normalize(&b, s, strlen(s), NULL) != HDX_OK)
        hdx_buf_reset(&b);
    char *r = hdx_buf_detach(&b);
    hdx_buf_clear(&b);
    return r;
}

static bool word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Drop the inner apostrophes of d[0..n) in place; the new length.  A
 * letter after it is ASCII or a UTF-8 lead byte (never a continuation). */
static size_t drop_apostrophes(char *d, size_t n)
{
    static const char rsquo[] = "\xE2\x80\x99";
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t len = d[i] == '\'' ? 1 : (n - i >= 3 && !memcmp(d + i, rsquo, 3))
                                             ? 3
                                             : 0;
        if (len && o > 0 && word_byte((unsigned char)d[o - 1]) && i + len < n) {
            unsigned char next = (unsigned char)d[i + len];
            if ((next >= 'a' && next <= 'z') || next >= 0xC0) {
                i += len;
                continue;
            }
        }
        d[o++] = d[i++];
    }
    return o;
}

hdx_status hdx_text_fold(hdx_buf *out, const char *s, size_t n, hdx_error *err)
{
    size_t start = out->len;
    hdx_status st = hdx_text_normalize(out, s, n, err);
    if (st == HDX_OK && out->data) {
        out->len = start + drop_apostrophes(out->data + start, out->len - start);
        out->data[out->len] = '\0';
    }
    return st;
}

char *hdx_text_folded(const char *s)
{
    hdx_buf b;
    hdx_buf_init(&b);
    if (s && hdx_text_fold(&b, s, strlen(s), NULL) != HDX_OK)
        hdx_buf_reset(&b);
    char *r = hdx_buf_detach(&b);
    hdx_buf_clear(&b);
    return r;
}

size_t hdx_text_clip(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    size_t i = max;
    /* Step back over continuation bytes to a character boundary. */
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}
