/*
 * version.c - parse, compare and find product versions (hdx/version.h).
 *
 * Hand-written over a closed grammar (component, "v", dotted numbers,
 * "-pre", "+build"), so anything else, such as "5.2.x" or "latest", is not
 * a version and compares with nothing: a mark the agent relies on is
 * never a guess.
 */
#include "hdx/version.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Copy [s, s+n) into out (size cap) lower-cased; false if it does not fit. */
static bool copy_lower(char *out, size_t cap, const char *s, size_t n)
{
    if (n >= cap)
        return false;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[n] = '\0';
    return true;
}

/* A pre-release or build identifier list: [0-9A-Za-z-] separated by '.'. */
static bool ident_list_ok(const char *s, size_t n)
{
    if (n == 0 || s[0] == '.' || s[n - 1] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '.' && s[i + 1] == '.')
            return false;
        if (!isalnum((unsigned char)c) && c != '-' && c != '.')
            return false;
    }
    return true;
}

/* The numbers and the rest of s[0..n) (no component, no spaces). */
static bool parse_core(const char *s, size_t n, hdx_ver *out)
{
    size_t i = 0;
    if (i < n && (s[i] == 'v' || s[i] == 'V'))
        i++;
    for (;;) {
        size_t start = i;
        unsigned long v = 0;
        while (i < n && isdigit((unsigned char)s[i]) && i - start < 9)
            v = v * 10 + (unsigned long)(s[i++] - '0');
        if (i == start || (i < n && isdigit((unsigned char)s[i])) ||
            out->n_parts == HDX_VER_PARTS)
            return false;
        out->part[out->n_parts++] = v;
        if (i < n && s[i] == '.' && i + 1 < n &&
            isdigit((unsigned char)s[i + 1])) {
            i++;
            continue;
        }
        break;
    }
    const char *plus = memchr(s + i, '+', n - i);
    size_t end = plus ? (size_t)(plus - s) : n;
    if (plus && !ident_list_ok(plus + 1, n - end - 1))
        return false;
    if (i == end)
        return true;
    if (s[i] != '-' || !ident_list_ok(s + i + 1, end - i - 1))
        return false;
    return copy_lower(out->pre, sizeof out->pre, s + i + 1, end - i - 1);
}

bool hdx_ver_parse(const char *s, hdx_ver *out)
{
    memset(out, 0, sizeof *out);
    if (!s)
        return false;
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    const char *sp = NULL;
    for (size_t i = n; i-- > 0;)
        if (isspace((unsigned char)s[i])) {
            sp = s + i;
            break;
        }
    bool ok = true;
    if (sp) {
        size_t cn = (size_t)(sp - s);
        while (cn && isspace((unsigned char)s[cn - 1]))
            cn--;
        ok = copy_lower(out->component, sizeof out->component, s, cn);
        n -= (size_t)(sp + 1 - s);
        s = sp + 1;
    }
    ok = ok && n > 0 && parse_core(s, n, out);
    if (!ok)
        memset(out, 0, sizeof *out);
    return ok;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return n > 0;
}

/* Semantic Versioning's precedence of two pre-release strings ("" is a
 * release, above every pre-release). */
static int pre_cmp(const char *a, const char *b)
{
    if (!*a || !*b)
        return !*a - !*b;
    while (*a && *b) {
        size_t na = strcspn(a, "."), nb = strcspn(b, ".");
        bool da = all_digits(a, na), db = all_digits(b, nb);
        int c;
        if (da && db)
            c = na != nb ? (na < nb ? -1 : 1) : strncmp(a, b, na);
        else if (da || db)
            c = da ? -1 : 1;
        else {
            c = strncmp(a, b, na < nb ? na : nb);
            if (!c && na != nb)
                c = na < nb ? -1 : 1;
        }
        if (c)
            return c < 0 ? -1 : 1;
        a += na + (a[na] == '.');
        b += nb + (b[nb] == '.');
    }
    return !*b - !*a;
}

