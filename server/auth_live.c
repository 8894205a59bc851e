/*
 * auth_live.c - reloading the tokens file (see auth_live.h).
 */
#include "auth_live.h"

#include "http.h"

#include "hdx/alloc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static char *g_path;
static auth *g_cur;
static auth **g_old; /* replaced tables, freed at stop */
static size_t g_n_old;
static struct stat g_seen; /* the file as last loaded (zeroed: missing) */
static double g_checked;   /* when it was last looked at, ms */

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Load the file again into g_cur (the caller holds the lock). */
static void reload_locked(void)
{
    struct stat st;
    if (stat(g_path, &st) != 0)
        memset(&st, 0, sizeof st);
    g_seen = st;
    auth *a = NULL;
    hdx_error err;
    if (auth_load(g_path, &a, &err) != HDX_OK) {
        fprintf(stderr, "helpdex-serve: %s; no token is accepted until the "
                        "tokens file is fixed\n", err.msg);
        auth_load(NULL, &a, NULL); /* fail closed: an empty table */
    } else {
        fprintf(stderr, "helpdex-serve: tokens file %s reloaded\n", g_path);
    }
    g_old = hdx_xrealloc(g_old, (g_n_old + 1) * sizeof *g_old);
    g_old[g_n_old++] = g_cur;
    g_cur = a;
}

hdx_status auth_live_start(const char *path, hdx_error *err)
{
    hdx_status st = auth_load(path, &g_cur, err);
    if (st != HDX_OK)
        return st;
    if (path) {
        g_path = hdx_xstrdup(path);
        if (stat(path, &g_seen) != 0)
            memset(&g_seen, 0, sizeof g_seen);
    }
    g_checked = http_now_ms();
    return HDX_OK;
}

const auth *auth_live_get(void)
{
    pthread_mutex_lock(&g_mu);
    double now = http_now_ms();
    if (g_path && now - g_checked >= 1000.0) {
        g_checked = now;
        struct stat st;
        if (stat(g_path, &st) != 0)
            memset(&st, 0, sizeof st);
        if (!same_file(&st, &g_seen))
            reload_locked();
    }
    const auth *a = g_cur;
    pthread_mutex_unlock(&g_mu);
    return a;
}

void auth_live_reload(void)
{
    pthread_mutex_lock(&g_mu);
    if (g_path)
        reload_locked();
    g_checked = http_now_ms();
    pthread_mutex_unlock(&g_mu);
}

void auth_live_stop(void)
{
    pthread_mutex_lock(&g_mu);
    for (size_t i = 0; i < g_n_old; i++)
        auth_free(g_old[i]);
    free(g_old);
    g_old = NULL;
    g_n_old = 0;
    auth_free(g_cur);
    g_cur = NULL;
    free(g_path);
    g_path = NULL;
    pthread_mutex_unlock(&g_mu);
}
