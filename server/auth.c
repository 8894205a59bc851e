/*
 * auth.c - tokens file and constant-time token check (see auth.h).
 *
 * Every presented token is compared against every stored token over a fixed
 * width, accumulating differences without branching, so the time taken
 * does not depend on how much of a token matched or on which one did.
 */
#include "auth.h"

#include "session.h"

#include "hdx/alloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TOKEN_MAX 128

typedef struct entry {
    unsigned char token[TOKEN_MAX];
    size_t len;
    hdx_audience level;
    char *name;
} entry;

struct auth {
    entry *e;
    size_t n;
};

void auth_free(auth *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++) {
        memset(a->e[i].token, 0, TOKEN_MAX);
        free(a->e[i].name);
    }
    free(a->e);
    free(a);
}

/* Fail the load: free what was read, fill err, leave *out NULL. */
static hdx_status fail(auth *a, hdx_error *err, hdx_status st,
                       const char *msg)
{
    auth_free(a);
    return hdx_error_set(err, st, "auth_load", "%s", msg);
}

hdx_status auth_load(const char *path, auth **out, hdx_error *err)
{
    *out = NULL;
    auth *a = hdx_xcalloc(1, sizeof *a);
    char msg[512];
    size_t msg_len = sizeof msg;
    if (!path) {
        *out = a;
        return HDX_OK;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(msg, msg_len, "%s: %s", path, strerror(errno));
        return fail(a, err, HDX_EIO, msg);
    }
    if (st.st_mode & 077) {
        snprintf(msg, msg_len,
                 "%s: tokens file is readable by other users (mode %04o); "
                 "run: chmod 600 %s",
                 path, (unsigned)(st.st_mode & 07777), path);
        return fail(a, err, HDX_EIO, msg);
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(msg, msg_len, "%s: %s", path, strerror(errno));
        return fail(a, err, HDX_EIO, msg);
    }
    char line[1024];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char tok[256], lvl[64], name[256];
        int k = sscanf(line, "%255s %63s %255s", tok, lvl, name);
        if (k <= 0)
            continue;
        int level = k >= 2 ? hdx_audience_parse(lvl) : -1;
        const char *problem = NULL;
        if (k < 3)
            problem = "expected 'token level name'";
        else if (level < 0)
            problem = "level must be public, agent or internal";
        else if (strlen(tok) < 16 || strlen(tok) > TOKEN_MAX)
            problem = "token must be 16 to 128 characters";
        if (problem) {
            snprintf(msg, msg_len, "%s:%d: %s", path, lineno, problem);
            fclose(f);
            hdx_status st2 = fail(a, err, HDX_EPARSE, msg);
            if (err)
                err->line = lineno;
            return st2;
        }
        a->e = hdx_xrealloc(a->e, (a->n + 1) * sizeof(entry));
        entry *e = &a->e[a->n++];
        memset(e->token, 0, TOKEN_MAX);
        e->len = strlen(tok);
        memcpy(e->token, tok, e->len);
        e->level = (hdx_audience)level;
        e->name = hdx_xstrdup(name);
    }
    fclose(f);
    *out = a;
    return HDX_OK;
}

bool auth_check(const auth *a, const char *header, hdx_audience *level,
                const char **name)
{
    *level = HDX_AUD_PUBLIC;
    *name = NULL;
    if (!header || strncasecmp(header, "Bearer ", 7) != 0)
        return false;
    const char *tok = header + 7;
    while (*tok == ' ')
        tok++;
    size_t len = strlen(tok);
    while (len && isspace((unsigned char)tok[len - 1]))
        len--;
    return auth_check_token(a, tok, len, level, name);
}

bool auth_check_token(const auth *a, const char *tok, size_t len,
                      hdx_audience *level, const char **name)
{
    *level = HDX_AUD_PUBLIC;
    *name = NULL;
    unsigned char given[TOKEN_MAX];
    memset(given, 0, sizeof given);
    memcpy(given, tok, len < TOKEN_MAX ? len : TOKEN_MAX);
    bool found = false;
    for (size_t i = 0; a && i < a->n; i++) {
        unsigned diff = (unsigned)(a->e[i].len ^ len);
        for (size_t k = 0; k < TOKEN_MAX; k++)
            diff |= (unsigned)(a->e[i].token[k] ^ given[k]);
        /* Record the match without an early exit. */
        bool match = diff == 0;
        if (match) {
            found = true;
            *level = a->e[i].level;
            *name = a->e[i].name;
        }
    }
    memset(given, 0, sizeof given);
    return found;
}

/* The session of r's cookie, if it is live and its token still is in
 * `a` at level agent or above: then r gets the token's level and name as
 * if it had sent it. */
static void session_request(const auth *a, request *r)
{
    const char *sid = http_cookie(r, SESSION_COOKIE);
    char tok[TOKEN_MAX + 1], csrf[SESSION_HEX + 1];
    if (!sid || !session_find(sid, http_now_ms() / 1000.0, tok, sizeof tok,
                              csrf))
        return;
    hdx_audience level;
    const char *name;
    if (auth_check_token(a, tok, strlen(tok), &level, &name) &&
        level >= HDX_AUD_AGENT) {
        r->level = level;
        r->caller = name;
        r->has_token = r->signed_in = true;
        snprintf(r->session_id, sizeof r->session_id, "%s", sid);
        memcpy(r->csrf, csrf, sizeof r->csrf);
    } else {
        session_end(sid); /* its token was revoked, or is no agent's */
    }
    memset(tok, 0, sizeof tok);
}

void auth_request(const auth *a, request *r)
{
    const char *authz = http_header(r, "Authorization");
    if (!authz) {
        session_request(a, r);
        return;
    }
    if (auth_check(a, authz, &r->level, &r->caller))
        r->has_token = true;
    else
        r->bad_token = true;
}
