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
 * A relative link is first resolved against the document's corpus path:
 * a Markdown file names the article indexed from it (render_path_fn),
 * any other file goes through render_media_fn.  The block transforms
 * (tables, callouts, level-1 headings) are render_blocks.c.
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

/* The level an attribute group [open, end) names ("audience=agent"), or
 * public. */
static hdx_audience group_audience(const char *open, const char *end)
{
    char grp[128];
    size_t n = (size_t)(end - open);
    if (n >= sizeof grp)
        return HDX_AUD_PUBLIC;
    memcpy(grp, open, n);
    grp[n] = '\0';
    const char *a = strstr(grp, "audience=");
    if (!a)
        return HDX_AUD_PUBLIC;
    char word[32];
    size_t k = 0;
    for (a += 9; k + 1 < sizeof word && isalpha((unsigned char)a[k]); k++)
        word[k] = a[k];
    word[k] = '\0';
    int level = hdx_audience_parse(word);
    return level > 0 ? (hdx_audience)level : HDX_AUD_PUBLIC;
}

/* Remove a trailing "{...}" attribute group from the heading's last text;
 * the level it restricts the section to (public: none). */
static hdx_audience strip_attrs(cmark_node *heading)
{
    cmark_node *last = cmark_node_last_child(heading);
    if (!last || cmark_node_get_type(last) != CMARK_NODE_TEXT)
        return HDX_AUD_PUBLIC;
    const char *lit = cmark_node_get_literal(last);
    size_t n = strlen(lit);
    while (n && isspace((unsigned char)lit[n - 1]))
        n--;
    if (!n || lit[n - 1] != '}')
        return HDX_AUD_PUBLIC;
    const char *open = NULL;
    for (size_t i = n; i-- > 0;)
        if (lit[i] == '{') {
            open = lit + i;
            break;
        }
    if (!open)
        return HDX_AUD_PUBLIC;
    hdx_audience level = group_audience(open, lit + n);
    size_t keep = (size_t)(open - lit);
    while (keep && isspace((unsigned char)lit[keep - 1]))
        keep--;
    char *copy = hdx_xstrndup(lit, keep);
    cmark_node_set_literal(last, copy);
    free(copy);
    return level;
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
    bool xref = !strncmp(url, "xref:", 5);
    if (kb || xref || !strncmp(url, "/a/", 3)) {
        size_t k = xref ? 5 : 3;
        p += k, n -= k;
    } else if (url[0] == '/' || has_scheme(url, n) || n <= 3 ||
               memcmp(url + n - 3, ".md", 3) != 0) {
        return NULL;
    } else {
        while (n > 2 && !strncmp(p, "./", 2))
            p += 2, n -= 2;
    }
    /* "/a/ID.md" and "ID.md" name ID, as the /a/{id}.md redirect does. */
    if (!kb && !xref && n > 3 && !memcmp(p + n - 3, ".md", 3))
        n -= 3;
    char *id = hdx_xstrndup(p, n);
    if (MHD_http_unescape(id) != strlen(id))
        id[0] = '\0';
    return id;
}

/* A link or image the renderer changes: one naming an article (id), or
 * one naming a file of the corpus (path). */
typedef struct target {
    cmark_node *node;
    char *id;         /* malloc'd, or NULL */
    char *path;       /* malloc'd corpus path of a file, or NULL */
    const char *tail; /* into the node's URL, until it is changed */
} target;

/* What one walk of the document finds: headings and targets. */
typedef struct found {
    cmark_node **heads;
    size_t n_heads;
    target *t;
    size_t n_t;
    cmark_node **html; /* raw HTML: left out, <br> kept as a line break */
    size_t n_html;
} found;

/* The corpus path of a relative URL (decoded, without its tail), or
 * NULL: absolute, a scheme, a same-page anchor (*outside false), or a
 * path above the corpus root or undecodable (*outside true).  A
 * site-absolute "/x/y.md" (Jekyll's {% link %}) is taken from the corpus
 * root; other site-absolute paths are the site's, not the corpus's. */
static char *corpus_path(const render_opts *o, const char *url,
                         const char **tail, bool *outside)
{
    size_t n = strcspn(url, "#?");
    *tail = url + n;
    *outside = false;
    bool root_md = n > 4 && url[0] == '/' && strncmp(url, "/a/", 3) != 0 &&
                   !memcmp(url + n - 3, ".md", 3);
    if (!o->path || !n || (url[0] == '/' && !root_md) || has_scheme(url, n))
        return NULL;
    char *dec = hdx_xstrndup(url, n);
    char *r = MHD_http_unescape(dec) == strlen(dec)
                  ? hdx_markup_resolve(o->path, dec)
                  : NULL;
    free(dec);
    *outside = r == NULL && !root_md;
    return r;
}

