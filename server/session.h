/*
 * session.h - the help center's signed-in sessions, server side.
 *
 * An agent signs in with a token from the tokens file (web_signin.c); the
 * browser then holds only a random session id in a cookie (SESSION_COOKIE).
 * The table maps the id to the token it was opened with, so auth_request()
 * resolves the level from the tokens file as it is now: a token removed
 * from the file (or moved to another level) takes its sessions with it on
 * the next reload.  A session ends when idle for longer than the idle
 * limit, when older than the absolute limit, or on sign-out.  Each session
 * has its own CSRF token (synchronizer token) that every form posted by a
 * signed-in agent carries.  Ids and CSRF tokens are 32 random bytes from
 * getrandom() in hex; they are compared in constant time.  The table is
 * in memory (a restart signs everyone out) and bounded (SESSION_MAX: the
 * least recently used session makes way).  Times are seconds on any
 * monotonic clock, passed in so tests can move them.  Thread-safe.
 */
#ifndef HDX_SERVER_SESSION_H
#define HDX_SERVER_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "base_path.h"
#include "hdx/buf.h"

#define SESSION_COOKIE "hdx_session"
/* The cookies' Path: --base-path, or "/" (base_path.h). */
#define SESSION_COOKIE_PATH base_path_cookie()
#define SESSION_HEX 64 /* hex digits of an id or a CSRF token */
#define SESSION_MAX 10000
#define SESSION_IDLE_DEFAULT (30L * 60)       /* 30 minutes */
#define SESSION_MAX_AGE_DEFAULT (12L * 3600)  /* 12 hours */

/* The limits in seconds (before serving; the defaults otherwise). */
void session_configure(long idle_s, long max_age_s);
long session_max_age(void);

/* End every session and free the table. */
void session_shutdown(void);

/* Open a session for `token` (copied; at most 128 bytes) at `now`: its id
 * and CSRF token into id[] and csrf[] (NUL-terminated hex). */
void session_create(const char *token, double now, char id[SESSION_HEX + 1],
                    char csrf[SESSION_HEX + 1]);

/*
 * The live session `id` at `now`: copies its token into tok[0..tok_cap)
 * and its CSRF token into csrf[], marks it used, returns true.  False for
 * an unknown id and for an expired session (which is ended).
 */
bool session_find(const char *id, double now, char *tok, size_t tok_cap,
                  char csrf[SESSION_HEX + 1]);

/* End session `id` (unknown ids are ignored). */
void session_end(const char *id);

/* Sessions open now (for tests and /metrics). */
size_t session_count(void);

/* n random bytes as 2n hex digits and a NUL into out. */
void session_random_hex(char *out, size_t n);

/* Constant-time equality of two NUL-terminated secrets (NULL: unequal). */
bool session_secret_eq(const char *a, const char *b);

/*
 * Append a Set-Cookie value: name=value, Path=SESSION_COOKIE_PATH,
 * HttpOnly, SameSite=`same_site`, Secure when `secure`, and Max-Age
 * (0 with an empty value: delete the cookie).
 */
void session_cookie(hdx_buf *b, const char *name, const char *value,
                    bool secure, const char *same_site, long max_age);

#endif
