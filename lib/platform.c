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
#include "hdx/markup.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pass {
    hdx_buf out;
    hdx_markup_note_fn note;
    void *ctx;
    int line;          /* 1-based line being read */
    char fence_ch;     /* inside a fenced code block: '`' or '~' */
    size_t fence_len;
    bool liquid_fence; /* ... opened by {% highlight %} */
    int depth;         /* open ":::" and Hugo callouts (quote levels) */
    bool mk_open;      /* inside a MkDocs admonition's indented block */
    bool skip;         /* inside a complex :::image or {% comment %} */
} pass;

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

/* Report "<before><a[0..an)><after>" (the construct, cut at 60 bytes). */
static void notef(pass *p, const char *rule, const char *before,
                  const char *a, size_t an, const char *after)
{
    if (!p->note)
        return;
    char msg[240];
    snprintf(msg, sizeof msg, "%s%.*s%s", before, (int)(an < 60 ? an : 60),
             a, after);
    p->note(p->ctx, p->line, rule, msg);
}

static void emit_prefix(pass *p, int q)
{
    for (int i = 0; i < q; i++)
        hdx_buf_adds(&p->out, "> ");
}

static const char *find(const char *s, size_t n, const char *needle)
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
static const char *attr(const char *s, size_t n, const char *name,
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
static const char *first_arg(const char *s, size_t n, size_t *len)
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
static void add_image(pass *p, const char *alt, size_t an, const char *src,
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

/* "> [!TYPE] Title": opens a callout one quote level deeper. */
static void open_callout(pass *p, int q, const char *type, size_t tn,
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

static size_t word_len(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && (isalnum((unsigned char)s[k]) || s[k] == '-' ||
                     s[k] == '_' || s[k] == '.'))
        k++;
    return k;
}

/* Hugo shortcode {{< inner >}} / {{% inner %}} inside a line. */
static void shortcode(pass *p, const char *in, size_t n, char d)
{
    while (n && isspace((unsigned char)*in))
        in++, n--;
    if (n && *in == '/')
        return; /* a closing tag: its opening one was reported */
    size_t w = word_len(in, n);
    const char *args = in + w;
    size_t an = n - w, len;
    if ((w == 6 && !strncmp(in, "relref", 6)) ||
        (w == 3 && !strncmp(in, "ref", 3))) {
        const char *v = first_arg(args, an, &len);
        hdx_buf_add(&p->out, v, len);
        return;
    }
    if ((w == 6 && !strncmp(in, "figure", 6)) ||
        (w == 3 && !strncmp(in, "img", 3))) {
        size_t sl, al;
        const char *src = attr(args, an, "src", &sl);
        const char *alt = attr(args, an, "alt", &al);
        if (!alt)
            alt = attr(args, an, "caption", &al);
        if (src && sl) {
            add_image(p, alt ? alt : "", alt ? al : 0, src, sl);
            return;
        }
    }
    notef(p, "hugo-shortcode",
          d == '<' ? "Hugo shortcode '{{< " : "Hugo shortcode '{{% ", in, w,
          d == '<' ? " >}}' is not rendered: it is left out of the page"
                   : " %}}' is not rendered: it is left out of the page");
}

/* Liquid {% inner %} inside a line. */
static void liquid_tag(pass *p, const char *in, size_t n)
{
    while (n && (isspace((unsigned char)*in) || *in == '-'))
        in++, n--;
    size_t w = word_len(in, n), len;
    if ((w == 4 && !strncmp(in, "link", 4)) ||
        (w == 8 && !strncmp(in, "post_url", 8))) {
        const char *v = first_arg(in + w, n - w, &len);
        hdx_buf_add(&p->out, v, len);
        return;
    }
    if ((w == 3 && !strncmp(in, "raw", 3)) || (w >= 3 && !strncmp(in, "end", 3)) ||
        (w == 4 && !strncmp(in, "else", 4)) ||
        (w == 5 && !strncmp(in, "elsif", 5)))
        return; /* raw is shown as is; an end tag's opener was reported */
    notef(p, "liquid", "Liquid tag '{% ", in, w,
          " %}' is not rendered: it is left out of the page");
}

/* Liquid {{ inner }} inside a line. */
static void liquid_var(pass *p, const char *in, size_t n)
{
    while (n && isspace((unsigned char)*in))
        in++, n--;
    while (n && isspace((unsigned char)in[n - 1]))
        n--;
    if ((n == 12 && !strncmp(in, "site.baseurl", 12)) ||
        (n == 8 && !strncmp(in, "site.url", 8)))
        return; /* a URL prefix: the link works without it */
    size_t len;
    const char *v = first_arg(in, n, &len);
    if (len && (in[0] == '"' || in[0] == '\'') &&
        (find(in, n, "relative_url") || find(in, n, "absolute_url"))) {
        hdx_buf_add(&p->out, v, len);
        return;
    }
    notef(p, "liquid", "Liquid variable '{{ ", in, n,
          " }}' is not rendered: it is left out of the page");
}


/* Template tags inside one line; code spans are copied untouched. */
static void inline_pass(pass *p, const char *c, size_t n)
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
        if (c[i] == ':' && n - i > 10 && !strncmp(c + i, ":::no-loc ", 10)) {
            const char *e = find(c + i + 10, n - i - 10, ":::");
            size_t tl;
            const char *txt =
                e ? attr(c + i + 10, (size_t)(e - c - i - 10), "text", &tl)
                  : NULL;
            if (txt) { /* DocFX: text not to translate, shown as is */
                hdx_buf_add(&p->out, txt, tl);
                i = (size_t)(e - c) + 3;
                continue;
            }
        }
        if (c[i] == '[' && n - i > 6 && !strncmp(c + i, "[!div ", 6) &&
            memchr(c + i, ']', n - i)) { /* DocFX layout class: dropped */
            i = (size_t)((const char *)memchr(c + i, ']', n - i) - c) + 1;
            continue;
        }
        if (c[i] != '{' || i + 1 >= n || (c[i + 1] != '{' && c[i + 1] != '%')) {
            hdx_buf_addc(&p->out, c[i++]);
            continue;
        }
        char d = i + 2 < n ? c[i + 2] : 0;
        bool hugo = c[i + 1] == '{' && (d == '<' || d == '%');
        const char *close = hugo ? (d == '<' ? ">}}" : "%}}")
                                 : (c[i + 1] == '%' ? "%}" : "}}");
        size_t open = hugo ? 3 : 2;
        const char *e = find(c + i + open, n - i - open, close);
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

static void trim(const char **s, size_t *n)
{
    while (*n && isspace((unsigned char)**s))
        (*s)++, (*n)--;
    while (*n && isspace((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

/* A ":::" line (Docusaurus admonitions, DocFX directives), trimmed. */
static void colon_line(pass *p, int q, const char *t, size_t n)
{
    size_t i = 0;
    while (i < n && t[i] == ':')
        i++;
    while (i < n && t[i] == ' ')
        i++;
    size_t w = word_len(t + i, n - i);
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
        const char *src = attr(rest, rn, "source", &len);
        const char *alt = attr(rest, rn, "alt-text", &al);
        const char *type = attr(rest, rn, "type", &tl);
        if (src && len)
            add_image(p, alt ? alt : "", alt ? al : 0, src, len);
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
    notef(p, "docfx-directive", "directive ':::", word, w,
          "' is not rendered: it is left out of the page");
}

/* "!!! type "Title"" / "??? type": a MkDocs admonition. */
static bool mkdocs_line(pass *p, int q, const char *t, size_t n)
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
    size_t w = word_len(t + i, n - i);
    if (!w)
        return false;
    const char *type = t + i, *rest = t + i + w;
    size_t rn = n - i - w, len = 0;
    const char *title = strchr("\"'", *rest ? rest[1] : 0) && rn > 1
                            ? first_arg(rest, rn, &len)
                            : NULL;
    open_callout(p, q, type, w, title, title ? len : 0);
    p->mk_open = true;
    return true;
}

/* {{< notice tip >}} alone on a line: a Hugo theme's callout. */
static bool hugo_callout(pass *p, int q, const char *t, size_t n)
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
    size_t w = word_len(in, in_n), len = 0, tl = 0;
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
    const char *type = named ? first_arg(in + w, in_n - w, &len) : in;
    len = named ? len : w;
    if (!type || !len || !callout_word(type, len)) {
        type = attr(in, in_n, "color", &len);
        if (!type || !callout_word(type, len))
            type = "note", len = 4;
    }
    const char *title = attr(in, in_n, "title", &tl);
    open_callout(p, q, type, len, title, title ? tl : 0);
    p->depth++;
    return true;
}

/* MDX module lines at the top level: "import X from '...'", "export ...". */
static bool mdx_line(const char *t, size_t n)
{
    if (n > 7 && !strncmp(t, "import ", 7))
        return (find(t, n, " from '") || find(t, n, " from \"") ||
                t[7] == '\'' || t[7] == '"') &&
               strchr("'\";", t[n - 1]);
    if (n > 7 && !strncmp(t, "export ", 7))
        return !strncmp(t + 7, "const ", 6) ||
               !strncmp(t + 7, "default ", 8) ||
               !strncmp(t + 7, "function ", 9);
    return false;
}

static bool fence_open(pass *p, const char *c, size_t n)
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

static bool fence_closes(const pass *p, const char *t, size_t n)
{
    if (p->liquid_fence)
        return find(t, n, "endhighlight") && t[0] == '{';
    size_t k = 0;
    while (k < n && t[k] == p->fence_ch)
        k++;
    return k >= p->fence_len && k == n;
}

/* Lines that are not inside code: fences, directives, tags. */
static void content_line(pass *p, int q, const char *c, size_t n)
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
        const char *open = find(t, tn, "](");
        const char *close = open ? memchr(open, ')', tn - (size_t)(open - t))
                                 : NULL;
        if (close)
            notef(p, "docfx-include", "DocFX include '", open + 2,
                  (size_t)(close - open - 2),
                  "' is not rendered: it is left out of the page");
        else
            notef(p, "docfx-include", "DocFX include '", t, tn,
                  "' is not rendered: it is left out of the page");
    } else if (q == 0 && mdx_line(t, tn)) {
    } else if (tn > 12 && !strncmp(t, "{%", 2) &&
               find(t, tn, "highlight ") && !find(t, tn, "endhighlight")) {
        size_t i = (size_t)(find(t, tn, "highlight ") - t) + 10, k;
        const char *lang = first_arg(t + i, tn - i, &k);
        emit_prefix(p, q);
        hdx_buf_adds(&p->out, "```");
        hdx_buf_add(&p->out, lang, k);
        p->fence_ch = '`', p->fence_len = 3, p->liquid_fence = true;
    } else if (tn >= 13 && !strncmp(t, "{%", 2) && find(t, tn, " comment ")) {
        emit_prefix(p, q);
        p->skip = true;
    } else {
        emit_prefix(p, q);
        inline_pass(p, c, n);
    }
}

static void do_line(pass *p, const char *s, size_t n)
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
        if (find(t, tn, "image-end") || find(t, tn, "endcomment"))
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
    pass p = {.note = note, .ctx = ctx};
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
