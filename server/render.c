/*
 * render.c - safe Markdown rendering with heading anchors (see render.h).
 *
 * Anchors are added as a custom inline node at the start of each heading:
 * cmark renders custom nodes' on_enter text verbatim even in safe mode,
 * and the text is built here from an escaped anchor, never from the
 * document, so safe mode still holds for everything a writer wrote.
 */
#include "render.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"
#include "hdx/sections.h"

#include <cmark.h>
#include <ctype.h>
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

char *render_markdown(const char *md, const char *sections,
                      size_t sections_len)
{
    cmark_node *doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    /* Collect headings first: editing while iterating is not allowed. */
    cmark_node **heads = NULL;
    size_t n = 0;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER &&
            cmark_node_get_type(node) == CMARK_NODE_HEADING) {
            heads = hdx_xrealloc(heads, (n + 1) * sizeof *heads);
            heads[n++] = node;
        }
    }
    cmark_iter_free(it);
    /* The table's first record is the text before the first heading. */
    size_t pos = 0;
    hdx_section_ref sec;
    bool more = hdx_sections_next(sections, sections_len, &pos, &sec);
    for (size_t i = 0; i < n; i++) {
        strip_attrs(heads[i]);
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
        cmark_node_prepend_child(heads[i], span);
        hdx_buf_clear(&a);
    }
    free(heads);
    char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
    cmark_node_free(doc);
    return html;
}
