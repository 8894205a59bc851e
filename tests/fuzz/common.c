/*
 * common.c - helpers shared by the fuzz harnesses (see common.h).
 */
#include "common.h"

#include "../../indexer/synonyms.h"

#include "hdx/alloc.h"
#include "hdx/article.h"
#include "hdx/buf.h"
#include "hdx/document.h"

#include <dirent.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef HDX_SOURCE_ROOT
#define HDX_SOURCE_ROOT "."
#endif

static char g_tmp[256];

static int rm_entry(const char *path, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void rm_tmp(void)
{
    if (g_tmp[0])
        nftw(g_tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    rm_tmp(); /* abort() skips atexit(); libFuzzer saves the input */
    abort();
}

bool fuzz_utf8_ok(const char *s, size_t n, size_t *bad)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = u[i];
        size_t k;          /* continuation bytes */
        unsigned lo = 0x80, hi = 0xBF; /* range of the second byte */
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            k = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            lo = c == 0xE0 ? 0xA0 : 0x80; /* no overlongs */
            hi = c == 0xED ? 0x9F : 0xBF; /* no surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            lo = c == 0xF0 ? 0x90 : 0x80;
            hi = c == 0xF4 ? 0x8F : 0xBF; /* nothing above U+10FFFF */
        } else {
            break;
        }
        if (i + k >= n)
            break; /* cut short by the end */
        size_t j = 1;
        for (; j <= k; j++) {
            unsigned b = u[i + j];
            unsigned a = j == 1 ? lo : 0x80, z = j == 1 ? hi : 0xBF;
            if (b < a || b > z)
                break;
        }
        if (j <= k)
            break;
        i += k + 1;
    }
    if (i < n && bad)
        *bad = i;
    return i >= n;
}

char *fuzz_strndup(const uint8_t *data, size_t n)
{
    char *s = hdx_xmalloc(n + 1);
    memcpy(s, data, n);
    s[n] = '\0';
    return s;
}

const char *fuzz_root(void)
{
    const char *r = getenv("HDX_FUZZ_ROOT");
    return r && *r ? r : HDX_SOURCE_ROOT;
}

const char *fuzz_tmpdir(void)
{
    if (g_tmp[0])
        return g_tmp;
    const char *t = getenv("TMPDIR");
    snprintf(g_tmp, sizeof g_tmp, "%s/hdx-fuzz-XXXXXX",
             t && *t && strlen(t) < 200 ? t : "/tmp");
    if (!mkdtemp(g_tmp))
        fuzz_fail("cannot create %s", g_tmp);
    atexit(rm_tmp);
    return g_tmp;
}

/* The bytes of `path` (caller frees), or NULL. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    hdx_buf b;
    hdx_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        hdx_buf_add(&b, chunk, n);
    fclose(f);
    *len = b.len;
    char *data = hdx_buf_detach(&b);
    hdx_buf_clear(&b);
    return data;
}

/* Parse and add every *.md file of corpus/`sub`; returns how many. */
static unsigned add_folder(hdx_writer *w, const char *sub)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/corpus/%s", fuzz_root(), sub);
    DIR *d = opendir(dir);
    if (!d)
        fuzz_fail("cannot list %s (set HDX_FUZZ_ROOT to the source tree)",
                  dir);
    unsigned n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t nl = strlen(e->d_name);
        if (nl < 4 || strcmp(e->d_name + nl - 3, ".md") != 0)
            continue;
        char path[8192], rel[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        snprintf(rel, sizeof rel, "%s/%s", sub, e->d_name);
        size_t len;
        char *data = read_all(path, &len);
        hdx_article *a = NULL;
        hdx_docset *s = NULL;
        hdx_error err;
        if (data && hdx_article_parse(rel, data, len, &a, &err) == HDX_OK &&
            hdx_docset_build(a, &s, &err) == HDX_OK &&
            hdx_writer_put(w, s, true, &err) == HDX_OK)
            n++;
        hdx_docset_free(s);
        hdx_article_free(a);
        free(data);
    }
    closedir(d);
    return n;
}

hdx_db *fuzz_index_open(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/index", dir);
    hdx_writer *w = NULL;
    hdx_error err;
    if (hdx_writer_open(path, 0, &w, &err) != HDX_OK ||
        hdx_writer_begin(w, &err) != HDX_OK)
        fuzz_fail("cannot create the index %s: %s", path, err.msg);
    unsigned n = add_folder(w, "articles") + add_folder(w, "incidents");
    char syn[4096];
    snprintf(syn, sizeof syn, "%s/corpus/synonyms.txt", fuzz_root());
    size_t len = 0;
    char *data = read_all(syn, &len);
    unsigned groups = 0;
    if (!data || n == 0 ||
        synonyms_load(w, syn, data, len, &groups, &err) != HDX_OK ||
        hdx_writer_commit(w, &err) != HDX_OK)
        fuzz_fail("cannot build the index from %s/corpus (%u documents)",
                  fuzz_root(), n);
    free(data);
    hdx_writer_close(w);
    hdx_db *db = NULL;
    if (hdx_db_open(path, &db, &err) != HDX_OK)
        fuzz_fail("cannot open the index %s: %s", path, err.msg);
    fprintf(stderr, "fuzz: index of %u articles, %u synonym groups in %s\n",
            n, groups, path);
    return db;
}
