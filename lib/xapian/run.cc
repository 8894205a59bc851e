/*
 * run.cc - running a query.  Audience safety lives here, in one place:
 * visibility_filter() builds the boolean filter for a caller's level from
 * the terms the document builder writes (hdxi_visibility_term), and
 * execute() - which every query path (search, lookup, related, partial,
 * by id) goes through - ANDs it in before anything else.  Then the typed
 * filters, the facet spy, and the spelling and any-word fallbacks.
 */
#include "hdx/xapian.h"

#include "xapian_int.hh"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace hdxi
{

/* THE visibility filter: the only place that decides what a level sees,
 * from the same terms the document builder writes (hdxi_visibility_term). */
static Xapian::Query visibility_filter(hdx_audience level, bool drafts)
{
    char t[4];
    hdxi_visibility_term(level, false, t);
    Xapian::Query vis(t);
    if (drafts && hdxi_visibility_term(level, true, t))
        vis = Xapian::Query(Xapian::Query::OP_OR, vis, Xapian::Query(t));
    return vis;
}

/* One group of a typed filter: any of `values` as terms of `f`. */
static Xapian::Query any_of(hdxi_field f, const char *const *values, size_t n)
{
    std::vector<Xapian::Query> qs;
    for (size_t i = 0; i < n; i++)
        if (values[i] && *values[i])
            qs.emplace_back(field_term(f, values[i]));
    return Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end());
}

Xapian::Query typed_filter(const hdx_filter &f)
{
    std::vector<Xapian::Query> groups;
    if (f.n_products)
        groups.push_back(any_of(HDXI_F_PRODUCT, f.products, f.n_products));
    if (f.n_tags)
        groups.push_back(any_of(HDXI_F_TAG, f.tags, f.n_tags));
    if (f.types) {
        std::vector<Xapian::Query> ts;
        for (int t = 0; t < HDX_TYPE_COUNT; t++)
            if (f.types & HDX_TYPE_BIT(t))
                ts.emplace_back(field_term(
                    HDXI_F_TYPE, hdx_doctype_name(static_cast<hdx_doctype>(t))));
        groups.emplace_back(Xapian::Query::OP_OR, ts.begin(), ts.end());
    }
    const char *place[] = {f.category, f.section, f.alias};
    const hdxi_field place_field[] = {HDXI_F_CATEGORY, HDXI_F_SECTION,
                                      HDXI_F_ALIAS};
    for (int i = 0; i < 3; i++)
        if (place[i])
            groups.emplace_back(field_term(place_field[i], place[i]));
    Xapian::Query dates = date_range(f.updated_from, f.updated_to);
    if (!dates.empty())
        groups.push_back(dates);
    if (groups.empty())
        return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_AND, groups.begin(), groups.end());
}

/*
 * Counts facet values over every matching document.  Per document it does
 * one value read and one hash increment of the whole combined value
 * (documents share few distinct combinations); finish() splits each
 * distinct combination once.
 */
class FacetSpy : public Xapian::MatchSpy
{
    std::unordered_map<std::string, unsigned> combos;

    /* The updated dates ("YYYYMMDD") seen: the earliest and the latest. */
    void see_date(const std::string &d)
    {
        if (d.empty())
            return;
        if (upd_min.empty() || d < upd_min)
            upd_min = d;
        if (d > upd_max)
            upd_max = d;
    }

  public:
    std::map<std::string, unsigned> product, type, tag;
    std::string upd_min, upd_max;
    void take(FacetSpy &o)
    {
        combos.swap(o.combos);
        product.swap(o.product);
        type.swap(o.type);
        tag.swap(o.tag);
        upd_min.swap(o.upd_min);
        upd_max.swap(o.upd_max);
    }
    /* Count o's documents too (o saw other documents than this spy). */
    void add(const FacetSpy &o)
    {
        for (const auto &kv : o.combos)
            combos[kv.first] += kv.second;
        see_date(o.upd_min);
        see_date(o.upd_max);
    }
    const bool dates; /* also the updated range: one more value read */
    explicit FacetSpy(bool d) : dates(d) {}
    void operator()(const Xapian::Document &doc, double) override
    {
        combos[doc.get_value(HDXI_SLOT_FACETS)]++;
        if (dates)
            see_date(doc.get_value(HDXI_SLOT_UPDATED));
    }
    /* What the built-in spies of a sharded run counted (remote_spies()). */
    void take_counts(const Xapian::ValueCountMatchSpy &facets,
                     const Xapian::ValueCountMatchSpy &dates)
    {
        for (auto v = facets.values_begin(); v != facets.values_end(); ++v)
            combos[*v] += v.get_termfreq();
        for (auto v = dates.values_begin(); v != dates.values_end(); ++v)
            see_date(*v);
    }
    void finish()
    {
        for (const auto &kv : combos) {
            struct add_ctx {
                FacetSpy *spy;
                unsigned n;
            } c = {this, kv.second};
            hdxi_facets_decode(
                kv.first.data(), kv.first.size(),
                [](hdxi_facet f, const char *v, size_t len, void *p) {
                    auto *a = static_cast<add_ctx *>(p);
                    std::map<std::string, unsigned> &m =
                        f == HDXI_FACET_PRODUCT ? a->spy->product
                        : f == HDXI_FACET_TYPE  ? a->spy->type
                                                : a->spy->tag;
                    m[std::string(v, len)] += a->n;
                },
                &c);
        }
        combos.clear();
    }
};

