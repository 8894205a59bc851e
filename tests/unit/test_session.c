/*
 * test_session.c - server/session.c and server/signin_guard.c with moved
 * clocks: ids and CSRF tokens, idle and absolute expiry, sign-out, the
 * least recently used session making way, the cookie's attributes, and
 * the failed sign-in limit per client.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "signin_guard.h"

#include "hdx/buf.h"

static const char *TOKEN = "agent-token-0123456789abcdef";

static void test_session_create_and_find(void **state)
{
    (void)state;
    session_configure(60, 3600);
    char id[SESSION_HEX + 1], csrf[SESSION_HEX + 1], other[SESSION_HEX + 1];
    session_create(TOKEN, 1000.0, id, csrf);
    session_create(TOKEN, 1000.0, other, csrf);
    assert_int_equal(strlen(id), SESSION_HEX);
    assert_int_equal(strspn(id, "0123456789abcdef"), SESSION_HEX);
    assert_string_not_equal(id, other);
    assert_string_not_equal(id, csrf);
    char tok[129], got_csrf[SESSION_HEX + 1];
    assert_true(session_find(id, 1010.0, tok, sizeof tok, got_csrf));
    assert_string_equal(tok, TOKEN);
    /* unknown, truncated and altered ids */
    char bad[SESSION_HEX + 1];
    memcpy(bad, id, sizeof bad);
    bad[0] = bad[0] == 'a' ? 'b' : 'a';
    assert_false(session_find(bad, 1010.0, tok, sizeof tok, got_csrf));
    bad[10] = '\0';
    assert_false(session_find(bad, 1010.0, tok, sizeof tok, got_csrf));
    assert_false(session_find("", 1010.0, tok, sizeof tok, got_csrf));
    assert_false(session_find(NULL, 1010.0, tok, sizeof tok, got_csrf));
    session_shutdown();
    assert_int_equal(session_count(), 0);
}

static void test_session_expiry(void **state)
{
    (void)state;
    session_configure(60, 3600);
    char id[SESSION_HEX + 1], csrf[SESSION_HEX + 1], tok[129];
    char c[SESSION_HEX + 1];
    /* Idle: used every 50 s it lives on, until the absolute limit. */
    session_create(TOKEN, 0.0, id, csrf);
    double t = 0;
    for (t = 50; t <= 3600; t += 50)
        assert_true(session_find(id, t, tok, sizeof tok, c));
    assert_false(session_find(id, 3601.0, tok, sizeof tok, c));
    assert_int_equal(session_count(), 0); /* ended when found expired */
    /* 61 s without a request. */
    session_create(TOKEN, 0.0, id, csrf);
    assert_false(session_find(id, 61.0, tok, sizeof tok, c));
    /* Sign-out. */
    session_create(TOKEN, 0.0, id, csrf);
    session_end(id);
    assert_false(session_find(id, 1.0, tok, sizeof tok, c));
    session_end("not-a-session"); /* ignored */
    /* A sign-in sweeps the expired. */
    session_create(TOKEN, 0.0, id, csrf);
    session_create(TOKEN, 0.0, id, csrf);
    session_create(TOKEN, 1000.0, id, csrf);
    assert_int_equal(session_count(), 1);
    session_shutdown();
}

static void test_session_full_table_drops_the_oldest(void **state)
{
    (void)state;
    session_configure(1000000, 1000000);
    char first[SESSION_HEX + 1], id[SESSION_HEX + 1], csrf[SESSION_HEX + 1];
    char tok[129];
    session_create(TOKEN, 0.0, first, csrf);
    for (int i = 1; i < SESSION_MAX; i++)
        session_create(TOKEN, (double)i, id, csrf);
    assert_int_equal(session_count(), SESSION_MAX);
    session_create(TOKEN, (double)SESSION_MAX, id, csrf);
    assert_int_equal(session_count(), SESSION_MAX);
    assert_false(session_find(first, SESSION_MAX + 1.0, tok, sizeof tok,
                              csrf));
    assert_true(session_find(id, SESSION_MAX + 1.0, tok, sizeof tok, csrf));
    session_shutdown();
    session_configure(SESSION_IDLE_DEFAULT, SESSION_MAX_AGE_DEFAULT);
}

static void test_session_cookie_and_secrets(void **state)
{
    (void)state;
    hdx_buf b;
    hdx_buf_init(&b);
    session_cookie(&b, SESSION_COOKIE, "abc", true, "Lax", 600);
    assert_string_equal(b.data, "hdx_session=abc; Path=/; HttpOnly; "
                                "SameSite=Lax; Secure; Max-Age=600");
    hdx_buf_reset(&b);
    session_cookie(&b, SESSION_COOKIE, "", false, "Lax", 600);
    assert_string_equal(b.data, "hdx_session=; Path=/; HttpOnly; "
                                "SameSite=Lax; Max-Age=0");
    hdx_buf_clear(&b);
    assert_true(session_secret_eq("abcd", "abcd"));
    assert_false(session_secret_eq("abcd", "abce"));
    assert_false(session_secret_eq("abcd", "abc"));
    assert_false(session_secret_eq("", "a"));
    assert_false(session_secret_eq(NULL, "a"));
}

static void test_signin_guard_limits_per_client(void **state)
{
    (void)state;
    signin_guard_reset();
    long retry;
    for (int i = 0; i < GUARD_MAX_FAILS; i++) {
        assert_true(signin_guard_allows("203.0.113.9", 100.0 + i, &retry));
        signin_guard_failed("203.0.113.9", 100.0 + i);
    }
    assert_false(signin_guard_allows("203.0.113.9", 110.0, &retry));
    assert_true(retry >= GUARD_WINDOW_S - 10 && retry <= GUARD_WINDOW_S + 1);
    assert_true(signin_guard_allows("203.0.113.10", 110.0, &retry));
    /* The window passes. */
    assert_true(signin_guard_allows("203.0.113.9", 100.0 + GUARD_WINDOW_S,
                                    &retry));
    assert_true(signin_guard_allows(NULL, 0.0, &retry));
    signin_guard_reset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_create_and_find),
        cmocka_unit_test(test_session_expiry),
        cmocka_unit_test(test_session_full_table_drops_the_oldest),
        cmocka_unit_test(test_session_cookie_and_secrets),
        cmocka_unit_test(test_signin_guard_limits_per_client),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
