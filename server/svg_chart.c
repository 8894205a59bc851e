/*
 * svg_chart.c - inline SVG line charts and funnels (see svg_chart.h).
 *
 * Fixed geometry (a viewBox, so CSS scales it): a 640 x 250 plot for
 * lines, 640 x 40 per funnel step.  Numbers are printed with one decimal;
 * the points' <title> elements are the accessible values.
 */
#include "svg_chart.h"

#include "html.h"

#include <math.h>
#include <stdio.h>

#define W 640.0
#define X0 56.0
#define X1 624.0
#define Y0 200.0 /* the plot's bottom */
#define Y1 16.0  /* its top */

static const char *const k_colours[] = {"#1d4ed8", "#dc2626", "#059669",
                                        "#d97706"};

static void begin(hdx_buf *b, const char *title, double h)
{
    hdx_buf_printf(b, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/"
                      "svg\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                      "font-family=\"sans-serif\" font-size=\"12\">"
                      "<title>", W, h);
    web_esc(b, title);
    hdx_buf_adds(b, "</title>\n");
}

/* The smallest 1, 2 or 5 times a power of ten at or above v (>= 1). */
static double round_up(double v)
{
    if (!(v > 1))
        return 1;
    double p = pow(10, floor(log10(v)));
    for (int i = 0; i < 3; i++) {
        double m = (double[]){1, 2, 5}[i] * p;
        if (m >= v)
            return m;
    }
    return 10 * p;
}

static void value_text(hdx_buf *b, double v, bool percent)
{
    if (percent)
        hdx_buf_printf(b, "%.1f%%", 100 * v);
    else if (v == floor(v))
        hdx_buf_printf(b, "%.0f", v);
    else
        hdx_buf_printf(b, "%.2f", v);
}

static void axes(hdx_buf *b, double top, bool percent)
{
    for (int i = 0; i <= 2; i++) {
        double y = Y0 - (Y0 - Y1) * i / 2.0;
        hdx_buf_printf(b, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" "
                          "y2=\"%.1f\" stroke=\"#dde2ea\"/>"
                          "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\" "
                          "fill=\"#4b5565\">", X0, y, X1, y, X0 - 6, y + 4);
        value_text(b, top * i / 2.0, percent);
        hdx_buf_adds(b, "</text>\n");
    }
}

static double px(size_t i, size_t n)
{
    return n > 1 ? X0 + (X1 - X0) * (double)i / (double)(n - 1)
                 : (X0 + X1) / 2;
}

static void x_labels(hdx_buf *b, const char *const *x, size_t n)
{
    size_t pick[3] = {0, n / 2, n - 1};
    for (size_t k = 0; k < 3 && n; k++) {
        if (k && pick[k] == pick[k - 1])
            continue;
        const char *anchor = n == 1 ? "middle"
                             : k == 0 ? "start"
                             : k == 2 ? "end"
                                      : "middle";
        hdx_buf_printf(b, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"%s\""
                          " fill=\"#4b5565\">", px(pick[k], n), Y0 + 18,
                       anchor);
        web_esc(b, x[pick[k]]);
        hdx_buf_adds(b, "</text>\n");
    }
}

/* One line: polylines between undefined points, a dot with a tooltip on
 * each defined one. */
static void line(hdx_buf *b, const chart_line *l, const char *const *x,
                 size_t n, double top, bool percent, const char *colour)
{
    bool open = false;
    for (size_t i = 0; i <= n; i++) {
        bool ok = i < n && !isnan(l->v[i]);
        if (ok && !open)
            hdx_buf_printf(b, "<polyline fill=\"none\" stroke=\"%s\" "
                              "stroke-width=\"2\" points=\"", colour);
        if (ok)
            hdx_buf_printf(b, "%.1f,%.1f ", px(i, n),
                           Y0 - (Y0 - Y1) * l->v[i] / top);
        if (!ok && open)
            hdx_buf_adds(b, "\"/>\n");
        open = ok;
    }
    for (size_t i = 0; i < n; i++) {
        if (isnan(l->v[i]))
            continue;
        hdx_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
                          "fill=\"%s\"><title>", px(i, n),
                       Y0 - (Y0 - Y1) * l->v[i] / top, colour);
        web_esc(b, x[i]);
        hdx_buf_adds(b, ", ");
        web_esc(b, l->label);
        hdx_buf_adds(b, ": ");
        value_text(b, l->v[i], percent);
        hdx_buf_adds(b, "</title></circle>\n");
    }
}

void svg_line_chart(hdx_buf *b, const char *title, const char *const *x,
                    size_t n, const chart_line *lines, size_t n_lines,
                    bool percent)
{
    double top = 1;
    for (size_t k = 0; !percent && k < n_lines; k++)
        for (size_t i = 0; i < n; i++)
            if (!isnan(lines[k].v[i]) && lines[k].v[i] > top)
                top = lines[k].v[i];
    top = percent ? 1 : round_up(top);
    begin(b, title, 250);
    axes(b, top, percent);
    x_labels(b, x, n);
    for (size_t k = 0; k < n_lines; k++) {
        const char *colour = k_colours[k % 4];
        line(b, &lines[k], x, n, top, percent, colour);
        double lx = X0 + 150.0 * (double)k;
        hdx_buf_printf(b, "<rect x=\"%.0f\" y=\"232\" width=\"12\" "
                          "height=\"12\" fill=\"%s\"/><text x=\"%.0f\" "
                          "y=\"243\" fill=\"#1b2330\">", lx, colour, lx + 16);
        web_esc(b, lines[k].label);
        hdx_buf_adds(b, "</text>\n");
    }
    hdx_buf_adds(b, "</svg>\n");
}

void svg_funnel(hdx_buf *b, const char *title, const funnel_step *steps,
                size_t n)
{
    begin(b, title, 40.0 * (double)n + 8);
    double first = n ? steps[0].value : 0;
    for (size_t i = 0; i < n; i++) {
        double share = first > 0 ? steps[i].value / first : 0;
        double y = 8 + 40.0 * (double)i;
        hdx_buf_printf(b, "<text x=\"0\" y=\"%.0f\" fill=\"#1b2330\">",
                       y + 20);
        web_esc(b, steps[i].label);
        hdx_buf_printf(b, "</text><rect x=\"200\" y=\"%.0f\" width=\"%.1f\" "
                          "height=\"28\" rx=\"4\" fill=\"%s\"/>"
                          "<text x=\"%.1f\" y=\"%.0f\" fill=\"#1b2330\">"
                          "%.0f (%.1f%%)</text>\n",
                       y, 1 + 300 * share, k_colours[i % 4], 208 + 300 * share,
                       y + 20, steps[i].value, 100 * share);
    }
    hdx_buf_adds(b, "</svg>\n");
}
