/*
 * snippet.c - passage selection and highlighting (see include/hdx/snippet.h).
 *
 * Words are letters, digits, '_', non-ASCII bytes, and '.' or '-' between
 * two such characters (so "SKY-1042" and "System.IO.IOException" stay
 * whole).  They are compared after the index's normalisation, ASCII by a
 * lower-casing fast path.
 *
 * The cost is one scan of the article's text, made cheap three ways: a word
 * whose first byte starts no term is rejected without being copied or
 * folded; only matching words are recorded; and the scan stops as soon as
 * some window already holds every distinct term, which no later window can
 * beat.  The chosen window alone is then scanned again to render it.
 */
#include "hdx/snippet.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"
#include "hdx/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TERMS 64
#define MAX_WORD 256

typedef struct term_info {
    const char *text;
    size_t len;
    bool is_stem;
    bool phrase; /* words separated by ' ': matches that run of words */
} term_info;

typedef struct matcher {
    term_info t[MAX_TERMS];
    size_t n;
    bool first[256];  /* bytes that start some term (or any non-ASCII) */
    size_t n_phrases;
} matcher;

typedef struct hit {
    size_t word;      /* word index in the text */
    size_t ctx_start; /* byte offset of the word 3 words earlier */
    int term;
} hit;

/* ASCII bytes that belong to words: letters, digits, '_'.  Every
 * non-ASCII byte does too (word_byte). */
static const bool WORD_ASCII[128] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
    ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['_'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
    ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
    ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
    ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
    ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
    ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1,
};

static inline bool word_byte(unsigned char c)
{
    return c >= 0x80 || WORD_ASCII[c];
}

static bool part_matches(const char *w, size_t n, const term_info *t)
{
    return t->is_stem ? (n >= t->len && !memcmp(w, t->text, t->len))
                      : (n == t->len && !memcmp(w, t->text, n));
}

/* Does normalised word w[0..n) match t, whole or (compound words) by a
 * '.'/'-'-separated part? */
static bool term_matches(const char *w, size_t n, bool compound,
                         const term_info *t)
{
    if (part_matches(w, n, t))
        return true;
    if (!compound)
        return false;
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && w[e] != '.' && w[e] != '-')
            e++;
        if (part_matches(w + i, e - i, t))
            return true;
        i = e + 1;
    }
    return false;
}

/* The normalised form of the word s[0..n): in `local` (MAX_WORD bytes)
 * for ASCII, else in `scratch`.  False if it cannot be folded. */
static bool fold_word(const char *s, size_t n, char *local, hdx_buf *scratch,
                      const char **w, size_t *wn)
{
    bool ascii = true;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            ascii = false;
    if (ascii && n <= MAX_WORD) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            char c = s[i];
            if (c != '\'') /* inner only: next_word() ends words on others */
                local[k++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
        }
        *w = local;
        *wn = k;
        return true;
    }
    hdx_buf_reset(scratch);
    if (hdx_text_fold(scratch, s, n, NULL) != HDX_OK)
        return false;
    *w = scratch->data;
    *wn = scratch->len;
    return true;
}

/* Index of the term that s[0..n) matches, or -1. */
static int match_word(const matcher *m, const char *s, size_t n,
                      bool compound, hdx_buf *scratch)
{
    unsigned char c0 = (unsigned char)s[0];
    if (c0 >= 'A' && c0 <= 'Z')
        c0 = (unsigned char)(c0 + 32);
    if (!m->first[c0] && !compound)
        return -1;
    char local[MAX_WORD];
    const char *w;
    size_t wn;
    if (!fold_word(s, n, local, scratch, &w, &wn))
        return -1;
    for (size_t t = 0; t < m->n; t++)
        if (!m->t[t].phrase && term_matches(w, wn, compound, &m->t[t]))
            return (int)t;
    return -1;
}

/* Next word at or after *pos: sets [*start, *end) and whether it joins
 * parts with '.' or '-'; returns false at the end of the text. */
static bool next_word(const char *text, size_t len, size_t *pos,
                      size_t *start, size_t *end, bool *compound)
{
    const unsigned char *u = (const unsigned char *)text;
    size_t i = *pos;
    while (i < len && !word_byte(u[i]))
        i++;
    if (i >= len)
        return false;
    *start = i;
    *compound = false;
    for (;;) {
        while (i < len && word_byte(u[i]))
            i++;
        if (i + 1 < len && (u[i] == '.' || u[i] == '-') &&
            word_byte(u[i + 1]) && u[i + 1] != '_') {
            *compound = true;
            i++;
            continue;
        }
        /* "won't" is one word, matched as "wont" (hdx_text_fold). */
        if (i + 1 < len && u[i] == '\'' && i > *start &&
            ((u[i + 1] >= 'a' && u[i + 1] <= 'z') ||
             (u[i + 1] >= 'A' && u[i + 1] <= 'Z'))) {
            i++;
            continue;
        }
        break;
    }
    *end = *pos = i;
    return true;
}

