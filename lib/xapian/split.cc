/*
 * split.cc - hdx_split(): one built index cut into shard indexes plus a
 * metadata index, for the sharded reader (shards.cc).
 *
 * Documents are copied in docid order, so within a shard they keep the
 * relative order they had in the whole index.  Every shard also gets the
 * source's metadata (schema version, generation, ...), so each is a valid
 * index on its own (xapian-tcpsrv serves it as one) and the combined
 * database reads the same metadata whichever shard comes first.  The
 * metadata index holds no documents: the spelling dictionary, the
 * synonyms and the metadata, the part of an index the remote backend
 * cannot serve.
 */
#include "hdx/xapian.h"

#include "xapian_int.hh"

#include <algorithm>
#include <map>

namespace hdxi
{

/* Every document's key for `by`, indexed by docid ("" for none: no
 * product, no date).  From posting lists and a value stream, not by
 * reading each document.  Product: the document's first product term. */
static std::vector<std::string> split_keys(Xapian::Database &src,
                                           hdx_split_by by)
{
    std::vector<std::string> keys(src.get_lastdocid() + 1);
    if (by == HDX_SPLIT_YEAR) {
        for (auto v = src.valuestream_begin(HDXI_SLOT_UPDATED);
             v != src.valuestream_end(HDXI_SLOT_UPDATED); ++v)
            keys[v.get_docid()] = (*v).substr(0, 4);
        return keys;
    }
    std::string prefix = hdxi_prefix(HDXI_F_PRODUCT);
    for (auto t = src.allterms_begin(prefix); t != src.allterms_end(prefix);
         ++t)
        for (auto p = src.postlist_begin(*t); p != src.postlist_end(*t); ++p)
            if (keys[*p].empty())
                keys[*p] = (*t).substr(prefix.size());
    return keys;
}

/* Each key's shard: largest key first, onto the emptiest shard. */
static std::map<std::string, unsigned>
group_keys(const std::map<std::string, unsigned> &sizes, unsigned n)
{
    std::vector<std::pair<std::string, unsigned>> keys(sizes.begin(),
                                                       sizes.end());
    std::stable_sort(keys.begin(), keys.end(), [](const auto &a, const auto &b) {
        return a.second > b.second;
    });
    std::vector<unsigned> load(n, 0);
    std::map<std::string, unsigned> where;
    for (const auto &k : keys) {
        unsigned best = 0;
        for (unsigned i = 1; i < n; i++)
            if (load[i] < load[best])
                best = i;
        load[best] += k.second;
        where[k.first] = best;
    }
    return where;
}

static void copy_metadata(Xapian::Database &src, Xapian::WritableDatabase &w)
{
    for (auto k = src.metadata_keys_begin(); k != src.metadata_keys_end(); ++k)
        w.set_metadata(*k, src.get_metadata(*k));
}

static void write_meta(Xapian::Database &src, const std::string &path)
{
    Xapian::WritableDatabase m(path, Xapian::DB_CREATE_OR_OVERWRITE);
    for (auto s = src.spellings_begin(); s != src.spellings_end(); ++s)
        m.add_spelling(*s, s.get_termfreq());
    for (auto k = src.synonym_keys_begin(); k != src.synonym_keys_end(); ++k)
        for (auto v = src.synonyms_begin(*k); v != src.synonyms_end(*k); ++v)
            m.add_synonym(*k, *v);
    copy_metadata(src, m);
    m.commit();
}

static void split(const char *src_path, const std::string &dir,
                  hdx_split_by by, unsigned n, unsigned *counts)
{
    Xapian::Database src(src_path);
    check_schema(src);
    std::map<std::string, unsigned> where;
    std::vector<std::string> keys;
    if (by != HDX_SPLIT_ROUND) {
        keys = split_keys(src, by);
        std::map<std::string, unsigned> sizes;
        for (auto p = src.postlist_begin(""); p != src.postlist_end(""); ++p)
            sizes[keys[*p]]++;
        where = group_keys(sizes, n);
    }
    std::vector<Xapian::WritableDatabase> shards;
    for (unsigned i = 0; i < n; i++)
        shards.emplace_back(dir + "/shard-" + std::to_string(i + 1),
                            Xapian::DB_CREATE_OR_OVERWRITE);
    std::vector<unsigned> got(n, 0);
    unsigned k = 0;
    for (auto p = src.postlist_begin(""); p != src.postlist_end(""); ++p) {
        unsigned i = by == HDX_SPLIT_ROUND ? k++ % n : where[keys[*p]];
        shards[i].add_document(src.get_document(*p));
        got[i]++;
    }
    for (unsigned i = 0; i < n; i++) {
        copy_metadata(src, shards[i]);
        shards[i].commit();
        if (counts)
            counts[i] = got[i];
    }
    write_meta(src, dir + "/meta");
}

} /* namespace hdxi */

extern "C" hdx_status hdx_split(const char *src, const char *dest_dir,
                                hdx_split_by by, unsigned n, unsigned *counts,
                                hdx_error *err) noexcept
{
    try {
        if (n < 1 || n > 64)
            return hdxi::fill(err, HDX_EINVAL, __func__, "",
                              "the number of shards must be 1 to 64");
        hdxi::split(src, dest_dir, by, n, counts);
        return HDX_OK;
    } catch (...) {
        return hdxi::translate(err, __func__);
    }
}
