/*
 * xapian.h - the C API over libxapian ("xapian-c").
 *
 * Xapian is C++; this header is plain C and its implementation (lib/xapian/,
 * one .cc per concern) is the only code that sees Xapian.  Every entry point catches
 * every exception and reports it as an hdx_status plus hdx_error: no C++
 * exception ever crosses into C.
 *
 * Handles (all opaque):
 *   hdx_writer   the one writable index (exclusive lock on the directory)
 *   hdx_db       a read-only view of the index at one revision
 *   hdx_doc      a document being built (usable from any one thread)
 *   hdx_query    a parsed query bound to an hdx_db
 *   hdx_results  one page of hits; it may outlive the hdx_query, but it
 *                reads text and Markdown from the hdx_db on demand, so it
 *                must be freed before that hdx_db is closed
 *
 * Threads: no handle may be used by two threads at once.  Distinct handles
 * (one hdx_db per server thread, one hdx_doc per indexing thread) are
 * independent.  Children before parents: every hdx_query and hdx_results
 * must be freed before the hdx_db they came from is closed.
 *
 * Audience safety: every query is run through exactly one function that
 * ANDs the caller's visibility filter into it (see hdx_query_run), so no
 * path can return a document above the caller's level.
 */
#ifndef HDX_XAPIAN_H
#define HDX_XAPIAN_H

#include <stdbool.h>
#include <stddef.h>

#include "hdx/article.h"
#include "hdx/hdx.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hdx_writer hdx_writer;
typedef struct hdx_db hdx_db;
typedef struct hdx_doc hdx_doc;
typedef struct hdx_query hdx_query;
typedef struct hdx_results hdx_results;

/* ---- writer ------------------------------------------------------------- */

/*
 * Open (creating if missing) the index at `path` for writing.  If another
 * process holds the lock, wait up to `wait_seconds` (0: fail at once) and
 * then return HDX_EDB_LOCKED, "index is locked by another indexer".
 * On success the caller owns *out and frees it with hdx_writer_close().
 */
hdx_status hdx_writer_open(const char *path, int wait_seconds,
                           hdx_writer **out, hdx_error *err) HDX_NOEXCEPT;

/* Start the batch that hdx_writer_commit() publishes atomically. */
hdx_status hdx_writer_begin(hdx_writer *w, hdx_error *err) HDX_NOEXCEPT;

/*
 * Publish every change since hdx_writer_begin() in one Xapian commit,
 * bump the index generation and record HDX_SCHEMA_VERSION.  Readers see
 * all of the batch or none of it.
 */
hdx_status hdx_writer_commit(hdx_writer *w, hdx_error *err) HDX_NOEXCEPT;

/* Drop every change since hdx_writer_begin(). */
hdx_status hdx_writer_cancel(hdx_writer *w, hdx_error *err) HDX_NOEXCEPT;

/*
 * The generation of the last commit (0 for a new index), for a full build
 * that continues the count in a new index (hdx_writer_stamp).
 */
hdx_status hdx_writer_generation(hdx_writer *w, unsigned long *out,
                                 hdx_error *err) HDX_NOEXCEPT;

/*
 * True (in *current) if the index was last committed with this library's
 * HDX_SCHEMA_VERSION; false for another version and for a new index.  An
 * indexer rebuilds from scratch when it is false.
 */
hdx_status hdx_writer_schema_current(hdx_writer *w, bool *current,
                                     hdx_error *err) HDX_NOEXCEPT;

/*
 * Mark a shard as the index-wide carrier of the schema version and of
 * `generation` (the full build's merged index takes them from the first
 * shard; see hdx_compact).  Ordinary commits stamp the schema themselves.
 */
hdx_status hdx_writer_stamp(hdx_writer *w, unsigned long generation,
                            hdx_error *err) HDX_NOEXCEPT;

/* Set (value NULL or "": delete) a metadata entry; key ≤ 200 bytes. */
hdx_status hdx_writer_meta_set(hdx_writer *w, const char *key,
                               const char *value, hdx_error *err) HDX_NOEXCEPT;

/* *out = malloc'd value or NULL when absent; caller frees. */
hdx_status hdx_writer_meta_get(hdx_writer *w, const char *key, char **out,
                               hdx_error *err) HDX_NOEXCEPT;

