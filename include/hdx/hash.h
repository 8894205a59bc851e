/*
 * hash.h - the one non-cryptographic hash of libhelpdex: 64-bit FNV-1a.
 *
 * Used wherever helpdex needs a stable fingerprint that must be the same
 * on every machine and in every release: long-term suffixes, metadata
 * keys, the file-state content hash, the synonyms stamp, the response
 * cache.  Not for anything an attacker must not be able to collide.
 */
#ifndef HDX_HASH_H
#define HDX_HASH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* FNV-1a 64 of `len` bytes. */
uint64_t hdx_hash64(const void *data, size_t len);

/* FNV-1a 64 of a NUL-terminated string. */
uint64_t hdx_hash64_str(const char *s);

/* The hash as 16 lower-case hex digits and a NUL into out[17]. */
void hdx_hash64_hex(uint64_t h, char out[17]);

#ifdef __cplusplus
}
#endif
#endif