/* Do the words of the phrase term t match the words from text[s]?  On a
 * match, *end is the end of its last word and *words their number. */
static bool phrase_at(const char *text, size_t len, size_t s,
                      const term_info *t, hdx_buf *scratch, size_t *end,
                      size_t *words)
{
    const char *p = t->text, *pe = t->text + t->len;
    size_t pos = s, ws, we, k = 0;
    bool comp;
    while (p < pe) {
        const char *q = memchr(p, ' ', (size_t)(pe - p));
        if (!q)
            q = pe;
        char local[MAX_WORD];
        const char *w;
        size_t wn;
        if (!next_word(text, len, &pos, &ws, &we, &comp) ||
            !fold_word(text + ws, we - ws, local, scratch, &w, &wn) ||
            wn != (size_t)(q - p) || memcmp(w, p, wn) != 0)
            return false;
        k++;
        *end = we;
        p = q < pe ? q + 1 : pe;
    }
    *words = k;
    return k > 0;
}

/* The phrase term that starts at word text[s..e), or -1. */
static int match_phrase(const matcher *m, const char *text, size_t len,
                        size_t s, hdx_buf *scratch, size_t *end, size_t *words)
{
    if (!m->n_phrases)
        return -1;
    unsigned char c0 = (unsigned char)text[s];
    if (c0 >= 'A' && c0 <= 'Z')
        c0 = (unsigned char)(c0 + 32);
    if (!m->first[c0])
        return -1;
    for (size_t t = 0; t < m->n; t++)
        if (m->t[t].phrase &&
            phrase_at(text, len, s, &m->t[t], scratch, end, words))
            return (int)t;
    return -1;
}

/* Distinct terms among hits[a..] within words [w0, w0 + max_words). */
static unsigned window_distinct(const hit *hits, size_t n_hits, size_t a,
                                size_t w0, unsigned max_words, unsigned *nhit)
{
    unsigned char seen[MAX_TERMS] = {0};
    unsigned distinct = 0, count = 0;
    for (size_t k = a; k < n_hits && hits[k].word < w0 + max_words; k++) {
        if (hits[k].word < w0)
            continue;
        count++;
        if (!seen[hits[k].term]) {
            seen[hits[k].term] = 1;
            distinct++;
        }
    }
    *nhit = count;
    return distinct;
}

static void render(const char *text, size_t len, size_t from,
                   unsigned max_words, const matcher *m, bool cut_before,
                   hdx_buf *html)
{
    hdx_buf scratch;
    hdx_buf_init(&scratch);
    if (cut_before)
        hdx_buf_adds(html, "\xE2\x80\xA6 ");
    size_t pos = from, prev = from, s, e;
    bool comp;
    unsigned n = 0;
    while (n < max_words && next_word(text, len, &pos, &s, &e, &comp)) {
        /* Inter-word text (punctuation, spaces), newlines folded. */
        for (size_t b = prev; b < s; b++) {
            char c = text[b] == '\n' ? ' ' : text[b];
            hdx_buf_add_html(html, &c, 1);
        }
        size_t pend, pwords = 1;
        if (m->n && match_phrase(m, text, len, s, &scratch, &pend, &pwords) >= 0) {
            hdx_buf_adds(html, "<mark>");
            for (size_t b = s; b < pend; b++) {
                char c = text[b] == '\n' ? ' ' : text[b];
                hdx_buf_add_html(html, &c, 1);
            }
            hdx_buf_adds(html, "</mark>");
            pos = prev = pend;
            n += (unsigned)pwords;
            continue;
        }
        bool mark =
            m->n && match_word(m, text + s, e - s, comp, &scratch) >= 0;
        if (mark)
            hdx_buf_adds(html, "<mark>");
        hdx_buf_add_html(html, text + s, e - s);
        if (mark)
            hdx_buf_adds(html, "</mark>");
        prev = e;
        n++;
    }
    size_t ws, we, p2 = pos;
    if (n == max_words && next_word(text, len, &p2, &ws, &we, &comp)) {
        hdx_buf_adds(html, " \xE2\x80\xA6");
    } else {
        /* Keep a closing '.', '?', '!' or ')' of the last sentence. */
        for (size_t b = prev; b < len && b < prev + 3; b++)
            if (text[b] == '.' || text[b] == '?' || text[b] == '!' ||
                text[b] == ')') {
                hdx_buf_add_html(html, &text[b], 1);
                break;
            }
    }
    hdx_buf_clear(&scratch);
}

