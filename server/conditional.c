/*
 * conditional.c - entity tags, 304s and the final reply step (see
 * conditional.h).  If-None-Match is a comma list of entity tags; a tag is
 * a quoted string that holds no comma, so splitting at commas is exact.
 */
#include "conditional.h"

#include "compress.h"

#include "hdx/alloc.h"
#include "hdx/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The opaque part of tag [s, s + n) (without W/, quotes and "-gz"). */
static void opaque(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t'))
        (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
    if (*n >= 2 && (*s)[0] == 'W' && (*s)[1] == '/')
        *s += 2, *n -= 2;
    if (*n >= 2 && (*s)[0] == '"' && (*s)[*n - 1] == '"')
        (*s)++, *n -= 2;
    if (*n >= 3 && !memcmp(*s + *n - 3, "-gz", 3))
        *n -= 3;
}

bool conditional_match(const char *inm, const char *etag)
{
    if (!inm || !etag)
        return false;
    const char *want = etag;
    size_t want_n = strlen(etag);
    opaque(&want, &want_n);
    for (const char *p = inm; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *t = p;
        size_t tn = len;
        opaque(&t, &tn);
        if ((tn == 1 && *t == '*' && len) ||
            (tn == want_n && !memcmp(t, want, tn)))
            return true;
        p += len + (comma != NULL);
    }
    return false;
}

bool conditional_etag(const request *r, reply *rep, const char *etag)
{
    reply_header(rep, "ETag", etag);
    return conditional_match(http_header(r, "If-None-Match"), etag);
}

void conditional_not_modified(reply *rep)
{
    free(rep->body);
    rep->body = hdx_xstrdup("");
    rep->len = 0;
    rep->status = 304;
    rep->took_off = rep->took_len = 0;
}

void conditional_body_tag(const reply *rep, char out[CONDITIONAL_TAG_LEN])
{
    uint64_t h;
    if (rep->took_len) {
        /* FNV-1a is a running hash: hash the two parts as one. */
        size_t n = rep->len - rep->took_len;
        char *tmp = hdx_xmalloc(n ? n : 1);
        memcpy(tmp, rep->body, rep->took_off);
        memcpy(tmp + rep->took_off, rep->body + rep->took_off + rep->took_len,
               rep->len - rep->took_off - rep->took_len);
        h = hdx_hash64(tmp, n);
        free(tmp);
    } else {
        h = hdx_hash64(rep->body, rep->len);
    }
    char hex[17];
    hdx_hash64_hex(h, hex);
    snprintf(out, CONDITIONAL_TAG_LEN, "%s\"%s\"", rep->took_len ? "W/" : "", hex);
}

/* Append "-gz" inside the quotes of rep's ETag, if it has one. */
static void etag_gz(reply *rep)
{
    for (size_t i = 0; i < rep->n_hdr; i++) {
        if (strcasecmp(rep->hdr[i].name, "ETag") != 0)
            continue;
        char *old = rep->hdr[i].value;
        size_t n = strlen(old);
        if (n < 2 || old[n - 1] != '"')
            return;
        char *v = hdx_xmalloc(n + 4);
        memcpy(v, old, n - 1);
        memcpy(v + n - 1, "-gz\"", 5);
        free(old);
        rep->hdr[i].value = v;
        return;
    }
}

void reply_finish(const request *r, reply *rep)
{
    if (!http_is_get(r) || !rep->body)
        return;
    bool gz = compress_wanted(r, rep);
    const char *tag = reply_header_get(rep, "ETag");
    if (rep->status == 200 && tag) {
        /* Set by the handler (media) or the response cache. */
        if (conditional_match(http_header(r, "If-None-Match"), tag))
            conditional_not_modified(rep);
    } else if (rep->status == 200) {
        char mine[CONDITIONAL_TAG_LEN];
        conditional_body_tag(rep, mine);
        if (conditional_etag(r, rep, mine))
            conditional_not_modified(rep);
    }
    if (gz && rep->status == 200)
        compress_apply(rep);
    if (gz) /* a 304 names the representation it stands for */
        etag_gz(rep);
}
