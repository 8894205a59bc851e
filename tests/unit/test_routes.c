/*
 * test_routes.c - the route table and dispatcher (server/routes.c):
 * every entry matches its own paths, ids may hold '/', the /related
 * suffix, unknown paths 404, wrong methods 405 with Allow, levels 401/403.
 * No server is started: requests are built directly, without an index.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "api.h"
#include "routes.h"

/* A path for route `rt` with the id "x/y" where it takes one. */
static void path_for(const route *rt, char *out, size_t n)
{
    if (rt->match == ROUTE_EXACT)
        snprintf(out, n, "%s", rt->path);
    else
        snprintf(out, n, "%sx/y%s", rt->path, rt->suffix ? rt->suffix : "");
}

static void test_routes_every_entry_matches_itself(void **state)
{
    (void)state;
    size_t n;
    const route *t = route_table(&n);
    assert_true(n >= 14);
    for (size_t i = 0; i < n; i++) {
        char path[256];
        path_for(&t[i], path, sizeof path);
        const char *id;
        size_t id_len;
        const route *rt = route_find(path, &id, &id_len);
        assert_non_null(rt);
        assert_string_equal(rt->name, t[i].name);
        assert_non_null(t[i].handler);
        if (t[i].match == ROUTE_EXACT) {
            assert_null(id);
        } else {
            assert_int_equal(id_len, 3);
            assert_memory_equal(id, "x/y", 3);
        }
    }
}

typedef struct find_case {
    const char *path;
    const char *name; /* NULL: no route */
    const char *id;   /* NULL: no id */
} find_case;

static const find_case k_find[] = {
    {"/healthz", "healthz", NULL},
    {"/readyz", "readyz", NULL},
    {"/metrics", "metrics", NULL},
    {"/api/search", "search", NULL},
    {"/api/suggest", "suggest", NULL},
    {"/api/known-issues", "known-issues", NULL},
    {"/api/incidents/inc-1", "incident", "inc-1"},
    {"/api/articles/support/windows/fix-x", "article",
     "support/windows/fix-x"},
    {"/api/articles/support/windows/fix-x/related", "related",
     "support/windows/fix-x"},
    {"/api/articles/related", "article", "related"},
    {"/api/articles//related", "article", "/related"},
    {"/api/articles/x/related/more", "article", "x/related/more"},
    {"/api/feedback", "feedback", NULL},
    {"/api/feedback/stats", "feedback-stats", NULL},
    {"/", "page-home", NULL},
    {"/search", "page-search", NULL},
    {"/a/reset-password", "page-article", "reset-password"},
    {"/a/", "page-article", ""},
    {"/assets/theme.css", "theme", NULL},
    {"/assets/style.css", "asset", "style.css"},
    {"/assets/", "asset", ""},
    {"/api/categories", "categories", NULL},
    {"/c/billing", "page-category", "billing"},
    {"/c/billing/refunds", "page-category", "billing/refunds"},
    /* Every other path is an old URL of an article, or a 404 (alias). */
    {"/api/articles/", "alias", "api/articles/"},
    {"/api/incidents/", "alias", "api/incidents/"},
    {"/api/searchx", "alias", "api/searchx"},
    {"/healthz/", "alias", "healthz/"},
    {"/a", "alias", "a"},
    {"/nope", "alias", "nope"},
    {"", NULL, NULL},
};

static void test_routes_find_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof k_find / sizeof k_find[0]; i++) {
        const find_case *c = &k_find[i];
        const char *id;
        size_t id_len;
        const route *rt = route_find(c->path, &id, &id_len);
        if (!c->name) {
            assert_null(rt);
            continue;
        }
        assert_non_null(rt);
        assert_string_equal(rt->name, c->name);
        if (!c->id) {
            assert_null(id);
        } else {
            assert_int_equal(id_len, strlen(c->id));
            assert_memory_equal(id, c->id, id_len);
        }
    }
}

