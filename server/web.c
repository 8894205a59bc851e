/*
 * web.c - the self-service help center: routing of the web paths, static
 * assets, branding from a `key = value` file, and the HTML page shell.
 * The pages themselves are in web_pages.c, feedback in feedback.c.
 */
#include "web.h"

#include "feedback.h"
#include "web_internal.h"

#include "hdx/alloc.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_ASSET_BYTES (2u * 1024u * 1024u)
#define MAX_CONFIG_VALUE 300u

static web_brand g_brand;
static char *g_assets;

/* ---- escaping ----------------------------------------------------------- */

void web_esc(hdx_buf *b, const char *s)
{
    if (s)
        hdx_buf_add_html(b, s, strlen(s));
}

void web_urlenc(hdx_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;
         p++) {
        if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            hdx_buf_addc(b, (char)*p);
        } else {
            hdx_buf_addc(b, '%');
            hdx_buf_addc(b, hex[*p >> 4]);
            hdx_buf_addc(b, hex[*p & 15]);
        }
    }
}

void web_url_attr(hdx_buf *b, const char *s)
{
    hdx_buf tmp;
    hdx_buf_init(&tmp);
    web_urlenc(&tmp, s);
    web_esc(b, tmp.data);
    hdx_buf_clear(&tmp);
}

void web_product_label(hdx_buf *b, const char *product)
{
    size_t n = product ? strlen(product) : 0;
    if (!n)
        return;
    hdx_buf tmp;
    hdx_buf_init(&tmp);
    hdx_buf_add(&tmp, product, n);
    static const char *const acronyms[] = {"api", "sso", "ios", "sdk",
                                           "cli", "vpn", "2fa"};
    bool upper = false;
    for (size_t i = 0; i < sizeof acronyms / sizeof acronyms[0]; i++)
        upper = upper || !strcasecmp(product, acronyms[i]);
    if (upper) {
        for (size_t i = 0; i < n; i++)
            tmp.data[i] = (char)toupper((unsigned char)tmp.data[i]);
    } else {
        tmp.data[0] = (char)toupper((unsigned char)tmp.data[0]);
    }
    web_esc(b, tmp.data);
    hdx_buf_clear(&tmp);
}

/* ---- branding ----------------------------------------------------------- */

const web_brand *web_brand_get(void)
{
    return &g_brand;
}

void web_brand_clear(web_brand *b)
{
    free(b->product_name);
    free(b->logo);
    free(b->support_url);
    free(b->support_email);
    memset(b, 0, sizeof *b);
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

static bool valid_color(const char *v)
{
    if (strlen(v) != 7 || v[0] != '#')
        return false;
    for (int i = 1; i < 7; i++)
        if (!isxdigit((unsigned char)v[i]))
            return false;
    return true;
}

/* A plain file name: letters, digits, '.', '-', '_', not starting with '.'. */
/* WCAG contrast ratio of #rrggbb against white. */
static double contrast_with_white(const char *hex)
{
    double lum = 0;
    static const double weight[3] = {0.2126, 0.7152, 0.0722};
    for (int i = 0; i < 3; i++) {
        char part[3] = {hex[1 + 2 * i], hex[2 + 2 * i], '\0'};
        double c = (double)strtol(part, NULL, 16) / 255.0;
        c = c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
        lum += weight[i] * c;
    }
    return 1.05 / (lum + 0.05);
}

static bool plain_name(const char *v)
{
    if (!*v || *v == '.')
        return false;
    for (const char *p = v; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' &&
            *p != '_')
            return false;
    return strstr(v, "..") == NULL;
}

static const char *asset_type(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".webp", "image/webp"},
        {".woff2", "font/woff2"},
    };
    const char *dot = strrchr(name, '.');
    if (!dot)
        return NULL;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(dot, types[i].ext))
            return types[i].type;
    return NULL;
}

static bool valid_email(const char *v)
{
    const char *at = strchr(v, '@');
    if (!at || at == v || !at[1] || strchr(at + 1, '@') ||
        !strchr(at + 1, '.'))
        return false;
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p <= ' ' || strchr("<>\"'(),;:\\[]?&=%", *p))
            return false;
    return true;
}

