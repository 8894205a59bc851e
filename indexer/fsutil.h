/*
 * fsutil.h - the file-system steps of a full build: a fresh private
 * folder, recursive removal, and the atomic swap of two folders.
 * No ownership crosses these calls.
 */
#ifndef HDX_INDEXER_FSUTIL_H
#define HDX_INDEXER_FSUTIL_H

#include "hdx/hdx.h"

/* rm -rf `path`, not following symlinks; a missing path is fine.  Errors
 * are ignored: this cleans up private build folders only. */
void fs_remove_tree(const char *path);

/* Remove whatever is at `path`, then create it as an empty folder.
 * HDX_EIO with err->msg "PATH: REASON" when mkdir fails. */
hdx_status fs_fresh_dir(const char *path, hdx_error *err);

/* Exchange `a` and `b` in one renameat2(RENAME_EXCHANGE): anyone opening
 * `b` sees the old folder or the new one, never neither.  HDX_EIO with
 * err->msg "cannot install A: REASON" on failure. */
hdx_status fs_exchange(const char *a, const char *b, hdx_error *err);

#endif
