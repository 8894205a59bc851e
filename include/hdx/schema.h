/*
 * schema.h - the facts about the index that programs outside libhelpdex
 * need: the schema version, the id key, and the metadata keys the
 * indexer keeps its file state under.
 *
 * Everything else about the layout - term prefixes, value slots,
 * visibility terms, the facet encoding, field weights - is private to
 * libhelpdex (lib/schema.h, one table) and documented in
 * docs/index-schema.md.  Neither the indexer nor the server spells a
 * prefix or a slot.
 */
#ifndef HDX_SCHEMA_H
#define HDX_SCHEMA_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The layout version, stored in the index when a writer commits.  Bump it
 * whenever anything in docs/index-schema.md changes: an indexer then
 * rebuilds from scratch, and hdx_db_open() refuses an index written with
 * another version (HDX_ESCHEMA, naming both versions).
 */
#define HDX_SCHEMA_VERSION "13"

/*
 * The key under which an id is compared everywhere: the indexer's
 * duplicate check, its file state, the lint, the id term and every
 * lookup by id.  It is the id normalised like all text (NFKC, case-fold,
 * accents stripped), so "Café-Setup" and "cafe-setup" are one id.
 * Returns a malloc'd string; caller frees.  Never NULL ("" for NULL).
 */
char *hdx_id_key(const char *id);

/* Metadata keys of the indexer's per-source-file state ("f:" + path) and
 * of the id-owner table ("i:" + id key).  Keys that would exceed Xapian's
 * limit are replaced by a hash; the full path or id must therefore also be
 * stored in the value.  malloc'd; caller frees. */
char *hdx_meta_key_file(const char *path);
char *hdx_meta_key_id(const char *id);

/* Prefix shared by every key hdx_meta_key_file() returns (for listing). */
extern const char HDX_META_FILE_PREFIX[];

/* Metadata key of the synonyms-file stamp (its content hash in hex). */
extern const char HDX_META_SYNONYMS[];

/* Metadata keys of the browse table (hdx_browse_json(): names, order and
 * folder layout of categories, sections and products) and of its layout
 * stamp (hdx_browse_layout_hash() in hex). */
extern const char HDX_META_BROWSE[];
extern const char HDX_META_BROWSE_LAYOUT[];

#ifdef __cplusplus
}
#endif
#endif
