/*
 * xapian.cc - the one C++ translation unit: libhelpdex's C API over Xapian.
 *
 * Every extern "C" function is noexcept and ends in
 *     catch (...) { return translate(err, __func__); }
 * translate() re-throws and classifies from the most derived Xapian error
 * to std::exception, so no exception ever unwinds into C code.
 *
 * Audience safety lives here, in one place: visibility_filter() builds the
 * boolean filter for a caller's level, and execute() - which every query
 * path (search, lookup, related, partial, by-id) goes through - ANDs it in.
 * Documents carry one visibility term per level that may see them (XVp,
 * XVa, XVi for published; XWa, XWi for drafts), written by the indexer.
 * Spelling data is fed only from documents flagged public and published,
 * so corrections and completions are public text by construction.
 */
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "hdx/alloc.h"
#include "hdx/buf.h"
#include "hdx/hash.h"
#include "hdx/ident.h"
#include "hdx/text.h"
#include "hdx/xapian.h"
#include "hdx/zip.h"

#include "schema.h"
#include "xdoc.h"

namespace
{

/* ---- errors ------------------------------------------------------------ */

/* An index written with another schema version (check_schema). */
struct SchemaError {
    std::string msg;
};

hdx_status fill(hdx_error *err, hdx_status code, const char *where,
                const char *type, const std::string &msg)
{
    if (!err)
        return code;
    hdx_error_clear(err);
    err->code = code;
    snprintf(err->where, sizeof err->where, "%s", where);
    snprintf(err->type, sizeof err->type, "%s", type);
    snprintf(err->msg, sizeof err->msg, "%s", msg.c_str());
    return code;
}

hdx_status fill_x(hdx_error *err, hdx_status code, const char *where,
                  const Xapian::Error &e)
{
    std::string msg = e.get_msg();
    if (!e.get_error_string() || !*e.get_error_string())
        return fill(err, code, where, e.get_type(), msg);
    return fill(err, code, where, e.get_type(),
                msg + " (" + e.get_error_string() + ")");
}

/* Classify the exception in flight.  Call only from a catch block. */
hdx_status translate(hdx_error *err, const char *where) noexcept
{
    try {
        throw;
    } catch (const Xapian::DatabaseModifiedError &e) {
        return fill_x(err, HDX_EDB_MODIFIED, where, e);
    } catch (const Xapian::DatabaseLockError &e) {
        return fill(err, HDX_EDB_LOCKED, where, e.get_type(),
                    "index is locked by another indexer");
    } catch (const Xapian::DatabaseCorruptError &e) {
        return fill_x(err, HDX_EDB_CORRUPT, where, e);
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return fill_x(err, HDX_ENOTFOUND, where, e);
    } catch (const Xapian::DocNotFoundError &e) {
        return fill_x(err, HDX_ENOTFOUND, where, e);
    } catch (const Xapian::DatabaseOpeningError &e) {
        return fill_x(err, HDX_EDB_OPEN, where, e);
    } catch (const Xapian::DatabaseCreateError &e) {
        return fill_x(err, HDX_EDB_OPEN, where, e);
    } catch (const Xapian::DatabaseError &e) {
        /* Glass reports damaged files mostly as plain DatabaseError. */
        return fill_x(err, HDX_EDB, where, e);
    } catch (const Xapian::QueryParserError &e) {
        return fill_x(err, HDX_EQUERY, where, e);
    } catch (const Xapian::WildcardError &e) {
        return fill_x(err, HDX_EQUERY, where, e);
    } catch (const Xapian::InvalidArgumentError &e) {
        return fill_x(err, HDX_EINVAL, where, e);
    } catch (const Xapian::InvalidOperationError &e) {
        return fill_x(err, HDX_EINVAL, where, e);
    } catch (const Xapian::Error &e) {
        return fill_x(err, HDX_EINTERNAL, where, e);
    } catch (const SchemaError &e) {
        return fill(err, HDX_ESCHEMA, where, "SchemaError", e.msg);
    } catch (const std::bad_alloc &) {
        return fill(err, HDX_ENOMEM, where, "bad_alloc", "out of memory");
    } catch (const std::exception &e) {
        return fill(err, HDX_EINTERNAL, where, "std::exception", e.what());
    } catch (...) {
        return fill(err, HDX_EINTERNAL, where, "unknown", "unknown exception");
    }
}

/* ---- terms ------------------------------------------------------------- */

std::string hex64(const std::string &s)
{
    char buf[17];
    hdx_hash64_hex(hdx_hash64(s.data(), s.size()), buf);
    return buf;
}

/* Terms over HDXI_MAX_TERM keep a prefix of the value and a hash of it, as
 * omega's hash_long_term does, so they stay unique and legal. */
std::string make_term(const std::string &prefix, const std::string &value)
{
    std::string t = prefix + value;
    if (t.size() <= HDXI_MAX_TERM)
        return t;
    size_t keep = HDXI_MAX_TERM - 17;
    /* Do not cut a UTF-8 sequence. */
    while (keep > prefix.size() &&
           (static_cast<unsigned char>(t[keep]) & 0xC0) == 0x80)
        keep--;
    return t.substr(0, keep) + ":" + hex64(t);
}

bool is_prefixed(const std::string &t)
{
    return !t.empty() && t[0] >= 'A' && t[0] <= 'Z';
}

/* Words worth a place in the spelling dictionary: letters only, 3..24. */
bool spelling_word(const std::string &t)
{
    if (t.size() < 3 || t.size() > 24 || is_prefixed(t))
        return false;
    for (unsigned char c : t)
        if (!((c >= 'a' && c <= 'z') || c >= 0x80))
            return false;
    return true;
}

const char *const SPELL_MARK = hdxi_prefix(HDXI_F_SPELLED);
const char *const GEN_KEY = HDXI_META_GENERATION;

/* A term of field `f` for `value` (normalised first if the schema says). */
std::string field_term(hdxi_field f, const std::string &value)
{
    const hdxi_field_def *def = hdxi_schema_field(f);
    if (!def->normalise)
        return make_term(def->prefix, value);
    hdx_buf b;
    hdx_buf_init(&b);
    std::string v = value;
    if (hdx_text_normalize(&b, value.data(), value.size(), nullptr) == HDX_OK)
        v.assign(b.data ? b.data : "", b.len);
    hdx_buf_clear(&b);
    return make_term(def->prefix, v);
}

Xapian::Stem make_stem(const char *lang)
{
    if (!lang || !*lang)
        return Xapian::Stem("english");
    if (!strcmp(lang, "none"))
        return Xapian::Stem();
    try {
        return Xapian::Stem(lang);
    } catch (const Xapian::InvalidArgumentError &) {
        /* "en-GB" and friends: try the primary subtag. */
        std::string l(lang);
        size_t dash = l.find_first_of("-_");
        if (dash != std::string::npos) {
            try {
                return Xapian::Stem(l.substr(0, dash));
            } catch (const Xapian::InvalidArgumentError &) {
            }
        }
        return Xapian::Stem("english");
    }
}

const char *const STOPWORDS[] = {
    "a",     "about", "an",   "and",    "are",   "as",    "at",     "be",
    "been",  "but",   "by",   "can",    "could", "did",   "do",     "does",
    "for",   "from",  "had",  "has",    "have",  "how",   "i",      "if",
    "in",    "into",  "is",   "it",     "its",   "me",    "my",     "of",
    "on",    "or",    "our",  "should", "so",    "than",  "that",   "the",
    "their", "them",  "then", "there",  "these", "they",  "this",   "to",
    "was",   "we",    "were", "what",   "when",  "where", "which",  "while",
    "who",   "why",   "will", "with",   "would", "you",   "your",   "am",
    "any",   "get",   "got",  "im",     "dont",  "cant",  "please", "help",
    "want",  "need",  "way",  "trying",
};

} /* namespace */

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

