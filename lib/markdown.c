/*
 * markdown.c - CommonMark body → sections of plain text, with cmark.
 *
 * The body is parsed once and walked with cmark's iterator.  Every heading
 * opens a section that runs to the next heading of the same or a higher
 * level; the walk appends each text node to the current section, code
 * (blocks and inline) to the section's code text as well, and records link
 * and image targets with their line for the lint.
 *
 * Heading attributes follow the Pandoc/kramdown convention of a trailing
 * brace group: `## Agent notes {audience=agent}` restricts that section and
 * its subsections; `{#anchor}` sets the anchor.  DocFX alert markers
 * ("[!NOTE]") and ":::image:::" directives carry no searchable words and are
 * dropped.
 */
#include "internal.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"

#include <cmark.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct walk {
    hdx_article *a;
    hdx_buf text;  /* current section's text */
    hdx_buf code;  /* current section's code */
    int first_line;
    size_t cap;
} walk;

/* Concatenated literal text of a subtree (for headings and link text). */
static void subtree_text(cmark_node *node, hdx_buf *out)
{
    cmark_iter *it = cmark_iter_new(node);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            hdx_buf_adds(out, cmark_node_get_literal(n));
            break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            hdx_buf_addc(out, ' ');
            break;
        default:
            break;
        }
    }
    cmark_iter_free(it);
}

/* Append text from raw HTML with the tags removed (for indexing only). */
static void add_html_text(hdx_buf *out, const char *html)
{
    bool in_tag = false;
    for (const char *p = html; *p; p++) {
        if (*p == '<')
            in_tag = true;
        else if (*p == '>' && in_tag) {
            in_tag = false;
            hdx_buf_addc(out, ' ');
        } else if (!in_tag)
            hdx_buf_addc(out, *p);
    }
    hdx_buf_addc(out, ' ');
}

static void add_text(hdx_buf *out, const char *s)
{
    /* DocFX: "[!NOTE]" alerts, ":::image ... :::" directives. */
    const char *t = s;
    while (*t == ' ')
        t++;
    if (strncmp(t, ":::", 3) == 0)
        return;
    if (t[0] == '[' && t[1] == '!') {
        const char *e = strchr(t, ']');
        if (e) {
            bool word = true;
            for (const char *q = t + 2; q < e; q++)
                if (!isalpha((unsigned char)*q))
                    word = false;
            if (word)
                s = e + 1;
        }
    }
    hdx_buf_adds(out, s);
}

static hdx_section_kind classify(const char *heading)
{
    static const struct {
        const char *prefix;
        hdx_section_kind kind;
    } rules[] = {
        {"symptom", HDX_SEC_SYMPTOMS}, {"what happened", HDX_SEC_SYMPTOMS},
        {"what you see", HDX_SEC_SYMPTOMS}, {"problem", HDX_SEC_SYMPTOMS},
        {"issue", HDX_SEC_SYMPTOMS}, {"signs", HDX_SEC_SYMPTOMS},
        {"root cause", HDX_SEC_CAUSE}, {"cause", HDX_SEC_CAUSE},
        {"why this happens", HDX_SEC_CAUSE},
        {"resolution", HDX_SEC_RESOLUTION}, {"solution", HDX_SEC_RESOLUTION},
        {"fix", HDX_SEC_RESOLUTION}, {"how to fix", HDX_SEC_RESOLUTION},
        {"resolve", HDX_SEC_RESOLUTION},
        {"workaround", HDX_SEC_WORKAROUND}, {"mitigation", HDX_SEC_WORKAROUND},
        {"temporary workaround", HDX_SEC_WORKAROUND},
    };
    char low[64];
    size_t n = 0;
    for (const char *p = heading; *p && n < sizeof low - 1; p++)
        low[n++] = (char)tolower((unsigned char)*p);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        size_t k = strlen(rules[i].prefix);
        if (strncmp(low, rules[i].prefix, k) != 0)
            continue;
        if (low[k] == 's') /* plurals: Symptoms, Causes, Workarounds */
            k++;
        else if (low[k] == 'e' && low[k + 1] == 's') /* Fixes */
            k += 2;
        if (low[k] == '\0' || !isalpha((unsigned char)low[k]))
            return rules[i].kind;
    }
    return HDX_SEC_OTHER;
}

/*
 * Split a trailing "{...}" attribute group off the heading text.
 * Recognises "#anchor" and "audience=LEVEL"; returns the audience or -1.
 */
