/*
 * feedback.c - the feedback endpoints, POST /api/feedback and GET
 * /api/feedback/stats (see feedback.h); the votes are kept by
 * feedback_store.c.
 */
#include "feedback.h"

#include "api.h"
#include "csrf.h"
#include "feedback_store.h"
#include "form.h"
#include "html.h"
#include "page.h"
#include "record.h"
#include "status.h"

#include "hdx/alloc.h"
#include "hdx/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct fb_input {
    char *article, *comment, *query;
    int helpful; /* -1: missing or invalid */
    char bad[128]; /* the message for a field that decodes to a NUL */
} fb_input;

static void input_clear(fb_input *in)
{
    free(in->article);
    free(in->comment);
    free(in->query);
}

static void parse_form(const char *body, size_t len, fb_input *in)
{
    form_data f;
    form_parse(&f, body, len);
    snprintf(in->bad, sizeof in->bad, "%s", f.bad);
    const char *v;
    if ((v = form_get(&f, "article")))
        in->article = hdx_xstrdup(v);
    if ((v = form_get(&f, "comment")))
        in->comment = hdx_xstrdup(v);
    if ((v = form_get(&f, "query")))
        in->query = hdx_xstrdup(v);
    if ((v = form_get(&f, "helpful"))) {
        if (!strcmp(v, "yes") || !strcmp(v, "1") || !strcmp(v, "true"))
            in->helpful = 1;
        else if (!strcmp(v, "no") || !strcmp(v, "0") || !strcmp(v, "false"))
            in->helpful = 0;
    }
    form_clear(&f);
}

/* Returns an error message, or NULL when the JSON body was understood. */
static const char *parse_json(const char *body, size_t len, fb_input *in)
{
    json_error_t e;
    json_t *o = json_loadb(body, len, 0, &e);
    if (!json_is_object(o)) {
        json_decref(o);
        return "the body must be a JSON object";
    }
    const char *msg = NULL;
    json_t *a = json_object_get(o, "article"), *h = json_object_get(o, "helpful"),
           *c = json_object_get(o, "comment"), *q = json_object_get(o, "query");
    if (!json_is_string(a))
        msg = "'article' must be a string";
    else if (!json_is_boolean(h))
        msg = "'helpful' must be true or false";
    else if (c && !json_is_null(c) && !json_is_string(c))
        msg = "'comment' must be a string";
    else if (q && !json_is_null(q) && !json_is_string(q))
        msg = "'query' must be a string";
    if (!msg) {
        in->article = hdx_xstrdup(json_string_value(a));
        in->helpful = json_is_true(h) ? 1 : 0;
        if (json_is_string(c))
            in->comment = hdx_xstrdup(json_string_value(c));
        if (json_is_string(q))
            in->query = hdx_xstrdup(json_string_value(q));
    }
    json_decref(o);
    return msg;
}

/* An error for the caller: HTML page for the form, JSON otherwise. */
static void fb_error(reply *rep, bool form, int status, const char *code,
                     const char *message)
{
    if (form)
        web_reply_message(rep, status, "Feedback not saved", message);
    else
        reply_error(rep, status, code, "%s", message);
}

/* Read the body into `in`; an error message, or NULL. */
static const char *fb_parse(const request *r, bool json, fb_input *in)
{
    if (json)
        return parse_json(r->body.data, r->body.len, in);
    parse_form(r->body.data, r->body.len, in);
    if (in->bad[0])
        return in->bad;
    if (!in->article)
        return "'article' is required";
    if (in->helpful < 0)
        return "'helpful' must be yes or no";
    return NULL;
}

/* Check the fields' encoding and sizes; an error message, or NULL. */
static const char *fb_validate(const fb_input *in)
{
    const char *fields[3] = {in->article, in->comment, in->query};
    for (int i = 0; i < 3; i++)
        if (fields[i] &&
            !hdx_text_valid_utf8(fields[i], strlen(fields[i]), NULL))
            return "the feedback is not valid UTF-8";
    if (!*in->article || strlen(in->article) > 1000)
        return "'article' must be an article id";
    if (in->comment && strlen(in->comment) > FEEDBACK_MAX_COMMENT)
        return "'comment' is longer than 1000 bytes";
    if (in->query && strlen(in->query) > FEEDBACK_MAX_QUERY)
        return "'query' is longer than 500 bytes";
    return NULL;
}

/* The answer to a saved vote: for the form, post/redirect/get back to the
 * article, which thanks the reader and, after a "No", shows the way to
 * support; for JSON, 201 with what was stored. */
static void fb_saved(reply *rep, bool form, const fb_input *in)
{
    if (!form) {
        reply_json(rep, 201,
                   json_pack("{s:b, s:s, s:b}", "ok", 1, "article",
                             in->article, "helpful", in->helpful == 1));
        return;
    }
    hdx_buf loc;
    hdx_buf_init(&loc);
    web_article_path(&loc, in->article);
    hdx_buf_adds(&loc, in->helpful == 1 ? "?feedback=yes" : "?feedback=no");
    if (in->query && *in->query) {
        hdx_buf_adds(&loc, "&q=");
        web_urlenc(&loc, in->query);
    }
    hdx_buf_adds(&loc, "#fb-h");
    web_reply_message(rep, 303, "Thanks for your feedback",
                      "Your feedback was saved.");
    reply_header(rep, "Location", loc.data);
    hdx_buf_clear(&loc);
}