static bool valid_url(const char *v)
{
    if (strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0)
        return false;
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>')
            return false;
    return strlen(v) > 8;
}

static void set_str(char **slot, const char *v)
{
    free(*slot);
    *slot = hdx_xstrdup(v);
}

bool web_brand_load(const char *path, const char *assets_dir, web_brand *out,
                    char *msg, size_t msg_len)
{
    memset(out, 0, sizeof *out);
    out->product_name = hdx_xstrdup("helpdex");
    strcpy(out->primary_color, "#1d4ed8");
    out->logo = hdx_xstrdup("logo.svg");
    if (!path)
        return true;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(msg, msg_len, "%s: cannot open: %s", path, strerror(errno));
        web_brand_clear(out);
        return false;
    }
    char line[1024];
    int lineno = 0;
    bool ok = true;
    while (ok && fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            snprintf(msg, msg_len, "%s:%d: line is longer than %zu bytes",
                     path, lineno, sizeof line - 2);
            ok = false;
            break;
        }
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(msg, msg_len, "%s:%d: expected 'key = value'", path,
                     lineno);
            ok = false;
            break;
        }
        *eq = '\0';
        char *key = trim(s), *val = trim(eq + 1);
        size_t vn = strlen(val);
        if (vn >= 2 && (val[0] == '"' || val[0] == '\'') &&
            val[vn - 1] == val[0]) {
            val[vn - 1] = '\0';
            val++;
            vn -= 2;
        }
        if (vn > MAX_CONFIG_VALUE) {
            snprintf(msg, msg_len, "%s:%d: value of '%.40s' is longer than %u "
                     "bytes", path, lineno, key, MAX_CONFIG_VALUE);
            ok = false;
        } else if (!strcmp(key, "product_name")) {
            if (!vn) {
                snprintf(msg, msg_len, "%s:%d: product_name is empty", path,
                         lineno);
                ok = false;
            } else {
                set_str(&out->product_name, val);
            }
        } else if (!strcmp(key, "primary_color")) {
            if (!valid_color(val)) {
                snprintf(msg, msg_len, "%s:%d: primary_color must be #rrggbb "
                         "(six hex digits), got '%.40s'", path, lineno, val);
                ok = false;
            } else {
                for (int i = 0; i < 7; i++)
                    out->primary_color[i] = (char)tolower((unsigned char)val[i]);
                out->primary_color[7] = '\0';
                double ratio = contrast_with_white(out->primary_color);
                if (ratio < 4.5)
                    fprintf(stderr, "helpdex-serve: warning: %s:%d: white "
                            "text on primary_color %s has a contrast of "
                            "only %.1f:1 (WCAG AA needs 4.5:1); choose a "
                            "darker colour\n", path, lineno,
                            out->primary_color, ratio);
            }
        } else if (!strcmp(key, "logo")) {
            if (!plain_name(val) || !asset_type(val) ||
                !strncmp(asset_type(val), "text/", 5)) {
                snprintf(msg, msg_len, "%s:%d: logo must be an image file name "
                         "in the assets folder (.svg, .png, .webp), got "
                         "'%.40s'", path, lineno, val);
                ok = false;
            } else {
                char full[4096];
                struct stat st;
                snprintf(full, sizeof full, "%s/%s", assets_dir, val);
                if (stat(full, &st) != 0 || !S_ISREG(st.st_mode)) {
                    snprintf(msg, msg_len, "%s:%d: logo '%.40s' not found in "
                             "%.200s", path, lineno, val, assets_dir);
                    ok = false;
                } else {
                    set_str(&out->logo, val);
                }
            }
        } else if (!strcmp(key, "support_url")) {
            if (!valid_url(val)) {
                snprintf(msg, msg_len, "%s:%d: support_url must be an http:// "
                         "or https:// URL without spaces or quotes", path,
                         lineno);
                ok = false;
            } else {
                set_str(&out->support_url, val);
            }
        } else if (!strcmp(key, "support_email")) {
            if (!valid_email(val)) {
                snprintf(msg, msg_len, "%s:%d: support_email must be a plain "
                         "address such as help@example.com, got '%.60s'",
                         path, lineno, val);
                ok = false;
            } else {
                set_str(&out->support_email, val);
            }
        } else {
            snprintf(msg, msg_len, "%s:%d: unknown key '%.40s' (known: "
                     "product_name, primary_color, logo, support_url, "
                     "support_email)", path, lineno, key);
            ok = false;
        }
    }
    fclose(f);
    if (!ok)
        web_brand_clear(out);
    return ok;
}

