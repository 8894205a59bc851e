/*
 * terms.cc - making terms: prefix + value, kept within HDXI_MAX_TERM
 * bytes by hashing long ones (hdx_hash64) as omega's hash_long_term
 * does, and telling kinds of terms apart.  Prefixes come from the schema
 * table (lib/schema.h); none is spelt here.
 */
#include "hdx/xapian.h"

#include "xapian_int.hh"

#include <cstring>

#include "hdx/alloc.h"
#include "hdx/buf.h"
#include "hdx/hash.h"
#include "hdx/text.h"

namespace hdxi
{

static std::string hex64(const std::string &s)
{
    char buf[17];
    hdx_hash64_hex(hdx_hash64(s.data(), s.size()), buf);
    return buf;
}

/* Terms over HDXI_MAX_TERM keep a prefix of the value and a hash of it, as
 * omega's hash_long_term does, so they stay unique and legal. */
std::string make_term(const std::string &prefix, const std::string &value)
{
    std::string t = prefix + value;
    if (t.size() <= HDXI_MAX_TERM)
        return t;
    size_t keep = HDXI_MAX_TERM - 17;
    /* Do not cut a UTF-8 sequence. */
    while (keep > prefix.size() &&
           (static_cast<unsigned char>(t[keep]) & 0xC0) == 0x80)
        keep--;
    return t.substr(0, keep) + ":" + hex64(t);
}

std::string field_term(hdxi_field f, const std::string &value)
{
    const hdxi_field_def *def = hdxi_schema_field(f);
    if (!def->normalise)
        return make_term(def->prefix, value);
    hdx_buf b;
    hdx_buf_init(&b);
    std::string v = value;
    if (hdx_text_normalize(&b, value.data(), value.size(), nullptr) == HDX_OK)
        v.assign(b.data ? b.data : "", b.len);
    hdx_buf_clear(&b);
    return make_term(def->prefix, v);
}

bool is_prefixed(const std::string &t)
{
    return !t.empty() && t[0] >= 'A' && t[0] <= 'Z';
}

size_t stem_term(const std::string &t)
{
    size_t n = strlen(HDXI_STEM_PREFIX);
    return t.size() > n && t.compare(0, n, HDXI_STEM_PREFIX) == 0 ? n : 0;
}

size_t ident_term(const std::string &t)
{
    const char *p = hdxi_prefix(HDXI_F_IDENT);
    size_t n = strlen(p);
    return t.compare(0, n, p) == 0 ? n : 0;
}

} /* namespace hdxi */

extern "C" hdx_status hdxi_term_make(const char *prefix, const char *value,
                                     char **out, hdx_error *err) noexcept
{
    *out = nullptr;
    try {
        *out = hdx_xstrdup(hdxi::make_term(prefix, value).c_str());
        return HDX_OK;
    } catch (...) {
        return hdxi::translate(err, __func__);
    }
}
