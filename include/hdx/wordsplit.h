/*
 * wordsplit.h - the word-delimiter rule: compound tokens and their parts.
 *
 * People write one identifier many ways: "KB4023057", "KB 4023057",
 * "SQL2019" and "SQL 2019", "NullPointerException" and "null pointer
 * exception", "ERROR_ACCESS_DENIED" and "access denied".  A compound
 * token - a run of ASCII letters, digits and '_' with a boundary inside
 * (letter/digit, lower/upper case, "SSLHandshake" before the last capital
 * of a run, '_') - is indexed whole (as the term generator makes it) and
 * also as its parts, so each spelling finds the others; the whole ranks
 * higher because only exact carriers match it.  The same scanner runs at
 * index time (lib/document.c) and at query time (lib/xapian/parse.cc).
 * Hex codes ("0x80070005") and tokens over 64 bytes are not split.
 */
#ifndef HDX_WORDSPLIT_H
#define HDX_WORDSPLIT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* fn for each compound token of text[0..len), in text order: its byte
 * range [start, end) in `text` and its parts joined by single spaces, in
 * their original case (valid only during the call). */
typedef void (*hdx_split_fn)(size_t start, size_t end, const char *parts,
                             size_t parts_len, void *ctx);

void hdx_wordsplit(const char *text, size_t len, hdx_split_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
