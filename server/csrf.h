/*
 * csrf.h - cross-site request forgery checks for the help center's forms.
 *
 * Every state-changing form (sign-in, sign-out, the agents' console, the
 * contact form) is
 * refused unless both hold:
 *   - the browser did not say it comes from another site: a
 *     Sec-Fetch-Site other than same-origin or none, or an Origin whose
 *     host is not this request's Host, is refused (no header, or Origin
 *     "null", which our Referrer-Policy: no-referrer makes browsers send
 *     for our own forms: the token below decides alone);
 *   - it carries the right token in its "csrf" field: the signed-in
 *     session's (session.h, a synchronizer token), or, for the sign-in
 *     form, which has no session yet, the value of the CSRF_SIGNIN_COOKIE
 *     cookie set with the form (double submit).
 * Thread-safe.
 */
#ifndef HDX_SERVER_CSRF_H
#define HDX_SERVER_CSRF_H

#include <stdbool.h>
#include <stddef.h>

#include "form.h"
#include "http.h"

#include "hdx/buf.h"

#define CSRF_FIELD "csrf"
#define CSRF_SIGNIN_COOKIE "hdx_signin"

/* Does nothing in r's headers say it comes from another site? */
bool csrf_same_origin(const request *r);

/* A POST of a signed-in agent's form: same origin, and the form's csrf
 * field is the session's token. */
bool csrf_session_ok(const request *r, const form_data *f);

/* A form without a session (double submit): same origin, and the csrf
 * field equals the cookie `cookie_name`, both `len` characters long. */
bool csrf_cookie_ok(const request *r, const form_data *f,
                    const char *cookie_name, size_t len);

/* The sign-in form: csrf_cookie_ok() with CSRF_SIGNIN_COOKIE. */
bool csrf_signin_ok(const request *r, const form_data *f);

/* <input type="hidden" name="csrf" value="..."> with `token`. */
void csrf_field(hdx_buf *b, const char *token);

/* The 403 page for a refused form. */
void csrf_refuse(reply *rep);

#endif
