/*
 * writer.cc - the one writable index: lock wait, batches (transactions),
 * the generation counter and schema stamp on commit, metadata, raw
 * document writes for lib/document.c (replace by unique id term, keeping
 * the spelling dictionary in step), and the private shards of a parallel
 * full build merged by hdx_compact().
 */
#include "hdx/xapian.h"

#include "xapian_int.hh"

#include <chrono>
#include <string>
#include <thread>

#include "hdx/alloc.h"

using namespace hdxi;

extern "C" {

hdx_status hdx_writer_open(const char *path, int wait_seconds, hdx_writer **out,
                           hdx_error *err) noexcept
{
    *out = nullptr;
    try {
        auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::seconds(wait_seconds);
        for (;;) {
            try {
                std::unique_ptr<hdx_writer> w(new hdx_writer);
                w->db =
                    Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
                *out = w.release();
                return HDX_OK;
            } catch (const Xapian::DatabaseLockError &) {
                if (std::chrono::steady_clock::now() >= deadline)
                    throw;
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        }
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_begin(hdx_writer *w, hdx_error *err) noexcept
{
    try {
        if (!w->in_txn) {
            w->db.begin_transaction(true);
            w->in_txn = true;
        }
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_commit(hdx_writer *w, hdx_error *err) noexcept
{
    try {
        if (!w->shard) {
            unsigned long gen = read_generation(w->db) + 1;
            w->db.set_metadata(HDXI_META_GENERATION, std::to_string(gen));
            w->db.set_metadata(HDXI_META_SCHEMA, HDX_SCHEMA_VERSION);
        }
        if (w->in_txn) {
            w->in_txn = false;
            w->db.commit_transaction();
        } else {
            w->db.commit();
        }
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_generation(hdx_writer *w, unsigned long *out,
                                 hdx_error *err) noexcept
{
    *out = 0;
    try {
        *out = read_generation(w->db);
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_schema_current(hdx_writer *w, bool *current,
                                     hdx_error *err) noexcept
{
    *current = false;
    try {
        *current = w->db.get_metadata(HDXI_META_SCHEMA) == HDX_SCHEMA_VERSION;
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_stamp(hdx_writer *w, unsigned long generation,
                            hdx_error *err) noexcept
{
    try {
        w->db.set_metadata(HDXI_META_SCHEMA, HDX_SCHEMA_VERSION);
        w->db.set_metadata(HDXI_META_GENERATION, std::to_string(generation));
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_cancel(hdx_writer *w, hdx_error *err) noexcept
{
    try {
        if (w->in_txn) {
            w->in_txn = false;
            w->db.cancel_transaction();
        }
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdxi_writer_replace(hdx_writer *w, const char *uid_term,
                               hdx_doc *d, hdx_error *err) noexcept
{
    try {
        std::string uid = make_term("", uid_term);
        for (auto p = w->db.postlist_begin(uid); p != w->db.postlist_end(uid);
             ++p)
            unspell(w->db, *p);
        d->doc.add_boolean_term(uid);
        add_pair_terms(d->doc);
        spell(w->db, d);
        w->db.replace_document(uid, d->doc);
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdxi_writer_add(hdx_writer *w, const char *uid_term, hdx_doc *d,
                           hdx_error *err) noexcept
{
    try {
        d->doc.add_boolean_term(make_term("", uid_term));
        add_pair_terms(d->doc);
        spell(w->db, d);
        w->db.add_document(d->doc);
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdxi_writer_delete(hdx_writer *w, const char *term,
                              unsigned *n_deleted, hdx_error *err) noexcept
{
    if (n_deleted)
        *n_deleted = 0;
    try {
        std::string t = make_term("", term);
        std::vector<Xapian::docid> ids;
        for (auto p = w->db.postlist_begin(t); p != w->db.postlist_end(t); ++p)
            ids.push_back(*p);
        for (Xapian::docid did : ids) {
            unspell(w->db, did);
            w->db.delete_document(did);
        }
        if (n_deleted)
            *n_deleted = static_cast<unsigned>(ids.size());
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdxi_writer_has_term(hdx_writer *w, const char *term, bool *found,
                                hdx_error *err) noexcept
{
    *found = false;
    try {
        *found = w->db.term_exists(make_term("", term));
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_meta_set(hdx_writer *w, const char *key,
                               const char *value, hdx_error *err) noexcept
{
    try {
        w->db.set_metadata(key, value ? value : "");
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_meta_get(hdx_writer *w, const char *key, char **out,
                               hdx_error *err) noexcept
{
    *out = nullptr;
    try {
        std::string v = w->db.get_metadata(key);
        if (!v.empty())
            *out = hdx_xstrdup(v.c_str());
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_meta_list(hdx_writer *w, const char *prefix,
                                hdx_meta_fn fn, void *ctx,
                                hdx_error *err) noexcept
{
    try {
        for (auto k = w->db.metadata_keys_begin(prefix);
             k != w->db.metadata_keys_end(prefix); ++k) {
            std::string key = *k;
            std::string v = w->db.get_metadata(key);
            fn(key.c_str(), v.c_str(), ctx);
        }
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_writer_doccount(hdx_writer *w, unsigned *out,
                               hdx_error *err) noexcept
{
    *out = 0;
    try {
        *out = w->db.get_doccount();
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

void hdx_writer_close(hdx_writer *w) noexcept
{
    if (!w)
        return;
    try {
        if (w->in_txn)
            w->db.cancel_transaction();
        w->db.close();
    } catch (...) {
        /* Closing releases the lock even when it reports an error. */
    }
    delete w;
}

/* ---- shards of a parallel full build ----------------------------------- */

hdx_status hdx_writer_open_shard(const char *path, hdx_writer **out,
                                 hdx_error *err) noexcept
{
    *out = nullptr;
    try {
        std::unique_ptr<hdx_writer> w(new hdx_writer);
        w->db = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OVERWRITE);
        w->shard = true;
        *out = w.release();
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

hdx_status hdx_compact(const char *const *paths, size_t n, const char *dest,
                       hdx_error *err) noexcept
{
    try {
        Xapian::Database all;
        for (size_t i = 0; i < n; i++)
            all.add_database(Xapian::Database(paths[i]));
        all.compact(dest, Xapian::DBCOMPACT_MULTIPASS);
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

} /* extern "C" */
