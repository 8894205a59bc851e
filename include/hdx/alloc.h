/*
 * alloc.h - allocation that never returns NULL.
 *
 * C code in helpdex does not handle allocation failure itself: these
 * wrappers print a message and abort(), as Redis' zmalloc and cmark's
 * xcalloc do.  Memory they return is freed with free().
 */
#ifndef HDX_ALLOC_H
#define HDX_ALLOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

void *hdx_xmalloc(size_t n);
void *hdx_xcalloc(size_t count, size_t size);
void *hdx_xrealloc(void *p, size_t n);
char *hdx_xstrdup(const char *s);
char *hdx_xstrndup(const char *s, size_t n);

#ifdef __cplusplus
}
#endif
#endif
