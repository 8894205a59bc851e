/*
 * web_console.c - the agents' known-issue console (/agent/console,
 * web_agents.h, docs/agents.md).
 *
 * A paste box posted as a plain form (it works without JavaScript;
 * web/console.js adds the copy buttons and keys).  The paste goes through
 * the same lookup as POST /api/known-issues (api_lookup_run()), and each
 * hit becomes a card.  The customer's version (the form's field, or one
 * named in the paste: hdx_ver_find()) marks each incident fixed / upgrade
 * / affected (hdx_ver_fit_of()) and moves the ones that cannot apply to
 * the end.  The "answer for the customer" of a card is built from its kb
 * articles as an anonymous visitor sees them (a public request), so no
 * agent-only text can reach it; the internal notes are kept apart and
 * labelled.
 */
#include "web_agents.h"
#include "base_path.h"

#include "api.h"
#include "assets.h"
#include "csrf.h"
#include "form.h"
#include "html.h"
#include "page.h"
#include "web_common.h"
#include "web_seo.h"

#include "hdx/alloc.h"
#include "hdx/text.h"
#include "hdx/version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONSOLE_HITS 10

/* What the agent sent. */
typedef struct console_in {
    const char *text;     /* the paste (borrowed from the form), or NULL */
    char version[HDX_VER_TEXT]; /* the customer's version, or "" */
    bool version_found;   /* it came from the paste, not the field */
} console_in;

/* One hit and how it fits the customer's version. */
typedef struct card {
    json_t *hit; /* borrowed */
    hdx_ver_fit fit;
} card;

static void console_form(hdx_buf *b, const request *r, const console_in *in)
{
    hdx_buf_adds(b, "<form class=\"console-form\" method=\"post\" "
                    "action=\"");
    base_url(b, "/agent/console\">\n");
    if (r->signed_in)
        csrf_field(b, r->csrf);
    hdx_buf_adds(b, "<label for=\"paste\">Paste an error message, a stack "
                    "trace or a log excerpt</label>\n"
                    "<textarea id=\"paste\" name=\"text\" rows=\"12\" "
                    "required autofocus spellcheck=\"false\" "
                    "aria-describedby=\"paste-help\">");
    web_esc(b, in->text);
    hdx_buf_printf(b, "</textarea>\n<p id=\"paste-help\" class=\"hint\">Up "
                      "to %u KB. Ctrl+Enter looks it up; then j and k move "
                      "between the results.</p>\n", MAX_BODY / 1024);
    hdx_buf_adds(b, "<div class=\"console-row\">\n<label for=\"version\">"
                    "Customer's version</label>\n<input id=\"version\" "
                    "name=\"version\" type=\"text\" maxlength=\"60\" "
                    "placeholder=\"e.g. 5.2.1 (found in the paste if "
                    "named)\" value=\"");
    web_esc(b, in->version_found ? "" : in->version);
    hdx_buf_adds(b, "\">\n<button type=\"submit\">Look up</button>\n</div>\n"
                    "</form>\n");
}

/* The sentence about the customer's version, or nothing. */
static void fit_note(hdx_buf *b, hdx_ver_fit fit, const char *fixed_in,
                     const char *customer)
{
    if (fit == HDX_FIT_UNKNOWN)
        return;
    hdx_buf_printf(b, "<p class=\"ki-fit ki-fit-%s\">",
                   fit == HDX_FIT_FIXED     ? "fixed"
                   : fit == HDX_FIT_UPGRADE ? "upgrade"
                   : fit == HDX_FIT_TOO_OLD ? "too-old"
                                            : "affected");
    if (fit == HDX_FIT_FIXED) {
        hdx_buf_adds(b, "Fixed in ");
        web_esc(b, fixed_in);
        hdx_buf_adds(b, " — the customer should not see this; check the "
                        "version");
    } else if (fit == HDX_FIT_UPGRADE) {
        hdx_buf_adds(b, "Fixed in ");
        web_esc(b, fixed_in);
        hdx_buf_adds(b, ": upgrade");
    } else if (fit == HDX_FIT_TOO_OLD) {
        hdx_buf_adds(b, "Affects only later versions than ");
        web_esc(b, customer);
        hdx_buf_adds(b, " — check the version");
    } else {
        hdx_buf_adds(b, "Affects ");
        web_esc(b, customer);
    }
    hdx_buf_adds(b, "</p>\n");
}

/* The strings of JSON array `a` (borrowed; at most 16). */
static size_t str_list(json_t *a, const char *out[16])
{
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(a) && n < 16; i++)
        if (json_is_string(json_array_get(a, i)))
            out[n++] = json_string_value(json_array_get(a, i));
    return n;
}

