/*
 * fsutil.c - file-system helpers of the full build (see fsutil.h).
 * nftw() walks depth-first so that folders are empty when removed.
 */
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int remove_cb(const char *path, const struct stat *sb, int flag,
                     struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void fs_remove_tree(const char *path)
{
    nftw(path, remove_cb, 16, FTW_DEPTH | FTW_PHYS);
}

hdx_status fs_fresh_dir(const char *path, hdx_error *err)
{
    fs_remove_tree(path);
    if (mkdir(path, 0755) != 0)
        return hdx_error_set(err, HDX_EIO, "mkdir", "%s: %s", path,
                             strerror(errno));
    return HDX_OK;
}

hdx_status fs_exchange(const char *a, const char *b, hdx_error *err)
{
    if (renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) != 0)
        return hdx_error_set(err, HDX_EIO, "renameat2",
                             "cannot install %s: %s", a, strerror(errno));
    return HDX_OK;
}
