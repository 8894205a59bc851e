/*
 * session.c - the session table (see session.h).
 *
 * A plain array under one mutex: sign-ins are rare and a lookup is a scan
 * of the open sessions, each compared in constant time, so no timing says
 * how much of a guessed id was right.  Expired sessions are swept on
 * every sign-in, and found expired on use.
 */
#include "session.h"

#include "hdx/alloc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define TOKEN_CAP 129

typedef struct sess {
    char id[SESSION_HEX + 1];
    char csrf[SESSION_HEX + 1];
    char token[TOKEN_CAP];
    double created, used;
} sess;

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static sess *g_s;
static size_t g_n;
static long g_idle = SESSION_IDLE_DEFAULT, g_max = SESSION_MAX_AGE_DEFAULT;

void session_configure(long idle_s, long max_age_s)
{
    if (idle_s > 0)
        g_idle = idle_s;
    if (max_age_s > 0)
        g_max = max_age_s;
}

long session_max_age(void)
{
    return g_max;
}

/* Forget session i (the caller holds the lock). */
static void drop(size_t i)
{
    memset(&g_s[i], 0, sizeof g_s[i]);
    g_s[i] = g_s[--g_n];
    memset(&g_s[g_n], 0, sizeof g_s[g_n]);
}

void session_shutdown(void)
{
    pthread_mutex_lock(&g_mu);
    while (g_n)
        drop(g_n - 1);
    free(g_s);
    g_s = NULL;
    pthread_mutex_unlock(&g_mu);
}

void session_random_hex(char *out, size_t n)
{
    unsigned char raw[64];
    if (n > sizeof raw)
        n = sizeof raw;
    size_t got = 0;
    while (got < n) {
        ssize_t k = getrandom(raw + got, n - got, 0);
        if (k <= 0) {
            /* Linux never fails this after boot; never hand out a
             * predictable id if it does. */
            fputs("helpdex-serve: getrandom() failed\n", stderr);
            abort();
        }
        got += (size_t)k;
    }
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    out[2 * n] = '\0';
    memset(raw, 0, sizeof raw);
}

bool session_secret_eq(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    size_t na = strlen(a), nb = strlen(b);
    unsigned diff = (unsigned)(na ^ nb);
    for (size_t i = 0; i < na; i++)
        diff |= (unsigned)((unsigned char)a[i] ^
                           (unsigned char)(nb ? b[i % nb] : 0));
    return diff == 0;
}

static bool expired(const sess *s, double now)
{
    return now - s->used > (double)g_idle || now - s->created > (double)g_max;
}

/* The index of session `id`, or g_n (the caller holds the lock). */
static size_t find(const char *id)
{
    size_t at = g_n;
    for (size_t i = 0; i < g_n; i++)
        if (session_secret_eq(g_s[i].id, id))
            at = i;
    return at;
}

void session_create(const char *token, double now, char id[SESSION_HEX + 1],
                    char csrf[SESSION_HEX + 1])
{
    session_random_hex(id, SESSION_HEX / 2);
    session_random_hex(csrf, SESSION_HEX / 2);
    pthread_mutex_lock(&g_mu);
    for (size_t i = g_n; i-- > 0;)
        if (expired(&g_s[i], now))
            drop(i);
    if (g_n == SESSION_MAX) { /* the least recently used makes way */
        size_t lru = 0;
        for (size_t i = 1; i < g_n; i++)
            if (g_s[i].used < g_s[lru].used)
                lru = i;
        drop(lru);
    }
    if (g_n == 0 || (g_n >= 8 && (g_n & (g_n - 1)) == 0))
        g_s = hdx_xrealloc(g_s, (g_n ? 2 * g_n : 8) * sizeof *g_s);
    sess *s = &g_s[g_n++];
    memset(s, 0, sizeof *s);
    memcpy(s->id, id, SESSION_HEX + 1);
    memcpy(s->csrf, csrf, SESSION_HEX + 1);
    snprintf(s->token, sizeof s->token, "%s", token);
    s->created = s->used = now;
    pthread_mutex_unlock(&g_mu);
}

bool session_find(const char *id, double now, char *tok, size_t tok_cap,
                  char csrf[SESSION_HEX + 1])
{
    if (!id || strlen(id) != SESSION_HEX)
        return false;
    pthread_mutex_lock(&g_mu);
    size_t i = find(id);
    bool ok = i < g_n && !expired(&g_s[i], now);
    if (ok) {
        g_s[i].used = now;
        snprintf(tok, tok_cap, "%s", g_s[i].token);
        memcpy(csrf, g_s[i].csrf, SESSION_HEX + 1);
    } else if (i < g_n) {
        drop(i);
    }
    pthread_mutex_unlock(&g_mu);
    return ok;
}

void session_end(const char *id)
{
    if (!id)
        return;
    pthread_mutex_lock(&g_mu);
    size_t i = find(id);
    if (i < g_n)
        drop(i);
    pthread_mutex_unlock(&g_mu);
}

size_t session_count(void)
{
    pthread_mutex_lock(&g_mu);
    size_t n = g_n;
    pthread_mutex_unlock(&g_mu);
    return n;
}

void session_cookie(hdx_buf *b, const char *name, const char *value,
                    bool secure, const char *same_site, long max_age)
{
    hdx_buf_printf(b, "%s=%s; Path=%s; HttpOnly; SameSite=%s%s; Max-Age=%ld",
                   name, value, SESSION_COOKIE_PATH, same_site,
                   secure ? "; Secure" : "", *value ? max_age : 0L);
}
