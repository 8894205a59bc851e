/*
 * synonyms.cc - writers' synonyms (corpus/synonyms.txt): stored by the
 * indexer, expanded into the query before parsing, and weighted as one
 * term (OP_SYNONYM) after it.  One-word keys are also stored under their
 * English stem, so "hotkeys" finds the group written as "hotkey".
 */
#include "hdx/xapian.h"

#include "xapian_int.hh"

#include <algorithm>
#include <cstring>

namespace hdxi
{

/* The key a one-word synonym is also stored under.  A Stem is cheap to
 * make and must not be shared between threads. */
static std::string stem_key(const std::string &word)
{
    return HDXI_STEM_PREFIX + Xapian::Stem("english")(word);
}

/* The synonyms of a 1-3 word key: exact form, else (one word) its stem. */
static bool synonyms_of(Xapian::Database &db, const std::string &key,
                        std::vector<std::string> &out)
{
    out.clear();
    for (auto s = db.synonyms_begin(key); s != db.synonyms_end(key); ++s)
        out.push_back(*s);
    if (out.empty() && key.find(' ') == std::string::npos) {
        std::string zkey = stem_key(key);
        for (auto s = db.synonyms_begin(zkey); s != db.synonyms_end(zkey); ++s)
            out.push_back(*s);
    }
    return !out.empty();
}

/* If the 1-3 plain words at toks[k] are a synonym key, their group
 * "(words OR syn1 OR "syn two")" and how many tokens it used; else 0. */
static size_t synonym_group(Xapian::Database &db, const std::vector<qtok> &toks,
                            size_t k, std::string &group)
{
    std::vector<std::string> syns;
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
        if (!ok || !synonyms_of(db, key, syns))
            continue;
        group = "(" + (len > 1 ? "\"" + key + "\"" : key);
        for (const auto &v : syns)
            group += " OR " +
                     (v.find(' ') != std::string::npos ? "\"" + v + "\"" : v);
        group += ")";
        return len;
    }
    return 0;
}

/*
 * Rewrite a normalised query for the parser:
 *  - writers' synonyms: runs of 1-3 plain words that are a synonym key
 *    become "(words OR syn1 OR "syn two")" (made OP_SYNONYM later), so
 *    multi-word synonyms are phrases on both sides;
 *  - stop words outside quotes and synonym phrases are dropped (unless
 *    nothing else is left), so "how do I delete" means "delete".
 */
std::string rewrite_query(Xapian::Database &db, const std::string &q)
{
    std::vector<qtok> toks = tokenize_query(q);
    bool has_content = false;
    for (const auto &t : toks)
        if (!t.plain || !is_stopword(t.text))
            has_content = true;
    std::string out, group;
    auto emit = [&out](const std::string &s) {
        if (!out.empty())
            out += ' ';
        out += s;
    };
    for (size_t k = 0; k < toks.size();) {
        if (size_t used = synonym_group(db, toks, k, group)) {
            emit(group);
            k += used;
            continue;
        }
        if (!(toks[k].plain && has_content && is_stopword(toks[k].text)))
            emit(toks[k].text);
        k++;
    }
    return out;
}

/*
 * Writers' synonym groups arrive from rewrite_query() as "(a OR b OR
 * "c d")".  Weighted as OR, a document using two words of one group would
 * score twice; OP_SYNONYM weighs the group as one term, which is what a
 * synonym is.  ORs are rebuilt as SYNONYM (the words are parsed with
 * AND as the default operator, so every OR is a group or one the user
 * typed); every other node is kept as parsed.
 */
Xapian::Query synonymize(const Xapian::Query &q)
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
        subs.push_back(synonymize(q.get_subquery(i)));
    if (t == Xapian::Query::OP_OR)
        t = Xapian::Query::OP_SYNONYM;
    return Xapian::Query(t, subs.begin(), subs.end());
}

} /* namespace hdxi */

using hdxi::translate;

extern "C" {

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
        if (!strchr(key, ' '))
            w->db.add_synonym(hdxi::stem_key(key), value);
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

} /* extern "C" */