static bool is_markdown(const char *path)
{
    size_t n = strlen(path);
    return (n > 3 && !strcasecmp(path + n - 3, ".md")) ||
           (n > 9 && !strcasecmp(path + n - 9, ".markdown"));
}

/* Classify one link or image: a target to change, or false. */
static bool classify(const render_opts *o, cmark_node *node, target *t)
{
    const char *url = cmark_node_get_url(node);
    memset(t, 0, sizeof *t);
    t->node = node;
    if (!url || !*url)
        return false;
    /* An image from another site would be blocked by the pages' CSP
     * (img-src 'self'), one from elsewhere on the old site is not ours:
     * both would show a broken-image icon, so both are placeholders. */
    size_t un = strcspn(url, "#?");
    bool foreign = cmark_node_get_type(node) == CMARK_NODE_IMAGE &&
                   ((has_scheme(url, un) && strncmp(url, "data:", 5) != 0 &&
                     strncmp(url, "kb:", 3) != 0 &&
                     strncmp(url, "xref:", 5) != 0) ||
                    (url[0] == '/' && strncmp(url, "/assets/", 8) != 0 &&
                     strncmp(url, "/media/", 7) != 0));
    bool outside;
    char *path = foreign ? NULL : corpus_path(o, url, &t->tail, &outside);
    if (foreign || outside) { /* nothing we serve: a placeholder or text */
        t->path = hdx_xstrdup("");
        return true;
    }
    if (path && is_markdown(path)) {
        t->id = o->path_id ? o->path_id(path, o->ctx) : NULL;
        free(path);
        if (t->id)
            return true;
        path = NULL;
    }
    if (path) {
        t->path = path;
        return true;
    }
    t->id = render_link_id(url, &t->tail);
    return t->id != NULL;
}

/* Collect first: editing while iterating is not allowed. */
static void collect(cmark_node *doc, const render_opts *o, found *f)
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
        if (t == CMARK_NODE_HTML_INLINE || t == CMARK_NODE_HTML_BLOCK) {
            f->html = hdx_xrealloc(f->html, (f->n_html + 1) * sizeof *f->html);
            f->html[f->n_html++] = node;
            continue;
        }
        target tg;
        if ((t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) &&
            classify(o, node, &tg)) {
            f->t = hdx_xrealloc(f->t, (f->n_t + 1) * sizeof *f->t);
            f->t[f->n_t++] = tg;
        }
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
        hdx_audience level = strip_attrs(f->heads[i]);
        if (level != HDX_AUD_PUBLIC) { /* marked where it starts */
            cmark_node *badge = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
            cmark_node_set_on_enter(badge, level == HDX_AUD_AGENT
                                               ? " <span class=\"aud-badge\">"
                                                 "Agents only</span>"
                                               : " <span class=\"aud-badge "
                                                 "aud-internal\">Internal "
                                                 "only</span>");
            cmark_node_set_on_exit(badge, "");
            cmark_node_append_child(f->heads[i], badge);
        }
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

/* An image that is not served: a visible box with its alt text. */
static void image_placeholder(cmark_node *img)
{
    hdx_buf alt, b;
    hdx_buf_init(&alt);
    hdx_buf_init(&b);
    for (cmark_node *c = cmark_node_first_child(img); c;
         c = cmark_node_next(c))
        if (cmark_node_get_type(c) == CMARK_NODE_TEXT ||
            cmark_node_get_type(c) == CMARK_NODE_CODE)
            hdx_buf_adds(&alt, cmark_node_get_literal(c));
    hdx_buf_adds(&b, "<span class=\"img-missing\">Image not available");
    if (alt.len) {
        hdx_buf_adds(&b, ": ");
        hdx_buf_add_html(&b, alt.data, alt.len);
    }
    hdx_buf_adds(&b, "</span>");
    cmark_node *span = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
    cmark_node_set_on_enter(span, b.data);
    cmark_node_set_on_exit(span, "");
    cmark_node_insert_before(img, span);
    cmark_node_free(img);
    hdx_buf_clear(&alt);
    hdx_buf_clear(&b);
}

