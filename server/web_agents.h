/*
 * web_agents.h - the agents' pages of the help center: sign-in and
 * sign-out (web_signin.c) and the known-issue console (web_console.c).
 * docs/agents.md describes them.
 */
#ifndef HDX_SERVER_WEB_AGENTS_H
#define HDX_SERVER_WEB_AGENTS_H

#include "http.h"

/* GET /signin: the form (or, signed in, who you are); POST /signin: check
 * the token, open a session, 303 to the form's "next" page. */
void handle_signin(request *r, reply *rep);
/* POST /signout: end the session, 303 to /signin. */
void handle_signout(request *r, reply *rep);
/* GET /agent/console: the paste box; POST: the matching incidents. */
void handle_console(request *r, reply *rep);

#endif