/* Dispatch method + path for a caller; the reply is left in rep. */
static void dispatch(const char *method, const char *path, bool has_token,
                     hdx_audience level, reply *rep)
{
    request r;
    request_init(&r, method, path, http_now_ms());
    r.has_token = has_token;
    r.level = level;
    memset(rep, 0, sizeof *rep);
    route_request(&r, rep);
    request_clear(&r);
}

static void assert_error(const reply *rep, int status, const char *code)
{
    assert_int_equal(rep->status, status);
    json_error_t e;
    json_t *j = json_loads(rep->body, 0, &e);
    assert_non_null(j);
    json_t *err = json_object_get(j, "error");
    assert_string_equal(json_string_value(json_object_get(err, "code")),
                        code);
    assert_non_null(json_string_value(json_object_get(err, "message")));
    json_decref(j);
}

static void test_routes_unknown_path_404(void **state)
{
    (void)state;
    reply rep;
    dispatch("GET", "/nope", false, HDX_AUD_PUBLIC, &rep);
    assert_error(&rep, 404, "not_found");
    assert_non_null(strstr(rep.body, "no such endpoint: /nope"));
    reply_clear(&rep);
    dispatch("GET", "/api/articles/", false, HDX_AUD_PUBLIC, &rep);
    assert_error(&rep, 404, "not_found");
    reply_clear(&rep);
}

typedef struct method_case {
    const char *method, *path, *allow;
} method_case;

static const method_case k_405[] = {
    {"DELETE", "/api/search", "GET, HEAD"},
    {"POST", "/healthz", "GET, HEAD"},
    {"PUT", "/api/known-issues", "GET, HEAD, POST"},
    {"GET", "/api/feedback", "POST"},
    {"POST", "/api/feedback/stats", "GET, HEAD"},
    {"POST", "/api/articles/a/b/related", "GET, HEAD"},
    {"POST", "/", "GET, HEAD"},
    {"OPTIONS", "/assets/style.css", "GET, HEAD"},
    /* The method is checked before the level. */
    {"DELETE", "/api/incidents/x", "GET, HEAD"},
};

static void test_routes_wrong_method_405_with_allow(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof k_405 / sizeof k_405[0]; i++) {
        reply rep;
        dispatch(k_405[i].method, k_405[i].path, false, HDX_AUD_PUBLIC, &rep);
        assert_error(&rep, 405, "method_not_allowed");
        assert_string_equal(reply_header_get(&rep, "Allow"), k_405[i].allow);
        reply_clear(&rep);
    }
}

static void test_routes_allow_of_every_entry(void **state)
{
    (void)state;
    size_t n;
    const route *t = route_table(&n);
    for (size_t i = 0; i < n; i++) {
        const char *a = route_allow(&t[i]);
        assert_true(!strcmp(a, "GET, HEAD") || !strcmp(a, "POST") ||
                    !strcmp(a, "GET, HEAD, POST"));
    }
}

static void test_routes_level_needs_token(void **state)
{
    (void)state;
    static const char *const agent_paths[] = {
        "/api/known-issues", "/api/incidents/x", "/api/feedback/stats"};
    for (size_t i = 0; i < 3; i++) {
        reply rep;
        dispatch("GET", agent_paths[i], false, HDX_AUD_PUBLIC, &rep);
        assert_error(&rep, 401, "unauthorized");
        assert_string_equal(reply_header_get(&rep, "WWW-Authenticate"),
                            "Bearer realm=\"helpdex\"");
        reply_clear(&rep);
        /* A valid token of too low a level. */
        dispatch("GET", agent_paths[i], true, HDX_AUD_PUBLIC, &rep);
        assert_error(&rep, 403, "forbidden");
        assert_non_null(strstr(rep.body, "'agent'"));
        reply_clear(&rep);
    }
}

/* /metrics is for internal tokens only: 401 without one, 403 for an
 * agent's; an internal token gets the exposition. */
