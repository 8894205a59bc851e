/*
 * analysis.cc - the query side of the one analysis pipeline: stemmer
 * choice, stop words, normalisation (hdx_text_normalize, as at index
 * time) and splitting a user query into tokens.  Index time uses the
 * same stemmer choice (document.cc) and the same normaliser (lib/text.c).
 */
#include "hdx/xapian.h"

#include "xapian_int.hh"

#include <cctype>
#include <cstring>
#include <iterator>
#include <unordered_set>

#include "hdx/buf.h"
#include "hdx/text.h"

namespace hdxi
{

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

static const char *const STOPWORDS[] = {
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

void add_stopwords(Xapian::SimpleStopper &stopper)
{
    for (const char *w : STOPWORDS)
        stopper.add(w);
}

bool is_stopword(const std::string &w)
{
    /* A set: the indexer asks for every word of every document
     * (pairs.cc).  Built once, thread-safe (a function-local static). */
    static const std::unordered_set<std::string> set(std::begin(STOPWORDS),
                                                     std::end(STOPWORDS));
    return w.size() <= 7 && set.count(w) != 0;
}

std::string normalize(const char *s, size_t n)
{
    hdx_buf b;
    hdx_buf_init(&b);
    std::string out;
    if (hdx_text_fold(&b, s, n, nullptr) == HDX_OK)
        out.assign(b.data, b.len);
    hdx_buf_clear(&b);
    return out;
}

static bool is_operator_word(const std::string &w)
{
    return w == "OR" || w == "AND" || w == "NOT" || w == "XOR" || w == "NEAR" ||
           w == "ADJ";
}

/*
 * Normalise a user query chunk by chunk, keeping the boolean operator words
 * (which Xapian only recognises in capitals).  The updated: syntax needs
 * no rewriting: its field processor reads it (dates.cc).
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
            if (!out.empty())
                out += ' ';
            out += chunk;
        }
        i = j + 1;
    }
    return out;
}

static bool plain_word(const std::string &w)
{
    if (w.empty())
        return false;
    for (unsigned char c : w)
        if (!(isalnum(c) || c == '-' || c == '\'' || c >= 0x80))
            return false;
    return !is_operator_word(w);
}

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

} /* namespace hdxi */
