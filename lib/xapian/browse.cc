/*
 * browse.cc - the categories and sections a caller can see, with counts
 * (hdx_browse_count, include/hdx/browse.h).  The candidate values are the
 * index's category / section terms (every level's); each is then counted
 * by a query through execute(), the one visibility filter, so a place
 * with no article visible to the caller is never reported.
 */
#include "hdx/xapian.h"

#include "hdx/browse.h"

#include "xapian_int.hh"

#include <cstring>

namespace hdxi
{

/* The values of field `f` whose term starts with prefix + `start`. */
static std::vector<std::string> values_of(Xapian::Database &db, hdxi_field f,
                                          const std::string &start)
{
    std::string prefix = hdxi_prefix(f);
    std::vector<std::string> out;
    for (auto t = db.allterms_begin(prefix + start);
         t != db.allterms_end(prefix + start); ++t)
        out.push_back((*t).substr(prefix.size()));
    return out;
}

/* Count the visible documents of each value and report the non-empty. */
static void count_all(hdx_query *q, hdxi_field f,
                      const std::vector<std::string> &values,
                      hdx_browse_count_fn fn, void *ctx)
{
    for (const std::string &v : values) {
        Xapian::Enquire enq(q->db->db);
        Xapian::MSet m = execute(q, Xapian::Query(make_term(hdxi_prefix(f), v)),
                                 0, 1, nullptr, enq);
        unsigned n = m.get_matches_estimated();
        if (n == 0 || m.empty())
            continue;
        std::string hdr = m.begin().get_document().get_value(HDXI_SLOT_DATA);
        fn(v.c_str(), n, hdr.data(), hdr.size(), ctx);
    }
}

} /* namespace hdxi */

using namespace hdxi;

extern "C" hdx_status hdx_browse_count(hdx_db *db, const hdx_query_opts *o,
                                       const char *parent,
                                       hdx_browse_count_fn fn, void *ctx,
                                       hdx_error *err) noexcept
{
    try {
        query_ptr q(new_query(db, o));
        hdxi_field f = parent ? HDXI_F_SECTION : HDXI_F_CATEGORY;
        std::string start = parent ? std::string(parent) + "/" : "";
        /* Collected first, reported after: a retry after a reopen must
         * not report an entry twice. */
        struct found {
            std::string key, hdr;
            unsigned n;
        };
        std::vector<found> all;
        with_reopen(db, [&] {
            all.clear();
            std::vector<std::string> values = values_of(db->db, f, start);
            count_all(
                q.get(), f, values,
                [](const char *k, unsigned n, const char *h, size_t hl,
                   void *p) {
                    static_cast<std::vector<found> *>(p)->push_back(
                        {k, std::string(h, hl), n});
                },
                &all);
        });
        for (const found &x : all)
            fn(x.key.c_str(), x.n, x.hdr.data(), x.hdr.size(), ctx);
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}
