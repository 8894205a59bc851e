/*
 * alloc.c - abort-on-OOM allocation wrappers (see include/hdx/alloc.h).
 */
#include "hdx/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
    fprintf(stderr, "helpdex: out of memory allocating %zu bytes\n", n);
    abort();
}

void *hdx_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *hdx_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        oom(count * size);
    return p;
}

void *hdx_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *hdx_xstrdup(const char *s)
{
    return hdx_xstrndup(s, strlen(s));
}

char *hdx_xstrndup(const char *s, size_t n)
{
    char *p = hdx_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
