/*
 * fuzz_snippet.c - libFuzzer harness of the snippet builder.
 *
 * Input: TEXT, optionally followed by a NUL and CONTROL: CONTROL[0] is the
 * window in words (0..63), CONTROL[1] picks which words of the text become
 * terms, and the rest is more terms, one a line ("*word" for a stem).
 * Without CONTROL the window is the server's 28 words.  The terms come
 * from the text itself, normalised as the server's are, so matches happen.
 * Checked: the HTML is never NULL, only <mark>/</mark> appear unescaped
 * and they pair up, valid UTF-8 text gives valid UTF-8 HTML, the offset
 * lies in the text and no more terms match than were given.
 */
#include "common.h"

#include "hdx/buf.h"
#include "hdx/snippet.h"
#include "hdx/text.h"

#include <stdlib.h>
#include <string.h>

#define MAX_TERMS 32

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

typedef struct terms {
    hdx_snip_term t[MAX_TERMS];
    char *own[MAX_TERMS];
    size_t n;
} terms;

static void add_term(terms *ts, const char *s, size_t n, bool stem)
{
    if (ts->n == MAX_TERMS || n == 0)
        return;
    hdx_buf b;
    hdx_buf_init(&b);
    if (hdx_text_normalize(&b, s, n, NULL) != HDX_OK || b.len == 0) {
        hdx_buf_clear(&b);
        return;
    }
    if (stem) /* a stem is a prefix: cut it, on a character boundary */
        b.len = hdx_text_clip(b.data, b.len, b.len > 4 ? b.len - 2 : b.len);
    ts->own[ts->n] = fuzz_strndup((const uint8_t *)b.data, b.len);
    ts->t[ts->n].text = ts->own[ts->n];
    ts->t[ts->n].is_stem = stem;
    ts->n++;
    hdx_buf_clear(&b);
}

static bool word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') ||
           ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Every `stride`-th word of the text (ASCII letters and digits, or any
 * non-ASCII byte), every other one as a stem. */
static void words_of(terms *ts, const char *text, size_t len, unsigned stride)
{
    unsigned k = 0;
    for (size_t i = 0; i < len;) {
        if (!word_byte((unsigned char)text[i])) {
            i++;
            continue;
        }
        size_t s = i;
        while (i < len && word_byte((unsigned char)text[i]))
            i++;
        if (k++ % stride == 0)
            add_term(ts, text + s, i - s, (k / stride) % 2 == 1);
    }
}

static void check_html(const char *html, size_t len, bool utf8,
                       const hdx_snippet *sn, size_t n_terms)
{
    if (!html)
        fuzz_fail("snippet html is NULL");
    size_t open = 0, close = 0, hl = strlen(html);
    for (const char *p = html; (p = strchr(p, '<')); p++) {
        if (!strncmp(p, "<mark>", 6))
            open++;
        else if (!strncmp(p, "</mark>", 7))
            close++;
        else
            fuzz_fail("unescaped '<' in snippet: %s", html);
    }
    if (open != close)
        fuzz_fail("%zu <mark> but %zu </mark>: %s", open, close, html);
    if (utf8 && !fuzz_utf8_ok(html, hl, NULL))
        fuzz_fail("snippet of valid UTF-8 is not valid UTF-8: %s", html);
    if (sn->offset > len || sn->n_matched > n_terms)
        fuzz_fail("offset %zu of %zu, %u of %zu terms matched", sn->offset,
                  len, sn->n_matched, n_terms);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t len = nul ? (size_t)(nul - data) : size;
    /* The text exactly: ASan sees any read past its end. */
    char *text = malloc(len ? len : 1);
    memcpy(text, data, len);
    unsigned max_words = 28, stride = 3;
    terms ts = {.n = 0};
    if (nul) {
        const char *ctl = (const char *)nul + 1;
        size_t cn = size - len - 1;
        max_words = cn > 0 ? (unsigned char)ctl[0] % 64 : max_words;
        stride = cn > 1 ? 1 + (unsigned char)ctl[1] % 8 : stride;
        for (size_t i = 2; i < cn;) {
            const char *e = memchr(ctl + i, '\n', cn - i);
            size_t n = e ? (size_t)(e - (ctl + i)) : cn - i;
            bool stem = n > 0 && ctl[i] == '*';
            add_term(&ts, ctl + i + stem, n - stem, stem);
            i += n + 1;
        }
    }
    words_of(&ts, text, len, stride);
    hdx_snippet sn;
    hdx_snippet_make(text, len, ts.t, ts.n, max_words, &sn);
    check_html(sn.html, len, fuzz_utf8_ok(text, len, NULL), &sn, ts.n);
    free(sn.html);
    for (size_t i = 0; i < ts.n; i++)
        free(ts.own[i]);
    free(text);
    return 0;
}
