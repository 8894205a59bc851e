/*
 * api_deflect.c - the contact form's suggestions: deflect_run() and
 * GET /api/deflect (see deflect.h).
 */
#include "deflect.h"

#include "api.h"
#include "status.h"
#include "web_common.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"
#include "hdx/text.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Does s hold anything but white space? */
static bool has_words(const char *s)
{
    return s && s[strspn(s, " \t\r\n")];
}

hdx_status deflect_run(const request *r, const char *subject,
                       const char *description, hdx_results **res,
                       bool *pasted, hdx_error *err)
{
    *res = NULL;
    *pasted = false;
    if (!has_words(subject) && !has_words(description))
        return HDX_OK;
    hdx_buf text;
    hdx_buf_init(&text);
    hdx_buf_adds(&text, has_words(subject) ? subject : "");
    if (has_words(description)) {
        hdx_buf_adds(&text, text.len ? "\n" : "");
        hdx_buf_adds(&text, description);
        *pasted = strlen(description) > DEFLECT_PASTED ||
                  strchr(description, '\n');
    }
    size_t n = hdx_text_clip(text.data, text.len, DEFLECT_MAX_TEXT);
    text.data[n] = '\0';
    hdx_status st = HDX_OK;
    if (!hdx_text_valid_utf8(text.data, n, NULL)) {
        hdx_buf_clear(&text);
        return hdx_error_set(err, HDX_EINVAL, __func__,
                             "the text is not valid UTF-8");
    }
    hdx_query_opts o = api_opts(r);
    o.filter.types = WEB_TYPES;
    hdx_query *q = NULL;
    hdx_db *db = api_db(r, &st, err);
    if (db)
        st = *pasted ? hdx_query_lookup(db, text.data, &o, &q, err)
                     : hdx_query_parse(db, text.data, &o, &q, err);
    if (st == HDX_OK)
        st = hdx_query_run(q, 0, DEFLECT_HITS, res, err);
    hdx_query_free(q);
    hdx_buf_clear(&text);
    return st;
}

void handle_deflect(request *r, reply *rep)
{
    const char *subject = http_arg(r, "subject");
    const char *description = http_arg(r, "description");
    hdx_error err;
    hdx_error_clear(&err);
    hdx_results *res = NULL;
    bool pasted;
    hdx_status st = deflect_run(r, subject, description, &res, &pasted, &err);
    if (st == HDX_EINVAL) {
        reply_error(rep, 400, "bad_parameter", "%s", err.msg);
        return;
    }
    if (st != HDX_OK) {
        reply_status(rep, st, &err);
        return;
    }
    json_t *hits = json_array();
    for (size_t i = 0; res && i < hdx_results_count(res); i++) {
        json_t *link = api_link_json(res, i);
        if (link)
            json_array_append_new(hits, link);
    }
    hdx_results_free(res);
    reply_json(rep, 200, json_pack("{s:s, s:o}", "read_as",
                                   pasted ? "pasted" : "words", "hits",
                                   hits));
}
