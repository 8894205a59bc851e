/*
 * platform_inline.c - the platform pass inside one line (see platform.h):
 * Hugo shortcodes, Liquid tags and objects, DocFX's inline directives
 * (":::image:::", ":::no-loc:::", "[!VIDEO]", "[!div]"), code spans left
 * alone.  Each construct is rewritten to Markdown or removed and noted.
 */
#include "platform.h"

#include "hdx/alloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Report "<before><a[0..an)><after>" (the construct, cut at 60 bytes). */
void hdxi_pf_note(hdxi_pass *p, const char *rule, const char *before,
                  const char *a, size_t an, const char *after)
{
    if (!p->note)
        return;
    char msg[240];
    size_t cut = an < 60 ? an : 60;
    while (cut < an && cut && ((unsigned char)a[cut] & 0xC0) == 0x80)
        cut--; /* not inside a UTF-8 sequence */
    snprintf(msg, sizeof msg, "%s%.*s%s", before, (int)cut, a, after);
    p->note(p->ctx, p->line, rule, msg);
}

const char *hdxi_pf_find(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (!memcmp(s + i, needle, k))
            return s + i;
    return NULL;
}

/* Is {{ in[0..n) }} a Liquid output (Jekyll's objects, or a filter)?
 * Other double braces ("{{deviceID}}") are placeholders in the text. */
static bool liquid_like(const char *in, size_t n)
{
    static const char *const objects[] = {"page.", "site.", "include.",
                                          "layout.", "jekyll.", "paginator.",
                                          "content"};
    while (n && isspace((unsigned char)*in))
        in++, n--;
    for (size_t i = 0; i < sizeof objects / sizeof objects[0]; i++)
        if (n >= strlen(objects[i]) &&
            !strncmp(in, objects[i], strlen(objects[i])))
            return true;
    return memchr(in, '|', n) != NULL;
}

/* The value of attribute name="..." (or name='...') in s[0..n), or n=0. */
const char *hdxi_pf_attr(const char *s, size_t n, const char *name,
                        size_t *len)
{
    size_t k = strlen(name);
    *len = 0;
    for (size_t i = 0; i + k + 2 <= n; i++) {
        if (strncasecmp(s + i, name, k) != 0 || s[i + k] != '=' ||
            (i && isalnum((unsigned char)s[i - 1])))
            continue;
        char qc = s[i + k + 1];
        if (qc != '"' && qc != '\'')
            continue;
        const char *v = s + i + k + 2;
        const char *e = memchr(v, qc, (size_t)(s + n - v));
        if (!e)
            return NULL;
        *len = (size_t)(e - v);
        return v;
    }
    return NULL;
}

/* The first argument of a tag: a quoted string or a bare word. */
const char *hdxi_pf_first_arg(const char *s, size_t n, size_t *len)
{
    size_t i = 0;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    if (i < n && (s[i] == '"' || s[i] == '\'')) {
        const char *e = memchr(s + i + 1, s[i], n - i - 1);
        *len = e ? (size_t)(e - s - i - 1) : 0;
        return s + i + 1;
    }
    size_t j = i;
    while (j < n && !isspace((unsigned char)s[j]) && !strchr("=\"'", s[j]))
        j++;
    *len = j < n && s[j] == '=' ? 0 : j - i;
    return s + i;
}

/* Markdown image "![alt](<src>)" with the alt text's brackets escaped. */
void hdxi_pf_image(hdxi_pass *p, const char *alt, size_t an, const char *src,
                      size_t sn)
{
    hdx_buf_adds(&p->out, "![");
    for (size_t i = 0; i < an; i++) {
        if (strchr("[]\\", alt[i]))
            hdx_buf_addc(&p->out, '\\');
        hdx_buf_addc(&p->out, alt[i]);
    }
    hdx_buf_adds(&p->out, "](<");
    for (size_t i = 0; i < sn; i++)
        if (src[i] != '<' && src[i] != '>')
            hdx_buf_addc(&p->out, src[i]);
    hdx_buf_adds(&p->out, ">)");
}

