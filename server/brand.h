/*
 * brand.h - the help center's branding, read from --branding: a
 * `key = value` file (docs/help-center.md) with the product name, the
 * primary colour, the logo and the support channel.
 */
#ifndef HDX_SERVER_BRAND_H
#define HDX_SERVER_BRAND_H

#include <stdbool.h>

#include "hdx/hdx.h"

typedef struct web_brand {
    char *product_name;    /* "Skylark" → "Skylark Help Center" */
    char primary_color[8]; /* "#rrggbb" */
    char *logo;            /* file name inside the assets dir */
    char *support_url;     /* http(s) URL, or NULL */
    char *support_email;   /* address, or NULL */
} web_brand;

/*
 * Parse a branding file into `out` (defaults first, then the file; NULL
 * path: defaults only).  `assets_dir` is used to check that the logo
 * exists.  HDX_EIO when the file cannot be read; HDX_EPARSE for a bad line
 * (err->msg "file:line: what is wrong", err->line set).  On failure `out`
 * is left cleared.  Free with web_brand_clear().
 */
hdx_status web_brand_load(const char *path, const char *assets_dir,
                          web_brand *out, hdx_error *err);
void web_brand_clear(web_brand *b);

/* Load the server's branding (as web_brand_load) / release it. */
hdx_status brand_open(const char *path, const char *assets_dir,
                      hdx_error *err);
void brand_close(void);

/* Read the branding file again (SIGHUP) and make it the server's; on
 * failure the old one stays and err says why.  One thread at a time;
 * requests may run meanwhile. */
hdx_status brand_reload(const char *path, const char *assets_dir,
                        hdx_error *err);

/* The server's branding (thread-safe); the pointer stays valid until
 * brand_close(), across reloads. */
const web_brand *brand_get(void);

#endif
