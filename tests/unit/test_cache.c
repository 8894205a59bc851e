/*
 * test_cache.c - the response cache (server/cache.c): keys are
 * length-prefixed so arguments cannot forge each other's boundaries, and
 * hold the index's UUID and generation, the caller level and the path; a hit
 * reports its own took_ms, the stored ETag and a ready gzip tail.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "compress.h"
#include "conditional.h"

#include <zlib.h>

#define UUID_A "0b6e1c1a-5d0e-4c55-9a53-2f1f3f2b9d01"
#define UUID_B "7f3a9e42-0c1d-4b6e-8f5a-1d2c3b4a5e6f"

static char *key_uuid(const char *uuid, const char *path, hdx_audience level,
                      unsigned long gen, const char *const *kv, size_t n)
{
    request r;
    request_init(&r, "GET", path, 0);
    r.level = level;
    for (size_t i = 0; i + 1 < n; i += 2)
        request_add_arg(&r, kv[i], kv[i + 1]);
    char *k = cache_key(&r, uuid, gen);
    request_clear(&r);
    return k;
}

static char *key_of(const char *path, hdx_audience level, unsigned long gen,
                    const char *const *kv, size_t n)
{
    return key_uuid(UUID_A, path, level, gen, kv, n);
}

/* Pairs of argument lists that a naive "k=v&" key would confuse. */
typedef struct forge_case {
    const char *a[4];
    size_t na;
    const char *b[4];
    size_t nb;
} forge_case;

static const forge_case k_forge[] = {
    {{"q", "a&page=2"}, 2, {"q", "a", "page", "2"}, 4},
    {{"q", "a;1:b=1:c"}, 2, {"q", "a", "b", "c"}, 4},
    {{"q=x", "1"}, 2, {"q", "x=1"}, 2},
    {{"q", "1:x"}, 2, {"q", "1", "x", ""}, 4},
    {{"q", ""}, 2, {"q", "", "q", ""}, 4},
    {{"q", "ab"}, 2, {"qa", "b"}, 2},
};

static void test_cache_key_cannot_be_forged(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof k_forge / sizeof k_forge[0]; i++) {
        char *a = key_of("/api/search", HDX_AUD_PUBLIC, 1, k_forge[i].a,
                         k_forge[i].na);
        char *b = key_of("/api/search", HDX_AUD_PUBLIC, 1, k_forge[i].b,
                         k_forge[i].nb);
        assert_string_not_equal(a, b);
        free(a);
        free(b);
    }
}

static void test_cache_key_holds_level_generation_path(void **state)
{
    (void)state;
    const char *kv[] = {"q", "reset"};
    char *base = key_of("/api/search", HDX_AUD_PUBLIC, 7, kv, 2);
    char *agent = key_of("/api/search", HDX_AUD_AGENT, 7, kv, 2);
    char *gen = key_of("/api/search", HDX_AUD_PUBLIC, 8, kv, 2);
    char *path = key_of("/api/suggest", HDX_AUD_PUBLIC, 7, kv, 2);
    char *same = key_of("/api/search", HDX_AUD_PUBLIC, 7, kv, 2);
    /* The same generation of another index (deleted and built again at
     * the same path: issue 13). */
    char *other = key_uuid(UUID_B, "/api/search", HDX_AUD_PUBLIC, 7, kv, 2);
    assert_string_not_equal(base, other);
    free(other);
    assert_string_not_equal(base, agent);
    assert_string_not_equal(base, gen);
    assert_string_not_equal(base, path);
    assert_string_equal(base, same);
    assert_string_equal(base, UUID_A "|7|0|/api/search|1:q=5:reset;");
    free(base);
    free(agent);
    free(gen);
    free(path);
    free(same);
}

static void test_cache_hit_reports_its_own_took_ms(void **state)
{
    (void)state;
    cache_init();
    reply rep = {0};
    hdx_buf b;
    hdx_buf_init(&b);
    hdx_buf_adds(&b, "{\"took_ms\":");
    size_t off = b.len;
    hdx_buf_adds(&b, "999.999");
    hdx_buf_adds(&b, ",\"hits\":[]}");
    reply_json_buf(&rep, 200, &b, off, 7);
    cache_put("k1", &rep);
    reply_clear(&rep);

    reply hit = {0};
    assert_true(cache_get("k1", http_now_ms() - 1.0, &hit));
    assert_int_equal(hit.status, 200);
    assert_null(strstr(hit.body, "999.999"));
    assert_memory_equal(hit.body, "{\"took_ms\":", 11);
    assert_string_equal(hit.body + hit.took_off + hit.took_len,
                        ",\"hits\":[]}");
    double took = strtod(hit.body + hit.took_off, NULL);
    assert_true(took >= 1.0 && took < 1000.0);
    assert_false(cache_get("k2", 0, &hit));
    reply_clear(&hit);
    cache_shutdown();
}