/* ---- page shell --------------------------------------------------------- */

void web_page_begin(hdx_buf *b, const char *title, const char *q)
{
    const web_brand *br = &g_brand;
    hdx_buf_adds(b, "<!doctype html>\n<html lang=\"en\">\n<head>\n"
                    "<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, "
                    "initial-scale=1\">\n<title>");
    if (title && *title) {
        web_esc(b, title);
        hdx_buf_adds(b, " · ");
    }
    web_esc(b, br->product_name);
    hdx_buf_adds(b, " Help Center</title>\n"
                    "<link rel=\"stylesheet\" href=\"/assets/style.css\">\n"
                    "<link rel=\"stylesheet\" href=\"/assets/theme.css\">\n"
                    "<link rel=\"icon\" href=\"/assets/");
    web_esc(b, br->logo);
    hdx_buf_adds(b, "\">\n<script src=\"/assets/app.js\" defer></script>\n"
                    "</head>\n<body>\n"
                    "<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
                    "<header class=\"site\">\n<div class=\"bar\">\n"
                    "<a class=\"brand\" href=\"/\"><img src=\"/assets/");
    web_esc(b, br->logo);
    hdx_buf_adds(b, "\" alt=\"\" width=\"32\" height=\"32\"><span>");
    web_esc(b, br->product_name);
    hdx_buf_adds(b, " <span class=\"brand-sub\">Help Center</span></span></a>\n");
    if (q) {
        hdx_buf_adds(b,
                     "<form class=\"search search-small\" role=\"search\" "
                     "action=\"/search\" method=\"get\">\n"
                     "<label for=\"q\" class=\"visually-hidden\">Search the "
                     "help center</label>\n"
                     "<input id=\"q\" name=\"q\" type=\"search\" "
                     "autocomplete=\"off\" maxlength=\"1024\" "
                     "placeholder=\"Search for answers\" value=\"");
        web_esc(b, q);
        hdx_buf_adds(b, "\">\n<button type=\"submit\">Search</button>\n"
                        "</form>\n");
    }
    hdx_buf_adds(b, "</div>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n");
}

void web_page_end(hdx_buf *b)
{
    const web_brand *br = &g_brand;
    hdx_buf_adds(b, "</main>\n<footer class=\"site\">\n<p>");
    web_esc(b, br->product_name);
    hdx_buf_adds(b, " Help Center · <a href=\"/\">Home</a> · "
                    "<a href=\"/search\">All articles</a>");
    if (br->support_url || br->support_email) {
        hdx_buf_adds(b, " · <a href=\"");
        if (br->support_url) {
            web_esc(b, br->support_url);
        } else {
            hdx_buf_adds(b, "mailto:");
            web_esc(b, br->support_email);
        }
        hdx_buf_adds(b, "\">Contact support</a>");
    }
    hdx_buf_adds(b, "</p>\n</footer>\n</body>\n</html>\n");
}

void web_reply_html(reply *rep, int status, hdx_buf *b)
{
    free(rep->body);
    rep->status = status;
    rep->content_type = "text/html; charset=utf-8";
    rep->len = b->len;
    rep->body = hdx_buf_detach(b);
    reply_header(rep, "Content-Security-Policy", WEB_CSP);
    reply_header(rep, "X-Frame-Options", "DENY");
}

