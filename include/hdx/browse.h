/*
 * browse.h - the help center's category → section → article hierarchy
 * and the writers' display names (docs/browsing.md).
 *
 * The indexer builds an hdx_browse from the corpus (its folders, the
 * folder files _category_.json / _index.md / index.md / helpdex.yaml, and
 * corpus/helpdex.yaml), places every article with hdx_browse_place(), and
 * stores the names and order in the index (hdx_browse_json(), metadata
 * key HDX_META_BROWSE).  The server reads them back with
 * hdx_browse_parse().  Which categories and sections exist *for a caller*
 * is never read from here: listings and counts are queries through the
 * visibility filter (hdx_browse_count()); this table only names and
 * orders what those queries find.
 *
 * An hdx_browse is immutable once built: any number of threads may read
 * it.  Strings returned are borrowed until hdx_browse_free().
 */
#ifndef HDX_BROWSE_H
#define HDX_BROWSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdx/article.h"
#include "hdx/hdx.h"
#include "hdx/xapian.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hdx_browse hdx_browse;

typedef enum hdx_browse_kind {
    HDX_BROWSE_CATEGORY = 0,
    HDX_BROWSE_SECTION = 1,
    HDX_BROWSE_PRODUCT = 2
} hdx_browse_kind;

/* The category of articles that no folder or front matter places. */
#define HDX_BROWSE_DEFAULT_CATEGORY "general"

/* A problem in a writers' file: `file` relative to the corpus, 1-based
 * line (0: none).  The file's other entries still apply. */
typedef void (*hdx_browse_diag_fn)(const char *file, int line, bool is_error,
                                   const char *msg, void *ctx);

/*
 * Build the hierarchy of `corpus` whose articles are `paths[0..n)`
 * (relative, '/'-separated, as the walk lists them).  Reads
 * corpus/helpdex.yaml and the folder files; every problem in them goes to
 * `diag` (may be NULL) and never stops the build.  Caller frees with
 * hdx_browse_free().  Thread-safe (no shared state).
 */
hdx_browse *hdx_browse_build(const char *corpus, const char *const *paths,
                             size_t n, hdx_browse_diag_fn diag, void *ctx);

/* Accepts NULL. */
void hdx_browse_free(hdx_browse *b);

/*
 * Place `a` (parsed from a->path): sets a->category_key and
 * a->section_key (NULL: directly in the category).  Front matter
 * `category` / `section` win over the folders.  Replaces earlier keys.
 * An article without a position field gets its place in mkdocs.yml's
 * nav as its position, when it is listed there.
 */
void hdx_browse_place(const hdx_browse *b, hdx_article *a);

/* The key of a category or section name as written ("Billing & VAT" →
 * "billing-vat"); a section key is "<category key>/<section slug>".
 * Caller frees. */
char *hdx_browse_key(const char *category_key, const char *name);

/*
 * The lookup key of an old URL (aliases, redirect_from, permalink,
 * html_url) or of a request path: scheme, host, query and fragment
 * dropped, no leading or trailing '/', normalised like all text
 * ("https://x.example/Hc/Old-Page/?a=1" → "hc/old-page").  Caller frees.
 */
char *hdx_browse_alias_key(const char *url);

/*
 * The JSON form stored in the index (names, descriptions, order and the
 * folder layout); hdx_browse_parse() reads it back (NULL or unreadable
 * text: an empty table).  Both malloc'd; caller frees.
 */
char *hdx_browse_json(const hdx_browse *b);
hdx_browse *hdx_browse_parse(const char *json);

/* A hash of how folders map to categories and sections, and of the
 * mkdocs.yml nav order: when it changes, every article's place or
 * position may have moved (the indexer re-indexes all). */
uint64_t hdx_browse_layout_hash(const hdx_browse *b);

/* The writers' title, description and position of a category, section
 * or product key; NULL / false when they gave none. */
const char *hdx_browse_title(const hdx_browse *b, hdx_browse_kind k,
                             const char *key);
const char *hdx_browse_description(const hdx_browse *b, hdx_browse_kind k,
                                   const char *key);
bool hdx_browse_position(const hdx_browse *b, hdx_browse_kind k,
                         const char *key, double *out);

/*
 * The default display name of a slug: words split at '-', '_' and
 * spaces, each capitalised but short words inside ("and", "of", "for"...),
 * known acronyms upper-case ("windows-server" → "Windows Server",
 * "sql-server" → "SQL Server", "api" → "API", "files-and-sync" → "Files
 * and Sync"); a word that already has capitals is kept ("SharePoint").  For a
 * section key only the part after the last '/' is named.  Caller frees.
 */
char *hdx_browse_default_name(const char *slug);

/*
 * The display name: the writers' title, else `fallback` (a name written
 * in an article's front matter; may be NULL), else the default name.
 * Caller frees.
 */
char *hdx_browse_name(const hdx_browse *b, hdx_browse_kind k, const char *key,
                      const char *fallback);

/*
 * The categories (parent NULL) or the sections of category `parent` that
 * the caller of `opts` can see, with the number of visible articles and
 * FAQs in each (opts->filter: its types apply).  Values come from the
 * index terms; counts from queries through the visibility filter, so an
 * entry with no visible article is never reported.  fn(key, count, hdr,
 * hdr_len, ctx): `hdr` is the stored JSON header of one visible article
 * there (for a name written in its front matter), borrowed for the call.
 */
typedef void (*hdx_browse_count_fn)(const char *key, unsigned count,
                                    const char *hdr, size_t hdr_len, void *ctx);
hdx_status hdx_browse_count(hdx_db *db, const hdx_query_opts *opts,
                            const char *parent, hdx_browse_count_fn fn,
                            void *ctx, hdx_error *err) HDX_NOEXCEPT;

#ifdef __cplusplus
}
#endif
#endif
