/*
 * document.h - one parsed article → the Xapian documents that represent it.
 *
 * An article whose sections are all visible at its own audience becomes one
 * document.  Sections restricted to a higher audience ("## Agent notes
 * {audience=agent}") make one more document per level that sees more: the
 * public version without the notes, the agent version with them.  Each
 * document carries exactly the visibility terms of the levels that should
 * see that version, so a level always sees one version of an article.
 */
#ifndef HDX_INDEXER_DOCUMENT_H
#define HDX_INDEXER_DOCUMENT_H

#include "hdx/article.h"
#include "hdx/xapian.h"

typedef struct built_doc {
    char *uid;   /* unique id term: "Q<id>" or "Q<id>@<level>" */
    hdx_doc *doc;
} built_doc;

typedef struct built {
    built_doc docs[HDX_AUD_COUNT];
    size_t n;
} built;

/* Build the documents of `a`; on failure nothing needs freeing. */
hdx_status document_build(const hdx_article *a, built *out, hdx_error *err);
void built_free(built *b);

/* Format of the document data, bumped when it changes (forces a rebuild). */
#define HDX_SCHEMA_VERSION "9"

#endif
