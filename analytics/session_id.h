/*
 * session_id.h - the anonymous session id of analytics events.
 *
 * Two kinds, both 32 lowercase hex digits, neither derived from anything
 * that could name the visitor later:
 *
 *  - random: 128 bits from getrandom(), the value of the first-party
 *    cookie hdx_sid the help center sets (docs/analytics.md);
 *  - keyed: for a caller without the cookie, HMAC-SHA256 (RFC 2104,
 *    libnettle) of "IP\nuser agent\nday" under a 256-bit secret drawn at
 *    random when first needed and drawn again at each UTC midnight, cut
 *    to 128 bits.  The secret is only ever in memory: once the day is over
 *    (or the server restarted) nobody, the operator included, can tell
 *    which address or browser an id stood for, or link it to the next
 *    day's.  The IP and the user agent themselves are never stored.
 *
 * Thread-safe (the secret is behind a mutex).
 */
#ifndef HDX_ANALYTICS_SESSION_ID_H
#define HDX_ANALYTICS_SESSION_ID_H

#include <stdbool.h>
#include <time.h>

#include "event.h"

/* A new random id into out (32 hex digits and a NUL). */
void session_id_random(char out[ANALYTICS_SESSION_LEN + 1]);

/* The keyed id of (ip, ua) at time `now` (either string may be NULL:
 * treated as ""). */
void session_id_keyed(const char *ip, const char *ua, time_t now,
                      char out[ANALYTICS_SESSION_LEN + 1]);

/* True if `s` is a session id: exactly 32 lowercase hex digits. */
bool session_id_valid(const char *s);

#endif
