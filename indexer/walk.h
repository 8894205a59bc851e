/*
 * walk.h - deterministic listing of a corpus folder's Markdown files, and
 * reading one of them.
 *
 * Ownership: walk_corpus() fills a caller-embedded walk_list whose file
 * array and paths belong to it until walk_list_free().  walk_read_file()
 * hands the caller a malloc'd buffer to free().
 */
#ifndef HDX_INDEXER_WALK_H
#define HDX_INDEXER_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "hdx/hdx.h"

typedef struct walk_file {
    char *rel;     /* path relative to the root, '/'-separated */
    off_t size;
    long long mtime_ns;
} walk_file;

/* Something below the root the walk could not read.  `what` is a static
 * string: "cannot read folder" (it cannot be listed, or its entries
 * cannot be examined: no search permission) or "cannot stat" (an entry
 * that cannot be examined for another reason). */
typedef struct walk_problem {
    char *rel;        /* relative to the root, '/'-separated */
    const char *what;
    int errnum;       /* the errno value */
} walk_problem;

typedef struct walk_list {
    walk_file *files; /* sorted by rel, bytewise */
    size_t n;
    walk_problem *problems; /* sorted by rel */
    size_t n_problems;
} walk_list;

/*
 * List *.md / *.markdown below `root`, sorted by relative path (bytewise).
 * Skipped: hidden entries, symlinks, folders named "includes" or
 * "_includes" (DocFX fragments, not articles), Hugo's _index.md (a folder
 * file: it names its folder, see docs/browsing.md) and a README.md at the
 * root.
 * A folder (or entry) below the root that cannot be read is recorded in
 * out->problems, not printed: the callers report it as a failure of the
 * run (report_walk_problems(), the lint's "io" rule).
 * Fails only if `root` itself cannot be listed (or its entries examined):
 * HDX_ENOTFOUND (missing) or HDX_EIO, with err->msg "ROOT: REASON"; *out
 * is then empty.
 * Not thread-safe with respect to *out; otherwise reentrant.
 */
hdx_status walk_corpus(const char *root, walk_list *out, hdx_error *err);

/* Free the list's contents (not `l` itself); accepts an empty list. */
void walk_list_free(walk_list *l);

/* The index of `rel` in l->files, or l->n if it is not listed.  Binary
 * search, so O(log n). */
size_t walk_find(const walk_list *l, const char *rel);

/* Is `rel` in the list?  O(log n). */
bool walk_listed(const walk_list *l, const char *rel);

/* Is `rel` one of the problems, or below a folder that is?  Then the walk
 * cannot say whether the file is still there.  O(n_problems). */
bool walk_unreadable(const walk_list *l, const char *rel);

/*
 * Read the whole file `root`/`rel` into a malloc'd, NUL-terminated buffer
 * (*data, *len bytes without the NUL); the caller frees *data.  On failure
 * *data is NULL and the status is HDX_ENOTFOUND or HDX_EIO, with err->msg
 * "REL: REASON" (REASON as strerror() words it; walk_error_reason()).
 * Thread-safe.
 */
hdx_status walk_read_file(const char *root, const char *rel, char **data,
                          size_t *len, hdx_error *err);

/* The REASON of a walk_read_file() error for `rel` ("Permission denied"),
 * for callers that print the path in a format of their own.  Borrowed from
 * `err`. */
const char *walk_error_reason(const hdx_error *err, const char *rel);

#endif
