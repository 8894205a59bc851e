/*
 * diag.c - located diagnostics found while parsing an article: the
 * non-fatal notes kept on the article, and the one fatal error that
 * refuses the file.
 *
 * Both carry a file position, a message and a lint rule word (the lint
 * prints it as "[rule]"), so the lint never has to read the English.
 */
#include "internal.h"

#include "hdx/alloc.h"
#include "hdx/hdx.h"

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

hdx_status hdxi_parse_fail(hdx_error *err, const char *where, const char *rule,
                           int line, int column, const char *fmt, ...)
{
    if (!err)
        return HDX_EPARSE;
    hdx_error_set(err, HDX_EPARSE, where, "%s", "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->line = line;
    err->column = column;
    hdx_error_rule(err, rule);
    return HDX_EPARSE;
}
