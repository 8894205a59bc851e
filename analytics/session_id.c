/*
 * session_id.c - random and keyed session ids (see session_id.h).
 */
#include "session_id.h"

#include <errno.h>
#include <nettle/hmac.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define SECRET_BYTES 32

/* The HMAC state with today's secret as its key (the key's pads already
 * hashed, so a request copies it instead of setting the key again). */
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static struct hmac_sha256_ctx g_keyed;
static long long g_secret_day = -1; /* the UTC day it was drawn for */

/* n random bytes; getrandom() blocks only before the pool is seeded. */
static void random_bytes(uint8_t *out, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = getrandom(out + got, n - got, 0);
        if (k > 0)
            got += (size_t)k;
        else if (k < 0 && errno != EINTR)
            abort(); /* no randomness: never fall back to a guessable id */
    }
}

static void hex(const uint8_t *b, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

void session_id_random(char out[ANALYTICS_SESSION_LEN + 1])
{
    uint8_t b[ANALYTICS_SESSION_LEN / 2];
    random_bytes(b, sizeof b);
    hex(b, sizeof b, out);
}

void session_id_keyed(const char *ip, const char *ua, time_t now,
                      char out[ANALYTICS_SESSION_LEN + 1])
{
    long long day = (long long)now / 86400;
    struct hmac_sha256_ctx ctx;
    pthread_mutex_lock(&g_mu);
    if (day != g_secret_day) { /* first use, or a new UTC day */
        uint8_t secret[SECRET_BYTES];
        random_bytes(secret, sizeof secret);
        hmac_sha256_set_key(&g_keyed, sizeof secret, secret);
        memset(secret, 0, sizeof secret);
        g_secret_day = day;
    }
    ctx = g_keyed;
    pthread_mutex_unlock(&g_mu);
    char day_s[24];
    int day_len = snprintf(day_s, sizeof day_s, "%lld", day);
    const char *parts[] = {ip ? ip : "", "\n", ua ? ua : "", "\n"};
    for (size_t i = 0; i < 4; i++)
        hmac_sha256_update(&ctx, strlen(parts[i]),
                           (const uint8_t *)parts[i]);
    hmac_sha256_update(&ctx, (size_t)day_len, (const uint8_t *)day_s);
    uint8_t digest[SHA256_DIGEST_SIZE];
    hmac_sha256_digest(&ctx, sizeof digest, digest);
    hex(digest, ANALYTICS_SESSION_LEN / 2, out);
    memset(&ctx, 0, sizeof ctx);
}

bool session_id_valid(const char *s)
{
    if (!s)
        return false;
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return false;
    return n == ANALYTICS_SESSION_LEN;
}
