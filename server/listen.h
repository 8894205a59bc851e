/*
 * listen.h - the address helpdex-serve listens on, and its socket.
 *
 * helpdex-serve binds the socket itself and hands it to libmicrohttpd
 * (MHD_OPTION_LISTEN_SOCKET), so a failure can name the address and the
 * reason ("cannot listen on 127.0.0.1:8080: Address already in use"),
 * where MHD's own message said "Failed to bind to port 0", and so an
 * IPv6 address works like an IPv4 one.
 */
#ifndef HDX_SERVER_LISTEN_H
#define HDX_SERVER_LISTEN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

typedef struct listen_addr {
    struct sockaddr_storage sa;
    socklen_t len;
    char text[72]; /* as given, for messages: "127.0.0.1:8080", "[::1]:80" */
} listen_addr;

/*
 * Parse "IPV4:PORT", "localhost:PORT" (127.0.0.1) or "[IPV6]:PORT" into
 * *out; PORT 0 is any free port.  False for anything else (no host
 * names: a server's address is an address).
 */
bool listen_parse(const char *s, listen_addr *out);

/*
 * A non-blocking socket bound to `a` and listening: the descriptor, or
 * -1 with "cannot listen on ADDR: REASON" in msg[0..n).  An IPv6 socket
 * takes only IPv6 (IPV6_V6ONLY), so "[::]:8080" and "0.0.0.0:8080" can
 * both be served.  The caller closes it (MHD does, once given it).
 */
int listen_open(const listen_addr *a, char *msg, size_t n);

/* The port `fd` is bound to (after port 0: the one the kernel chose). */
unsigned listen_port(int fd);

/* "http://127.0.0.1:8080/" or "http://[::1]:8080/" for `a` at `port`. */
void listen_url(const listen_addr *a, unsigned port, char *out, size_t n);

#endif
