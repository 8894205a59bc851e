/*
 * status.c - the status table (see status.h).
 */
#include "status.h"

#include <stdio.h>

#define BUSY_TEXT "The help center is being updated. Please try again in a " \
                  "moment."
#define FAIL_TEXT "Something went wrong. Please try again."

static const status_info k_rows[HDX_STATUS_COUNT] = {
    [HDX_OK] = {200, NULL, NULL, NULL, NULL, false, false},
    [HDX_ENOMEM] = {500, "internal", "internal error",
                    "Something went wrong", FAIL_TEXT, false, true},
    [HDX_EINVAL] = {400, "bad_query", NULL, "Search failed",
                    "That search could not be understood. Try fewer "
                    "special characters.", false, false},
    [HDX_ENOTFOUND] = {404, "not_found", "no such document", "Not found",
                       "We couldn't find that page.", false, false},
    [HDX_EDB_OPEN] = {500, "internal", "internal error",
                      "Something went wrong", FAIL_TEXT, false, true},
    [HDX_EDB_LOCKED] = {503, "busy", "the index is being updated; retry",
                        "Please try again", BUSY_TEXT, true, false},
    [HDX_EDB_CORRUPT] = {500, "internal", "internal error",
                         "Something went wrong", FAIL_TEXT, false, true},
    [HDX_EDB_MODIFIED] = {503, "busy", "the index is being updated; retry",
                          "Please try again", BUSY_TEXT, true, false},
    [HDX_EDB] = {500, "internal", "internal error", "Something went wrong",
                 FAIL_TEXT, false, true},
    [HDX_EQUERY] = {400, "bad_query", NULL, "Search failed",
                    "That search could not be understood. Try fewer "
                    "special characters.", false, false},
    [HDX_EIO] = {500, "internal", "internal error", "Something went wrong",
                 FAIL_TEXT, false, true},
    [HDX_EPARSE] = {500, "internal", "internal error",
                    "Something went wrong", FAIL_TEXT, false, true},
    [HDX_EINTERNAL] = {500, "internal", "internal error",
                       "Something went wrong", FAIL_TEXT, false, true},
    [HDX_ESCHEMA] = {503, "unavailable", "the index is not available",
                     "Help center unavailable",
                     "The help center index cannot be read right now. "
                     "Please try again in a minute.", false, true},
    [HDX_ESHARD] = {503, "unavailable", "a shard of the index did not "
                    "answer; retry", "Please try again", BUSY_TEXT, true,
                    true},
};

const status_info *status_info_of(hdx_status st)
{
    if ((unsigned)st >= HDX_STATUS_COUNT)
        st = HDX_EINTERNAL;
    return &k_rows[st];
}

const char *status_message(hdx_status st, const hdx_error *err)
{
    const status_info *s = status_info_of(st);
    if (s->message)
        return s->message;
    return err && err->msg[0] ? err->msg : "bad query";
}

void status_log(hdx_status st, const hdx_error *err)
{
    if (status_info_of(st)->log)
        fprintf(stderr, "helpdex-serve: %s: %s (%s)\n",
                err ? err->where : "?", err ? err->msg : "?",
                hdx_status_str(st));
}

void reply_status(reply *rep, hdx_status st, const hdx_error *err)
{
    const status_info *s = status_info_of(st);
    if (st == HDX_OK)
        return;
    status_log(st, err);
    reply_error(rep, s->http, s->code, "%s", status_message(st, err));
    if (s->retry)
        reply_header(rep, "Retry-After", "1");
}
