/*
 * parse.cc - building queries.  The query parser is configured from the
 * schema table (every named field, as the document builder writes it).
 * Every constructor - parse, partial, by id here, lookup.cc, related.cc
 * - is one builder passed to build_query(), which allocates the query
 * from the options, runs the builder under with_reopen() and frees the
 * query on failure.
 */
#include "hdx/xapian.h"

#include "xapian_int.hh"

#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "hdx/ident.h"

namespace hdxi
{

hdx_query *new_query(hdx_db *h, const hdx_query_opts *o)
{
    hdx_query *q = new hdx_query;
    q->db = h;
    if (o) {
        q->level = o->level;
        q->drafts = o->drafts && o->level > HDX_AUD_PUBLIC;
        q->facets = o->facets;
        q->updated_range = o->facets && o->updated_range;
        q->facets_relaxed = o->facets && o->facets_relaxed;
        q->sort = o->sort;
        q->lookup = o->types_lookup;
        q->filter = typed_filter(o->filter);
    }
    h->live_children++;
    return q;
}

void clear_built(hdx_query *q)
{
    q->query = Xapian::Query();
    q->relaxed = Xapian::Query();
    q->corrected_q = Xapian::Query();
    q->boost = Xapian::Query();
    q->corrected_boost = Xapian::Query();
    q->corrected.clear();
    q->exclude = Xapian::Query();
    q->has_ids = false;
    q->terms.clear();
}

static void collect_idents(const char *t, size_t n, void *ctx)
{
    auto *v = static_cast<std::vector<std::string> *>(ctx);
    std::string s(t, n);
    if (std::find(v->begin(), v->end(), s) == v->end())
        v->push_back(s);
}

std::vector<std::string> idents_of(const char *text)
{
    std::vector<std::string> ids;
    hdx_ident_extract(text, strlen(text), collect_idents, &ids);
    return ids;
}

/* Identifier terms ORed in with a boost that ranks exact carriers first. */
static Xapian::Query ident_query(const std::vector<std::string> &ids)
{
    std::vector<Xapian::Query> qs;
    for (const auto &id : ids)
        qs.emplace_back(make_term(hdxi_prefix(HDXI_F_IDENT), id));
    return Xapian::Query(
        Xapian::Query::OP_SCALE_WEIGHT,
        Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end()), 8.0);
}

Xapian::Query or_idents(hdx_query *q, const Xapian::Query &words,
                        const std::vector<std::string> &ids)
{
    if (ids.empty())
        return words;
    q->has_ids = true;
    Xapian::Query idq = ident_query(ids);
    return words.empty() ? idq
                         : Xapian::Query(Xapian::Query::OP_OR, words, idq);
}

/* One highlight entry per text: a word, its stem and an identifier can
 * be the same string. */
static void add_highlight(hdx_query *q, std::unordered_set<std::string> &seen,
                          const std::string &term)
{
    size_t z = stem_term(term), x = ident_term(term);
    if (z && !is_prefixed(term.substr(z))) {
        if (seen.insert(term.substr(z)).second)
            q->terms.emplace_back(term.substr(z), true);
    } else if (x) {
        if (seen.insert(term.substr(x)).second)
            q->terms.emplace_back(term.substr(x), false);
    } else if (!term.empty() && !is_prefixed(term)) {
        if (seen.insert(term).second)
            q->terms.emplace_back(term, false);
    }
}

/* The words of `query` to highlight, walking its tree: a phrase (typed in
 * quotes, or a multi-word synonym such as "not moving") is one entry, so
 * its words are highlighted together and never alone. */
static void collect_highlights(hdx_query *q,
                               std::unordered_set<std::string> &seen,
                               const Xapian::Query &query)
{
    Xapian::Query::op t = query.get_type();
    if (t == Xapian::Query::LEAF_TERM) {
        for (auto it = query.get_terms_begin(); it != query.get_terms_end();
             ++it)
            add_highlight(q, seen, *it);
        return;
    }
    if (t == Xapian::Query::OP_PHRASE) {
        std::string phrase;
        for (auto it = query.get_terms_begin(); it != query.get_terms_end();
             ++it)
            phrase += (phrase.empty() ? "" : " ") + *it;
        if (!phrase.empty() && !is_prefixed(phrase) &&
            seen.insert(phrase).second)
            q->terms.emplace_back(phrase, false);
        return;
    }
    /* The right side of AND_NOT is what must not match: not a highlight. */
    size_t n = t == Xapian::Query::OP_AND_NOT ? 1 : query.get_num_subqueries();
    for (size_t i = 0; i < n; i++)
        collect_highlights(q, seen, query.get_subquery(i));
}