static hdx_ver_fit hit_fit(json_t *hit, const char *customer)
{
    const char *v[16];
    size_t n = str_list(json_object_get(hit, "versions"), v);
    return hdx_ver_fit_of(*customer ? customer : NULL,
                          web_hstr(hit, "fixed_in"), v, n);
}

/* Status, affected versions, fix, problem record. */
static void card_meta(hdx_buf *b, json_t *hit)
{
    const char *status = web_hstr(hit, "status");
    hdx_buf_adds(b, "<p class=\"ki-meta\"><span class=\"ki-status\">");
    web_esc(b, status ? status : "note");
    hdx_buf_adds(b, "</span>");
    const char *v[16];
    size_t n = str_list(json_object_get(hit, "versions"), v);
    for (size_t i = 0; i < n; i++) {
        hdx_buf_adds(b, i ? ", " : " · Affects ");
        web_esc(b, v[i]);
    }
    if (web_hstr(hit, "fixed_in")) {
        hdx_buf_adds(b, " · Fixed in ");
        web_esc(b, web_hstr(hit, "fixed_in"));
    }
    if (web_hstr(hit, "problem")) {
        hdx_buf_adds(b, " · Problem record ");
        web_esc(b, web_hstr(hit, "problem"));
    }
    hdx_buf_adds(b, "</p>\n");
    json_t *ids = json_object_get(hit, "matched_identifiers");
    if (json_array_size(ids)) {
        hdx_buf_adds(b, "<p class=\"ki-ids\">Matched:");
        for (size_t i = 0; i < json_array_size(ids); i++) {
            hdx_buf_adds(b, " <mark>");
            web_esc(b, json_string_value(json_array_get(ids, i)));
            hdx_buf_adds(b, "</mark>");
        }
        hdx_buf_adds(b, "</p>\n");
    }
}

/*
 * The answer for the customer: each kb article that an anonymous visitor
 * can read (fetched as one), by title, summary and public URL.
 */
/* Article `id` as an anonymous visitor sees it (a shallow copy of r at
 * the public level asks); false when they cannot.  On success the caller
 * frees *res and clears *d. */
static bool public_doc(const request *r, const char *id, hdx_results **res,
                       docdata *d)
{
    request pub = *r;
    pub.level = HDX_AUD_PUBLIC;
    pub.has_token = pub.signed_in = false;
    pub.caller = NULL;
    *res = NULL;
    if (id && api_fetch(&pub, id, WEB_TYPES, res, NULL) == HDX_OK &&
        docdata_parse(*res, 0, d))
        return true;
    hdx_results_free(*res);
    *res = NULL;
    return false;
}

static void public_answer(hdx_buf *b, const request *r, json_t *hit)
{
    json_t *kb = json_object_get(hit, "kb");
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(kb); i++) {
        const char *id = web_hstr(json_array_get(kb, i), "id");
        hdx_results *res;
        docdata d;
        if (!public_doc(r, id, &res, &d))
            continue;
        hdx_buf path, text;
        hdx_buf_init(&path);
        hdx_buf_init(&text);
        web_article_path(&path, web_hstr(d.hdr, "id"));
        hdx_buf_printf(&text, "%s%s\n", n ? "\n" : "",
                       web_hstr(d.hdr, "title"));
        if (web_hstr(d.hdr, "summary"))
            hdx_buf_printf(&text, "%s\n", web_hstr(d.hdr, "summary"));
        seo_url(&text, r, path.data);
        hdx_buf_addc(&text, '\n');
        web_esc(b, text.data);
        hdx_buf_clear(&path);
        hdx_buf_clear(&text);
        docdata_clear(&d);
        hdx_results_free(res);
        n++;
    }
    if (!n)
        hdx_buf_adds(b, "(No public article covers this yet: write the "
                        "answer yourself.)");
}

/* The agents' notes of a hit, as plain text. */
static void internal_notes(hdx_buf *b, json_t *hit)
{
    hdx_buf t;
    hdx_buf_init(&t);
    hdx_buf_printf(&t, "%s: %s\n", web_hstr(hit, "id"),
                   web_hstr(hit, "title"));
    if (web_hstr(hit, "status"))
        hdx_buf_printf(&t, "Status: %s\n", web_hstr(hit, "status"));
    if (web_hstr(hit, "fixed_in"))
        hdx_buf_printf(&t, "Fixed in: %s\n", web_hstr(hit, "fixed_in"));
    if (web_hstr(hit, "problem"))
        hdx_buf_printf(&t, "Problem record: %s\n", web_hstr(hit, "problem"));
    if (web_hstr(hit, "resolution_text"))
        hdx_buf_printf(&t, "\nResolution:\n%s\n",
                       web_hstr(hit, "resolution_text"));
    if (web_hstr(hit, "workaround_text"))
        hdx_buf_printf(&t, "\nWorkaround:\n%s\n",
                       web_hstr(hit, "workaround_text"));
    web_esc(b, t.data);
    hdx_buf_clear(&t);
}

