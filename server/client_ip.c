/*
 * client_ip.c - trusted proxies and X-Forwarded-For (see client_ip.h).
 */
#include "client_ip.h"

#include "hdx/alloc.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

bool ip_parse(const char *s, size_t n, struct in6_addr *out)
{
    char buf[CLIENT_IP_MAX + 2];
    if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
        s++;
        n -= 2;
    }
    if (n == 0 || n >= CLIENT_IP_MAX)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    struct in_addr v4;
    if (inet_pton(AF_INET, buf, &v4) == 1) {
        memset(out, 0, sizeof *out);
        out->s6_addr[10] = out->s6_addr[11] = 0xff;
        memcpy(&out->s6_addr[12], &v4, 4);
        return true;
    }
    return inet_pton(AF_INET6, buf, out) == 1;
}

void ip_format(const struct in6_addr *a, char out[CLIENT_IP_MAX])
{
    if (IN6_IS_ADDR_V4MAPPED(a))
        inet_ntop(AF_INET, &a->s6_addr[12], out, CLIENT_IP_MAX);
    else
        inet_ntop(AF_INET6, a, out, CLIENT_IP_MAX);
}

bool ip_from_sockaddr(const struct sockaddr *sa, struct in6_addr *out)
{
    if (!sa)
        return false;
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
        *out = s6->sin6_addr;
        return true;
    }
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
        memset(out, 0, sizeof *out);
        out->s6_addr[10] = out->s6_addr[11] = 0xff;
        memcpy(&out->s6_addr[12], &s4->sin_addr, 4);
        return true;
    }
    return false;
}

bool proxy_list_add(proxy_list *l, const char *text)
{
    struct in6_addr a;
    if (!text || !ip_parse(text, strlen(text), &a))
        return false;
    l->addr = hdx_xrealloc(l->addr, (l->n + 1) * sizeof *l->addr);
    l->addr[l->n++] = a;
    return true;
}

void proxy_list_clear(proxy_list *l)
{
    free(l->addr);
    l->addr = NULL;
    l->n = 0;
}

bool proxy_list_has(const proxy_list *l, const struct in6_addr *a)
{
    for (size_t i = 0; i < l->n; i++)
        if (!memcmp(&l->addr[i], a, sizeof *a))
            return true;
    return false;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/*
 * Walk one header value from its right end.  *cur is the hop the walk
 * has reached (a trusted one); returns true to go on to the header
 * before this one, false when the walk ended (at the client or at an
 * entry that is not an address).
 */
static bool walk_value(const proxy_list *l, const char *v,
                       struct in6_addr *cur)
{
    size_t end = strlen(v);
    for (;;) {
        size_t start = end;
        while (start > 0 && v[start - 1] != ',')
            start--;
        size_t a = start, b = end;
        while (a < b && is_space(v[a]))
            a++;
        while (b > a && is_space(v[b - 1]))
            b--;
        if (a < b) { /* empty entries ("a,,b") are skipped */
            struct in6_addr next;
            if (!ip_parse(v + a, b - a, &next))
                return false;
            *cur = next;
            if (!proxy_list_has(l, cur))
                return false;
        }
        if (start == 0)
            return true;
        end = start - 1; /* before the comma */
    }
}

void client_ip(const proxy_list *l, const struct in6_addr *peer,
               const char *const *xff, size_t n, char out[CLIENT_IP_MAX])
{
    if (!peer) {
        strcpy(out, "-");
        return;
    }
    struct in6_addr cur = *peer;
    if (proxy_list_has(l, peer))
        for (size_t i = n; i > 0; i--)
            if (xff[i - 1] && !walk_value(l, xff[i - 1], &cur))
                break;
    ip_format(&cur, out);
}
