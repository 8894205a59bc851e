/*
 * spelling.cc - the public spelling dictionary: fed at write time only
 * from documents flagged public and published (hdxi_doc_set_spelling),
 * so corrections and completions are public text by construction; and
 * "did you mean" at query time.
 */
#include "hdx/xapian.h"

#include "xapian_int.hh"

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

/* Spelling frequency of `w` in the (public-only) dictionary. */
static unsigned spelling_freq(Xapian::Database &db, const std::string &w)
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
static bool truncation(const std::string &w, const std::string &c)
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

} /* namespace hdxi */
