/*
 * options.c - helpdex-serve's command line (see options.h).
 */
#include "options.h"

#include "routes.h"

#include "analytics/retention.h"

#include "hdx/hdx.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs(
        "Usage: helpdex-serve --db DIR [options]\n"
        "\n"
        "Serve a helpdex index over HTTP: the JSON API (docs/api.md) and the\n"
        "self-service help center.  New commits of the index are picked up\n"
        "within a second, without a restart.\n"
        "\n"
        "Options:\n"
        "  --db DIR            index built by helpdex-index (required)\n"
        "  --listen ADDR:PORT  address to bind (default 127.0.0.1:8080)\n"
        "  --port N            port on 127.0.0.1 (0: any free port)\n"
        "  --port-file FILE    write the bound port to FILE once listening\n"
        "  --threads N         worker threads (default 4)\n"
        "  --tokens FILE       bearer tokens for agents ('token level name'\n"
        "                      per line; must not be group/world-readable)\n"
        "  --assets DIR        help center assets (default: ./web)\n"
        "  --corpus DIR        the corpus the index was built from: serves\n"
        "                      the images and attachments articles reference\n"
        "                      (default: none; images show a placeholder)\n"
        "  --config FILE       help center branding (docs/help-center.md)\n"
        "  --public-url URL    the help center's public address, e.g.\n"
        "                      https://example.com/help: the base of sitemap,\n"
        "                      robots.txt and canonical URLs (default: http://\n"
        "                      and the request's Host header)\n"
        "  --feedback-db FILE  SQLite file for article feedback (default: none;\n"
        "                      POST /api/feedback then answers 503)\n"
        "  --analytics-db FILE SQLite file of search analytics events\n"
        "                      (docs/analytics.md; default: none, nothing is\n"
        "                      recorded)\n"
        "  --analytics-retention DAYS\n"
        "                      delete analytics events older than DAYS days\n"
        "                      (default 90)\n"
        "  --max-connections N connections open at once (default 1024)\n"
        "  --max-per-ip N      connections from one address (default 64;\n"
        "                      0: no limit, e.g. behind a reverse proxy)\n"
        "  --timeout S         close a connection idle for S seconds\n"
        "                      (default 10)\n"
        "  --log-format FMT    access log on stderr: 'text' (default) or\n"
        "                      'json', one JSON object per line\n"
        "                      (docs/operations.md)\n"
        "  --trusted-proxy ADDR\n"
        "                      a reverse proxy's exact IPv4 or IPv6 address\n"
        "                      (repeatable): only its X-Forwarded-For names\n"
        "                      the client in the log\n"
        "  --quiet             no per-request log lines\n"
        "  --help, --version\n",
        f);
}
static bool parse_listen(const char *s, struct sockaddr_in *sa)
{
    char host[256];
    const char *colon = strrchr(s, ':');
    if (!colon || (size_t)(colon - s) >= sizeof host)
        return false;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535)
        return false;
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (!strcmp(host, "localhost"))
        strcpy(host, "127.0.0.1");
    return inet_pton(AF_INET, host, &sa->sin_addr) == 1;
}


/* A whole-number option in [min, max]; false (with a message) if not. */
static bool num_opt(const char *name, const char *arg, long min, long max,
                    long *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (!*arg || *end || v < min || v > max) {
        fprintf(stderr, "helpdex-serve: --%s: expected %ld to %ld, got "
                        "'%s'\n", name, min, max, arg);
        return false;
    }
    *out = v;
    return true;
}

/* The options that must agree with each other; the exit status, or -1. */
static int check_options(serve_options *o)
{
    if (!o->db) {
        fprintf(stderr, "helpdex-serve: --db DIR is required (see --help)\n");
        return 2;
    }
    /* One address must not be able to take every connection: the rest
     * is the reserve that keeps /healthz and everyone else answered. */
    if (o->max_per_ip >= o->max_conns) {
        fprintf(stderr, "helpdex-serve: --max-per-ip (%ld) must be below "
                        "--max-connections (%ld), or 0 for no limit\n",
                o->max_per_ip, o->max_conns);
        return 2;
    }
    if (o->max_conns < o->threads) {
        fprintf(stderr, "helpdex-serve: --max-connections (%ld) must be at "
                        "least --threads (%ld)\n", o->max_conns, o->threads);
        return 2;
    }
    if (!parse_listen(o->listen_at, &o->addr)) {
        fprintf(stderr, "helpdex-serve: --listen: expected IPv4:PORT such as "
                        "127.0.0.1:8080, got '%s'\n", o->listen_at);
        return 2;
    }
    return -1;
}

