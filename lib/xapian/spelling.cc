/*
 * spelling.cc - the public spelling dictionary: fed at write time only
 * from documents flagged public and published (hdxi_doc_set_spelling),
 * so corrections and completions are public text by construction; and
 * "did you mean" at query time.
 */
#include "hdx/xapian.h"

#include "xapian_int.hh"

#include <algorithm>

namespace hdxi
{

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

void unspell(Xapian::WritableDatabase &db, Xapian::docid did)
{
    const char *mark_term = hdxi_prefix(HDXI_F_SPELLED);
    Xapian::Document old = db.get_document(did);
    Xapian::TermIterator mark = old.termlist_begin();
    mark.skip_to(mark_term);
    if (mark == old.termlist_end() || *mark != mark_term)
        return;
    for (auto t = old.termlist_begin(); t != old.termlist_end(); ++t) {
        std::string term = *t;
        if (spelling_word(term))
            db.remove_spelling(term, t.get_wdf());
    }
}

void spell(Xapian::WritableDatabase &db, hdx_doc *d)
{
    if (!d->spelling)
        return;
    d->doc.add_boolean_term(hdxi_prefix(HDXI_F_SPELLED));
    for (auto t = d->doc.termlist_begin(); t != d->doc.termlist_end(); ++t) {
        std::string term = *t;
        if (spelling_word(term))
            db.add_spelling(term, t.get_wdf());
    }
}

/* Is `c` the word `w` with its end cut off ("signal" → "sign")?  That is a
 * different word, not a typo - unless the cut is a doubled final letter
 * ("resett" → "reset"). */
static bool truncation(const std::string &w, const std::string &c)
{
    if (c.size() >= w.size() || w.compare(0, c.size(), c) != 0)
        return false;
    for (size_t i = c.size(); i < w.size(); i++)
        if (w[i] != c.back())
            return true;
    return false;
}

/* The words one edit (Damerau: delete, swap, replace, insert a-z) away
 * from `w`, an ASCII word here (spelling_word()). */
static std::vector<std::string> edits1(const std::string &w)
{
    std::vector<std::string> out;
    for (size_t i = 0; i < w.size(); i++)
        out.push_back(w.substr(0, i) + w.substr(i + 1));
    for (size_t i = 0; i + 1 < w.size(); i++) {
        std::string t = w;
        std::swap(t[i], t[i + 1]);
        out.push_back(t);
    }
    for (size_t i = 0; i <= w.size(); i++)
        for (char c = 'a'; c <= 'z'; c++) {
            if (i < w.size()) {
                std::string t = w;
                t[i] = c;
                out.push_back(t);
            }
            out.push_back(w.substr(0, i) + c + w.substr(i));
        }
    return out;
}

/*
 * The best correction of an unknown word: the most frequent known word
 * one edit away that is not a truncation of it ("exel": "excel", not the
 * more frequent "exe"); else Xapian's suggestion within two edits, if it
 * is not a truncation either.  Never a stop word ("jdoe" is not "does").  Non-ASCII words go to Xapian directly.
 */
static std::string suggestion(Xapian::Database &db, const std::string &w)
{
    bool ascii = true;
    for (unsigned char c : w)
        ascii = ascii && c < 0x80;
    std::string best;
    unsigned best_freq = 0;
    if (ascii) {
        /* In order, so one spellings cursor walks forward over them all
         * (a cursor per candidate was most of a query's time). */
        std::vector<std::string> cands = edits1(w);
        std::sort(cands.begin(), cands.end());
        cands.erase(std::unique(cands.begin(), cands.end()), cands.end());
        Xapian::TermIterator it = db.spellings_begin();
        for (const auto &c : cands) {
            if (c == w || truncation(w, c) || c.size() < 3 || is_stopword(c))
                continue;
            it.skip_to(c);
            if (it == db.spellings_end())
                break;
            unsigned f = *it == c ? it.get_termfreq() : 0;
            if (f > best_freq) {
                best = c;
                best_freq = f;
            }
        }
    }
    if (best.empty()) {
        best = db.get_spelling_suggestion(w, 2);
        if (!best.empty() && (truncation(w, best) || is_stopword(best)))
            best.clear();
    }
    return best;
}

static bool has_digit(const std::string &s)
{
    for (unsigned char c : s)
        if (c >= '0' && c <= '9')
            return true;
    return false;
}

/* Could toks[k] be corrected, if the dictionary does not know it?  Not a
 * stop word, not an acronym-short word, not next to a number ("iso
 * 27001" names a standard; it is not "sso 27001"). */
static bool candidate(const std::vector<qtok> &toks, size_t k)
{
    const std::string &w = toks[k].text;
    if (!toks[k].plain || w.size() <= 3 || is_stopword(w) || !spelling_word(w))
        return false;
    return !((k > 0 && has_digit(toks[k - 1].text)) ||
             (k + 1 < toks.size() && has_digit(toks[k + 1].text)));
}

/* The candidates of `toks` that the dictionary does not know.  One
 * spellings cursor walks them in order: a cursor per word cost a B-tree
 * read per word of every query. */
static std::vector<bool> unknown_words(Xapian::Database &db,
                                       const std::vector<qtok> &toks)
{
    std::vector<std::pair<std::string, size_t>> asked;
    for (size_t k = 0; k < toks.size(); k++)
        if (candidate(toks, k))
            asked.emplace_back(toks[k].text, k);
    std::vector<bool> unknown(toks.size(), false);
    if (asked.empty())
        return unknown;
    std::sort(asked.begin(), asked.end());
    Xapian::TermIterator it = db.spellings_begin();
    for (const auto &a : asked) {
        it.skip_to(a.first);
        unknown[a.second] = it == db.spellings_end() || *it != a.first;
    }
    return unknown;
}

/*
 * "Did you mean": each correctable word that the public dictionary does
 * not know is replaced by its best suggestion.  Known words are never
 * changed, and since the dictionary only holds public text, whether a
 * correction is offered reveals nothing about other documents.  Returns ""
 * when nothing changes.
 */
std::string correct_query(Xapian::Database &db, const std::string &q)
{
    std::vector<qtok> toks = tokenize_query(q);
    std::vector<bool> unknown = unknown_words(db, toks);
    bool changed = false;
    std::string out;
    for (size_t k = 0; k < toks.size(); k++) {
        std::string w = toks[k].text;
        if (unknown[k]) {
            std::string c = suggestion(db, w);
            if (!c.empty()) {
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

} /* namespace hdxi */
