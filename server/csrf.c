/*
 * csrf.c - the forms' CSRF checks (see csrf.h).
 */
#include "csrf.h"

#include "html.h"
#include "page.h"
#include "session.h"

#include <string.h>
#include <strings.h>

bool csrf_same_origin(const request *r)
{
    const char *site = http_header(r, "Sec-Fetch-Site");
    if (site && strcasecmp(site, "same-origin") && strcasecmp(site, "none"))
        return false;
    const char *origin = http_header(r, "Origin");
    /* "null": what browsers send for a form posted from a page served
     * with Referrer-Policy: no-referrer (all of ours), as well as from
     * sandboxed and file: pages; Sec-Fetch-Site above and the token
     * decide then. */
    if (!origin || !strcmp(origin, "null"))
        return true;
    const char *host = http_header(r, "Host");
    const char *sep = strstr(origin, "://");
    if (!host || !sep)
        return false;
    const char *o_host = sep + 3;
    size_t n = strcspn(o_host, "/");
    return strlen(host) == n && !strncasecmp(o_host, host, n);
}

bool csrf_session_ok(const request *r, const form_data *f)
{
    return r->signed_in && csrf_same_origin(r) &&
           session_secret_eq(form_get(f, CSRF_FIELD), r->csrf);
}

bool csrf_cookie_ok(const request *r, const form_data *f,
                    const char *cookie_name, size_t len)
{
    const char *cookie = http_cookie(r, cookie_name);
    const char *field = form_get(f, CSRF_FIELD);
    return cookie && field && strlen(cookie) == len && strlen(field) == len &&
           csrf_same_origin(r) && session_secret_eq(field, cookie);
}

bool csrf_signin_ok(const request *r, const form_data *f)
{
    return csrf_cookie_ok(r, f, CSRF_SIGNIN_COOKIE, SESSION_HEX);
}

void csrf_field(hdx_buf *b, const char *token)
{
    hdx_buf_adds(b, "<input type=\"hidden\" name=\"" CSRF_FIELD "\" value=\"");
    web_esc(b, token);
    hdx_buf_adds(b, "\">\n");
}

void csrf_refuse(reply *rep)
{
    web_reply_message(rep, 403, "Form refused",
                      "This form was sent from another site, or it has "
                      "expired. Reload the page and try again.");
}
