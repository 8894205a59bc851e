/*
 * builddir.c - full builds' work folders and their marker (see
 * builddir.h).  The marker ties a folder to one index and one process,
 * so the clean-up never removes a folder it cannot prove it owns.
 */
#include "builddir.h"

#include "fsutil.h"

#include "hdx/buf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* `db` without trailing slashes (so "db/" names the folder "db.build.N",
 * next to the index, not inside it). */
static void trimmed(const char *db, hdx_buf *out)
{
    size_t n = strlen(db);
    while (n > 1 && db[n - 1] == '/')
        n--;
    hdx_buf_add(out, db, n);
}

/* The marker's exact text for `db` and `pid`. */
static void marker_text(const char *db, long pid, hdx_buf *out)
{
    char *real = realpath(db, NULL);
    hdx_buf_printf(out, "helpdex-index build folder\nindex: %s\npid: %ld\n",
                   real ? real : db, pid);
    free(real);
}

hdx_status builddir_create(const char *db, char *out, size_t n,
                           hdx_error *err)
{
    hdx_buf b, path;
    hdx_buf_init(&b);
    hdx_buf_init(&path);
    trimmed(db, &b);
    long pid = (long)getpid();
    snprintf(out, n, "%s.build.%ld", b.data, pid);
    hdx_status st = fs_fresh_dir(out, err);
    hdx_buf_reset(&b);
    marker_text(db, pid, &b);
    hdx_buf_printf(&path, "%s/%s", out, BUILDDIR_MARKER);
    int fd = st == HDX_OK ? open(path.data, O_WRONLY | O_CREAT | O_EXCL |
                                                O_CLOEXEC, 0644)
                          : -1;
    if (st == HDX_OK &&
        (fd < 0 || write(fd, b.data, b.len) != (ssize_t)b.len)) {
        st = hdx_error_set(err, HDX_EIO, __func__, "%s: %s", path.data,
                           strerror(errno));
        fs_remove_tree(out);
    }
    if (fd >= 0)
        close(fd);
    hdx_buf_clear(&b);
    hdx_buf_clear(&path);
    return st;
}

void builddir_remove(const char *dir)
{
    hdx_buf p;
    hdx_buf_init(&p);
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
            !strcmp(e->d_name, BUILDDIR_MARKER))
            continue;
        hdx_buf_reset(&p);
        hdx_buf_printf(&p, "%s/%s", dir, e->d_name);
        fs_remove_tree(p.data);
    }
    if (d)
        closedir(d);
    hdx_buf_reset(&p);
    hdx_buf_printf(&p, "%s/%s", dir, BUILDDIR_MARKER);
    unlink(p.data);
    rmdir(dir);
    hdx_buf_clear(&p);
}

/* The pid in a name "<base>.build.<pid>", or 0 if the name is not one. */
static long name_pid(const char *name, const char *base)
{
    size_t n = strlen(base);
    if (strncmp(name, base, n) != 0 || strncmp(name + n, ".build.", 7) != 0)
        return 0;
    const char *digits = name + n + 7;
    if (*digits < '1' || *digits > '9' || strlen(digits) > 9)
        return 0;
    for (const char *p = digits; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return strtol(digits, NULL, 10);
}

/* Does `dir` hold exactly the marker `want`? */
static bool marked(const char *dir, const hdx_buf *want)
{
    hdx_buf p;
    hdx_buf_init(&p);
    hdx_buf_printf(&p, "%s/%s", dir, BUILDDIR_MARKER);
    int fd = open(p.data, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    hdx_buf_clear(&p);
    if (fd < 0)
        return false;
    char got[PATH_MAX + 128];
    ssize_t n = read(fd, got, sizeof got);
    close(fd);
    return n == (ssize_t)want->len && !memcmp(got, want->data, want->len);
}

static bool process_gone(long pid)
{
    return pid == (long)getpid() ||
           (kill((pid_t)pid, 0) != 0 && errno == ESRCH);
}

/* Remove `dir` (named for `pid`) if it is a dead run's work folder. */
static void remove_if_stale(const char *db, const char *dir, long pid)
{
    struct stat st;
    if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return;
    hdx_buf want;
    hdx_buf_init(&want);
    marker_text(db, pid, &want);
    bool ours = marked(dir, &want);
    hdx_buf_clear(&want);
    if (!ours || !process_gone(pid))
        return;
    builddir_remove(dir);
    fprintf(stderr, "helpdex-index: removed %s, the work folder of a full "
                    "build by process %ld, which no longer runs\n",
            dir, pid);
}

void builddir_remove_stale(const char *db)
{
    hdx_buf t, parent, dir;
    hdx_buf_init(&t);
    hdx_buf_init(&parent);
    hdx_buf_init(&dir);
    trimmed(db, &t);
    const char *slash = strrchr(t.data, '/');
    const char *base = slash ? slash + 1 : t.data;
    if (!slash)
        hdx_buf_adds(&parent, ".");
    else /* "/db": the parent is "/" */
        hdx_buf_add(&parent, t.data,
                    slash == t.data ? 1 : (size_t)(slash - t.data));
    DIR *d = *base ? opendir(parent.data) : NULL;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        long pid = name_pid(e->d_name, base);
        if (!pid)
            continue;
        hdx_buf_reset(&dir);
        hdx_buf_printf(&dir, "%s.build.%ld", t.data, pid);
        remove_if_stale(db, dir.data, pid);
    }
    if (d)
        closedir(d);
    hdx_buf_clear(&t);
    hdx_buf_clear(&parent);
    hdx_buf_clear(&dir);
}