struct hdx_db {
    Xapian::Database db;
    std::string path;
    unsigned long generation = 0;
    Xapian::SimpleStopper stopper;
    int live_queries = 0; /* children that must be freed before close */
};

struct facet_entry {
    std::string facet, value;
    unsigned count;
};

struct hdx_hit {
    Xapian::docid did;
    double weight;
    int percent;
    std::string data;
    std::string sections;
    /* The text is read on demand (hdx_results_text) from this handle. */
    Xapian::Document doc;
    mutable std::string text;
    mutable bool have_text = false;
    std::vector<std::string> ids;
};

struct hdx_results {
    std::vector<hdx_hit> hits;
    unsigned total = 0;
    bool relaxed = false;
    bool has_corrected = false;
    std::string corrected;
    std::string suggestion;
    std::vector<std::pair<std::string, bool>> terms;
    std::vector<facet_entry> facets;
};

struct hdx_query {
    hdx_db *db = nullptr;
    hdx_audience level = HDX_AUD_PUBLIC;
    bool drafts = false;
    bool facets = false;
    bool lookup = false;
    hdx_sort sort = HDX_SORT_RELEVANCE;
    Xapian::Query filter;      /* the typed filters; empty if none */
    Xapian::Query query;
    Xapian::Query relaxed;     /* any-word variant; empty if none */
    Xapian::Query corrected_q; /* spelling-corrected variant */
    std::string corrected;     /* corrected text shown to the user */
    Xapian::Query exclude;     /* documents never to return */
    bool has_ids = false;
    std::vector<std::pair<std::string, bool>> terms;
};