void highlight_terms(hdx_query *q, const Xapian::Query &query)
{
    std::unordered_set<std::string> seen;
    collect_highlights(q, seen, query);
}

/* The parser of a typed query knows every named field of the schema
 * table, as the document builder writes them; the parser of pasted text
 * (fields = false) knows none, so no word of it is a field. */
static void configure_parser(Xapian::QueryParser &qp, hdx_db *h,
                             const char *lang, bool fields = true)
{
    qp.set_database(h->db);
    qp.set_stemmer(make_stem(lang));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_stopper(&h->stopper);
    qp.set_max_expansion(64, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    if (!fields)
        return;
    for (int f = 0; f < HDXI_F_COUNT; f++) {
        const hdxi_field_def *def = hdxi_schema_field((hdxi_field)f);
        if (!def->name)
            continue;
        if (def->kind == HDXI_BOOLEAN)
            qp.add_boolean_prefix(def->name, def->prefix);
        else if (def->kind == HDXI_TEXT)
            qp.add_prefix(def->name, def->prefix);
    }
    add_updated_field(qp);
}

static const unsigned QP_FLAGS =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_CJK_NGRAM;

/* Parse with `op` between words, falling back to plain words when the
 * syntax is broken; synonym groups become OP_SYNONYM. */
/*
 * The words of `text` as the indexer's term generator splits them (CJK as
 * n-grams), joined with `op`: the last resort for text that even Xapian's
 * plain-words parse rejects (Xapian 1.4 throws on "x 中文d" with
 * FLAG_CJK_NGRAM; found by tests/fuzz, query-2).  Cannot fail on text.
 */
static Xapian::Query plain_terms(const std::string &text, Xapian::Query::op op)
{
    Xapian::Document scratch;
    Xapian::TermGenerator tg;
    tg.set_document(scratch);
    tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    tg.index_text_without_positions(text);
    std::vector<Xapian::Query> words;
    for (auto t = scratch.termlist_begin(); t != scratch.termlist_end(); ++t)
        if (!is_prefixed(*t))
            words.emplace_back(*t);
    return Xapian::Query(op, words.begin(), words.end());
}

static Xapian::Query parse_lenient(Xapian::QueryParser &qp,
                                   const std::string &text,
                                   Xapian::Query::op op)
{
    qp.set_default_op(op);
    Xapian::Query parsed;
    try {
        parsed = qp.parse_query(text, QP_FLAGS);
    } catch (const Xapian::QueryParserError &) {
        try {
            parsed =
                qp.parse_query(text, Xapian::QueryParser::FLAG_CJK_NGRAM);
        } catch (const Xapian::QueryParserError &) {
            parsed = plain_terms(text, op);
        }
    }
    return synonymize(parsed);
}

/* The boost of every query: neighbours (proximity) and compounds as
 * written (whole_boost), on top of the words; a typed query's `words`
 * in titles too (title_lift; pasted text is rarely a title). */
static Xapian::Query boost_of(const std::string &norm,
                              bool pasted,
                              const std::vector<std::string> &wholes,
                              const Xapian::Query &words)
{
    std::vector<Xapian::Query> qs = {
        proximity(norm, pasted), whole_boost(wholes),
        pasted ? Xapian::Query() : title_lift(words)};
    qs.erase(std::remove_if(qs.begin(), qs.end(),
                            [](const Xapian::Query &x) { return x.empty(); }),
             qs.end());
    return Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end());
}

/* Pasted text (shape.cc): every word counts, none is an operator, and
 * the identifiers and the words' order lift the document it came from. */
static void build_pasted(hdx_query *q, const char *text, const hdx_query_opts *o)
{
    std::vector<std::string> wholes;
    std::string split = split_compounds(text, true, wholes);
    std::string norm = normalize(split.data(), split.size());
    Xapian::QueryParser qp;
    configure_parser(qp, q->db, o ? o->lang : nullptr, false);
    qp.set_default_op(Xapian::Query::OP_OR);
    Xapian::Query words;
    try {
        words = qp.parse_query(norm, Xapian::QueryParser::FLAG_CJK_NGRAM);
    } catch (const Xapian::QueryParserError &) {
        words = plain_terms(norm, Xapian::Query::OP_OR);
    }
    words = or_idents(q, coordinated(words, true), idents_of(text));
    highlight_terms(q, words);
    q->query = words;
    q->boost = boost_of(norm, true, wholes, Xapian::Query());
}

