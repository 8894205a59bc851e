/*
 * db.cc - the reader: open and reopen at one revision, the schema-version
 * check on both, the generation counter and the database UUID, metadata
 * and completion from the public spelling dictionary.  reopen_latest() is
 * the one place a reader moves on after DatabaseModifiedError
 * (with_reopen()).
 *
 * Every open, first or later, is a fresh Xapian::Database(path), never
 * Database::reopen(): a full build swaps a whole new index into the path,
 * and a replica (xapian-replicate) is a stub file naming its live copy,
 * which a full copy switches to the other copy - reopen() re-reads
 * neither (Xapian's replication docs: close, reopen and restart the
 * query).  The stub switch removes the old copy right after it, so an open
 * that read the old name may find it gone: fresh_open() then reads the
 * stub again.
 */
#include "hdx/xapian.h"

#include "xapian_int.hh"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "hdx/alloc.h"

namespace hdxi
{

unsigned long read_generation(Xapian::Database &db)
{
    std::string g = db.get_metadata(HDXI_META_GENERATION);
    return g.empty() ? 0 : strtoul(g.c_str(), nullptr, 10);
}

/* Throws SchemaError (HDX_ESCHEMA) unless `db` was written with this
 * library's schema version. */
void check_schema(Xapian::Database &db)
{
    std::string v = db.get_metadata(HDXI_META_SCHEMA);
    /* A never-committed index (a first build still running or killed) is
     * empty in every schema. */
    if (v == HDX_SCHEMA_VERSION || (v.empty() && db.get_revision() == 0))
        return;
    throw SchemaError{
        "the index was written with schema " +
        (v.empty() ? std::string("(none)") : v) +
        " and this helpdex reads schema " HDX_SCHEMA_VERSION
        "; rebuild it with helpdex-index --rebuild"};
}

/* A fresh open of `path`, schema-checked; a few tries when the live copy
 * a replica's stub named was removed between reading it and opening. */
static Xapian::Database fresh_open(const std::string &path)
{
    for (int attempt = 1;; attempt++) {
        try {
            Xapian::Database db(path);
            check_schema(db);
            return db;
        } catch (const Xapian::DatabaseOpeningError &) {
            if (attempt == 3)
                throw;
        }
    }
}

void reopen_latest(hdx_db *h)
{
    Xapian::Database fresh = fresh_open(h->path);
    unsigned long gen = read_generation(fresh);
    std::string uuid = fresh.get_uuid();
    h->db = fresh;
    h->generation = gen;
    h->uuid.swap(uuid);
}

} /* namespace hdxi */

using namespace hdxi;

extern "C" {

hdx_status hdx_db_open(const char *path, hdx_db **out, hdx_error *err) noexcept
{
    *out = nullptr;
    hdx_db *h = nullptr;
    try {
        h = new hdx_db;
        h->path = path;
        h->db = fresh_open(h->path);
        add_stopwords(h->stopper);
        h->generation = read_generation(h->db);
        h->uuid = h->db.get_uuid();
        *out = h;
        return HDX_OK;
    } catch (...) {
        delete h;
        return translate(err, __func__);
    }
}

hdx_status hdx_db_reopen(hdx_db *h, bool *changed, hdx_error *err) noexcept
{
    if (changed)
        *changed = false;
    if (!h->shards.empty())
        return reopen_sharded(h, changed, err);
    try {
        /* A fresh open (see the top of this file); the swapped-in index
         * may carry the same revision number.  If the open throws, the
         * handle keeps its old revision. */
        Xapian::Database fresh = fresh_open(h->path);
        unsigned long gen = read_generation(fresh);
        std::string uuid = fresh.get_uuid();
        bool moved = gen != h->generation || uuid != h->uuid ||
                     fresh.get_lastdocid() != h->db.get_lastdocid() ||
                     fresh.get_doccount() != h->db.get_doccount();
        h->db = fresh;
        h->generation = gen;
        h->uuid.swap(uuid); /* no throw after the handle moved */
        if (changed)
            *changed = moved;
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_db_doccount(hdx_db *h, unsigned *out, hdx_error *err) noexcept
{
    *out = 0;
    try {
        /* Through with_reopen: a sharded reader reconnects its missing
         * shards here too (readiness checks call this, not queries). */
        with_reopen(h, [&] { *out = h->db.get_doccount(); });
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

unsigned long hdx_db_generation(const hdx_db *h) noexcept
{
    return h->generation;
}

const char *hdx_db_uuid(const hdx_db *h) noexcept
{
    return h->uuid.c_str();
}

hdx_status hdx_db_meta_get(hdx_db *h, const char *key, char **out,
                           hdx_error *err) noexcept
{
    *out = nullptr;
    try {
        std::string v = h->db.get_metadata(key);
        if (!v.empty())
            *out = hdx_xstrdup(v.c_str());
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

void hdx_db_close(hdx_db *h) noexcept
{
    if (!h)
        return;
    /* Children must not outlive their parent (include/hdx/xapian.h). */
    if (h->live_children != 0)
        fprintf(stderr,
                "helpdex: hdx_db_close with %d live queries or results\n",
                h->live_children);
    try {
        h->db.close();
    } catch (...) {
    }
    delete h;
}

hdx_status hdx_db_complete(hdx_db *h, const char *prefix, unsigned max,
                           hdx_word_fn fn, void *ctx, hdx_error *err) noexcept
{
    try {
        std::string p = normalize(prefix, strlen(prefix));
        if (p.empty())
            return HDX_OK;
        std::vector<std::pair<std::string, unsigned>> words;
        with_reopen(h, [&] {
            words.clear();
            Xapian::Database &lex = lexicon(h);
            Xapian::TermIterator it = lex.spellings_begin();
            it.skip_to(p);
            for (unsigned scanned = 0;
                 it != lex.spellings_end() && scanned < 5000;
                 ++it, ++scanned) {
                std::string w = *it;
                if (w.compare(0, p.size(), p) != 0)
                    break;
                words.emplace_back(w, it.get_termfreq());
            }
        });
        std::stable_sort(
            words.begin(), words.end(),
            [](const auto &a, const auto &b) { return a.second > b.second; });
        for (size_t i = 0; i < words.size() && i < max; i++)
            fn(words[i].first.c_str(), words[i].second, ctx);
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

} /* extern "C" */
