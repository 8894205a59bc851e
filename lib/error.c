/*
 * error.c - status names and the helpers that fill an hdx_error.
 */
#include "hdx/hdx.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *hdx_status_str(hdx_status s)
{
    static const char *const names[HDX_STATUS_COUNT] = {
        [HDX_OK] = "ok",
        [HDX_ENOMEM] = "out of memory",
        [HDX_EINVAL] = "invalid argument",
        [HDX_ENOTFOUND] = "not found",
        [HDX_EDB_OPEN] = "index could not be opened",
        [HDX_EDB_LOCKED] = "index is locked by another indexer",
        [HDX_EDB_CORRUPT] = "index is corrupt",
        [HDX_EDB_MODIFIED] = "index changed during the read",
        [HDX_EDB] = "index error",
        [HDX_EQUERY] = "query could not be parsed",
        [HDX_EIO] = "I/O error",
        [HDX_EPARSE] = "parse error",
        [HDX_EINTERNAL] = "internal error",
        [HDX_ESCHEMA] = "index schema version mismatch",
        [HDX_ESHARD] = "a shard of the index did not answer",
    };
    if ((unsigned)s >= HDX_STATUS_COUNT || !names[s])
        return "unknown status";
    return names[s];
}

void hdx_error_clear(hdx_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
}

hdx_status hdx_error_set(hdx_error *err, hdx_status code, const char *where,
                         const char *fmt, ...)
{
    if (!err)
        return code;
    hdx_error_clear(err);
    err->code = code;
    snprintf(err->where, sizeof err->where, "%s", where ? where : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

hdx_status hdx_error_rule(hdx_error *err, const char *rule)
{
    if (!err)
        return HDX_OK;
    snprintf(err->rule, sizeof err->rule, "%s", rule ? rule : "");
    return err->code;
}
