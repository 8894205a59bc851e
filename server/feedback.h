/*
 * feedback.h - the "Was this helpful?" endpoints.  The votes themselves
 * are kept by feedback_store.h.
 */
#ifndef HDX_SERVER_FEEDBACK_H
#define HDX_SERVER_FEEDBACK_H

#include "http.h"

/* POST /api/feedback: JSON or form-encoded (the no-JS form, answered with
 * a 303 back to the article, or an HTML page on error). */
void handle_feedback(request *r, reply *rep);
/* GET /api/feedback/stats: per-article counts (agent level or higher, as
 * the route table says). */
void handle_feedback_stats(request *r, reply *rep);

#endif
