/*
 * contact_handoff.c - POST /contact (see contact.h): the CSRF check, the
 * escalation event and the hand-off to the configured support channel.
 *
 * Nothing is sent from the server: a support_url gets a 303 carrying the
 * form as query parameters (source, subject, description, q, articles:
 * docs/help-center.md), a support_email a page with a prefilled mailto:
 * link the customer's own mail program sends.
 */
#include "contact.h"

#include "brand.h"
#include "html.h"
#include "page.h"
#include "csrf.h"
#include "record.h"

#include "hdx/alloc.h"
#include "hdx/text.h"

#include <stdlib.h>
#include <string.h>

/* A form field as valid UTF-8 of at most `max` bytes (copied; "" when
 * absent or not UTF-8). */
static char *field(const form_data *f, const char *name, size_t max)
{
    const char *v = form_get(f, name);
    if (!v || !hdx_text_valid_utf8(v, strlen(v), NULL))
        return hdx_xstrdup("");
    return hdx_xstrndup(v, hdx_text_clip(v, strlen(v), max));
}

/* q: the session's searches, one a line, newest last; articles: the
 * ids read, comma-separated, newest last. */
typedef struct contact_form {
    char *subject, *description, *q, *articles; /* owned, never NULL */
} contact_form;

static void contact_form_clear(contact_form *c)
{
    free(c->subject);
    free(c->description);
    free(c->q);
    free(c->articles);
}

/* The escalation event: the last article read and the subject. */
static void record_escalation(request *r, const contact_form *c)
{
    if (!record_on())
        return;
    analytics_event ev;
    analytics_event_init(&ev, "escalation");
    const char *last = strrchr(c->articles, ',');
    last = last ? last + 1 : c->articles;
    if (*last)
        ev.article = hdx_xstrndup(last, strcspn(last, " "));
    const char *query = strrchr(c->q, '\n'); /* the newest search */
    query = query ? query + 1 : *c->q ? c->q : c->subject;
    if (*query)
        ev.query = hdx_xstrdup(query);
    record_submit(r, &ev, "web");
}

static void add_param(hdx_buf *b, const char *name, const char *value)
{
    hdx_buf_addc(b, '&');
    hdx_buf_adds(b, name);
    hdx_buf_addc(b, '=');
    web_urlenc(b, value);
}

/* 303 to the support URL with the form's fields. */
static void to_url(reply *rep, const char *url, const contact_form *c)
{
    hdx_buf loc;
    hdx_buf_init(&loc);
    hdx_buf_adds(&loc, url);
    hdx_buf_adds(&loc, strchr(url, '?') ? "&" : "?");
    hdx_buf_adds(&loc, "source=help-center");
    add_param(&loc, "subject", c->subject);
    add_param(&loc, "description", c->description);
    add_param(&loc, "q", c->q);
    add_param(&loc, "articles", c->articles);
    web_reply_message(rep, 303, "See Other",
                      "Your request continues on the support site.");
    reply_header(rep, "Location", loc.data);
    hdx_buf_clear(&loc);
}

/* The mailto: link of the form (subject, and the body: the description,
 * the searches and the articles viewed). */
static void mailto(hdx_buf *link, const char *email, const contact_form *c)
{
    hdx_buf text;
    hdx_buf_init(&text);
    hdx_buf_adds(link, "mailto:");
    hdx_buf_adds(link, email); /* an address, as brand.c checked it */
    hdx_buf_adds(link, "?subject=");
    hdx_buf_adds(&text, *c->subject ? c->subject : "Help request");
    web_urlenc(link, text.data);
    hdx_buf_reset(&text);
    hdx_buf_adds(&text, c->description);
    hdx_buf_adds(&text, "\n\n---\nSearched for: ");
    for (const char *s = c->q; *s; s++) { /* one search a line: "a; b" */
        if (*s == '\n')
            hdx_buf_adds(&text, "; ");
        else
            hdx_buf_addc(&text, *s);
    }
    hdx_buf_adds(&text, *c->q ? "" : "(nothing)");
    hdx_buf_adds(&text, "\nArticles viewed: ");
    hdx_buf_adds(&text, *c->articles ? c->articles : "(none)");
    hdx_buf_adds(&text, "\n");
    hdx_buf_adds(link, "&body=");
    web_urlenc(link, text.data);
    hdx_buf_clear(&text);
}

static void to_mail(reply *rep, const char *email, const contact_form *c)
{
    hdx_buf b, link;
    hdx_buf_init(&b);
    hdx_buf_init(&link);
    mailto(&link, email, c);
    web_page_begin(&b, "Send your request", "");
    hdx_buf_adds(&b, "<div class=\"narrow message\">\n<h1>Send your "
                     "request</h1>\n<p>Your mail program opens with your "
                     "message to ");
    web_esc(&b, email);
    hdx_buf_adds(&b, ", ready to send.</p>\n<p><a class=\"button\" "
                     "id=\"contact-mailto\" href=\"");
    web_esc(&b, link.data);
    hdx_buf_adds(&b, "\">Write the email</a></p>\n</div>\n");
    web_page_end(&b);
    web_reply_html(rep, 200, &b);
    hdx_buf_clear(&b);
    hdx_buf_clear(&link);
}

void contact_post(request *r, reply *rep)
{
    if (r->body_too_large) {
        web_reply_message(rep, 413, "Too long",
                          "Your message is too long; shorten the "
                          "description and try again.");
        return;
    }
    form_data f;
    form_parse(&f, r->body.data, r->body.len);
    if (!csrf_cookie_ok(r, &f, CONTACT_COOKIE, 32)) {
        form_clear(&f);
        web_reply_message(rep, 403, "Form refused",
                          "This form was sent from another site, or it has "
                          "expired. Reload the page and try again.");
        return;
    }
    contact_form c = {field(&f, "subject", CONTACT_MAX_SUBJECT),
                      field(&f, "description", CONTACT_MAX_DESCRIPTION),
                      field(&f, "q", MAX_QUERY_BYTES),
                      field(&f, "articles", MAX_QUERY_BYTES)};
    form_clear(&f);
    const web_brand *br = brand_get();
    if (br->support_url || br->support_email)
        record_escalation(r, &c);
    if (br->support_url) {
        to_url(rep, br->support_url, &c);
    } else if (br->support_email) {
        to_mail(rep, br->support_email, &c);
    } else {
        hdx_buf b;
        hdx_buf_init(&b);
        web_page_begin(&b, "Contact support", "");
        hdx_buf_adds(&b, "<div class=\"narrow message\">\n<h1>Where to get "
                         "help</h1>\n");
        contact_no_channel(&b);
        hdx_buf_adds(&b, "</div>\n");
        web_page_end(&b);
        web_reply_html(rep, 200, &b);
        hdx_buf_clear(&b);
    }
    contact_form_clear(&c);
}
