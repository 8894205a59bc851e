/*
 * listen.c - parse the listen address and open its socket (listen.h).
 */
#include "listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The port after the host: digits only, at most 65535. */
static bool parse_port(const char *s, in_port_t *out)
{
    if (!*s || strlen(s) > 5 || strspn(s, "0123456789") != strlen(s))
        return false;
    long port = strtol(s, NULL, 10);
    if (port > 65535)
        return false;
    *out = htons((in_port_t)port);
    return true;
}

bool listen_parse(const char *s, listen_addr *out)
{
    memset(out, 0, sizeof *out);
    if (strlen(s) >= sizeof out->text)
        return false;
    snprintf(out->text, sizeof out->text, "%s", s);
    char host[sizeof out->text];
    const char *colon;
    bool v6 = s[0] == '[';
    if (v6) {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':')
            return false;
        memcpy(host, s + 1, (size_t)(close - s - 1));
        host[close - s - 1] = '\0';
        colon = close + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon)
            return false;
        memcpy(host, s, (size_t)(colon - s));
        host[colon - s] = '\0';
        if (!strcmp(host, "localhost"))
            strcpy(host, "127.0.0.1");
    }
    if (v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&out->sa;
        a->sin6_family = AF_INET6;
        out->len = sizeof *a;
        return parse_port(colon + 1, &a->sin6_port) &&
               inet_pton(AF_INET6, host, &a->sin6_addr) == 1;
    }
    struct sockaddr_in *a = (struct sockaddr_in *)&out->sa;
    a->sin_family = AF_INET;
    out->len = sizeof *a;
    return parse_port(colon + 1, &a->sin_port) &&
           inet_pton(AF_INET, host, &a->sin_addr) == 1;
}

int listen_open(const listen_addr *a, char *msg, size_t n)
{
    int family = a->sa.ss_family;
    int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    const char *step = "socket";
    if (fd >= 0) {
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (family == AF_INET6)
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
        step = "bind";
        if (bind(fd, (const struct sockaddr *)&a->sa, a->len) == 0) {
            step = "listen";
            if (listen(fd, 128) == 0)
                return fd;
        }
    }
    int e = errno;
    if (fd >= 0)
        close(fd);
    snprintf(msg, n, "cannot listen on %s: %s (%s)", a->text, strerror(e),
             step);
    return -1;
}

unsigned listen_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return 0;
    if (ss.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

void listen_url(const listen_addr *a, unsigned port, char *out, size_t n)
{
    char host[INET6_ADDRSTRLEN] = "?";
    if (a->sa.ss_family == AF_INET6) {
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)&a->sa)->sin6_addr,
                  host, sizeof host);
        snprintf(out, n, "http://[%s]:%u/", host, port);
    } else {
        inet_ntop(AF_INET, &((const struct sockaddr_in *)&a->sa)->sin_addr,
                  host, sizeof host);
        snprintf(out, n, "http://%s:%u/", host, port);
    }
}
