/*
 * signin_guard.h - the rate limit on failed sign-ins, per client address.
 *
 * A client (client_ip.h: the TCP peer, or a trusted proxy's
 * X-Forwarded-For) that fails GUARD_MAX_FAILS sign-ins within
 * GUARD_WINDOW_S seconds is refused further attempts, right or wrong,
 * until that window has passed since its first failure.  A successful
 * sign-in does not reset the count.  The table holds GUARD_CLIENTS
 * addresses; when full, the oldest window makes way.  Times are seconds
 * on a monotonic clock, passed in.  Thread-safe.
 */
#ifndef HDX_SERVER_SIGNIN_GUARD_H
#define HDX_SERVER_SIGNIN_GUARD_H

#include <stdbool.h>

#define GUARD_MAX_FAILS 5
#define GUARD_WINDOW_S 300
#define GUARD_CLIENTS 4096

/* May `client` try to sign in at `now`?  False with *retry_s, the
 * seconds until it may (at least 1). */
bool signin_guard_allows(const char *client, double now, long *retry_s);

/* Count a failed sign-in of `client` at `now`. */
void signin_guard_failed(const char *client, double now);

/* Failed sign-ins counted, and sign-ins refused by the limit (429),
 * since the start; for /metrics. */
void signin_guard_counts(unsigned long *failed, unsigned long *limited);

/* Count a sign-in refused by the limit. */
void signin_guard_limited(void);

/* Forget every client (tests; shutdown). */
void signin_guard_reset(void);

#endif