namespace
{

unsigned long read_generation(Xapian::Database &db)
{
    std::string g = db.get_metadata(GEN_KEY);
    return g.empty() ? 0 : strtoul(g.c_str(), nullptr, 10);
}

/* Throws SchemaError (HDX_ESCHEMA) unless `db` was written with this
 * library's schema version. */
void check_schema(Xapian::Database &db)
{
    std::string v = db.get_metadata(HDXI_META_SCHEMA);
    /* A never-committed index (a first build still running or killed) is
     * empty in every schema. */
    if (v == HDX_SCHEMA_VERSION || (v.empty() && db.get_revision() == 0))
        return;
    throw SchemaError{
        "the index was written with schema " +
        (v.empty() ? std::string("(none)") : v) +
        " and this helpdex reads schema " HDX_SCHEMA_VERSION
        "; rebuild it with helpdex-index --rebuild"};
}

void setup_db(hdx_db *h)
{
    for (const char *w : STOPWORDS)
        h->stopper.add(w);
    h->generation = read_generation(h->db);
}

std::string normalize(const char *s, size_t n)
{
    hdx_buf b;
    hdx_buf_init(&b);
    std::string out;
    if (hdx_text_normalize(&b, s, n, nullptr) == HDX_OK)
        out.assign(b.data, b.len);
    hdx_buf_clear(&b);
    return out;
}

bool is_operator_word(const std::string &w)
{
    return w == "OR" || w == "AND" || w == "NOT" || w == "XOR" || w == "NEAR" ||
           w == "ADJ";
}

/*
 * Normalise a user query chunk by chunk, keeping the boolean operator words
 * (which Xapian only recognises in capitals) and rewriting the documented
 * date syntax updated:>D / updated:<D into Xapian's range form.
 */
std::string normalize_query(const std::string &q)
{
    std::string out;
    size_t i = 0;
    while (i < q.size()) {
        size_t j = i;
        while (j < q.size() && !isspace(static_cast<unsigned char>(q[j])))
            j++;
        std::string chunk = q.substr(i, j - i);
        if (!chunk.empty()) {
            if (!is_operator_word(chunk))
                chunk = normalize(chunk.data(), chunk.size());
            if (chunk.compare(0, 9, "updated:>") == 0)
                chunk =
                    "updated:" + chunk.substr(chunk[9] == '=' ? 10 : 9) + "..";
            else if (chunk.compare(0, 9, "updated:<") == 0)
                chunk = "updated:.." + chunk.substr(chunk[9] == '=' ? 10 : 9);
            if (!out.empty())
                out += ' ';
            out += chunk;
        }
        i = j + 1;
    }
    return out;
}

bool plain_word(const std::string &w)
{
    if (w.empty())
        return false;
    for (unsigned char c : w)
        if (!(isalnum(c) || c == '-' || c == '\'' || c >= 0x80))
            return false;
    return !is_operator_word(w);
}

bool is_stopword(const std::string &w)
{
    for (const char *s : STOPWORDS)
        if (w == s)
            return true;
    return false;
}

/* A query split into whitespace tokens; `plain` marks bare words (no
 * quotes, field prefix, +/-, operator) with end punctuation stripped. */
struct qtok {
    std::string text;
    bool plain;
};

std::vector<qtok> tokenize_query(const std::string &q)
{
    std::vector<qtok> out;
    bool in_quote = false;
    size_t i = 0;
    while (i < q.size()) {
        size_t j = q.find(' ', i);
        if (j == std::string::npos)
            j = q.size();
        std::string t = q.substr(i, j - i);
        i = j + 1;
        if (t.empty())
            continue;
        bool quoted = in_quote || t.find('"') != std::string::npos;
        for (char c : t)
            if (c == '"')
                in_quote = !in_quote;
        std::string w = t;
        /* "requests?" and "sync," are the words "requests" and "sync". */
        while (!w.empty() && strchr("?!.,;:", w.back()))
            w.pop_back();
        bool plain = !quoted && plain_word(w);
        out.push_back({plain ? w : t, plain});
    }
    return out;
}

/* The synonyms of a 1-3 word key: exact form, else (one word) its stem. */
bool synonyms_of(Xapian::Database &db, const Xapian::Stem &stem,
                 const std::string &key, std::vector<std::string> &out)
{
    out.clear();
    for (auto s = db.synonyms_begin(key); s != db.synonyms_end(key); ++s)
        out.push_back(*s);
    if (out.empty() && key.find(' ') == std::string::npos) {
        /* Stored under the English stem (hdx_writer_add_synonym); a Stem
         * is cheap to make and must not be shared between threads. */
        Xapian::Stem english("english");
        (void)stem;
        std::string zkey = "Z" + english(key);
        for (auto s = db.synonyms_begin(zkey); s != db.synonyms_end(zkey); ++s)
            out.push_back(*s);
    }
    return !out.empty();
}

/*
 * Rewrite a normalised query for the parser:
 *  - writers' synonyms: runs of 1-3 plain words that are a synonym key
 *    become "(words OR syn1 OR "syn two")" (made OP_SYNONYM later), so
 *    multi-word synonyms are phrases on both sides;
 *  - stop words outside quotes and synonym phrases are dropped (unless
 *    nothing else is left), so "how do I delete" means "delete".
 */
std::string rewrite_query(Xapian::Database &db, const Xapian::Stem &stem,
                          const std::string &q)
{
    std::vector<qtok> toks = tokenize_query(q);
    bool has_content = false;
    for (const auto &t : toks)
        if (!t.plain || !is_stopword(t.text))
            has_content = true;
    std::string out;
    std::vector<std::string> syns;
    auto emit = [&out](const std::string &s) {
        if (!out.empty())
            out += ' ';
        out += s;
    };
    for (size_t k = 0; k < toks.size();) {
        bool consumed = false;
        for (size_t len = std::min<size_t>(3, toks.size() - k);
             len >= 1 && toks[k].plain; len--) {
            std::string key;
            bool ok = true;
            for (size_t m = 0; m < len; m++) {
                if (!toks[k + m].plain) {
                    ok = false;
                    break;
                }
                key += (m ? " " : "") + toks[k + m].text;
            }
            if (!ok || !synonyms_of(db, stem, key, syns))
                continue;
            std::string group = "(" + (len > 1 ? "\"" + key + "\"" : key);
            for (const auto &v : syns)
                group +=
                    " OR " +
                    (v.find(' ') != std::string::npos ? "\"" + v + "\"" : v);
            emit(group + ")");
            k += len;
            consumed = true;
            break;
        }
        if (consumed)
            continue;
        if (!(toks[k].plain && has_content && is_stopword(toks[k].text)))
            emit(toks[k].text);
        k++;
    }
    return out;
}

/* Spelling frequency of `w` in the (public-only) dictionary. */
unsigned spelling_freq(Xapian::Database &db, const std::string &w)
{
    Xapian::TermIterator it = db.spellings_begin();
    it.skip_to(w);
    if (it != db.spellings_end() && *it == w)
        return it.get_termfreq();
    return 0;
}

/* Is `c` the word `w` with its end cut off ("signal" → "sign")?  That is a
 * different word, not a typo - unless the cut is a doubled final letter
 * ("resett" → "reset"). */
bool truncation(const std::string &w, const std::string &c)
{
    if (c.size() >= w.size() || w.compare(0, c.size(), c) != 0)
        return false;
    for (size_t i = c.size(); i < w.size(); i++)
        if (w[i] != c.back())
            return true;
    return false;
}

/*
 * "Did you mean": each plain, non-stop word that the public dictionary
 * does not know is replaced by its best suggestion.  Known words are never
 * changed, and since the dictionary only holds public text, whether a
 * correction is offered reveals nothing about other documents.  Returns ""
 * when nothing changes.
 */
std::string correct_query(Xapian::Database &db, const std::string &q)
{
    std::vector<qtok> toks = tokenize_query(q);
    bool changed = false;
    std::string out;
    for (auto &t : toks) {
        std::string w = t.text;
        if (t.plain && w.size() >= 3 && !is_stopword(w) && spelling_word(w) &&
            spelling_freq(db, w) == 0) {
            std::string c = db.get_spelling_suggestion(w, 2);
            if (!c.empty() && !truncation(w, c)) {
                w = c;
                changed = true;
            }
        }
        if (!out.empty())
            out += ' ';
        out += w;
    }
    return changed ? out : std::string();
}

void configure_parser(Xapian::QueryParser &qp, hdx_db *h, const char *lang)
{
    qp.set_database(h->db);
    qp.set_stemmer(make_stem(lang));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_stopper(&h->stopper);
    qp.set_max_expansion(64, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    /* Every named field of the schema table, as written by the indexer. */
    for (int f = 0; f < HDXI_F_COUNT; f++) {
        const hdxi_field_def *def = hdxi_schema_field((hdxi_field)f);
        if (!def->name)
            continue;
        if (def->kind == HDXI_BOOLEAN)
            qp.add_boolean_prefix(def->name, def->prefix);
        else if (def->kind == HDXI_TEXT)
            qp.add_prefix(def->name, def->prefix);
    }
    qp.add_rangeprocessor(
        (new Xapian::DateRangeProcessor(HDXI_SLOT_UPDATED, "updated:"))
            ->release());
}

const unsigned QP_FLAGS =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_CJK_NGRAM;

/* Parse, falling back to plain words when the syntax is broken. */
Xapian::Query parse_lenient(Xapian::QueryParser &qp, const std::string &text,
                            unsigned extra_flags = 0)
{
    try {
        return qp.parse_query(text, QP_FLAGS | extra_flags);
    } catch (const Xapian::QueryParserError &) {
        return qp.parse_query(text, Xapian::QueryParser::FLAG_CJK_NGRAM);
    }
}

/*
 * Writers' synonym groups arrive from expand_synonyms() as "(a OR b OR
 * "c d")".  Weighted as OR, a document using two words of one group would
 * score twice; OP_SYNONYM weighs the group as one term, which is what a
 * synonym is.  Nested ORs are rebuilt as SYNONYM (the top level keeps the
 * caller's operator); every other node is kept as parsed.
 */
Xapian::Query synonymize(const Xapian::Query &q, bool top)
{
    Xapian::Query::op t = q.get_type();
    bool recurse = t == Xapian::Query::OP_AND || t == Xapian::Query::OP_OR ||
                   t == Xapian::Query::OP_AND_NOT ||
                   t == Xapian::Query::OP_AND_MAYBE ||
                   t == Xapian::Query::OP_FILTER;
    if (!recurse)
        return q;
    std::vector<Xapian::Query> subs;
    for (size_t i = 0; i < q.get_num_subqueries(); i++)
        subs.push_back(synonymize(q.get_subquery(i), false));
    if (t == Xapian::Query::OP_OR && !top)
        t = Xapian::Query::OP_SYNONYM;
    return Xapian::Query(t, subs.begin(), subs.end());
}

void collect_idents(const char *t, size_t n, void *ctx)
{
    auto *v = static_cast<std::vector<std::string> *>(ctx);
    std::string s(t, n);
    if (std::find(v->begin(), v->end(), s) == v->end())
        v->push_back(s);
}

const char *ident_prefix()
{
    return hdxi_prefix(HDXI_F_IDENT);
}

size_t ident_prefix_len()
{
    return strlen(hdxi_prefix(HDXI_F_IDENT));
}

/* Identifier terms ORed in with a boost that ranks exact carriers first. */
Xapian::Query ident_query(const std::vector<std::string> &ids)
{
    std::vector<Xapian::Query> qs;
    for (const auto &id : ids)
        qs.emplace_back(make_term(hdxi_prefix(HDXI_F_IDENT), id));
    return Xapian::Query(
        Xapian::Query::OP_SCALE_WEIGHT,
        Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end()), 8.0);
}

void highlight_terms(hdx_query *q, const Xapian::Query &query)
{
    std::unordered_set<std::string> seen;
    for (auto t = query.get_unique_terms_begin();
         t != query.get_unique_terms_end(); ++t) {
        std::string term = *t;
        if (term.empty())
            continue;
        /* One entry per text: a word, its stem and an identifier can be
         * the same string. */
        if (term[0] == 'Z' && term.size() > 1 &&
            !is_prefixed(term.substr(1))) {
            if (seen.insert(term.substr(1)).second)
                q->terms.emplace_back(term.substr(1), true);
        } else if (term.compare(0, ident_prefix_len(), ident_prefix()) == 0) {
            if (seen.insert(term.substr(ident_prefix_len())).second)
                q->terms.emplace_back(term.substr(ident_prefix_len()), false);
        } else if (!is_prefixed(term)) {
            if (seen.insert(term).second)
                q->terms.emplace_back(term, false);
        }
    }
}

/* THE visibility filter: the only place that decides what a level sees,
 * from the same terms the document builder writes (hdxi_visibility_term). */
Xapian::Query visibility_filter(hdx_audience level, bool drafts)
{
    char t[4];
    hdxi_visibility_term(level, false, t);
    Xapian::Query vis(t);
    if (drafts && hdxi_visibility_term(level, true, t))
        vis = Xapian::Query(Xapian::Query::OP_OR, vis, Xapian::Query(t));
    return vis;
}

/* One group of a typed filter: any of `values` as terms of `f`. */
Xapian::Query any_of(hdxi_field f, const char *const *values, size_t n)
{
    std::vector<Xapian::Query> qs;
    for (size_t i = 0; i < n; i++)
        if (values[i] && *values[i])
            qs.emplace_back(field_term(f, values[i]));
    return Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end());
}

