/*
 * test_svg_chart.c - the dashboard's SVG (server/svg_chart.h): undefined
 * points break a line, axes for rates and counts, labels escaped, no
 * style attribute, a funnel whose first step is 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "svg_chart.h"

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, what)); p++)
        n++;
    return n;
}

static void test_svg_line_breaks_at_nan(void **state)
{
    (void)state;
    const char *x[] = {"d1", "d2", "d3", "d4", "d5"};
    double v[] = {0.1, 0.5, NAN, 0.2, 1.0};
    chart_line l = {"Rate <b>", v};
    hdx_buf b;
    hdx_buf_init(&b);
    svg_line_chart(&b, "T & \"q\"", x, 5, &l, 1, true);
    assert_int_equal(count(b.data, "<polyline"), 2);
    assert_int_equal(count(b.data, "<circle"), 4);
    assert_non_null(strstr(b.data, "<title>T &amp; &quot;q&quot;</title>"));
    assert_non_null(strstr(b.data, "<title>d2, Rate &lt;b&gt;: 50.0%</title>"));
    assert_non_null(strstr(b.data, ">100.0%</text>"));
    assert_null(strstr(b.data, "<b>"));
    assert_null(strstr(b.data, "style="));
    hdx_buf_clear(&b);
}

static void test_svg_counts_round_up(void **state)
{
    (void)state;
    const char *x[] = {"a"};
    double v[] = {137};
    chart_line l = {"n", v};
    hdx_buf b;
    hdx_buf_init(&b);
    svg_line_chart(&b, "counts", x, 1, &l, 1, false);
    assert_non_null(strstr(b.data, ">200</text>")); /* 137 → axis to 200 */
    assert_non_null(strstr(b.data, ">100</text>"));
    assert_int_equal(count(b.data, "<polyline"), 1);
    hdx_buf_clear(&b);
}

static void test_svg_funnel(void **state)
{
    (void)state;
    funnel_step s[] = {{"All", 200}, {"Half", 100}};
    funnel_step z[] = {{"None", 0}, {"Zero", 0}};
    hdx_buf b;
    hdx_buf_init(&b);
    svg_funnel(&b, "f", s, 2);
    assert_non_null(strstr(b.data, "200 (100.0%)"));
    assert_non_null(strstr(b.data, "100 (50.0%)"));
    hdx_buf_reset(&b);
    svg_funnel(&b, "f", z, 2);
    assert_non_null(strstr(b.data, "0 (0.0%)"));
    assert_null(strstr(b.data, "nan"));
    hdx_buf_clear(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_svg_line_breaks_at_nan),
        cmocka_unit_test(test_svg_counts_round_up),
        cmocka_unit_test(test_svg_funnel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
