/*
 * platform.c - the line-level pass over other platforms' syntax that runs
 * before cmark-gfm (hdx_markup_prepare(), see hdx/markup.h and
 * docs/article-format.md).  It is not a Markdown parser: it only knows
 * fenced code lines (left alone), the fence lines of admonitions and the
 * delimiters of template tags, and it writes one output line per input
 * line.  Callouts become DocFX alerts ("> [!TIP] Title" plus "> "-prefixed
 * content), which the renderer turns into callouts and the index reads as
 * text; whatever cannot be rendered is removed and reported.
 */
#include "platform.h"

#include "hdx/markup.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Words that open a callout (Docusaurus, MkDocs, DocFX, Hugo themes). */
static bool callout_word(const char *w, size_t n)
{
    static const char *const words[] = {
        "note", "tip", "info", "important", "warning", "caution", "danger",
        "success", "question", "example", "abstract", "summary", "tldr",
        "todo", "hint", "check", "done", "help", "faq", "attention",
        "failure", "fail", "missing", "error", "bug", "quote", "cite",
        "secondary"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && !strncasecmp(w, words[i], n))
            return true;
    return false;
}


static void emit_prefix(hdxi_pass *p, int q)
{
    for (int i = 0; i < q; i++)
        hdx_buf_adds(&p->out, "> ");
}






/* "> [!TYPE] Title": opens a callout one quote level deeper. */
static void open_callout(hdxi_pass *p, int q, const char *type, size_t tn,
                         const char *title, size_t ttl)
{
    emit_prefix(p, q);
    hdx_buf_adds(&p->out, "> [!");
    for (size_t i = 0; i < tn; i++)
        hdx_buf_addc(&p->out, (char)toupper((unsigned char)type[i]));
    hdx_buf_adds(&p->out, "]");
    if (ttl) {
        hdx_buf_addc(&p->out, ' ');
        hdx_buf_add(&p->out, title, ttl);
    }
}


/* Hugo shortcode {{< inner >}} / {{% inner %}} inside a line. */





