/*
 * normalise.c - a query as the reports group it (see normalise.h).
 */
#include "normalise.h"

#include "hdx/text.h"


static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

char *analytics_normalise_query(const char *q)
{
    char *folded = hdx_text_folded(q ? q : "");
    size_t n = 0;
    int pending = 0;
    for (const char *p = folded; *p; p++) {
        if (is_space((unsigned char)*p)) {
            pending = n > 0;
            continue;
        }
        if (pending)
            folded[n++] = ' ';
        pending = 0;
        folded[n++] = *p;
    }
    n = hdx_text_clip(folded, n, ANALYTICS_MAX_QUERY);
    folded[n] = '\0';
    return folded;
}
