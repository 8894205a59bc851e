/*
 * auth_live.h - the tokens file as the running server sees it.
 *
 * The file stays the source of truth while the server runs: it is read
 * again when it changes (its modification time, size or inode, looked at
 * no more than once a second, by whichever request comes first) and on
 * SIGHUP.  A token removed from the file stops working, and ends its
 * sign-in sessions (auth_request()), from the next request after the
 * reload.  A file that no longer loads (unreadable, readable by others,
 * a bad line) fails closed: no token is accepted until it is fixed, and
 * the reason is logged.  Tables replaced by a reload are kept until
 * auth_live_stop(), because requests in flight still point at their
 * token names.  Thread-safe.
 */
#ifndef HDX_SERVER_AUTH_LIVE_H
#define HDX_SERVER_AUTH_LIVE_H

#include "auth.h"

/* Load `path` (NULL: no tokens) for the first time; the statuses of
 * auth_load().  Nothing is left loaded on failure. */
hdx_status auth_live_start(const char *path, hdx_error *err);

/* The current table (borrowed until auth_live_stop()), re-read first if
 * the file changed. */
const auth *auth_live_get(void);

/* Read the file again now (SIGHUP). */
void auth_live_reload(void);

/* Free every table. */
void auth_live_stop(void);

#endif
