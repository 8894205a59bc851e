/*
 * web.c - help center pages.  Until the page lands, GET / points at the API
 * so a newcomer who opens the server in a browser sees where to go.
 */
#include "web.h"

#include <string.h>

int web_init(const web_config *cfg, char *msg, size_t msg_len)
{
    (void)cfg;
    (void)msg;
    (void)msg_len;
    return 0;
}

void web_shutdown(void)
{
}

bool web_route(request *r, reply *rep)
{
    if (strcmp(r->path, "/") != 0)
        return false;
    reply_json(rep, 200,
               json_pack("{s:s, s:[s, s, s]}", "service", "helpdex",
                         "endpoints", "/api/search?q=", "/api/suggest?q=",
                         "/healthz"));
    return true;
}
