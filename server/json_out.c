/*
 * json_out.c - streaming JSON output that matches jansson (see json_out.h).
 */
#include "json_out.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Decode one UTF-8 sequence at s[0..n); 0 if it is not valid. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xe0) == 0xc0) {
        len = 2, v = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        len = 3, v = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return len;
}

/* Append code point cp as jansson escapes it (it is not plain ASCII). */
static void add_escaped(hdx_buf *b, uint32_t cp)
{
    char seq[16];
    switch (cp) {
    case '\\': hdx_buf_add(b, "\\\\", 2); break;
    case '"': hdx_buf_add(b, "\\\"", 2); break;
    case '\b': hdx_buf_add(b, "\\b", 2); break;
    case '\f': hdx_buf_add(b, "\\f", 2); break;
    case '\n': hdx_buf_add(b, "\\n", 2); break;
    case '\r': hdx_buf_add(b, "\\r", 2); break;
    case '\t': hdx_buf_add(b, "\\t", 2); break;
    default:
        if (cp < 0x10000) {
            snprintf(seq, sizeof seq, "\\u%04X", (unsigned)cp);
        } else {
            cp -= 0x10000;
            snprintf(seq, sizeof seq, "\\u%04X\\u%04X",
                     (unsigned)(0xd800 | ((cp & 0xffc00) >> 10)),
                     (unsigned)(0xdc00 | (cp & 0x3ff)));
        }
        hdx_buf_adds(b, seq);
    }
}

void jout_strn(hdx_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;
    hdx_buf_reserve(b, n + 2);
    hdx_buf_addc(b, '"');
    while (i < n) {
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            run++;
            continue;
        }
        if (run)
            hdx_buf_add(b, p + i - run, run);
        run = 0;
        uint32_t cp;
        size_t len = utf8_next(p + i, n - i, &cp);
        if (!len) {
            cp = 0xfffd;
            len = 1;
        }
        i += len;
        add_escaped(b, cp);
    }
    if (run)
        hdx_buf_add(b, p + i - run, run);
    hdx_buf_addc(b, '"');
}

void jout_str(hdx_buf *b, const char *s)
{
    if (s)
        jout_strn(b, s, strlen(s));
    else
        hdx_buf_adds(b, "null");
}

void jout_key(hdx_buf *b, const char *key)
{
    jout_str(b, key);
    hdx_buf_addc(b, ':');
}

void jout_value(hdx_buf *b, const json_t *v)
{
    if (!v) {
        hdx_buf_adds(b, "null");
        return;
    }
    size_t need = json_dumpb(v, NULL, 0, JOUT_FLAGS | JSON_ENCODE_ANY);
    hdx_buf_reserve(b, need + 1);
    json_dumpb(v, b->data + b->len, need, JOUT_FLAGS | JSON_ENCODE_ANY);
    b->len += need;
    b->data[b->len] = '\0';
}

void jout_real(hdx_buf *b, double d)
{
    json_t *v = json_real(d);
    jout_value(b, v);
    json_decref(v);
}

/* ---- raw JSON ----------------------------------------------------------- */

static size_t skip_ws(const char *s, size_t i, size_t n)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
                     s[i] == '\r'))
        i++;
    return i;
}

/* End of the string starting at s[i] == '"' (index after the closing
 * quote), or 0 if it does not end. */
static size_t skip_string(const char *s, size_t i, size_t n)
{
    for (i++; i < n; i++) {
        if (s[i] == '\\')
            i++;
        else if (s[i] == '"')
            return i + 1;
    }
    return 0;
}

