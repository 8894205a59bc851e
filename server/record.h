/*
 * record.h - what helpdex-serve records for analytics, from a request.
 *
 * The hooks turn what a handler knows into an analytics_event (copies of
 * a few strings) and hand it to the recorder (analytics/recorder.h),
 * which writes it on its own thread; nothing here touches SQLite or
 * waits.  Every hook returns at once when recording is off (no
 * --analytics-db).  docs/analytics.md lists what each event stores.
 *
 * The session id (r->session, worked out once per request):
 *   1. an X-Session-Id header of 32 lowercase hex digits (an embedding
 *      site's own anonymous id), else
 *   2. the hdx_sid cookie when it is such an id, else
 *   3. on a help-center page (page routes) for a public caller: a new
 *      random id, sent as the cookie (HttpOnly, SameSite=Lax, Path=/,
 *      Secure when --public-url is https, no expiry: it ends with the
 *      browser session), else
 *   4. the keyed hash of (client address, User-Agent, UTC day)
 *      (analytics/session_id.h), made by the recorder's writer thread.
 * The address and the user agent are inputs of (4) only, never stored.
 *
 * The audience is the caller's level (r->level), so agents' and staff's
 * use is kept apart from customers'.  Thread-safe.
 */
#ifndef HDX_SERVER_RECORD_H
#define HDX_SERVER_RECORD_H

#include "http.h"
#include "routes.h"

#include "analytics/event.h"

#include <stdbool.h>

/* The first-party cookie of the anonymous session id. */
#define SID_COOKIE "hdx_sid"

/* True when events are recorded (a recorder runs). */
bool record_on(void);

/* After a route's handler (or the cache) answered: the search event of
 * a reply that carries one (rep->search), and the session cookie of a
 * help-center page.  Called by routes.c for every request. */
void record_reply(const route *rt, request *r, reply *rep);

/* The session id of `r` (see above; borrowed from r), or "" when it is
 * the keyed one (4), which the recorder's writer makes from the address
 * and user agent record_submit() passes on; `rep` may get the cookie
 * when `page` is true. */
const char *record_session(request *r, reply *rep, bool page);

/* An article page was read: `article` (copied) at r's level. */
void record_view(request *r, reply *rep, const char *article);

/* A "was this helpful" vote; comment and query may be NULL. */
void record_feedback(request *r, const char *article, bool helpful,
                     const char *comment, const char *query);

/* Fill in ev's session (unless set), audience and source from r and
 * queue it (the recorder takes ev's strings; *ev is left cleared).
 * False if it was dropped or recording is off. */
bool record_submit(request *r, analytics_event *ev, const char *source);

#endif
