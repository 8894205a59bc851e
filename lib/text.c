/*
 * text.c - UTF-8 validation and normalisation (see include/hdx/text.h).
 *
 * The full mapping is utf8proc_map() with COMPAT|COMPOSE (NFKC), CASEFOLD
 * and STRIPMARK.  Most support text is ASCII, so an ASCII run is folded
 * byte by byte instead: for ASCII input NFKC and mark stripping are the
 * identity and case folding is tolower(), so both paths agree.
 */
#include "hdx/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

bool hdx_text_valid_utf8(const char *s, size_t n, size_t *bad_offset)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            goto bad;
        }
        if (i + len > n)
            goto bad;
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                goto bad;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto bad;
        i += len;
    }
    return true;
bad:
    if (bad_offset)
        *bad_offset = i;
    return false;
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
