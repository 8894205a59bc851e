/*
 * web_admin.c - the /admin dashboard's requests (see web_admin.h): the
 * filter in the query string (from, to, by, product, locale, audience:
 * helpdex-report's options), the store opened read-only for the request,
 * the page shell with its navigation and filter form, and the CSV export.
 * The page bodies are web_admin_html.c's.
 */
#include "web_admin.h"
#include "base_path.h"

#include "html.h"
#include "page.h"
#include "web_admin_html.h"

#include "analytics/report.h"
#include "analytics/schema.h"

#include <stdio.h>
#include <string.h>

static const char *g_store;

void admin_set_store(const char *path)
{
    g_store = path && *path ? path : NULL;
}

/* The filter of a request, parsed (strings borrowed from the request). */
typedef struct admin_args {
    report_params p;
} admin_args;

static const char *arg(const request *r, const char *name)
{
    const char *v = http_arg(r, name);
    return v && *v ? v : NULL;
}

static bool bad_arg(reply *rep, const char *name, const char *value,
                    const char *expected)
{
    char msg[256];
    snprintf(msg, sizeof msg, "%s: expected %s, got '%.80s'", name, expected,
             value);
    web_reply_message(rep, 400, "Bad filter", msg);
    return false;
}

static bool parse_args(const request *r, reply *rep, admin_args *a)
{
    memset(a, 0, sizeof *a);
    a->p.audience = "public";
    a->p.sections = REPORT_ALL;
    a->p.product = arg(r, "product");
    a->p.locale = arg(r, "locale");
    const char *by = arg(r, "by"), *audience = arg(r, "audience");
    const char *section = arg(r, "section");
    if (by && !report_parse_by(by, &a->p.by))
        return bad_arg(rep, "by", by, "day or week");
    if (audience && !report_parse_audience(audience, &a->p.audience))
        return bad_arg(rep, "audience", audience,
                       "public, agent, internal or all");
    if (section && !report_parse_section(section, &a->p.sections))
        return bad_arg(rep, "section", section, "kpis, articles, gaps or all");
    hdx_error err;
    hdx_error_clear(&err);
    if (report_period(arg(r, "from"), arg(r, "to"), &a->p, &err) != HDX_OK) {
        web_reply_message(rep, 400, "Bad filter", err.msg);
        return false;
    }
    return true;
}

/* The report of `a`, or NULL with `rep` set to the page saying why. */
static report *load(reply *rep, const admin_args *a)
{
    if (!g_store) {
        web_reply_message(rep, 503, "Analytics are off",
                          "analytics are off (no --analytics-db): start "
                          "helpdex-serve with --analytics-db FILE to record "
                          "and report them.");
        return NULL;
    }
    hdx_error err;
    hdx_error_clear(&err);
    sqlite3 *db;
    hdx_status st = analytics_open(g_store, false, &db, &err);
    if (st == HDX_ENOTFOUND) {
        web_reply_message(rep, 503, "No analytics yet",
                          "nothing has been recorded yet: the analytics "
                          "store does not exist.");
        return NULL;
    }
    report *out = NULL;
    if (st == HDX_OK) {
        sqlite3_exec(db, "PRAGMA query_only = 1", NULL, NULL, NULL);
        st = report_fill(db, &a->p, &out, &err);
        sqlite3_close(db);
    }
    if (st != HDX_OK) {
        fprintf(stderr, "helpdex-serve: /admin: %s\n", err.msg);
        web_reply_message(rep, 500, "Analytics unavailable",
                          "the analytics store cannot be read (the server "
                          "log says why).");
    }
    return out;
}

static void nav(hdx_buf *b, const char *here, const admin_args *a)
{
    static const char *const paths[] = {"/admin", "/admin/articles",
                                        "/admin/gaps", "/admin/export.csv"};
    static const char *const names[] = {"Overview", "Articles",
                                        "Content gaps", "CSV export"};
    hdx_buf_adds(b, "<nav class=\"admin-nav\" aria-label=\"Analytics\">"
                    "<ul>\n");
    for (size_t i = 0; i < 4; i++) {
        hdx_buf_printf(b, "<li><a href=\"%s%s", base_path(), paths[i]);
        admin_query(b, &a->p, NULL, NULL);
        hdx_buf_printf(b, "\"%s>%s</a></li>\n",
                       strcmp(here, paths[i]) ? "" : " aria-current=\"page\"",
                       names[i]);
    }
    hdx_buf_adds(b, "</ul></nav>\n");
}