void web_reply_message(reply *rep, int status, const char *heading,
                       const char *message)
{
    hdx_buf b;
    hdx_buf_init(&b);
    web_page_begin(&b, heading, "");
    hdx_buf_adds(&b, "<div class=\"narrow message\">\n<h1>");
    web_esc(&b, heading);
    hdx_buf_adds(&b, "</h1>\n<p>");
    web_esc(&b, message);
    hdx_buf_adds(&b, "</p>\n<p><a href=\"/\">Go to the help center home</a>"
                     "</p>\n</div>\n");
    web_page_end(&b);
    web_reply_html(rep, status, &b);
    hdx_buf_clear(&b);
}

void web_escalation(hdx_buf *b, const char *query, const char *article_id,
                    bool hidden)
{
    const web_brand *br = &g_brand;
    hdx_buf_adds(b, "<section class=\"escalate\" id=\"escalate\" "
                    "aria-labelledby=\"escalate-h\"");
    if (hidden)
        hdx_buf_adds(b, " hidden");
    hdx_buf_adds(b, ">\n<h2 id=\"escalate-h\">Still need help?</h2>\n");
    if (!br->support_url && !br->support_email) {
        hdx_buf_adds(b, "<p>Contact your administrator or the team that "
                        "gave you access to ");
        web_esc(b, br->product_name);
        hdx_buf_adds(b, ".</p>\n</section>\n");
        return;
    }
    hdx_buf_adds(b, "<p>Our support team can take it from here. We pass on "
                    "what you searched for and read, so you don't have to "
                    "repeat yourself.</p>\n");
    /* The link: every value URL-encoded, then the whole HTML-escaped. */
    hdx_buf link;
    hdx_buf_init(&link);
    bool has_q = query && *query, has_a = article_id && *article_id;
    if (br->support_url) {
        hdx_buf_adds(&link, br->support_url);
        hdx_buf_addc(&link, strchr(br->support_url, '?') ? '&' : '?');
        hdx_buf_adds(&link, "source=help-center");
        if (has_q) {
            hdx_buf_adds(&link, "&q=");
            web_urlenc(&link, query);
        }
        if (has_a) {
            hdx_buf_adds(&link, "&articles=");
            web_urlenc(&link, article_id);
        }
    } else {
        hdx_buf text;
        hdx_buf_init(&text);
        hdx_buf_adds(&link, "mailto:");
        hdx_buf_adds(&link, br->support_email);
        hdx_buf_adds(&link, "?subject=");
        hdx_buf_adds(&text, "Help request");
        if (has_q) {
            hdx_buf_adds(&text, ": ");
            hdx_buf_adds(&text, query);
        }
        web_urlenc(&link, text.data);
        hdx_buf_reset(&text);
        hdx_buf_adds(&text, "Describe your problem here:\n\n\n---\n");
        hdx_buf_adds(&text, "Searched for: ");
        hdx_buf_adds(&text, has_q ? query : "(nothing)");
        hdx_buf_adds(&text, "\nArticles viewed: ");
        hdx_buf_adds(&text, has_a ? article_id : "(none)");
        hdx_buf_adds(&text, "\n");
        hdx_buf_adds(&link, "&body=");
        web_urlenc(&link, text.data);
        hdx_buf_clear(&text);
    }
    hdx_buf_adds(b, "<p><a class=\"button\" id=\"escalate-link\" href=\"");
    web_esc(b, link.data);
    hdx_buf_adds(b, "\" data-base=\"");
    web_esc(b, br->support_url ? br->support_url : br->support_email);
    hdx_buf_adds(b, "\" data-kind=\"");
    hdx_buf_adds(b, br->support_url ? "url" : "mail");
    hdx_buf_adds(b, "\">Contact support</a></p>\n</section>\n");
    hdx_buf_clear(&link);
}

/* ---- assets ------------------------------------------------------------- */

