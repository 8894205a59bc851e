/*
 * json_out.h - JSON written straight into an hdx_buf, byte for byte as
 * jansson writes it with JSON_COMPACT | JSON_ENSURE_ASCII |
 * JSON_REAL_PRECISION(6) (the flags of every API response), for replies
 * that are cheaper to stream than to build as a tree (search hits).
 */
#ifndef HDX_SERVER_JSON_OUT_H
#define HDX_SERVER_JSON_OUT_H

#include <jansson.h>
#include <stdbool.h>
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

/*
 * Raw JSON: the members of a stored JSON object located without parsing
 * it into a tree, so a hit can splice the values it copies.  Spans point
 * into the caller's text.
 */
typedef struct jraw_member {
    const char *key, *val; /* key without its quotes; value as written */
    size_t key_len, val_len;
} jraw_member;

#define JRAW_MAX 48

typedef struct jraw {
    jraw_member m[JRAW_MAX];
    size_t n;
} jraw;

/* Locate the top-level members of the object s[0..n).  False when it is
 * not a well-formed object of at most JRAW_MAX members. */
bool jraw_parse(const char *s, size_t n, jraw *out);
/* The raw value of member `key`, or NULL (length in *len). */
const char *jraw_find(const jraw *o, const char *key, size_t *len);
/* A string value without escapes: its bytes between the quotes (not
 * NUL-terminated).  False for anything else. */
bool jraw_plain_string(const char *val, size_t len, const char **s,
                       size_t *slen);
/* Append a raw value as jout_value() would write the value it denotes
 * (whitespace dropped, non-ASCII as \uXXXX).  False, with nothing useful
 * appended, for what this cannot reproduce byte for byte: reals, escapes
 * other than jansson's own, invalid UTF-8. */
bool jout_raw(hdx_buf *b, const char *val, size_t len);

#endif