static void option(hdx_buf *b, const char *value, bool selected)
{
    hdx_buf_printf(b, "<option value=\"%s\"%s>%s</option>", value,
                   selected ? " selected" : "", value);
}

static void text_input(hdx_buf *b, const char *name, const char *label,
                       const char *type, const char *value)
{
    hdx_buf_printf(b, "<label>%s <input name=\"%s\" type=\"%s\" value=\"",
                   label, name, type);
    web_esc(b, value);
    hdx_buf_adds(b, "\"></label>\n");
}

/* The filter form: a GET to this page, so it changes nothing. */
static void filter_form(hdx_buf *b, const char *here, const admin_args *a)
{
    char from[11], to[11];
    report_day_str(a->p.from, from);
    report_day_str(a->p.to - REPORT_DAY_SECONDS, to);
    hdx_buf_printf(b, "<form class=\"admin-filter\" method=\"get\" "
                      "action=\"%s%s\">\n", base_path(), here);
    text_input(b, "from", "From", "date", from);
    text_input(b, "to", "To", "date", to);
    hdx_buf_adds(b, "<label>By <select name=\"by\">");
    option(b, "day", a->p.by == REPORT_BY_DAY);
    option(b, "week", a->p.by == REPORT_BY_WEEK);
    hdx_buf_adds(b, "</select></label>\n");
    text_input(b, "product", "Product", "text", a->p.product);
    text_input(b, "locale", "Locale", "text", a->p.locale);
    hdx_buf_adds(b, "<label>Audience <select name=\"audience\">");
    const char *aud = a->p.audience ? a->p.audience : "all";
    const char *const auds[] = {"public", "agent", "internal", "all"};
    for (size_t i = 0; i < 4; i++)
        option(b, auds[i], !strcmp(aud, auds[i]));
    hdx_buf_adds(b, "</select></label>\n<button type=\"submit\">Apply"
                    "</button>\n</form>\n");
}

/* The report of the request's filter, of `sections` (0: those of its
 * section= argument), or NULL with `rep` set to the page saying why. */
static report *begin(const request *r, reply *rep, admin_args *a,
                     unsigned sections)
{
    if (!parse_args(r, rep, a))
        return NULL;
    if (sections)
        a->p.sections = sections;
    return load(rep, a);
}

typedef void (*body_fn)(hdx_buf *b, const report *r);

static void page(request *r, reply *rep, const char *here,
                 const char *title, unsigned sections, body_fn body)
{
    admin_args a;
    report *rp = begin(r, rep, &a, sections);
    if (!rp)
        return;
    hdx_buf b, d;
    hdx_buf_init(&b);
    hdx_buf_init(&d);
    web_page_begin(&b, title, NULL);
    hdx_buf_adds(&b, "<div class=\"admin\">\n<h1>");
    web_esc(&b, title);
    hdx_buf_adds(&b, "</h1>\n<p class=\"meta\">");
    report_describe(&d, rp);
    web_esc(&b, d.data);
    hdx_buf_adds(&b, "</p>\n");
    nav(&b, here, &a);
    filter_form(&b, here, &a);
    body(&b, rp);
    hdx_buf_adds(&b, "</div>\n");
    web_page_end(&b);
    web_reply_html(rep, 200, &b);
    hdx_buf_clear(&b);
    hdx_buf_clear(&d);
    report_free(rp);
}

void handle_admin(request *r, reply *rep)
{
    page(r, rep, "/admin", "Analytics", REPORT_KPIS, admin_html_overview);
}

void handle_admin_articles(request *r, reply *rep)
{
    page(r, rep, "/admin/articles", "Analytics: articles", REPORT_ARTICLES,
         admin_html_articles);
}

void handle_admin_gaps(request *r, reply *rep)
{
    page(r, rep, "/admin/gaps", "Analytics: content gaps", REPORT_GAPS,
         admin_html_gaps);
}

void handle_admin_export(request *r, reply *rep)
{
    admin_args a;
    report *rp = begin(r, rep, &a, 0);
    if (!rp)
        return;
    hdx_buf b;
    hdx_buf_init(&b);
    report_csv(&b, rp, a.p.sections);
    reply_take_buf(rep, 200, "text/csv; charset=utf-8", &b);
    char from[11], to[11], disp[96];
    report_day_str(a.p.from, from);
    report_day_str(a.p.to - REPORT_DAY_SECONDS, to);
    snprintf(disp, sizeof disp,
             "attachment; filename=\"helpdex-analytics-%s-%s.csv\"", from, to);
    reply_header(rep, "Content-Disposition", disp);
    report_free(rp);
}
