/*
 * base_path.c - the --base-path prefix (see base_path.h).
 */
#include "base_path.h"

#include <string.h>

static char g_base[BASE_PATH_MAX + 1]; /* "" or "/help" */

bool base_path_valid(const char *p, const char **why)
{
    *why = NULL;
    if (!p || p[0] != '/')
        *why = "must start with '/'";
    else if (strlen(p) > BASE_PATH_MAX)
        *why = "is longer than 128 bytes";
    else if (!strcmp(p, "/"))
        return true;
    else if (p[strlen(p) - 1] == '/')
        *why = "must not end with '/'";
    else if (strstr(p, "//"))
        *why = "must not have an empty segment ('//')";
    else if (strstr(p, "/./") || strstr(p, "/../") ||
             !strcmp(strrchr(p, '/'), "/.") ||
             !strcmp(strrchr(p, '/'), "/.."))
        *why = "must not have a '.' or '..' segment";
    for (const unsigned char *c = (const unsigned char *)p; !*why && *c; c++)
        if (*c <= ' ' || *c == 0x7f || strchr("?#%\\\"'<>", *c))
            *why = "must not contain spaces, controls or any of ?#%\\\"'<>";
    return *why == NULL;
}

void base_path_set(const char *p)
{
    const char *why;
    if (!p || !strcmp(p, "/") || !base_path_valid(p, &why))
        g_base[0] = '\0';
    else
        strcpy(g_base, p);
}

const char *base_path(void)
{
    return g_base;
}

const char *base_path_cookie(void)
{
    return g_base[0] ? g_base : "/";
}

void base_url(hdx_buf *b, const char *path)
{
    hdx_buf_adds(b, g_base);
    hdx_buf_adds(b, path);
}

/* The endpoints that also answer outside the prefix. */
static bool at_root_too(const char *path)
{
    return !strcmp(path, "/healthz") || !strcmp(path, "/readyz") ||
           !strcmp(path, "/metrics");
}

bool base_path_strip(char *path)
{
    size_t n = strlen(g_base);
    if (!n)
        return true;
    if (strncmp(path, g_base, n) != 0 || (path[n] && path[n] != '/'))
        return at_root_too(path);
    if (!path[n])
        strcpy(path, "/");
    else
        memmove(path, path + n, strlen(path + n) + 1);
    return true;
}
