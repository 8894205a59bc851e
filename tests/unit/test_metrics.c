/*
 * test_metrics.c - request counters and the exposition
 * (server/metrics.c): histogram bucketing at and around the bounds, and
 * observed requests showing up as counters and cumulative buckets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "metrics.h"

static void test_metrics_bucket(void **state)
{
    (void)state;
    static const double bounds[] = METRICS_BOUNDS;
    assert_int_equal(sizeof bounds / sizeof bounds[0], METRICS_N_BOUNDS);
    assert_int_equal(metrics_bucket(0), 0);
    assert_int_equal(metrics_bucket(0.0005), 0);
    assert_int_equal(metrics_bucket(0.001), 0);      /* le is inclusive */
    assert_int_equal(metrics_bucket(0.0011), 1);
    assert_int_equal(metrics_bucket(0.3), 8);        /* le="0.5" */
    assert_int_equal(metrics_bucket(10.0), METRICS_N_BOUNDS - 1);
    assert_int_equal(metrics_bucket(10.5), METRICS_N_BOUNDS);  /* +Inf */
    assert_int_equal(metrics_bucket(1e9), METRICS_N_BOUNDS);
    for (size_t i = 1; i < METRICS_N_BOUNDS; i++)
        assert_true(bounds[i - 1] < bounds[i]);
}

static char *render(void)
{
    metrics_index idx = {true, 7, 52, 1000.0};
    hdx_buf b;
    hdx_buf_init(&b);
    metrics_render(&b, &idx, 1010.5);
    char *s = hdx_buf_detach(&b);
    hdx_buf_clear(&b);
    return s;
}

static void test_metrics_observe_and_render(void **state)
{
    (void)state;
    size_t n;
    const route *t = route_table(&n);
    const route *rt = NULL;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(t[i].name, "search"))
            rt = &t[i];
    assert_non_null(rt);
    metrics_observe(rt, 200, 0.5);    /* 0.0005 s */
    metrics_observe(rt, 200, 30.0);   /* 0.03 s: le="0.05" */
    metrics_observe(rt, 503, 20000);  /* +Inf */
    metrics_observe(NULL, 404, 1.0);
    metrics_observe(rt, 1000, 1.0);   /* out of range: code 0 */
    char *s = render();
    assert_non_null(strstr(s, "# TYPE helpdex_http_requests_total counter\n"));
    assert_non_null(strstr(s, "helpdex_http_requests_total{route=\"search\","
                              "code=\"200\"} 2\n"));
    assert_non_null(strstr(s, "helpdex_http_requests_total{route=\"search\","
                              "code=\"503\"} 1\n"));
    assert_non_null(strstr(s, "helpdex_http_requests_total{route=\"search\","
                              "code=\"0\"} 1\n"));
    assert_non_null(strstr(s, "helpdex_http_requests_total{route=\"none\","
                              "code=\"404\"} 1\n"));
    static const char m[] = "helpdex_http_request_duration_seconds";
    char want[256];
    snprintf(want, sizeof want, "%s_bucket{route=\"search\",le=\"0.001\"} 2\n"
             "%s_bucket{route=\"search\",le=\"0.0025\"} 2\n", m, m);
    assert_non_null(strstr(s, want));
    snprintf(want, sizeof want, "%s_bucket{route=\"search\",le=\"0.05\"} 3\n",
             m);
    assert_non_null(strstr(s, want));
    snprintf(want, sizeof want, "%s_bucket{route=\"search\",le=\"10\"} 3\n"
             "%s_bucket{route=\"search\",le=\"+Inf\"} 4\n", m, m);
    assert_non_null(strstr(s, want));
    snprintf(want, sizeof want, "%s_count{route=\"search\"} 4\n", m);
    assert_non_null(strstr(s, want));
    assert_non_null(strstr(s, "helpdex_index_revision 7\n"));
    assert_non_null(strstr(s, "helpdex_index_documents 52\n"));
    assert_non_null(strstr(s, "helpdex_index_seconds_since_commit 10.500\n"));
    assert_non_null(strstr(s, "helpdex_build_info{version=\""));
    /* Routes never requested have no series. */
    assert_null(strstr(s, "route=\"suggest\""));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metrics_bucket),
        cmocka_unit_test(test_metrics_observe_and_render),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
