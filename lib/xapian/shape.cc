/*
 * shape.cc - reading a query the way people type and paste them.
 *
 * Three decisions sit here, before and after the query parser:
 *
 *  - Typed or pasted.  A query of many words, several lines or code-like
 *    punctuation is text copied out of an error dialog, a log or a
 *    console, not syntax: its colons, quotes, signs and capitals are not
 *    operators (pasted_text()).  Such a query is words + identifiers.
 *  - Which field:value pairs are ours.  "Event ID:7000" and
 *    "Level:Error" are text, not filters: a pair is a filter only if its
 *    field is one of the schema's and, for a boolean field, its value is
 *    one a document the caller can see carries (unfield()).  The check
 *    goes through the visibility filter (run.cc), so whether a value
 *    exists says nothing about documents the caller cannot see.
 *  - How words count.  Neighbouring query words that are neighbours in a
 *    document (a phrase, stop words included) lift it (proximity());
 *    when not every word matches, a document with more of them ranks
 *    above one with a single rare word (coordinated()).
 */
#include "hdx/xapian.h"

#include "xapian_int.hh"

#include <algorithm>
#include <cmath>
#include <cctype>
#include <cstring>
#include <map>

#include "hdx/wordsplit.h"

namespace hdxi
{

/* More words than this, or any line break, is pasted text (a typed
 * question rarely has more). */
static const size_t PASTED_WORDS = 16;
/* This many words with code punctuation is a pasted line of code/log. */
static const size_t PASTED_CODE_WORDS = 5;

bool pasted_text(const std::string &raw)
{
    size_t words = 0, code = 0;
    bool in_word = false;
    for (unsigned char c : raw) {
        if (c == '\n' || c == '\r' || c == '\t')
            return true;
        if (strchr("{}[]\\=<>|;", c) && c)
            code++;
        bool space = c == ' ';
        if (!space && !in_word)
            words++;
        in_word = !space;
    }
    return words > PASTED_WORDS || (code > 0 && words >= PASTED_CODE_WORDS);
}

std::string unsign_params(const std::string &raw)
{
    std::string out;
    for (size_t i = 0; i < raw.size(); i++) {
        bool word_start = i == 0 || raw[i - 1] == ' ';
        if (raw[i] == '-' && word_start && i + 1 < raw.size() &&
            isupper(static_cast<unsigned char>(raw[i + 1])))
            continue;
        out += raw[i];
    }
    return out;
}

/* The schema field called `name` (as typed before a ':'), or -1. */
static int field_named(const std::string &name)
{
    for (int f = 0; f < HDXI_F_COUNT; f++) {
        const hdxi_field_def *def = hdxi_schema_field((hdxi_field)f);
        if (def->name && name == def->name)
            return f;
    }
    return -1;
}

/*
 * The filter value of a boolean field:value as the index spells it, or ""
 * if it is not one of ours: a type must be a document type ("kb" is
 * "article"); any other value must be carried by a visible document.
 */
static std::string our_value(hdx_query *q, int f, const std::string &v)
{
    if (v.empty() || v[0] == '"')
        return v; /* quoted values are the writer's own syntax: keep */
    if (f == HDXI_F_TYPE) {
        int t = hdx_doctype_parse(v.c_str());
        return t < 0 ? "" : hdx_doctype_name(static_cast<hdx_doctype>(t));
    }
    return visible_exists(q, field_term(static_cast<hdxi_field>(f), v)) ? v
                                                                        : "";
}

/* One whitespace token of unfield(): kept, rewritten or made text. */
static std::string unfield_token(hdx_query *q, const std::string &tok)
{
    size_t lead = 0;
    while (lead < tok.size() && strchr("+-(", tok[lead]))
        lead++;
    size_t colon = tok.find(':', lead);
    if (colon == std::string::npos || colon == lead)
        return tok;
    std::string name = tok.substr(lead, colon - lead);
    for (unsigned char c : name)
        if (!(isalpha(c) || c == '_'))
            return tok; /* "C:\Windows", "10:30": no field syntax at all */
    std::string text = tok;
    text[colon] = ' ';
    if (name == HDXI_FIELD_UPDATED)
        return tok;
    int f = field_named(name);
    if (f < 0)
        return text;
    if (hdxi_schema_field((hdxi_field)f)->kind != HDXI_BOOLEAN)
        return tok;
    std::string value = tok.substr(colon + 1);
    size_t end = value.size();
    while (end && strchr(")?!.,;", value[end - 1]))
        end--;
    std::string ours = our_value(q, f, value.substr(0, end));
    if (ours.empty())
        return text;
    return tok.substr(0, colon + 1) + ours + value.substr(end);
}

std::string unfield(hdx_query *q, const std::string &norm)
{
    std::string out;
    bool in_quote = false;
    size_t i = 0;
    while (i < norm.size()) {
        size_t j = norm.find(' ', i);
        if (j == std::string::npos)
            j = norm.size();
        std::string tok = norm.substr(i, j - i);
        i = j + 1;
        if (tok.empty())
            continue;
        if (!in_quote)
            tok = unfield_token(q, tok);
        for (char c : tok)
            if (c == '"')
                in_quote = !in_quote;
        if (!out.empty())
            out += ' ';
        out += tok;
    }
    return out;
}

/* The words of `text` in order, as the indexer's term generator splits
 * and lower-cases them (no stemming, stop words kept). */
static std::vector<std::string> word_sequence(const std::string &text)
{
    Xapian::Document scratch;
    Xapian::TermGenerator tg;
    tg.set_document(scratch);
    tg.index_text(text);
    std::map<Xapian::termpos, std::string> at;
    for (auto t = scratch.termlist_begin(); t != scratch.termlist_end(); ++t)
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
            at[*p] = *t;
    std::vector<std::string> seq;
    for (const auto &kv : at)
        seq.push_back(kv.second);
    return seq;
}

/* Words after which a number is the failure's code, not a count. */
static bool code_word(const std::string &w)
{
    static const char *const words[] = {"code",   "error",   "returned",
                                        "id",     "event",   "exit",
                                        "status", "hresult", "result",
                                        "errorcode"};
    for (const char *c : words)
        if (w == c)
            return true;
    return false;
}

std::vector<std::string> error_numbers(const std::string &norm)
{
    std::vector<std::string> seq = word_sequence(norm), out;
    for (size_t i = 1; i < seq.size() && out.size() < 16; i++) {
        const std::string &w = seq[i];
        if (w.size() < 2 || w.find_first_not_of("0123456789") != w.npos)
            continue;
        if (code_word(seq[i - 1]) || (i > 1 && code_word(seq[i - 2])))
            out.push_back(w);
    }
    return out;
}

/* The runs of plain words of a typed query: operators, fields, quotes
 * and +/- words break a run (their words are not neighbours). */
static std::vector<std::string> plain_runs(const std::string &norm)
{
    std::vector<std::string> runs(1);
    for (const auto &t : tokenize_query(norm)) {
        if (!t.plain) {
            if (!runs.back().empty())
                runs.emplace_back();
            continue;
        }
        if (!runs.back().empty())
            runs.back() += ' ';
        runs.back() += t.text;
    }
    return runs;
}

/* Weights of the proximity lift, on top of the words' own BM25: a pair
 * term weighs by its own BM25 (its wdf counts its occurrences, pairs.cc).
 * Measured on both relevance suites (tests/relevance): content pairs
 * 0.4-0.8 alike, stop-word pairs above 0.3 cost symptoms, a phrase
 * 0.8-3 alike. */
static const double W_PAIR = 0.6;      /* two content words, 0-2 stops apart */
static const double W_STOP_PAIR = 0.3; /* neighbours, one a stop word */
static const double W_PHRASE = 1.5;    /* all of a run, with its stop words */
static const size_t MAX_PHRASE = 8;    /* longer runs: pairs only */
static const size_t MAX_PAIRS = 32;    /* of each weight, per query */

/* The pair terms of a query's lift, each once. */
struct pair_lifts {
    std::vector<Xapian::Query> lifts;
    std::vector<std::string> seen;
    size_t n_content = 0, n_stop = 0;

