/*
 * xdoc.h - lib-private: the Xapian document and raw-term writer calls
 * that the document builder (lib/document.c) and the unit tests use.
 *
 * These take term prefixes and value slots from lib/schema.h; nothing
 * outside libhelpdex may call them (the programs go through
 * hdx/document.h and hdx/xapian.h, which never expose a term).  Same
 * error contract as the public API: noexcept, status + hdx_error.
 */
#ifndef HDX_LIB_XDOC_H
#define HDX_LIB_XDOC_H

#include <stdbool.h>
#include <stddef.h>

#include "hdx/xapian.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest term handed to Xapian (glass allows 245 bytes). */
#define HDXI_MAX_TERM 240

/*
 * A new empty document whose text is stemmed for `lang` (an ISO 639-1 code
 * or a Snowball name; NULL, "" or an unknown language: English).  Caller
 * frees with hdxi_doc_free().
 */
hdx_status hdxi_doc_new(const char *lang, hdx_doc **out, hdx_error *err) HDX_NOEXCEPT;

/*
 * Index already-normalised text under `prefix` ("" for free text), each
 * occurrence adding `wdf_inc` to the term's wdf.  With `positions`, word
 * positions are stored (phrases, snippets).  Consecutive calls are
 * separated by a position gap so phrases never span two fields.
 */
hdx_status hdxi_doc_index_text(hdx_doc *d, const char *text, size_t len,
                               const char *prefix, unsigned wdf_inc,
                               bool positions, hdx_error *err) HDX_NOEXCEPT;

/* Add a term with `wdf` (0 for a boolean term); long terms are hashed. */
hdx_status hdxi_doc_add_term(hdx_doc *d, const char *term, unsigned wdf,
                             hdx_error *err) HDX_NOEXCEPT;

hdx_status hdxi_doc_set_value(hdx_doc *d, unsigned slot, const char *bytes,
                              size_t len, hdx_error *err) HDX_NOEXCEPT;

/* Feed this document's free-text words to the spelling dictionary.  Only
 * set for public, published text: spelling data is public by construction. */
void hdxi_doc_set_spelling(hdx_doc *d, bool on) HDX_NOEXCEPT;

void hdxi_doc_free(hdx_doc *d) HDX_NOEXCEPT;

/* *out = prefix + value, clipped and hashed to at most HDXI_MAX_TERM bytes
 * as omega's hash_long_term does (malloc'd, caller frees; NULL on
 * failure). */
hdx_status hdxi_term_make(const char *prefix, const char *value, char **out,
                          hdx_error *err) HDX_NOEXCEPT;

/*
 * Add `doc`, replacing any document that carries `uid_term`.  `doc` stays
 * owned by the caller.  Spelling data of a replaced document is removed.
 */
hdx_status hdxi_writer_replace(hdx_writer *w, const char *uid_term,
                               hdx_doc *doc, hdx_error *err) HDX_NOEXCEPT;

/* As hdxi_writer_replace() without looking for a document to replace:
 * for a fresh shard, where none can exist. */
hdx_status hdxi_writer_add(hdx_writer *w, const char *uid_term, hdx_doc *doc,
                           hdx_error *err) HDX_NOEXCEPT;

/* Delete every document carrying `term`; *n_deleted (optional) counts them. */
hdx_status hdxi_writer_delete(hdx_writer *w, const char *term,
                              unsigned *n_deleted, hdx_error *err) HDX_NOEXCEPT;

/* True (in *found) if some document carries `term`. */
hdx_status hdxi_writer_has_term(hdx_writer *w, const char *term, bool *found,
                                hdx_error *err) HDX_NOEXCEPT;

#ifdef __cplusplus
}
#endif
#endif