static int heading_attrs(hdx_buf *text, char **anchor)
{
    int audience = -1;
    bool saw_audience = false;
    size_t len = text->len;
    while (len && isspace((unsigned char)text->data[len - 1]))
        len--;
    if (!len || text->data[len - 1] != '}')
        return -1;
    char *open = NULL;
    for (size_t i = len; i-- > 0;)
        if (text->data[i] == '{') {
            open = text->data + i;
            break;
        }
    if (!open)
        return -1;
    char *attrs = hdx_xstrndup(open + 1, (size_t)(text->data + len - 2 - open));
    char *save = NULL;
    for (char *t = strtok_r(attrs, " \t", &save); t;
         t = strtok_r(NULL, " \t", &save)) {
        if (t[0] == '#' && t[1]) {
            free(*anchor);
            *anchor = hdx_xstrdup(t + 1);
        } else if (strncasecmp(t, "audience=", 9) == 0) {
            saw_audience = true;
            const char *v = t + 9;
            if (*v == '"' || *v == '\'')
                v++;
            char val[32];
            snprintf(val, sizeof val, "%s", v);
            size_t vl = strlen(val);
            if (vl && (val[vl - 1] == '"' || val[vl - 1] == '\''))
                val[vl - 1] = '\0';
            audience = hdx_audience_parse(val);
        }
    }
    free(attrs);
    /* Cut the group and trailing spaces off the heading text. */
    text->len = (size_t)(open - text->data);
    while (text->len && isspace((unsigned char)text->data[text->len - 1]))
        text->len--;
    text->data[text->len] = '\0';
    return audience == -1 && saw_audience ? -2 : audience;
}

static void close_section(walk *w)
{
    if (!w->a->n_sections)
        return;
    hdx_section *s = &w->a->sections[w->a->n_sections - 1];
    s->text = hdx_buf_detach(&w->text);
    s->code = hdx_buf_detach(&w->code);
}

static hdx_section *open_section(walk *w, int level, int line)
{
    close_section(w);
    if (w->a->n_sections == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 8;
        w->a->sections =
            hdx_xrealloc(w->a->sections, w->cap * sizeof(hdx_section));
    }
    hdx_section *s = &w->a->sections[w->a->n_sections++];
    memset(s, 0, sizeof *s);
    s->level = level;
    s->first_line = line;
    return s;
}

static void unique_anchor(hdx_article *a, hdx_section *s)
{
    char *base = s->anchor;
    for (int k = 1;; k++) {
        bool clash = false;
        for (size_t i = 0; i + 1 < a->n_sections; i++)
            if (a->sections[i].anchor && !strcmp(a->sections[i].anchor,
                                                 s->anchor))
                clash = true;
        if (!clash)
            break;
        size_t n = strlen(base) + 16;
        char *next = hdx_xmalloc(n);
        snprintf(next, n, "%s-%d", base, k);
        if (s->anchor != base)
            free(s->anchor);
        s->anchor = next;
    }
    if (s->anchor != base)
        free(base);
}

static void on_heading(walk *w, cmark_node *n)
{
    int level = cmark_node_get_heading_level(n);
    int line = w->first_line + cmark_node_get_start_line(n) - 1;
    hdx_buf h;
    hdx_buf_init(&h);
    subtree_text(n, &h);
    char *anchor = NULL;
    int aud = heading_attrs(&h, &anchor);
    if (aud == -2)
        hdxi_note(w->a, line, 1, true, "invalid-audience",
                  "heading attribute audience= must be public, agent or "
                  "internal");
    if (level == 1 && !w->a->title && h.len) {
        w->a->title = hdx_xstrdup(h.data);
        w->a->title_from_h1 = true;
    }
    hdx_section *s = open_section(w, level, line);
    s->heading = hdx_buf_detach(&h);
    hdx_buf_clear(&h);
    s->anchor = anchor ? anchor : hdx_slugify(s->heading);
    unique_anchor(w->a, s);
    s->kind = classify(s->heading);
    /* Inherit from the nearest enclosing section, then apply the marker. */
    hdx_audience inherited = HDX_AUD_PUBLIC;
    for (size_t i = w->a->n_sections - 1; i-- > 0;)
        if (w->a->sections[i].level < level) {
            inherited = w->a->sections[i].audience;
            break;
        }
    s->audience = inherited;
    if (aud >= 0 && (hdx_audience)aud > inherited)
        s->audience = (hdx_audience)aud;
    if (aud == -2) /* unreadable marker: hide from everyone below internal */
        s->audience = HDX_AUD_INTERNAL;
}

