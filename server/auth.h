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

typedef struct auth auth;

/* NULL path: no tokens (every caller is public).  On error returns NULL
 * and writes a message (with file and line) to msg. */
auth *auth_load(const char *path, char *msg, size_t msg_len);
void auth_free(auth *a);

/*
 * Check an Authorization header value.  Returns true and sets *level and
 * *name for a known bearer token; false for an unknown one.
 */
bool auth_check(const auth *a, const char *header, hdx_audience *level,
                const char **name);

#endif
