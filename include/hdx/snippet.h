/*
 * snippet.h - the best-matching passage of a document, HTML-escaped, with
 * the query's words marked.
 *
 * Works on the plain text stored with each document and the query's terms
 * (normalised words, stems and identifiers), so it costs a scan of one
 * article's text rather than a re-analysis with Xapian's snippet generator.
 */
#ifndef HDX_SNIPPET_H
#define HDX_SNIPPET_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Only this many leading bytes of a text are scanned, so one hit costs a
 * bounded time however long the article (on the bench corpus this keeps
 * p99 under 5 ms for ten hits; 14 of its 9,054 articles are longer).  A
 * match beyond it is not shown: the passage comes from the scanned part.
 */
#define HDX_SNIPPET_SCAN_MAX 65536u

typedef struct hdx_snip_term {
    const char *text; /* normalised (hdx_text_fold); words separated by
                         single spaces are a phrase: that run of words,
                         highlighted as one */
    bool is_stem;     /* matches any word it prefixes */
} hdx_snip_term;

typedef struct hdx_snippet {
    char *html;         /* caller frees; never NULL */
    size_t offset;      /* byte offset of the passage in the text */
    unsigned n_matched; /* distinct terms inside the passage */
} hdx_snippet;

/*
 * Choose the window of about `max_words` words in text[0..len) holding the
 * most distinct terms (ties: the earliest), and render it escaped, matches
 * wrapped in <mark>…</mark>, with "…" where the text was cut.  Cuts fall
 * on word boundaries, never inside a UTF-8 sequence.  With no match, the
 * start of the text.
 */
void hdx_snippet_make(const char *text, size_t len, const hdx_snip_term *terms,
                      size_t n_terms, unsigned max_words, hdx_snippet *out);

#ifdef __cplusplus
}
#endif
#endif