static void reply_theme(reply *rep)
{
    hdx_buf b;
    hdx_buf_init(&b);
    hdx_buf_printf(&b, "/* generated from the branding file */\n"
                       ":root { --brand: %s; }\n",
                   g_brand.primary_color);
    free(rep->body);
    rep->status = 200;
    rep->content_type = "text/css; charset=utf-8";
    rep->len = b.len;
    rep->body = hdx_buf_detach(&b);
    hdx_buf_clear(&b);
    reply_header(rep, "Cache-Control", "no-cache");
    reply_header(rep, "Content-Security-Policy", WEB_CSP);
}

static void reply_asset(reply *rep, const char *name)
{
    const char *type = asset_type(name);
    if (!plain_name(name) || !type) {
        reply_error(rep, 404, "not_found", "no such asset");
        return;
    }
    char full[4096];
    snprintf(full, sizeof full, "%s/%s", g_assets, name);
    FILE *f = fopen(full, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_size > (off_t)MAX_ASSET_BYTES) {
        if (f)
            fclose(f);
        reply_error(rep, 404, "not_found", "no such asset");
        return;
    }
    size_t n = (size_t)st.st_size;
    char *data = hdx_xmalloc(n + 1);
    size_t got = fread(data, 1, n, f);
    fclose(f);
    free(rep->body);
    rep->status = 200;
    rep->content_type = type;
    rep->body = data;
    rep->len = got;
    reply_header(rep, "Cache-Control", "public, max-age=300");
    reply_header(rep, "Content-Security-Policy", WEB_CSP);
}

/* ---- routing ------------------------------------------------------------ */

int web_init(const web_config *cfg, char *msg, size_t msg_len)
{
    g_assets = hdx_xstrdup(cfg->assets_dir ? cfg->assets_dir : "web");
    size_t n = strlen(g_assets);
    while (n > 1 && g_assets[n - 1] == '/')
        g_assets[--n] = '\0';
    struct stat st;
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/style.css", g_assets);
    if (stat(probe, &st) != 0)
        fprintf(stderr, "helpdex-serve: warning: no help center assets in "
                        "'%s' (use --assets DIR); pages will be unstyled\n",
                g_assets);
    if (!web_brand_load(cfg->config_path, g_assets, &g_brand, msg, msg_len)) {
        free(g_assets);
        g_assets = NULL;
        return -1;
    }
    if (feedback_open(cfg->feedback_db, msg, msg_len) != 0) {
        web_brand_clear(&g_brand);
        free(g_assets);
        g_assets = NULL;
        return -1;
    }
    return 0;
}

void web_shutdown(void)
{
    feedback_close();
    web_brand_clear(&g_brand);
    free(g_assets);
    g_assets = NULL;
}

static bool is_get(request *r)
{
    return !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD");
}

static void not_allowed(reply *rep, const char *allow)
{
    reply_error(rep, 405, "method_not_allowed", "use %s here", allow);
    reply_header(rep, "Allow", allow);
}

bool web_route(request *r, reply *rep)
{
    const char *p = r->path;
    if (!strcmp(p, "/api/feedback")) {
        if (strcmp(r->method, "POST") != 0)
            not_allowed(rep, "POST");
        else
            handle_feedback(r, rep);
        return true;
    }
    if (!strcmp(p, "/api/feedback/stats")) {
        if (!is_get(r))
            not_allowed(rep, "GET, HEAD");
        else
            handle_feedback_stats(r, rep);
        return true;
    }
    bool page = !strcmp(p, "/") || !strcmp(p, "/search") ||
                !strncmp(p, "/a/", 3) || !strncmp(p, "/assets/", 8);
    if (!page)
        return false;
    if (!is_get(r)) {
        not_allowed(rep, "GET, HEAD");
        return true;
    }
    if (!strcmp(p, "/"))
        web_page_home(r, rep);
    else if (!strcmp(p, "/search"))
        web_page_search(r, rep);
    else if (!strncmp(p, "/a/", 3))
        web_page_article(r, rep, p + 3);
    else if (!strcmp(p + 8, "theme.css"))
        reply_theme(rep);
    else
        reply_asset(rep, p + 8);
    return true;
}
