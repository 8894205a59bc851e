/*
 * document.h - one parsed article → the index documents that represent it,
 * and writing them.
 *
 * An article whose sections are all visible at its own audience becomes
 * one document.  Sections restricted to a higher audience ("## Agent notes
 * {audience=agent}") make one more document per level that sees more: the
 * public version without the notes, the agent version with them.  Each
 * document carries exactly the visibility terms of the levels that should
 * see that version, so a level always sees one version of an article.
 * The layout is lib/schema.h's; docs/index-schema.md describes it.
 *
 * A docset is built without touching the index (parse workers build them
 * in parallel) and written by one writer thread.
 */
#ifndef HDX_DOCUMENT_H
#define HDX_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>

#include "hdx/article.h"
#include "hdx/xapian.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hdx_docset hdx_docset;

/*
 * Build the documents of `a` (a stays the caller's).  On success the
 * caller owns *out and frees it with hdx_docset_free().  A docset may be
 * built on one thread and written on another, but not used by two at once.
 */
hdx_status hdx_docset_build(const hdx_article *a, hdx_docset **out,
                            hdx_error *err);

/* Number of documents (versions) in the set. */
size_t hdx_docset_count(const hdx_docset *s);

/* Accepts NULL. */
void hdx_docset_free(hdx_docset *s);

/*
 * Write every document of `s`, replacing the earlier versions of the same
 * article (by their unique id terms).  With `fresh` the writer is a new
 * shard that cannot hold them, and the replace lookup is skipped.  `s`
 * stays the caller's.
 */
hdx_status hdx_writer_put(hdx_writer *w, const hdx_docset *s, bool fresh,
                          hdx_error *err);

/* Delete every document built from source path `path` (relative to the
 * corpus); *n_deleted (optional) counts them. */
hdx_status hdx_writer_delete_path(hdx_writer *w, const char *path,
                                  unsigned *n_deleted, hdx_error *err);

#ifdef __cplusplus
}
#endif
#endif
