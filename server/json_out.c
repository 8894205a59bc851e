/*
 * json_out.c - streaming JSON output that matches jansson (see json_out.h).
 */
#include "json_out.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Decode one UTF-8 sequence at s[0..n); 0 if it is not valid. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xe0) == 0xc0) {
        len = 2, v = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        len = 3, v = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return len;
}

void jout_strn(hdx_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;
    hdx_buf_reserve(b, n + 2);
    hdx_buf_addc(b, '"');
    while (i < n) {
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            run++;
            continue;
        }
        if (run)
            hdx_buf_add(b, p + i - run, run);
        run = 0;
        uint32_t cp;
        size_t len = utf8_next(p + i, n - i, &cp);
        if (!len) {
            cp = 0xfffd;
            len = 1;
        }
        i += len;
        char seq[16];
        switch (cp) {
        case '\\': hdx_buf_add(b, "\\\\", 2); break;
        case '"': hdx_buf_add(b, "\\\"", 2); break;
        case '\b': hdx_buf_add(b, "\\b", 2); break;
        case '\f': hdx_buf_add(b, "\\f", 2); break;
        case '\n': hdx_buf_add(b, "\\n", 2); break;
        case '\r': hdx_buf_add(b, "\\r", 2); break;
        case '\t': hdx_buf_add(b, "\\t", 2); break;
        default:
            if (cp < 0x10000) {
                snprintf(seq, sizeof seq, "\\u%04X", (unsigned)cp);
            } else {
                cp -= 0x10000;
                snprintf(seq, sizeof seq, "\\u%04X\\u%04X",
                         (unsigned)(0xd800 | ((cp & 0xffc00) >> 10)),
                         (unsigned)(0xdc00 | (cp & 0x3ff)));
            }
            hdx_buf_adds(b, seq);
        }
    }
    if (run)
        hdx_buf_add(b, p + i - run, run);
    hdx_buf_addc(b, '"');
}

void jout_str(hdx_buf *b, const char *s)
{
    if (s)
        jout_strn(b, s, strlen(s));
    else
        hdx_buf_adds(b, "null");
}

void jout_key(hdx_buf *b, const char *key)
{
    jout_str(b, key);
    hdx_buf_addc(b, ':');
}

void jout_value(hdx_buf *b, const json_t *v)
{
    if (!v) {
        hdx_buf_adds(b, "null");
        return;
    }
    size_t need = json_dumpb(v, NULL, 0, JOUT_FLAGS | JSON_ENCODE_ANY);
    hdx_buf_reserve(b, need + 1);
    json_dumpb(v, b->data + b->len, need, JOUT_FLAGS | JSON_ENCODE_ANY);
    b->len += need;
    b->data[b->len] = '\0';
}

void jout_real(hdx_buf *b, double d)
{
    json_t *v = json_real(d);
    jout_value(b, v);
    json_decref(v);
}
