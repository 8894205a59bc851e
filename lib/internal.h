/*
 * internal.h - lib-private helpers shared between libhelpdex source files.
 * Never included from indexer/, server/ or include/.
 *
 * The article parser is layered: article.c (the orchestrator) calls
 * frontmatter.c and markdown.c, and those two call only the leaf files
 * below (diag.c, strlist.c, editdist.c and the public vocab/date/slug
 * helpers); no leaf calls back up.
 */
#ifndef HDX_INTERNAL_H
#define HDX_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "hdx/article.h"
#include "hdx/hdx.h"

/* ---- diag.c: located diagnostics ---------------------------------------- */

/* Append a located note to `a` (copies rule and the formatted message,
 * which is cut at 511 bytes).  Not thread-safe on the same article. */
void hdxi_note(hdx_article *a, int line, int column, bool is_error,
               const char *rule, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/*
 * Fill `err` (if not NULL) for a parse failure that refuses the file:
 * HDX_EPARSE, `where` (the category copied to err->where, e.g. "article"),
 * the lint rule word (e.g. "invalid-audience"; at most 31 bytes), the file
 * position (`column` 0 when there is none) and the formatted message, cut
 * at 255 bytes.  Returns HDX_EPARSE, also when err is NULL.
 */
hdx_status hdxi_parse_fail(hdx_error *err, const char *where, const char *rule,
                           int line, int column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* ---- strlist.c ---------------------------------------------------------- */

/* Append a copy of s[0..n) (NUL-terminated in the list). */
void hdxi_strlist_push(hdx_strlist *l, const char *s, size_t n);
/* Free every item and reset the list to {NULL, 0}; a zeroed list is fine. */
void hdxi_strlist_free(hdx_strlist *l);

/* ---- editdist.c --------------------------------------------------------- */

/* Case-insensitive (ASCII) Levenshtein distance between two C strings,
 * capped at `cap` (returns cap when it is larger, or when either string is
 * over 64 bytes).  Thread-safe. */
int hdxi_edit_distance(const char *a, const char *b, int cap);

/* ---- the two halves of an article, called by article.c ----------------- */

/*
 * Parse the YAML front matter text (without the --- fences) into `a`.
 * `first_line` is the file line of the first YAML line, so that reported
 * positions are file positions.  Fatal errors return HDX_EPARSE with
 * err->line/column set.
 */
hdx_status hdxi_frontmatter_parse(hdx_article *a, const char *yaml, size_t len,
                                  int first_line, hdx_error *err);

/*
 * Parse the CommonMark body into sections, refs and the title fallback.
 * `first_line` is the file line of the body's first line.
 */
void hdxi_markdown_parse(hdx_article *a, const char *body, size_t len,
                         int first_line);

#endif
