/*
 * render.h - Markdown → HTML for article pages, in cmark's safe mode.
 *
 * Raw HTML is dropped and links with unsafe schemes (javascript:, data:
 * except images, vbscript:, file:) are emptied by cmark.  Heading attribute
 * groups ("{audience=agent}", "{#id}") are removed from the text and each
 * heading gets the anchor the index knows it by.  Links to other articles
 * ("kb:ID", "/a/ID", a relative "ID.md") are checked against what the
 * reader may see: a link they may follow gets the article's URL, any
 * other becomes plain text, so a public page never names a hidden id.
 */
#ifndef HDX_SERVER_RENDER_H
#define HDX_SERVER_RENDER_H

#include <stddef.h>

/*
 * Resolve the article links of one document: for each of ids[0..n)
 * (decoded ids, borrowed for the call) set out[i] (NULL on entry) to a
 * malloc'd URL of the article when the reader may see it, and leave it
 * NULL otherwise (hidden, missing, or the lookup failed).  Called at most
 * once per render, with every link of the document, so one query can
 * answer them all.
 */
typedef void (*render_links_fn)(const char *const *ids, size_t n, char **out,
                                void *ctx);

/*
 * Render `md`.  `sections` is the document's stored section table
 * (hdx/sections.h; may be NULL), whose anchors are given to the headings
 * in order.  `links` (with `ctx`) resolves the article links; NULL turns
 * every article link into plain text.  Caller frees the result.
 */
char *render_markdown(const char *md, const char *sections,
                      size_t sections_len, render_links_fn links, void *ctx);

/*
 * The article id a link target names, malloc'd (caller frees), or NULL
 * when it names no article: "kb:ID" and "/a/ID" (percent-decoded), and a
 * relative "ID.md" (how articles link to each other).  A "#..." or
 * "?..." tail is not part of the id; *tail (optional) points to it.  An
 * id that decodes to a NUL byte is returned as "" (it names nothing).
 */
char *render_link_id(const char *url, const char **tail);

#endif
