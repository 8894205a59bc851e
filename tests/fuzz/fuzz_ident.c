/*
 * fuzz_ident.c - libFuzzer harness of the identifier scanner: the input
 * as text to hdx_ident_extract() (exactly `size` bytes: ASan sees any
 * read past the end), and each line of it as a person-written code to
 * hdx_ident_normalize_code().  Checked for every term reported: not
 * empty, at most 240 bytes (a Xapian term with its prefix must fit), no
 * upper-case ASCII, and valid UTF-8 when the input was.
 */
#include "common.h"

#include "hdx/ident.h"

#include <stdlib.h>
#include <string.h>

#define MAX_TERM_BYTES 240u

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

typedef struct seen {
    bool utf8;   /* the input is valid UTF-8 */
    size_t n;    /* terms reported */
    unsigned sum;/* touches every byte of every term */
} seen;

static void on_term(const char *term, size_t len, void *ctx)
{
    seen *s = ctx;
    if (len == 0 || len > MAX_TERM_BYTES)
        fuzz_fail("identifier of %zu bytes", len);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)term[i];
        if (c >= 'A' && c <= 'Z')
            fuzz_fail("identifier '%.*s' is not lower-cased", (int)len, term);
        s->sum += c;
    }
    if (s->utf8 && !fuzz_utf8_ok(term, len, NULL))
        fuzz_fail("identifier of valid UTF-8 text is not valid UTF-8");
    s->n++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    seen s = {fuzz_utf8_ok((const char *)data, size, NULL), 0, 0};
    hdx_ident_extract((const char *)data, size, on_term, &s);
    /* Lines as front-matter error codes (C strings: up to a NUL). */
    for (size_t i = 0; i < size;) {
        const uint8_t *e = memchr(data + i, '\n', size - i);
        size_t n = e ? (size_t)(e - (data + i)) : size - i;
        char *code = fuzz_strndup(data + i, n);
        s.utf8 = fuzz_utf8_ok(code, strlen(code), NULL);
        hdx_ident_normalize_code(code, on_term, &s);
        free(code);
        i += n + 1;
    }
    return 0;
}
