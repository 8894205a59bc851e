/*
 * related.cc - "more like this" (hdx_query_related): the terms that best
 * describe one document, found through the caller's visibility filter
 * (a document the caller cannot see is "not found"), with the document
 * itself excluded from the results.
 */
#include "hdx/xapian.h"

#include "xapian_int.hh"

namespace hdxi
{

/* Word terms worth expanding on: unprefixed, 3+ bytes, with a letter. */
class WordDecider : public Xapian::ExpandDecider
{
  public:
    bool operator()(const std::string &t) const override
    {
        if (t.size() < 3 || is_prefixed(t))
            return false;
        for (unsigned char c : t)
            if (c >= 'a' && c <= 'z')
                return true;
        return false;
    }
};

/* The docid visible at q's level for `id` (0 if none). */
static Xapian::docid visible_docid(hdx_query *q, const std::string &id)
{
    Xapian::Enquire enq(q->db->db);
    Xapian::Query base(field_term(HDXI_F_ID, id));
    Xapian::MSet m = execute(q, base, 0, 1, nullptr, enq);
    return m.empty() ? 0 : *m.begin();
}

/* The builder of hdx_query_related; false if `id` is not visible. */
static bool build_related(hdx_query *q, const char *id)
{
    Xapian::docid did = visible_docid(q, id);
    if (!did)
        return false;
    Xapian::Enquire enq(q->db->db);
    enq.set_query(Xapian::Query(field_term(HDXI_F_ID, id)));
    Xapian::RSet rset;
    rset.add_document(did);
    WordDecider words;
    /* Exact term frequencies: over several sub-databases (sharded mode)
     * Xapian otherwise estimates them from the sub-database holding the
     * document, and the terms differ from one index's.  Over one
     * database the flag changes nothing. */
    Xapian::ESet eset = enq.get_eset(
        24, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &words);
    std::vector<Xapian::Query> terms;
    for (auto t = eset.begin(); t != eset.end(); ++t)
        terms.emplace_back(*t);
    q->query = Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
    q->exclude = Xapian::Query(field_term(HDXI_F_ID, id));
    return true;
}

} /* namespace hdxi */

using namespace hdxi;

extern "C" hdx_status hdx_query_related(hdx_db *h, const char *id,
                                        const hdx_query_opts *o,
                                        hdx_query **out,
                                        hdx_error *err) noexcept
{
    try {
        if (!build_query(h, o, out,
                         [&](hdx_query *q) { return build_related(q, id); }))
            return fill(err, HDX_ENOTFOUND, __func__, "", "no such document");
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}
