/*
 * walk.c - corpus folder listing and file reading (see walk.h).
 *
 * Sorting makes every run see files in the same order, so duplicate ids
 * are resolved the same way each time (first path wins) and progress and
 * error output are reproducible.
 */
#include "walk.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


typedef struct {
    walk_list *out;
    size_t cap;
} acc;

static void add_problem(acc *a, const char *rel, const char *what, int e)
{
    walk_list *l = a->out;
    l->problems =
        hdx_xrealloc(l->problems, (l->n_problems + 1) * sizeof(walk_problem));
    l->problems[l->n_problems++] = (walk_problem){hdx_xstrdup(rel), what, e};
}

static void push(acc *a, const char *rel, const struct stat *st)
{
    if (a->out->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 256;
        a->out->files = hdx_xrealloc(a->out->files, a->cap * sizeof(walk_file));
    }
    walk_file *f = &a->out->files[a->out->n++];
    f->rel = hdx_xstrdup(rel);
    f->size = st->st_size;
    f->mtime_ns = (long long)st->st_mtim.tv_sec * 1000000000LL +
                  st->st_mtim.tv_nsec;
}

static int has_md_ext(const char *name)
{
    size_t n = strlen(name);
    return (n > 3 && !strcasecmp(name + n - 3, ".md")) ||
           (n > 9 && !strcasecmp(name + n - 9, ".markdown"));
}

static void walk_dir(const char *root, const char *rel, acc *a)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d) {
        add_problem(a, rel, "cannot read folder", errno);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char child_rel[4096];
        int n = snprintf(child_rel, sizeof child_rel, "%s%s%s", rel,
                         *rel ? "/" : "", e->d_name);
        if (n < 0 || (size_t)n >= sizeof child_rel)
            continue;
        char child[8192];
        snprintf(child, sizeof child, "%s/%s", root, child_rel);
        struct stat st;
        if (lstat(child, &st) != 0) {
            if (errno == EACCES) { /* listable, but not searchable */
                add_problem(a, rel, "cannot read folder", errno);
                break;
            }
            if (errno != ENOENT) /* ENOENT: removed since readdir() */
                add_problem(a, child_rel, "cannot stat", errno);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (!strcmp(e->d_name, "includes") ||
                !strcmp(e->d_name, "_includes"))
                continue;
            walk_dir(root, child_rel, a);
        } else if (S_ISREG(st.st_mode) && has_md_ext(e->d_name)) {
            /* Hugo's _index.md names its folder (browse_load.c), it is
             * not an article. */
            if (!strcmp(e->d_name, "_index.md"))
                continue;
            if (!*rel && !strcasecmp(e->d_name, "README.md"))
                continue;
            push(a, child_rel, &st);
        }
    }
    closedir(d);
}

static int cmp_file(const void *x, const void *y)
{
    return strcmp(((const walk_file *)x)->rel, ((const walk_file *)y)->rel);
}

static int cmp_problem(const void *x, const void *y)
{
    return strcmp(((const walk_problem *)x)->rel,
                  ((const walk_problem *)y)->rel);
}

/* Fill err for the system error `e` about `name`. */
static hdx_status sys_error(hdx_error *err, int e, const char *where,
                            const char *name)
{
    return hdx_error_set(err, e == ENOENT ? HDX_ENOTFOUND : HDX_EIO, where,
                         "%s: %s", name, strerror(e));
}

hdx_status walk_corpus(const char *root, walk_list *out, hdx_error *err)
{
    *out = (walk_list){0};
    struct stat st;
    if (stat(root, &st) != 0)
        return sys_error(err, errno, __func__, root);
    if (!S_ISDIR(st.st_mode))
        return sys_error(err, ENOTDIR, __func__, root);
    acc a = {out, 0};
    walk_dir(root, "", &a);
    for (size_t i = 0; i < out->n_problems; i++)
        if (!*out->problems[i].rel) { /* the root itself */
            int e = out->problems[i].errnum;
            walk_list_free(out);
            return sys_error(err, e, __func__, root);
        }
    if (out->n)
        qsort(out->files, out->n, sizeof(walk_file), cmp_file);
    if (out->n_problems)
        qsort(out->problems, out->n_problems, sizeof(walk_problem),
              cmp_problem);
    return HDX_OK;
}

void walk_list_free(walk_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->files[i].rel);
    free(l->files);
    for (size_t i = 0; i < l->n_problems; i++)
        free(l->problems[i].rel);
    free(l->problems);
    *l = (walk_list){0};
}

size_t walk_find(const walk_list *l, const char *rel)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(l->files[mid].rel, rel);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return l->n;
}

bool walk_listed(const walk_list *l, const char *rel)
{
    return walk_find(l, rel) < l->n;
}

bool walk_unreadable(const walk_list *l, const char *rel)
{
    for (size_t i = 0; i < l->n_problems; i++) {
        size_t n = strlen(l->problems[i].rel);
        if (!strncmp(rel, l->problems[i].rel, n) &&
            (rel[n] == '\0' || rel[n] == '/'))
            return true;
    }
    return false;
}

/* Read all of `fd`; returns 0 or an errno value. */
static int read_all(int fd, char **data, size_t *len)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return errno;
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *buf = hdx_xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            buf = hdx_xrealloc(buf, cap);
        }
        ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            return e;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

hdx_status walk_read_file(const char *root, const char *rel, char **data,
                          size_t *len, hdx_error *err)
{
    *data = NULL;
    *len = 0;
    hdx_buf path;
    hdx_buf_init(&path);
    hdx_buf_printf(&path, "%s/%s", root, rel);
    int fd = open(path.data, O_RDONLY | O_CLOEXEC);
    hdx_buf_clear(&path);
    int e = fd < 0 ? errno : read_all(fd, data, len);
    if (fd >= 0)
        close(fd);
    return e ? sys_error(err, e, __func__, rel) : HDX_OK;
}

const char *walk_error_reason(const hdx_error *err, const char *rel)
{
    size_t n = strlen(rel);
    if (!strncmp(err->msg, rel, n) && !strncmp(err->msg + n, ": ", 2))
        return err->msg + n + 2;
    return err->msg;
}
