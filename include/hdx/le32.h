/*
 * le32.h - the 4-byte little-endian integers of stored values: the
 * length at the head of an hdx_zip() blob, each section's text offset
 * (hdx/sections.h) and the section table's length at the head of the
 * text value (lib/schema.h).  One spelling of the byte order for all of
 * them; header-only, no allocation.
 */
#ifndef HDX_LE32_H
#define HDX_LE32_H

#include <stdint.h>

/* v as 4 bytes, least significant first, into out[0..4). */
static inline void hdx_le32_put(unsigned char out[4], uint32_t v)
{
    for (int i = 0; i < 4; i++)
        out[i] = (unsigned char)(v >> (8 * i));
}

/* The value of in[0..4), as written by hdx_le32_put(). */
static inline uint32_t hdx_le32_get(const unsigned char in[4])
{
    return (uint32_t)in[0] | (uint32_t)in[1] << 8 | (uint32_t)in[2] << 16 |
           (uint32_t)in[3] << 24;
}

#endif