int hdx_ver_cmp(const hdx_ver *a, const hdx_ver *b, bool *comparable)
{
    bool same = strcmp(a->component, b->component) == 0;
    if (comparable)
        *comparable = same;
    if (!same)
        return 0;
    for (size_t i = 0; i < HDX_VER_PARTS; i++) {
        unsigned long x = i < a->n_parts ? a->part[i] : 0;
        unsigned long y = i < b->n_parts ? b->part[i] : 0;
        if (x != y)
            return x < y ? -1 : 1;
    }
    return pre_cmp(a->pre, b->pre);
}

/* The length of the version-looking run at s (digits, dots, letters,
 * '-', '+'), without a trailing '.' or '-' (the end of a sentence). */
static size_t version_run(const char *s, const char *end)
{
    size_t n = 0;
    while (s + n < end && (isalnum((unsigned char)s[n]) || s[n] == '.' ||
                           s[n] == '-' || s[n] == '+'))
        n++;
    while (n && (s[n - 1] == '.' || s[n - 1] == '-'))
        n--;
    return n;
}

/* A dotted version (at least two numbers) at s? Copies it into out. */
static bool take_version(const char *s, const char *end,
                         char out[HDX_VER_TEXT])
{
    if (s < end && (*s == 'v' || *s == 'V'))
        s++;
    size_t n = version_run(s, end);
    if (n == 0 || n >= HDX_VER_TEXT || !isdigit((unsigned char)*s))
        return false;
    char tmp[HDX_VER_TEXT];
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    hdx_ver v;
    if (!hdx_ver_parse(tmp, &v) || v.n_parts < 2)
        return false;
    memcpy(out, tmp, n + 1);
    return true;
}

bool hdx_ver_find(const char *text, size_t len, char out[HDX_VER_TEXT])
{
    static const char *const words[] = {"version", "ver", "build",
                                        "release"};
    out[0] = '\0';
    const char *end = text + len;
    for (const char *p = text; p < end; p++) {
        if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '.'))
            continue; /* only at the start of a word */
        for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
            size_t wn = strlen(words[k]);
            if ((size_t)(end - p) <= wn || strncasecmp(p, words[k], wn) ||
                isalpha((unsigned char)p[wn]))
                continue;
            const char *q = p + wn;
            while (q < end && (*q == ' ' || *q == ':' || *q == '=' ||
                               *q == '\t' || *q == '.'))
                q++;
            if (q > p + wn && take_version(q, end, out))
                return true;
        }
        if ((*p == 'v' || *p == 'V') && take_version(p, end, out))
            return true;
    }
    return false;
}

hdx_ver_fit hdx_ver_fit_of(const char *customer, const char *fixed_in,
                           const char *const *versions, size_t n)
{
    hdx_ver c, f, v;
    bool comparable;
    if (!customer || !hdx_ver_parse(customer, &c))
        return HDX_FIT_UNKNOWN;
    bool has_fix = fixed_in && hdx_ver_parse(fixed_in, &f) &&
                   (hdx_ver_cmp(&c, &f, &comparable), comparable);
    if (has_fix && hdx_ver_cmp(&f, &c, NULL) <= 0)
        return HDX_FIT_FIXED;
    bool any = false, below_all = true, listed = false;
    for (size_t i = 0; i < n; i++) {
        if (!versions[i] || !hdx_ver_parse(versions[i], &v))
            continue;
        int d = hdx_ver_cmp(&c, &v, &comparable);
        if (!comparable)
            continue;
        any = true;
        below_all = below_all && d < 0;
        listed = listed || d == 0;
    }
    if (any && below_all)
        return HDX_FIT_TOO_OLD;
    if (has_fix)
        return HDX_FIT_UPGRADE;
    return listed ? HDX_FIT_AFFECTED : HDX_FIT_UNKNOWN;
}

bool hdx_ver_fit_demoted(hdx_ver_fit f)
{
    return f == HDX_FIT_FIXED || f == HDX_FIT_TOO_OLD;
}
