/*
 * web_contact.c - the contact page, GET /contact (see contact.h): the
 * form, the suggestions under it and the contact_open event.
 *
 * The suggestions link through /go with src=contact, so opening one
 * records a click of source 'contact' (and the article page its view)
 * with or without JavaScript; web/app.js refreshes the list from
 * GET /api/deflect as the customer types.
 */
#include "contact.h"
#include "base_path.h"

#include "api.h"
#include "brand.h"
#include "deflect.h"
#include "html.h"
#include "page.h"
#include "record.h"
#include "web_common.h"
#include "web_seo.h"

#include "analytics/session_id.h"

#include "hdx/alloc.h"
#include "hdx/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void contact_no_channel(hdx_buf *b)
{
    hdx_buf_adds(b, "<p>Contact your administrator or the team that "
                    "gave you access to ");
    web_esc(b, brand_get()->product_name);
    hdx_buf_adds(b, ".</p>\n");
}

/* An argument when it is UTF-8 of at most `max` bytes, else NULL. */
static const char *text_arg(const request *r, const char *name, size_t max)
{
    const char *v = http_arg(r, name);
    if (!v || strlen(v) > max || !hdx_text_valid_utf8(v, strlen(v), NULL))
        return NULL;
    return v;
}

/* The form's CSRF token: the cookie's, or a new one sent as the cookie. */
static void contact_token(const request *r, reply *rep, char out[33])
{
    const char *cookie = http_cookie(r, CONTACT_COOKIE);
    if (session_id_valid(cookie)) {
        snprintf(out, 33, "%s", cookie);
        return;
    }
    session_id_random(out);
    char set[128 + BASE_PATH_MAX];
    snprintf(set, sizeof set, CONTACT_COOKIE "=%s; Path=%s/contact; "
             "HttpOnly; SameSite=Strict%s", out, base_path(),
             seo_https(r) ? "; Secure" : "");
    reply_header(rep, "Set-Cookie", set);
}

static void hidden(hdx_buf *b, const char *name, const char *value)
{
    hdx_buf_adds(b, "<input type=\"hidden\" name=\"");
    hdx_buf_adds(b, name);
    hdx_buf_adds(b, "\" value=\"");
    web_esc(b, value ? value : "");
    hdx_buf_adds(b, "\">\n");
}

/* The suggestions (hidden when there are none; app.js fills it). */
static void add_suggestions(hdx_buf *b, const request *r, const char *subj,
                            const char *desc)
{
    hdx_error err;
    hdx_error_clear(&err);
    hdx_results *res = NULL;
    bool pasted;
    if (deflect_run(r, subj, desc, &res, &pasted, &err) != HDX_OK)
        res = NULL;
    size_t n = res ? hdx_results_count(res) : 0;
    hdx_buf_adds(b, "<section class=\"deflect\" id=\"deflect\" "
                    "aria-labelledby=\"deflect-h\" aria-live=\"polite\"");
    hdx_buf_adds(b, n ? ">\n" : " hidden>\n");
    hdx_buf_adds(b, "<h2 id=\"deflect-h\">These articles may answer your "
                    "question</h2>\n<ul id=\"deflect-list\">\n");
    for (size_t i = 0; i < n; i++) {
        docdata d;
        if (!docdata_parse(res, i, &d))
            continue;
        hdx_buf go;
        hdx_buf_init(&go);
        base_url(&go, "/go?a=");
        web_urlenc(&go, web_hstr(d.hdr, "id"));
        hdx_buf_printf(&go, "&p=%zu&src=contact", i + 1);
        if (subj && *subj && strlen(subj) <= MAX_QUERY_BYTES) {
            hdx_buf_adds(&go, "&q=");
            web_urlenc(&go, subj);
        }
        web_li_link(b, go.data, web_hstr(d.hdr, "title"));
        hdx_buf_clear(&go);
        docdata_clear(&d);
    }
    hdx_buf_adds(b, "</ul>\n</section>\n");
    hdx_results_free(res);
}

/* The subject and description fields and the buttons. */
static void add_fields(hdx_buf *b, const char *subj, const char *desc)
{
    hdx_buf_printf(b, "<label for=\"c-subject\">Subject</label>\n"
                      "<input id=\"c-subject\" name=\"subject\" "
                      "maxlength=\"%u\" required autocomplete=\"off\" "
                      "value=\"", CONTACT_MAX_SUBJECT);
    web_esc(b, subj);
    hdx_buf_printf(b, "\">\n<label for=\"c-description\">Describe the "
                      "problem (you can paste an error message)</label>\n"
                      "<textarea id=\"c-description\" name=\"description\" "
                      "rows=\"8\" maxlength=\"%u\">", CONTACT_MAX_DESCRIPTION);
    web_esc(b, desc);
    hdx_buf_adds(b, "</textarea>\n<div class=\"contact-buttons\">\n"
                    "<button type=\"submit\" formmethod=\"get\" "
                    "formnovalidate id=\"c-find\">Find articles</button>\n");
    const web_brand *br = brand_get();
    if (br->support_url || br->support_email)
        hdx_buf_adds(b, "<button type=\"submit\" id=\"c-send\">"
                        "Contact support</button>\n");
    hdx_buf_adds(b, "</div>\n");
}

static void contact_page(hdx_buf *b, request *r, const char *token)
{
    const char *q = text_arg(r, "q", MAX_QUERY_BYTES);
    const char *articles = text_arg(r, "articles", MAX_QUERY_BYTES);
    const char *subj = text_arg(r, "subject", CONTACT_MAX_SUBJECT);
    const char *desc = text_arg(r, "description", DEFLECT_MAX_TEXT);
    if (!subj && !desc)
        subj = q;
    const web_brand *br = brand_get();
    web_page_begin(b, "Contact support", "");
    hdx_buf_adds(b, "<div class=\"contact-page\">\n<h1>Contact support</h1>"
                    "\n<p>Tell us what is wrong. While you type we suggest "
                    "articles that may already answer it.</p>\n");
    if (!br->support_url && !br->support_email)
        contact_no_channel(b);
    hdx_buf_adds(b, "<form id=\"contact-form\" class=\"contact\" "
                    "method=\"post\" action=\"");
    base_url(b, "/contact\">\n");
    hidden(b, "csrf", token);
    hidden(b, "q", q);
    hidden(b, "articles", articles);
    add_fields(b, subj, desc);
    hdx_buf_adds(b, "</form>\n");
    add_suggestions(b, r, subj, desc);
    hdx_buf_adds(b, "<p class=\"meta\">We pass on what you searched for and "
                    "the articles you read, so you don't have to repeat "
                    "yourself.</p>\n</div>\n");
    web_page_end(b);
}

void handle_page_contact(request *r, reply *rep)
{
    if (!strcmp(r->method, "POST")) {
        contact_post(r, rep);
        return;
    }
    char token[33];
    contact_token(r, rep, token);
    hdx_buf b;
    hdx_buf_init(&b);
    contact_page(&b, r, token);
    web_reply_html(rep, 200, &b);
    reply_header(rep, "Cache-Control", "no-store"); /* the form's token */
    hdx_buf_clear(&b);
    if (record_on()) {
        analytics_event ev;
        analytics_event_init(&ev, "contact_open");
        record_session(r, rep, true);
        record_submit(r, &ev, "web");
    }
}
