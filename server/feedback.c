/*
 * feedback.c - article feedback in SQLite (see feedback.h): the store and
 * the two endpoints, POST /api/feedback and GET /api/feedback/stats.
 */
#include "feedback.h"

#include "api.h"
#include "index_pool.h"
#include "web_internal.h"

#include "hdx/alloc.h"
#include "hdx/text.h"

#include <ctype.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sqlite3 *g_db;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

static const char k_schema[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS feedback("
    " id INTEGER PRIMARY KEY,"
    " article TEXT NOT NULL,"
    " helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),"
    " comment TEXT,"
    " query TEXT,"
    " created TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS feedback_article ON feedback(article);";

int feedback_open(const char *path, char *msg, size_t msg_len)
{
    if (!path || !*path)
        return 0;
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                 SQLITE_OPEN_FULLMUTEX,
                             NULL);
    char *emsg = NULL;
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        rc = sqlite3_exec(db, k_schema, NULL, NULL, &emsg);
    }
    if (rc != SQLITE_OK) {
        snprintf(msg, msg_len, "--feedback-db %s: %s", path,
                 emsg ? emsg : db ? sqlite3_errmsg(db) : "cannot open");
        sqlite3_free(emsg);
        sqlite3_close(db);
        return -1;
    }
    g_db = db;
    return 0;
}

void feedback_close(void)
{
    pthread_mutex_lock(&g_lock);
    sqlite3_close(g_db);
    g_db = NULL;
    pthread_mutex_unlock(&g_lock);
}

static bool store(const char *article, bool helpful, const char *comment,
                  const char *query)
{
    pthread_mutex_lock(&g_lock);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(
        g_db,
        "INSERT INTO feedback(article, helpful, comment, query, created) "
        "VALUES(?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, article, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 2, helpful ? 1 : 0);
        if (comment && *comment)
            sqlite3_bind_text(st, 3, comment, -1, SQLITE_TRANSIENT);
        if (query && *query)
            sqlite3_bind_text(st, 4, query, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(st);
    }
    if (rc != SQLITE_DONE)
        fprintf(stderr, "helpdex-serve: feedback: %s\n", sqlite3_errmsg(g_db));
    sqlite3_finalize(st);
    pthread_mutex_unlock(&g_lock);
    return rc == SQLITE_DONE;
}

/* ---- form decoding ------------------------------------------------------ */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decode application/x-www-form-urlencoded s[0..n) into a new string. */
static char *form_decode(const char *s, size_t n)
{
    hdx_buf b;
    hdx_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            hdx_buf_addc(&b, ' ');
        } else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
                   hexval(s[i + 2]) >= 0) {
            hdx_buf_addc(&b, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
            i += 2;
        } else {
            hdx_buf_addc(&b, s[i]);
        }
    }
    char *r = hdx_buf_detach(&b);
    hdx_buf_clear(&b);
    return r;
}

typedef struct fb_input {
    char *article, *comment, *query;
    int helpful; /* -1: missing or invalid */
} fb_input;

static void input_clear(fb_input *in)
{
    free(in->article);
    free(in->comment);
    free(in->query);
}

static void parse_form(const char *body, size_t len, fb_input *in)
{
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && body[j] != '&')
            j++;
        const char *eq = memchr(body + i, '=', j - i);
        if (eq) {
            char *key = form_decode(body + i, (size_t)(eq - (body + i)));
            char *val = form_decode(eq + 1, (size_t)(body + j - eq - 1));
            char **slot = !strcmp(key, "article")   ? &in->article
                          : !strcmp(key, "comment") ? &in->comment
                          : !strcmp(key, "query")   ? &in->query
                                                    : NULL;
            if (slot) {
                free(*slot);
                *slot = val;
                val = NULL;
            } else if (!strcmp(key, "helpful")) {
                if (!strcmp(val, "yes") || !strcmp(val, "1") ||
                    !strcmp(val, "true"))
                    in->helpful = 1;
                else if (!strcmp(val, "no") || !strcmp(val, "0") ||
                         !strcmp(val, "false"))
                    in->helpful = 0;
            }
            free(key);
            free(val);
        }
        i = j + 1;
    }
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

