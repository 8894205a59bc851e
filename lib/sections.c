/*
 * sections.c - encode and walk the stored section table (see
 * include/hdx/sections.h for the format and why it is not JSON).
 */
#include "hdx/sections.h"

#include "hdx/le32.h"

#include <stdint.h>
#include <string.h>

void hdx_sections_add(hdx_buf *out, size_t offset, hdx_section_kind kind,
                      const char *heading, const char *anchor)
{
    uint32_t o = offset > UINT32_MAX ? UINT32_MAX : (uint32_t)offset;
    unsigned char rec[5];
    hdx_le32_put(rec, o);
    rec[4] = (unsigned char)kind;
    hdx_buf_add(out, rec, sizeof rec);
    hdx_buf_add(out, heading ? heading : "", strlen(heading ? heading : "") + 1);
    hdx_buf_add(out, anchor ? anchor : "", strlen(anchor ? anchor : "") + 1);
}

/* The NUL-terminated string at t[*pos..len), or NULL if it runs off the
 * end; *pos moves past its NUL. */
static const char *take_string(const char *t, size_t len, size_t *pos)
{
    const char *s = t + *pos;
    const char *nul = memchr(s, '\0', len - *pos);
    if (!nul)
        return NULL;
    *pos = (size_t)(nul - t) + 1;
    return s;
}

bool hdx_sections_next(const char *table, size_t len, size_t *pos,
                       hdx_section_ref *out)
{
    if (!table || *pos >= len || len - *pos < 5)
        return false;
    const unsigned char *u = (const unsigned char *)table + *pos;
    size_t p = *pos + 5;
    const char *h = take_string(table, len, &p);
    const char *a = h ? take_string(table, len, &p) : NULL;
    if (!a)
        return false;
    out->offset = hdx_le32_get(u);
    out->kind = u[4] < HDX_SEC_KIND_COUNT ? (hdx_section_kind)u[4]
                                          : HDX_SEC_OTHER;
    out->heading = h;
    out->anchor = a;
    *pos = p;
    return true;
}

bool hdx_sections_at(const char *table, size_t len, size_t off,
                     hdx_section_ref *out)
{
    size_t pos = 0;
    hdx_section_ref r;
    bool found = false;
    while (hdx_sections_next(table, len, &pos, &r) && r.offset <= off) {
        *out = r;
        found = true;
    }
    return found;
}
