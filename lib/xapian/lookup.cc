/*
 * lookup.cc - known-issue lookup (hdx_query_lookup): a pasted log, stack
 * trace or dialog becomes its identifiers (boosted) OR an elite set of
 * its most distinctive words, so a 32 KB paste costs about as much as a
 * short query.  Ranking only incidents and non-public notes is the run
 * side's job (execute(), q->lookup).
 */
#include "hdx/xapian.h"

#include "xapian_int.hh"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace hdxi
{

/* Numbers (line numbers, ports, counts) say little - unless they are
 * error codes (error_numbers()). */
static bool digits_only(const std::string &s, size_t from)
{
    for (size_t i = from; i < s.size(); i++)
        if (!isdigit(static_cast<unsigned char>(s[i])))
            return false;
    return true;
}

/* The stemmed word terms of the paste worth looking up, each once (a
 * scratch document deduplicates them). */
static std::vector<Xapian::Query> paste_words(hdx_db *h, const char *text,
                                              const char *lang,
                                              std::vector<Xapian::Query> &nums)
{
    Xapian::Document scratch;
    Xapian::TermGenerator tg;
    tg.set_document(scratch);
    tg.set_stemmer(make_stem(lang));
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
    tg.set_stopper(&h->stopper);
    std::string norm = normalize(text, strlen(text));
    tg.index_text_without_positions(norm);
    std::vector<std::string> codes = error_numbers(norm);
    std::vector<Xapian::Query> words;
    for (auto t = scratch.termlist_begin(); t != scratch.termlist_end(); ++t) {
        std::string term = *t;
        size_t z = stem_term(term);
        if (!z || is_stopword(term.substr(z)))
            continue;
        bool code = std::find(codes.begin(), codes.end(), term.substr(z)) !=
                    codes.end();
        if (code)
            nums.emplace_back(term);
        else if (term.size() >= 4 && !digits_only(term, z))
            words.emplace_back(term);
    }
    return words;
}

/* The builder of hdx_query_lookup. */
static bool build_lookup(hdx_query *q, const char *text,
                         const hdx_query_opts *o)
{
    std::vector<std::string> ids = idents_of(text);
    std::vector<Xapian::Query> nums;
    std::vector<Xapian::Query> words =
        paste_words(q->db, text, o ? o->lang : nullptr, nums);
    /* The elite set keeps the few words that are rarest in the index. */
    Xapian::Query wq;
    if (!words.empty())
        wq = Xapian::Query(Xapian::Query::OP_ELITE_SET, words.begin(),
                           words.end(), 12);
    /* Error codes always count, outside the elite set's choice. */
    if (!nums.empty()) {
        Xapian::Query nq(Xapian::Query::OP_OR, nums.begin(), nums.end());
        wq = wq.empty() ? nq : Xapian::Query(Xapian::Query::OP_OR, wq, nq);
    }
    wq = or_idents(q, wq, ids);
    q->query = wq;
    highlight_terms(q, wq);
    return true;
}

} /* namespace hdxi */

using namespace hdxi;

extern "C" hdx_status hdx_query_lookup(hdx_db *h, const char *text,
                                       const hdx_query_opts *o,
                                       hdx_query **out, hdx_error *err) noexcept
{
    try {
        build_query(h, o, out,
                    [&](hdx_query *q) { return build_lookup(q, text, o); });
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}
