/*
 * media.c - images and attachments served from the corpus (see media.h).
 * The referencing check renders the caller's view of the article with a
 * media function that only records whether the requested path comes up,
 * so "referenced" means exactly what the page links to.
 */
#include "media.h"

#include "api.h"
#include "conditional.h"
#include "html.h"
#include "render.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char *g_root; /* realpath of --corpus, or NULL */

bool media_open(const char *dir)
{
    if (!dir)
        return true;
    g_root = realpath(dir, NULL);
    if (!g_root) {
        fprintf(stderr, "helpdex-serve: --corpus %s: %s\n", dir,
                strerror(errno));
        return false;
    }
    return true;
}

void media_close(void)
{
    free(g_root);
    g_root = NULL;
}

const char *media_type(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".png", "image/png"},   {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"}, {".gif", "image/gif"},
        {".webp", "image/webp"}, {".svg", "image/svg+xml"},
        {".pdf", "application/pdf"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(name, '.');
    if (!dot || strchr(dot, '/'))
        return NULL;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcasecmp(dot, types[i].ext))
            return types[i].type;
    return NULL;
}

/* A corpus-relative path with only plain segments. */
static bool path_ok(const char *p)
{
    if (!*p || *p == '/' || strchr(p, '\\'))
        return false;
    for (const char *s = p; *s;) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 0 || (n == 1 && s[0] == '.') ||
            (n == 2 && s[0] == '.' && s[1] == '.'))
            return false;
        s += n + (e != NULL);
        if (e && !*s)
            return false; /* trailing '/' */
    }
    return true;
}

/* The real path of corpus path `p` when it is a regular file inside the
 * corpus and of an allowed type (malloc'd), else NULL. */
static char *inside(const char *p, struct stat *st)
{
    if (!g_root || !path_ok(p) || !media_type(p))
        return NULL;
    size_t n = strlen(g_root) + strlen(p) + 2;
    char *full = hdx_xmalloc(n);
    snprintf(full, n, "%s/%s", g_root, p);
    char *real = realpath(full, NULL);
    free(full);
    size_t rn = strlen(g_root);
    if (!real || strncmp(real, g_root, rn) != 0 || real[rn] != '/' ||
        stat(real, st) != 0 || !S_ISREG(st->st_mode) ||
        st->st_size > (off_t)MEDIA_MAX_BYTES || !media_type(real)) {
        free(real);
        return NULL;
    }
    return real;
}

char *media_url(const char *path, const char *id)
{
    struct stat st;
    char *real = inside(path, &st);
    if (!real)
        return NULL;
    free(real);
    hdx_buf b;
    hdx_buf_init(&b);
    web_id_path(&b, "/media/", path);
    hdx_buf_adds(&b, "?a=");
    web_urlenc(&b, id);
    char *r = hdx_buf_detach(&b);
    hdx_buf_clear(&b);
    return r;
}

typedef struct seek {
    const char *want;
    bool found;
} seek;

static char *seek_media(const char *path, void *ctx)
{
    seek *s = ctx;
    if (!strcmp(path, s->want))
        s->found = true;
    return NULL;
}

/* Does the caller's view of article `id` reference corpus path `p`? */
static bool referenced(const request *r, const char *id, const char *p)
{
    hdx_results *res = NULL;
    docdata d;
    if (api_fetch(r, id, 0, &res, NULL) != HDX_OK) {
        hdx_results_free(res);
        return false;
    }
    if (!docdata_parse(res, 0, &d)) {
        hdx_results_free(res);
        return false;
    }
    seek s = {p, false};
    const char *apath = json_string_value(json_object_get(d.hdr, "path"));
    char *md = hdx_results_markdown(res, 0);
    render_opts o = {.path = apath, .media = seek_media, .ctx = &s};
    if (apath)
        free(render_markdown(md, &o));
    free(md);
    docdata_clear(&d);
    hdx_results_free(res);
    return s.found;
}

static void not_found(reply *rep)
{
    reply_error(rep, 404, "not_found", "no such file");
}

/* ETag/Last-Modified/Cache-Control; true when If-None-Match matches. */
static bool cache_headers(const request *r, reply *rep, const struct stat *st)
{
    char etag[64], date[64];
    snprintf(etag, sizeof etag, "\"%" PRIx64 "-%" PRIx64 "\"",
             (uint64_t)st->st_size,
             (uint64_t)st->st_mtim.tv_sec * 1000000000u +
                 (uint64_t)st->st_mtim.tv_nsec);
    struct tm tm;
    gmtime_r(&st->st_mtim.tv_sec, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    bool fresh = conditional_etag(r, rep, etag);
    reply_header(rep, "Last-Modified", date);
    /* What a token holder may see must not sit in shared caches. */
    reply_header(rep, "Cache-Control", r->has_token
                                           ? "private, max-age=300"
                                           : "public, max-age=3600");
    return fresh;
}

void handle_media(request *r, reply *rep)
{
    const char *id = http_arg(r, "a");
    struct stat st;
    char *real = id && *id ? inside(r->id, &st) : NULL;
    if (!real || !referenced(r, id, r->id)) {
        free(real);
        not_found(rep);
        return;
    }
    const char *type = media_type(real);
    int fd = open(real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    free(real);
    struct stat fst;
    if (fd < 0 || fstat(fd, &fst) != 0 || !S_ISREG(fst.st_mode) ||
        fst.st_size > (off_t)MEDIA_MAX_BYTES) {
        if (fd >= 0)
            close(fd);
        not_found(rep);
        return;
    }
    size_t n = (size_t)fst.st_size, got = 0;
    char *data = hdx_xmalloc(n + 1);
    while (got < n) {
        ssize_t k = read(fd, data + got, n - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd);
    reply_take(rep, 200, type, data, got);
    if (cache_headers(r, rep, &fst))
        conditional_not_modified(rep);
    /* X-Content-Type-Options: nosniff is on every reply (http.c). */
    if (!strncmp(type, "image/svg", 9))
        reply_header(rep, "Content-Security-Policy",
                     "default-src 'none'; style-src 'unsafe-inline'");
}
