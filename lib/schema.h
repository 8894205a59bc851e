/*
 * schema.h - lib-private: THE one description of the index layout.
 *
 * Like notmuch's lib/prefix.cc, one table lists every field: its query
 * name, its term prefix, whether it is boolean or free text, and how its
 * values are normalised.  The document builder (lib/document.c) writes
 * from it, the query parser is configured from it, and the visibility
 * terms are written and filtered through the same two functions, so
 * index time and query time cannot disagree.  docs/index-schema.md is the
 * prose version of this file; change both together, and bump
 * HDX_SCHEMA_VERSION (include/hdx/schema.h).
 *
 * Usable from C and from the C++ under lib/xapian/.  Never included from
 * indexer/, server/ or include/.
 */
#ifndef HDX_LIB_SCHEMA_H
#define HDX_LIB_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "hdx/article.h"
#include "hdx/buf.h"
#include "hdx/schema.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hdxi_field {
    HDXI_F_UID,      /* unique id term of one version of an article */
    HDXI_F_ID,       /* the id key (hdx_id_key); query field id: */
    HDXI_F_PATH,     /* source path relative to the corpus */
    HDXI_F_TYPE,     /* document type name; query field type: */
    HDXI_F_AUDIENCE, /* the article's own audience name */
    HDXI_F_STATUS,   /* status word */
    HDXI_F_PRODUCT,  /* product, normalised; query field product: */
    HDXI_F_TAG,      /* one per tag, normalised; query field tag: */
    HDXI_F_TITLE,    /* title words; query field title: */
    HDXI_F_HEADING,  /* heading words; query field heading: */
    HDXI_F_SYMPTOMS, /* words of Symptoms sections; query field symptoms: */
    HDXI_F_CODE,     /* words of code; query field code: */
    HDXI_F_IDENT,    /* identifiers (hdx_ident_extract) */
    HDXI_F_VISIBLE,  /* + level letter: a published version that level sees */
    HDXI_F_DRAFT,    /* + level letter: a draft version that level sees */
    HDXI_F_SPELLED,  /* mark: this document's words are in the dictionary */
    HDXI_F_CATEGORY, /* browse category key; query field category: */
    HDXI_F_SECTION,  /* browse section key, "<category>/" for none */
    HDXI_F_ALIAS,    /* an old URL of the article (hdx_browse_alias_key) */
    HDXI_F_PAIR,     /* two neighbouring words of the text (pairs.cc) */
    HDXI_F_COUNT
} hdxi_field;

typedef enum hdxi_kind {
    HDXI_BOOLEAN, /* filter terms: prefix + value, no weight */
    HDXI_TEXT,    /* free text: words (and Z-stems) under the prefix */
    HDXI_IDENT,   /* identifier terms, weighted, no positions */
    HDXI_MARK,    /* a bare term (prefix alone or + one letter) */
    HDXI_PAIR     /* "word word": neighbours in the text, no positions */
} hdxi_kind;

typedef struct hdxi_field_def {
    hdxi_field field;
    const char *name;   /* query syntax name ("title"), NULL if none */
    const char *prefix; /* Xapian term prefix (Omega conventions) */
    hdxi_kind kind;
    bool normalise;     /* values pass hdx_text_normalize() */
} hdxi_field_def;

/* The table entry of `f` (static storage). */
const hdxi_field_def *hdxi_schema_field(hdxi_field f);

/* The term prefix of `f` (static storage). */
const char *hdxi_prefix(hdxi_field f);

/*
 * The prefix of stemmed free-text terms (Z + the stem), written and parsed
 * by Xapian itself (TermGenerator / QueryParser with STEM_SOME): Xapian's
 * convention, not ours, named here so no other file spells it.  Writers'
 * one-word synonym keys are also stored under it.
 */
extern const char HDXI_STEM_PREFIX[];

/* wdf per occurrence of each part of an article in the unprefixed text:
 * a plain query ranks title > tags, headings, symptoms > summary > body. */
enum {
    HDXI_W_TITLE = 6,
    HDXI_W_TAGS = 3,
    HDXI_W_HEADING = 3,
    HDXI_W_SYMPTOMS = 3,
    HDXI_W_SUMMARY = 2,
    HDXI_W_BODY = 1
};

/* Value slots (docs/index-schema.md, "Value slots"). */
enum {
    HDXI_SLOT_UPDATED = 0,  /* "YYYYMMDD": ranges and sort=updated */
    HDXI_SLOT_FACETS = 1,   /* hdxi_facets_encode() */
    HDXI_SLOT_ID = 4,       /* the id as written */
    HDXI_SLOT_MARKDOWN = 5, /* the visible Markdown, hdx_zip()ped */
    HDXI_SLOT_TEXT = 6,     /* the section table and the plain text
                               snippets are cut from: hdxi_text_value() */
    HDXI_SLOT_DATA = 7      /* the JSON header of a hit */
    /* 8 held the section table until schema 13: reading it apart cost a
     * B-tree lookup per hit, and every reader of it reads the text too */
};

/* The value of HDXI_SLOT_TEXT: the section table's length (4 bytes,
 * little-endian), the table (hdx/sections.h), then the plain text, so a
 * hit's snippet and its section come from one value read. */
#define HDXI_TEXT_VALUE_HEAD 4

/* The query field of HDXI_SLOT_UPDATED ("updated:>2026-01-01"). */
extern const char HDXI_FIELD_UPDATED[];

/* Metadata keys owned by the library. */
extern const char HDXI_META_GENERATION[]; /* commit counter */
extern const char HDXI_META_SCHEMA[];     /* HDX_SCHEMA_VERSION at commit */

/*
 * THE visibility terms.  A document version seen by `level` carries
 * hdxi_visibility_term(level, draft) for each such level; the query-time
 * filter for a caller is built from the same function, so the term
 * written and the term filtered on cannot differ.  Drafts never get a
 * public term (returns false for (PUBLIC, true): nothing to write or
 * match).  out receives a NUL-terminated term of at most 3 bytes.
 */
bool hdxi_visibility_term(hdx_audience level, bool draft, char out[4]);

/*
 * The facet value of a document: product 0x1E type 0x1E tag 0x1F tag...
 * (ASCII record/unit separators, which normalised text never contains).
 * Values must already be normalised.  Appends to `b`.
 */
void hdxi_facets_encode(hdx_buf *b, const char *product, const char *type,
                        const char *const *tags, size_t n_tags);

typedef enum hdxi_facet {
    HDXI_FACET_PRODUCT,
    HDXI_FACET_TYPE,
    HDXI_FACET_TAG,
    HDXI_FACET_COUNT
} hdxi_facet;

/* Public facet names ("product", "type", "tag"), static storage. */
const char *hdxi_facet_name(hdxi_facet f);

/* Call fn for each non-empty value of an encoded facet value; a value
 * that is not in the encoding (no separators) yields nothing. */
typedef void (*hdxi_facet_fn)(hdxi_facet f, const char *value, size_t len,
                              void *ctx);
void hdxi_facets_decode(const char *v, size_t len, hdxi_facet_fn fn,
                        void *ctx);

/*
 * "YYYY-MM-DD" → "YYYYMMDD" into out[9], the form of HDXI_SLOT_UPDATED.
 * false if `date` is not of that shape.
 */
bool hdxi_slot_date(const char *date, char out[9]);

#ifdef __cplusplus
}
#endif
#endif