#define FB_DISABLED                                                        \
    "feedback is not enabled on this server (start helpdex-serve with "    \
    "--feedback-db FILE)"

void handle_feedback(request *r, reply *rep)
{
    const char *ct = http_header(r, "Content-Type");
    bool form = ct && !strncasecmp(ct, "application/x-www-form-urlencoded",
                                   33);
    bool json = ct && !strncasecmp(ct, "application/json", 16);
    /* A signed-in agent's vote counts at their level: never one another
     * site's page posted with their cookie (csrf.h). */
    if (r->signed_in && !csrf_same_origin(r)) {
        fb_error(rep, form, 403, "forbidden", "cross-site post refused");
        return;
    }
    if (!feedback_store_enabled() && !record_on()) {
        fb_error(rep, form, 503, "feedback_disabled", FB_DISABLED);
        return;
    }
    if (!form && !json) {
        reply_error(rep, 415, "unsupported_media_type",
                    "send application/json or "
                    "application/x-www-form-urlencoded");
        return;
    }
    if (r->body_too_large) {
        fb_error(rep, form, 413, "too_large", "the feedback is too large");
        return;
    }
    fb_input in = {NULL, NULL, NULL, -1, ""};
    const char *bad = fb_parse(r, json, &in);
    if (!bad)
        bad = fb_validate(&in);
    hdx_status st = HDX_OK;
    bool seen = !bad && api_visible(r, in.article, &st);
    if (bad)
        fb_error(rep, form, 400, "bad_parameter", bad);
    else if (!seen && st != HDX_OK)
        fb_error(rep, form, 503, "unavailable",
                 "the index is not available; retry");
    else if (!seen)
        fb_error(rep, form, 404, "not_found", "no such article");
    else if (feedback_store_enabled() &&
             feedback_store_add(in.article, in.helpful == 1, in.comment,
                                in.query, NULL) != HDX_OK)
        fb_error(rep, form, 500, "internal", "feedback could not be saved");
    else {
        /* Also an analytics event, when recording is on (record.h). */
        record_feedback(r, in.article, in.helpful == 1, in.comment,
                        in.query);
        fb_saved(rep, form, &in);
    }
    input_clear(&in);
}

static void on_row(const char *article, long long yes, long long no,
                   long long comments, const char *last, void *rows)
{
    json_array_append_new(
        rows, json_pack("{s:s, s:I, s:I, s:I, s:s}", "article", article,
                        "helpful", (json_int_t)yes, "not_helpful",
                        (json_int_t)no, "comments", (json_int_t)comments,
                        "last", last));
}

/*
 * Keep the rows of articles the caller can see, by the rule search uses
 * (one query for all of them): feedback on an internal article is
 * nothing an agent may learn, not even that it exists.  *votes: the votes
 * of the rows kept.  The index's status when it cannot be asked.
 */
static hdx_status visible_rows(const request *r, json_t *rows,
                               json_int_t *votes, hdx_error *err)
{
    size_t n = json_array_size(rows);
    const char **ids = hdx_xcalloc(n ? n : 1, sizeof *ids);
    json_t **links = hdx_xcalloc(n ? n : 1, sizeof *links);
    for (size_t i = 0; i < n; i++)
        ids[i] = json_string_value(
            json_object_get(json_array_get(rows, i), "article"));
    hdx_status st = api_resolve_links(r, ids, n, links, err);
    *votes = 0;
    for (size_t i = n; i-- > 0;) {
        json_t *row = json_array_get(rows, i);
        if (links[i])
            *votes += json_integer_value(json_object_get(row, "helpful")) +
                      json_integer_value(json_object_get(row, "not_helpful"));
        else
            json_array_remove(rows, i);
        json_decref(links[i]);
    }
    free(links);
    free(ids);
    return st;
}

void handle_feedback_stats(request *r, reply *rep)
{
    if (!feedback_store_enabled()) {
        reply_error(rep, 503, "feedback_disabled", FB_DISABLED);
        return;
    }
    json_t *rows = json_array();
    hdx_error err;
    hdx_error_clear(&err);
    json_int_t votes = 0;
    if (feedback_store_stats(on_row, rows, NULL) != HDX_OK) {
        json_decref(rows);
        reply_error(rep, 500, "internal", "internal error");
        return;
    }
    hdx_status st = visible_rows(r, rows, &votes, &err);
    if (st != HDX_OK) {
        json_decref(rows);
        reply_status(rep, st, &err);
        return;
    }
    reply_json(rep, 200,
               json_pack("{s:I, s:o}", "votes", votes, "articles", rows));
}
