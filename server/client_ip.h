/*
 * client_ip.h - who the client is: the TCP peer, or what a trusted
 * reverse proxy says in X-Forwarded-For.
 *
 * Behind nginx every connection comes from the proxy, and the client's
 * address is only in X-Forwarded-For, which anyone can send.  So the
 * header is believed only when the TCP peer is one of the operator's
 * proxies (--trusted-proxy ADDR, exact IPv4 or IPv6 addresses, no
 * ranges).  Then the list is read from the right, the end the proxies
 * appended to: the first address that is not itself a trusted proxy is
 * the client (nginx's real_ip_recursive).  Anything a client put further
 * left is never looked at.  An entry that is not an address ends the walk
 * at the last hop that was trusted, so garbage can never become the
 * client; a list of only trusted proxies gives its leftmost address.
 *
 * Addresses are kept as IPv6 (IPv4 as ::ffff:a.b.c.d) so one comparison
 * serves both, and printed back in their usual form.  The list is filled
 * once at startup and only read afterwards, so reading it needs no lock.
 */
#ifndef HDX_SERVER_CLIENT_IP_H
#define HDX_SERVER_CLIENT_IP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#define CLIENT_IP_MAX 46 /* INET6_ADDRSTRLEN */

typedef struct proxy_list {
    struct in6_addr *addr; /* owned */
    size_t n;
} proxy_list;

/* Add the exact address `text` ("10.0.0.1", "::1"); false if it is not
 * one (ranges, names and ports are refused). */
bool proxy_list_add(proxy_list *l, const char *text);
/* Accepts a zeroed list. */
void proxy_list_clear(proxy_list *l);
bool proxy_list_has(const proxy_list *l, const struct in6_addr *a);

/* Parse the n bytes at s, an IPv4 or IPv6 address (IPv6 optionally in
 * brackets), into *out; false if they are not exactly one. */
bool ip_parse(const char *s, size_t n, struct in6_addr *out);
/* The usual text form (IPv4-mapped addresses as dotted quads). */
void ip_format(const struct in6_addr *a, char out[CLIENT_IP_MAX]);
/* The address of an AF_INET or AF_INET6 socket address; false for
 * anything else (and for NULL). */
bool ip_from_sockaddr(const struct sockaddr *sa, struct in6_addr *out);

/*
 * The client's address in text: `peer` (NULL: unknown, "-"), or, when
 * `peer` is in `l`, the rightmost untrusted address of the X-Forwarded-
 * For header values xff[0..n) (in the order received; several headers
 * are one list).  See the top of this file.
 */
void client_ip(const proxy_list *l, const struct in6_addr *peer,
               const char *const *xff, size_t n, char out[CLIENT_IP_MAX]);

#endif
