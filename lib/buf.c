/*
 * buf.c - growable byte buffer (see include/hdx/buf.h).
 *
 * Invariant: data[len] == '\0' and len < cap after every operation, so the
 * contents can always be used as a C string.
 */
#include "hdx/buf.h"
#include "hdx/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hdx_buf_init(hdx_buf *b)
{
    b->cap = 64;
    b->len = 0;
    b->data = hdx_xmalloc(b->cap);
    b->data[0] = '\0';
}

void hdx_buf_clear(hdx_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void hdx_buf_reset(hdx_buf *b)
{
    b->len = 0;
    b->data[0] = '\0';
}

void hdx_buf_reserve(hdx_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = hdx_xrealloc(b->data, cap);
    b->cap = cap;
}

void hdx_buf_add(hdx_buf *b, const void *p, size_t n)
{
    if (n == 0)
        return;
    hdx_buf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void hdx_buf_adds(hdx_buf *b, const char *s)
{
    hdx_buf_add(b, s, strlen(s));
}

void hdx_buf_addc(hdx_buf *b, char c)
{
    hdx_buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void hdx_buf_printf(hdx_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= b->cap - b->len) {
        hdx_buf_reserve(b, (size_t)n);
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

void hdx_buf_add_html(hdx_buf *b, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        hdx_buf_add(b, s + run, i - run);
        hdx_buf_adds(b, rep);
        run = i + 1;
    }
    hdx_buf_add(b, s + run, n - run);
}

char *hdx_buf_detach(hdx_buf *b)
{
    char *p = b->data;
    hdx_buf_init(b);
    return p;
}