static void test_routes_metrics_needs_internal(void **state)
{
    (void)state;
    reply rep;
    dispatch("GET", "/metrics", false, HDX_AUD_PUBLIC, &rep);
    assert_error(&rep, 401, "unauthorized");
    reply_clear(&rep);
    dispatch("GET", "/metrics", true, HDX_AUD_AGENT, &rep);
    assert_error(&rep, 403, "forbidden");
    reply_clear(&rep);
    dispatch("GET", "/metrics", true, HDX_AUD_INTERNAL, &rep);
    assert_int_equal(rep.status, 200);
    assert_non_null(strstr(rep.body, "helpdex_index_up 0\n"));
    reply_clear(&rep);
}

static void test_routes_unknown_token_401_everywhere(void **state)
{
    (void)state;
    static const char *const paths[] = {"/healthz", "/nope", "/a/x"};
    for (size_t i = 0; i < 3; i++) {
        request r;
        request_init(&r, "GET", paths[i], http_now_ms());
        r.bad_token = true;
        reply rep;
        memset(&rep, 0, sizeof rep);
        route_request(&r, &rep);
        assert_error(&rep, 401, "unauthorized");
        assert_string_equal(
            reply_header_get(&rep, "WWW-Authenticate"),
            "Bearer realm=\"helpdex\", error=\"invalid_token\"");
        reply_clear(&rep);
        request_clear(&r);
    }
}

static void test_routes_handler_gets_id_and_no_index(void **state)
{
    (void)state;
    /* Without an index handle the handlers answer from the status table
     * (readyz: 503 unavailable) rather than crash; healthz, liveness,
     * still answers 200. */
    reply rep;
    dispatch("GET", "/readyz", false, HDX_AUD_PUBLIC, &rep);
    assert_error(&rep, 503, "unavailable");
    reply_clear(&rep);
    dispatch("GET", "/healthz", false, HDX_AUD_PUBLIC, &rep);
    assert_int_equal(rep.status, 200);
    assert_non_null(strstr(rep.body, "\"status\":\"ok\""));
    reply_clear(&rep);
    request r;
    request_init(&r, "GET", "/api/articles/a/b/related", http_now_ms());
    memset(&rep, 0, sizeof rep);
    route_request(&r, &rep);
    assert_string_equal(r.id, "a/b");
    assert_int_equal(rep.status, 500);
    reply_clear(&rep);
    request_clear(&r);
}

/* A request that did not arrive whole is refused before anything else,
 * even a bad token or an unknown path (issue 13, defects 6 and 7). */
static void test_routes_request_not_whole(void **state)
{
    (void)state;
    static const struct {
        http_precheck pre;
        const char *nul_arg;
        int status;
        const char *code, *says;
    } cases[] = {
        {{true, false, false}, NULL, 414, "uri_too_long", "longer than"},
        {{false, true, false}, NULL, 414, "too_many_parameters", "more than"},
        {{false, false, true}, NULL, 400, "bad_parameter", "path"},
        {{false, false, false}, "q", 400, "bad_parameter", "'q'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        request r;
        request_init(&r, "GET", "/nope", http_now_ms());
        r.pre = cases[i].pre;
        r.nul_arg = cases[i].nul_arg;
        r.bad_token = true;
        reply rep;
        memset(&rep, 0, sizeof rep);
        route_request(&r, &rep);
        assert_error(&rep, cases[i].status, cases[i].code);
        assert_non_null(strstr(rep.body, cases[i].says));
        reply_clear(&rep);
        request_clear(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes_every_entry_matches_itself),
        cmocka_unit_test(test_routes_find_table),
        cmocka_unit_test(test_routes_unknown_path_404),
        cmocka_unit_test(test_routes_wrong_method_405_with_allow),
        cmocka_unit_test(test_routes_allow_of_every_entry),
        cmocka_unit_test(test_routes_level_needs_token),
        cmocka_unit_test(test_routes_metrics_needs_internal),
        cmocka_unit_test(test_routes_unknown_token_401_everywhere),
        cmocka_unit_test(test_routes_handler_gets_id_and_no_index),
        cmocka_unit_test(test_routes_request_not_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