    /* Pair `t`, a content pair (W_PAIR) or a pair of neighbours
     * (W_STOP_PAIR), unless already in or MAX_PAIRS of its kind are. */
    void add(const std::string &t, bool content)
    {
        size_t &n = content ? n_content : n_stop;
        if (n >= MAX_PAIRS || std::find(seen.begin(), seen.end(), t) != seen.end())
            return;
        n++;
        seen.push_back(t);
        lifts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(t),
                           content ? W_PAIR : W_STOP_PAIR);
    }
};

/*
 * The lift of the documents where the query's words stand as typed, one
 * pair term per two neighbours (pairs.cc): pairs of content words with up
 * to PAIR_MAX_GAP stop words between them ("free space", "undelete
 * file"), in a query of more than two content words; every two
 * neighbours, stop words kept ("is not", lifted less); and a run of 3 to
 * 8 words with stop words in it whose every pair is there (nearly always
 * the phrase itself: "there is not enough free space", most of it stop
 * words).  A run of content words only needs no phrase term: its pairs
 * lift it already.  Pair terms no document has are empty posting lists:
 * looking each up first (to leave it out) cost one more B-tree read than
 * letting the match find it empty.
 */
Xapian::Query proximity(const std::string &norm, bool pasted)
{
    std::vector<std::string> runs;
    if (pasted)
        runs.push_back(norm);
    else
        runs = plain_runs(norm);
    pair_lifts p;
    for (const auto &run : runs) {
        std::vector<std::string> seq = word_sequence(run);
        /* Two words are the whole query: BM25 and the title weigh them
         * better than their pair would. */
        if (seq.size() < 3)
            continue;
        size_t content = 0;
        for (const auto &w : seq)
            content += !is_stopword(w);
        for (size_t i = 0; content > 2 && i + 1 < seq.size(); i++) {
            if (is_stopword(seq[i]))
                continue;
            size_t j = i + 1;
            while (j < seq.size() && j - i <= PAIR_MAX_GAP &&
                   is_stopword(seq[j]))
                j++;
            if (j < seq.size() && !is_stopword(seq[j]))
                p.add(pair_term(seq[i], seq[j]), true);
        }
        std::vector<std::string> all;
        for (size_t i = 0; i + 1 < seq.size(); i++) {
            all.push_back(pair_term(seq[i], seq[i + 1]));
            p.add(all.back(), false);
        }
        if (content < seq.size() && seq.size() <= MAX_PHRASE)
            p.lifts.emplace_back(
                Xapian::Query::OP_SCALE_WEIGHT,
                Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end()),
                W_PHRASE);
    }
    return Xapian::Query(Xapian::Query::OP_OR, p.lifts.begin(), p.lifts.end());
}

