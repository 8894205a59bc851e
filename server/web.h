/*
 * web.h - the self-service help center pages (HTML, assets, feedback).
 */
#ifndef HDX_SERVER_WEB_H
#define HDX_SERVER_WEB_H

#include <stdbool.h>

#include "http.h"

typedef struct web_config {
    const char *assets_dir;   /* folder of static assets (CSS, JS, logo) */
    const char *config_path;  /* branding file, or NULL for defaults */
    const char *feedback_db;  /* SQLite file for feedback, or NULL */
} web_config;

/* Load branding and open the feedback store; message on failure. */
int web_init(const web_config *cfg, char *msg, size_t msg_len);
void web_shutdown(void);

/* Handle the request if it is one of the web routes; false otherwise. */
bool web_route(request *r, reply *rep);

#endif
