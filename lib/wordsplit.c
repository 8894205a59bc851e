/*
 * wordsplit.c - the word-delimiter scanner (see include/hdx/wordsplit.h).
 *
 * One pass over the text: a token is a maximal run of ASCII letters,
 * digits and '_' that no other letter touches (a run glued to a non-ASCII
 * letter is part of a word the term generator keeps whole).  Within a
 * token, a part ends at '_', between a letter and a digit, before a
 * capital that follows a lower-case letter, and before the last capital
 * of a run of capitals followed by a lower-case letter ("SSLHandshake":
 * "SSL", "Handshake").  Tokens with one part are not reported.
 */
#include "hdx/wordsplit.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#define MAX_TOKEN 64

static bool token_char(unsigned char c)
{
    return isalnum(c) || c == '_';
}

/* Is there a part boundary between t[i - 1] and t[i]? */
static bool boundary(const char *t, size_t n, size_t i)
{
    unsigned char a = (unsigned char)t[i - 1], b = (unsigned char)t[i];
    if (isdigit(a) != isdigit(b))
        return true;
    if (islower(a) && isupper(b))
        return true;
    return isupper(a) && isupper(b) && i + 1 < n &&
           islower((unsigned char)t[i + 1]);
}

static bool hex_code(const char *t, size_t n)
{
    return n > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X');
}

/* Report t[0..n) if it has more than one part. */
static void split_token(const char *text, size_t start, size_t n,
                        hdx_split_fn fn, void *ctx)
{
    const char *t = text + start;
    if (n < 2 || n > MAX_TOKEN || hex_code(t, n))
        return;
    char parts[2 * MAX_TOKEN + 1];
    size_t len = 0, count = 0;
    bool open = false;
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '_') {
            open = false;
            continue;
        }
        if (open && i > 0 && t[i - 1] != '_' && boundary(t, n, i))
            open = false;
        if (!open) {
            if (len)
                parts[len++] = ' ';
            count++;
            open = true;
        }
        parts[len++] = t[i];
    }
    parts[len] = '\0';
    if (count > 1)
        fn(start, start + n, parts, len, ctx);
}

void hdx_wordsplit(const char *text, size_t len, hdx_split_fn fn, void *ctx)
{
    size_t i = 0;
    while (i < len) {
        if (!token_char((unsigned char)text[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && token_char((unsigned char)text[i]))
            i++;
        bool glued = (start > 0 && (unsigned char)text[start - 1] >= 0x80) ||
                     (i < len && (unsigned char)text[i] >= 0x80);
        if (!glued)
            split_token(text, start, i - start, fn, ctx);
    }
}
