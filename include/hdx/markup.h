/*
 * markup.h - how helpdex reads a Markdown body, at index time and at render
 * time alike: a line-level pass over the syntax of other documentation
 * platforms (docs/article-format.md, "Platform syntax"), then cmark-gfm with
 * GitHub's extensions (tables, strikethrough, autolinks, task lists).
 *
 * The platform pass keeps the body's line count, so cmark's line numbers
 * are the writer's.  It rewrites admonitions (Docusaurus ":::tip",
 * MkDocs "!!! note", Hugo "{{< notice >}}") into DocFX alerts
 * ("> [!TIP] Title"), DocFX ":::image:::" into images, Hugo relref/ref and
 * Jekyll link tags into their targets, and strips what it cannot render
 * (other shortcodes, Liquid tags and variables, MDX import/export lines),
 * reporting each stripped construct through the caller's note function.
 */
#ifndef HDX_MARKUP_H
#define HDX_MARKUP_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark-gfm.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A construct the platform pass did not render: body line (1-based),
 * short rule name ("hugo-shortcode", "liquid", "docfx-directive", "mdx"),
 * message.  Both strings are borrowed for the call. */
typedef void (*hdx_markup_note_fn)(void *ctx, int line, const char *rule,
                                   const char *msg);

/*
 * The platform pass alone: a malloc'd copy of body[0..len) rewritten as
 * above, with as many lines (caller frees).  `note` may be NULL.
 * Thread-safe.
 */
char *hdx_markup_prepare(const char *body, size_t len, hdx_markup_note_fn note,
                         void *ctx);

/*
 * Parse body[0..len): the platform pass, then cmark-gfm with the
 * extensions, adjacent text nodes merged.  Never NULL; the caller frees
 * it with cmark_node_free().  Thread-safe (the extensions are registered
 * once, under pthread_once).
 */
cmark_node *hdx_markup_parse(const char *body, size_t len,
                             hdx_markup_note_fn note, void *ctx);

/* HTML of `node` (a document or any block) in safe mode: raw HTML is
 * omitted, unsafe link schemes emptied.  Caller frees. */
char *hdx_markup_html(cmark_node *node);

/* Is `node` an extension node of kind `name` ("table", "table_header"
 * (a header row), "table_row", "table_cell", "strikethrough")? */
bool hdx_markup_is(cmark_node *node, const char *name);

/*
 * A DocFX alert marker at the start of `s` ("[!NOTE]", "[!TIP]": ASCII
 * letters only, at most 15): its length including the brackets, with the
 * word lower-cased into kind[16]; 0 when `s` does not start with one.
 */
size_t hdx_markup_alert(const char *s, char kind[16]);

/*
 * The corpus path a relative link target names: `target` (already
 * percent-decoded, without "#..."/"?...") resolved against the folder of
 * the corpus path `from` ("a/b.md" + "../c.md" → "c.md"); a target
 * starting with '/' is taken from the corpus root.  "." segments and
 * empty segments are dropped.  Malloc'd (caller frees), or NULL when it
 * climbs above the corpus root or is empty.
 */
char *hdx_markup_resolve(const char *from, const char *target);

#ifdef __cplusplus
}
#endif

#endif