/* The `max` most frequent values of one facet, into r->facets. */
static void add_facets(hdx_results *r, hdxi_facet facet,
                       const std::map<std::string, unsigned> &m, size_t max)
{
    std::vector<std::pair<std::string, unsigned>> v(m.begin(), m.end());
    std::stable_sort(v.begin(), v.end(), [](const auto &a, const auto &b) {
        return a.second > b.second;
    });
    for (size_t i = 0; i < v.size() && i < max; i++)
        r->facets.push_back({hdxi_facet_name(facet), v[i].first, v[i].second});
}

/*
 * A sharded run (shards.cc): xapian-tcpsrv runs only the match spies it
 * has registered, so the built-in ValueCountMatchSpy counts the two slots
 * FacetSpy reads, and FacetSpy takes their counts.  Sorted by a value,
 * a remote shard shows the spies a document twice (Xapian 1.4.22: 14
 * counted for 13 matches, tests/scale/test_shards.py), so then they
 * count in a pass of their own, in relevance order.
 */
static Xapian::MSet execute_sharded(hdx_query *q, Xapian::Enquire &enq,
                                    unsigned offset, unsigned limit,
                                    Xapian::doccount check, FacetSpy *spy)
{
    Xapian::ValueCountMatchSpy facets(HDXI_SLOT_FACETS),
        dates(HDXI_SLOT_UPDATED);
    bool apart = spy && q->sort != HDX_SORT_RELEVANCE;
    Xapian::Enquire counting(q->db->db);
    Xapian::Enquire &spied = apart ? counting : enq;
    if (apart)
        counting.set_query(enq.get_query());
    if (spy) {
        spied.add_matchspy(&facets);
        if (spy->dates)
            spied.add_matchspy(&dates);
    }
    Xapian::MSet m = enq.get_mset(offset, limit, check);
    if (apart)
        counting.get_mset(0, 0, check);
    spied.clear_matchspies();
    if (spy)
        spy->take_counts(facets, dates);
    return m;
}

/*
 * Every query runs here.  The visibility filter is ANDed in before anything
 * else, so totals, facets, hits and identifiers only ever see what the
 * caller's level may see.
 */
Xapian::MSet execute(hdx_query *q, const Xapian::Query &base, unsigned offset,
                     unsigned limit, FacetSpy *spy, Xapian::Enquire &enq,
                     Xapian::doccount *counted)
{
    Xapian::Query filter = visibility_filter(q->level, q->drafts);
    if (!q->filter.empty())
        filter = Xapian::Query(Xapian::Query::OP_AND, filter, q->filter);
    if (q->lookup) {
        /* Known-issue lookup ranks incidents and agent/internal notes. */
        std::vector<Xapian::Query> kinds = {
            Xapian::Query(field_term(HDXI_F_TYPE, "incident")),
            Xapian::Query(field_term(HDXI_F_AUDIENCE, "agent")),
            Xapian::Query(field_term(HDXI_F_AUDIENCE, "internal"))};
        filter = Xapian::Query(
            Xapian::Query::OP_AND, filter,
            Xapian::Query(Xapian::Query::OP_OR, kinds.begin(), kinds.end()));
    }
    /* A filter-only query is the filter itself (its boolean terms weigh
     * nothing).  Not OP_SCALE_WEIGHT(filter, 0): in Xapian 1.4.22 that
     * throws "Unexpected end of posting list" once documents at the start
     * of a posting list have been deleted (tests/e2e/test_publishing.py). */
    Xapian::Query full =
        base.empty() ? filter
                     : Xapian::Query(Xapian::Query::OP_FILTER, base, filter);
    if (!q->exclude.empty())
        full = Xapian::Query(Xapian::Query::OP_AND_NOT, full, q->exclude);
    enq.set_query(full);
    if (q->sort == HDX_SORT_UPDATED)
        enq.set_sort_by_value_then_relevance(HDXI_SLOT_UPDATED, true);
    /* Counting every match keeps totals exact (and free of statistics
     * from documents the caller cannot see) for all but huge result sets. */
    Xapian::doccount check = spy ? 20000 : 2000;
    check = std::max(check, offset + limit);
    Xapian::MSet m;
    if (!q->db->shards.empty()) {
        m = execute_sharded(q, enq, offset, limit, check, spy);
    } else {
        if (spy)
            enq.add_matchspy(spy);
        m = enq.get_mset(offset, limit, check);
    }
    if (counted)
        *counted = m.get_matches_estimated();
    return m;
}

