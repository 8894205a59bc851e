/*
 * markdown.c - Markdown body → sections of plain text, with cmark-gfm.
 *
 * The body is parsed once (hdx_markup_parse(): the platform pass, then
 * cmark-gfm with GitHub's extensions) and walked with cmark's iterator.  Every heading
 * opens a section that runs to the next heading of the same or a higher
 * level; the walk appends each text node to the current section, code
 * (blocks and inline) to the section's code text as well, and records link
 * and image targets with their line for the lint.
 *
 * Heading attributes follow the Pandoc/kramdown convention of a trailing
 * brace group: `## Agent notes {audience=agent}` restricts that section and
 * its subsections; `{#anchor}` sets the anchor.  DocFX alert markers
 * ("[!NOTE]") carry no searchable words and are dropped; table cells are
 * words separated by spaces, a row a line.  What the platform pass could
 * not render is noted for the lint, at its line.
 *
 * Every step is linear in the body: anchors are de-duplicated through a
 * hash set, the enclosing section is found per level, and at most
 * HDX_MAX_HEADINGS headings open sections (article.h says what happens to
 * the others).
 */
#include "internal.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"
#include "hdx/hash.h"

#include "hdx/markup.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * The anchors taken so far in a document: an open-addressing hash set of
 * strings borrowed from the sections.  Each entry also remembers, for its
 * anchor used as a base, the next suffix worth trying: every "base-k"
 * below it is taken, and a taken anchor stays taken, so the search for a
 * free "base-k" resumes there.  A string "x-k" has one base (the text
 * before its last '-'), so each taken anchor is stepped over at most once
 * and a document costs O(headings) lookups.
 */
typedef struct anchor_slot {
    const char *s; /* NULL: empty */
    uint64_t h;
    int next_k;
} anchor_slot;

typedef struct anchor_set {
    anchor_slot *slots;
    size_t cap, n; /* cap: a power of two */
} anchor_set;

typedef struct walk {
    hdx_article *a;
    hdx_buf text;  /* current section's text */
    hdx_buf code;  /* current section's code */
    int first_line;
    size_t cap;
    anchor_set anchors;
    size_t last_at[7]; /* latest section index per heading level */
    bool over_cap;     /* HDX_MAX_HEADINGS reached (noted once) */
} walk;

/* The slot of `s` (hash `h`), or the empty slot where it would go. */
static anchor_slot *anchor_find(const anchor_set *set, const char *s,
                                uint64_t h)
{
    size_t i = (size_t)h & (set->cap - 1);
    while (set->slots[i].s &&
           (set->slots[i].h != h || strcmp(set->slots[i].s, s) != 0))
        i = (i + 1) & (set->cap - 1);
    return &set->slots[i];
}

static bool anchor_taken(const anchor_set *set, const char *s)
{
    return anchor_find(set, s, hdx_hash64_str(s))->s != NULL;
}

/* Take `s` (borrowed: it must outlive the set). */
static void anchor_add(anchor_set *set, const char *s)
{
    if (2 * (set->n + 1) > set->cap) { /* keep the load under one half */
        anchor_set big = {hdx_xcalloc(set->cap * 2, sizeof(anchor_slot)),
                          set->cap * 2, set->n};
        for (size_t i = 0; i < set->cap; i++)
            if (set->slots[i].s)
                *anchor_find(&big, set->slots[i].s, set->slots[i].h) =
                    set->slots[i];
        free(set->slots);
        *set = big;
    }
    uint64_t h = hdx_hash64_str(s);
    anchor_slot *slot = anchor_find(set, s, h);
    if (!slot->s) {
        *slot = (anchor_slot){s, h, 1};
        set->n++;
    }
}

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
    /* DocFX alerts ("[!NOTE]"), also what the platform pass made of
     * admonitions. */
    const char *t = s;
    while (*t == ' ')
        t++;
    char kind[16];
    size_t n = hdx_markup_alert(t, kind);
    hdx_buf_adds(out, n ? t + n : s);
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
        {"related", HDX_SEC_LINKS}, {"see also", HDX_SEC_LINKS},
        {"next step", HDX_SEC_LINKS}, {"learn more", HDX_SEC_LINKS},
        {"additional resource", HDX_SEC_LINKS}, {"more resource", HDX_SEC_LINKS},
        {"reference", HDX_SEC_LINKS}, {"further reading", HDX_SEC_LINKS},
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
    w->last_at[level] = w->a->n_sections - 1;
    return s;
}

/* Make s->anchor unique in the document: a taken anchor gets the first
 * free "-1", "-2", ... suffix, compared with every earlier section's final
 * anchor (a hand-written "a-1" counts). */
static void unique_anchor(walk *w, hdx_section *s)
{
    anchor_slot *base =
        anchor_find(&w->anchors, s->anchor, hdx_hash64_str(s->anchor));
    if (base->s) {
        size_t n = strlen(s->anchor) + 16;
        char *next = hdx_xmalloc(n);
        int k = base->next_k;
        for (;; k++) {
            snprintf(next, n, "%s-%d", s->anchor, k);
            if (!anchor_taken(&w->anchors, next))
                break;
        }
        base->next_k = k + 1; /* before anchor_add() moves the slots */
        free(s->anchor);
        s->anchor = next;
    }
    anchor_add(&w->anchors, s->anchor);
}

