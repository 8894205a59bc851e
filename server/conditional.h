/*
 * conditional.h - entity tags and conditional GETs (RFC 9110 8.8.3,
 * 13.1.2), and the last step every reply goes through.
 *
 * One helper decides "ETag + If-None-Match → 304" for every route: the
 * media route tags a file by its size and modification time, everything
 * else (assets, pages, API answers, cached or not) by a hash of its body.
 * A gzip-coded reply carries its tag with "-gz" appended (a different
 * representation needs a different strong tag), and If-None-Match
 * matches either form, so a client that cached one coding revalidates
 * against the other.  Thread-safe.
 */
#ifndef HDX_SERVER_CONDITIONAL_H
#define HDX_SERVER_CONDITIONAL_H

#include <stdbool.h>

#include "http.h"

/* Does If-None-Match value `inm` (NULL: absent) match entity tag `etag`
 * ("\"...\"" or "W/\"...\"")?  Weak comparison: W/ and a "-gz" suffix
 * are ignored on both sides; "*" matches anything. */
bool conditional_match(const char *inm, const char *etag);

/*
 * Set `etag` as rep's ETag and tell whether r's If-None-Match matches
 * it: then the caller answers 304 (conditional_not_modified()).
 */
bool conditional_etag(const request *r, reply *rep, const char *etag);

/* Room for a body tag: W/, quotes, 16 hex digits, NUL. */
#define CONDITIONAL_TAG_LEN 24

/* The tag of rep's body: FNV-1a of it without its took_ms span, weak
 * (W/"...") when it has one (the response cache stores it, so a hit is
 * not hashed again). */
void conditional_body_tag(const reply *rep, char out[CONDITIONAL_TAG_LEN]);

/* Turn `rep` into a 304 Not Modified: no body, headers kept. */
void conditional_not_modified(reply *rep);

/*
 * The last step of every reply (server/main.c): for a GET or HEAD 200
 * with no ETag yet, tag it by its body's hash (conditional_body_tag);
 * answer 304 when If-None-Match matches its tag; then gzip it when
 * compress_wanted() says so.
 */
void reply_finish(const request *r, reply *rep);

#endif
