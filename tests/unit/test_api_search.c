/*
 * test_api_search.c - the search, article, related and healthz handlers
 * (server/api_search.c) against a real index: a three-article corpus in
 * a mkdtemp folder, indexed by the real build/helpdex-index.  Requests
 * go through the route table exactly as the server's do, without a
 * server: linked articles the caller may not see are left out, ids with
 * '/' and the /related suffix reach their handlers, took_ms is present.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "routes.h"

static char g_indexer[4096];

typedef struct fixture {
    char dir[64];
    hdx_db *db;
} fixture;

static void write_article(const char *dir, const char *name,
                          const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/corpus/articles/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/hdx-test-api-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    char path[256];
    snprintf(path, sizeof path, "%s/corpus", f->dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/corpus/articles", f->dir);
    mkdir(path, 0700);
    write_article(f->dir, "reset-password.md",
                  "---\nid: help/reset-password\ntitle: Reset your password\n"
                  "summary: How to reset it.\ntype: article\n"
                  "audience: public\nstatus: published\nupdated: 2026-01-02\n"
                  "tags: [account]\nproduct: web\n"
                  "kb: [sign-in, agent-notes, missing]\n---\n\n"
                  "# Reset your password\n\nOpen the sign-in page and choose "
                  "Forgot password. A reset link arrives by email.\n");
    write_article(f->dir, "sign-in.md",
                  "---\nid: sign-in\ntitle: Sign in to Skylark\ntype: article\n"
                  "audience: public\nstatus: published\ntags: [account]\n---\n"
                  "\n# Sign in to Skylark\n\nUse your email and password to "
                  "sign in. Forgot your password? Reset it by email.\n");
    write_article(f->dir, "agent-notes.md",
                  "---\nid: agent-notes\ntitle: Agent password notes\n"
                  "type: article\naudience: agent\nstatus: published\n---\n\n"
                  "# Agent password notes\n\nVerify the caller before any "
                  "password reset.\n");
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s --corpus %s/corpus --db %s/db --quiet",
             g_indexer, f->dir, f->dir);
    if (system(cmd) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/db", f->dir);
    if (hdx_db_open(path, &f->db, NULL) != HDX_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    hdx_db_close(f->db);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

/* GET path?args for a caller; returns the parsed JSON body (caller frees)
 * and the status in *status. */
static json_t *get(fixture *f, const char *path, const char *const *kv,
                   size_t n, hdx_audience level, int *status)
{
    request r;
    request_init(&r, "GET", path, http_now_ms());
    for (size_t i = 0; i + 1 < n; i += 2)
        request_add_arg(&r, kv[i], kv[i + 1]);
    r.level = level;
    r.has_token = level > HDX_AUD_PUBLIC;
    r.db = f->db;
    reply rep = {0};
    route_request(&r, &rep);
    *status = rep.status;
    json_error_t e;
    json_t *j = json_loadb(rep.body, rep.len, 0, &e);
    reply_clear(&rep);
    request_clear(&r);
    return j;
}

static void test_api_search_finds_and_times(void **state)
{
    int status;
    const char *kv[] = {"q", "reset password", "facets", "1"};
    json_t *j = get(*state, "/api/search", kv, 4, HDX_AUD_PUBLIC, &status);
    assert_int_equal(status, 200);
    assert_string_equal(json_string_value(json_object_get(j, "query")),
                        "reset password");
    assert_true(json_is_real(json_object_get(j, "took_ms")));
    json_t *hits = json_object_get(j, "hits");
    assert_true(json_array_size(hits) >= 1);
    json_t *first = json_array_get(hits, 0);
    assert_string_equal(json_string_value(json_object_get(first, "id")),
                        "help/reset-password");
    assert_non_null(strstr(
        json_string_value(json_object_get(first, "snippet")), "<mark>"));
    /* The agent-only article never reaches a public caller. */
    for (size_t i = 0; i < json_array_size(hits); i++)
        assert_string_not_equal(
            json_string_value(json_object_get(json_array_get(hits, i), "id")),
            "agent-notes");
    assert_true(json_is_object(json_object_get(j, "facets")));
    json_decref(j);
}

