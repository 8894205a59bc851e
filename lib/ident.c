/*
 * ident.c - identifier scanner (see include/hdx/ident.h for the forms).
 *
 * The scanner splits the text into "chunks": maximal runs of ASCII letters,
 * digits and the joiners . _ - that may sit inside an identifier.  Each
 * chunk is classified as a whole, then trailing punctuation is trimmed.
 * Classification is by shape only, never by a list, so new products' codes
 * are recognised as they appear.
 */
#include "hdx/ident.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#define MAX_IDENT 120

static bool is_chunk_char(unsigned char c)
{
    return isalnum(c) || c == '.' || c == '_' || c == '-';
}

static void emit_lower(const char *s, size_t n, hdx_ident_fn fn, void *ctx)
{
    char buf[MAX_IDENT + 1];
    if (n == 0 || n > MAX_IDENT)
        return;
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)tolower((unsigned char)s[i]);
    buf[n] = '\0';
    fn(buf, n, ctx);
}

static size_t count_if(const char *s, size_t n, int (*pred)(int))
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (pred((unsigned char)s[i]))
            k++;
    return k;
}

static bool all_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]))
            return false;
    return n > 0;
}

static bool ends_with_ci(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && strncasecmp(s + n - k, suffix, k) == 0;
}

/* libfoo.so, libfoo.so.3, x.dll, x.exe, x.sys, x.dylib, x.jar */
static bool is_library(const char *s, size_t n)
{
    static const char *const exts[] = {".dll", ".exe", ".sys", ".dylib",
                                       ".jar", ".so", ".msi", ".ocx"};
    const char *so = NULL;
    for (size_t i = 0; i + 3 <= n; i++)
        if (!strncasecmp(s + i, ".so", 3) && (i + 3 == n || s[i + 3] == '.'))
            so = s + i;
    if (so && so > s) {
        for (const char *p = so + 3; p < s + n; p++)
            if (!isdigit((unsigned char)*p) && *p != '.')
                return false;
        return true;
    }
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (ends_with_ci(s, n, exts[i]) && n > strlen(exts[i]))
            return true;
    return false;
}

/* Dotted name with ≥ 3 parts, or 2 parts where the last looks like a
 * type: System.IO.IOException, java.lang.OutOfMemoryError. */
static bool classify_dotted(const char *s, size_t n, hdx_ident_fn fn,
                            void *ctx)
{
    size_t dots = 0, last = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            if (i == 0 || s[i - 1] == '.' || i + 1 == n)
                return false;
            dots++;
            last = i + 1;
        } else if (!isalnum((unsigned char)s[i]) && s[i] != '_') {
            return false;
        }
    }
    if (dots == 0 || !isalpha((unsigned char)s[0]))
        return false;
    const char *tail = s + last;
    size_t tail_n = n - last;
    bool typeish = ends_with_ci(tail, tail_n, "exception") ||
                   ends_with_ci(tail, tail_n, "error");
    bool has_upper = count_if(s, n, isupper) > 0;
    if (dots < 2 && !typeish)
        return false;
    if (!has_upper && !typeish)
        return false; /* "www.example.com" and version-like lowercase names */
    emit_lower(s, n, fn, ctx);
    if (typeish && tail_n >= 6)
        emit_lower(tail, tail_n, fn, ctx);
    return true;
}

/* Letters only, a capital first, and a capitalised "Error" or
 * "Exception" after at least one more letter. */
static bool type_name(const char *s, size_t n, size_t alphas)
{
    if (alphas != n || !isupper((unsigned char)s[0]))
        return false;
    static const char *const tails[] = {"Exception", "Error"};
    for (size_t i = 0; i < 2; i++) {
        size_t k = strlen(tails[i]);
        if (n > k + 1 && !strncmp(s + n - k, tails[i], k))
            return true;
    }
    return false;
}

