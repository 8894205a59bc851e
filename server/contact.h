/*
 * contact.h - the help center's contact page (/contact): the form, its
 * article suggestions (deflect.h) and the hand-off to support.
 *
 *   GET /contact         the form; ?q=&articles= pre-fill what the
 *                        customer searched and read (the escalation
 *                        panels link here), ?subject=&description= (the
 *                        "Find articles" button without JavaScript) show
 *                        the suggestions.  Records contact_open.
 *   POST /contact        CSRF-checked; records escalation and hands the
 *                        customer to the branding's support_url (303 with
 *                        the fields as query parameters) or support_email
 *                        (a page with a prefilled mailto: link).
 *
 * What the customer searched and read travels in the form (hidden fields
 * filled from the query string and by web/app.js from sessionStorage);
 * the server keeps no per-session list of it.  web_contact.c renders,
 * contact_handoff.c answers the POST.
 */
#ifndef HDX_SERVER_CONTACT_H
#define HDX_SERVER_CONTACT_H

#include "form.h"
#include "http.h"

#include "hdx/buf.h"

#include <stdbool.h>

/* The double-submit CSRF cookie set with the form; the form's "csrf"
 * field must equal it (csrf_cookie_ok). */
#define CONTACT_COOKIE "hdx_contact"
#define CONTACT_MAX_SUBJECT 200u
#define CONTACT_MAX_DESCRIPTION 4000u /* what the hand-off carries */

/* GET and POST /contact. */
void handle_page_contact(request *r, reply *rep);

/* POST /contact (contact_handoff.c). */
void contact_post(request *r, reply *rep);

/* The where-to-get-help sentence when no support channel is configured
 * (names the product, never helpdex). */
void contact_no_channel(hdx_buf *b);

#endif