/* An inclusive date range on the updated slot ("YYYY-MM-DD" ends). */
Xapian::Query date_range(const char *from, const char *to)
{
    char lo[9] = "", hi[9] = "";
    bool has_lo = from && hdxi_slot_date(from, lo);
    bool has_hi = to && hdxi_slot_date(to, hi);
    if (has_lo && has_hi)
        return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, HDXI_SLOT_UPDATED,
                             lo, hi);
    if (has_lo)
        return Xapian::Query(Xapian::Query::OP_VALUE_GE, HDXI_SLOT_UPDATED, lo);
    if (has_hi)
        return Xapian::Query(Xapian::Query::OP_VALUE_LE, HDXI_SLOT_UPDATED, hi);
    return Xapian::Query();
}

/* Typed filters: each group set is ANDed, values within a group ORed. */
Xapian::Query typed_filter(const hdx_filter &f)
{
    std::vector<Xapian::Query> groups;
    if (f.n_products)
        groups.push_back(any_of(HDXI_F_PRODUCT, f.products, f.n_products));
    if (f.n_tags)
        groups.push_back(any_of(HDXI_F_TAG, f.tags, f.n_tags));
    if (f.types) {
        std::vector<Xapian::Query> ts;
        for (int t = 0; t < HDX_TYPE_COUNT; t++)
            if (f.types & HDX_TYPE_BIT(t))
                ts.emplace_back(field_term(
                    HDXI_F_TYPE, hdx_doctype_name(static_cast<hdx_doctype>(t))));
        groups.emplace_back(Xapian::Query::OP_OR, ts.begin(), ts.end());
    }
    Xapian::Query dates = date_range(f.updated_from, f.updated_to);
    if (!dates.empty())
        groups.push_back(dates);
    if (groups.empty())
        return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_AND, groups.begin(), groups.end());
}

hdx_query *new_query(hdx_db *db, const hdx_query_opts *o)
{
    hdx_query *q = new hdx_query;
    q->db = db;
    if (o) {
        q->level = o->level;
        q->drafts = o->drafts && o->level > HDX_AUD_PUBLIC;
        q->facets = o->facets;
        q->sort = o->sort;
        q->lookup = o->types_lookup;
        q->filter = typed_filter(o->filter);
    }
    db->live_queries++;
    return q;
}

/*
 * Counts facet values over every matching document.  Per document it does
 * one value read and one hash increment of the whole combined value
 * (documents share few distinct combinations); finish() splits each
 * distinct combination once.
 */
class FacetSpy : public Xapian::MatchSpy
{
    std::unordered_map<std::string, unsigned> combos;

  public:
    std::map<std::string, unsigned> product, type, tag;
    void take(FacetSpy &o)
    {
        combos.swap(o.combos);
        product.swap(o.product);
        type.swap(o.type);
        tag.swap(o.tag);
    }
    void operator()(const Xapian::Document &doc, double) override
    {
        combos[doc.get_value(HDXI_SLOT_FACETS)]++;
    }
    void finish()
    {
        for (const auto &kv : combos) {
            struct add_ctx {
                FacetSpy *spy;
                unsigned n;
            } c = {this, kv.second};
            hdxi_facets_decode(
                kv.first.data(), kv.first.size(),
                [](hdxi_facet f, const char *v, size_t len, void *p) {
                    auto *a = static_cast<add_ctx *>(p);
                    std::map<std::string, unsigned> &m =
                        f == HDXI_FACET_PRODUCT ? a->spy->product
                        : f == HDXI_FACET_TYPE  ? a->spy->type
                                                : a->spy->tag;
                    m[std::string(v, len)] += a->n;
                },
                &c);
        }
        combos.clear();
    }
};

void add_facets(hdx_results *r, const char *name,
                const std::map<std::string, unsigned> &m, size_t max)
{
    std::vector<std::pair<std::string, unsigned>> v(m.begin(), m.end());
    std::stable_sort(v.begin(), v.end(), [](const auto &a, const auto &b) {
        return a.second > b.second;
    });
    for (size_t i = 0; i < v.size() && i < max; i++)
        r->facets.push_back({name, v[i].first, v[i].second});
}

/*
 * Every query runs here.  The visibility filter is ANDed in before anything
 * else, so totals, facets, hits and identifiers only ever see what the
 * caller's level may see.
 */
Xapian::MSet execute(hdx_query *q, const Xapian::Query &base, unsigned offset,
                     unsigned limit, FacetSpy *spy, Xapian::Enquire &enq)
{
    Xapian::Query filter = visibility_filter(q->level, q->drafts);
    if (!q->filter.empty())
        filter = Xapian::Query(Xapian::Query::OP_AND, filter, q->filter);
    if (q->lookup) {
        /* Known-issue lookup ranks incidents and agent/internal notes. */
        std::vector<Xapian::Query> kinds = {
            Xapian::Query(field_term(HDXI_F_TYPE, "incident")),
            Xapian::Query(field_term(HDXI_F_AUDIENCE, "agent")),
            Xapian::Query(field_term(HDXI_F_AUDIENCE, "internal"))};
        filter = Xapian::Query(
            Xapian::Query::OP_AND, filter,
            Xapian::Query(Xapian::Query::OP_OR, kinds.begin(), kinds.end()));
    }
    /* A filter-only query is the filter itself (its boolean terms weigh
     * nothing).  Not OP_SCALE_WEIGHT(filter, 0): in Xapian 1.4.22 that
     * throws "Unexpected end of posting list" once documents at the start
     * of a posting list have been deleted (tests/e2e/test_publishing.py). */
    Xapian::Query full =
        base.empty() ? filter
                     : Xapian::Query(Xapian::Query::OP_FILTER, base, filter);
    if (!q->exclude.empty())
        full = Xapian::Query(Xapian::Query::OP_AND_NOT, full, q->exclude);
    enq.set_query(full);
    if (q->sort == HDX_SORT_UPDATED)
        enq.set_sort_by_value_then_relevance(HDXI_SLOT_UPDATED, true);
    if (spy)
        enq.add_matchspy(spy);
    /* Counting every match keeps totals exact (and free of statistics
     * from documents the caller cannot see) for all but huge result sets. */
    Xapian::doccount check = spy ? 20000 : 2000;
    return enq.get_mset(offset, limit, std::max(check, offset + limit));
}