static void classify(const char *s, size_t n, hdx_ident_fn fn, void *ctx)
{
    /* Trim joiners at both ends ("(0x80070005)." → "0x80070005"). */
    while (n && (s[n - 1] == '.' || s[n - 1] == '-' || s[n - 1] == '_'))
        n--;
    while (n && (s[0] == '.' || s[0] == '-' || s[0] == '_')) {
        s++;
        n--;
    }
    if (n < 3 || n > MAX_IDENT)
        return;
    size_t digits = count_if(s, n, isdigit);
    size_t alphas = count_if(s, n, isalpha);
    /* 0x-prefixed hex: 4 to 8 digits is a status code; longer is an
     * address, which says nothing about the failure. */
    if (n >= 6 && n <= 10 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
        all_hex(s + 2, n - 2)) {
        emit_lower(s, n, fn, ctx);
        emit_lower(s + 2, n - 2, fn, ctx);
        return;
    }
    if (is_library(s, n)) {
        emit_lower(s, n, fn, ctx);
        return;
    }
    if (memchr(s, '.', n) && classify_dotted(s, n, fn, ctx))
        return;
    /* Bare 8-digit hex with a letter or a leading 8/C (HRESULT-like). */
    if (n == 8 && all_hex(s, n) &&
        (alphas > 0 || s[0] == '8' || s[0] == 'C' || s[0] == 'c')) {
        emit_lower(s, n, fn, ctx);
        return;
    }
    bool has_dot = memchr(s, '.', n) != NULL;
    if (has_dot)
        return;
    /* A type name without its namespace: KeyError, NullPointerException,
     * SSLHandshakeException - the same term as the last part of a dotted
     * name ("java.lang.NullPointerException"). */
    if (type_name(s, n, alphas)) {
        emit_lower(s, n, fn, ctx);
        return;
    }
    /* CONSTANT_CASE with at least one underscore: ERR_SSL_PROTOCOL_ERROR */
    if (memchr(s, '_', n) && alphas >= 4 && count_if(s, n, islower) == 0) {
        emit_lower(s, n, fn, ctx);
        return;
    }
    /* Letters then digits, optionally joined: E1234, SKY-1042, KB5034441,
     * AADSTS50011.  Require ≥ 2 digits and a letter at the start. */
    if (isalpha((unsigned char)s[0]) && digits >= 2 && alphas >= 1) {
        size_t i = 0;
        while (i < n && isalpha((unsigned char)s[i]))
            i++;
        if (i <= 10 && i < n && (s[i] == '-' || s[i] == '_'))
            i++;
        size_t d = i;
        while (i < n && isdigit((unsigned char)s[i]))
            i++;
        if (i == n && i - d >= 2) {
            emit_lower(s, n, fn, ctx);
            /* The joined form is how people type it: sky1042 ~ sky-1042 */
            if (d > 0 && (s[d - 1] == '-' || s[d - 1] == '_')) {
                char buf[MAX_IDENT + 1];
                memcpy(buf, s, d - 1);
                memcpy(buf + d - 1, s + d, n - d);
                emit_lower(buf, n - 1, fn, ctx);
            }
        }
    }
}

/* "HTTP 503", "HTTP/1.1 503", "HTTP Error 500.19", "HTTP status 429" */
static size_t http_status(const char *s, size_t n, size_t i, hdx_ident_fn fn,
                          void *ctx)
{
    if (i + 4 > n || strncasecmp(s + i, "http", 4) != 0 ||
        (i > 0 && isalnum((unsigned char)s[i - 1])))
        return 0;
    size_t j = i + 4;
    if (j < n && s[j] == '/') {
        j++;
        while (j < n && (isdigit((unsigned char)s[j]) || s[j] == '.'))
            j++;
    }
    if (j >= n || s[j] != ' ')
        return 0;
    j++;
    static const char *const words[] = {"error ", "status ", "code "};
    for (size_t k = 0; k < 3; k++) {
        size_t wl = strlen(words[k]);
        if (j + wl <= n && strncasecmp(s + j, words[k], wl) == 0) {
            j += wl;
            break;
        }
    }
    size_t d = j;
    while (j < n && isdigit((unsigned char)s[j]))
        j++;
    if (j - d != 3 || s[d] < '1' || s[d] > '5')
        return 0;
    /* IIS sub-status: 500.19 */
    size_t end = j;
    if (j + 1 < n && s[j] == '.' && isdigit((unsigned char)s[j + 1])) {
        end = j + 1;
        while (end < n && isdigit((unsigned char)s[end]))
            end++;
    }
    char buf[32];
    size_t len = 0;
    memcpy(buf, "http-", 5);
    len = 5;
    size_t code_len = end - d < 12 ? end - d : 12;
    memcpy(buf + len, s + d, code_len);
    len += code_len;
    buf[len] = '\0';
    fn(buf, len, ctx);
    if (end != j) {
        memcpy(buf + 5, s + d, 3);
        buf[8] = '\0';
        fn(buf, 8, ctx);
    }
    return end - i;
}

void hdx_ident_extract(const char *text, size_t len, hdx_ident_fn fn,
                       void *ctx)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)text[i];
        if (c == 'h' || c == 'H') {
            size_t used = http_status(text, len, i, fn, ctx);
            if (used) {
                i += used;
                continue;
            }
        }
        if (!is_chunk_char(c)) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && is_chunk_char((unsigned char)text[i]))
            i++;
        /* A chunk glued to non-ASCII letters is a word, not an id. */
        if ((start > 0 && (unsigned char)text[start - 1] >= 0x80) ||
            (i < len && (unsigned char)text[i] >= 0x80))
            continue;
        classify(text + start, i - start, fn, ctx);
    }
}

typedef struct {
    hdx_ident_fn fn;
    void *ctx;
    int n;
} count_ctx;

static void count_and_forward(const char *t, size_t n, void *p)
{
    count_ctx *c = p;
    c->n++;
    c->fn(t, n, c->ctx);
}

void hdx_ident_normalize_code(const char *code, hdx_ident_fn fn, void *ctx)
{
    count_ctx c = {fn, ctx, 0};
    size_t n = strlen(code);
    hdx_ident_extract(code, n, count_and_forward, &c);
    if (c.n)
        return;
    while (n && isspace((unsigned char)code[n - 1]))
        n--;
    while (n && isspace((unsigned char)*code)) {
        code++;
        n--;
    }
    /* Keep spaces out of terms: "Event 1000" → "event-1000" */
    char buf[MAX_IDENT + 1];
    if (n == 0 || n > MAX_IDENT)
        return;
    for (size_t i = 0; i < n; i++)
        buf[i] = code[i] == ' ' ? '-' : (char)tolower((unsigned char)code[i]);
    buf[n] = '\0';
    fn(buf, n, ctx);
}
