/*
 * compress.h - gzip content coding of replies (RFC 9110 8.4, 12.5.3).
 *
 * A reply is gzip-compressed when the client's Accept-Encoding allows it
 * (q-values, "identity" and "*" honoured; q=0 refuses), its type is text
 * (HTML, JSON, CSS, JS, SVG, XML, plain text), never an already
 * compressed one (PNG, JPEG, PDF, fonts), and its body is at least
 * COMPRESS_MIN_BYTES: below that, gzip's 18-byte frame and the CPU time
 * buy nothing.  zlib does the work.  Every function is thread-safe.
 */
#ifndef HDX_SERVER_COMPRESS_H
#define HDX_SERVER_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http.h"

#define COMPRESS_MIN_BYTES 512u

typedef enum compress_coding {
    CODING_IDENTITY,
    CODING_GZIP
} compress_coding;

/*
 * The coding to answer with for an Accept-Encoding value (NULL: the
 * header is absent, which gets identity).  gzip when its quality (that
 * of "gzip" or "x-gzip", else of "*") is above 0 and not below that of
 * identity when the client states one (listed, else "*").  A malformed
 * element is ignored.
 */
compress_coding compress_choose(const char *accept_encoding);

/* True when a body of `content_type` (NULL: none) is worth compressing. */
bool compress_type_ok(const char *content_type);

/* body[0..len) as one gzip member at zlib level 1 (malloc'd, caller
 * frees), *out_len its length. */
char *compress_gzip(const char *body, size_t len, size_t *out_len);

/*
 * Should `rep`, the answer to `r`, be sent gzip-compressed?  Sets
 * "Vary: Accept-Encoding" on every reply of a compressible type (the
 * answer depends on the header whether or not this one is compressed).
 */
bool compress_wanted(const request *r, reply *rep);

/*
 * Replace rep's body by its gzip form and add Content-Encoding: gzip.
 * With a gz_tail (a cached answer), only the bytes before it are new:
 * they go into a stored block, followed by the tail's ready deflate
 * blocks, the two CRCs combined (how pigz joins blocks).
 */
void compress_apply(reply *rep);

/*
 * Compress the `n` bytes at `tail`, the end of a body, as raw deflate
 * data (malloc'd, *out_len bytes) that compress_apply() can put after
 * any head, with their CRC-32 in *crc.  For the response cache.
 */
char *compress_tail(const char *tail, size_t n, size_t *out_len,
                    uint32_t *crc);

#endif
