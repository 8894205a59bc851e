/*
 * shards.cc - a sharded reader: one Xapian::Database combining local and
 * remote (xapian-tcpsrv, Xapian::Remote::open) sub-databases, so BM25
 * statistics are collection-wide as Xapian computes them, next to a local
 * metadata index that carries what the remote backend cannot serve
 * (spelling, synonyms) and the schema version and generation.
 *
 * A shard that does not answer (connection refused, a reply later than
 * the timeout) is left out of the combined database and named by
 * hdx_db_missing(); it is reconnected on a later query after a bounded
 * back-off (0.5 s doubling to 8 s, per handle), so a dead shard costs
 * each server thread at most one connection attempt per back-off period.
 * Strict mode turns a missing shard into HDX_ESHARD instead.
 * with_reopen() (xapian_int.hh) calls heal_shards() before each query
 * step and drop_dead_shards() on a NetworkError, then reruns the step.
 */
#include "hdx/xapian.h"

#include "xapian_int.hh"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace hdxi
{

static const double FIRST_BACKOFF = 0.5, MAX_BACKOFF = 8.0;
static const unsigned DEFAULT_TIMEOUT_MS = 3000;

static double now_s()
{
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

/* "tcp:HOST:PORT" into host and port; false if `spec` is not one. */
static bool tcp_spec(const std::string &spec, std::string &host, int &port)
{
    if (spec.compare(0, 4, "tcp:") != 0)
        return false;
    size_t colon = spec.rfind(':');
    if (colon <= 4 || colon + 1 >= spec.size())
        return false;
    char *end;
    long p = strtol(spec.c_str() + colon + 1, &end, 10);
    if (*end || p < 1 || p > 65535)
        return false;
    host = spec.substr(4, colon - 4);
    port = static_cast<int>(p);
    return true;
}

static bool is_remote(const hdx_shard &s)
{
    return s.spec.compare(0, 4, "tcp:") == 0;
}

static Xapian::Database open_spec(const std::string &spec, unsigned ms)
{
    std::string host;
    int port;
    if (tcp_spec(spec, host, port))
        return Xapian::Remote::open(host, port, ms, ms);
    return Xapian::Database(spec);
}

/* The combined database of the shards that are up, and its identity. */
static void combine(hdx_db *h)
{
    Xapian::Database all;
    bool any = false;
    for (const hdx_shard &s : h->shards)
        if (s.up) {
            all.add_database(s.db);
            any = true;
        }
    /* None up: the metadata index, which has no documents (an Enquire
     * over a Database of no sub-databases throws). */
    h->db = any ? all : h->meta;
    /* The metadata index's UUID with the up-shards' UUIDs: a different
     * set of shards is a different cache key (server/cache.c). */
    std::string id = h->meta.get_uuid();
    for (const hdx_shard &s : h->shards)
        id += s.up ? ":" + s.db.get_uuid() : std::string(":-");
    h->uuid = id;
}

static void mark_down(hdx_shard &s, const char *why)
{
    bool was_up = s.up;
    s.up = false;
    s.db = Xapian::Database();
    s.backoff = s.backoff == 0 ? FIRST_BACKOFF
                               : std::min(s.backoff * 2, MAX_BACKOFF);
    s.next_try = now_s() + s.backoff;
    if (was_up || s.backoff == FIRST_BACKOFF)
        fprintf(stderr, "helpdex: shard %s did not answer (%s): left out "
                        "of searches until it does\n", s.spec.c_str(), why);
}

/* Open `s`; false (and down, with its back-off) if it does not answer. */
static bool try_open(hdx_shard &s, unsigned ms)
{
    try {
        s.db = open_spec(s.spec, ms);
        if (!s.up && s.backoff != 0)
            fprintf(stderr, "helpdex: shard %s answers again\n",
                    s.spec.c_str());
        s.up = true;
        s.backoff = 0;
        return true;
    } catch (const Xapian::NetworkError &e) {
        mark_down(s, e.get_msg().c_str());
    } catch (const Xapian::DatabaseOpeningError &e) {
        mark_down(s, e.get_msg().c_str());
    }
    return false;
}

static void throw_if_strict(hdx_db *h)
{
    if (!h->shards_strict)
        return;
    for (const hdx_shard &s : h->shards)
        if (!s.up)
            throw ShardError{"shard " + s.spec + " did not answer"};
}

void heal_shards(hdx_db *h)
{
    double now = now_s();
    bool changed = false;
    for (hdx_shard &s : h->shards)
        if (!s.up && now >= s.next_try && try_open(s, h->shard_timeout_ms))
            changed = true;
    if (changed)
        combine(h);
    throw_if_strict(h);
}

void drop_dead_shards(hdx_db *h)
{
    /* Which one failed is not in the error: ask each remote shard again
     * on a new connection (the old one may be broken). */
    for (hdx_shard &s : h->shards)
        if (s.up && is_remote(s))
            try_open(s, h->shard_timeout_ms);
    combine(h);
    throw_if_strict(h);
}

/* A new sharded handle: the metadata index must open (and have our
 * schema); each shard is opened or marked down. */
static hdx_db *open_all(const char *meta_path, const hdx_shard_opts *o)
{
    std::unique_ptr<hdx_db> h(new hdx_db);
    h->path = meta_path;
    h->meta = Xapian::Database(meta_path);
    check_schema(h->meta);
    h->shard_timeout_ms = o->timeout_ms ? o->timeout_ms : DEFAULT_TIMEOUT_MS;
    h->shards_strict = o->strict;
    for (size_t i = 0; i < o->n; i++) {
        hdx_shard s;
        s.spec = o->specs[i];
        std::string host;
        int port;
        if (s.spec.compare(0, 4, "tcp:") == 0 && !tcp_spec(s.spec, host, port))
            throw Xapian::InvalidArgumentError("bad shard '" + s.spec +
                                               "': expected tcp:HOST:PORT");
        h->shards.push_back(s);
    }
    for (hdx_shard &s : h->shards)
        try_open(s, h->shard_timeout_ms);
    add_stopwords(h->stopper);
    h->generation = read_generation(h->meta);
    combine(h.get());
    return h.release();
}

hdx_status reopen_sharded(hdx_db *h, bool *changed, hdx_error *err) noexcept
{
    try {
        std::vector<const char *> specs;
        for (const hdx_shard &s : h->shards)
            specs.push_back(s.spec.c_str());
        hdx_shard_opts o = {specs.data(), specs.size(), h->shard_timeout_ms,
                            h->shards_strict};
        std::unique_ptr<hdx_db> fresh(open_all(h->path.c_str(), &o));
        bool moved = fresh->generation != h->generation ||
                     fresh->uuid != h->uuid;
        /* Keep the back-off of shards still down. */
        for (size_t i = 0; i < h->shards.size(); i++)
            if (!fresh->shards[i].up)
                fresh->shards[i].backoff =
                    std::max(fresh->shards[i].backoff, h->shards[i].backoff);
        h->db = fresh->db;
        h->meta = fresh->meta;
        h->shards.swap(fresh->shards);
        h->generation = fresh->generation;
        h->uuid.swap(fresh->uuid);
        if (changed)
            *changed = moved;
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

} /* namespace hdxi */

using namespace hdxi;

extern "C" {

bool hdx_shard_spec_valid(const char *spec) noexcept
{
    try {
        std::string s = spec, host;
        int port;
        return !s.empty() && (s.compare(0, 4, "tcp:") != 0 ||
                              tcp_spec(s, host, port));
    } catch (...) {
        return false;
    }
}

hdx_status hdx_db_open_sharded(const char *meta_path, const hdx_shard_opts *o,
                               hdx_db **out, hdx_error *err) noexcept
{
    *out = nullptr;
    try {
        if (!o || o->n == 0)
            return fill(err, HDX_EINVAL, __func__, "", "no shards");
        *out = open_all(meta_path, o);
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}

size_t hdx_db_n_shards(const hdx_db *h) noexcept
{
    return h->shards.size();
}

size_t hdx_db_n_missing(const hdx_db *h) noexcept
{
    size_t n = 0;
    for (const hdx_shard &s : h->shards)
        n += !s.up;
    return n;
}

const char *hdx_db_missing(const hdx_db *h, size_t k) noexcept
{
    for (const hdx_shard &s : h->shards)
        if (!s.up && k-- == 0)
            return s.spec.c_str();
    return nullptr;
}

} /* extern "C" */
