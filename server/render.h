/*
 * render.h - Markdown → HTML for article pages, in cmark's safe mode.
 *
 * Raw HTML is dropped and links with unsafe schemes (javascript:, data:
 * except images, vbscript:, file:) are emptied by cmark.  Heading attribute
 * groups ("{audience=agent}", "{#id}") are removed from the text and each
 * heading gets the anchor the index knows it by.
 */
#ifndef HDX_SERVER_RENDER_H
#define HDX_SERVER_RENDER_H

#include <stddef.h>

/*
 * Render `md`.  `sections` is the document's stored section table
 * (hdx/sections.h; may be NULL), whose anchors are given to the headings
 * in order.  Caller frees the result.
 */
char *render_markdown(const char *md, const char *sections,
                      size_t sections_len);

#endif
