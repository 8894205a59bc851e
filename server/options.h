/*
 * options.h - helpdex-serve's options: the command line and helpdex.conf.
 *
 * One place knows every option: its name, its default, its range, and
 * the checks between options.  main.c only reads the parsed result.  A
 * new option goes here, in usage(), in man/helpdex-serve.1 and in
 * man/helpdex.conf.5 (the man page test compares them with --help).
 *
 * The configuration file (--config FILE, conf_file.h) sets the same
 * options under the same names; it is read first, so the command line
 * overrides it.  A repeatable option (--listen, --trusted-proxy, --shard)
 * given on
 * the command line replaces the file's values.
 */
#ifndef HDX_SERVER_OPTIONS_H
#define HDX_SERVER_OPTIONS_H

#include "access_log.h"
#include "client_ip.h"
#include "listen.h"
#include "options_conf.h"
#include "web.h"

#include <stdbool.h>

/* Addresses one server listens on at most. */
#define SERVE_MAX_LISTEN 8
/* --shard options at most (shard_set.h's SHARD_SET_MAX). */
#define SERVE_MAX_SHARDS 32

typedef struct serve_options {
    const char *db, *port_file, *tokens;
    const char *config_path;          /* --config, or NULL */
    listen_addr listen[SERVE_MAX_LISTEN]; /* --listen, in order */
    size_t n_listen;
    web_config web;
    long cache_mb;                    /* --cache-mb */
    bool check_config;                /* --check-config: load, then exit */
    long threads;
    long max_conns, max_per_ip, timeout;
    long sitemap_max;
    long session_idle, session_max; /* seconds (0: session.h defaults) */
    access_log_format log_format;
    proxy_list proxies; /* --trusted-proxy */
    const char *analytics_db; /* --analytics-db; NULL: recording off */
    long analytics_retention; /* --analytics-retention, days */
    bool quiet;
    const char *shards[SERVE_MAX_SHARDS]; /* --shard, in order */
    size_t n_shards;
    bool shards_strict;       /* --shards-strict */
    long shard_timeout;       /* --shard-timeout, milliseconds */
    /* Private: the configuration file's options as arguments, which the
     * strings above may point into; freed by serve_options_clear(). */
    conf_args conf;
    char **all_args; /* argv[0], the file's arguments, then argv's */
} serve_options;

/*
 * Read the configuration file (if --config names one), then argv, into
 * *o.  Returns -1 to go on serving, or the exit status (0 after --help,
 * --version or --print-routes; 2 for a bad option, with a message on
 * stderr naming it, and FILE:LINE for one from the file).  Strings in *o
 * point into argv or into *o.  Call serve_options_clear() in either case.
 */
int serve_options_parse(int argc, char **argv, serve_options *o);

/* Free what serve_options_parse() allocated. */
void serve_options_clear(serve_options *o);

#endif