static void test_api_search_rejects_bad_arguments(void **state)
{
    int status;
    const char *kv[] = {"q", "x", "per_page", "0"};
    json_t *j = get(*state, "/api/search", kv, 4, HDX_AUD_PUBLIC, &status);
    assert_int_equal(status, 400);
    json_decref(j);
    const char *none[] = {"page", "2"};
    j = get(*state, "/api/search", none, 2, HDX_AUD_PUBLIC, &status);
    assert_int_equal(status, 400);
    json_decref(j);
}

/* The ids of an article's kb links as a caller sees them. */
static void kb_ids(json_t *article, char *out, size_t n)
{
    out[0] = '\0';
    json_t *kb = json_object_get(article, "kb");
    for (size_t i = 0; i < json_array_size(kb); i++) {
        strncat(out, json_string_value(json_object_get(
                         json_array_get(kb, i), "id")),
                n - strlen(out) - 2);
        strcat(out, " ");
    }
}

static void test_api_article_links_at_the_callers_level(void **state)
{
    int status;
    char ids[256];
    json_t *j = get(*state, "/api/articles/help/reset-password", NULL, 0,
                    HDX_AUD_PUBLIC, &status);
    assert_int_equal(status, 200);
    assert_string_equal(json_string_value(json_object_get(j, "url")),
                        "/a/help/reset-password");
    kb_ids(j, ids, sizeof ids);
    assert_string_equal(ids, "sign-in ");
    json_decref(j);
    j = get(*state, "/api/articles/help/reset-password", NULL, 0,
            HDX_AUD_AGENT, &status);
    kb_ids(j, ids, sizeof ids);
    assert_string_equal(ids, "sign-in agent-notes ");
    json_decref(j);
    j = get(*state, "/api/articles/agent-notes", NULL, 0, HDX_AUD_PUBLIC,
            &status);
    assert_int_equal(status, 404);
    json_decref(j);
}

static void test_api_related_and_healthz(void **state)
{
    int status;
    json_t *j = get(*state, "/api/articles/help/reset-password/related",
                    NULL, 0, HDX_AUD_PUBLIC, &status);
    assert_int_equal(status, 200);
    assert_string_equal(json_string_value(json_object_get(j, "id")),
                        "help/reset-password");
    assert_true(json_is_array(json_object_get(j, "related")));
    json_decref(j);
    j = get(*state, "/healthz", NULL, 0, HDX_AUD_PUBLIC, &status);
    assert_int_equal(status, 200);
    assert_int_equal(json_integer_value(json_object_get(j, "documents")), 2);
    json_decref(j);
    j = get(*state, "/healthz", NULL, 0, HDX_AUD_AGENT, &status);
    assert_int_equal(json_integer_value(json_object_get(j, "documents")), 3);
    json_decref(j);
    /* Readiness: the revision, never a document count (and no commit time
     * here, where no index pool runs). */
    j = get(*state, "/readyz", NULL, 0, HDX_AUD_INTERNAL, &status);
    assert_int_equal(status, 200);
    assert_string_equal(json_string_value(json_object_get(j, "status")),
                        "ready");
    assert_true(json_integer_value(json_object_get(j, "revision")) >= 1);
    assert_null(json_object_get(j, "documents"));
    assert_null(json_object_get(j, "committed"));
    json_decref(j);
}

int main(int argc, char **argv)
{
    (void)argc;
    /* build/tests/test_api_search → build/helpdex-index */
    char self[4096];
    snprintf(self, sizeof self, "%s", argv[0]);
    snprintf(g_indexer, sizeof g_indexer, "%s/../helpdex-index",
             dirname(self));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_search_finds_and_times),
        cmocka_unit_test(test_api_search_rejects_bad_arguments),
        cmocka_unit_test(test_api_article_links_at_the_callers_level),
        cmocka_unit_test(test_api_related_and_healthz),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
