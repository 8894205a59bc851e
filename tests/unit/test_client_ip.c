/*
 * test_client_ip.c - trusted proxies and X-Forwarded-For
 * (server/client_ip.c): the header counts only from a trusted peer, the
 * rightmost untrusted address is the client, and nothing a client
 * writes further left, or that is not an address, ever becomes it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "client_ip.h"

static struct in6_addr addr(const char *s)
{
    struct in6_addr a;
    assert_true(ip_parse(s, strlen(s), &a));
    return a;
}

static void check(const proxy_list *l, const char *peer,
                  const char *const *xff, size_t n, const char *want)
{
    char out[CLIENT_IP_MAX];
    struct in6_addr p;
    if (peer)
        p = addr(peer);
    client_ip(l, peer ? &p : NULL, xff, n, out);
    assert_string_equal(out, want);
}

static void test_client_ip_parse_and_format(void **state)
{
    (void)state;
    char out[CLIENT_IP_MAX];
    struct in6_addr a = addr("192.0.2.7");
    ip_format(&a, out);
    assert_string_equal(out, "192.0.2.7");
    a = addr("[2001:db8::1]");
    ip_format(&a, out);
    assert_string_equal(out, "2001:db8::1");
    a = addr("2001:DB8:0::1");
    ip_format(&a, out);
    assert_string_equal(out, "2001:db8::1");
    static const char *const bad[] = {
        "", "10.0.0", "10.0.0.1/8", "10.0.0.1:80", "host.example",
        "fe80::1%eth0", "[::1", "unknown", "1.2.3.4 5",
        "0000000000000000000000000000000000000000000000000000000::1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(ip_parse(bad[i], strlen(bad[i]), &a));
}

static void test_client_ip_proxy_list(void **state)
{
    (void)state;
    proxy_list l = {0};
    assert_true(proxy_list_add(&l, "127.0.0.1"));
    assert_true(proxy_list_add(&l, "::1"));
    assert_false(proxy_list_add(&l, "10.0.0.0/8"));
    assert_false(proxy_list_add(&l, "localhost"));
    assert_false(proxy_list_add(&l, NULL));
    assert_int_equal(l.n, 2);
    struct in6_addr a = addr("127.0.0.1");
    assert_true(proxy_list_has(&l, &a));
    a = addr("127.0.0.2");
    assert_false(proxy_list_has(&l, &a));
    proxy_list_clear(&l);
    assert_int_equal(l.n, 0);
}

static void test_client_ip_untrusted_peer_ignores_xff(void **state)
{
    (void)state;
    proxy_list l = {0};
    static const char *const xff[] = {"203.0.113.5"};
    check(&l, "127.0.0.1", xff, 1, "127.0.0.1");
    assert_true(proxy_list_add(&l, "10.0.0.1"));
    check(&l, "127.0.0.1", xff, 1, "127.0.0.1");
    check(&l, NULL, xff, 1, "-");
    proxy_list_clear(&l);
}

static void test_client_ip_rightmost_untrusted(void **state)
{
    (void)state;
    proxy_list l = {0};
    assert_true(proxy_list_add(&l, "127.0.0.1"));
    assert_true(proxy_list_add(&l, "10.0.0.2"));
    /* The client's own claim (1.1.1.1) is left of what nginx saw. */
    static const char *const one[] = {"1.1.1.1, 203.0.113.5"};
    check(&l, "127.0.0.1", one, 1, "203.0.113.5");
    /* A chain of trusted proxies is skipped. */
    static const char *const chain[] = {" 198.51.100.9 ,10.0.0.2,127.0.0.1"};
    check(&l, "127.0.0.1", chain, 1, "198.51.100.9");
    /* Several headers are one list, the last one rightmost. */
    static const char *const two[] = {"1.1.1.1", "203.0.113.6, 10.0.0.2"};
    check(&l, "127.0.0.1", two, 2, "203.0.113.6");
    /* IPv6, bracketed or not. */
    static const char *const v6[] = {"[2001:db8::7]"};
    check(&l, "127.0.0.1", v6, 1, "2001:db8::7");
    /* No header, or an empty one: the peer. */
    check(&l, "127.0.0.1", NULL, 0, "127.0.0.1");
    static const char *const empty[] = {" , "};
    check(&l, "127.0.0.1", empty, 1, "127.0.0.1");
    /* Only trusted addresses: the leftmost. */
    static const char *const all[] = {"10.0.0.2, 127.0.0.1"};
    check(&l, "127.0.0.1", all, 1, "10.0.0.2");
    proxy_list_clear(&l);
}

static void test_client_ip_garbage_stops_the_walk(void **state)
{
    (void)state;
    proxy_list l = {0};
    assert_true(proxy_list_add(&l, "127.0.0.1"));
    assert_true(proxy_list_add(&l, "10.0.0.2"));
    /* Garbage is never the client: the last trusted hop is. */
    static const char *const junk[] = {"1.1.1.1, \"><script>, 10.0.0.2"};
    check(&l, "127.0.0.1", junk, 1, "10.0.0.2");
    static const char *const junk2[] = {"unknown"};
    check(&l, "127.0.0.1", junk2, 1, "127.0.0.1");
    static const char *const port[] = {"203.0.113.5:4711"};
    check(&l, "127.0.0.1", port, 1, "127.0.0.1");
    proxy_list_clear(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_ip_parse_and_format),
        cmocka_unit_test(test_client_ip_proxy_list),
        cmocka_unit_test(test_client_ip_untrusted_peer_ignores_xff),
        cmocka_unit_test(test_client_ip_rightmost_untrusted),
        cmocka_unit_test(test_client_ip_garbage_stops_the_walk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
