/*
 * status.h - the one table from libhelpdex statuses to HTTP answers.
 *
 * Each hdx_status has an HTTP code, the API's error code word, a public
 * message (internals never reach the caller; they go to the log), and the
 * heading and text a help center page shows.  reply_status() renders a
 * row as the API's JSON error; web_reply_status() (page.h) as a page.
 */
#ifndef HDX_SERVER_STATUS_H
#define HDX_SERVER_STATUS_H

#include <stdbool.h>

#include "http.h"

#include "hdx/hdx.h"

typedef struct status_info {
    int http;               /* 200 for HDX_OK */
    const char *code;       /* error.code word, NULL for HDX_OK */
    const char *message;    /* public message; NULL: err->msg is public */
    const char *heading;    /* help center page heading */
    const char *text;       /* help center page text */
    bool retry;             /* answer carries Retry-After: 1 */
    bool log;               /* details go to the server log */
} status_info;

/* The row of `st` (static, never NULL; out-of-range statuses get the
 * HDX_EINTERNAL row).  Thread-safe. */
const status_info *status_info_of(hdx_status st);

/* The public message of a failure: err->msg where the row says it is
 * public (bad queries), else the row's message. */
const char *status_message(hdx_status st, const hdx_error *err);

/* Log the failure once if its row says so ("helpdex-serve: where: msg"). */
void status_log(hdx_status st, const hdx_error *err);

/* Fill `rep` with the JSON error of `st` (nothing for HDX_OK), adding
 * Retry-After where the row says so; logs internals. */
void reply_status(reply *rep, hdx_status st, const hdx_error *err);

#endif
