/*
 * assets.h - the help center's static files (--assets DIR) and the
 * generated theme.css, and the rule for what an asset may be called.
 */
#ifndef HDX_SERVER_ASSETS_H
#define HDX_SERVER_ASSETS_H

#include <stdbool.h>

#include "http.h"

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

/* GET /assets/{name} (name in r->id) and GET /assets/theme.css. */
void handle_asset(request *r, reply *rep);
void handle_theme(request *r, reply *rep);

#endif
