/*
 * signin_guard.c - failed sign-ins per client (see signin_guard.h): a
 * fixed table scanned under one mutex (only sign-in attempts come here).
 */
#include "signin_guard.h"

#include "client_ip.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

typedef struct slot {
    char client[CLIENT_IP_MAX];
    double since; /* first failure of the window */
    unsigned fails;
} slot;

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static slot g_slots[GUARD_CLIENTS];

/* The slot of `client`, or NULL (the caller holds the lock); windows
 * that have passed are emptied on the way. */
static slot *find(const char *client, double now)
{
    slot *hit = NULL;
    for (size_t i = 0; i < GUARD_CLIENTS; i++) {
        slot *s = &g_slots[i];
        if (s->fails && now - s->since >= GUARD_WINDOW_S)
            memset(s, 0, sizeof *s);
        if (s->fails && !strcmp(s->client, client))
            hit = s;
    }
    return hit;
}

bool signin_guard_allows(const char *client, double now, long *retry_s)
{
    *retry_s = 0;
    pthread_mutex_lock(&g_mu);
    slot *s = find(client ? client : "-", now);
    bool ok = !s || s->fails < GUARD_MAX_FAILS;
    if (!ok) {
        *retry_s = (long)(GUARD_WINDOW_S - (now - s->since)) + 1;
        if (*retry_s < 1)
            *retry_s = 1;
    }
    pthread_mutex_unlock(&g_mu);
    return ok;
}

/* For /metrics. */
static atomic_ulong g_failed, g_limited;

void signin_guard_counts(unsigned long *failed, unsigned long *limited)
{
    *failed = atomic_load(&g_failed);
    *limited = atomic_load(&g_limited);
}

void signin_guard_limited(void)
{
    atomic_fetch_add(&g_limited, 1);
}

void signin_guard_failed(const char *client, double now)
{
    atomic_fetch_add(&g_failed, 1);
    const char *c = client ? client : "-";
    pthread_mutex_lock(&g_mu);
    slot *s = find(c, now);
    if (!s) {
        slot *oldest = &g_slots[0];
        for (size_t i = 0; i < GUARD_CLIENTS && !s; i++) {
            if (!g_slots[i].fails)
                s = &g_slots[i];
            else if (g_slots[i].since < oldest->since)
                oldest = &g_slots[i];
        }
        if (!s)
            s = oldest;
        memset(s, 0, sizeof *s);
        snprintf(s->client, sizeof s->client, "%s", c);
        s->since = now;
    }
    s->fails++;
    pthread_mutex_unlock(&g_mu);
}

void signin_guard_reset(void)
{
    pthread_mutex_lock(&g_mu);
    memset(g_slots, 0, sizeof g_slots);
    pthread_mutex_unlock(&g_mu);
}
