/*
 * brand.c - branding from a `key = value` file (see brand.h).
 */
#include "brand.h"

#include "assets.h"

#include "hdx/alloc.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_CONFIG_VALUE 300u

/* The live branding.  A reload (brand_reload) swaps in a new one; the
 * ones it replaced stay allocated until brand_close(), because a request
 * may still be rendering with one.  Reloads are rare and a branding is
 * a few hundred bytes. */
typedef struct brand_node {
    web_brand brand;
    struct brand_node *older;
} brand_node;

static _Atomic(brand_node *) g_live;
static const web_brand k_none; /* before brand_open() */

const web_brand *brand_get(void)
{
    brand_node *n = atomic_load(&g_live);
    return n ? &n->brand : &k_none;
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

/* Where the file is and what is being read, for messages. */
typedef struct cfg_line {
    const char *path;
    int lineno;
    const char *assets_dir;
    hdx_error *err;
} cfg_line;

#define BAD(c, ...)                                                        \
    (hdx_error_set((c)->err, HDX_EPARSE, "web_brand_load", __VA_ARGS__),   \
     (c)->err ? (void)((c)->err->line = (c)->lineno) : (void)0, false)

static bool set_color(web_brand *out, const char *val, const cfg_line *c)
{
    if (!valid_color(val))
        return BAD(c, "%s:%d: primary_color must be #rrggbb (six hex "
                   "digits), got '%.40s'", c->path, c->lineno, val);
    for (int i = 0; i < 7; i++)
        out->primary_color[i] = (char)tolower((unsigned char)val[i]);
    out->primary_color[7] = '\0';
    double ratio = contrast_with_white(out->primary_color);
    if (ratio < 4.5)
        fprintf(stderr, "helpdex-serve: warning: %s:%d: white text on "
                "primary_color %s has a contrast of only %.1f:1 (WCAG AA "
                "needs 4.5:1); choose a darker colour\n", c->path,
                c->lineno, out->primary_color, ratio);
    return true;
}

static bool set_logo(web_brand *out, const char *val, const cfg_line *c)
{
    const char *type = asset_type(val);
    if (!asset_name_ok(val) || !type || !strncmp(type, "text/", 5))
        return BAD(c, "%s:%d: logo must be an image file name in the assets "
                   "folder (.svg, .png, .webp), got '%.40s'", c->path,
                   c->lineno, val);
    char full[4096];
    struct stat st;
    snprintf(full, sizeof full, "%s/%s", c->assets_dir, val);
    if (stat(full, &st) != 0 || !S_ISREG(st.st_mode))
        return BAD(c, "%s:%d: logo '%.40s' not found in %.200s", c->path,
                   c->lineno, val, c->assets_dir);
    set_str(&out->logo, val);
    return true;
}

/* Apply one `key = value`; false (err set) for a bad one. */
static bool set_key(web_brand *out, const char *key, const char *val,
                    const cfg_line *c)
{
    size_t vn = strlen(val);
    if (vn > MAX_CONFIG_VALUE)
        return BAD(c, "%s:%d: value of '%.40s' is longer than %u bytes",
                   c->path, c->lineno, key, MAX_CONFIG_VALUE);
    if (!strcmp(key, "product_name")) {
        if (!vn)
            return BAD(c, "%s:%d: product_name is empty", c->path,
                       c->lineno);
        set_str(&out->product_name, val);
    } else if (!strcmp(key, "primary_color")) {
        return set_color(out, val, c);
    } else if (!strcmp(key, "logo")) {
        return set_logo(out, val, c);
    } else if (!strcmp(key, "support_url")) {
        if (!valid_url(val))
            return BAD(c, "%s:%d: support_url must be an http:// or https:// "
                       "URL without spaces or quotes", c->path, c->lineno);
        set_str(&out->support_url, val);
    } else if (!strcmp(key, "support_email")) {
        if (!valid_email(val))
            return BAD(c, "%s:%d: support_email must be a plain address such "
                       "as help@example.com, got '%.60s'", c->path,
                       c->lineno, val);
        set_str(&out->support_email, val);
    } else {
        return BAD(c, "%s:%d: unknown key '%.40s' (known: product_name, "
                   "primary_color, logo, support_url, support_email)",
                   c->path, c->lineno, key);
    }
    return true;
}

/* One line of the file (trimmed and NUL-terminated in place). */
static bool parse_line(web_brand *out, char *line, const cfg_line *c)
{
    char *s = trim(line);
    if (!*s || *s == '#')
        return true;
    char *eq = strchr(s, '=');
    if (!eq)
        return BAD(c, "%s:%d: expected 'key = value'", c->path, c->lineno);
    *eq = '\0';
    char *key = trim(s), *val = trim(eq + 1);
    size_t vn = strlen(val);
    if (vn >= 2 && (val[0] == '"' || val[0] == '\'') &&
        val[vn - 1] == val[0]) {
        val[vn - 1] = '\0';
        val++;
    }
    return set_key(out, key, val, c);
}

hdx_status web_brand_load(const char *path, const char *assets_dir,
                          web_brand *out, hdx_error *err)
{
    memset(out, 0, sizeof *out);
    out->product_name = hdx_xstrdup("helpdex");
    strcpy(out->primary_color, "#1d4ed8");
    out->logo = hdx_xstrdup("logo.svg");
    if (!path)
        return HDX_OK;
    FILE *f = fopen(path, "r");
    if (!f) {
        web_brand_clear(out);
        return hdx_error_set(err, HDX_EIO, __func__, "%s: cannot open: %s",
                             path, strerror(errno));
    }
    char line[1024];
    cfg_line c = {path, 0, assets_dir, err};
    bool ok = true;
    while (ok && fgets(line, sizeof line, f)) {
        c.lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n')
            ok = BAD(&c, "%s:%d: line is longer than %zu bytes", path,
                     c.lineno, sizeof line - 2);
        else
            ok = parse_line(out, line, &c);
    }
    fclose(f);
    if (ok)
        return HDX_OK;
    web_brand_clear(out);
    return HDX_EPARSE;
}

hdx_status brand_reload(const char *path, const char *assets_dir,
                        hdx_error *err)
{
    brand_node *n = hdx_xcalloc(1, sizeof *n);
    hdx_status st = web_brand_load(path, assets_dir, &n->brand, err);
    if (st != HDX_OK) {
        free(n);
        return st;
    }
    n->older = atomic_load(&g_live);
    atomic_store(&g_live, n);
    return HDX_OK;
}

hdx_status brand_open(const char *path, const char *assets_dir,
                      hdx_error *err)
{
    return brand_reload(path, assets_dir, err);
}

void brand_close(void)
{
    brand_node *n = atomic_exchange(&g_live, NULL);
    while (n) {
        brand_node *older = n->older;
        web_brand_clear(&n->brand);
        free(n);
        n = older;
    }
}
