/*
 * html.c - HTML escaping and URL encoding (see html.h).
 */
#include "html.h"
#include "base_path.h"

#include "hdx/alloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void web_esc(hdx_buf *b, const char *s)
{
    if (s)
        hdx_buf_add_html(b, s, strlen(s));
}

void web_urlenc(hdx_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;
         p++) {
        if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            hdx_buf_addc(b, (char)*p);
        } else {
            hdx_buf_addc(b, '%');
            hdx_buf_addc(b, hex[*p >> 4]);
            hdx_buf_addc(b, hex[*p & 15]);
        }
    }
}

void web_url_attr(hdx_buf *b, const char *s)
{
    hdx_buf tmp;
    hdx_buf_init(&tmp);
    web_urlenc(&tmp, s);
    web_esc(b, tmp.data);
    hdx_buf_clear(&tmp);
}

void web_article_path(hdx_buf *b, const char *id)
{
    web_id_path(b, "/a/", id);
}

void web_article_href(hdx_buf *b, const char *id)
{
    hdx_buf path;
    hdx_buf_init(&path);
    web_article_path(&path, id);
    web_esc(b, path.data);
    hdx_buf_clear(&path);
}

void web_id_path(hdx_buf *b, const char *base, const char *id)
{
    base_url(b, base);
    const char *p = id ? id : "";
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        char *seg = hdx_xstrndup(p, n);
        web_urlenc(b, seg);
        free(seg);
        p += n;
        if (*p == '/') {
            hdx_buf_addc(b, '/');
            p++;
        }
    }
}
