/*
 * schema.c - the field table, visibility terms, facet encoding and
 * metadata keys of the index (see lib/schema.h and docs/index-schema.md).
 *
 * Prefixes follow Omega's termprefixes.rst: single capitals for the
 * standard ones (Q unique id, S title, K tag), X... for our own.  This is
 * the only file that spells a prefix; `make lint` checks that.
 */
#include "schema.h"

#include "hdx/alloc.h"
#include "hdx/hash.h"
#include "hdx/text.h"

#include <stdlib.h>
#include <string.h>

static const hdxi_field_def k_fields[HDXI_F_COUNT] = {
    {HDXI_F_UID, NULL, "Q", HDXI_BOOLEAN, false},
    {HDXI_F_ID, "id", "XI", HDXI_BOOLEAN, true},
    {HDXI_F_PATH, NULL, "XF", HDXI_BOOLEAN, false},
    {HDXI_F_TYPE, "type", "XT", HDXI_BOOLEAN, true},
    {HDXI_F_AUDIENCE, NULL, "XA", HDXI_BOOLEAN, false},
    {HDXI_F_STATUS, NULL, "XS", HDXI_BOOLEAN, false},
    {HDXI_F_PRODUCT, "product", "XP", HDXI_BOOLEAN, true},
    {HDXI_F_TAG, "tag", "K", HDXI_BOOLEAN, true},
    {HDXI_F_TITLE, "title", "S", HDXI_TEXT, true},
    {HDXI_F_HEADING, "heading", "XH", HDXI_TEXT, true},
    {HDXI_F_SYMPTOMS, "symptoms", "XY", HDXI_TEXT, true},
    {HDXI_F_CODE, "code", "XC", HDXI_TEXT, true},
    {HDXI_F_IDENT, NULL, "XE", HDXI_IDENT, false},
    {HDXI_F_VISIBLE, NULL, "XV", HDXI_MARK, false},
    {HDXI_F_DRAFT, NULL, "XW", HDXI_MARK, false},
    {HDXI_F_SPELLED, NULL, "XSP", HDXI_MARK, false},
    {HDXI_F_CATEGORY, "category", "XBC", HDXI_BOOLEAN, false},
    {HDXI_F_SECTION, "section", "XBS", HDXI_BOOLEAN, false},
    {HDXI_F_ALIAS, NULL, "XU", HDXI_BOOLEAN, false},
    {HDXI_F_PAIR, NULL, "XJ", HDXI_PAIR, false},
};

const char HDXI_STEM_PREFIX[] = "Z";

const char HDXI_FIELD_UPDATED[] = "updated";
const char HDXI_META_GENERATION[] = "hdx:generation";
const char HDXI_META_SCHEMA[] = "hdx:schema";
const char HDX_META_SYNONYMS[] = "hdx:synonyms";
const char HDX_META_BROWSE[] = "hdx:browse";
const char HDX_META_BROWSE_LAYOUT[] = "hdx:browse-layout";
const char HDX_META_FILE_PREFIX[] = "f:";
static const char k_meta_id_prefix[] = "i:";

/* Longest metadata key written as is; longer ones are hashed (Xapian's
 * limit for metadata keys is a little over this). */
#define META_KEY_MAX 200

const hdxi_field_def *hdxi_schema_field(hdxi_field f)
{
    return &k_fields[(unsigned)f < HDXI_F_COUNT ? f : HDXI_F_UID];
}

const char *hdxi_prefix(hdxi_field f)
{
    return hdxi_schema_field(f)->prefix;
}

bool hdxi_visibility_term(hdx_audience level, bool draft, char out[4])
{
    static const char letter[HDX_AUD_COUNT] = {'p', 'a', 'i'};
    unsigned l = (unsigned)level < HDX_AUD_COUNT ? (unsigned)level : 0;
    out[0] = '\0';
    if (draft && l == HDX_AUD_PUBLIC)
        return false;
    const char *p = hdxi_prefix(draft ? HDXI_F_DRAFT : HDXI_F_VISIBLE);
    out[0] = p[0];
    out[1] = p[1];
    out[2] = letter[l];
    out[3] = '\0';
    return true;
}

#define FACET_RS '\x1e' /* between product, type and the tags */
#define FACET_US '\x1f' /* between tags */

void hdxi_facets_encode(hdx_buf *b, const char *product, const char *type,
                        const char *const *tags, size_t n_tags)
{
    hdx_buf_adds(b, product ? product : "");
    hdx_buf_addc(b, FACET_RS);
    hdx_buf_adds(b, type ? type : "");
    hdx_buf_addc(b, FACET_RS);
    for (size_t i = 0; i < n_tags; i++) {
        if (i)
            hdx_buf_addc(b, FACET_US);
        hdx_buf_adds(b, tags[i]);
    }
}

const char *hdxi_facet_name(hdxi_facet f)
{
    static const char *const names[HDXI_FACET_COUNT] = {"product", "type",
                                                        "tag"};
    return names[(unsigned)f < HDXI_FACET_COUNT ? f : 0];
}

void hdxi_facets_decode(const char *v, size_t len, hdxi_facet_fn fn,
                        void *ctx)
{
    const char *end = v + len;
    const char *a = memchr(v, FACET_RS, len);
    const char *b = a ? memchr(a + 1, FACET_RS, (size_t)(end - a - 1)) : NULL;
    if (!b)
        return;
    if (a > v)
        fn(HDXI_FACET_PRODUCT, v, (size_t)(a - v), ctx);
    if (b > a + 1)
        fn(HDXI_FACET_TYPE, a + 1, (size_t)(b - a - 1), ctx);
    for (const char *i = b + 1; i < end;) {
        const char *j = memchr(i, FACET_US, (size_t)(end - i));
        if (!j)
            j = end;
        if (j > i)
            fn(HDXI_FACET_TAG, i, (size_t)(j - i), ctx);
        i = j + 1;
    }
}

bool hdxi_slot_date(const char *d, char out[9])
{
    if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return false;
    const char ymd[8] = {d[0], d[1], d[2], d[3], d[5], d[6], d[8], d[9]};
    for (int i = 0; i < 8; i++)
        if (ymd[i] < '0' || ymd[i] > '9')
            return false;
    memcpy(out, ymd, 8);
    out[8] = '\0';
    return true;
}

/* ---- ids and metadata keys -------------------------------------------- */

char *hdx_id_key(const char *id)
{
    return hdx_text_normalized(id ? id : "");
}

static char *meta_key(const char *prefix, const char *s)
{
    hdx_buf b;
    hdx_buf_init(&b);
    hdx_buf_adds(&b, prefix);
    if (strlen(s) <= META_KEY_MAX) {
        hdx_buf_adds(&b, s);
    } else {
        char hex[17];
        hdx_hash64_hex(hdx_hash64_str(s), hex);
        hdx_buf_addc(&b, '#');
        hdx_buf_adds(&b, hex);
    }
    char *k = hdx_buf_detach(&b);
    hdx_buf_clear(&b);
    return k;
}

char *hdx_meta_key_file(const char *path)
{
    return meta_key(HDX_META_FILE_PREFIX, path ? path : "");
}

char *hdx_meta_key_id(const char *id)
{
    char *key = hdx_id_key(id);
    char *k = meta_key(k_meta_id_prefix, key);
    free(key);
    return k;
}
