/*
 * synonyms.c - load the synonyms file, and reload it only when its bytes
 * changed (see synonyms.h).  The stamp is the FNV-1a hash of the file,
 * kept in index metadata and committed with the synonyms it describes.
 */
#include "synonyms.h"

#include "walk.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"
#include "hdx/hash.h"
#include "hdx/schema.h"
#include "hdx/text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GROUP 32

static char *trim_norm(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    hdx_buf b;
    hdx_buf_init(&b);
    if (hdx_text_normalize(&b, s, n, NULL) != HDX_OK)
        hdx_buf_reset(&b);
    /* Collapse inner runs of spaces: keys are matched word by word. */
    size_t o = 0;
    for (size_t i = 0; i < b.len; i++)
        if (!(b.data[i] == ' ' && (o == 0 || b.data[o - 1] == ' ')))
            b.data[o++] = b.data[i];
    b.len = o;
    b.data[o] = '\0';
    char *r = hdx_buf_detach(&b);
    hdx_buf_clear(&b);
    return r;
}

hdx_status synonyms_load(hdx_writer *w, const char *path, const char *data,
                         size_t len, unsigned *n_groups, hdx_error *err)
{
    *n_groups = 0;
    hdx_status st = hdx_writer_clear_synonyms(w, err);
    int line = 0;
    size_t i = 0;
    while (st == HDX_OK && i < len) {
        line++;
        size_t e = i;
        while (e < len && data[e] != '\n')
            e++;
        size_t end = e;
        const char *hash = memchr(data + i, '#', e - i);
        if (hash)
            end = (size_t)(hash - data);
        char *group[MAX_GROUP];
        size_t n = 0;
        size_t s = i;
        for (size_t k = i; k <= end && n < MAX_GROUP; k++) {
            if (k == end || data[k] == ',') {
                char *entry = trim_norm(data + s, k - s);
                if (*entry)
                    group[n++] = entry;
                else
                    free(entry);
                s = k + 1;
            }
        }
        if (n == 1)
            fprintf(stderr, "%s:%d: a synonym group needs at least two "
                            "entries separated by commas\n", path, line);
        for (size_t a = 0; a < n && st == HDX_OK && n > 1; a++)
            for (size_t b = 0; b < n && st == HDX_OK; b++)
                if (a != b && strcmp(group[a], group[b]) != 0)
                    st = hdx_writer_add_synonym(w, group[a], group[b], err);
        if (n > 1)
            (*n_groups)++;
        for (size_t k = 0; k < n; k++)
            free(group[k]);
        i = e + 1;
    }
    return st;
}

hdx_status synonyms_sync(hdx_writer *w, const char *corpus, bool force,
                         bool *changed, hdx_error *err)
{
    static const char name[] = "synonyms.txt";
    *changed = false;
    char *data = NULL;
    size_t len = 0;
    if (walk_read_file(corpus, name, &data, &len, NULL) != HDX_OK)
        data = hdx_xstrdup(""); /* missing or unreadable: no synonyms */
    char hash[17];
    hdx_hash64_hex(hdx_hash64(data, len), hash);
    char *old = NULL;
    hdx_status st = hdx_writer_meta_get(w, HDX_META_SYNONYMS, &old, err);
    if (st == HDX_OK && (force || !old || strcmp(old, hash) != 0)) {
        unsigned groups;
        st = synonyms_load(w, name, data, len, &groups, err);
        if (st == HDX_OK)
            st = hdx_writer_meta_set(w, HDX_META_SYNONYMS, hash, err);
        *changed = true;
    }
    free(old);
    free(data);
    return st;
}
