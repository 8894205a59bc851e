/*
 * svg_chart.h - charts the server draws itself, as inline SVG, for the
 * /admin dashboard: line charts of trends and funnels.  They need no
 * JavaScript and stay inside the help center's CSP (style-src 'self'):
 * colours and sizes are SVG presentation attributes, never a style
 * attribute or a <style> element.  Every label is HTML-escaped.  Pure
 * functions appending to an hdx_buf; thread-safe.
 */
#ifndef HDX_SERVER_SVG_CHART_H
#define HDX_SERVER_SVG_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "hdx/buf.h"

typedef struct chart_line {
    const char *label;      /* borrowed */
    const double *v;        /* the chart's n values; NAN: no point there */
} chart_line;

/*
 * A line chart titled `title` of lines[0..n_lines) over n points labelled
 * x[0..n) (the first, middle and last labels are printed, every point has
 * a tooltip).  `percent`: values are fractions drawn from 0 to 100%; else
 * from 0 to a round number above the largest value.
 */
void svg_line_chart(hdx_buf *b, const char *title, const char *const *x,
                    size_t n, const chart_line *lines, size_t n_lines,
                    bool percent);

typedef struct funnel_step {
    const char *label;      /* borrowed */
    double value;
} funnel_step;

/* A funnel: one bar per step, its length relative to the first step,
 * with the value and its share of the first. */
void svg_funnel(hdx_buf *b, const char *title, const funnel_step *steps,
                size_t n);

#endif