Xapian::Query with_boost(const Xapian::Query &base, const Xapian::Query &boost)
{
    if (base.empty() || boost.empty())
        return base;
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, base, boost);
}

/* A title with the query's words lifts its document this much times the
 * words' BM25 in the title field: titles are weighted 6 in the text
 * (lib/schema.h), but BM25 saturates a word's weight, so an article whose
 * title is the question ranked below long pages that repeat its words.
 * 0.5: measured on both relevance suites (0.3 to 0.7 alike; the bench
 * suite's questions 0.892 -> 0.912 MRR@10). */
static const double W_TITLE_LIFT = 0.5;

Xapian::Query title_lift(const Xapian::Query &words)
{
    const std::string title = hdxi_prefix(HDXI_F_TITLE);
    std::vector<Xapian::Query> ts;
    for (auto t = words.get_unique_terms_begin();
         t != words.get_unique_terms_end(); ++t) {
        /* A word's title term; the stem's is the stem prefix + title
         * prefix + stem, as the term generator writes them. */
        const std::string &term = *t;
        size_t z = stem_term(term);
        if (is_prefixed(term.substr(z)))
            continue; /* identifiers, fields: not words of the text */
        /* Not looked up first: a title term no document has is an
         * empty posting list, found so by the match. */
        ts.emplace_back(term.substr(0, z) + title + term.substr(z));
    }
    if (ts.empty())
        return Xapian::Query();
    return Xapian::Query(
        Xapian::Query::OP_SCALE_WEIGHT,
        Xapian::Query(Xapian::Query::OP_OR, ts.begin(), ts.end()),
        W_TITLE_LIFT);
}

/* One word more matched is worth this much weight: more than the BM25
 * weight of most single words, so more words rank first, while BM25 and
 * proximity still order documents that match as many. */
static const double W_WORD = 3.5;
static const double W_WORD_PASTED = 1.5; /* pasted: BM25 decides more */

static Xapian::Query counted(const Xapian::Query &word, double w)
{
    Xapian::Query fixed((new Xapian::FixedWeightPostingSource(w))->release());
    return Xapian::Query(Xapian::Query::OP_OR, word,
                         Xapian::Query(Xapian::Query::OP_FILTER, fixed, word));
}

