/*
 * web_signin.c - the agents' sign-in and sign-out pages (web_agents.h).
 *
 * The token an agent types is checked against the tokens file as it is
 * now (auth_live.h) and never stored in the browser: the answer sets a
 * random session id (session.h) in an HttpOnly, SameSite=Lax cookie
 * scoped to SESSION_COOKIE_PATH, Secure over TLS.  A failed sign-in is
 * counted against the client's address (signin_guard.h) and logged with
 * that address, never with what was typed.
 */
#include "web_agents.h"
#include "base_path.h"

#include "auth_live.h"
#include "csrf.h"
#include "form.h"
#include "html.h"
#include "page.h"
#include "session.h"
#include "signin_guard.h"
#include "web_seo.h"

#include "hdx/buf.h"

#include <stdio.h>
#include <string.h>

#define HOME_OF_AGENTS "/agent/console"


/* A local page to go to after signing in: "/..." but not "//host" or a
 * backslash trick; anything else is the console. */
static const char *next_page(const char *next)
{
    if (!next || next[0] != '/' || next[1] == '/' || strchr(next, '\\') ||
        strlen(next) > 512 || strpbrk(next, "\r\n"))
        return HOME_OF_AGENTS;
    return next;
}

static void set_cookie(reply *rep, const request *r, const char *name,
                       const char *value, const char *same_site, long age)
{
    hdx_buf c;
    hdx_buf_init(&c);
    session_cookie(&c, name, value, seo_https(r), same_site, age);
    reply_header(rep, "Set-Cookie", c.data);
    hdx_buf_clear(&c);
}

static void redirect(reply *rep, const char *to)
{
    web_reply_message(rep, 303, "See other", "Continue to the next page.");
    hdx_buf loc;
    hdx_buf_init(&loc);
    base_url(&loc, to); /* `to` is under the prefix (next_page()) */
    reply_header(rep, "Location", loc.data);
    hdx_buf_clear(&loc);
    reply_header(rep, "Cache-Control", "private, no-store");
}

/* The sign-in form, with a fresh double-submit token in its cookie. */
static void signin_form(request *r, reply *rep, int status, const char *error,
                        const char *notice, const char *next)
{
    char tok[SESSION_HEX + 1];
    session_random_hex(tok, SESSION_HEX / 2);
    hdx_buf b;
    hdx_buf_init(&b);
    web_page_begin(&b, "Agent sign-in", "");
    hdx_buf_adds(&b, "<div class=\"narrow signin\">\n<h1>Agent sign-in</h1>\n"
                     "<p>Support agents: sign in with the access token your "
                     "administrator gave you to see agent-only articles, "
                     "sections and the known-issue console.</p>\n");
    if (error) {
        hdx_buf_adds(&b, "<p class=\"form-error\" role=\"alert\">");
        web_esc(&b, error);
        hdx_buf_adds(&b, "</p>\n");
    }
    if (notice) {
        hdx_buf_adds(&b, "<p class=\"form-notice\" role=\"status\">");
        web_esc(&b, notice);
        hdx_buf_adds(&b, "</p>\n");
    }
    hdx_buf_adds(&b, "<form method=\"post\" action=\"");
    base_url(&b, "/signin\">\n");
    csrf_field(&b, tok);
    hdx_buf_adds(&b, "<input type=\"hidden\" name=\"next\" value=\"");
    web_esc(&b, next_page(next));
    hdx_buf_adds(&b, "\">\n<label for=\"token\">Access token</label>\n"
                     "<input id=\"token\" name=\"token\" type=\"password\" "
                     "autocomplete=\"current-password\" required autofocus "
                     "maxlength=\"128\">\n"
                     "<button type=\"submit\">Sign in</button>\n</form>\n"
                     "</div>\n");
    web_page_end(&b);
    web_reply_html(rep, status, &b);
    hdx_buf_clear(&b);
    set_cookie(rep, r, CSRF_SIGNIN_COOKIE, tok, "Strict", 3600);
    reply_header(rep, "Cache-Control", "private, no-store");
}

/* Signed in already: who, and the way out. */
static void signed_in_page(const request *r, reply *rep)
{
    hdx_buf b;
    hdx_buf_init(&b);
    web_page_begin(&b, "Signed in", "");
    hdx_buf_adds(&b, "<div class=\"narrow signin\">\n<h1>Signed in</h1>\n"
                     "<p>You are signed in as <strong>");
    web_esc(&b, r->caller);
    hdx_buf_adds(&b, "</strong> (");
    web_esc(&b, hdx_audience_name(r->level));
    hdx_buf_adds(&b, "). <a href=\"");
    base_url(&b, HOME_OF_AGENTS "\">Open the known-issue console</a>.</p>\n"
                 "</div>\n");
    web_page_end(&b);
    web_reply_html(rep, 200, &b);
    hdx_buf_clear(&b);
}

/* POST /signin: the checks in order, then the session. */
static void signin_post(request *r, reply *rep)
{
    form_data f;
    form_parse(&f, r->body.data, r->body.len);
    const char *next = form_get(&f, "next");
    double now = http_now_ms() / 1000.0;
    long retry;
    const char *tok = form_get(&f, "token");
    hdx_audience level;
    const char *name;
    if (r->body_too_large || !csrf_signin_ok(r, &f)) {
        csrf_refuse(rep);
    } else if (!signin_guard_allows(r->client, now, &retry)) {
        signin_guard_limited();
        char secs[32];
        snprintf(secs, sizeof secs, "%ld", retry);
        web_reply_message(rep, 429, "Too many attempts",
                          "Too many failed sign-ins from your address. Wait "
                          "a few minutes, then try again.");
        reply_header(rep, "Retry-After", secs);
    } else if (!tok || !auth_check_token(auth_live_get(), tok, strlen(tok),
                                         &level, &name) ||
               level < HDX_AUD_AGENT) {
        signin_guard_failed(r->client, now);
        fprintf(stderr, "helpdex-serve: failed sign-in from %s\n",
                r->client ? r->client : "-");
        signin_form(r, rep, 401, "That access token is not valid.", NULL,
                    next);
    } else {
        char id[SESSION_HEX + 1], csrf[SESSION_HEX + 1];
        if (r->signed_in) /* a new id for every sign-in: no fixation */
            session_end(r->session_id);
        session_create(tok, now, id, csrf);
        fprintf(stderr, "helpdex-serve: %s signed in from %s\n", name,
                r->client ? r->client : "-");
        redirect(rep, next_page(next));
        set_cookie(rep, r, SESSION_COOKIE, id, "Lax", session_max_age());
        set_cookie(rep, r, CSRF_SIGNIN_COOKIE, "", "Strict", 0);
    }
    form_clear(&f);
}

void handle_signin(request *r, reply *rep)
{
    if (!strcmp(r->method, "POST"))
        signin_post(r, rep);
    else if (r->signed_in)
        signed_in_page(r, rep);
    else
        signin_form(r, rep, 200, NULL,
                    http_arg(r, "out") ? "You are signed out." : NULL,
                    http_arg(r, "next"));
}

void handle_signout(request *r, reply *rep)
{
    form_data f;
    form_parse(&f, r->body.data, r->body.len);
    bool ok = csrf_session_ok(r, &f);
    form_clear(&f);
    if (!r->signed_in) {
        redirect(rep, "/signin");
        return;
    }
    if (!ok) {
        csrf_refuse(rep);
        return;
    }
    session_end(r->session_id);
    fprintf(stderr, "helpdex-serve: %s signed out\n", r->caller);
    redirect(rep, "/signin?out=1");
    set_cookie(rep, r, SESSION_COOKIE, "", "Lax", 0);
}
