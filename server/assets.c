/*
 * assets.c - static assets and the generated theme (see assets.h).
 */
#include "assets.h"

#include "brand.h"

#include "hdx/alloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_ASSET_BYTES (2u * 1024u * 1024u)

static char *g_assets;

bool asset_name_ok(const char *v)
{
    if (!*v || *v == '.')
        return false;
    for (const char *p = v; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' &&
            *p != '_')
            return false;
    return strstr(v, "..") == NULL;
}

const char *asset_type(const char *name)
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

void assets_open(const char *dir)
{
    g_assets = hdx_xstrdup(dir ? dir : "web");
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
}

void assets_close(void)
{
    free(g_assets);
    g_assets = NULL;
}

const char *assets_dir(void)
{
    return g_assets;
}

void handle_theme(request *r, reply *rep)
{
    (void)r;
    hdx_buf b;
    hdx_buf_init(&b);
    hdx_buf_printf(&b, "/* generated from the branding file */\n"
                       ":root { --brand: %s; }\n",
                   brand_get()->primary_color);
    reply_take_buf(rep, 200, "text/css; charset=utf-8", &b);
    reply_header(rep, "Cache-Control", "no-cache");
    reply_header(rep, "Content-Security-Policy", WEB_CSP);
}

void handle_asset(request *r, reply *rep)
{
    const char *name = r->id;
    const char *type = asset_type(name);
    if (!asset_name_ok(name) || !type) {
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
    reply_take(rep, 200, type, data, got);
    reply_header(rep, "Cache-Control", "public, max-age=300");
    reply_header(rep, "Content-Security-Policy", WEB_CSP);
}
