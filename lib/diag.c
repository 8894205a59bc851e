/*
 * diag.c - located diagnostics found while parsing an article: the
 * non-fatal notes kept on the article for the lint.
 *
 * Each note has a file position, a severity, a short rule word (the lint
 * prints it as "[rule]") and a message; the article owns the copies.
 */
#include "internal.h"

#include "hdx/alloc.h"

#include <stdarg.h>
#include <stdio.h>

void hdxi_note(hdx_article *a, int line, int column, bool is_error,
               const char *rule, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    a->notes = hdx_xrealloc(a->notes, (a->n_notes + 1) * sizeof(hdx_note));
    hdx_note *n = &a->notes[a->n_notes++];
    n->line = line;
    n->column = column;
    n->is_error = is_error;
    n->rule = hdx_xstrdup(rule);
    n->msg = hdx_xstrdup(msg);
}
