/*
 * schema.h - the analytics store: one SQLite file of events.
 *
 * The one owner of the store's layout.  helpdex-serve writes events
 * (recorder), helpdex-report and the /admin dashboard read them (report);
 * the month generator of tests/ writes them through this file as well,
 * so every reader and writer agrees on the columns below.
 *
 * One row is one event.  Columns (NULL where they do not apply):
 *
 *   ts         Unix time in seconds, UTC
 *   session    the anonymous session id: 32 lowercase hex characters,
 *              never an IP address or a user agent (docs/analytics.md)
 *   audience   'public', 'agent' or 'internal': the caller's level.
 *              Reports count 'public' unless asked otherwise, so agents'
 *              and staff's traffic never mixes with customers'.
 *   kind       one of ANALYTICS_KINDS:
 *                search        a search; typeahead=1 for search-as-you-type
 *                click         a result opened from a search (position,
 *                              article, query)
 *                view          an article page read
 *                feedback      "was this helpful": helpful 1/0, comment
 *                contact_open  the contact form was opened
 *                escalation    the customer contacted support (the contact
 *                              form was submitted, or a "contact us" link
 *                              followed); article: the last one read
 *                conversion    a site reported success (POST /api/events)
 *   source     'api', 'web', 'contact' (the contact form's suggestions)
 *              or 'events-api'
 *   query      the normalised query (search; click: the query it came from)
 *   results    search: the number of matches
 *   relaxed    search: 1 if no document had every word and the query was
 *              relaxed, else 0
 *   corrected  search: 1 if a spelling correction was made or offered
 *   typeahead  search: 1 for search-as-you-type, else 0
 *   article    click, view, feedback, escalation, conversion: article id
 *   position   click: 1-based rank of the result
 *   helpful    feedback: 1 yes, 0 no
 *   comment    feedback: the reader's words, at most 1,000 bytes
 *   product, locale   of the search's filter or the article, when known
 */
#ifndef HDX_ANALYTICS_SCHEMA_H
#define HDX_ANALYTICS_SCHEMA_H

#include "hdx/hdx.h"

#include <sqlite3.h>
#include <stdbool.h>

/* Bumped when the layout changes; stored in the meta table. */
#define ANALYTICS_SCHEMA_VERSION "2"

/* The kinds of event, in the order of the CHECK constraint. */
#define ANALYTICS_KINDS                                                     \
    "search", "click", "view", "feedback", "contact_open", "escalation",    \
        "conversion"

/*
 * Open the store at `path` into *out (the caller closes it with
 * sqlite3_close()).  With `create`, a missing file is made and the tables
 * created; without, a missing file is HDX_ENOTFOUND.  A file of another
 * schema version, or not an analytics store, is HDX_EDB_OPEN.  WAL mode,
 * so readers (reports) never block the writer.  err->msg names the file.
 */
hdx_status analytics_open(const char *path, bool create, sqlite3 **out,
                          hdx_error *err);

#endif
