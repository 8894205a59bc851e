/*
 * document.cc - hdx_doc, a Xapian document being built by lib/document.c
 * (the lib-private calls of lib/xdoc.h): free text through a
 * TermGenerator with the document language's stemmer (analysis.cc's
 * make_stem, as at query time), raw terms made by make_term(), values.
 */
#include "hdx/xapian.h"

#include "xapian_int.hh"

using namespace hdxi;

extern "C" {

hdx_status hdxi_doc_new(const char *lang, hdx_doc **out, hdx_error *err) noexcept
{
    *out = nullptr;
    try {
        std::unique_ptr<hdx_doc> d(new hdx_doc);
        d->tg.set_document(d->doc);
        d->tg.set_stemmer(make_stem(lang));
        d->tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        d->tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
        *out = d.release();
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

} /* extern "C" */
