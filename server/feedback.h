/*
 * feedback.h - "Was this helpful?" votes on articles, kept in SQLite.
 *
 * One row per vote: article id, helpful flag, and the optional comment and
 * query the reader typed, with a UTC timestamp; nothing else about the
 * reader is stored.  The store is one connection behind a mutex (requests
 * arrive on several MHD threads), in WAL mode with a busy timeout so an
 * external reader (sqlite3 CLI, a report) does not block the server.
 */
#ifndef HDX_SERVER_FEEDBACK_H
#define HDX_SERVER_FEEDBACK_H

#include <stdbool.h>
#include <stddef.h>

#include "http.h"

#define FEEDBACK_MAX_COMMENT 1000u
#define FEEDBACK_MAX_QUERY 500u

/* Open (creating) the store at `path`; NULL disables feedback.  Returns 0,
 * or -1 with a message. */
int feedback_open(const char *path, char *msg, size_t msg_len);
/* Close the store; safe to call when it was never opened. */
void feedback_close(void);

/* POST /api/feedback: JSON or form-encoded (the no-JS form, answered with
 * a 303 back to the article). */
void handle_feedback(request *r, reply *rep);
/* GET /api/feedback/stats: per-article counts, agent level or higher. */
void handle_feedback_stats(request *r, reply *rep);

#endif