/* The builder of hdx_query_parse (see its contract). */
static bool build_parse(hdx_query *q, const char *text, const hdx_query_opts *o)
{
    if (pasted_text(text)) {
        build_pasted(q, text, o);
        return true;
    }
    hdx_db *h = q->db;
    std::vector<std::string> wholes;
    std::string norm =
        unfield(q, normalize_query(
                       split_compounds(unsign_params(text), false, wholes)));
    Xapian::QueryParser qp;
    configure_parser(qp, h, o ? o->lang : nullptr);
    std::string expanded = rewrite_query(lexicon(h), norm);
    std::vector<std::string> ids = idents_of(text);
    Xapian::Query all = parse_lenient(qp, expanded, Xapian::Query::OP_AND);
    Xapian::Query words = or_idents(q, all, ids);
    highlight_terms(q, words);
    Xapian::Query boost = boost_of(norm, false, wholes, all);
    q->query = words;
    q->boost = boost;
    /* Any-word fallback only makes sense for several words. */
    if (words.get_length() > 1 && !(o && o->all_words)) {
        /* The words as parsed for all of them, any one of them now: a
         * parse with OR as the default operator would merge a synonym
         * group into the top-level OR and group the other words. */
        Xapian::Query any = coordinated(all, false);
        if (!ids.empty())
            any = Xapian::Query(Xapian::Query::OP_OR, any, ident_query(ids));
        /* The fallback lists what this matches beyond `words` (run.cc). */
        q->relaxed = any;
        q->few_hits = few_hits(word_count(all));
    }
    if (o && o->spelling) {
        /* Corrected as typed (the suggestion is shown), then read as the
         * typed query is: compounds and fields. */
        std::string c =
            correct_query(lexicon(h), normalize_query(unsign_params(text)));
        if (!c.empty()) {
            q->corrected = c;
            std::vector<std::string> cw;
            std::string cn =
                unfield(q, normalize_query(split_compounds(c, false, cw)));
            q->corrected_q = parse_lenient(qp, rewrite_query(lexicon(h), cn),
                                           Xapian::Query::OP_AND);
            q->corrected_boost = boost_of(cn, false, cw, q->corrected_q);
        }
    }
    return true;
}

/* The builder of hdx_query_partial: title words, the last one a prefix. */
static bool build_partial(hdx_query *q, const char *text,
                          const hdx_query_opts *o)
{
    Xapian::QueryParser qp;
    configure_parser(qp, q->db, o ? o->lang : nullptr);
    qp.set_default_op(Xapian::Query::OP_AND);
    std::string norm = normalize(text, strlen(text));
    try {
        q->query = qp.parse_query(norm,
                                  Xapian::QueryParser::FLAG_PARTIAL |
                                      Xapian::QueryParser::FLAG_CJK_NGRAM,
                                  hdxi_prefix(HDXI_F_TITLE));
    } catch (const Xapian::QueryParserError &) {
        q->query = Xapian::Query();
    }
    return true;
}

/* The builder of hdx_query_by_ids (no database access). */
static bool build_by_ids(hdx_query *q, const char *const *ids, size_t n)
{
    std::vector<Xapian::Query> terms;
    for (size_t i = 0; i < n; i++)
        if (ids[i] && *ids[i])
            terms.emplace_back(field_term(HDXI_F_ID, ids[i]));
    /* No ids: no hits (hdx_query_run answers an empty query with an
     * empty page), whatever the filter would match. */
    if (terms.empty())
        q->filter = Xapian::Query();
    else
        q->query =
            Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
    q->facets = false;
    return true;
}

} /* namespace hdxi */

using namespace hdxi;

extern "C" {

hdx_status hdx_query_parse(hdx_db *h, const char *text, const hdx_query_opts *o,
                           hdx_query **out, hdx_error *err) noexcept
{
    try {
        build_query(h, o, out,
                    [&](hdx_query *q) { return build_parse(q, text, o); });
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_query_partial(hdx_db *h, const char *text,
                             const hdx_query_opts *o, hdx_query **out,
                             hdx_error *err) noexcept
{
    try {
        build_query(h, o, out,
                    [&](hdx_query *q) { return build_partial(q, text, o); });
        return HDX_OK;
    } catch (...) {
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
    try {
        build_query(h, o, out,
                    [&](hdx_query *q) { return build_by_ids(q, ids, n); });
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

void hdx_query_free(hdx_query *q) noexcept
{
    if (!q)
        return;
    q->db->live_children--;
    delete q;
}

} /* extern "C" */