static void test_cache_stores_only_200(void **state)
{
    (void)state;
    cache_init();
    reply rep = {0};
    reply_error(&rep, 400, "bad_parameter", "x");
    cache_put("k", &rep);
    reply_clear(&rep);
    assert_false(cache_get("k", 0, &rep));
    reply_bytes(&rep, 200, "text/plain", "body", 4);
    cache_put("k", &rep);
    reply_clear(&rep);
    assert_true(cache_get("k", 0, &rep));
    assert_string_equal(rep.body, "body");
    assert_int_equal(rep.took_len, 0);
    reply_clear(&rep);
    cache_shutdown();
}

static void test_cache_full_still_takes_new_answers(void **state)
{
    (void)state;
    cache_init();
    /* 40 MB of distinct answers against a 32 MB budget. */
    size_t big = 200u * 1024u;
    char *body = malloc(big);
    memset(body, 'x', big);
    reply rep = {0};
    reply_bytes(&rep, 200, "application/json", body, big);
    free(body);
    char key[32];
    for (int i = 0; i < 200; i++) {
        snprintf(key, sizeof key, "fill-%d", i);
        cache_put(key, &rep);
    }
    /* A repeated query must become a hit even though the budget is
     * spent: old entries make way. */
    cache_put("warm", &rep);
    reply_clear(&rep);
    assert_true(cache_get("warm", 0, &rep));
    assert_int_equal(rep.len, big);
    reply_clear(&rep);
    cache_shutdown();
}

/* Inflate a gzip member (zlib's reader); *n its length. */
static char *gunzip(const char *z, size_t zn, size_t cap, size_t *n)
{
    z_stream s;
    memset(&s, 0, sizeof s);
    assert_int_equal(inflateInit2(&s, 15 + 16), Z_OK);
    char *out = calloc(1, cap + 1);
    s.next_in = (Bytef *)(uintptr_t)z;
    s.avail_in = (uInt)zn;
    s.next_out = (Bytef *)out;
    s.avail_out = (uInt)cap;
    assert_int_equal(inflate(&s, Z_FINISH), Z_STREAM_END);
    *n = s.total_out;
    inflateEnd(&s);
    return out;
}

/* A hit carries the ETag computed when it was stored (the same for
 * every hit, took_ms aside) and a ready compressed tail: its gzip form
 * decompresses to exactly the hit's body, with the hit's took_ms. */
static void test_cache_hit_has_etag_and_ready_gzip(void **state)
{
    (void)state;
    cache_init();
    reply rep = {0};
    hdx_buf b;
    hdx_buf_init(&b);
    hdx_buf_adds(&b, "{\"took_ms\":");
    size_t off = b.len;
    hdx_buf_adds(&b, "999.999,\"hits\":[");
    for (int i = 0; i < 100; i++)
        hdx_buf_printf(&b, "%s{\"id\":\"article-%d\"}", i ? "," : "", i);
    hdx_buf_adds(&b, "]}");
    reply_json_buf(&rep, 200, &b, off, 7);
    char stored_tag[CONDITIONAL_TAG_LEN];
    conditional_body_tag(&rep, stored_tag);
    cache_put("k1", &rep);
    reply_clear(&rep);
    for (int k = 0; k < 2; k++) {
        reply hit = {0};
        assert_true(cache_get("k1", http_now_ms() - 1.0 - k, &hit));
        assert_string_equal(reply_header_get(&hit, "ETag"), stored_tag);
        char tag[CONDITIONAL_TAG_LEN];
        conditional_body_tag(&hit, tag);
        assert_string_equal(tag, stored_tag);
        assert_non_null(hit.gz_tail);
        char *plain = strndup(hit.body, hit.len);
        size_t plain_len = hit.len, n;
        compress_apply(&hit);
        assert_true(hit.len < plain_len);
        char *back = gunzip(hit.body, hit.len, plain_len + 64, &n);
        assert_int_equal(n, plain_len);
        assert_string_equal(back, plain);
        assert_null(strstr(back, "999.999"));
        free(back);
        free(plain);
        reply_clear(&hit);
    }
    cache_shutdown();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cache_key_cannot_be_forged),
        cmocka_unit_test(test_cache_key_holds_level_generation_path),
        cmocka_unit_test(test_cache_hit_reports_its_own_took_ms),
        cmocka_unit_test(test_cache_hit_has_etag_and_ready_gzip),
        cmocka_unit_test(test_cache_stores_only_200),
        cmocka_unit_test(test_cache_full_still_takes_new_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
