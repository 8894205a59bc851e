/*
 * base_path.h - the --base-path prefix: helpdex mounted under "/help"
 * behind a reverse proxy that passes the full path on.
 *
 * The one owner of the prefix.  The dispatcher strips it from every
 * incoming path once (base_path_strip(), called by main.c before the
 * route is looked up), so the route table and the handlers only ever see
 * root-relative paths ("/a/x"); everything that writes a URL a browser
 * follows (links, assets, form actions, Location, cookie paths, the
 * JavaScript's endpoints) writes it through base_url() or base_path(),
 * so with no prefix (the default) every URL is what it always was.
 *
 * The prefix is set once, before the daemon starts, and only read after:
 * thread-safe.  Nothing here allocates except base_url() into the
 * caller's buffer.
 */
#ifndef HDX_SERVER_BASE_PATH_H
#define HDX_SERVER_BASE_PATH_H

#include "hdx/buf.h"

#include <stdbool.h>

#define BASE_PATH_MAX 128 /* bytes of the prefix */

/* Is `p` a valid --base-path: "/" or "/seg[/seg...]" without a trailing
 * '/', no "." or ".." segment, no empty segment, none of "?#%\\" nor
 * spaces or controls, at most BASE_PATH_MAX bytes?  If not, *why says
 * what is wrong (a static string). */
bool base_path_valid(const char *p, const char **why);

/* Set the prefix (copied; "/" or NULL: none).  Call once, with a value
 * base_path_valid() accepted, before requests are served. */
void base_path_set(const char *p);

/* The prefix without a trailing '/' ("/help"), or "" for none. */
const char *base_path(void);

/* The Path of a cookie for the whole help center: the prefix, or "/". */
const char *base_path_cookie(void);

/* Append prefix + `path` (root-relative: "/search", "/a/x?q=y"). */
void base_url(hdx_buf *b, const char *path);

/*
 * Strip the prefix from the incoming `path` in place: "/help/a/x" →
 * "/a/x", "/help" → "/".  False for a path outside the prefix, which
 * is then left as it is (the dispatcher answers 404), except /healthz,
 * /readyz and /metrics, which also answer at the root for local health
 * checks and scrapers.  With no prefix, always true and unchanged.
 */
bool base_path_strip(char *path);

#endif
