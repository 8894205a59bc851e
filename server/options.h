/*
 * options.h - helpdex-serve's command line.
 *
 * One place knows every option: its name, its default, its range, and
 * the checks between options.  main.c only reads the parsed result.  A
 * new option goes here, in usage(), and in man/helpdex-serve.1 (the man
 * page test compares it with --help).
 */
#ifndef HDX_SERVER_OPTIONS_H
#define HDX_SERVER_OPTIONS_H

#include "access_log.h"
#include "client_ip.h"
#include "web.h"

#include <netinet/in.h>
#include <stdbool.h>

typedef struct serve_options {
    const char *db, *listen_at, *port_file, *tokens;
    struct sockaddr_in addr; /* listen_at, parsed */
    web_config web;
    char portbuf[64];
    long threads;
    long max_conns, max_per_ip, timeout;
    long sitemap_max;
    access_log_format log_format;
    proxy_list proxies; /* --trusted-proxy */
    const char *analytics_db; /* --analytics-db; NULL: recording off */
    long analytics_retention; /* --analytics-retention, days */
    bool quiet;
} serve_options;

/*
 * Parse argv into *o.  Returns -1 to go on serving, or the exit status
 * (0 after --help, --version or --print-routes; 2 for a bad option, with
 * a message on stderr naming it).  Strings in *o point into argv.  Call
 * serve_options_clear() in either case.
 */
int serve_options_parse(int argc, char **argv, serve_options *o);

/* Free what serve_options_parse() allocated (the proxy list). */
void serve_options_clear(serve_options *o);

#endif
