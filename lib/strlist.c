/*
 * strlist.c - hdx_strlist, the growable list of owned strings that an
 * article uses for tags, versions, error codes, KB links and unknown keys.
 *
 * A list starts zeroed ({NULL, 0}); every item is a malloc'd copy owned by
 * the list until hdxi_strlist_free().
 */
#include "internal.h"

#include "hdx/alloc.h"

#include <stdlib.h>

void hdxi_strlist_push(hdx_strlist *l, const char *s, size_t n)
{
    l->items = hdx_xrealloc(l->items, (l->n + 1) * sizeof(char *));
    l->items[l->n++] = hdx_xstrndup(s, n);
}

void hdxi_strlist_free(hdx_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}