static void trim(const char **s, size_t *n)
{
    while (*n && isspace((unsigned char)**s))
        (*s)++, (*n)--;
    while (*n && isspace((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

/* A ":::" line (Docusaurus admonitions, DocFX directives), trimmed. */
static void colon_line(hdxi_pass *p, int q, const char *t, size_t n)
{
    size_t i = 0;
    while (i < n && t[i] == ':')
        i++;
    while (i < n && t[i] == ' ')
        i++;
    size_t w = hdxi_pf_word(t + i, n - i);
    const char *word = t + i, *rest = t + i + w;
    size_t rn = n - i - w, len, al;
    if (w == 0) { /* ":::" closes the innermost admonition */
        if (p->depth > 0)
            p->depth--;
        emit_prefix(p, p->depth);
        return;
    }
    if (callout_word(word, w)) {
        trim(&rest, &rn);
        if (rn >= 2 && rest[0] == '[' && rest[rn - 1] == ']')
            rest++, rn -= 2; /* Docusaurus 3: ":::tip[Title]" */
        open_callout(p, q, word, w, rest, rn);
        p->depth++;
        return;
    }
    emit_prefix(p, q);
    if (w == 5 && !strncasecmp(word, "image", 5)) {
        size_t tl;
        const char *src = hdxi_pf_attr(rest, rn, "source", &len);
        const char *alt = hdxi_pf_attr(rest, rn, "alt-text", &al);
        const char *type = hdxi_pf_attr(rest, rn, "type", &tl);
        if (src && len)
            hdxi_pf_image(p, alt ? alt : "", alt ? al : 0, src, len);
        /* type="complex": a long description follows, to :::image-end::: */
        p->skip = type && tl == 7 && !strncmp(type, "complex", 7);
        return;
    }
    static const char *const layout[] = {"zone", "zone-end", "row",
                                         "row-end", "column", "column-end",
                                         "moniker", "moniker-end",
                                         "image-end"};
    for (size_t k = 0; k < sizeof layout / sizeof layout[0]; k++)
        if (strlen(layout[k]) == w && !strncasecmp(word, layout[k], w))
            return; /* layout only: the content around it is kept */
    hdxi_pf_note(p, "docfx-directive", "directive ':::", word, w,
          "' is not rendered: it is left out of the page");
}

/* "!!! type "Title"" / "??? type": a MkDocs admonition. */
static bool mkdocs_line(hdxi_pass *p, int q, const char *t, size_t n)
{
    if (n < 4 || (strncmp(t, "!!!", 3) && strncmp(t, "???", 3)))
        return false;
    size_t i = 3;
    if (i < n && t[i] == '+')
        i++;
    if (i >= n || t[i] != ' ')
        return false;
    while (i < n && t[i] == ' ')
        i++;
    size_t w = hdxi_pf_word(t + i, n - i);
    if (!w)
        return false;
    const char *type = t + i, *rest = t + i + w;
    size_t rn = n - i - w, len = 0;
    const char *title = strchr("\"'", *rest ? rest[1] : 0) && rn > 1
                            ? hdxi_pf_first_arg(rest, rn, &len)
                            : NULL;
    open_callout(p, q, type, w, title, title ? len : 0);
    p->mk_open = true;
    return true;
}

/* {{< notice tip >}} alone on a line: a Hugo theme's callout. */
static bool hugo_callout(hdxi_pass *p, int q, const char *t, size_t n)
{
    if (n < 7 || strncmp(t, "{{", 2) || (t[2] != '<' && t[2] != '%') ||
        strncmp(t + n - 2, "}}", 2) || t[n - 3] != (t[2] == '<' ? '>' : '%'))
        return false;
    const char *in = t + 3;
    size_t in_n = n - 6;
    trim(&in, &in_n);
    bool closing = in_n && in[0] == '/';
    if (closing)
        in++, in_n--;
    size_t w = hdxi_pf_word(in, in_n), len = 0, tl = 0;
    static const char *const names[] = {"notice", "alert", "hint", "callout",
                                        "admonition"};
    bool named = false;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        named = named || (strlen(names[k]) == w && !strncmp(in, names[k], w));
    if (!named && !callout_word(in, w))
        return false;
    if (closing) {
        if (p->depth > 0)
            p->depth--;
        emit_prefix(p, p->depth);
        return true;
    }
    const char *type = named ? hdxi_pf_first_arg(in + w, in_n - w, &len) : in;
    len = named ? len : w;
    if (!type || !len || !callout_word(type, len)) {
        type = hdxi_pf_attr(in, in_n, "color", &len);
        if (!type || !callout_word(type, len))
            type = "note", len = 4;
    }
    const char *title = hdxi_pf_attr(in, in_n, "title", &tl);
    open_callout(p, q, type, len, title, title ? tl : 0);
    p->depth++;
    return true;
}

/* MDX module lines at the top level: "import X from '...'", "export ...". */
static bool mdx_line(const char *t, size_t n)
{
    if (n > 7 && !strncmp(t, "import ", 7))
        return (hdxi_pf_find(t, n, " from '") || hdxi_pf_find(t, n, " from \"") ||
                t[7] == '\'' || t[7] == '"') &&
               strchr("'\";", t[n - 1]);
    if (n > 7 && !strncmp(t, "export ", 7))
        return !strncmp(t + 7, "const ", 6) ||
               !strncmp(t + 7, "default ", 8) ||
               !strncmp(t + 7, "function ", 9);
    return false;
}

static bool fence_open(hdxi_pass *p, const char *c, size_t n)
{
    size_t i = 0;
    while (i < n && i < 3 && c[i] == ' ')
        i++;
    size_t k = 0;
    while (i + k < n && (c[i + k] == '`' || c[i + k] == '~') &&
           c[i + k] == c[i])
        k++;
    if (k < 3 || (c[i] == '`' && memchr(c + i + k, '`', n - i - k)))
        return false;
    p->fence_ch = c[i];
    p->fence_len = k;
    p->liquid_fence = false;
    return true;
}

static bool fence_closes(const hdxi_pass *p, const char *t, size_t n)
{
    if (p->liquid_fence)
        return hdxi_pf_find(t, n, "endhighlight") && t[0] == '{';
    size_t k = 0;
    while (k < n && t[k] == p->fence_ch)
        k++;
    return k >= p->fence_len && k == n;
}

/* Lines that are not inside code: fences, directives, tags. */
static void content_line(hdxi_pass *p, int q, const char *c, size_t n)
{
    const char *t = c;
    size_t tn = n;
    trim(&t, &tn);
    if (fence_open(p, c, n)) {
        emit_prefix(p, q);
        hdx_buf_add(&p->out, c, n);
    } else if (tn >= 3 && !strncmp(t, ":::", 3)) {
        colon_line(p, q, t, tn);
    } else if (!p->mk_open && mkdocs_line(p, q, t, tn)) {
    } else if (hugo_callout(p, q, t, tn)) {
    } else if (tn > 10 && !strncasecmp(t, "[!INCLUDE", 9)) {
        emit_prefix(p, q);
        const char *open = hdxi_pf_find(t, tn, "](");
        const char *close = open ? memchr(open, ')', tn - (size_t)(open - t))
                                 : NULL;
        if (close)
            hdxi_pf_note(p, "docfx-include", "DocFX include '", open + 2,
                  (size_t)(close - open - 2),
                  "' is not rendered: it is left out of the page");
        else
            hdxi_pf_note(p, "docfx-include", "DocFX include '", t, tn,
                  "' is not rendered: it is left out of the page");
    } else if (q == 0 && mdx_line(t, tn)) {
    } else if (tn > 12 && !strncmp(t, "{%", 2) &&
               hdxi_pf_find(t, tn, "highlight ") && !hdxi_pf_find(t, tn, "endhighlight")) {
        size_t i = (size_t)(hdxi_pf_find(t, tn, "highlight ") - t) + 10, k;
        const char *lang = hdxi_pf_first_arg(t + i, tn - i, &k);
        emit_prefix(p, q);
        hdx_buf_adds(&p->out, "```");
        hdx_buf_add(&p->out, lang, k);
        p->fence_ch = '`', p->fence_len = 3, p->liquid_fence = true;
    } else if (tn >= 13 && !strncmp(t, "{%", 2) && hdxi_pf_find(t, tn, " comment ")) {
        emit_prefix(p, q);
        p->skip = true;
    } else {
        emit_prefix(p, q);
        hdxi_pf_inline(p, c, n);
    }
}

static void do_line(hdxi_pass *p, const char *s, size_t n)
{
    const char *c = s;
    size_t cn = n;
    if (p->mk_open) {
        size_t ind = 0;
        while (ind < n && s[ind] == ' ')
            ind++;
        if (ind == n) {
            emit_prefix(p, p->depth + 1);
            return;
        }
        if (ind >= 4)
            c += 4, cn -= 4;
        else
            p->mk_open = false, p->fence_ch = 0;
    }
    int q = p->depth + (p->mk_open ? 1 : 0);
    const char *t = c;
    size_t tn = cn;
    trim(&t, &tn);
    if (p->skip) {
        emit_prefix(p, q);
        if (hdxi_pf_find(t, tn, "image-end") || hdxi_pf_find(t, tn, "endcomment"))
            p->skip = false;
    } else if (p->fence_ch) {
        emit_prefix(p, q);
        if (fence_closes(p, t, tn)) {
            if (p->liquid_fence)
                hdx_buf_adds(&p->out, "```"); /* {% endhighlight %} */
            else
                hdx_buf_add(&p->out, c, cn);
            p->fence_ch = 0;
        } else {
            hdx_buf_add(&p->out, c, cn);
        }
    } else {
        content_line(p, q, c, cn);
    }
}

char *hdx_markup_prepare(const char *body, size_t len, hdx_markup_note_fn note,
                         void *ctx)
{
    hdxi_pass p = {.note = note, .ctx = ctx};
    hdx_buf_init(&p.out);
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(body + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - body) : len;
        size_t n = end - i;
        bool cr = n && body[i + n - 1] == '\r';
        p.line++;
        do_line(&p, body + i, cr ? n - 1 : n);
        if (cr)
            hdx_buf_addc(&p.out, '\r');
        if (nl)
            hdx_buf_addc(&p.out, '\n');
        i = end + 1;
    }
    char *r = hdx_buf_detach(&p.out);
    hdx_buf_clear(&p.out);
    return r ? r : hdx_xstrdup("");
}