size_t hdxi_pf_word(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && (isalnum((unsigned char)s[k]) || s[k] == '-' ||
                     s[k] == '_' || s[k] == '.'))
        k++;
    return k;
}

static void shortcode(hdxi_pass *p, const char *in, size_t n, char d)
{
    while (n && isspace((unsigned char)*in))
        in++, n--;
    if (n && *in == '/')
        return; /* a closing tag: its opening one was reported */
    size_t w = hdxi_pf_word(in, n);
    const char *args = in + w;
    size_t an = n - w, len;
    if ((w == 6 && !strncmp(in, "relref", 6)) ||
        (w == 3 && !strncmp(in, "ref", 3))) {
        const char *v = hdxi_pf_first_arg(args, an, &len);
        hdx_buf_add(&p->out, v, len);
        return;
    }
    if ((w == 6 && !strncmp(in, "figure", 6)) ||
        (w == 3 && !strncmp(in, "img", 3))) {
        size_t sl, al;
        const char *src = hdxi_pf_attr(args, an, "src", &sl);
        const char *alt = hdxi_pf_attr(args, an, "alt", &al);
        if (!alt)
            alt = hdxi_pf_attr(args, an, "caption", &al);
        if (src && sl) {
            hdxi_pf_image(p, alt ? alt : "", alt ? al : 0, src, sl);
            return;
        }
    }
    hdxi_pf_note(p, "hugo-shortcode",
          d == '<' ? "Hugo shortcode '{{< " : "Hugo shortcode '{{% ", in, w,
          d == '<' ? " >}}' is not rendered: it is left out of the page"
                   : " %}}' is not rendered: it is left out of the page");
}

/* Liquid {% inner %} inside a line. */
static void liquid_tag(hdxi_pass *p, const char *in, size_t n)
{
    while (n && (isspace((unsigned char)*in) || *in == '-'))
        in++, n--;
    size_t w = hdxi_pf_word(in, n), len;
    if ((w == 4 && !strncmp(in, "link", 4)) ||
        (w == 8 && !strncmp(in, "post_url", 8))) {
        /* a path from the site's root: from the corpus root here */
        const char *v = hdxi_pf_first_arg(in + w, n - w, &len);
        if (len && *v != '/')
            hdx_buf_addc(&p->out, '/');
        hdx_buf_add(&p->out, v, len);
        return;
    }
    if ((w == 3 && !strncmp(in, "raw", 3)) || (w >= 3 && !strncmp(in, "end", 3)) ||
        (w == 4 && !strncmp(in, "else", 4)) ||
        (w == 5 && !strncmp(in, "elsif", 5)))
        return; /* raw is shown as is; an end tag's opener was reported */
    hdxi_pf_note(p, "liquid", "Liquid tag '{% ", in, w,
          " %}' is not rendered: it is left out of the page");
}

/* Liquid {{ inner }} inside a line. */
static void liquid_var(hdxi_pass *p, const char *in, size_t n)
{
    while (n && isspace((unsigned char)*in))
        in++, n--;
    while (n && isspace((unsigned char)in[n - 1]))
        n--;
    if ((n == 12 && !strncmp(in, "site.baseurl", 12)) ||
        (n == 8 && !strncmp(in, "site.url", 8)))
        return; /* a URL prefix: the link works without it */
    size_t len;
    const char *v = hdxi_pf_first_arg(in, n, &len);
    if (len && (in[0] == '"' || in[0] == '\'') &&
        (hdxi_pf_find(in, n, "relative_url") || hdxi_pf_find(in, n, "absolute_url"))) {
        hdx_buf_add(&p->out, v, len);
        return;
    }
    hdxi_pf_note(p, "liquid", "Liquid variable '{{ ", in, n,
          " }}' is not rendered: it is left out of the page");
}

