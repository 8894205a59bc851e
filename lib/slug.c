/*
 * slug.c - text → URL slug, for default article ids and section anchors.
 *
 * The text is normalised first (hdx_text_normalize: NFKC, case folding,
 * marks stripped), so "Café Crème" becomes "cafe-creme"; runs of anything
 * but letters, digits, '_' and non-ASCII bytes become one '-'.
 */
#include "hdx/article.h"

#include "hdx/buf.h"
#include "hdx/text.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

char *hdx_slugify(const char *s)
{
    hdx_buf norm, out;
    hdx_buf_init(&norm);
    hdx_buf_init(&out);
    /* Invalid UTF-8 is slugified as it is. */
    if (hdx_text_normalize(&norm, s, strlen(s), NULL) != HDX_OK)
        hdx_buf_adds(&norm, s);
    bool dash = false;
    for (const char *p = norm.data; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (isalnum(c) || c == '_' || c >= 0x80) {
            if (dash && out.len)
                hdx_buf_addc(&out, '-');
            dash = false;
            hdx_buf_addc(&out, (char)c);
        } else {
            dash = true;
        }
    }
    hdx_buf_clear(&norm);
    char *slug = hdx_buf_detach(&out);
    hdx_buf_clear(&out);
    return slug;
}