/* True if `id` is an article or FAQ the caller may see. */
static bool visible(request *r, const char *id, hdx_status *st_out)
{
    hdx_error err;
    hdx_error_clear(&err);
    *st_out = HDX_OK;
    hdx_results *res;
    hdx_status st = api_fetch(r, id, 0, NULL, &res, &err);
    hdx_results_free(res);
    if (st != HDX_OK && st != HDX_ENOTFOUND && st != HDX_EINVAL)
        *st_out = st;
    return st == HDX_OK;
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

void handle_feedback(request *r, reply *rep)
{
    const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                                 "Content-Type");
    bool form = ct && !strncasecmp(ct, "application/x-www-form-urlencoded",
                                   33);
    bool json = ct && !strncasecmp(ct, "application/json", 16);
    if (!g_db) {
        fb_error(rep, form, 503, "feedback_disabled",
                 "feedback is not enabled on this server (start "
                 "helpdex-serve with --feedback-db FILE)");
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
    fb_input in = {NULL, NULL, NULL, -1};
    const char *bad = NULL;
    if (json) {
        bad = parse_json(r->body.data, r->body.len, &in);
    } else {
        parse_form(r->body.data, r->body.len, &in);
        if (!in.article)
            bad = "'article' is required";
        else if (in.helpful < 0)
            bad = "'helpful' must be yes or no";
    }
    if (!bad) {
        const char *fields[3] = {in.article, in.comment, in.query};
        for (int i = 0; i < 3 && !bad; i++)
            if (fields[i] &&
                !hdx_text_valid_utf8(fields[i], strlen(fields[i]), NULL))
                bad = "the feedback is not valid UTF-8";
        if (!bad && (!*in.article || strlen(in.article) > 1000))
            bad = "'article' must be an article id";
        else if (!bad && in.comment &&
                 strlen(in.comment) > FEEDBACK_MAX_COMMENT)
            bad = "'comment' is longer than 1000 bytes";
        else if (!bad && in.query && strlen(in.query) > FEEDBACK_MAX_QUERY)
            bad = "'query' is longer than 500 bytes";
    }
    if (bad) {
        fb_error(rep, form, 400, "bad_parameter", bad);
        input_clear(&in);
        return;
    }
    hdx_status st;
    if (!visible(r, in.article, &st)) {
        if (st != HDX_OK)
            fb_error(rep, form, 503, "unavailable",
                     "the index is not available; retry");
        else
            fb_error(rep, form, 404, "not_found", "no such article");
        input_clear(&in);
        return;
    }
    if (!store(in.article, in.helpful == 1, in.comment, in.query)) {
        fb_error(rep, form, 500, "internal", "feedback could not be saved");
        input_clear(&in);
        return;
    }
    if (form) {
        /* Post/redirect/get back to the article, which thanks the reader
         * and, after a "No", shows the way to support. */
        hdx_buf loc;
        hdx_buf_init(&loc);
        web_article_path(&loc, in.article);
        hdx_buf_adds(&loc, in.helpful == 1 ? "?feedback=yes" : "?feedback=no");
        if (in.query && *in.query) {
            hdx_buf_adds(&loc, "&q=");
            web_urlenc(&loc, in.query);
        }
        hdx_buf_adds(&loc, "#fb-h");
        web_reply_message(rep, 303, "Thanks for your feedback",
                          "Your feedback was saved.");
        reply_header(rep, "Location", loc.data);
        hdx_buf_clear(&loc);
    } else {
        reply_json(rep, 201,
                   json_pack("{s:b, s:s, s:b}", "ok", 1, "article",
                             in.article, "helpful", in.helpful == 1));
    }
    input_clear(&in);
}

void handle_feedback_stats(request *r, reply *rep)
{
    if (!api_require(r, rep, HDX_AUD_AGENT))
        return;
    if (!g_db) {
        reply_error(rep, 503, "feedback_disabled",
                    "feedback is not enabled on this server (start "
                    "helpdex-serve with --feedback-db FILE)");
        return;
    }
    json_t *arr = json_array();
    pthread_mutex_lock(&g_lock);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(
        g_db,
        "SELECT article, SUM(helpful), SUM(1 - helpful), "
        "SUM(comment IS NOT NULL), MAX(created) FROM feedback "
        "GROUP BY article ORDER BY SUM(1 - helpful) DESC, article",
        -1, &st, NULL);
    json_int_t total = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_int_t yes = sqlite3_column_int64(st, 1);
        json_int_t no = sqlite3_column_int64(st, 2);
        total += yes + no;
        json_array_append_new(
            arr, json_pack("{s:s, s:I, s:I, s:I, s:s}", "article",
                           (const char *)sqlite3_column_text(st, 0),
                           "helpful", yes, "not_helpful", no, "comments",
                           (json_int_t)sqlite3_column_int64(st, 3), "last",
                           (const char *)sqlite3_column_text(st, 4)));
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE)
        fprintf(stderr, "helpdex-serve: feedback stats: %s\n",
                sqlite3_errmsg(g_db));
    sqlite3_finalize(st);
    pthread_mutex_unlock(&g_lock);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        reply_error(rep, 500, "internal", "internal error");
        return;
    }
    reply_json(rep, 200,
               json_pack("{s:I, s:o}", "votes", total, "articles", arr));
}
