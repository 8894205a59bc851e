/*
 * ident.h - error identifiers: the tokens support staff paste and search for.
 *
 * Ordinary word splitting breaks identifiers apart ("SKY-1042" → "sky",
 * "1042"); helpdex also indexes them whole, lower-cased, under their own
 * prefix.  The same scanner runs at index and query time, so an identifier
 * is found exactly whatever the surrounding text.  Recognised forms:
 *   hex codes         0x80070005          → "0x80070005" and "80070005"
 *   bare long hex     80070005            → "80070005" (query side)
 *   letter+digit ids  E1234, SKY-1042, AADSTS50011, KB5034441
 *   CONSTANT_CASE     ERR_SSL_PROTOCOL_ERROR, SQLITE_BUSY
 *   HTTP status       "HTTP 503", "HTTP/1.1 503", "HTTP Error 500.19"
 *                     → "http-503" ("http-500.19")
 *   dotted names      System.IO.IOException, java.lang.OutOfMemoryError
 *                     → the full name, and the last part if it names an
 *                       Error or Exception ("ioexception")
 *   library files     libskysync.so.3, mso.dll, setup.exe
 */
#ifndef HDX_IDENT_H
#define HDX_IDENT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* fn(term, len, ctx) for each identifier found, lower-cased, in text order;
 * duplicates are reported again.  The term is valid only during the call. */
typedef void (*hdx_ident_fn)(const char *term, size_t len, void *ctx);

void hdx_ident_extract(const char *text, size_t len, hdx_ident_fn fn,
                       void *ctx);

/* Normalise one identifier written by a person (front matter error_codes):
 * the extracted forms if any, else the trimmed, lower-cased text. */
void hdx_ident_normalize_code(const char *code, hdx_ident_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
