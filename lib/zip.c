/*
 * zip.c - zlib blobs for stored Markdown (see include/hdx/zip.h).
 */
#include "hdx/zip.h"

#include "hdx/alloc.h"
#include "hdx/le32.h"

#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

char *hdx_zip(const char *s, size_t n, size_t *out_len)
{
    uLongf cap = compressBound((uLong)n);
    unsigned char *out = hdx_xmalloc(4 + cap);
    hdx_le32_put(out, (uint32_t)n);
    if (compress2(out + 4, &cap, (const Bytef *)s, (uLong)n, 6) != Z_OK)
        abort(); /* only on OOM or a zlib bug: inputs are bounded */
    *out_len = 4 + cap;
    return (char *)out;
}

char *hdx_unzip(const char *z, size_t n, size_t *out_len)
{
    if (n < 4)
        return NULL;
    const unsigned char *u = (const unsigned char *)z;
    uLongf len = hdx_le32_get(u);
    if (len > 64u * 1024u * 1024u)
        return NULL;
    char *out = hdx_xmalloc(len + 1);
    uLongf got = len;
    if (uncompress((Bytef *)out, &got, u + 4, (uLong)(n - 4)) != Z_OK ||
        got != len) {
        free(out);
        return NULL;
    }
    out[len] = '\0';
    if (out_len)
        *out_len = len;
    return out;
}