static void add_ref(hdx_article *a, const char *url, int line, bool image)
{
    if (!url || !*url)
        return;
    a->refs = hdx_xrealloc(a->refs, (a->n_refs + 1) * sizeof(hdx_ref));
    a->refs[a->n_refs].target = hdx_xstrdup(url);
    a->refs[a->n_refs].line = line;
    a->refs[a->n_refs].is_image = image;
    a->n_refs++;
}

/* A link or image target, with its line for the lint's link checks.
 * Inline nodes carry no position in cmark 0.30: use the enclosing block's
 * line. */
static void on_ref(walk *w, cmark_node *n, bool image)
{
    int line = w->first_line + cmark_node_get_start_line(n) - 1;
    cmark_node *blk = n;
    while (blk && cmark_node_get_start_line(blk) == 0)
        blk = cmark_node_parent(blk);
    if (blk)
        line = w->first_line + cmark_node_get_start_line(blk) - 1;
    add_ref(w->a, cmark_node_get_url(n), line, image);
}

/* What a node outside headings adds to the section's text and code. */
static void on_text(walk *w, cmark_node *n, cmark_node_type t)
{
    switch (t) {
    case CMARK_NODE_TEXT:
        add_text(&w->text, cmark_node_get_literal(n));
        break;
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
        hdx_buf_addc(&w->text, ' ');
        break;
    case CMARK_NODE_CODE:
        hdx_buf_adds(&w->text, cmark_node_get_literal(n));
        hdx_buf_adds(&w->code, cmark_node_get_literal(n));
        hdx_buf_addc(&w->code, '\n');
        break;
    case CMARK_NODE_CODE_BLOCK:
        hdx_buf_adds(&w->text, cmark_node_get_literal(n));
        hdx_buf_addc(&w->text, '\n');
        hdx_buf_adds(&w->code, cmark_node_get_literal(n));
        hdx_buf_addc(&w->code, '\n');
        break;
    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_HTML_INLINE:
        add_html_text(&w->text, cmark_node_get_literal(n));
        break;
    default:
        break;
    }
}

/*
 * Walk the document once.  A heading opens a section and its text is
 * taken whole by on_heading(), so the walk skips the heading's children
 * for text (but still records their links).  Leaving a paragraph, list
 * item or quote ends a line of the section's text.
 */
static void walk_document(walk *w, cmark_node *doc)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    int in_heading = 0;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_HEADING) {
            if (ev == CMARK_EVENT_ENTER) {
                on_heading(w, n);
                in_heading++;
            } else {
                in_heading--;
            }
            continue;
        }
        if (ev == CMARK_EVENT_EXIT) {
            if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_ITEM ||
                t == CMARK_NODE_BLOCK_QUOTE)
                hdx_buf_addc(&w->text, '\n');
            continue;
        }
        if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)
            on_ref(w, n, t == CMARK_NODE_IMAGE);
        if (!in_heading)
            on_text(w, n, t);
    }
    cmark_iter_free(it);
}

/* Line ranges: a section ends where the next one begins, and the last one
 * at the body's last line (a final newline ends a line, it does not start
 * one). */
static void set_line_ranges(hdx_article *a, const char *body, size_t len,
                            int first_line)
{
    int last = first_line;
    for (size_t i = 0; i < len; i++)
        if (body[i] == '\n' && i + 1 < len)
            last++;
    for (size_t i = 0; i < a->n_sections; i++)
        a->sections[i].last_line = i + 1 < a->n_sections
                                       ? a->sections[i + 1].first_line - 1
                                       : last;
}

void hdxi_markdown_parse(hdx_article *a, const char *body, size_t len,
                         int first_line)
{
    walk w = {.a = a, .first_line = first_line};
    hdx_buf_init(&w.text);
    hdx_buf_init(&w.code);
    /* Section 0: the text before the first heading. */
    open_section(&w, 0, first_line);
    a->sections[0].heading = hdx_xstrdup("");
    a->sections[0].anchor = hdx_xstrdup("");
    cmark_node *doc = cmark_parse_document(body, len, CMARK_OPT_DEFAULT);
    walk_document(&w, doc);
    cmark_node_free(doc);
    close_section(&w);
    hdx_buf_clear(&w.text);
    hdx_buf_clear(&w.code);
    set_line_ranges(a, body, len, first_line);
}
