/*
 * index_pool.c - per-thread read handles and the commit watcher.
 *
 * The watcher's stamp covers both layouts helpdex-serve reads: a plain
 * glass folder (helpdex-index's own, or a master) and a replica's stub
 * folder, whose live copy changes under it.
 */
#include "index_pool.h"

#include "shard_set.h"

#include "hdx/alloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct slot {
    hdx_db *db;
    char stamp[128]; /* version file identity when db was last (re)opened */
    double committed; /* its mtime: when that revision was committed */
} slot;

static char *g_path;
static pthread_key_t g_key;
static bool g_started;
static atomic_ulong g_reopens, g_reopen_failures;

static void slot_free(void *p)
{
    slot *s = p;
    if (!s)
        return;
    hdx_db_close(s->db);
    free(s);
}

/* The folder whose "iamglass" marks the served commit: the index folder
 * itself, or in a replica (xapian-replicate) the live copy its XAPIANDB
 * stub names ("auto replica_0"), written before the stub is switched.
 * A hand-written stub's first database ("auto" or "glass", a relative
 * or absolute path) counts the same way. */
static void live_folder(char *out, size_t n, struct stat *stub)
{
    char sf[4096], line[512];
    snprintf(out, n, "%s", g_path);
    snprintf(sf, sizeof sf, "%s/XAPIANDB", g_path);
    FILE *f = fopen(sf, "r");
    if (!f) {
        memset(stub, 0, sizeof *stub);
        return;
    }
    if (fstat(fileno(f), stub) != 0)
        memset(stub, 0, sizeof *stub);
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        const char *name = line;
        if (!strncmp(line, "auto ", 5) || !strncmp(line, "glass ", 6))
            name = strchr(line, ' ') + 1;
        if (name[0] == '/')
            snprintf(out, n, "%s", name);
        else
            snprintf(out, n, "%s/%s", g_path, name);
        break;
    }
    fclose(f);
}

/* Xapian's glass backend replaces "iamglass" on every commit, so its
 * inode, size and mtime identify the latest commit for one stat() (two
 * and a read in a replica, with the stub's inode and mtime), and the mtime
 * is the time of that commit (*committed; 0 when missing). */
static void version_stamp(char *out, size_t n, double *committed)
{
    char live[4096], vf[4200];
    struct stat stub, st;
    live_folder(live, sizeof live, &stub);
    snprintf(vf, sizeof vf, "%s/iamglass", live);
    *committed = 0;
    if (stat(vf, &st) != 0) {
        snprintf(out, n, "missing:%llu", (unsigned long long)stub.st_ino);
        return;
    }
    *committed = (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec / 1e9;
    snprintf(out, n, "%lld.%ld:%lld:%llu/%llu:%lld.%ld",
             (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
             (long long)st.st_size, (unsigned long long)st.st_ino,
             (unsigned long long)stub.st_ino, (long long)stub.st_mtim.tv_sec,
             stub.st_mtim.tv_nsec);
}

/* Sharded mode (shard_set.h): db_path is the metadata index. */
static hdx_status open_db(const char *db_path, hdx_db **out, hdx_error *err)
{
    const hdx_shard_opts *so = shard_set_opts();
    return so ? hdx_db_open_sharded(db_path, so, out, err)
              : hdx_db_open(db_path, out, err);
}

hdx_status index_pool_start(const char *db_path, hdx_error *err)
{
    hdx_db *db;
    hdx_error e;
    hdx_status st = open_db(db_path, &db, &e);
    if (st != HDX_OK)
        return hdx_error_set(
            err, st, __func__, "%s: %s%s", db_path, e.msg,
            st == HDX_ENOTFOUND
                ? " (build it first: helpdex-index --corpus DIR --db DIR)"
                : "");
    hdx_db_close(db);
    g_path = hdx_xstrdup(db_path);
    pthread_key_create(&g_key, slot_free);
    g_started = true;
    return HDX_OK;
}

void index_pool_stop(void)
{
    if (!g_started)
        return;
    /* The main thread's own slot, if it ever served (tests). */
    slot_free(pthread_getspecific(g_key));
    pthread_setspecific(g_key, NULL);
    free(g_path);
    g_path = NULL;
    g_started = false;
}

hdx_db *index_pool_get(hdx_error *err)
{
    slot *s = pthread_getspecific(g_key);
    char stamp[128];
    double committed;
    version_stamp(stamp, sizeof stamp, &committed);
    if (!s) {
        s = hdx_xcalloc(1, sizeof *s);
        if (open_db(g_path, &s->db, err) != HDX_OK) {
            free(s);
            return NULL;
        }
        memcpy(s->stamp, stamp, sizeof stamp);
        s->committed = committed;
        pthread_setspecific(g_key, s);
        return s->db;
    }
    if (strcmp(s->stamp, stamp) != 0) {
        /* On failure keep serving the old revision; retry next request. */
        if (hdx_db_reopen(s->db, NULL, err) == HDX_OK) {
            memcpy(s->stamp, stamp, sizeof stamp);
            s->committed = committed;
            atomic_fetch_add_explicit(&g_reopens, 1, memory_order_relaxed);
        } else {
            atomic_fetch_add_explicit(&g_reopen_failures, 1,
                                      memory_order_relaxed);
        }
    }
    return s->db;
}

double index_pool_committed(void)
{
    const slot *s = g_started ? pthread_getspecific(g_key) : NULL;
    return s ? s->committed : 0;
}

void index_pool_reopens(unsigned long *ok, unsigned long *failed)
{
    *ok = atomic_load_explicit(&g_reopens, memory_order_relaxed);
    *failed = atomic_load_explicit(&g_reopen_failures, memory_order_relaxed);
}