/* Append the hits of `mset` not already in `r` (by docid). */
void collect(hdx_results *r, hdx_query *q, Xapian::Enquire &enq,
             Xapian::MSet &mset, size_t limit)
{
    for (auto it = mset.begin(); it != mset.end() && r->hits.size() < limit;
         ++it) {
        bool dup = false;
        for (const auto &h : r->hits)
            if (h.did == *it)
                dup = true;
        if (dup)
            continue;
        hdx_hit h;
        h.did = *it;
        h.weight = it.get_weight();
        h.percent = it.get_percent();
        Xapian::Document doc = it.get_document();
        h.data = doc.get_value(HDXI_SLOT_DATA);
        h.sections = doc.get_value(HDXI_SLOT_SECTIONS);
        h.doc = doc;
        if (q->has_ids) {
            for (auto t = enq.get_matching_terms_begin(it);
                 t != enq.get_matching_terms_end(it); ++t) {
                std::string term = *t;
                if (term.compare(0, ident_prefix_len(), ident_prefix()) == 0)
                    h.ids.push_back(term.substr(ident_prefix_len()));
            }
        }
        r->hits.push_back(std::move(h));
    }
}

/* Fewer all-word hits than this on the first page brings in any-word hits
 * after them: a query never comes back (nearly) empty for one word. */
const size_t FEW_HITS = 3;

hdx_results *run_once(hdx_query *q, unsigned offset, unsigned limit)
{
    /* Owned here until returned: a Xapian exception frees it. */
    std::unique_ptr<hdx_results> r(new hdx_results);
    r->terms = q->terms;
    Xapian::Enquire enq(q->db->db);
    FacetSpy spy;
    FacetSpy *sp = q->facets ? &spy : nullptr;
    Xapian::MSet mset = execute(q, q->query, offset, limit, sp, enq);
    bool corrected = false, relaxed = false;
    /* Nothing with all the words as typed: the spelling correction first. */
    if (mset.empty() && !q->corrected_q.empty()) {
        Xapian::Enquire e2(q->db->db);
        FacetSpy spy2;
        Xapian::MSet m2 =
            execute(q, q->corrected_q, offset, limit, sp ? &spy2 : nullptr, e2);
        if (!m2.empty()) {
            spy.take(spy2);
            mset = m2;
            enq = e2;
            corrected = true;
        }
    }
    r->total = mset.get_matches_estimated();
    collect(r.get(), q, enq, mset, limit);
    /* Still few: any-word hits follow the all-word ones. */
    if (!corrected && !q->relaxed.empty() && r->total < FEW_HITS) {
        Xapian::Enquire e3(q->db->db);
        FacetSpy spy3;
        unsigned off = offset >= r->total ? offset - r->total : 0;
        Xapian::MSet m3 = execute(q, q->relaxed, off, limit + FEW_HITS,
                                  sp ? &spy3 : nullptr, e3);
        if (m3.get_matches_estimated() > r->total) {
            if (offset >= r->total)
                r->hits.clear();
            collect(r.get(), q, e3, m3, limit);
            r->total = m3.get_matches_estimated();
            spy.take(spy3);
            relaxed = true;
        }
    }
    r->relaxed = relaxed;
    r->has_corrected = corrected;
    /* Offer "did you mean" only when the words as typed did poorly. */
    if (!q->corrected.empty() && (corrected || relaxed || r->hits.empty())) {
        r->suggestion = q->corrected;
        if (corrected)
            r->corrected = q->corrected;
    }
    if (q->facets) {
        spy.finish();
        add_facets(r.get(), hdxi_facet_name(HDXI_FACET_PRODUCT), spy.product,
                   20);
        add_facets(r.get(), hdxi_facet_name(HDXI_FACET_TYPE), spy.type, 10);
        add_facets(r.get(), hdxi_facet_name(HDXI_FACET_TAG), spy.tag, 30);
    }
    return r.release();
}

/*
 * Run `f` against the reader; if the writer recycled the blocks of our
 * revision (DatabaseModifiedError), move to the latest commit and run it
 * once more.  `f` must be safe to rerun from the start.
 */
template <class F> void with_reopen(hdx_db *h, F f)
{
    try {
        f();
    } catch (const Xapian::DatabaseModifiedError &) {
        h->db.reopen();
        h->generation = read_generation(h->db);
        f();
    }
}

/* Look up the docid visible at q's level for `id` (0 if none). */
Xapian::docid visible_docid(hdx_query *q, const std::string &id)
{
    Xapian::Enquire enq(q->db->db);
    Xapian::Query base(field_term(HDXI_F_ID, id));
    Xapian::MSet m = execute(q, base, 0, 1, nullptr, enq);
    return m.empty() ? 0 : *m.begin();
}

class WordDecider : public Xapian::ExpandDecider
{
  public:
    bool operator()(const std::string &t) const override
    {
        if (t.size() < 3 || is_prefixed(t))
            return false;
        for (unsigned char c : t)
            if (c >= 'a' && c <= 'z')
                return true;
        return false;
    }
};

} /* namespace */

/* ======================================================================== */

