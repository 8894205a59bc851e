/*
 * assets.h - the help center's static files (--assets DIR) and the
 * generated theme.css, and the rule for what an asset may be called.
 * A file is served under its name (briefly cached) and under a
 * fingerprinted name, "<stem>.<16 hex>.<ext>" (cached for a year).
 */
#ifndef HDX_SERVER_ASSETS_H
#define HDX_SERVER_ASSETS_H

#include <stdbool.h>

#include "http.h"

#include "hdx/buf.h"

/* The Content-Security-Policy every help center response carries. */
#define WEB_CSP                                                            \
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "        \
    "script-src 'self'; object-src 'none'; base-uri 'none'; "             \
    "frame-ancestors 'none'; form-action 'self'"

/* A plain file name: letters, digits, '.', '-', '_', not starting with
 * '.', no "..". */
bool asset_name_ok(const char *name);
/* The Content-Type served for a file name's extension, or NULL. */
const char *asset_type(const char *name);

/* Serve files from `dir` (copied; trailing '/' dropped), warning once if
 * it holds no style.css.  assets_close() releases it. */
void assets_open(const char *dir);
void assets_close(void);
/* The assets folder (valid between assets_open and assets_close). */
const char *assets_dir(void);

/*
 * Append the URL pages link asset `name` by: "/assets/style.<16 hex>.css",
 * the hex a hash of the file's current bytes (served with a year-long
 * immutable Cache-Control), or "/assets/<name>" when the file cannot be
 * read.  Thread-safe.
 */
void asset_url(hdx_buf *b, const char *name);

/* GET /assets/{name} (name in r->id) and GET /assets/theme.css. */
void handle_asset(request *r, reply *rep);
void handle_theme(request *r, reply *rep);

#endif
