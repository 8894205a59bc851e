/*
 * hdx.h - status codes, the error struct and version of libhelpdex.
 *
 * Every fallible libhelpdex function returns an hdx_status and takes, as its
 * last parameter, an `hdx_error *err` that may be NULL.  The error struct is
 * caller-allocated and fixed-size, so no heap ownership ever crosses the API
 * on failure.  Out-parameters (`T **out`) are set to NULL on entry and stay
 * NULL on failure.
 */
#ifndef HDX_HDX_H
#define HDX_HDX_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HDX_VERSION "0.1.0"

/* Declarations implemented in C++ (lib/xapian/) carry this, so that the
 * header and the noexcept definitions agree; in C it is empty. */
#ifdef __cplusplus
#define HDX_NOEXCEPT noexcept
#else
#define HDX_NOEXCEPT
#endif

typedef enum hdx_status {
    HDX_OK = 0,
    HDX_ENOMEM,       /* std::bad_alloc at the C++ boundary */
    HDX_EINVAL,       /* bad argument or invalid operation */
    HDX_ENOTFOUND,    /* no such document / database */
    HDX_EDB_OPEN,     /* database could not be opened or created */
    HDX_EDB_LOCKED,   /* another writer holds the index lock */
    HDX_EDB_CORRUPT,  /* the index files are damaged */
    HDX_EDB_MODIFIED, /* reader outran by the writer even after a reopen */
    HDX_EDB,          /* any other database error (I/O, closed, ...) */
    HDX_EQUERY,       /* the user's query could not be parsed */
    HDX_EIO,          /* file-system error in C code */
    HDX_EPARSE,       /* bad front matter, bad UTF-8, undecodable article */
    HDX_EINTERNAL,    /* a bug: unexpected exception or broken invariant */
    HDX_ESCHEMA,      /* the index was written with another schema version */
    HDX_ESHARD,       /* a shard did not answer (sharded mode, strict) */
    HDX_STATUS_COUNT
} hdx_status;

typedef struct hdx_error {
    hdx_status code;
    char where[32];  /* function that failed, e.g. "hdx_writer_open" */
    char type[40];   /* Xapian error type or C-side category */
    char msg[256];   /* human-readable message, always NUL-terminated */
    int line;        /* 1-based input line for parse errors, else 0 */
    int column;      /* 1-based input column for parse errors, else 0 */
    char rule[32];   /* machine-readable sub-code of the failure, e.g. the
                        lint rule "invalid-audience"; "" when none */
} hdx_error;

/* Static, never-NULL name of a status ("ok", "index is locked", ...). */
const char *hdx_status_str(hdx_status s);

/*
 * Fill `err` (if not NULL) with code, where, and a printf-style message;
 * type is set to "" and line/column to 0.  Returns `code` so callers can
 * write `return hdx_error_set(err, HDX_EINVAL, __func__, "...")`.
 */
hdx_status hdx_error_set(hdx_error *err, hdx_status code, const char *where,
                         const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Set err->rule (if err is not NULL) and return err->code: for callers
 * that classify a failure they have just filled. */
hdx_status hdx_error_rule(hdx_error *err, const char *rule);

/* Reset `err` (if not NULL) to HDX_OK with empty strings. */
void hdx_error_clear(hdx_error *err);

#ifdef __cplusplus
}
#endif
#endif
