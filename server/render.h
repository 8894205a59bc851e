/*
 * render.h - Markdown → HTML for article pages, in cmark-gfm's safe mode.
 *
 * Raw HTML is dropped and links with unsafe schemes (javascript:, data:
 * except images, vbscript:, file:) are emptied by cmark.  Heading attribute
 * groups ("{audience=agent}", "{#id}") are removed from the text and each
 * heading gets the anchor the index knows it by.  Links to other articles
 * ("kb:ID", "/a/ID", "xref:UID", a relative "../x/page.md#anchor") are
 * checked against what the reader may see: a link they may follow gets
 * the article's URL, any other becomes plain text, so a public page never
 * names a hidden id.  Images and attachments next to the article point at
 * the media route, or become a visible placeholder (images) or text
 * (links) when the file is not served.  Tables are wrapped in a focusable
 * scroll container with column-header scopes; DocFX alerts (and the
 * admonitions the platform pass turns into them) become callouts.
 */
#ifndef HDX_SERVER_RENDER_H
#define HDX_SERVER_RENDER_H

#include <stddef.h>

#include "hdx/markup.h"

/*
 * Resolve the article links of one document: for each of ids[0..n)
 * (decoded ids, borrowed for the call) set out[i] (NULL on entry) to a
 * malloc'd URL of the article when the reader may see it, and titles[i]
 * (NULL on entry) to its malloc'd title; leave both NULL otherwise
 * (hidden, missing, or the lookup failed).  Called at most once per
 * render, with every link of the document, so one query can answer them
 * all.
 */
typedef void (*render_links_fn)(const char *const *ids, size_t n, char **out,
                                char **titles, void *ctx);

/* The article id of the Markdown file at corpus path `path` (malloc'd),
 * or NULL when no article was indexed from it. */
typedef char *(*render_path_fn)(const char *path, void *ctx);

/* The URL (malloc'd) under which the file at corpus path `path` is served
 * to this reader, or NULL when it is not served (missing, outside the
 * corpus, a type not allowed, or no corpus configured). */
typedef char *(*render_media_fn)(const char *path, void *ctx);

typedef struct render_opts {
    const char *sections;   /* stored section table (hdx/sections.h), or
                               NULL: its anchors go to the headings */
    size_t sections_len;
    const char *path;       /* the document's corpus path, or NULL: relative
                               links are then read as "ID.md" */
    const char *title;      /* page title, or NULL: when set, a level-1
                               heading with this text is left out (the page
                               has its own <h1>) and other level-1 headings
                               become level 2 */
    render_links_fn links;  /* NULL: every article link becomes text */
    render_path_fn path_id; /* NULL: paths are not looked up */
    render_media_fn media;  /* NULL: no file is served */
    void *ctx;              /* passed to the three functions */
} render_opts;

/* Render `md` (NUL-terminated) with `o` (NULL: no options).  Caller frees
 * the result. */
char *render_markdown(const char *md, const render_opts *o);

/*
 * The article id a link target names, malloc'd (caller frees), or NULL
 * when it names no article by id: "kb:ID", "/a/ID" and "xref:UID"
 * (percent-decoded), and a relative "ID.md".  A "#..." or "?..." tail is
 * not part of the id; *tail (optional) points to it.  An id that decodes
 * to a NUL byte is returned as "" (it names nothing).
 */
char *render_link_id(const char *url, const char **tail);

/* The levels (1-6) of md's headings in document order, as many as
 * *n (malloc'd; caller frees; NULL when there are none): what the
 * section table's records 1.. are, for a nested table of contents. */
int *render_heading_levels(const char *md, size_t *n);

/* ---- render_blocks.c: the block transforms render_markdown() applies -- */

/* Every table → a "table-wrap" region holding the table's HTML with
 * scope="col" header cells, labelled by the heading above it. */
void render_tables(cmark_node *doc);

/* Every block quote that starts with an alert marker ("[!TIP] Title") →
 * a callout: <div class="callout callout-KIND" role="note"> with a
 * visible label. */
void render_callouts(cmark_node *doc);

/* Every task-list item → a plain list item starting with a labelled
 * check mark (a disabled, unlabelled checkbox helps no one). */
void render_tasks(cmark_node *doc);

/* With a page title: drop the level-1 heading that repeats it, make the
 * other level-1 headings level 2. */
void render_demote_h1(cmark_node *doc, const char *title);

#endif
