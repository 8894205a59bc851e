/*
 * stem.cc - hdx_stem_words(): the stems of a text's words, for callers
 * that group texts by meaning (the analytics reports cluster queries
 * that share stems).  Same folding, stop words and stemmer choice as the
 * query side (analysis.cc).
 */
#include "hdx/xapian.h"

#include "xapian_int.hh"

#include <cstdlib>
#include <cstring>
#include <memory>

#include "hdx/text.h"

static bool word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

extern "C" hdx_status hdx_stem_words(const char *text, const char *lang,
                                     char **out, hdx_error *err) noexcept
{
    *out = nullptr;
    try {
        size_t n = text ? strlen(text) : 0;
        if (text && !hdx_text_valid_utf8(text, n, nullptr))
            return hdxi::fill(err, HDX_EPARSE, __func__, "",
                              "the text is not valid UTF-8");
        std::unique_ptr<char, decltype(&free)> f(hdx_text_folded(text), free);
        std::string folded(f.get());
        Xapian::Stem stem = hdxi::make_stem(lang);
        std::string res;
        size_t i = 0;
        while (i < folded.size()) {
            while (i < folded.size() &&
                   !word_byte(static_cast<unsigned char>(folded[i])))
                i++;
            size_t j = i;
            while (j < folded.size() &&
                   word_byte(static_cast<unsigned char>(folded[j])))
                j++;
            std::string w = folded.substr(i, j - i);
            i = j;
            if (w.empty() || hdxi::is_stopword(w))
                continue;
            if (!res.empty())
                res += ' ';
            res += stem(w);
        }
        char *s = static_cast<char *>(malloc(res.size() + 1));
        if (!s)
            throw std::bad_alloc();
        memcpy(s, res.c_str(), res.size() + 1);
        *out = s;
        return HDX_OK;
    } catch (...) {
        return hdxi::translate(err, __func__);
    }
}
