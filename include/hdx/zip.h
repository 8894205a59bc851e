/*
 * zip.h - zlib compression of stored blobs.
 *
 * Xapian compresses document data as a whole, so everything stored there
 * is inflated for every hit.  The article Markdown, needed only to render
 * one page, is kept in a value slot instead, compressed here.  Format:
 * 4-byte little-endian length of the original, then a zlib stream.
 */
#ifndef HDX_ZIP_H
#define HDX_ZIP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Compressed copy of s[0..n); caller frees; *out_len its length. */
char *hdx_zip(const char *s, size_t n, size_t *out_len);

/* The original, NUL-terminated (caller frees), or NULL if `z` is not a
 * valid hdx_zip() blob. */
char *hdx_unzip(const char *z, size_t n, size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif
