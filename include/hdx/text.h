/*
 * text.h - Unicode validation and the normalisation shared by index and query.
 *
 * Every piece of text that becomes a term, at index time and at query time,
 * passes through hdx_text_normalize(): NFKC, case folding and removal of
 * combining marks (so "Café", "cafe\u0301", "CAFE" and "café" all become
 * "cafe").  Keeping this in one function is what guarantees that the indexer
 * and the server agree on every term.
 */
#ifndef HDX_TEXT_H
#define HDX_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "hdx/buf.h"
#include "hdx/hdx.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * True if s[0..n) is valid UTF-8: no overlongs, no surrogates, nothing above
 * U+10FFFF, no bad lead or continuation byte and no sequence cut short by
 * the end.  On false, *bad_offset (if not NULL) is the byte offset where the
 * first invalid sequence starts.  Reads no byte past s[n - 1] (NUL bytes are
 * valid).  Thread-safe.
 */
bool hdx_text_valid_utf8(const char *s, size_t n, size_t *bad_offset);

/*
 * Append the normalised form of s[0..n) to `out`.  Pure ASCII takes a fast
 * path (lower-casing only), which gives the same result as the full mapping.
 * Returns HDX_EPARSE (and appends nothing) if s is not valid UTF-8.
 */
hdx_status hdx_text_normalize(hdx_buf *out, const char *s, size_t n,
                              hdx_error *err);

/*
 * A malloc'd, normalised copy of the C string `s` (caller frees); the empty
 * string if `s` is NULL or not valid UTF-8.
 */
char *hdx_text_normalized(const char *s);

/*
 * The form words are matched in, at index and at query time alike (term
 * generation, query words, snippet highlighting): hdx_text_normalize(),
 * then an apostrophe (' or U+2019) between a letter or digit and a letter
 * is dropped, so "won't", "won’t" and "wont" are one word, as people type
 * them.  Names and values (ids, slugs, tags, products) use
 * hdx_text_normalize() alone.  Same contract as hdx_text_normalize().
 */
hdx_status hdx_text_fold(hdx_buf *out, const char *s, size_t n,
                         hdx_error *err);

/* A malloc'd hdx_text_fold() copy of `s` (caller frees); "" as above. */
char *hdx_text_folded(const char *s);

/*
 * Length in bytes of the longest prefix of s[0..n) that is at most `max`
 * bytes and does not end inside a UTF-8 sequence.  Used to cut text without
 * splitting a character.
 */
size_t hdx_text_clip(const char *s, size_t n, size_t max);

#ifdef __cplusplus
}
#endif
#endif
