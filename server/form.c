/*
 * form.c - decode an application/x-www-form-urlencoded body (see form.h).
 */
#include "form.h"

#include "hdx/alloc.h"

#include <microhttpd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decode one key or value s[0..n): '+' is a space, then MHD undoes the
 * percent-escapes.  *nul is set when the result holds a NUL byte. */
static char *decode(const char *s, size_t n, bool *nul)
{
    char *out = hdx_xstrndup(s, n);
    for (char *p = out; *p; p++)
        if (*p == '+')
            *p = ' ';
    if (MHD_http_unescape(out) != strlen(out))
        *nul = true;
    return out;
}

void form_parse(form_data *f, const char *body, size_t len)
{
    memset(f, 0, sizeof *f);
    size_t i = 0, cap = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && body[j] != '&')
            j++;
        const char *eq = memchr(body + i, '=', j - i);
        if (eq) {
            bool nul = false;
            char *key = decode(body + i, (size_t)(eq - (body + i)), &nul);
            char *val = decode(eq + 1, (size_t)(body + j - eq - 1), &nul);
            if (nul && !f->bad[0])
                snprintf(f->bad, sizeof f->bad,
                         "field '%.64s' contains a NUL byte (%%00)", key);
            if (f->n == cap) {
                cap = cap ? 2 * cap : 8;
                f->fields = hdx_xrealloc(f->fields, cap * sizeof *f->fields);
            }
            f->fields[f->n].name = key;
            f->fields[f->n].value = val;
            f->n++;
        }
        i = j + 1;
    }
}

const char *form_get(const form_data *f, const char *name)
{
    for (size_t i = f->n; i-- > 0;)
        if (!strcmp(f->fields[i].name, name))
            return f->fields[i].value;
    return NULL;
}

void form_clear(form_data *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->fields[i].name);
        free(f->fields[i].value);
    }
    free(f->fields);
    memset(f, 0, sizeof *f);
}
