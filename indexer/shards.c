/*
 * shards.c - parallel shard writers for full builds (see shards.h).
 *
 * A bounded FIFO feeds the writer threads; any writer takes any item, so a
 * slow shard never holds the others up.  Items arrive already checked for
 * duplicate ids (in path order, by the full build's single consumer), so the
 * shards never disagree about which file owns an id.
 */
#include "shards.h"

#include "publish.h"

#include "hdx/alloc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUEUE_CAP 64
#define MAX_SHARDS 8
/* Documents between commits of a shard.  Xapian buffers a writer's
 * changes in memory until a commit; on the bench corpus committing every
 * thousand documents took the build from 19.0 s and 580 MB to 14.4 s and
 * 210 MB.  Shards are private until merged, so the commits publish
 * nothing. */
#define SHARD_COMMIT_EVERY 1000

struct shard_set {
    int n;
    hdx_writer *w[MAX_SHARDS];
    pthread_t tid[MAX_SHARDS];
    int started;
    shard_item *queue[QUEUE_CAP];
    size_t head, count;
    bool closing;
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    hdx_status st;  /* first failure of any writer */
    hdx_error err;
};

typedef struct writer_arg {
    shard_set *s;
    int i;
} writer_arg;

static void item_free(shard_item *it)
{
    hdx_docset_free(it->docs);
    free(it->path);
    free(it->id);
    free(it);
}

static hdx_status write_item(hdx_writer *w, const shard_item *it,
                             hdx_error *err)
{
    publish_item p = {it->path, it->id, it->docs, it->size, it->mtime_ns,
                      it->hash};
    return publish_file(w, &p, true, NULL, err);
}

static void *writer(void *p)
{
    writer_arg *a = p;
    shard_set *s = a->s;
    hdx_writer *w = s->w[a->i];
    free(a);
    unsigned since_commit = 0;
    for (;;) {
        pthread_mutex_lock(&s->mu);
        while (s->count == 0 && !s->closing)
            pthread_cond_wait(&s->not_empty, &s->mu);
        if (s->count == 0) {
            pthread_mutex_unlock(&s->mu);
            return NULL;
        }
        shard_item *it = s->queue[s->head];
        s->head = (s->head + 1) % QUEUE_CAP;
        s->count--;
        bool failed = s->st != HDX_OK;
        pthread_cond_signal(&s->not_full);
        pthread_mutex_unlock(&s->mu);
        if (!failed) {
            hdx_error err;
            hdx_error_clear(&err);
            hdx_status st = write_item(w, it, &err);
            if (st == HDX_OK && ++since_commit >= SHARD_COMMIT_EVERY) {
                st = hdx_writer_commit(w, &err);
                since_commit = 0;
            }
            if (st != HDX_OK) {
                pthread_mutex_lock(&s->mu);
                if (s->st == HDX_OK) {
                    s->st = st;
                    s->err = err;
                }
                pthread_mutex_unlock(&s->mu);
            }
        }
        item_free(it);
    }
}

hdx_status shards_start(const char *dir, int n, shard_set **out,
                        hdx_error *err)
{
    *out = NULL;
    if (n < 1)
        n = 1;
    if (n > MAX_SHARDS)
        n = MAX_SHARDS;
    shard_set *s = hdx_xcalloc(1, sizeof *s);
    s->n = n;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->not_empty, NULL);
    pthread_cond_init(&s->not_full, NULL);
    for (int i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/shard-%d", dir, i);
        hdx_status st = hdx_writer_open_shard(path, &s->w[i], err);
        if (st != HDX_OK) {
            shards_free(s);
            return st;
        }
    }
    for (int i = 0; i < n; i++) {
        writer_arg *a = hdx_xmalloc(sizeof *a);
        a->s = s;
        a->i = i;
        pthread_create(&s->tid[i], NULL, writer, a);
        s->started++;
    }
    *out = s;
    return HDX_OK;
}

void shards_push(shard_set *s, shard_item *item)
{
    pthread_mutex_lock(&s->mu);
    while (s->count == QUEUE_CAP)
        pthread_cond_wait(&s->not_full, &s->mu);
    s->queue[(s->head + s->count) % QUEUE_CAP] = item;
    s->count++;
    pthread_cond_signal(&s->not_empty);
    pthread_mutex_unlock(&s->mu);
}

hdx_status shards_join(shard_set *s, hdx_error *err)
{
    pthread_mutex_lock(&s->mu);
    s->closing = true;
    pthread_cond_broadcast(&s->not_empty);
    pthread_mutex_unlock(&s->mu);
    for (int i = 0; i < s->started; i++)
        pthread_join(s->tid[i], NULL);
    s->started = 0;
    if (s->st != HDX_OK && err)
        *err = s->err;
    return s->st;
}

hdx_writer *shards_writer(shard_set *s, int i)
{
    return s->w[i];
}

hdx_status shards_merge(shard_set *s, const char *dest, hdx_error *err)
{
    hdx_status st = HDX_OK;
    for (int i = 0; st == HDX_OK && i < s->n; i++)
        st = hdx_writer_commit(s->w[i], err);
    const char *paths[MAX_SHARDS];
    char bufs[MAX_SHARDS][4096];
    for (int i = 0; i < s->n; i++) {
        hdx_writer_close(s->w[i]);
        s->w[i] = NULL;
        /* shard paths are "<dir>/shard-<i>", next to dest */
        snprintf(bufs[i], sizeof bufs[i], "%.*s/shard-%d",
                 (int)(strrchr(dest, '/') - dest), dest, i);
        paths[i] = bufs[i];
    }
    if (st == HDX_OK)
        st = hdx_compact(paths, (size_t)s->n, dest, err);
    return st;
}

void shards_free(shard_set *s)
{
    if (!s)
        return;
    if (s->started)
        shards_join(s, NULL);
    for (int i = 0; i < s->n; i++)
        hdx_writer_close(s->w[i]);
    while (s->count) {
        item_free(s->queue[s->head]);
        s->head = (s->head + 1) % QUEUE_CAP;
        s->count--;
    }
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->not_empty);
    pthread_cond_destroy(&s->not_full);
    free(s);
}
