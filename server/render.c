/*
 * render.c - safe Markdown rendering with heading anchors (see render.h).
 *
 * Anchors are added as a custom inline node at the start of each heading:
 * cmark renders custom nodes' on_enter text verbatim even in safe mode,
 * and the text is built here from an escaped anchor, never from the
 * document, so safe mode still holds for everything a writer wrote.
 *
 * Article links are collected in one walk with the headings and resolved
 * in one call of the caller's render_links_fn; a link the reader may not
 * follow is replaced by its text (an autolink, whose text is the target
 * itself, by nothing), so neither its href nor its id reaches the page.
 */
#include "render.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"
#include "hdx/sections.h"

#include "hdx/markup.h"
#include <ctype.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

/* Remove a trailing "{...}" attribute group from the heading's last text. */
static void strip_attrs(cmark_node *heading)
{
    cmark_node *last = cmark_node_last_child(heading);
    if (!last || cmark_node_get_type(last) != CMARK_NODE_TEXT)
        return;
    const char *lit = cmark_node_get_literal(last);
    size_t n = strlen(lit);
    while (n && isspace((unsigned char)lit[n - 1]))
        n--;
    if (!n || lit[n - 1] != '}')
        return;
    const char *open = NULL;
    for (size_t i = n; i-- > 0;)
        if (lit[i] == '{') {
            open = lit + i;
            break;
        }
    if (!open)
        return;
    size_t keep = (size_t)(open - lit);
    while (keep && isspace((unsigned char)lit[keep - 1]))
        keep--;
    char *copy = hdx_xstrndup(lit, keep);
    cmark_node_set_literal(last, copy);
    free(copy);
}

/* A URL scheme ("mailto:", "https:") in t[0..n): a ':' before any '/'. */
static bool has_scheme(const char *t, size_t n)
{
    for (size_t i = 0; i < n && t[i] != '/'; i++)
        if (t[i] == ':')
            return true;
    return false;
}

char *render_link_id(const char *url, const char **tail)
{
    size_t n = strcspn(url, "#?");
    if (tail)
        *tail = url + n;
    const char *p = url;
    bool kb = !strncmp(url, "kb:", 3);
    if (kb || !strncmp(url, "/a/", 3)) {
        p += 3, n -= 3;
    } else if (url[0] == '/' || has_scheme(url, n) || n <= 3 ||
               memcmp(url + n - 3, ".md", 3) != 0) {
        return NULL;
    } else {
        while (n > 2 && !strncmp(p, "./", 2))
            p += 2, n -= 2;
    }
    /* "/a/ID.md" and "ID.md" name ID, as the /a/{id}.md redirect does. */
    if (!kb && n > 3 && !memcmp(p + n - 3, ".md", 3))
        n -= 3;
    char *id = hdx_xstrndup(p, n);
    if (MHD_http_unescape(id) != strlen(id))
        id[0] = '\0';
    return id;
}

/* What one walk of the document finds: headings, and the links and
 * images that name an article, with their ids and URL tails. */
typedef struct found {
    cmark_node **heads;
    size_t n_heads;
    cmark_node **links;
    char **ids;
    const char **tails; /* into the link's URL, until it is changed */
    size_t n_links;
} found;

/* Collect first: editing while iterating is not allowed. */
static void collect(cmark_node *doc, found *f)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(node);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        if (t == CMARK_NODE_HEADING) {
            f->heads = hdx_xrealloc(f->heads,
                                    (f->n_heads + 1) * sizeof *f->heads);
            f->heads[f->n_heads++] = node;
            continue;
        }
        const char *url = t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE
                              ? cmark_node_get_url(node)
                              : NULL;
        const char *tail;
        char *id = url ? render_link_id(url, &tail) : NULL;
        if (!id)
            continue;
        size_t k = f->n_links++;
        f->links = hdx_xrealloc(f->links, f->n_links * sizeof *f->links);
        f->ids = hdx_xrealloc(f->ids, f->n_links * sizeof *f->ids);
        f->tails = hdx_xrealloc(f->tails, f->n_links * sizeof *f->tails);
        f->links[k] = node;
        f->ids[k] = id;
        f->tails[k] = tail;
    }
    cmark_iter_free(it);
}

/* Give each heading the anchor of its record in the section table. */
static void add_anchors(const found *f, const char *sections,
                        size_t sections_len)
{
    /* The table's first record is the text before the first heading. */
    size_t pos = 0;
    hdx_section_ref sec;
    bool more = hdx_sections_next(sections, sections_len, &pos, &sec);
    for (size_t i = 0; i < f->n_heads; i++) {
        strip_attrs(f->heads[i]);
        more = more && hdx_sections_next(sections, sections_len, &pos, &sec);
        const char *anchor = more ? sec.anchor : NULL;
        if (!anchor || !*anchor)
            continue;
        hdx_buf a;
        hdx_buf_init(&a);
        hdx_buf_adds(&a, "<span class=\"anchor\" id=\"");
        hdx_buf_add_html(&a, anchor, strlen(anchor));
        hdx_buf_adds(&a, "\"></span>");
        cmark_node *span = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
        cmark_node_set_on_enter(span, a.data);
        cmark_node_set_on_exit(span, "");
        cmark_node_prepend_child(f->heads[i], span);
        hdx_buf_clear(&a);
    }
}

/* Replace a link by its text; an autolink ("<kb:ID>"), whose only text is
 * its target, by nothing. */
static void unlink_node(cmark_node *link)
{
    cmark_node *c = cmark_node_first_child(link);
    const char *url = cmark_node_get_url(link);
    bool autolink = c && !cmark_node_next(c) &&
                    cmark_node_get_type(c) == CMARK_NODE_TEXT && url &&
                    !strcmp(cmark_node_get_literal(c), url);
    while (!autolink && (c = cmark_node_first_child(link)))
        cmark_node_insert_before(link, c);
    cmark_node_free(link);
}

/* Resolve every article link at once; point the ones the reader may
 * follow at their article, turn the others into text. */
static void resolve(found *f, render_links_fn fn, void *ctx)
{
    if (!f->n_links)
        return;
    char **urls = hdx_xcalloc(f->n_links, sizeof *urls);
    if (fn)
        fn((const char *const *)f->ids, f->n_links, urls, ctx);
    for (size_t i = 0; i < f->n_links; i++) {
        if (urls[i]) {
            hdx_buf u;
            hdx_buf_init(&u);
            hdx_buf_adds(&u, urls[i]);
            hdx_buf_adds(&u, f->tails[i]);
            cmark_node_set_url(f->links[i], u.data);
            hdx_buf_clear(&u);
        } else {
            unlink_node(f->links[i]);
        }
        free(urls[i]);
        free(f->ids[i]);
    }
    free(urls);
}

char *render_markdown(const char *md, const char *sections,
                      size_t sections_len, render_links_fn links, void *ctx)
{
    cmark_node *doc = hdx_markup_parse(md, strlen(md), NULL, NULL);
    found f;
    memset(&f, 0, sizeof f);
    collect(doc, &f);
    add_anchors(&f, sections, sections_len);
    resolve(&f, links, ctx);
    free(f.heads);
    free(f.links);
    free(f.ids);
    free(f.tails);
    char *html = hdx_markup_html(doc);
    cmark_node_free(doc);
    return html;
}