bool visible_exists(hdx_query *q, const std::string &term)
{
    Xapian::Enquire enq(q->db->db);
    enq.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(term),
                                visibility_filter(q->level, q->drafts)));
    enq.set_weighting_scheme(Xapian::BoolWeight());
    return !enq.get_mset(0, 1).empty();
}

/*
 * The query with its lifts (q->boost: pairs, phrases and whole
 * compounds, shape.cc) over every match.  The lifts are term lookups
 * (pairs.cc), not position reads, so they need no second pass over a
 * window of first results: a fragment's article is found wherever the
 * words alone would rank it.
 */
static Xapian::MSet execute_ranked(hdx_query *q, const Xapian::Query &base,
                                   const Xapian::Query &boost,
                                   unsigned offset, unsigned limit,
                                   FacetSpy *spy, Xapian::Enquire &enq,
                                   Xapian::doccount &total)
{
    return execute(q, with_boost(base, boost), offset, limit, spy, enq,
                   &total);
}

/* Append the hits of `mset` not already in `r` (by docid). */
/*
 * The identifiers of `query` that each of hits[first..] carries, in query
 * order, into hit.ids.  Not Enquire::get_matching_terms(): that decodes
 * every term of every hit's termlist (thousands in a long article); here
 * each identifier's posting list is walked once, in docid order, over
 * the hits.
 */
static void matched_idents(const Xapian::Database &db,
                           const Xapian::Query &query,
                           std::vector<hdx_hit> &hits, size_t first)
{
    std::vector<std::string> ids;
    for (auto t = query.get_terms_begin(); t != query.get_terms_end(); ++t)
        if (ident_term(*t) &&
            std::find(ids.begin(), ids.end(), *t) == ids.end())
            ids.push_back(*t);
    std::vector<std::pair<Xapian::docid, size_t>> order;
    for (size_t i = first; i < hits.size(); i++)
        order.emplace_back(hits[i].did, i);
    std::sort(order.begin(), order.end());
    for (const auto &id : ids) {
        size_t x = ident_term(id);
        Xapian::PostingIterator p = db.postlist_begin(id);
        for (const auto &o : order) {
            p.skip_to(o.first);
            if (p == db.postlist_end(id))
                break;
            if (*p == o.first)
                hits[o.second].ids.push_back(id.substr(x));
        }
    }
}

static void collect(hdx_results *r, hdx_query *q, Xapian::Enquire &enq,
                    Xapian::MSet &mset, size_t limit)
{
    size_t first = r->hits.size();
    for (auto it = mset.begin(); it != mset.end() && r->hits.size() < limit;
         ++it) {
        bool dup = false;
        for (const auto &h : r->hits)
            if (h.did == *it)
                dup = true;
        if (dup)
            continue;
        hdx_hit h;
        h.did = *it;
        h.weight = it.get_weight();
        h.percent = it.get_percent();
        Xapian::Document doc = it.get_document();
        h.data = doc.get_value(HDXI_SLOT_DATA);
        h.doc = doc;
        r->hits.push_back(std::move(h));
    }
    if (q->has_ids)
        matched_idents(q->db->db, enq.get_query(), r->hits, first);
}

/*
 * Fewer all-word hits than this brings in any-word hits after them, for a
 * query of `words` words: a query never comes back (nearly) empty for one
 * word.  Each word more leaves fewer documents with all of them, so a
 * question of 4 or more words gets the any-word hits below 5 all-word
 * hits ("what happens to my files when I delete my account": 3, none the
 * article; "why isnt uploaded vhd supported when i create a vm": 4),
 * shorter queries below 3.  The any-word pass is a second, larger match:
 * below 5 for every query it ran for a quarter of the bench queries and
 * made the median query 10-18 % slower (docs/benchmarks.md), for no
 * better rank of any query of 2 or 3 words in either relevance suite.
 */