/* An autolink to an article ("<xref:UID>") shows the article's title. */
static void autolink_title(cmark_node *link, const char *title)
{
    cmark_node *c = cmark_node_first_child(link);
    const char *url = cmark_node_get_url(link);
    if (title && c && !cmark_node_next(c) &&
        cmark_node_get_type(c) == CMARK_NODE_TEXT && url &&
        !strcmp(cmark_node_get_literal(c), url))
        cmark_node_set_literal(c, title);
}

/* Point a file link or image at its media URL, or take it out. */
static void resolve_file(const render_opts *o, target *t)
{
    char *url = o->media && *t->path ? o->media(t->path, o->ctx) : NULL;
    bool image = cmark_node_get_type(t->node) == CMARK_NODE_IMAGE;
    if (url) {
        if (!image && *t->tail == '#') {
            char *u = hdx_xmalloc(strlen(url) + strlen(t->tail) + 1);
            strcpy(u, url);
            strcat(u, t->tail);
            free(url);
            url = u;
        }
        cmark_node_set_url(t->node, url);
    } else if (image) {
        image_placeholder(t->node);
    } else {
        unlink_node(t->node);
    }
    free(url);
}

/* Safe mode would print "<!-- raw HTML omitted -->" for each raw HTML
 * node: leave them out, but keep an inline <br> (Zendesk exports are full
 * of them) as the line break it means. */
static void drop_html(found *f)
{
    for (size_t i = 0; i < f->n_html; i++) {
        cmark_node *n = f->html[i];
        const char *lit = cmark_node_get_literal(n);
        if (cmark_node_get_type(n) == CMARK_NODE_HTML_INLINE && lit &&
            (!strcasecmp(lit, "<br>") || !strcasecmp(lit, "<br/>") ||
             !strcasecmp(lit, "<br />")))
            cmark_node_insert_before(n, cmark_node_new(CMARK_NODE_LINEBREAK));
        cmark_node_free(n);
    }
    free(f->html);
}

/* Resolve every article link at once; point the ones the reader may
 * follow at their article, turn the others into text; then the files. */
static void resolve(found *f, const render_opts *o)
{
    size_t n = 0;
    for (size_t i = 0; i < f->n_t; i++)
        n += f->t[i].id != NULL;
    const char **ids = hdx_xcalloc(n ? n : 1, sizeof *ids);
    char **urls = hdx_xcalloc(n ? n : 1, sizeof *urls);
    char **titles = hdx_xcalloc(n ? n : 1, sizeof *titles);
    for (size_t i = 0, k = 0; i < f->n_t; i++)
        if (f->t[i].id)
            ids[k++] = f->t[i].id;
    if (n && o->links)
        o->links(ids, n, urls, titles, o->ctx);
    for (size_t i = 0, k = 0; i < f->n_t; i++) {
        target *t = &f->t[i];
        if (t->path) {
            resolve_file(o, t);
            free(t->path);
            continue;
        }
        if (urls[k]) {
            hdx_buf u;
            hdx_buf_init(&u);
            hdx_buf_adds(&u, urls[k]);
            hdx_buf_adds(&u, t->tail);
            autolink_title(t->node, titles[k]);
            cmark_node_set_url(t->node, u.data);
            hdx_buf_clear(&u);
        } else {
            unlink_node(t->node);
        }
        free(urls[k]);
        free(titles[k]);
        free(t->id);
        k++;
    }
    free(ids);
    free(urls);
    free(titles);
}

char *render_markdown(const char *md, const render_opts *opts)
{
    render_opts none;
    memset(&none, 0, sizeof none);
    const render_opts *o = opts ? opts : &none;
    cmark_node *doc = hdx_markup_parse(md, strlen(md), NULL, NULL);
    found f;
    memset(&f, 0, sizeof f);
    collect(doc, o, &f);
    add_anchors(&f, o->sections, o->sections_len);
    drop_html(&f); /* leaves, so first: resolve() may free subtrees */
    resolve(&f, o);
    free(f.heads);
    free(f.t);
    render_demote_h1(doc, o->title);
    render_callouts(doc);
    render_tasks(doc);
    render_tables(doc); /* last: a table's HTML is final */
    char *html = hdx_markup_html(doc);
    cmark_node_free(doc);
    return html;
}

int *render_heading_levels(const char *md, size_t *n)
{
    cmark_node *doc = hdx_markup_parse(md, strlen(md), NULL, NULL);
    int *levels = NULL;
    *n = 0;
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER ||
            cmark_node_get_type(node) != CMARK_NODE_HEADING)
            continue;
        levels = hdx_xrealloc(levels, (*n + 1) * sizeof *levels);
        levels[(*n)++] = cmark_node_get_heading_level(node);
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
    return levels;
}
