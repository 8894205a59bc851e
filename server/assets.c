/*
 * assets.c - static assets and the generated theme (see assets.h).
 *
 * Fingerprints: pages link "/assets/style.<16 hex>.css", the hex being
 * the FNV-1a hash of the file's bytes, so the URL changes whenever the
 * file does and may be cached for a year.  The hash of each file is kept
 * with the size and modification time it was computed for, and computed
 * again when either changes (an edited file gets a new URL at once).
 */
#include "assets.h"
#include "base_path.h"

#include "brand.h"

#include "hdx/alloc.h"
#include "hdx/hash.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_ASSET_BYTES (2u * 1024u * 1024u)

#define N_PRINTS 32                /* fingerprinted files remembered */
#define FP_LEN 16                  /* hex digits of a fingerprint */
#define LONG_CACHE "public, max-age=31536000, immutable"
#define SHORT_CACHE "public, max-age=300"

static char *g_assets;

typedef struct fingerprint {
    char name[128];
    off_t size;
    struct timespec mtime;
    char hex[FP_LEN + 1];
} fingerprint;

static fingerprint g_prints[N_PRINTS];
static size_t g_n_prints;
static pthread_mutex_t g_prints_mu = PTHREAD_MUTEX_INITIALIZER;

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

/* The contents of asset `name` (malloc'd, *n bytes) and its stat, or
 * NULL when it is not a regular file of at most MAX_ASSET_BYTES. */
static char *read_asset(const char *name, size_t *n, struct stat *st)
{
    char full[4096];
    snprintf(full, sizeof full, "%s/%s", g_assets, name);
    FILE *f = fopen(full, "rb");
    if (!f || fstat(fileno(f), st) != 0 || !S_ISREG(st->st_mode) ||
        st->st_size > (off_t)MAX_ASSET_BYTES) {
        if (f)
            fclose(f);
        return NULL;
    }
    char *data = hdx_xmalloc((size_t)st->st_size + 1);
    *n = fread(data, 1, (size_t)st->st_size, f);
    fclose(f);
    return data;
}

/* Remember `hex` as the fingerprint of `name` at `st` (lock held). */
static void remember(const char *name, const struct stat *st, const char *hex)
{
    fingerprint *fp = NULL;
    for (size_t i = 0; i < g_n_prints && !fp; i++)
        if (!strcmp(g_prints[i].name, name))
            fp = &g_prints[i];
    if (!fp && g_n_prints < N_PRINTS)
        fp = &g_prints[g_n_prints++];
    if (!fp)
        return;
    snprintf(fp->name, sizeof fp->name, "%s", name);
    fp->size = st->st_size;
    fp->mtime = st->st_mtim;
    memcpy(fp->hex, hex, FP_LEN + 1);
}

/* The current fingerprint of asset `name` into hex; false if unreadable. */
static bool asset_print(const char *name, char hex[FP_LEN + 1])
{
    char full[4096];
    struct stat st;
    snprintf(full, sizeof full, "%s/%s", g_assets, name);
    if (strlen(name) >= sizeof g_prints[0].name || stat(full, &st) != 0)
        return false;
    bool found = false;
    pthread_mutex_lock(&g_prints_mu);
    for (size_t i = 0; i < g_n_prints && !found; i++) {
        const fingerprint *fp = &g_prints[i];
        found = !strcmp(fp->name, name) && fp->size == st.st_size &&
                fp->mtime.tv_sec == st.st_mtim.tv_sec &&
                fp->mtime.tv_nsec == st.st_mtim.tv_nsec;
        if (found)
            memcpy(hex, fp->hex, FP_LEN + 1);
    }
    pthread_mutex_unlock(&g_prints_mu);
    if (found)
        return true;
    size_t n;
    char *data = read_asset(name, &n, &st);
    if (!data)
        return false;
    hdx_hash64_hex(hdx_hash64(data, n), hex);
    free(data);
    pthread_mutex_lock(&g_prints_mu);
    remember(name, &st, hex);
    pthread_mutex_unlock(&g_prints_mu);
    return true;
}

void asset_url(hdx_buf *b, const char *name)
{
    char hex[FP_LEN + 1];
    const char *dot = strrchr(name, '.');
    base_url(b, "/assets/");
    if (!dot || dot == name || !asset_name_ok(name) || !asset_print(name, hex)) {
        hdx_buf_adds(b, name);
        return;
    }
    hdx_buf_add(b, name, (size_t)(dot - name));
    hdx_buf_printf(b, ".%s%s", hex, dot);
}

/* "style.<16 hex>.css" → "style.css" into out, and the hex; false when
 * `name` has no fingerprint. */
static bool unprint(const char *name, char *out, size_t cap,
                    char hex[FP_LEN + 1])
{
    const char *ext = strrchr(name, '.');
    if (!ext || (size_t)(ext - name) < FP_LEN + 2)
        return false;
    const char *fp = ext - FP_LEN;
    if (fp[-1] != '.')
        return false;
    for (size_t i = 0; i < FP_LEN; i++)
        if (!isdigit((unsigned char)fp[i]) && !(fp[i] >= 'a' && fp[i] <= 'f'))
            return false;
    size_t stem = (size_t)(fp - 1 - name);
    if (stem + strlen(ext) + 1 > cap)
        return false;
    memcpy(out, name, stem);
    strcpy(out + stem, ext);
    memcpy(hex, fp, FP_LEN);
    hex[FP_LEN] = '\0';
    return true;
}

void handle_asset(request *r, reply *rep)
{
    char plain[256], want[FP_LEN + 1], have[FP_LEN + 1];
    const char *name = r->id;
    bool printed = unprint(name, plain, sizeof plain, want);
    if (printed)
        name = plain;
    const char *type = asset_type(name);
    if (!asset_name_ok(name) || !type) {
        reply_error(rep, 404, "not_found", "no such asset");
        return;
    }
    size_t n;
    struct stat st;
    char *data = read_asset(name, &n, &st);
    if (!data) {
        reply_error(rep, 404, "not_found", "no such asset");
        return;
    }
    /* The year-long cache only for the URL of these very bytes: an old
     * fingerprint gets today's file, briefly cached. */
    hdx_hash64_hex(hdx_hash64(data, n), have);
    reply_take(rep, 200, type, data, n);
    reply_header(rep, "Cache-Control",
                 printed && !strcmp(want, have) ? LONG_CACHE : SHORT_CACHE);
    reply_header(rep, "Content-Security-Policy", WEB_CSP);
}