size_t few_hits(size_t words)
{
    return words >= 4 ? 5 : 3;
}

/* The spelling correction and the any-word fallback of run_once(). */
static void fall_back(hdx_results *r, hdx_query *q, unsigned offset,
                      unsigned limit, FacetSpy *sp, FacetSpy &spy,
                      Xapian::Enquire &enq, Xapian::MSet &mset,
                      Xapian::doccount total)
{
    bool corrected = false, relaxed = false;
    /* Nothing with all the words as typed: the spelling correction first. */
    if (mset.empty() && !q->corrected_q.empty()) {
        Xapian::Enquire e2(q->db->db);
        FacetSpy spy2(q->updated_range);
        Xapian::doccount t2;
        Xapian::MSet m2 =
            execute_ranked(q, q->corrected_q, q->corrected_boost, offset,
                           limit, sp ? &spy2 : nullptr, e2, t2);
        if (!m2.empty()) {
            spy.take(spy2);
            mset = m2;
            enq = e2;
            total = t2;
            corrected = true;
        }
    }
    r->total = total;
    collect(r, q, enq, mset, limit);
    /* Still few: any-word hits follow the all-word ones.  The list is the
     * all-word hits, then the any-word hits WITHOUT them (so paging,
     * totals and facets count each document once: found by tests/fuzz,
     * query-1, where "e v NOT b v" showed three hits over a total of 2
     * and a later page overlapped the first). */
    if (!corrected && !q->relaxed.empty() && r->total < q->few_hits) {
        Xapian::Enquire e3(q->db->db);
        unsigned strict = r->total;
        unsigned off = offset >= strict ? offset - strict : 0;
        Xapian::Query rest(Xapian::Query::OP_AND_NOT, q->relaxed, q->query);
        Xapian::doccount t3;
        /* Counted in the facets only when asked (facets_relaxed): they
         * describe the documents with all the words.  Counting every
         * any-word match (thousands for a few common words) made this
         * pass most of the slowest queries' time. */
        FacetSpy spy3(q->updated_range);
        bool count = sp && q->facets_relaxed;
        Xapian::MSet m3 = execute_ranked(q, rest, q->boost, off, limit,
                                         count ? &spy3 : nullptr, e3, t3);
        if (t3 > 0) {
            if (offset >= strict)
                r->hits.clear();
            collect(r, q, e3, m3, limit);
            r->total = strict + t3;
            if (count)
                spy.add(spy3);
            relaxed = true;
        }
    }
    r->relaxed = relaxed;
    r->has_corrected = corrected;
}

static std::unique_ptr<hdx_results> run_once(hdx_query *q, unsigned offset,
                                             unsigned limit)
{
    /* Owned here until returned: a Xapian exception frees it. */
    std::unique_ptr<hdx_results> r(new hdx_results);
    r->terms = q->terms;
    Xapian::Enquire enq(q->db->db);
    FacetSpy spy(q->updated_range);
    FacetSpy *sp = q->facets ? &spy : nullptr;
    Xapian::doccount total;
    Xapian::MSet mset =
        execute_ranked(q, q->query, q->boost, offset, limit, sp, enq, total);
    fall_back(r.get(), q, offset, limit, sp, spy, enq, mset, total);
    /* Offer "did you mean" only when the words as typed did poorly. */
    if (!q->corrected.empty() &&
        (r->has_corrected || r->relaxed || r->hits.empty())) {
        r->suggestion = q->corrected;
        if (r->has_corrected)
            r->corrected = q->corrected;
    }
    if (q->facets) {
        spy.finish();
        r->updated_min = spy.upd_min;
        r->updated_max = spy.upd_max;
        add_facets(r.get(), HDXI_FACET_PRODUCT, spy.product, 20);
        add_facets(r.get(), HDXI_FACET_TYPE, spy.type, 10);
        add_facets(r.get(), HDXI_FACET_TAG, spy.tag, 30);
    }
    return r;
}

} /* namespace hdxi */

using namespace hdxi;

extern "C" hdx_status hdx_query_run(hdx_query *q, unsigned offset,
                                    unsigned limit, hdx_results **out,
                                    hdx_error *err) noexcept
{
    *out = nullptr;
    try {
        std::unique_ptr<hdx_results> r;
        if (q->query.empty() && q->filter.empty())
            r.reset(new hdx_results);
        else
            with_reopen(q->db, [&] { r = run_once(q, offset, limit); });
        /* A child of the db from here on (hdx_results_free uncounts it). */
        r->db = q->db;
        q->db->live_children++;
        *out = r.release();
        return HDX_OK;
    } catch (...) {
        return translate(err, __func__);
    }
}
