/*
 * deflect.h - the contact form's article suggestions (ticket-form
 * deflection): the search behind GET /api/deflect and the no-JavaScript
 * suggestions of GET /contact.
 *
 * The subject and the description a customer types are searched as the
 * help center searches (the caller's visibility filter, articles and FAQs
 * only).  A long description, or one of several lines, is pasted text (an
 * error message, a log): it is searched as the known-issue lookup reads
 * pasted text (its identifiers and most distinctive words), never refused
 * for its syntax.  Text over DEFLECT_MAX_TEXT bytes is cut there.
 */
#ifndef HDX_SERVER_DEFLECT_H
#define HDX_SERVER_DEFLECT_H

#include "http.h"

#include "hdx/hdx.h"
#include "hdx/xapian.h"

#include <stdbool.h>

#define DEFLECT_MAX_TEXT (8u * 1024u) /* bytes of subject + description */
#define DEFLECT_PASTED 200u           /* a longer description is pasted */
#define DEFLECT_HITS 5u               /* suggestions shown */

/*
 * The suggestions for `subject` and `description` (either may be NULL)
 * for this caller.  HDX_OK with *res NULL when there is nothing to search
 * (no words); else the caller frees *res.  HDX_EINVAL (err set) when the
 * text is not UTF-8.  *pasted tells which way the text was read.
 */
hdx_status deflect_run(const request *r, const char *subject,
                       const char *description, hdx_results **res,
                       bool *pasted, hdx_error *err);

/* GET /api/deflect?subject=&description= (public JSON, docs/api.md). */
void handle_deflect(request *r, reply *rep);

#endif