/* Call fn(key, value, ctx) for every metadata key starting with `prefix`. */
typedef void (*hdx_meta_fn)(const char *key, const char *value, void *ctx);
hdx_status hdx_writer_meta_list(hdx_writer *w, const char *prefix,
                                hdx_meta_fn fn, void *ctx, hdx_error *err) HDX_NOEXCEPT;

/* Remove every synonym; then add `value` as a synonym of `key`. */
hdx_status hdx_writer_clear_synonyms(hdx_writer *w, hdx_error *err) HDX_NOEXCEPT;
hdx_status hdx_writer_add_synonym(hdx_writer *w, const char *key,
                                  const char *value, hdx_error *err) HDX_NOEXCEPT;

/* Documents in the index as this writer sees it (its uncommitted changes
 * included). */
hdx_status hdx_writer_doccount(hdx_writer *w, unsigned *out,
                               hdx_error *err) HDX_NOEXCEPT;

/* Close; uncommitted changes are discarded.  Accepts NULL. */
void hdx_writer_close(hdx_writer *w) HDX_NOEXCEPT;

/*
 * Create (overwriting) a private shard for a parallel full build: a
 * writable index with no lock wait and no generation counter of its own;
 * hdx_writer_commit() on it just commits.  Shards become an index only
 * through hdx_compact().  Caller frees with hdx_writer_close().
 */
hdx_status hdx_writer_open_shard(const char *path, hdx_writer **out,
                                 hdx_error *err) HDX_NOEXCEPT;

/*
 * Merge the `n` indexes at `paths` into a new compact index at `dest`, as
 * xapian-compact does: documents renumbered, spelling data summed,
 * synonyms and metadata merged (for a key present in several sources the
 * first source's value wins).
 */
hdx_status hdx_compact(const char *const *paths, size_t n, const char *dest,
                       hdx_error *err) HDX_NOEXCEPT;

/* Documents (hdx_doc) are built by libhelpdex itself: see hdx/document.h. */

/* ---- reader ------------------------------------------------------------- */

/*
 * Open the index at `path` read-only: an index folder, or a replica's
 * stub folder (xapian-replicate; docs/scaling.md), whose live copy every
 * open and reopen reads afresh.  HDX_ENOTFOUND if there is no index,
 * HDX_EDB_CORRUPT / HDX_EDB_OPEN if it cannot be read, HDX_ESCHEMA (the
 * message names both versions and the rebuild command) if it was written
 * with another schema version.  Caller frees with hdx_db_close().
 */
hdx_status hdx_db_open(const char *path, hdx_db **out, hdx_error *err) HDX_NOEXCEPT;

/* Move to the latest committed revision; *changed (optional) tells if it
 * moved.  All-or-nothing: on failure (HDX_ESCHEMA included: an index of
 * another schema swapped in) the handle keeps its old revision. */
hdx_status hdx_db_reopen(hdx_db *db, bool *changed, hdx_error *err) HDX_NOEXCEPT;

/* Documents in the index at this handle's revision (every level's); of
 * the shards that answer, for a sharded reader (which reconnects missing
 * shards here as in a query; HDX_ESHARD in strict mode while one is
 * missing). */
hdx_status hdx_db_doccount(hdx_db *db, unsigned *out,
                           hdx_error *err) HDX_NOEXCEPT;

/* The generation counter bumped by every commit (0 for an empty index). */
unsigned long hdx_db_generation(const hdx_db *db) HDX_NOEXCEPT;

/*
 * The UUID of the database this handle has open ("" if the backend has
 * none).  Every new index gets a new one, so unlike the generation (which
 * a recreated index starts again at 1) the pair (UUID, generation) never
 * names two different indexes: the server's response cache is keyed on
 * it.  Borrowed: valid until the next hdx_db_reopen() or hdx_db_close()
 * of `db` (any retry inside a query may also move it).  Cannot fail.
 */
const char *hdx_db_uuid(const hdx_db *db) HDX_NOEXCEPT;

/* *out = malloc'd metadata value or NULL when absent; caller frees. */
hdx_status hdx_db_meta_get(hdx_db *db, const char *key, char **out,
                           hdx_error *err) HDX_NOEXCEPT;

/* Accepts NULL.  Every hdx_query and hdx_results made from `db` must be
 * freed first; if some are still alive, this says so on stderr (a bug in
 * the caller: their later use or free touches freed memory). */
void hdx_db_close(hdx_db *db) HDX_NOEXCEPT;

