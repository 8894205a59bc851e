/*
 * snippet.c - passage selection and highlighting (see include/hdx/snippet.h).
 *
 * One pass splits the text into words (letters, digits, '_', non-ASCII, and
 * '.', '-' between two such characters, so "SKY-1042" and "System.IO.
 * IOException" stay whole) and marks each word that matches a term; a
 * second pass slides a window over the matches only.  Words are compared
 * after the same normalisation as the index, ASCII by a lower-casing fast
 * path.
 */
#include "hdx/snippet.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"
#include "hdx/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct word {
    uint32_t start, end; /* byte range in the text */
    int term;            /* index of the matching term, or -1 */
} word;

static bool word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

/* Does the normalised word w[0..n) match term t?  Compound words also
 * match on any of their '.'/'-'-separated parts. */
static bool term_matches(const char *w, size_t n, const hdx_snip_term *t)
{
    size_t tl = strlen(t->text);
    if (t->is_stem ? (n >= tl && !memcmp(w, t->text, tl))
                   : (n == tl && !memcmp(w, t->text, n)))
        return true;
    size_t i = 0;
    bool compound = false;
    for (size_t k = 0; k < n; k++)
        if (w[k] == '.' || w[k] == '-')
            compound = true;
    if (!compound)
        return false;
    while (i < n) {
        size_t e = i;
        while (e < n && w[e] != '.' && w[e] != '-')
            e++;
        size_t pl = e - i;
        if (t->is_stem ? (pl >= tl && !memcmp(w + i, t->text, tl))
                       : (pl == tl && !memcmp(w + i, t->text, pl)))
            return true;
        i = e + 1;
    }
    return false;
}

static int match_word(const char *s, size_t n, const hdx_snip_term *terms,
                      size_t n_terms, hdx_buf *scratch)
{
    hdx_buf_reset(scratch);
    bool ascii = true;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            ascii = false;
    if (ascii) {
        hdx_buf_reserve(scratch, n);
        for (size_t i = 0; i < n; i++) {
            char c = s[i];
            scratch->data[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
        }
        scratch->len = n;
        scratch->data[n] = '\0';
    } else if (hdx_text_normalize(scratch, s, n, NULL) != HDX_OK) {
        return -1;
    }
    for (size_t t = 0; t < n_terms; t++)
        if (term_matches(scratch->data, scratch->len, &terms[t]))
            return (int)t;
    return -1;
}

void hdx_snippet_make(const char *text, size_t len, const hdx_snip_term *terms,
                      size_t n_terms, unsigned max_words, hdx_snippet *out)
{
    out->offset = 0;
    out->n_matched = 0;
    if (max_words == 0)
        max_words = 30;
    size_t cap = 256, n = 0;
    word *ws = hdx_xmalloc(cap * sizeof(word));
    hdx_buf scratch;
    hdx_buf_init(&scratch);
    size_t i = 0;
    while (i < len) {
        while (i < len && !word_byte((unsigned char)text[i]))
            i++;
        if (i >= len)
            break;
        size_t s = i;
        while (i < len) {
            unsigned char c = (unsigned char)text[i];
            if (word_byte(c)) {
                i++;
            } else if ((c == '.' || c == '-') && i + 1 < len &&
                       word_byte((unsigned char)text[i + 1]) &&
                       (unsigned char)text[i + 1] != '_') {
                i++;
            } else {
                break;
            }
        }
        if (n == cap) {
            cap *= 2;
            ws = hdx_xrealloc(ws, cap * sizeof(word));
        }
        ws[n].start = (uint32_t)s;
        ws[n].end = (uint32_t)i;
        ws[n].term = n_terms ? match_word(text + s, i - s, terms, n_terms,
                                          &scratch)
                             : -1;
        n++;
    }
    hdx_buf_clear(&scratch);

    /* Best window: most distinct terms, then most matches, earliest. */
    size_t best = 0;
    unsigned best_distinct = 0, best_hits = 0;
    unsigned char seen[64];
    for (size_t m = 0; m < n; m++) {
        if (ws[m].term < 0)
            continue;
        /* Start a little before the first match, for context. */
        size_t start = m > 3 ? m - 3 : 0;
        memset(seen, 0, sizeof seen);
        unsigned distinct = 0, hits = 0;
        for (size_t k = start; k < n && k < start + max_words; k++) {
            int t = ws[k].term;
            if (t < 0)
                continue;
            hits++;
            if (t < 64 && !seen[t]) {
                seen[t] = 1;
                distinct++;
            }
        }
        if (distinct > best_distinct ||
            (distinct == best_distinct && hits > best_hits)) {
            best = start;
            best_distinct = distinct;
            best_hits = hits;
        }
        if (best_distinct == n_terms && best_distinct > 0)
            break; /* cannot do better than every term */
    }

    hdx_buf html;
    hdx_buf_init(&html);
    if (n > 0) {
        size_t last = best + max_words < n ? best + max_words : n;
        size_t pos = ws[best].start;
        if (best > 0)
            hdx_buf_adds(&html, "\xE2\x80\xA6 ");
        out->offset = pos;
        for (size_t k = best; k < last; k++) {
            /* Inter-word text (punctuation, spaces), newlines folded. */
            for (size_t b = pos; b < ws[k].start; b++) {
                char c = text[b] == '\n' ? ' ' : text[b];
                hdx_buf_add_html(&html, &c, 1);
            }
            if (ws[k].term >= 0) {
                hdx_buf_adds(&html, "<mark>");
                hdx_buf_add_html(&html, text + ws[k].start,
                                 ws[k].end - ws[k].start);
                hdx_buf_adds(&html, "</mark>");
            } else {
                hdx_buf_add_html(&html, text + ws[k].start,
                                 ws[k].end - ws[k].start);
            }
            pos = ws[k].end;
        }
        if (last < n)
            hdx_buf_adds(&html, " \xE2\x80\xA6");
        else if (pos < len) {
            size_t tail = len - pos;
            if (tail > 3)
                tail = 3; /* keep a closing '.', not trailing whitespace */
            for (size_t b = pos; b < pos + tail; b++)
                if (text[b] == '.' || text[b] == '?' || text[b] == '!' ||
                    text[b] == ')') {
                    hdx_buf_add_html(&html, &text[b], 1);
                    break;
                }
        }
    }
    out->n_matched = best_distinct;
    out->html = hdx_buf_detach(&html);
    hdx_buf_clear(&html);
    free(ws);
}