/* The audience a new section at `level` inherits: that of the nearest
 * earlier section of a lower level (section 0 is level 0). */
static hdx_audience inherited_audience(const walk *w, int level)
{
    size_t best = 0;
    for (int l = 0; l < level; l++)
        if (w->last_at[l] != SIZE_MAX && w->last_at[l] > best)
            best = w->last_at[l];
    return w->a->sections[best].audience;
}

/* A heading past HDX_MAX_HEADINGS opens no section: its text is a line of
 * the last section, whose audience rises to the heading's marker. */
static void on_extra_heading(walk *w, const hdx_buf *h, int aud, int line)
{
    hdx_section *last = &w->a->sections[w->a->n_sections - 1];
    if (!w->over_cap)
        hdxi_note(w->a, line, 1, false, "too-many-headings",
                  "more than %d headings: this heading and the ones after "
                  "it are text of the section above",
                  HDX_MAX_HEADINGS);
    w->over_cap = true;
    if (aud >= 0 && (hdx_audience)aud > last->audience)
        last->audience = (hdx_audience)aud;
    if (aud == -2)
        last->audience = HDX_AUD_INTERNAL;
    hdx_buf_add(&w->text, h->data, h->len);
    hdx_buf_addc(&w->text, '\n');
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
    if (w->a->n_sections > HDX_MAX_HEADINGS) {
        on_extra_heading(w, &h, aud, line);
        hdx_buf_clear(&h);
        free(anchor);
        return;
    }
    hdx_audience inherited = inherited_audience(w, level);
    hdx_section *s = open_section(w, level, line);
    s->heading = hdx_buf_detach(&h);
    hdx_buf_clear(&h);
    s->anchor = anchor ? anchor : hdx_slugify(s->heading);
    unique_anchor(w, s);
    s->kind = classify(s->heading);
    /* Inherit from the nearest enclosing section, then apply the marker. */
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
 * Inline nodes carry no position in cmark-gfm: use the enclosing block's
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

/* An MDX component that renders content of its own ("<Badge text=x />",
 * self-closing, capitalised) shows nothing here: a lint warning.  The
 * wrappers ("<Tabs>" ... "</Tabs>") are fine: their content is shown. */
static void note_component(walk *w, cmark_node *n)
{
    const char *lit = cmark_node_get_literal(n);
    while (lit && (*lit == ' ' || *lit == '\n'))
        lit++;
    if (!lit || lit[0] != '<' || !isupper((unsigned char)lit[1]))
        return;
    size_t len = strcspn(lit, "\n"), name = 1;
    while (len >= 2 && isspace((unsigned char)lit[len - 1]))
        len--;
    while (isalnum((unsigned char)lit[name]) || lit[name] == '.')
        name++;
    if (len < 4 || strncmp(lit + len - 2, "/>", 2) != 0)
        return;
    cmark_node *blk = n;
    while (blk && cmark_node_get_start_line(blk) == 0)
        blk = cmark_node_parent(blk);
    int line = w->first_line + (blk ? cmark_node_get_start_line(blk) : 1) - 1;
    hdxi_note(w->a, line, 1, false, "mdx",
              "MDX component '%.*s />' is not rendered: it is left out of "
              "the page",
              (int)name, lit);
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
        note_component(w, n);
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
                t == CMARK_NODE_BLOCK_QUOTE ||
                hdx_markup_is(n, "table_row") ||
                hdx_markup_is(n, "table_header"))
                hdx_buf_addc(&w->text, '\n');
            else if (hdx_markup_is(n, "table_cell"))
                hdx_buf_addc(&w->text, ' ');
            continue;
        }
        if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)
            on_ref(w, n, t == CMARK_NODE_IMAGE);
        if (!in_heading)
            on_text(w, n, t);
    }
    cmark_iter_free(it);
}

/* A construct the platform pass left out of the page: a lint warning. */
static void on_markup_note(void *ctx, int line, const char *rule,
                           const char *msg)
{
    walk *w = ctx;
    hdxi_note(w->a, w->first_line + line - 1, 1, false, rule, "%s", msg);
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
    w.anchors.cap = 64;
    w.anchors.slots = hdx_xcalloc(w.anchors.cap, sizeof(anchor_slot));
    for (size_t l = 0; l < sizeof w.last_at / sizeof w.last_at[0]; l++)
        w.last_at[l] = SIZE_MAX;
    /* Section 0: the text before the first heading. */
    open_section(&w, 0, first_line);
    a->sections[0].heading = hdx_xstrdup("");
    a->sections[0].anchor = hdx_xstrdup("");
    anchor_add(&w.anchors, a->sections[0].anchor);
    cmark_node *doc = hdx_markup_parse(body, len, on_markup_note, &w);
    walk_document(&w, doc);
    cmark_node_free(doc);
    close_section(&w);
    hdx_buf_clear(&w.text);
    hdx_buf_clear(&w.code);
    free(w.anchors.slots);
    set_line_ranges(a, body, len, first_line);
}
