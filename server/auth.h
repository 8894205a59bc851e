/*
 * auth.h - bearer tokens and caller levels.
 *
 * The tokens file has one `token  level  name` per line (level: agent or
 * internal; '#' comments).  It must not be readable by group or others:
 * auth_load() refuses it otherwise.  Tokens are compared in constant time
 * and never logged; only the name is.
 */
#ifndef HDX_SERVER_AUTH_H
#define HDX_SERVER_AUTH_H

#include <stdbool.h>

#include "hdx/article.h"

#include "http.h"
#include "hdx/hdx.h"

typedef struct auth auth;

/* Load the tokens file (NULL path: no tokens, every caller is public)
 * into *out (caller frees with auth_free()).  HDX_EIO when it cannot be
 * read or other users may read it, HDX_EPARSE for a bad line; err->msg
 * names the file (and line). */
hdx_status auth_load(const char *path, auth **out, hdx_error *err);
/* Accepts NULL. */
void auth_free(auth *a);

/*
 * Check an Authorization header value ("Bearer TOKEN", the scheme in any
 * case, spaces around the token ignored).  Returns true and sets *level
 * and *name (borrowed until auth_free) for a known token; false, with
 * *level public and *name NULL, for anything else.  Thread-safe.
 */
bool auth_check(const auth *a, const char *header, hdx_audience *level,
                const char **name);

/* The same for the token tok[0..len) itself (a signed-in session's). */
bool auth_check_token(const auth *a, const char *tok, size_t len,
                      hdx_audience *level, const char **name);

/*
 * Set r's level, caller, has_token and bad_token from its Authorization
 * header; without one, from its session cookie (session.h: then also
 * signed_in, session_id and csrf; a session whose token is no longer in
 * `a` is ended).  Neither: public, no flag.  The one place a request is
 * authenticated, for the server and its fuzz harness alike.
 */
void auth_request(const auth *a, request *r);

#endif