/* The subqueries of `q`, an AND's nested ANDs opened: the parser makes
 * "(a OR b) c d" AND(SYNONYM(a, b), AND(c, d)), and c and d are words. */
static void words_of(const Xapian::Query &q, std::vector<Xapian::Query> &out)
{
    for (size_t i = 0; i < q.get_num_subqueries(); i++) {
        Xapian::Query sub = q.get_subquery(i);
        if (q.get_type() == Xapian::Query::OP_AND &&
            sub.get_type() == Xapian::Query::OP_AND)
            words_of(sub, out);
        else
            out.push_back(sub);
    }
}

size_t word_count(const Xapian::Query &all)
{
    if (all.get_type() != Xapian::Query::OP_AND)
        return all.empty() ? 0 : 1;
    std::vector<Xapian::Query> words;
    words_of(all, words);
    return words.size();
}

Xapian::Query coordinated(const Xapian::Query &any, bool pasted)
{
    Xapian::Query::op t = any.get_type();
    size_t n = any.get_num_subqueries();
    if ((t == Xapian::Query::OP_AND_NOT || t == Xapian::Query::OP_FILTER) &&
        n > 0) {
        std::vector<Xapian::Query> subs;
        subs.push_back(coordinated(any.get_subquery(0), pasted));
        for (size_t i = 1; i < n; i++)
            subs.push_back(any.get_subquery(i));
        return Xapian::Query(t, subs.begin(), subs.end());
    }
    if ((t != Xapian::Query::OP_OR && t != Xapian::Query::OP_AND) || n < 2)
        return any;
    std::vector<Xapian::Query> words, subs;
    words_of(any, words);
    for (const auto &word : words)
        subs.push_back(counted(word, pasted ? W_WORD_PASTED : W_WORD));
    return Xapian::Query(Xapian::Query::OP_OR, subs.begin(), subs.end());
}

struct split_ctx {
    const std::string *text;
    std::string out;
    size_t done = 0;
    bool pasted;
    std::vector<std::string> *wholes;
};

/* Is text[start, end) in a token that is query syntax: a field:value, a
 * wildcard or a quoted phrase (whose words must stay as written)? */
static bool in_syntax(const std::string &text, size_t start, size_t end)
{
    size_t quotes = std::count(text.begin(), text.begin() + start, '"');
    if (quotes % 2)
        return true;
    size_t b = text.rfind(' ', start);
    b = b == std::string::npos ? 0 : b + 1;
    size_t e = text.find(' ', end);
    std::string tok = text.substr(b, e == std::string::npos ? e : e - b);
    return tok.find_first_of(":\"*") != std::string::npos;
}

static void on_compound(size_t start, size_t end, const char *parts,
                        size_t len, void *ctx)
{
    auto *c = static_cast<split_ctx *>(ctx);
    if (c->wholes->size() >= 16 || in_syntax(*c->text, start, end))
        return;
    /* Whole or parts: the parts alone would miss documents indexed
     * without them; pasted text has no operators, every word counts. */
    std::string whole(*c->text, start, end - start), p(parts, len);
    c->out.append(*c->text, c->done, start - c->done);
    if (c->pasted) {
        c->out += whole + " " + p;
    } else {
        for (size_t sp; (sp = p.find(' ')) != std::string::npos;)
            p.replace(sp, 1, "\x01");
        for (size_t sp; (sp = p.find('\x01')) != std::string::npos;)
            p.replace(sp, 1, " AND ");
        c->out += "(" + whole + " OR (" + p + "))";
    }
    c->done = end;
    std::string w = normalize(whole.data(), whole.size());
    if (!w.empty())
        c->wholes->push_back(w);
}

std::string split_compounds(const std::string &text, bool pasted,
                            std::vector<std::string> &wholes)
{
    split_ctx c;
    c.pasted = pasted;
    c.text = &text;
    c.wholes = &wholes;
    hdx_wordsplit(text.data(), text.size(), on_compound, &c);
    c.out.append(text, c.done, std::string::npos);
    return c.out;
}

/* The exact spelling of a compound outranks its parts (wordsplit.h). */
static const double W_WHOLE = 2.0;

Xapian::Query whole_boost(const std::vector<std::string> &wholes)
{
    std::vector<Xapian::Query> qs(wholes.begin(), wholes.end());
    if (qs.empty())
        return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                         Xapian::Query(Xapian::Query::OP_OR, qs.begin(),
                                       qs.end()),
                         W_WHOLE);
}

} /* namespace hdxi */
