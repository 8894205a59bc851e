/*
 * buf.h - a growable, always NUL-terminated byte buffer.
 *
 * An hdx_buf is embedded by value: hdx_buf_init() on caller storage,
 * hdx_buf_clear() to release.  `data` is owned by the buffer until
 * hdx_buf_detach() hands it to the caller (who then free()s it).
 */
#ifndef HDX_BUF_H
#define HDX_BUF_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hdx_buf {
    char *data; /* NUL-terminated; never NULL after init */
    size_t len;
    size_t cap;
} hdx_buf;

void hdx_buf_init(hdx_buf *b);
void hdx_buf_clear(hdx_buf *b);
void hdx_buf_reset(hdx_buf *b); /* len = 0, keeps the allocation */
void hdx_buf_reserve(hdx_buf *b, size_t extra);
void hdx_buf_add(hdx_buf *b, const void *p, size_t n);
void hdx_buf_adds(hdx_buf *b, const char *s);
void hdx_buf_addc(hdx_buf *b, char c);
void hdx_buf_printf(hdx_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Append `s` with &, <, >, " and ' escaped for HTML text and attributes. */
void hdx_buf_add_html(hdx_buf *b, const char *s, size_t n);
/* Return the data (caller frees) and re-initialise the buffer. */
char *hdx_buf_detach(hdx_buf *b);

#ifdef __cplusplus
}
#endif
#endif
