/*
 * vocab.c - the closed vocabularies of an article: audience levels,
 * document types and incident section kinds, by name and back.
 *
 * These names are what the front matter accepts, what the index stores
 * (XA/XT terms, facets) and what the API returns, so they live once, here.
 */
#include "hdx/article.h"

#include <string.h>
#include <strings.h>

static const char *const audience_names[HDX_AUD_COUNT] = {"public", "agent",
                                                          "internal"};
static const char *const type_names[HDX_TYPE_COUNT] = {"article", "faq",
                                                       "incident"};

const char *hdx_audience_name(hdx_audience a)
{
    return (unsigned)a < HDX_AUD_COUNT ? audience_names[a] : "internal";
}

int hdx_audience_parse(const char *s)
{
    for (int i = 0; i < HDX_AUD_COUNT; i++)
        if (strcasecmp(s, audience_names[i]) == 0)
            return i;
    return -1;
}

const char *hdx_doctype_name(hdx_doctype t)
{
    return (unsigned)t < HDX_TYPE_COUNT ? type_names[t] : "article";
}

int hdx_doctype_parse(const char *s)
{
    for (int i = 0; i < HDX_TYPE_COUNT; i++)
        if (strcasecmp(s, type_names[i]) == 0)
            return i;
    /* Types of other docs platforms that are plain articles here. */
    if (strcasecmp(s, "kb") == 0 || strcasecmp(s, "howto") == 0 ||
        strcasecmp(s, "troubleshooting") == 0)
        return HDX_TYPE_ARTICLE;
    return -1;
}

const char *hdx_section_kind_name(hdx_section_kind k)
{
    static const char *const names[HDX_SEC_KIND_COUNT] = {
        "other", "symptoms", "cause", "resolution", "workaround", "links"};
    return (unsigned)k < HDX_SEC_KIND_COUNT ? names[k] : "other";
}
