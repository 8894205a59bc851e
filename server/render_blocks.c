/*
 * render_blocks.c - the block transforms of the article renderer (see
 * render.h): tables in an accessible scroll region, alerts as callouts,
 * level-1 headings under the page's own <h1>.  Each one collects the
 * nodes first (editing while iterating is not allowed), then replaces
 * them with custom blocks whose on_enter text is built here from escaped
 * text only, so safe mode still holds for everything a writer wrote.
 */
#include "render.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct nodes {
    cmark_node **v;
    char **label; /* per node, malloc'd or NULL */
    size_t n;
} nodes;

static void nodes_add(nodes *ns, cmark_node *node, const char *label)
{
    ns->v = hdx_xrealloc(ns->v, (ns->n + 1) * sizeof *ns->v);
    ns->label = hdx_xrealloc(ns->label, (ns->n + 1) * sizeof *ns->label);
    ns->v[ns->n] = node;
    ns->label[ns->n++] = label && *label ? hdx_xstrdup(label) : NULL;
}

static void nodes_clear(nodes *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        free(ns->label[i]);
    free(ns->v);
    free(ns->label);
}

/* The literal text of a subtree (headings). */
static void node_text(cmark_node *node, hdx_buf *out)
{
    cmark_iter *it = cmark_iter_new(node);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (ev == CMARK_EVENT_ENTER &&
            (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE))
            hdx_buf_adds(out, cmark_node_get_literal(n));
        else if (ev == CMARK_EVENT_ENTER && t == CMARK_NODE_SOFTBREAK)
            hdx_buf_addc(out, ' ');
    }
    cmark_iter_free(it);
}

/* Put `block` (a custom block with `enter`/`exit`) where `old` was, with
 * old's children, and free old. */
static void replace_block(cmark_node *old, const char *enter,
                          const char *exit)
{
    cmark_node *block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
    cmark_node_set_on_enter(block, enter);
    cmark_node_set_on_exit(block, exit);
    cmark_node *c;
    while ((c = cmark_node_first_child(old)))
        cmark_node_append_child(block, c);
    cmark_node_insert_before(old, block);
    cmark_node_free(old);
}

void render_tables(cmark_node *doc)
{
    nodes ns = {0};
    hdx_buf heading;
    hdx_buf_init(&heading);
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        if (cmark_node_get_type(n) == CMARK_NODE_HEADING) {
            heading.len = 0;
            heading.data[0] = '\0';
            node_text(n, &heading);
        } else if (hdx_markup_is(n, "table")) {
            nodes_add(&ns, n, heading.data);
        }
    }
    cmark_iter_free(it);
    hdx_buf_clear(&heading);
    for (size_t i = 0; i < ns.n; i++) {
        char *html = hdx_markup_html(ns.v[i]);
        hdx_buf b;
        hdx_buf_init(&b);
        hdx_buf_adds(&b, "<div class=\"table-wrap\" tabindex=\"0\" "
                         "role=\"region\" aria-label=\"");
        hdx_buf_adds(&b, ns.label[i] ? "Table: " : "Table");
        if (ns.label[i])
            hdx_buf_add_html(&b, ns.label[i], strlen(ns.label[i]));
        hdx_buf_adds(&b, "\">\n");
        /* The HTML is cmark's own: in safe mode "<th" can only be the
         * header cells' tags (writers' text is escaped, raw HTML dropped). */
        for (const char *p = html; *p; p++) {
            if (!strncmp(p, "<th", 3) && (p[3] == '>' || p[3] == ' ')) {
                hdx_buf_adds(&b, "<th scope=\"col\"");
                p += 2;
            } else {
                hdx_buf_addc(&b, *p);
            }
        }
        hdx_buf_adds(&b, "</div>\n");
        free(html);
        cmark_node *c;
        while ((c = cmark_node_first_child(ns.v[i])))
            cmark_node_free(c);
        replace_block(ns.v[i], b.data, "");
        hdx_buf_clear(&b);
    }
    nodes_clear(&ns);
}

/* The callout style and default label of an alert kind. */
static void callout_kind(const char *kind, const char **style,
                         const char **label)
{
    static const struct {
        const char *kind, *style, *label;
    } k[] = {
        {"note", "note", "Note"},           {"info", "note", "Info"},
        {"tip", "tip", "Tip"},              {"hint", "tip", "Tip"},
        {"success", "tip", "Success"},      {"check", "tip", "Tip"},
        {"important", "important", "Important"},
        {"warning", "warning", "Warning"},  {"attention", "warning", "Warning"},
        {"caution", "caution", "Caution"},  {"danger", "caution", "Danger"},
        {"error", "caution", "Error"},      {"bug", "caution", "Bug"},
        {"failure", "caution", "Failure"},  {"example", "note", "Example"},
        {"question", "note", "Question"},   {"faq", "note", "Question"},
        {"quote", "note", "Quote"},         {"summary", "note", "Summary"},
        {"abstract", "note", "Summary"},    {"todo", "note", "To do"},
    };
    *style = "note";
    *label = "Note";
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (!strcmp(kind, k[i].kind)) {
            *style = k[i].style;
            *label = k[i].label;
        }
}