/* ---- sharded reader (lib/xapian/shards.cc, docs/scaling-shards.md) ---- */

/* The shards of a sharded reader. */
typedef struct hdx_shard_opts {
    const char *const *specs; /* each a local index path or "tcp:HOST:PORT"
                                 (an xapian-tcpsrv); borrowed, copied */
    size_t n;
    unsigned timeout_ms; /* a remote shard's connect and reply timeout;
                            0: 3000 */
    bool strict;         /* a missing shard fails the query (HDX_ESHARD) */
} hdx_shard_opts;

/* True if `spec` is a usable shard spec (a path, or tcp:HOST:PORT with a
 * port 1-65535).  Cannot fail. */
bool hdx_shard_spec_valid(const char *spec) HDX_NOEXCEPT;

/*
 * Open a sharded reader: the shards searched as one Xapian database, with
 * collection-wide statistics, and the local metadata index at `meta_path`
 * (hdx_split() writes it) for spelling, synonyms, completion, the schema
 * version and the generation.  A shard that cannot be reached is left
 * out (hdx_db_missing) and retried on later queries with a back-off; the
 * metadata index must open (statuses as hdx_db_open; HDX_EINVAL for a bad
 * spec or none).  Use and free the handle as one from hdx_db_open();
 * hdx_db_reopen() reopens the metadata index and every shard.  In strict
 * mode every query fails with HDX_ESHARD while a shard is missing.
 */
hdx_status hdx_db_open_sharded(const char *meta_path, const hdx_shard_opts *o,
                               hdx_db **out, hdx_error *err) HDX_NOEXCEPT;

/* Shards of the handle (0: not sharded), and those left out of the last
 * query: hdx_db_missing(db, k) for k < hdx_db_n_missing(db) is the spec
 * as given, borrowed until the next query, reopen or close of `db`. */
size_t hdx_db_n_shards(const hdx_db *db) HDX_NOEXCEPT;
size_t hdx_db_n_missing(const hdx_db *db) HDX_NOEXCEPT;
const char *hdx_db_missing(const hdx_db *db, size_t k) HDX_NOEXCEPT;

/* How hdx_split() assigns documents to shards. */
typedef enum hdx_split_by {
    HDX_SPLIT_PRODUCT = 0, /* by product (a document's first), grouped */
    HDX_SPLIT_YEAR = 1,    /* by the year it was updated, grouped */
    HDX_SPLIT_ROUND = 2    /* document k to shard k mod n */
} hdx_split_by;

/*
 * Split the index at `src` into `n` shard indexes `dest_dir`/shard-1 ..
 * shard-n and a metadata index `dest_dir`/meta (no documents: the
 * spelling dictionary, the synonyms and the metadata of `src`), for
 * hdx_db_open_sharded().  Product and year keys are grouped onto the
 * shards largest first, each onto the emptiest shard.  `dest_dir` must
 * exist; indexes already in it are replaced.  counts (optional, n
 * entries) gets each shard's document count.
 */
hdx_status hdx_split(const char *src, const char *dest_dir, hdx_split_by by,
                     unsigned n, unsigned *counts, hdx_error *err) HDX_NOEXCEPT;

/* ---- queries ------------------------------------------------------------ */

typedef enum hdx_sort {
    HDX_SORT_RELEVANCE = 0,
    HDX_SORT_UPDATED = 1 /* newest first, then relevance */
} hdx_sort;

/*
 * Typed filters: a document passes when it matches every group that is
 * set, and within a group any one value (product=a,b: a OR b).  Values are
 * as a user writes them; the library normalises them.
 */
typedef struct hdx_filter {
    const char *const *products; /* product names */
    size_t n_products;
    const char *const *tags;     /* tag names */
    size_t n_tags;
    unsigned types;              /* bit (1u << hdx_doctype) per type; 0: any */
    const char *updated_from;    /* "YYYY-MM-DD" inclusive, or NULL */
    const char *updated_to;      /* "YYYY-MM-DD" inclusive, or NULL */
    const char *category;        /* browse category key (hdx/browse.h) */
    const char *section;         /* browse section key; "<category>/":
                                    directly in the category, no section */
    const char *alias;           /* an old URL, hdx_browse_alias_key() form */
} hdx_filter;

#define HDX_TYPE_BIT(t) (1u << (unsigned)(t))