/* The matcher for the query's terms (at most MAX_TERMS of them). */
static void matcher_init(matcher *m, const hdx_snip_term *terms,
                         size_t n_terms)
{
    memset(m, 0, sizeof *m);
    for (size_t i = 0; i < n_terms && m->n < MAX_TERMS; i++) {
        if (!terms[i].text || !*terms[i].text)
            continue;
        term_info *t = &m->t[m->n++];
        t->text = terms[i].text;
        t->len = strlen(terms[i].text);
        t->is_stem = terms[i].is_stem;
        t->phrase = strchr(t->text, ' ') != NULL;
        m->n_phrases += t->phrase;
        m->first[(unsigned char)t->text[0]] = true;
    }
    for (int c = 0x80; c < 256; c++)
        m->first[c] = m->first[c] || m->n > 0; /* non-ASCII: normalise, then see */
}

/*
 * Scan, recording matches, until a window of max_words holds every
 * distinct term (no later window can beat it).  Returns the hits
 * (malloc'd, caller frees) and their number in *n_out.
 */
static hit *scan_hits(const char *text, size_t len, const matcher *m,
                      unsigned max_words, size_t *n_out)
{
    size_t cap = 64, n_hits = 0;
    hit *hits = hdx_xmalloc(cap * sizeof(hit));
    size_t ring[4] = {0, 0, 0, 0}; /* starts of the last 4 words */
    hdx_buf scratch;
    hdx_buf_init(&scratch);
    size_t pos = 0, s, e, word = 0;
    bool comp;
    unsigned char seen[MAX_TERMS] = {0};
    unsigned distinct_all = 0;
    while (m->n && next_word(text, len, &pos, &s, &e, &comp)) {
        ring[word % 4] = s;
        size_t pend, pwords = 1;
        int t = match_phrase(m, text, len, s, &scratch, &pend, &pwords);
        if (t >= 0)
            pos = pend; /* the phrase's words are one hit */
        else
            t = match_word(m, text + s, e - s, comp, &scratch);
        if (t >= 0) {
            if (n_hits == cap) {
                cap *= 2;
                hits = hdx_xrealloc(hits, cap * sizeof(hit));
            }
            hits[n_hits].word = word;
            hits[n_hits].ctx_start = ring[(word >= 3 ? word - 3 : 0) % 4];
            hits[n_hits].term = t;
            n_hits++;
            if (!seen[t]) {
                seen[t] = 1;
                distinct_all++;
            }
            if (distinct_all == m->n) {
                /* Is every term inside the window ending here? */
                size_t w0 = word + 1 >= max_words ? word + 1 - max_words : 0;
                unsigned cnt;
                if (window_distinct(hits, n_hits, 0, w0, max_words, &cnt) ==
                    m->n)
                    break;
            }
        }
        word += pwords;
    }
    hdx_buf_clear(&scratch);
    *n_out = n_hits;
    return hits;
}

/* Best window: most distinct terms, then most matches, earliest. */
static size_t best_window(const hit *hits, size_t n_hits, unsigned max_words,
                          unsigned *distinct)
{
    size_t best = 0;
    unsigned best_distinct = 0, best_hits = 0;
    for (size_t k = 0; k < n_hits; k++) {
        size_t w0 = hits[k].word >= 3 ? hits[k].word - 3 : 0;
        unsigned cnt;
        unsigned d = window_distinct(hits, n_hits, k, w0, max_words, &cnt);
        if (d > best_distinct || (d == best_distinct && cnt > best_hits)) {
            best = k;
            best_distinct = d;
            best_hits = cnt;
        }
    }
    *distinct = best_distinct;
    return best;
}

void hdx_snippet_make(const char *text, size_t len, const hdx_snip_term *terms,
                      size_t n_terms, unsigned max_words, hdx_snippet *out)
{
    out->offset = 0;
    out->n_matched = 0;
    if (len > HDX_SNIPPET_SCAN_MAX)
        len = HDX_SNIPPET_SCAN_MAX;
    if (max_words == 0)
        max_words = 30;
    matcher m;
    matcher_init(&m, terms, n_terms);
    size_t n_hits;
    hit *hits = scan_hits(text, len, &m, max_words, &n_hits);
    unsigned best_distinct;
    size_t best = best_window(hits, n_hits, max_words, &best_distinct);
    size_t from = n_hits ? hits[best].ctx_start : 0;
    /* Skip leading separators so the passage starts on a word. */
    while (from < len && !word_byte((unsigned char)text[from]))
        from++;
    hdx_buf html;
    hdx_buf_init(&html);
    if (len)
        render(text, len, from, max_words, &m,
               n_hits && hits[best].word > 3, &html);
    out->offset = from < len ? from : 0;
    out->n_matched = best_distinct;
    out->html = hdx_buf_detach(&html);
    hdx_buf_clear(&html);
    free(hits);
}