/* The alert marker of a block quote's first line, cut off its text:
 * kind in kind[16], the rest of that text line (the title) in *title. */
static bool take_marker(cmark_node *quote, char kind[16], hdx_buf *title)
{
    cmark_node *para = cmark_node_first_child(quote);
    if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
        return false;
    cmark_node *text = cmark_node_first_child(para);
    if (!text || cmark_node_get_type(text) != CMARK_NODE_TEXT)
        return false;
    const char *lit = cmark_node_get_literal(text);
    size_t n = hdx_markup_alert(lit, kind);
    if (!n)
        return false;
    const char *t = lit + n;
    while (*t == ' ' || *t == '\t')
        t++;
    hdx_buf_adds(title, t);
    while (title->len && isspace((unsigned char)title->data[title->len - 1]))
        title->data[--title->len] = '\0';
    cmark_node *next = cmark_node_next(text);
    cmark_node_free(text);
    if (next && (cmark_node_get_type(next) == CMARK_NODE_SOFTBREAK ||
                 cmark_node_get_type(next) == CMARK_NODE_LINEBREAK))
        cmark_node_free(next);
    if (!cmark_node_first_child(para))
        cmark_node_free(para);
    return true;
}

void render_callouts(cmark_node *doc)
{
    nodes ns = {0};
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    char kind[16];
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node *p = cmark_node_first_child(n);
        cmark_node *t = p ? cmark_node_first_child(p) : NULL;
        if (ev == CMARK_EVENT_ENTER &&
            cmark_node_get_type(n) == CMARK_NODE_BLOCK_QUOTE && t &&
            cmark_node_get_type(t) == CMARK_NODE_TEXT &&
            hdx_markup_alert(cmark_node_get_literal(t), kind))
            nodes_add(&ns, n, NULL);
    }
    cmark_iter_free(it);
    for (size_t i = 0; i < ns.n; i++) {
        hdx_buf title, b;
        hdx_buf_init(&title);
        if (!take_marker(ns.v[i], kind, &title)) {
            hdx_buf_clear(&title);
            continue;
        }
        const char *style, *label;
        callout_kind(kind, &style, &label);
        hdx_buf_init(&b);
        hdx_buf_printf(&b, "<div class=\"callout callout-%s\" role=\"note\">\n"
                           "<p class=\"callout-title\"><strong>%s</strong>",
                       style, label);
        if (title.len) {
            hdx_buf_adds(&b, ": ");
            hdx_buf_add_html(&b, title.data, title.len);
        }
        hdx_buf_adds(&b, "</p>\n");
        replace_block(ns.v[i], b.data, "</div>\n");
        hdx_buf_clear(&b);
        hdx_buf_clear(&title);
    }
    nodes_clear(&ns);
}

void render_demote_h1(cmark_node *doc, const char *title)
{
    if (!title)
        return;
    nodes ns = {0};
    for (cmark_node *n = cmark_node_first_child(doc); n;
         n = cmark_node_next(n))
        if (cmark_node_get_type(n) == CMARK_NODE_HEADING &&
            cmark_node_get_heading_level(n) == 1)
            nodes_add(&ns, n, NULL);
    bool dropped = false;
    for (size_t i = 0; i < ns.n; i++) {
        hdx_buf t;
        hdx_buf_init(&t);
        node_text(ns.v[i], &t);
        if (!dropped && (!strcmp(t.data, title) ||
                         ns.v[i] == cmark_node_first_child(doc))) {
            cmark_node_free(ns.v[i]); /* the page's <h1> says it */
            dropped = true;
        } else {
            cmark_node_set_heading_level(ns.v[i], 2);
        }
        hdx_buf_clear(&t);
    }
    nodes_clear(&ns);
}

void render_tasks(cmark_node *doc)
{
    nodes ns = {0};
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && hdx_markup_is(n, "tasklist"))
            nodes_add(&ns, n, NULL);
    }
    cmark_iter_free(it);
    for (size_t i = 0; i < ns.n; i++) {
        bool done = cmark_gfm_extensions_get_tasklist_item_checked(ns.v[i]);
        cmark_node_set_syntax_extension(ns.v[i], NULL); /* a plain <li> */
        cmark_node *para = cmark_node_first_child(ns.v[i]);
        cmark_node *mark = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
        cmark_node_set_on_enter(
            mark, done ? "<span class=\"task task-done\" role=\"img\" "
                         "aria-label=\"Done:\">\u2611</span> "
                       : "<span class=\"task\" role=\"img\" "
                         "aria-label=\"To do:\">\u2610</span> ");
        cmark_node_set_on_exit(mark, "");
        if (para && cmark_node_get_type(para) == CMARK_NODE_PARAGRAPH)
            cmark_node_prepend_child(para, mark);
        else
            cmark_node_free(mark);
    }
    nodes_clear(&ns);
}