/* --log-format, --trusted-proxy and --quiet; false (with a message) for
 * a bad value. */
static bool observe_opt(int c, const char *arg, serve_options *o)
{
    if (c == 'q') {
        o->quiet = true;
    } else if (c == 'L') {
        if (!access_log_format_parse(arg, &o->log_format)) {
            fprintf(stderr, "helpdex-serve: --log-format: expected 'text' "
                            "or 'json', got '%s'\n", arg);
            return false;
        }
    } else if (!proxy_list_add(&o->proxies, arg)) {
        fprintf(stderr, "helpdex-serve: --trusted-proxy: expected an exact "
                        "IPv4 or IPv6 address, got '%s'\n", arg);
        return false;
    }
    return true;
}

int serve_options_parse(int argc, char **argv, serve_options *o)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"port", required_argument, NULL, 'p'},
        {"port-file", required_argument, NULL, 'P'},
        {"threads", required_argument, NULL, 't'},
        {"tokens", required_argument, NULL, 'T'},
        {"assets", required_argument, NULL, 'a'},
        {"corpus", required_argument, NULL, 'K'},
        {"config", required_argument, NULL, 'c'},
        {"feedback-db", required_argument, NULL, 'f'},
        {"max-connections", required_argument, NULL, 'C'},
        {"max-per-ip", required_argument, NULL, 'I'},
        {"timeout", required_argument, NULL, 'O'},
        {"public-url", required_argument, NULL, 'U'},
        {"sitemap-max-urls", required_argument, NULL, 'M'}, /* hidden */
        {"print-routes", no_argument, NULL, 'R'}, /* hidden: for tests */
        {"log-format", required_argument, NULL, 'L'},
        {"trusted-proxy", required_argument, NULL, 'X'},
        {"quiet", no_argument, NULL, 'q'},
        {"analytics-db", required_argument, NULL, 'A'},
        {"analytics-retention", required_argument, NULL, 'N'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->listen_at = "127.0.0.1:8080";
    o->threads = 4;
    o->max_conns = 1024;
    o->max_per_ip = 64;
    o->timeout = 10;
    o->analytics_retention = ANALYTICS_RETENTION_DEFAULT;
    int c;
    while ((c = getopt_long(argc, argv, "d:l:p:P:t:T:a:c:f:qhV", longopts,
                            NULL)) != -1) {
        bool ok = true;
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'l': o->listen_at = optarg; break;
        case 'p':
            snprintf(o->portbuf, sizeof o->portbuf, "127.0.0.1:%s", optarg);
            o->listen_at = o->portbuf;
            break;
        case 'P': o->port_file = optarg; break;
        case 't': ok = num_opt("threads", optarg, 1, 64, &o->threads); break;
        case 'C':
            ok = num_opt("max-connections", optarg, 1, 65536, &o->max_conns);
            break;
        case 'I':
            ok = num_opt("max-per-ip", optarg, 0, 65535, &o->max_per_ip);
            break;
        case 'O': ok = num_opt("timeout", optarg, 1, 3600, &o->timeout); break;
        case 'U': o->web.public_url = optarg; break;
        case 'M': /* hidden: small sitemap files, for tests */
            ok = num_opt("sitemap-max-urls", optarg, 1, 50000, &o->sitemap_max);
            o->web.sitemap_max = (unsigned)o->sitemap_max;
            break;
        case 'R': route_print(stdout); return 0;
        case 'T': o->tokens = optarg; break;
        case 'a': o->web.assets_dir = optarg; break;
        case 'K': o->web.corpus = optarg; break;
        case 'c': o->web.config_path = optarg; break;
        case 'f': o->web.feedback_db = optarg; break;
        case 'A': o->analytics_db = optarg; break;
        case 'N':
            ok = num_opt("analytics-retention", optarg, 1,
                         ANALYTICS_RETENTION_MAX, &o->analytics_retention);
            break;
        case 'L': case 'X': case 'q': ok = observe_opt(c, optarg, o); break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("helpdex-serve %s\n", HDX_VERSION); return 0;
        default: usage(stderr); return 2;
        }
        if (!ok)
            return 2;
    }
    return check_options(o);
}

void serve_options_clear(serve_options *o)
{
    proxy_list_clear(&o->proxies);
}
