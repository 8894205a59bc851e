/*
 * pairs.cc - word-pair terms: two neighbouring words of the text as one
 * term ("XJfree space"), for proximity ranking without position lists.
 *
 * Why: lifting the documents where the query's words stand side by side
 * (a phrase copied out of an error message) with OP_PHRASE reads the
 * position lists of every candidate, which for common words is most of
 * a query's time.  A pair term is an ordinary posting list: the lift
 * costs what one more word costs, over every match, not a rescored few.
 *
 * Both sides are made here, from the same positions: at index time
 * add_pair_terms() reads the document's unprefixed, positional terms
 * (those OP_PHRASE would read) and adds a term for each two at
 * neighbouring positions; at query time pair_term() spells the term of
 * two neighbouring query words.  Stop words are kept: "is not enough"
 * is the fragment a reader copied.  Two content words with one or two
 * stop words between them are a pair as well ("undelete the file" has
 * "undelete file"), so "undelete a file" finds it.  Positions jump between fields and
 * sections (document.cc's increase_termpos), so no pair spans two.
 *
 * A pair term's wdf is its number of occurrences, so it is weighed by
 * BM25 like a word, on its own posting list: a lift is one posting list
 * per pair, not the pair plus its two words again (the words' lists are
 * read by the query already; reading them twice more per pair was most
 * of a proximity query's time).  The pairs lengthen every document by
 * about as many terms as its words (one pair per position, a few more
 * around stop words), so lengths relative to the average, which is what
 * BM25 reads, barely change.
 */
#include "hdx/xapian.h"

#include "xapian_int.hh"

#include <algorithm>
#include <unordered_map>
#include <vector>

namespace hdxi
{

std::string pair_term(const std::string &a, const std::string &b)
{
    return make_term(hdxi_prefix(HDXI_F_PAIR), a + " " + b);
}

void add_pair_terms(Xapian::Document &doc)
{
    /* The words by position: each word once, its positions pointing at
     * it (a position with two words keeps the later, as a map would). */
    std::vector<std::string> words;
    std::vector<char> stop;
    std::vector<std::pair<Xapian::termpos, size_t>> at;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        if (t.positionlist_count() == 0 || is_prefixed(*t))
            continue;
        words.push_back(*t);
        stop.push_back(is_stopword(words.back()));
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
            at.emplace_back(*p, words.size() - 1);
    }
    std::stable_sort(at.begin(), at.end(), [](const auto &a, const auto &b) {
        return a.first < b.first;
    });
    std::vector<std::pair<Xapian::termpos, size_t>> seq;
    for (const auto &a : at) {
        if (!seq.empty() && seq.back().first == a.first)
            seq.back() = a;
        else
            seq.push_back(a);
    }
    /* Counted here, added once each: Document::add_term per occurrence
     * was a term-map look-up per pair of every position. */
    std::unordered_map<std::string, Xapian::termcount> pairs;
    for (size_t i = 0; i < seq.size(); i++) {
        bool content = !stop[seq[i].second];
        for (size_t j = i + 1; j < seq.size() && j - i <= 1 + PAIR_MAX_GAP; j++) {
            if (seq[j].first != seq[i].first + (j - i))
                break; /* a field or section ends here */
            bool stop_j = stop[seq[j].second];
            if (j == i + 1 || (content && !stop_j))
                pairs[pair_term(words[seq[i].second], words[seq[j].second])]++;
            if (!content || !stop_j)
                break;
        }
    }
    for (const auto &kv : pairs)
        doc.add_term(kv.first, kv.second);
}

} /* namespace hdxi */
