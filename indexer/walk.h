/*
 * walk.h - deterministic listing of a corpus folder's Markdown files.
 */
#ifndef HDX_INDEXER_WALK_H
#define HDX_INDEXER_WALK_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

typedef struct walk_file {
    char *rel;     /* path relative to the root, '/'-separated */
    off_t size;
    long long mtime_ns;
} walk_file;

typedef struct walk_list {
    walk_file *files;
    size_t n;
} walk_list;

/*
 * List *.md / *.markdown below `root`, sorted by relative path (bytewise).
 * Skipped: hidden entries, symlinks, folders named "includes" or
 * "_includes" (DocFX fragments, not articles) and a README.md at the root.
 * Unreadable folders are reported on stderr and skipped.
 * Returns 0, or -1 if root itself cannot be opened (errno set).
 */
int walk_corpus(const char *root, walk_list *out);
void walk_list_free(walk_list *l);

/* Read a whole file into a malloc'd buffer (NUL-terminated); -1 on error. */
int walk_read_file(const char *path, char **data, size_t *len);

#endif