/* The two copy boxes of card k. */
static void card_copy(hdx_buf *b, const request *r, json_t *hit, size_t k)
{
    hdx_buf_printf(b, "<div class=\"ki-copy\">\n<div class=\"copy-box\">\n"
                      "<label for=\"answer-%zu\">Answer for the customer "
                      "(public articles only)</label>\n<textarea "
                      "id=\"answer-%zu\" class=\"copy-src answer\" rows=\"4\" "
                      "readonly>", k, k);
    public_answer(b, r, hit);
    hdx_buf_printf(b, "</textarea>\n<button type=\"button\" class=\"copy-btn\""
                      " data-copy=\"answer-%zu\">Copy answer</button>\n</div>\n"
                      "<div class=\"copy-box internal\">\n<label "
                      "for=\"notes-%zu\">Internal notes <span "
                      "class=\"aud-badge\">Agents only</span> never send to "
                      "the customer</label>\n<textarea id=\"notes-%zu\" "
                      "class=\"copy-src notes\" rows=\"4\" readonly>",
                   k, k, k);
    internal_notes(b, hit);
    hdx_buf_printf(b, "</textarea>\n<button type=\"button\" class=\"copy-btn "
                      "copy-internal\" data-copy=\"notes-%zu\">Copy internal "
                      "notes</button>\n</div>\n</div>\n", k);
}

static void render_card(hdx_buf *b, const request *r, const card *c,
                        size_t k, const char *customer)
{
    json_t *hit = c->hit;
    const char *id = web_hstr(hit, "id");
    hdx_buf_printf(b, "<li><article class=\"ki-card\" id=\"card-%zu\" "
                      "tabindex=\"0\" aria-labelledby=\"card-%zu-h\"%s>\n"
                      "<h3 id=\"card-%zu-h\"><a href=\"",
                   k, k, hdx_ver_fit_demoted(c->fit) ? " data-demoted=\"1\""
                                                     : "", k);
    web_article_href(b, id);
    hdx_buf_adds(b, "\">");
    web_esc(b, id);
    hdx_buf_adds(b, " · ");
    web_esc(b, web_hstr(hit, "title"));
    hdx_buf_adds(b, "</a> ");
    web_audience_badge(b, HDX_AUD_AGENT);
    hdx_buf_adds(b, "</h3>\n");
    card_meta(b, hit);
    fit_note(b, c->fit, web_hstr(hit, "fixed_in"), customer);
    if (web_hstr(hit, "symptoms_snippet")) { /* escaped, <mark>s only */
        hdx_buf_adds(b, "<div class=\"ki-symptoms\"><h4>Symptoms</h4><p>");
        hdx_buf_adds(b, web_hstr(hit, "symptoms_snippet"));
        hdx_buf_adds(b, "</p></div>\n");
    }
    if (web_hstr(hit, "resolution")) { /* rendered in safe mode */
        hdx_buf_adds(b, "<div class=\"ki-resolution\"><h4>Resolution or "
                        "workaround</h4>\n");
        hdx_buf_adds(b, web_hstr(hit, "resolution"));
        hdx_buf_adds(b, "</div>\n");
    }
    json_t *kb = json_object_get(hit, "kb");
    if (json_array_size(kb)) {
        hdx_buf_adds(b, "<div class=\"ki-kb\"><h4>Linked articles</h4><ul>\n");
        for (size_t i = 0; i < json_array_size(kb); i++) {
            json_t *l = json_array_get(kb, i);
            hdx_buf_adds(b, "<li><a href=\"");
            web_esc(b, web_hstr(l, "url"));
            hdx_buf_adds(b, "\">");
            web_esc(b, web_hstr(l, "title"));
            hdx_buf_adds(b, "</a>");
            hdx_results *res;
            docdata d;
            if (public_doc(r, web_hstr(l, "id"), &res, &d)) {
                docdata_clear(&d);
                hdx_results_free(res);
            } else {
                web_audience_badge(b, HDX_AUD_AGENT);
            }
            hdx_buf_adds(b, "</li>\n");
        }
        hdx_buf_adds(b, "</ul></div>\n");
    }
    card_copy(b, r, hit, k);
    hdx_buf_adds(b, "</article></li>\n");
}

