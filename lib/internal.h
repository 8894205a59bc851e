/*
 * internal.h - lib-private helpers shared between libhelpdex source files.
 * Never included from indexer/, server/ or include/.
 */
#ifndef HDX_INTERNAL_H
#define HDX_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "hdx/article.h"
#include "hdx/hdx.h"

/* Append a located note (copies rule and message). */
void hdxi_note(hdx_article *a, int line, int column, bool is_error,
               const char *rule, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

void hdxi_strlist_push(hdx_strlist *l, const char *s, size_t n);
void hdxi_strlist_free(hdx_strlist *l);

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

/* Levenshtein distance, capped at `cap` (returns cap when larger). */
int hdxi_edit_distance(const char *a, const char *b, int cap);

#endif
