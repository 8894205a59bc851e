/*
 * json_out.h - JSON written straight into an hdx_buf, byte for byte as
 * jansson writes it with JSON_COMPACT | JSON_ENSURE_ASCII |
 * JSON_REAL_PRECISION(6) (the flags of every API response), for replies
 * that are cheaper to stream than to build as a tree (search hits).
 */
#ifndef HDX_SERVER_JSON_OUT_H
#define HDX_SERVER_JSON_OUT_H

#include <jansson.h>
#include <stddef.h>

#include "hdx/buf.h"

/* The jansson flags of every API response. */
#define JOUT_FLAGS (JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(6))

/* Append s[0..n) as a JSON string: ", \ and control characters escaped as
 * jansson does, everything above U+007F as \uXXXX (surrogate pairs above
 * the BMP).  A byte that does not start valid UTF-8 becomes \uFFFD. */
void jout_strn(hdx_buf *b, const char *s, size_t n);
/* The same for a NUL-terminated string; NULL appends null. */
void jout_str(hdx_buf *b, const char *s);
/* Append "key": (key escaped). */
void jout_key(hdx_buf *b, const char *key);
/* Append any jansson value (NULL: null) as json_dumps would. */
void jout_value(hdx_buf *b, const json_t *v);
/* Append a real number as json_real() would be written. */
void jout_real(hdx_buf *b, double d);

#endif
