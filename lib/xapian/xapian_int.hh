/*
 * xapian_int.hh - private to lib/xapian/ (notmuch's database-private.h):
 * the bodies of the handles include/hdx/xapian.h keeps opaque, and the
 * helpers the .cc files of this folder share, in namespace hdxi.  Only
 * the files of lib/xapian/ include it; it is the one header that pulls
 * in <xapian.h>.
 */
#ifndef HDX_XAPIAN_INT_HH
#define HDX_XAPIAN_INT_HH

#include "hdx/xapian.h"

#include <xapian.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../schema.h"
#include "../xdoc.h"

/* ---- handle bodies ----------------------------------------------------- */

struct hdx_writer {
    Xapian::WritableDatabase db;
    bool in_txn = false;
    bool shard = false; /* no generation counter (hdx_writer_open_shard) */
};

struct hdx_doc {
    Xapian::Document doc;
    Xapian::TermGenerator tg;
    bool spelling = false;
};

/* One sub-database of a sharded reader (shards.cc). */
struct hdx_shard {
    std::string spec;    /* as given: a path or "tcp:HOST:PORT" */
    Xapian::Database db; /* its open handle while `up` */
    bool up = false;
    double next_try = 0; /* steady-clock seconds of the next reconnect */
    double backoff = 0;  /* seconds; doubles per failed reconnect */
};

struct hdx_db {
    Xapian::Database db;
    /* Sharded mode (hdx_db_open_sharded): `db` combines the shards that
     * are up, `meta` is the local metadata index (spelling, synonyms,
     * schema, generation).  Both empty for one index at `path`. */
    std::vector<hdx_shard> shards;
    Xapian::Database meta;
    unsigned shard_timeout_ms = 0;
    bool shards_strict = false;
    std::string path;
    unsigned long generation = 0;
    std::string uuid; /* of the open database (hdx_db_uuid) */
    Xapian::SimpleStopper stopper;
    /* Queries and results not yet freed: children must not outlive their
     * parent (include/hdx/xapian.h), hdx_db_close warns when this is not
     * 0.  Counted where a child is handed out and where it is freed. */
    int live_children = 0;
};

struct hdx_hit {
    Xapian::docid did;
    double weight;
    int percent;
    std::string data;
    /* The section table and text (one value, lib/schema.h) and the
     * Markdown are read on demand (hdx_results_sections / _text,
     * hdx_results_markdown) through this handle into the hdx_db's
     * revision of the index: a page of hits that cuts no snippet never
     * reads them.  `stored` holds the value; the table is
     * stored[HEAD, text_at), the text stored[text_at, end). */
    Xapian::Document doc;
    mutable std::string stored;
    mutable size_t text_at = 0;
    mutable bool have_text = false;
    std::vector<std::string> ids;
};

struct hdx_facet_count {
    std::string facet, value;
    unsigned count;
};

struct hdx_results {
    hdx_db *db = nullptr; /* parent; set when handed out (hdx_query_run) */
    std::vector<hdx_hit> hits;
    unsigned total = 0;
    bool relaxed = false;
    bool has_corrected = false;
    std::string corrected;
    std::string suggestion;
    std::vector<std::pair<std::string, bool>> terms;
    std::vector<hdx_facet_count> facets;
    std::string updated_min, updated_max; /* "YYYYMMDD" of the matches */
};

struct hdx_query {
    hdx_db *db = nullptr;
    hdx_audience level = HDX_AUD_PUBLIC;
    bool drafts = false;
    bool facets = false;
    bool updated_range = false; /* facets + the matches' updated range */
    bool facets_relaxed = false; /* facets count any-word matches too */
    bool lookup = false;
    hdx_sort sort = HDX_SORT_RELEVANCE;
    Xapian::Query filter;      /* the typed filters; empty if none */
    /* Set by the constructor's builder (hdxi::build_query): */
    Xapian::Query query;
    Xapian::Query relaxed;     /* any-word variant; empty if none */
    Xapian::Query corrected_q; /* spelling-corrected variant */
    /* Lifts (shape.cc: proximity, exact compounds, titles) added to the
     * weight of every match (run.cc, execute_ranked()); empty if none. */
    Xapian::Query boost;
    Xapian::Query corrected_boost;
    std::string corrected;     /* corrected text shown to the user */
    Xapian::Query exclude;     /* documents never to return */
    bool has_ids = false;
    /* Fewer all-word hits than this bring in the any-word hits of
     * `relaxed` (run.cc's few_hits()). */
    size_t few_hits = 0;
    std::vector<std::pair<std::string, bool>> terms;
};

