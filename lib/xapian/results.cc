/*
 * results.cc - the accessors of one page of hits.  Everything but the
 * text and the Markdown was copied out when the page was made; those two
 * are read on demand from the hdx_db's revision through the hit's
 * document handle, which is why results are children of their hdx_db
 * (counted in live_children, freed before it is closed).
 */
#include "hdx/xapian.h"

#include "xapian_int.hh"

#include <cstdio>

#include "hdx/alloc.h"
#include "hdx/le32.h"
#include "hdx/zip.h"

extern "C" {

size_t hdx_results_count(const hdx_results *r) noexcept
{
    return r->hits.size();
}

unsigned hdx_results_total(const hdx_results *r) noexcept
{
    return r->total;
}

/* "YYYYMMDD" → "YYYY-MM-DD" into out[11]; false for another form. */
static bool iso_date(const std::string &v, char out[11])
{
    if (v.size() != 8 || v.find_first_not_of("0123456789") != v.npos)
        return false;
    snprintf(out, 11, "%.4s-%.2s-%.2s", v.c_str(), v.c_str() + 4,
             v.c_str() + 6);
    return true;
}

bool hdx_results_updated_range(const hdx_results *r, char min[11],
                               char max[11]) noexcept
{
    min[0] = max[0] = '\0';
    return iso_date(r->updated_min, min) && iso_date(r->updated_max, max);
}

const char *hdx_results_data(const hdx_results *r, size_t i,
                             size_t *len) noexcept
{
    if (len)
        *len = r->hits[i].data.size();
    return r->hits[i].data.c_str();
}

/* Read hit h's section table and text on first use (lib/schema.h's
 * HDXI_SLOT_TEXT).  A failed read or a value too short for its own head
 * leaves both empty: no snippet rather than no hit. */
static const hdx_hit &with_text(const hdx_hit &h)
{
    if (h.have_text)
        return h;
    h.have_text = true;
    try {
        h.stored = h.doc.get_value(HDXI_SLOT_TEXT);
    } catch (...) {
        h.stored.clear();
    }
    size_t n = h.stored.size() < HDXI_TEXT_VALUE_HEAD
                   ? 0
                   : hdx_le32_get(reinterpret_cast<const unsigned char *>(
                         h.stored.data()));
    if (h.stored.size() < HDXI_TEXT_VALUE_HEAD ||
        n > h.stored.size() - HDXI_TEXT_VALUE_HEAD) {
        h.stored.clear();
        h.text_at = 0;
    } else {
        h.text_at = HDXI_TEXT_VALUE_HEAD + n;
    }
    return h;
}

const char *hdx_results_sections(const hdx_results *r, size_t i,
                                 size_t *len) noexcept
{
    const hdx_hit &h = with_text(r->hits[i]);
    size_t n = h.text_at ? h.text_at - HDXI_TEXT_VALUE_HEAD : 0;
    if (len)
        *len = n;
    return n ? h.stored.data() + HDXI_TEXT_VALUE_HEAD : "";
}

const char *hdx_results_text(const hdx_results *r, size_t i,
                             size_t *len) noexcept
{
    const hdx_hit &h = with_text(r->hits[i]);
    if (len)
        *len = h.stored.size() - h.text_at;
    return h.stored.c_str() + h.text_at;
}

char *hdx_results_markdown(const hdx_results *r, size_t i) noexcept
{
    std::string z;
    try {
        z = r->hits[i].doc.get_value(HDXI_SLOT_MARKDOWN);
    } catch (...) {
        z.clear();
    }
    char *md = z.empty() ? nullptr : hdx_unzip(z.data(), z.size(), nullptr);
    return md ? md : hdx_xstrdup("");
}

double hdx_results_score(const hdx_results *r, size_t i) noexcept
{
    return r->hits[i].weight;
}

int hdx_results_percent(const hdx_results *r, size_t i) noexcept
{
    return r->hits[i].percent;
}

size_t hdx_results_n_matched_ids(const hdx_results *r, size_t i) noexcept
{
    return r->hits[i].ids.size();
}

const char *hdx_results_matched_id(const hdx_results *r, size_t i,
                                   size_t k) noexcept
{
    return r->hits[i].ids[k].c_str();
}

const char *hdx_results_corrected(const hdx_results *r) noexcept
{
    return r->has_corrected ? r->corrected.c_str() : nullptr;
}

const char *hdx_results_suggestion(const hdx_results *r) noexcept
{
    return r->suggestion.empty() ? nullptr : r->suggestion.c_str();
}

bool hdx_results_relaxed(const hdx_results *r) noexcept
{
    return r->relaxed;
}

size_t hdx_results_n_terms(const hdx_results *r) noexcept
{
    return r->terms.size();
}

const char *hdx_results_term(const hdx_results *r, size_t k,
                             bool *is_stem) noexcept
{
    if (is_stem)
        *is_stem = r->terms[k].second;
    return r->terms[k].first.c_str();
}

size_t hdx_results_n_facets(const hdx_results *r) noexcept
{
    return r->facets.size();
}

void hdx_results_facet(const hdx_results *r, size_t k, const char **facet,
                       const char **value, unsigned *count) noexcept
{
    *facet = r->facets[k].facet.c_str();
    *value = r->facets[k].value.c_str();
    *count = r->facets[k].count;
}

void hdx_results_free(hdx_results *r) noexcept
{
    if (!r)
        return;
    r->db->live_children--;
    delete r;
}

} /* extern "C" */