/* End of the value starting at s[i], or 0 if it is malformed. */
static size_t skip_value(const char *s, size_t i, size_t n)
{
    if (i >= n)
        return 0;
    if (s[i] == '"')
        return skip_string(s, i, n);
    if (s[i] == '{' || s[i] == '[') {
        int depth = 0;
        while (i < n) {
            char c = s[i];
            if (c == '"') {
                i = skip_string(s, i, n);
                if (!i)
                    return 0;
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else if (c == '}' || c == ']')
                if (--depth == 0)
                    return i + 1;
            i++;
        }
        return 0;
    }
    size_t start = i;
    while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' &&
           s[i] != ' ' && s[i] != '\n' && s[i] != '\t' && s[i] != '\r')
        i++;
    return i > start ? i : 0;
}

bool jraw_parse(const char *s, size_t n, jraw *out)
{
    out->n = 0;
    size_t i = skip_ws(s, 0, n);
    if (i >= n || s[i] != '{')
        return false;
    i = skip_ws(s, i + 1, n);
    if (i < n && s[i] == '}')
        return true;
    while (i < n && out->n < JRAW_MAX) {
        jraw_member *m = &out->m[out->n++];
        size_t kend = s[i] == '"' ? skip_string(s, i, n) : 0;
        if (!kend)
            return false;
        m->key = s + i + 1;
        m->key_len = kend - i - 2;
        i = skip_ws(s, kend, n);
        if (i >= n || s[i] != ':')
            return false;
        i = skip_ws(s, i + 1, n);
        size_t vend = skip_value(s, i, n);
        if (!vend)
            return false;
        m->val = s + i;
        m->val_len = vend - i;
        i = skip_ws(s, vend, n);
        if (i < n && s[i] == '}')
            return true;
        if (i >= n || s[i] != ',')
            return false;
        i = skip_ws(s, i + 1, n);
    }
    return false;
}

const char *jraw_find(const jraw *o, const char *key, size_t *len)
{
    size_t kn = strlen(key);
    for (size_t i = 0; i < o->n; i++)
        if (o->m[i].key_len == kn && !memcmp(o->m[i].key, key, kn)) {
            *len = o->m[i].val_len;
            return o->m[i].val;
        }
    return NULL;
}

bool jraw_plain_string(const char *val, size_t len, const char **s,
                       size_t *slen)
{
    if (len < 2 || val[0] != '"' || val[len - 1] != '"' ||
        memchr(val, '\\', len))
        return false;
    *s = val + 1;
    *slen = len - 2;
    return true;
}

/* The escapes jansson itself writes (\u only for control characters). */
static bool jansson_escape(const char *s, size_t n)
{
    if (n < 2)
        return false;
    if (strchr("\"\\bfnrt", s[1]))
        return true;
    if (s[1] != 'u' || n < 6 || s[2] != '0' || s[3] != '0' || s[4] > '1')
        return false;
    return (s[5] >= '0' && s[5] <= '9') || (s[5] >= 'A' && s[5] <= 'F');
}

bool jout_raw(hdx_buf *b, const char *val, size_t len)
{
    bool in_str = false;
    hdx_buf_reserve(b, len);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)val[i];
        if (!in_str && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
            i++;
        } else if (!in_str && (c == '-' || (c >= '0' && c <= '9'))) {
            size_t k = i;
            while (k < len && strchr("-+0123456789.eE", val[k]))
                k++;
            /* A real: jansson may print it otherwise. */
            if (memchr(val + i, '.', k - i) || memchr(val + i, 'e', k - i) ||
                memchr(val + i, 'E', k - i))
                return false;
            hdx_buf_add(b, val + i, k - i);
            i = k;
        } else if (!in_str || c == '"' || (c < 0x80 && c != '\\')) {
            in_str = in_str != (c == '"');
            hdx_buf_addc(b, (char)c);
            i++;
        } else if (c == '\\') {
            if (!jansson_escape(val + i, len - i))
                return false;
            size_t k = val[i + 1] == 'u' ? 6 : 2;
            hdx_buf_add(b, val + i, k);
            i += k;
        } else {
            uint32_t cp;
            size_t k = utf8_next((const unsigned char *)val + i, len - i, &cp);
            if (!k)
                return false;
            add_escaped(b, cp);
            i += k;
        }
    }
    return !in_str;
}