/* The cards, those that can apply to the customer's version first. */
static void render_results(hdx_buf *b, const request *r,
                           const api_lookup_out *lo, const console_in *in)
{
    size_t n = json_array_size(lo->hits), k = 0;
    card *cards = hdx_xcalloc(n ? n : 1, sizeof *cards);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            json_t *hit = json_array_get(lo->hits, i);
            hdx_ver_fit fit = hit_fit(hit, in->version);
            if (hdx_ver_fit_demoted(fit) == (pass == 1))
                cards[k++] = (card){hit, fit};
        }
    hdx_buf_adds(b, "<section class=\"console-results\" id=\"results\" "
                    "aria-labelledby=\"results-h\">\n<h2 id=\"results-h\">");
    hdx_buf_printf(b, n == 1 ? "1 match" : "%zu matches", n);
    hdx_buf_adds(b, "</h2>\n");
    if (*in->version) {
        hdx_buf_adds(b, "<p class=\"ki-version\">Customer's version: "
                        "<strong>");
        web_esc(b, in->version);
        hdx_buf_adds(b, in->version_found ? "</strong> (found in the paste)"
                                          : "</strong>");
        hdx_ver v;
        if (!hdx_ver_parse(in->version, &v))
            hdx_buf_adds(b, ": not a version number (such as 5.2.1), so "
                            "nothing is marked");
        hdx_buf_adds(b, "</p>\n");
    }
    if (!n)
        hdx_buf_printf(b, "<p>No incident or agent note matches. Try the "
                          "error code alone, or <a href=\"%s/search\">"
                          "search the help center</a>.</p>\n", base_path());
    hdx_buf_adds(b, "<ol class=\"ki-cards\">\n");
    for (size_t i = 0; i < k; i++)
        render_card(b, r, &cards[i], i + 1, in->version);
    hdx_buf_adds(b, "</ol>\n</section>\n");
    free(cards);
}

static void console_page(request *r, reply *rep, const console_in *in,
                         const api_lookup_out *lo)
{
    hdx_buf b;
    hdx_buf_init(&b);
    web_page_begin(&b, "Known-issue console", "");
    hdx_buf_adds(&b, "<div class=\"console\">\n<h1>Known-issue console "
                     "<span class=\"aud-badge\">Agents only</span></h1>\n");
    console_form(&b, r, in);
    if (lo)
        render_results(&b, r, lo, in);
    hdx_buf_adds(&b, "</div>\n<script src=\"");
    hdx_buf u;
    hdx_buf_init(&u);
    asset_url(&u, "console.js");
    web_esc(&b, u.data);
    hdx_buf_clear(&u);
    hdx_buf_adds(&b, "\" defer></script>\n");
    web_page_end(&b);
    web_reply_html(rep, 200, &b);
    hdx_buf_clear(&b);
}

/* The paste and the version of a POST; false with the reply set. */
static bool console_read(request *r, reply *rep, const form_data *f,
                         console_in *in)
{
    if (r->body_too_large || (in->text && strlen(in->text) > MAX_BODY)) {
        web_reply_message(rep, 413, "Paste too long",
                          "Paste at most 32 KB: the error and the lines "
                          "around it are enough.");
        return false;
    }
    if (r->signed_in && !csrf_session_ok(r, f)) {
        csrf_refuse(rep);
        return false;
    }
    const char *v = form_get(f, "version");
    if (*f->bad || !in->text || !*in->text ||
        !hdx_text_valid_utf8(in->text, strlen(in->text), NULL) ||
        (v && !hdx_text_valid_utf8(v, strlen(v), NULL))) {
        web_reply_message(rep, 400, "Nothing to look up",
                          "Paste the error text (UTF-8, no NUL bytes).");
        return false;
    }
    while (v && *v == ' ')
        v++;
    if (v && *v) {
        snprintf(in->version, sizeof in->version, "%s", v);
    } else {
        in->version_found =
            hdx_ver_find(in->text, strlen(in->text), in->version);
    }
    return true;
}

void handle_console(request *r, reply *rep)
{
    console_in in;
    memset(&in, 0, sizeof in);
    if (strcmp(r->method, "POST") != 0) {
        console_page(r, rep, &in, NULL);
        return;
    }
    form_data f;
    form_parse(&f, r->body.data, r->body.len);
    in.text = form_get(&f, "text");
    if (!console_read(r, rep, &f, &in)) {
        form_clear(&f);
        return;
    }
    hdx_error err;
    hdx_error_clear(&err);
    api_lookup_out lo;
    hdx_status st = api_lookup_run(r, in.text, CONSOLE_HITS, true, &lo, &err);
    if (st != HDX_OK)
        web_reply_status(rep, st, &err);
    else
        console_page(r, rep, &in, &lo);
    json_decref(lo.hits);
    json_decref(lo.terms);
    form_clear(&f);
}