/* DocFX inside a line at c[*i]: ":::no-loc text=...:::" (its text),
 * ":::image ...:::" (an image), "[!VIDEO url]" (a link to the video),
 * "[!div ...]" (layout: dropped).  True with *i past it when rewritten. */
static bool docfx_inline(hdxi_pass *p, const char *c, size_t n, size_t *i)
{
    const char *s = c + *i;
    size_t left = n - *i, len, al;
    bool colon = left > 9 && (!strncmp(s, ":::no-loc ", 10) ||
                              !strncmp(s, ":::image ", 9));
    const char *e = colon ? hdxi_pf_find(s + 9, left - 9, ":::")
                          : memchr(s, ']', left);
    if (!e)
        return false;
    size_t in_n = (size_t)(e - s);
    if (colon && s[3] == 'n') {
        const char *txt = hdxi_pf_attr(s, in_n, "text", &len);
        if (!txt)
            return false;
        hdx_buf_add(&p->out, txt, len); /* text not to translate */
    } else if (colon) {
        const char *src = hdxi_pf_attr(s, in_n, "source", &len);
        const char *alt = hdxi_pf_attr(s, in_n, "alt-text", &al);
        if (!src || !len)
            return false;
        hdxi_pf_image(p, alt ? alt : "", alt ? al : 0, src, len);
    } else if (left > 8 && !strncasecmp(s, "[!VIDEO ", 8)) {
        const char *u = s + 8;
        while (*u == ' ')
            u++;
        hdx_buf_adds(&p->out, "[Video](<");
        hdx_buf_add(&p->out, u, (size_t)(e - u));
        hdx_buf_adds(&p->out, ">)");
    } else if (!(left > 6 && !strncmp(s, "[!div ", 6))) {
        return false;
    }
    *i += in_n + (colon ? 3 : 1);
    return true;
}

/* Template tags inside one line; code spans are copied untouched. */
void hdxi_pf_inline(hdxi_pass *p, const char *c, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (c[i] == '`') {
            size_t k = 0;
            while (i + k < n && c[i + k] == '`')
                k++;
            size_t j = i + k, end = n;
            while (j < n) { /* the next run of exactly k backticks */
                size_t r = 0;
                while (j + r < n && c[j + r] == '`')
                    r++;
                if (r == k) {
                    end = j + r;
                    break;
                }
                j += r ? r : 1;
            }
            hdx_buf_add(&p->out, c + i, (end == n ? i + k : end) - i);
            i = end == n ? i + k : end;
            continue;
        }
        if ((c[i] == ':' || c[i] == '[') && docfx_inline(p, c, n, &i))
            continue;
        if (c[i] != '{' || i + 1 >= n || (c[i + 1] != '{' && c[i + 1] != '%')) {
            hdx_buf_addc(&p->out, c[i++]);
            continue;
        }
        char d = i + 2 < n ? c[i + 2] : 0;
        bool hugo = c[i + 1] == '{' && (d == '<' || d == '%');
        const char *close = hugo ? (d == '<' ? ">}}" : "%}}")
                                 : (c[i + 1] == '%' ? "%}" : "}}");
        size_t open = hugo ? 3 : 2;
        const char *e = hdxi_pf_find(c + i + open, n - i - open, close);
        if (!e) {
            hdx_buf_addc(&p->out, c[i++]);
            continue;
        }
        const char *in = c + i + open;
        size_t in_n = (size_t)(e - in);
        if (hugo)
            shortcode(p, in, in_n, d);
        else if (c[i + 1] == '%')
            liquid_tag(p, in, in_n);
        else if (liquid_like(in, in_n))
            liquid_var(p, in, in_n);
        else { /* "{{deviceID}}": a placeholder in the text, kept */
            hdx_buf_add(&p->out, c + i, (size_t)(e - c) + 2 - i);
        }
        i = (size_t)(e - c) + strlen(close);
    }
}