namespace hdxi
{

/* ---- error.cc: the one exception classifier ---------------------------- */

/* An index written with another schema version (check_schema). */
struct SchemaError {
    std::string msg;
};

/* A shard that did not answer, in strict mode (HDX_ESHARD). */
struct ShardError {
    std::string msg;
};

/* Fill `err` (if any) and return `code`. */
hdx_status fill(hdx_error *err, hdx_status code, const char *where,
                const char *type, const std::string &msg);

/* Classify the exception in flight.  Call only from a catch block. */
hdx_status translate(hdx_error *err, const char *where) noexcept;

/* ---- terms.cc ---------------------------------------------------------- */

/* prefix + value, at most HDXI_MAX_TERM bytes (long ones hashed). */
std::string make_term(const std::string &prefix, const std::string &value);

/* A term of field `f` for `value` (normalised first if the schema says). */
std::string field_term(hdxi_field f, const std::string &value);

/* Starts with a capital: a prefixed (not a free-text word) term. */
bool is_prefixed(const std::string &t);

/* Length of HDXI_STEM_PREFIX if `t` is that prefix + something (a stem
 * term as Xapian writes them), else 0. */
size_t stem_term(const std::string &t);

/* Length of the identifier prefix if `t` is an identifier term, else 0. */
size_t ident_term(const std::string &t);

/* ---- pairs.cc: two neighbouring words as one term ---------------------- */

/* Stop words two content words of a pair may have between them. */
static const size_t PAIR_MAX_GAP = 2;

/* The pair term of the words a, b (unprefixed terms, as indexed). */
std::string pair_term(const std::string &a, const std::string &b);

/* Add a pair term for every two terms at neighbouring positions of doc. */
void add_pair_terms(Xapian::Document &doc);

/* ---- analysis.cc: the query side of the one analysis pipeline ---------- */

Xapian::Stem make_stem(const char *lang);
void add_stopwords(Xapian::SimpleStopper &stopper);
bool is_stopword(const std::string &w);

/* hdx_text_normalize() into a string ("" if the text is not UTF-8). */
std::string normalize(const char *s, size_t n);

/* Normalise a user query, keeping the operator words. */
std::string normalize_query(const std::string &q);

/* A query split into whitespace tokens; `plain` marks bare words (no
 * quotes, field prefix, +/-, operator) with end punctuation stripped. */
struct qtok {
    std::string text;
    bool plain;
};
std::vector<qtok> tokenize_query(const std::string &q);

/* ---- synonyms.cc ------------------------------------------------------- */

/* Expand writers' synonyms and drop stop words (see synonyms.cc). */
std::string rewrite_query(Xapian::Database &db, const std::string &q);

/* Nested ORs (synonym groups) as OP_SYNONYM. */
Xapian::Query synonymize(const Xapian::Query &q);

/* ---- shape.cc: typed or pasted, fields or text, how words count ------- */

/* Is `raw` text pasted from an error, a log or code (not query syntax)? */
bool pasted_text(const std::string &raw);

/* `raw` without the sign of a "-Parameter" (a capital after the '-', as
 * in PowerShell's "Get-ADUser -Identity x"): a parameter, not NOT. */
std::string unsign_params(const std::string &raw);

/* A normalised typed query with every field:value that is not ours
 * (unknown field, type that is no document type, value no document the
 * caller sees carries) turned into words. */
std::string unfield(hdx_query *q, const std::string &norm);

/* The numbers of `norm` that follow a code word ("exit code 1603",
 * "returned 2202", "Event ID 4625"): error codes, kept where other
 * numbers are dropped (lookup.cc). */
std::vector<std::string> error_numbers(const std::string &norm);

/* The boost for query words that are neighbours in a document (pairs,
 * and the whole run as a phrase); empty if there are none.  No database
 * access. */
Xapian::Query proximity(const std::string &norm, bool pasted);

/* `text` with each compound token outside query syntax (hdx/wordsplit.h)
 * as "(whole OR (part AND part))", or for pasted text "whole part part";
 * the normalised wholes go to `wholes`. */
std::string split_compounds(const std::string &text, bool pasted,
                            std::vector<std::string> &wholes);

/* The boost for documents carrying the compounds as written. */
Xapian::Query whole_boost(const std::vector<std::string> &wholes);

/* The title terms of the text words of `words`, weighted as a lift of
 * documents whose title has them; empty if `words` has no text word.
 * No database access. */
Xapian::Query title_lift(const Xapian::Query &words);

/* The number of words of `all`, an all-words query as parsed: its
 * subqueries, nested ANDs opened (a synonym group is one word). */
size_t word_count(const Xapian::Query &all);

/* base AND_MAYBE boost (base alone if either is empty). */
Xapian::Query with_boost(const Xapian::Query &base, const Xapian::Query &boost);

/* The words of an AND or an OR (through AND_NOT and FILTER), any of them
 * matching, each matched word adding a fixed weight, so documents with
 * more of the words rank first. */
Xapian::Query coordinated(const Xapian::Query &any, bool pasted);

/* ---- spelling.cc ------------------------------------------------------- */

bool spelling_word(const std::string &t);

/* The did-you-mean text of a normalised query, "" when nothing changes. */
std::string correct_query(Xapian::Database &db, const std::string &q);

/* Feed a new document's words to the dictionary if it asks. */
void spell(Xapian::WritableDatabase &db, hdx_doc *d);

/* Take a stored document's words out of the dictionary if they are in. */
void unspell(Xapian::WritableDatabase &db, Xapian::docid did);

/* ---- shards.cc: a sharded reader (local and remote sub-databases) ----- */

/* Reconnect the shards that are down and due (bounded back-off); strict
 * mode: throw ShardError while one stays down. */
void heal_shards(hdx_db *h);

/* After a NetworkError: probe the remote shards, leave out those that do
 * not answer (strict mode: throw ShardError). */
void drop_dead_shards(hdx_db *h);

/* hdx_db_reopen() of a sharded reader: everything opened afresh. */
hdx_status reopen_sharded(hdx_db *h, bool *changed, hdx_error *err) noexcept;

/* Where spelling and synonyms live: the metadata index when sharded
 * (the remote backend has neither), else the index itself. */
inline Xapian::Database &lexicon(hdx_db *h)
{
    return h->shards.empty() ? h->db : h->meta;
}

/* ---- db.cc ------------------------------------------------------------- */

unsigned long read_generation(Xapian::Database &db);

/* Throws SchemaError unless `db` has this library's schema version. */
void check_schema(Xapian::Database &db);

/* Move the reader to the latest commit (after DatabaseModifiedError). */
void reopen_latest(hdx_db *h);

/*
 * THE reopen-and-retry: run `f` against the reader; if the writer
 * recycled the blocks of our revision (DatabaseModifiedError), move to
 * the latest commit and run it once more.  `f` must be safe to rerun
 * from the start.  A second DatabaseModifiedError escapes to translate()
 * as HDX_EDB_MODIFIED.
 */
template <class F> void with_reopen(hdx_db *h, F f)
{
    if (!h->shards.empty())
        heal_shards(h);
    try {
        f();
    } catch (const Xapian::DatabaseModifiedError &) {
        reopen_latest(h);
        f();
    } catch (const Xapian::NetworkError &) {
        if (h->shards.empty())
            throw;
        drop_dead_shards(h);
        f();
    }
}

/* ---- parse.cc: query construction -------------------------------------- */

/* A query for `o` (NULL: defaults) counted as a child of `h`. */
hdx_query *new_query(hdx_db *h, const hdx_query_opts *o);

struct query_free {
    void operator()(hdx_query *q) const noexcept { hdx_query_free(q); }
};
typedef std::unique_ptr<hdx_query, query_free> query_ptr;

/* What a builder sets; cleared before each (re)run of it. */
void clear_built(hdx_query *q);

/*
 * THE query constructor: *out = NULL; allocate the query from `o`, run
 * `build(q)` under with_reopen(), free the query if it throws.  `build`
 * returns false when there is no such query (the caller reports why);
 * then *out stays NULL.  Every hdx_query_* constructor comes here.
 */
template <class Build>
bool build_query(hdx_db *h, const hdx_query_opts *o, hdx_query **out,
                 Build build)
{
    *out = nullptr;
    query_ptr q(new_query(h, o));
    bool made = false;
    with_reopen(h, [&] {
        clear_built(q.get());
        made = build(q.get());
    });
    if (made)
        *out = q.release();
    return made;
}

/* The identifiers of `text` (hdx_ident_extract), each once. */
std::vector<std::string> idents_of(const char *text);

/* `words` OR the boosted identifier terms of `ids` (none: `words`); marks
 * q as matching identifiers (hdx_results_matched_id). */
Xapian::Query or_idents(hdx_query *q, const Xapian::Query &words,
                        const std::vector<std::string> &ids);

/* The words of `query` for highlighting, into q->terms. */
void highlight_terms(hdx_query *q, const Xapian::Query &query);

/* ---- run.cc ------------------------------------------------------------ */

/* The typed filters of `f` ANDed (empty query if none is set). */
Xapian::Query typed_filter(const hdx_filter &f);

/* Below this many all-word hits a query of `words` words gets its
 * any-word hits too. */
size_t few_hits(size_t words);

/* Does a document visible to q's caller carry `term`? */
bool visible_exists(hdx_query *q, const std::string &term);

/* dates.cc: an inclusive range on the updated slot ("YYYY-MM-DD" ends,
 * NULL or not a date: open), and the updated: query field. */
Xapian::Query date_range(const char *from, const char *to);
void add_updated_field(Xapian::QueryParser &qp);

class FacetSpy;

/* Run `base` with q's visibility and typed filters: every query path.
 * `counted` (optional): the number of matches, exact up to thousands. */
Xapian::MSet execute(hdx_query *q, const Xapian::Query &base, unsigned offset,
                     unsigned limit, FacetSpy *spy, Xapian::Enquire &enq,
                     Xapian::doccount *counted = nullptr);

} /* namespace hdxi */

#endif