typedef struct hdx_query_opts {
    hdx_audience level;     /* caller's level: the visibility filter */
    bool drafts;            /* include drafts (ignored for public callers) */
    const char *lang;       /* stemming language of the query; NULL: English */
    hdx_filter filter;      /* products, tags, types, dates */
    hdx_sort sort;
    bool facets;            /* count product / type / tag values */
    bool updated_range;     /* with facets: the matches' earliest and
                               latest updated date too (one more value
                               read per match; hdx_results_updated_range) */
    bool facets_relaxed;    /* with facets: count the any-word matches of
                               a relaxed answer too (by default facets
                               count the all-words matches: counting
                               thousands of loose matches is slow) */
    bool spelling;          /* compute a did-you-mean */
    bool types_lookup;      /* lookup mode: only incidents and non-public
                               documents rank (agents' known-issue search) */
    bool all_words;         /* hdx_query_parse: no any-word fallback, only
                               documents with every word (Meilisearch's
                               matchingStrategy "all") */
} hdx_query_opts;

/*
 * Parse a user query (UTF-8; normalised here).  Supports "phrases",
 * -exclude, OR, title:, product:, tag:, type:, updated:>YYYY-MM-DD and
 * writers' synonyms; identifiers found by hdx_ident_extract() are ORed in
 * with a boost.  A query Xapian cannot parse is retried as plain words, so
 * this fails only on resource errors.  Caller frees with hdx_query_free().
 */
hdx_status hdx_query_parse(hdx_db *db, const char *text,
                           const hdx_query_opts *opts, hdx_query **out,
                           hdx_error *err) HDX_NOEXCEPT;

/*
 * A known-issue lookup over pasted text (log, stack trace, dialog): its
 * identifiers (boosted) and an elite set of its most distinctive words.
 */
hdx_status hdx_query_lookup(hdx_db *db, const char *text,
                            const hdx_query_opts *opts, hdx_query **out,
                            hdx_error *err) HDX_NOEXCEPT;

/*
 * "More like this": the terms that best describe the document `id` (which
 * must be visible at opts->level, else HDX_ENOTFOUND), excluding itself.
 */
hdx_status hdx_query_related(hdx_db *db, const char *id,
                             const hdx_query_opts *opts, hdx_query **out,
                             hdx_error *err) HDX_NOEXCEPT;

/*
 * Title completion for search-as-you-type: the last word is a prefix.
 */
hdx_status hdx_query_partial(hdx_db *db, const char *text,
                             const hdx_query_opts *opts, hdx_query **out,
                             hdx_error *err) HDX_NOEXCEPT;

/* Exactly the document `id` as visible at opts->level (0 or 1 hit). */
hdx_status hdx_query_by_id(hdx_db *db, const char *id,
                           const hdx_query_opts *opts, hdx_query **out,
                           hdx_error *err) HDX_NOEXCEPT;

/*
 * The documents `ids[0..n)` as visible at opts->level, at most one hit
 * each, in no particular order (match them up by id): linked articles in
 * one query instead of one per link.
 */
hdx_status hdx_query_by_ids(hdx_db *db, const char *const *ids, size_t n,
                            const hdx_query_opts *opts, hdx_query **out,
                            hdx_error *err) HDX_NOEXCEPT;

/*
 * Run the query with the caller's visibility filter and return hits
 * [offset, offset+limit).  If the words as typed match nothing and a
 * spelling correction exists, the corrected query is run instead
 * (hdx_results_corrected).  If fewer than 3 documents hold all the words,
 * documents holding any of them follow (hdx_results_relaxed).  Caller
 * frees *out with hdx_results_free().
 */
hdx_status hdx_query_run(hdx_query *q, unsigned offset, unsigned limit,
                         hdx_results **out, hdx_error *err) HDX_NOEXCEPT;

/* Accepts NULL. */
void hdx_query_free(hdx_query *q) HDX_NOEXCEPT;

/* ---- results (borrowed strings live until hdx_results_free) ------------- */

size_t hdx_results_count(const hdx_results *r) HDX_NOEXCEPT;
/* Matching documents in all (exact unless over several thousand). */
unsigned hdx_results_total(const hdx_results *r) HDX_NOEXCEPT;
/* With facets and updated_range asked for (hdx_query_opts): the earliest
 * and the latest `updated` date ("YYYY-MM-DD") of the matching documents
 * the facets counted, into min[11] and max[11]; false when none has a
 * date (or they were not asked for). */