extern "C" {

char *hdxi_term_make(const char *prefix, const char *value) noexcept
{
    try {
        return hdx_xstrdup(make_term(prefix, value).c_str());
    } catch (...) {
        return hdx_xstrdup(prefix);
    }
}

/* ---- writer ------------------------------------------------------------ */

hdx_status hdx_writer_open(const char *path, int wait_seconds, hdx_writer **out,
                           hdx_error *err) noexcept
{
    *out = nullptr;
    try {
        auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::seconds(wait_seconds);
        for (;;) {
            try {
                hdx_writer *w = new hdx_writer;
                try {
                    w->db = Xapian::WritableDatabase(path,
                                                     Xapian::DB_CREATE_OR_OPEN);
                } catch (...) {
                    delete w;
                    throw;
                }
                *out = w;
                return HDX_OK;
            } catch (const Xapian::DatabaseLockError &) {
                if (std::chrono::steady_clock::now() >= deadline)
                    throw;
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        }
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_begin(hdx_writer *w, hdx_error *err) noexcept
{
    try {
        if (!w->in_txn) {
            w->db.begin_transaction(true);
            w->in_txn = true;
        }
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_commit(hdx_writer *w, hdx_error *err) noexcept
{
    try {
        if (!w->shard) {
            unsigned long gen =
                strtoul(w->db.get_metadata(GEN_KEY).c_str(), nullptr, 10) + 1;
            w->db.set_metadata(GEN_KEY, std::to_string(gen));
            w->db.set_metadata(HDXI_META_SCHEMA, HDX_SCHEMA_VERSION);
        }
        if (w->in_txn) {
            w->in_txn = false;
            w->db.commit_transaction();
        } else {
            w->db.commit();
        }
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_generation(hdx_writer *w, unsigned long *out,
                                 hdx_error *err) noexcept
{
    *out = 0;
    try {
        *out = strtoul(w->db.get_metadata(GEN_KEY).c_str(), nullptr, 10);
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_schema_current(hdx_writer *w, bool *current,
                                     hdx_error *err) noexcept
{
    *current = false;
    try {
        *current = w->db.get_metadata(HDXI_META_SCHEMA) == HDX_SCHEMA_VERSION;
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_stamp(hdx_writer *w, unsigned long generation,
                            hdx_error *err) noexcept
{
    try {
        w->db.set_metadata(HDXI_META_SCHEMA, HDX_SCHEMA_VERSION);
        w->db.set_metadata(GEN_KEY, std::to_string(generation));
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_cancel(hdx_writer *w, hdx_error *err) noexcept
{
    try {
        if (w->in_txn) {
            w->in_txn = false;
            w->db.cancel_transaction();
        }
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

static void unspell(Xapian::WritableDatabase &db, Xapian::docid did)
{
    Xapian::Document old = db.get_document(did);
    Xapian::TermIterator mark = old.termlist_begin();
    mark.skip_to(SPELL_MARK);
    if (mark == old.termlist_end() || *mark != SPELL_MARK)
        return;
    for (auto t = old.termlist_begin(); t != old.termlist_end(); ++t) {
        std::string term = *t;
        if (spelling_word(term))
            db.remove_spelling(term, t.get_wdf());
    }
}

/* Feed a new document's words to the spelling dictionary if it asks. */
static void spell(Xapian::WritableDatabase &db, hdx_doc *d)
{
    if (!d->spelling)
        return;
    d->doc.add_boolean_term(SPELL_MARK);
    for (auto t = d->doc.termlist_begin(); t != d->doc.termlist_end(); ++t) {
        std::string term = *t;
        if (spelling_word(term))
            db.add_spelling(term, t.get_wdf());
    }
}

hdx_status hdxi_writer_replace(hdx_writer *w, const char *uid_term,
                              hdx_doc *d, hdx_error *err) noexcept
{
    try {
        std::string uid = make_term("", uid_term);
        for (auto p = w->db.postlist_begin(uid); p != w->db.postlist_end(uid);
             ++p)
            unspell(w->db, *p);
        d->doc.add_boolean_term(uid);
        spell(w->db, d);
        w->db.replace_document(uid, d->doc);
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdxi_writer_add(hdx_writer *w, const char *uid_term, hdx_doc *d,
                          hdx_error *err) noexcept
{
    try {
        d->doc.add_boolean_term(make_term("", uid_term));
        spell(w->db, d);
        w->db.add_document(d->doc);
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdxi_writer_delete(hdx_writer *w, const char *term,
                             unsigned *n_deleted, hdx_error *err) noexcept
{
    if (n_deleted)
        *n_deleted = 0;
    try {
        std::string t = make_term("", term);
        std::vector<Xapian::docid> ids;
        for (auto p = w->db.postlist_begin(t); p != w->db.postlist_end(t); ++p)
            ids.push_back(*p);
        for (Xapian::docid did : ids) {
            unspell(w->db, did);
            w->db.delete_document(did);
        }
        if (n_deleted)
            *n_deleted = static_cast<unsigned>(ids.size());
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdxi_writer_has_term(hdx_writer *w, const char *term, bool *found,
                               hdx_error *err) noexcept
{
    *found = false;
    try {
        *found = w->db.term_exists(make_term("", term));
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_meta_set(hdx_writer *w, const char *key,
                               const char *value, hdx_error *err) noexcept
{
    try {
        w->db.set_metadata(key, value ? value : "");
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_meta_get(hdx_writer *w, const char *key, char **out,
                               hdx_error *err) noexcept
{
    *out = nullptr;
    try {
        std::string v = w->db.get_metadata(key);
        if (!v.empty())
            *out = hdx_xstrdup(v.c_str());
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_meta_list(hdx_writer *w, const char *prefix,
                                hdx_meta_fn fn, void *ctx,
                                hdx_error *err) noexcept
{
    try {
        for (auto k = w->db.metadata_keys_begin(prefix);
             k != w->db.metadata_keys_end(prefix); ++k) {
            std::string key = *k;
            std::string v = w->db.get_metadata(key);
            fn(key.c_str(), v.c_str(), ctx);
        }
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_clear_synonyms(hdx_writer *w, hdx_error *err) noexcept
{
    try {
        std::vector<std::string> keys;
        for (auto k = w->db.synonym_keys_begin(); k != w->db.synonym_keys_end();
             ++k)
            keys.push_back(*k);
        for (const auto &k : keys)
            w->db.clear_synonyms(k);
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_add_synonym(hdx_writer *w, const char *key,
                                  const char *value, hdx_error *err) noexcept
{
    try {
        w->db.add_synonym(key, value);
        /* One-word keys also under their English stem, so "hotkeys" finds
         * the group written as "hotkey" (see synonyms_of()). */
        if (!strchr(key, ' '))
            w->db.add_synonym("Z" + Xapian::Stem("english")(key), value);
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

unsigned hdx_writer_doccount(const hdx_writer *w) noexcept
{
    try {
        return w->db.get_doccount();
    } catch (...) {
        return 0;
    }
}

void hdx_writer_close(hdx_writer *w) noexcept
{
    if (!w)
        return;
    try {
        if (w->in_txn)
            w->db.cancel_transaction();
        w->db.close();
    } catch (...) {
        /* Closing releases the lock even when it reports an error. */
    }
    delete w;
}

hdx_status hdx_writer_open_shard(const char *path, hdx_writer **out,
                                 hdx_error *err) noexcept
{
    *out = nullptr;
    hdx_writer *w = nullptr;
    try {
        w = new hdx_writer;
        w->db = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OVERWRITE);
        w->shard = true;
        *out = w;
        return HDX_OK;
    } catch (...) {
        delete w;
        return translate(err, __func__);
    }
}

hdx_status hdx_compact(const char *const *paths, size_t n, const char *dest,
                       hdx_error *err) noexcept
{
    try {
        Xapian::Database all;
        for (size_t i = 0; i < n; i++)
            all.add_database(Xapian::Database(paths[i]));
        all.compact(dest, Xapian::DBCOMPACT_MULTIPASS);
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

/* ---- documents --------------------------------------------------------- */

hdx_status hdxi_doc_new(const char *lang, hdx_doc **out, hdx_error *err) noexcept
{
    *out = nullptr;
    try {
        hdx_doc *d = new hdx_doc;
        d->tg.set_document(d->doc);
        d->tg.set_stemmer(make_stem(lang));
        d->tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        d->tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
        *out = d;
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdxi_doc_index_text(hdx_doc *d, const char *text, size_t len,
                              const char *prefix, unsigned wdf_inc,
                              bool positions, hdx_error *err) noexcept
{
    try {
        std::string t(text, len);
        if (positions)
            d->tg.index_text(t, wdf_inc, prefix ? prefix : "");
        else
            d->tg.index_text_without_positions(t, wdf_inc,
                                               prefix ? prefix : "");
        d->tg.increase_termpos(100);
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdxi_doc_add_term(hdx_doc *d, const char *term, unsigned wdf,
                            hdx_error *err) noexcept
{
    try {
        std::string t = make_term("", term);
        if (wdf == 0)
            d->doc.add_boolean_term(t);
        else
            d->doc.add_term(t, wdf);
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdxi_doc_set_value(hdx_doc *d, unsigned slot, const char *bytes,
                             size_t len, hdx_error *err) noexcept
{
    try {
        d->doc.add_value(slot, std::string(bytes, len));
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

void hdxi_doc_set_spelling(hdx_doc *d, bool on) noexcept
{
    d->spelling = on;
}

void hdxi_doc_free(hdx_doc *d) noexcept
{
    delete d;
}

/* ---- reader ------------------------------------------------------------ */

hdx_status hdx_db_open(const char *path, hdx_db **out, hdx_error *err) noexcept
{
    *out = nullptr;
    hdx_db *h = nullptr;
    try {
        h = new hdx_db;
        h->path = path;
        h->db = Xapian::Database(path);
        check_schema(h->db);
        setup_db(h);
        *out = h;
        return HDX_OK;
    } catch (...) {
        delete h;
        return translate(err, __func__);
    }
}

hdx_status hdx_db_reopen(hdx_db *h, bool *changed, hdx_error *err) noexcept
{
    if (changed)
        *changed = false;
    try {
        /* A fresh open rather than Database::reopen(): a full build swaps
         * a whole new index into the path, and reopen() only notices a new
         * revision of the same database (the swapped-in one may carry the
         * same revision number).  If the open throws, the handle keeps its
         * old revision. */
        Xapian::Database fresh(h->path);
        check_schema(fresh);
        unsigned long gen = read_generation(fresh);
        bool moved = gen != h->generation ||
                     fresh.get_uuid() != h->db.get_uuid() ||
                     fresh.get_lastdocid() != h->db.get_lastdocid() ||
                     fresh.get_doccount() != h->db.get_doccount();
        h->db = fresh;
        h->generation = gen;
        if (changed)
            *changed = moved;
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

unsigned hdx_db_doccount(const hdx_db *h) noexcept
{
    try {
        return h->db.get_doccount();
    } catch (...) {
        return 0;
    }
}

unsigned long hdx_db_generation(const hdx_db *h) noexcept
{
    return h->generation;
}

hdx_status hdx_db_meta_get(hdx_db *h, const char *key, char **out,
                           hdx_error *err) noexcept
{
    *out = nullptr;
    try {
        std::string v = h->db.get_metadata(key);
        if (!v.empty())
            *out = hdx_xstrdup(v.c_str());
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

void hdx_db_close(hdx_db *h) noexcept
{
    if (!h)
        return;
    /* Children must not outlive their parent (include/hdx/xapian.h). */
    if (h->live_queries != 0)
        fprintf(stderr, "helpdex: hdx_db_close with %d live queries\n",
                h->live_queries);
    try {
        h->db.close();
    } catch (...) {
    }
    delete h;
}

hdx_status hdx_db_complete(hdx_db *h, const char *prefix, unsigned max,
                           hdx_word_fn fn, void *ctx, hdx_error *err) noexcept
{
    try {
        std::string p = normalize(prefix, strlen(prefix));
        if (p.empty())
            return HDX_OK;
        std::vector<std::pair<std::string, unsigned>> words;
        with_reopen(h, [&] {
            words.clear();
            Xapian::TermIterator it = h->db.spellings_begin();
            it.skip_to(p);
            for (unsigned scanned = 0;
                 it != h->db.spellings_end() && scanned < 5000;
                 ++it, ++scanned) {
                std::string w = *it;
                if (w.compare(0, p.size(), p) != 0)
                    break;
                words.emplace_back(w, it.get_termfreq());
            }
        });
        std::stable_sort(
            words.begin(), words.end(),
            [](const auto &a, const auto &b) { return a.second > b.second; });
        for (size_t i = 0; i < words.size() && i < max; i++)
            fn(words[i].first.c_str(), words[i].second, ctx);
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

/* ---- queries ----------------------------------------------------------- */

hdx_status hdx_query_parse(hdx_db *h, const char *text, const hdx_query_opts *o,
                           hdx_query **out, hdx_error *err) noexcept
{
    *out = nullptr;
    hdx_query *q = nullptr;
    try {
        q = new_query(h, o);
        with_reopen(h, [&] {
            q->terms.clear();
            std::string norm = normalize_query(text);
            Xapian::QueryParser qp;
            configure_parser(qp, h, o ? o->lang : nullptr);
            Xapian::Stem stem = make_stem(o ? o->lang : nullptr);
            std::string expanded = rewrite_query(h->db, stem, norm);
            qp.set_default_op(Xapian::Query::OP_AND);
            Xapian::Query words =
                synonymize(parse_lenient(qp, expanded), false);
            std::vector<std::string> ids;
            hdx_ident_extract(text, strlen(text), collect_idents, &ids);
            if (!ids.empty()) {
                q->has_ids = true;
                Xapian::Query idq = ident_query(ids);
                words = words.empty()
                            ? idq
                            : Xapian::Query(Xapian::Query::OP_OR, words, idq);
            }
            q->query = words;
            highlight_terms(q, words);
            /* Any-word fallback only makes sense for several words. */
            if (words.get_length() > 1) {
                qp.set_default_op(Xapian::Query::OP_OR);
                Xapian::Query any =
                    synonymize(parse_lenient(qp, expanded), true);
                if (!ids.empty())
                    any = Xapian::Query(Xapian::Query::OP_OR, any,
                                        ident_query(ids));
                q->relaxed = any;
            }
            if (o && o->spelling) {
                std::string c = correct_query(h->db, norm);
                if (!c.empty()) {
                    q->corrected = c;
                    qp.set_default_op(Xapian::Query::OP_AND);
                    q->corrected_q = synonymize(
                        parse_lenient(qp, rewrite_query(h->db, stem, c)),
                        false);
                }
            }
        });
        *out = q;
        return HDX_OK;
    } catch (...) {
        hdx_query_free(q);
        return translate(err, __func__);
    }
}

hdx_status hdx_query_lookup(hdx_db *h, const char *text,
                            const hdx_query_opts *o, hdx_query **out,
                            hdx_error *err) noexcept
{
    *out = nullptr;
    hdx_query *q = nullptr;
    try {
        q = new_query(h, o);
        with_reopen(h, [&] {
            q->terms.clear();
            std::vector<std::string> ids;
            hdx_ident_extract(text, strlen(text), collect_idents, &ids);
            /* Word terms of the paste, deduplicated by a scratch document; the
             * elite set keeps the few that are rarest in the index, so a 32 KB
             * stack trace costs about as much as a short query. */
            Xapian::Document scratch;
            Xapian::TermGenerator tg;
            tg.set_document(scratch);
            tg.set_stemmer(make_stem(o ? o->lang : nullptr));
            tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
            tg.set_stopper(&h->stopper);
            std::string norm = normalize(text, strlen(text));
            tg.index_text_without_positions(norm);
            std::vector<Xapian::Query> words;
            for (auto t = scratch.termlist_begin(); t != scratch.termlist_end();
                 ++t) {
                std::string term = *t;
                if (term.size() < 4 || term[0] != 'Z' ||
                    is_stopword(term.substr(1)))
                    continue;
                /* Numbers (line numbers, ports, counts) say little. */
                bool digits_only = true;
                for (size_t i = 1; i < term.size(); i++)
                    if (!isdigit(static_cast<unsigned char>(term[i])))
                        digits_only = false;
                if (digits_only)
                    continue;
                words.emplace_back(term);
            }
            Xapian::Query wq;
            if (!words.empty())
                wq = Xapian::Query(Xapian::Query::OP_ELITE_SET, words.begin(),
                                   words.end(), 12);
            if (!ids.empty()) {
                q->has_ids = true;
                Xapian::Query idq = ident_query(ids);
                wq = wq.empty() ? idq
                                : Xapian::Query(Xapian::Query::OP_OR, wq, idq);
            }
            q->query = wq;
            highlight_terms(q, wq);
        });
        *out = q;
        return HDX_OK;
    } catch (...) {
        hdx_query_free(q);
        return translate(err, __func__);
    }
}

hdx_status hdx_query_related(hdx_db *h, const char *id, const hdx_query_opts *o,
                             hdx_query **out, hdx_error *err) noexcept
{
    *out = nullptr;
    hdx_query *q = nullptr;
    try {
        q = new_query(h, o);
        bool found = true;
        with_reopen(h, [&] {
            Xapian::docid did = visible_docid(q, id);
            if (!did) {
                found = false;
                return;
            }
            Xapian::Enquire enq(h->db);
            enq.set_query(Xapian::Query(field_term(HDXI_F_ID, id)));
            Xapian::RSet rset;
            rset.add_document(did);
            WordDecider words;
            Xapian::ESet eset = enq.get_eset(24, rset, &words);
            std::vector<Xapian::Query> terms;
            for (auto t = eset.begin(); t != eset.end(); ++t)
                terms.emplace_back(*t);
            q->query =
                Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
        });
        if (!found) {
            hdx_query_free(q);
            return fill(err, HDX_ENOTFOUND, __func__, "", "no such document");
        }
        q->exclude = Xapian::Query(field_term(HDXI_F_ID, id));
        *out = q;
        return HDX_OK;
    } catch (...) {
        hdx_query_free(q);
        return translate(err, __func__);
    }
}

hdx_status hdx_query_partial(hdx_db *h, const char *text,
                             const hdx_query_opts *o, hdx_query **out,
                             hdx_error *err) noexcept
{
    *out = nullptr;
    hdx_query *q = nullptr;
    try {
        q = new_query(h, o);
        with_reopen(h, [&] {
            q->terms.clear();
            Xapian::QueryParser qp;
            configure_parser(qp, h, o ? o->lang : nullptr);
            qp.set_default_op(Xapian::Query::OP_AND);
            std::string norm = normalize(text, strlen(text));
            try {
                q->query =
                    qp.parse_query(norm,
                                   Xapian::QueryParser::FLAG_PARTIAL |
                                       Xapian::QueryParser::FLAG_CJK_NGRAM,
                                   hdxi_prefix(HDXI_F_TITLE));
            } catch (const Xapian::QueryParserError &) {
                q->query = Xapian::Query();
            }
        });
        *out = q;
        return HDX_OK;
    } catch (...) {
        hdx_query_free(q);
        return translate(err, __func__);
    }
}

hdx_status hdx_query_by_id(hdx_db *h, const char *id, const hdx_query_opts *o,
                           hdx_query **out, hdx_error *err) noexcept
{
    return hdx_query_by_ids(h, &id, 1, o, out, err);
}

hdx_status hdx_query_by_ids(hdx_db *h, const char *const *ids, size_t n,
                            const hdx_query_opts *o, hdx_query **out,
                            hdx_error *err) noexcept
{
    *out = nullptr;
    hdx_query *q = nullptr;
    try {
        q = new_query(h, o);
        std::vector<Xapian::Query> terms;
        for (size_t i = 0; i < n; i++)
            if (ids[i] && *ids[i])
                terms.emplace_back(field_term(HDXI_F_ID, ids[i]));
        /* No ids: no hits (hdx_query_run answers an empty query with an
         * empty page), whatever the filter would match. */
        if (terms.empty())
            q->filter = Xapian::Query();
        else
            q->query = Xapian::Query(Xapian::Query::OP_OR, terms.begin(),
                                     terms.end());
        q->facets = false;
        *out = q;
        return HDX_OK;
    } catch (...) {
        hdx_query_free(q);
        return translate(err, __func__);
    }
}

hdx_status hdx_query_run(hdx_query *q, unsigned offset, unsigned limit,
                         hdx_results **out, hdx_error *err) noexcept
{
    *out = nullptr;
    try {
        if (q->query.empty() && q->filter.empty()) {
            *out = new hdx_results;
            return HDX_OK;
        }
        try {
            *out = run_once(q, offset, limit);
        } catch (const Xapian::DatabaseModifiedError &) {
            /* The writer recycled the blocks of our revision: move to the
             * latest one (atomically, all of it) and try once more. */
            q->db->db.reopen();
            q->db->generation = read_generation(q->db->db);
            *out = run_once(q, offset, limit);
        }
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

void hdx_query_free(hdx_query *q) noexcept
{
    if (!q)
        return;
    q->db->live_queries--;
    delete q;
}

/* ---- results ----------------------------------------------------------- */

size_t hdx_results_count(const hdx_results *r) noexcept
{
    return r->hits.size();
}

unsigned hdx_results_total(const hdx_results *r) noexcept
{
    return r->total;
}

const char *hdx_results_data(const hdx_results *r, size_t i,
                             size_t *len) noexcept
{
    if (len)
        *len = r->hits[i].data.size();
    return r->hits[i].data.c_str();
}

const char *hdx_results_sections(const hdx_results *r, size_t i,
                                 size_t *len) noexcept
{
    if (len)
        *len = r->hits[i].sections.size();
    return r->hits[i].sections.c_str();
}

const char *hdx_results_text(const hdx_results *r, size_t i,
                             size_t *len) noexcept
{
    const hdx_hit &h = r->hits[i];
    if (!h.have_text) {
        h.have_text = true;
        try {
            h.text = h.doc.get_value(HDXI_SLOT_TEXT);
        } catch (...) {
            /* As documented: no text (so no snippet) rather than no hit. */
            h.text.clear();
        }
    }
    if (len)
        *len = h.text.size();
    return h.text.c_str();
}

char *hdx_results_markdown(const hdx_results *r, size_t i) noexcept
{
    std::string z;
    try {
        z = r->hits[i].doc.get_value(HDXI_SLOT_MARKDOWN);
    } catch (...) {
        z.clear();
    }
    char *md = z.empty() ? nullptr : hdx_unzip(z.data(), z.size(), nullptr);
    return md ? md : hdx_xstrdup("");
}

double hdx_results_score(const hdx_results *r, size_t i) noexcept
{
    return r->hits[i].weight;
}

int hdx_results_percent(const hdx_results *r, size_t i) noexcept
{
    return r->hits[i].percent;
}

size_t hdx_results_n_matched_ids(const hdx_results *r, size_t i) noexcept
{
    return r->hits[i].ids.size();
}

const char *hdx_results_matched_id(const hdx_results *r, size_t i,
                                   size_t k) noexcept
{
    return r->hits[i].ids[k].c_str();
}

const char *hdx_results_corrected(const hdx_results *r) noexcept
{
    return r->has_corrected ? r->corrected.c_str() : nullptr;
}

const char *hdx_results_suggestion(const hdx_results *r) noexcept
{
    return r->suggestion.empty() ? nullptr : r->suggestion.c_str();
}

bool hdx_results_relaxed(const hdx_results *r) noexcept
{
    return r->relaxed;
}

size_t hdx_results_n_terms(const hdx_results *r) noexcept
{
    return r->terms.size();
}

const char *hdx_results_term(const hdx_results *r, size_t k,
                             bool *is_stem) noexcept
{
    if (is_stem)
        *is_stem = r->terms[k].second;
    return r->terms[k].first.c_str();
}

size_t hdx_results_n_facets(const hdx_results *r) noexcept
{
    return r->facets.size();
}

void hdx_results_facet(const hdx_results *r, size_t k, const char **facet,
                       const char **value, unsigned *count) noexcept
{
    *facet = r->facets[k].facet.c_str();
    *value = r->facets[k].value.c_str();
    *count = r->facets[k].count;
}

void hdx_results_free(hdx_results *r) noexcept
{
    delete r;
}

} /* extern "C" */
