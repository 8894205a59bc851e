/*
 * platform.h - lib-private: the state of the platform pass and the
 * inline helpers platform.c shares with platform_inline.c (see
 * hdx/markup.h; never included from indexer/ or server/).
 */
#ifndef HDX_LIB_PLATFORM_H
#define HDX_LIB_PLATFORM_H

#include "hdx/buf.h"
#include "hdx/markup.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct hdxi_pass {
    hdx_buf out;
    hdx_markup_note_fn note;
    void *ctx;
    int line;          /* 1-based line being read */
    char fence_ch;     /* inside a fenced code block: '`' or '~' */
    size_t fence_len;
    bool liquid_fence; /* ... opened by {% highlight %} */
    int depth;         /* open ":::" and Hugo callouts (quote levels) */
    bool mk_open;      /* inside a MkDocs admonition's indented block */
    bool skip;         /* inside a complex :::image or {% comment %} */
} hdxi_pass;

/* Report "<before><a[0..an)><after>" at the current line (the construct
 * cut at 60 bytes). */
void hdxi_pf_note(hdxi_pass *p, const char *rule, const char *before,
                  const char *a, size_t an, const char *after);
/* The first `needle` in s[0..n), or NULL. */
const char *hdxi_pf_find(const char *s, size_t n, const char *needle);
/* The value of attribute name="..." (or '...') in s[0..n), its length in
 * *len; NULL when absent. */
const char *hdxi_pf_attr(const char *s, size_t n, const char *name,
                         size_t *len);
/* The first argument of a tag: a quoted string or a bare word. */
const char *hdxi_pf_first_arg(const char *s, size_t n, size_t *len);
/* Append the Markdown image "![alt](<src>)", alt's brackets escaped. */
void hdxi_pf_image(hdxi_pass *p, const char *alt, size_t an, const char *src,
                   size_t sn);
/* Length of the word (letters, digits, '-', '_', '.') at s. */
size_t hdxi_pf_word(const char *s, size_t n);
/* Append line c[0..n) with its template tags and inline directives
 * rewritten; code spans are copied untouched. */
void hdxi_pf_inline(hdxi_pass *p, const char *c, size_t n);

#endif