bool hdx_results_updated_range(const hdx_results *r, char min[11],
                               char max[11]) HDX_NOEXCEPT;
/* The stored document data of hit i (see docs/index-schema.md). */
const char *hdx_results_data(const hdx_results *r, size_t i, size_t *len) HDX_NOEXCEPT;
/* The section table of hit i (hdx/sections.h; "" if none), *len bytes,
 * not NUL-terminated: walk it with hdx_sections_next().  It is stored
 * with the text and read with it, on the first call of either for that
 * hit (callers that cut no snippet never pay for them). */
const char *hdx_results_sections(const hdx_results *r, size_t i, size_t *len) HDX_NOEXCEPT;
/* The plain text of hit i, NUL-terminated, read as above; "" if the read
 * fails.  Both stay valid until hdx_results_free(). */
const char *hdx_results_text(const hdx_results *r, size_t i, size_t *len) HDX_NOEXCEPT;
/* The visible Markdown of hit i, read and inflated on each call; malloc'd,
 * caller frees; "" if the document has none or the read fails. */
char *hdx_results_markdown(const hdx_results *r, size_t i) HDX_NOEXCEPT;
double hdx_results_score(const hdx_results *r, size_t i) HDX_NOEXCEPT;
int hdx_results_percent(const hdx_results *r, size_t i) HDX_NOEXCEPT;
/* Identifier terms (without prefix) of the query that hit i carries. */
size_t hdx_results_n_matched_ids(const hdx_results *r, size_t i) HDX_NOEXCEPT;
const char *hdx_results_matched_id(const hdx_results *r, size_t i, size_t k) HDX_NOEXCEPT;

/* Corrected query text when the original found nothing, else NULL. */
const char *hdx_results_corrected(const hdx_results *r) HDX_NOEXCEPT;
/* A did-you-mean suggestion (even when the original found hits), or NULL. */
const char *hdx_results_suggestion(const hdx_results *r) HDX_NOEXCEPT;
/* True when all-words found nothing and any-word results are returned. */
bool hdx_results_relaxed(const hdx_results *r) HDX_NOEXCEPT;

/* Query words for highlighting: normalised words and (flag) stems. */
size_t hdx_results_n_terms(const hdx_results *r) HDX_NOEXCEPT;
const char *hdx_results_term(const hdx_results *r, size_t k, bool *is_stem) HDX_NOEXCEPT;

/* Facets: "product", "type", "tag" with value and count, count-ordered. */
size_t hdx_results_n_facets(const hdx_results *r) HDX_NOEXCEPT;
void hdx_results_facet(const hdx_results *r, size_t k, const char **facet,
                       const char **value, unsigned *count) HDX_NOEXCEPT;

/* Accepts NULL.  Call it before closing the hdx_db the results came from. */
void hdx_results_free(hdx_results *r) HDX_NOEXCEPT;

/* ---- word stems (for grouping text, e.g. report queries) --------------- */

/*
 * The stems of the words of `text`, as the query side analyses them: the
 * text folded (hdx_text_fold), cut into words at every byte that is not an
 * ASCII letter or digit (UTF-8 sequences stay inside words), stop words
 * dropped, each word stemmed with the stemmer of `lang` (NULL or "":
 * English; an unknown language falls back to English as queries do).
 * *out is a malloc'd string of the stems in text order, separated by
 * single spaces ("" when no word is left); the caller frees it.  HDX_EPARSE
 * if `text` is not valid UTF-8, HDX_ENOMEM; *out is NULL on failure.
 * Thread-safe (a stemmer per call).
 */
hdx_status hdx_stem_words(const char *text, const char *lang, char **out,
                          hdx_error *err) HDX_NOEXCEPT;

/* ---- completion --------------------------------------------------------- */

/*
 * Up to `max` completions of `prefix` (normalised) from the spelling
 * dictionary, most frequent first; fn(word, freq, ctx) is called for each.
 * The dictionary only holds public text, so this is safe for every caller.
 */
typedef void (*hdx_word_fn)(const char *word, unsigned freq, void *ctx);
hdx_status hdx_db_complete(hdx_db *db, const char *prefix, unsigned max,
                           hdx_word_fn fn, void *ctx, hdx_error *err) HDX_NOEXCEPT;

#ifdef __cplusplus
}
#endif
#endif
