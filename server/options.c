/*
 * options.c - helpdex-serve's command line (see options.h).
 */
#include "options.h"

#include "base_path.h"
#include "routes.h"

#include "analytics/retention.h"

#include "hdx/alloc.h"
#include "hdx/hdx.h"
#include "hdx/xapian.h"

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
        "  --config FILE       the configuration file, helpdex.conf(5): any\n"
        "                      option below as 'name: value' (read first;\n"
        "                      the command line overrides it)\n"
        "  --check-config      read the configuration, the tokens, the\n"
        "                      branding and the index, say what is wrong or\n"
        "                      'configuration OK', and exit\n"
        "  --listen ADDR:PORT  address to bind, IPv4 or [IPv6] (repeatable;\n"
        "                      default 127.0.0.1:8080)\n"
        "  --port N            port on 127.0.0.1 (0: any free port)\n"
        "  --port-file FILE    write the bound port to FILE once listening\n"
        "  --threads N         worker threads (default 4)\n"
        "  --tokens FILE       bearer tokens for agents ('token level name'\n"
        "                      per line; must not be group/world-readable)\n"
        "  --assets DIR        help center assets (default: ./web)\n"
        "  --corpus DIR        the corpus the index was built from: serves\n"
        "                      the images and attachments articles reference\n"
        "                      (default: none; images show a placeholder)\n"
        "  --branding FILE     help center branding (docs/help-center.md)\n"
        "  --public-url URL    the help center's public address, e.g.\n"
        "                      https://example.com/help: the base of sitemap,\n"
        "                      robots.txt and canonical URLs (default: http://\n"
        "                      and the request's Host header)\n"
        "  --base-path PATH    serve under PATH, e.g. /help, behind a reverse\n"
        "                      proxy that passes the full path: every link,\n"
        "                      asset, redirect and cookie starts with it, and\n"
        "                      other paths answer 404 (default: none)\n"
        "  --feedback-db FILE  SQLite file for article feedback (default: none;\n"
        "                      POST /api/feedback then answers 503)\n"
        "  --analytics-db FILE SQLite file of search analytics events\n"
        "                      (docs/analytics.md; default: none, nothing is\n"
        "                      recorded and /admin says analytics are off)\n"
        "  --analytics-retention DAYS\n"
        "                      delete analytics events older than DAYS days\n"
        "                      (default 90)\n"
        "  --cache-mb N        memory for cached answers, in MiB (default 32;\n"
        "                      0: no cache)\n"
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
        "  --session-idle MIN  end an agent's sign-in session after MIN\n"
        "                      minutes without a request (default 30)\n"
        "  --session-max HOURS end it HOURS after sign-in, in use or not\n"
        "                      (default 12)\n"
        "  --shard SPEC        sharded mode: search this shard too, a local\n"
        "                      index path or tcp:HOST:PORT (an xapian-tcpsrv;\n"
        "                      repeatable); --db is then the metadata index\n"
        "                      (helpdex-index --split; docs/scaling-shards.md)\n"
        "  --shard-timeout MS  a remote shard that has not answered in MS\n"
        "                      milliseconds is left out (default 3000)\n"
        "  --shards-strict     a missing shard fails the search (503) instead\n"
        "                      of a partial answer\n"
        "  --quiet             no per-request log lines\n"
        "  --help, --version\n",
        f);
}
/* Where the option being read comes from: "" for the command line,
 * "FILE:LINE: " for the configuration file.  Every message about one
 * option starts with it. */
static char g_from[300];

/* A whole-number option in [min, max]; false (with a message) if not. */
static bool num_opt(const char *name, const char *arg, long min, long max,
                    long *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (!*arg || *end || v < min || v > max) {
        fprintf(stderr, "helpdex-serve: %s--%s: expected %ld to %ld, got "
                        "'%s'\n", g_from, name, min, max, arg);
        return false;
    }
    *out = v;
    return true;
}

/* --base-path PATH; false (with a message) for a bad one. */
static bool base_opt(const char *arg, serve_options *o)
{
    const char *why;
    if (!base_path_valid(arg, &why)) {
        fprintf(stderr, "helpdex-serve: %s--base-path: %s, got '%s'\n",
                g_from, why, arg);
        return false;
    }
    o->web.base_path = arg;
    return true;
}

/* With both, --public-url's path must be --base-path: the proxy passes
 * the full path on, so the public path is the one helpdex serves. */
static bool public_url_agrees(const serve_options *o)
{
    const char *b = o->web.base_path, *u = o->web.public_url;
    if (!b || !u || !strcmp(b, "/"))
        return true;
    const char *host = strstr(u, "://");
    const char *path = host ? host + 3 + strcspn(host + 3, "/") : "";
    size_t n = strlen(path);
    while (n > 0 && path[n - 1] == '/')
        n--;
    if (n == strlen(b) && !strncmp(path, b, n))
        return true;
    fprintf(stderr, "helpdex-serve: the path of --public-url '%s' must be "
                    "--base-path '%s' (the proxy passes the full path)\n",
            u, b);
    return false;
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
    if (!public_url_agrees(o))
        return 2;
    if (o->n_listen == 0)
        listen_parse("127.0.0.1:8080", &o->listen[o->n_listen++]);
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
            fprintf(stderr, "helpdex-serve: %s--log-format: expected "
                            "'text' or 'json', got '%s'\n", g_from, arg);
            return false;
        }
    } else if (!proxy_list_add(&o->proxies, arg)) {
        fprintf(stderr, "helpdex-serve: %s--trusted-proxy: expected an "
                        "exact IPv4 or IPv6 address, got '%s'\n", g_from, arg);
        return false;
    }
    return true;
}

/* --session-idle MIN and --session-max HOURS, kept in seconds; false
 * (with a message) for a bad value. */
static bool session_opt(int c, const char *arg, serve_options *o)
{
    long v;
    if (c == 'S') {
        if (!num_opt("session-idle", arg, 1, 1440, &v))
            return false;
        o->session_idle = v * 60;
    } else {
        if (!num_opt("session-max", arg, 1, 720, &v))
            return false;
        o->session_max = v * 3600;
    }
    return true;
}

/* --listen ADDR and --port N (127.0.0.1:N); false (with a message) for a
 * bad address or too many.  `replace`: the first from the command line
 * drops the configuration file's. */
static bool listen_opt(int c, const char *arg, bool replace, serve_options *o)
{
    if (replace)
        o->n_listen = 0;
    char buf[64];
    if (c == 'p')
        snprintf(buf, sizeof buf, "127.0.0.1:%s", arg);
    const char *text = c == 'p' ? buf : arg;
    if (o->n_listen == SERVE_MAX_LISTEN) {
        fprintf(stderr, "helpdex-serve: %s--listen: at most %d addresses\n",
                g_from, SERVE_MAX_LISTEN);
        return false;
    }
    if (!listen_parse(text, &o->listen[o->n_listen])) {
        fprintf(stderr, "helpdex-serve: %s--%s: expected IPV4:PORT or "
                        "[IPV6]:PORT such as 127.0.0.1:8080 or [::1]:8080, "
                        "got '%s'\n", g_from, c == 'p' ? "port" : "listen",
                arg);
        return false;
    }
    o->n_listen++;
    return true;
}

/* --shard SPEC; false (with a message) for a bad spec or too many.
 * `replace`: the first from the command line drops the file's. */
static bool shard_opt(const char *arg, bool replace, serve_options *o)
{
    if (replace)
        o->n_shards = 0;
    if (o->n_shards == SERVE_MAX_SHARDS) {
        fprintf(stderr, "helpdex-serve: %s--shard: at most %d shards\n",
                g_from, SERVE_MAX_SHARDS);
        return false;
    }
    if (!hdx_shard_spec_valid(arg)) {
        fprintf(stderr, "helpdex-serve: %s--shard: expected an index path "
                        "or tcp:HOST:PORT, got '%s'\n", g_from, arg);
        return false;
    }
    o->shards[o->n_shards++] = arg;
    return true;
}

/* The one table of options, for the command line and the file alike. */
static const struct option k_longopts[] = {
    {"db", required_argument, NULL, 'd'},
    {"config", required_argument, NULL, 'F'},
    {"check-config", no_argument, NULL, 'k'},
    {"listen", required_argument, NULL, 'l'},
    {"port", required_argument, NULL, 'p'},
    {"port-file", required_argument, NULL, 'P'},
    {"threads", required_argument, NULL, 't'},
    {"tokens", required_argument, NULL, 'T'},
    {"assets", required_argument, NULL, 'a'},
    {"corpus", required_argument, NULL, 'K'},
    {"branding", required_argument, NULL, 'c'},
    {"feedback-db", required_argument, NULL, 'f'},
    {"analytics-db", required_argument, NULL, 'A'},
    {"analytics-retention", required_argument, NULL, 'N'},
    {"cache-mb", required_argument, NULL, 'm'},
    {"max-connections", required_argument, NULL, 'C'},
    {"max-per-ip", required_argument, NULL, 'I'},
    {"timeout", required_argument, NULL, 'O'},
    {"public-url", required_argument, NULL, 'U'},
    {"base-path", required_argument, NULL, 'B'},
    {"sitemap-max-urls", required_argument, NULL, 'M'}, /* hidden */
    {"print-routes", no_argument, NULL, 'R'}, /* hidden: for tests */
    {"log-format", required_argument, NULL, 'L'},
    {"trusted-proxy", required_argument, NULL, 'X'},
    {"quiet", no_argument, NULL, 'q'},
    {"session-idle", required_argument, NULL, 'S'},
    {"session-max", required_argument, NULL, 'H'},
    {"shard", required_argument, NULL, 'Z'},
    {"shard-timeout", required_argument, NULL, 'W'},
    {"shards-strict", no_argument, NULL, 'Y'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* What a configuration file cannot set: these act on the run itself. */
static const char *const k_not_in_file[] = {
    "config", "check-config", "print-routes", "help", "version", NULL,
};

/* The path of --config FILE / --config=FILE in argv, or NULL. */
static const char *config_path(int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            break;
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            path = argv[++i];
        else if (!strncmp(argv[i], "--config=", 9))
            path = argv[i] + 9;
    }
    return path;
}

/* Which repeatable options hold the file's values so far. */
typedef struct from_file_state {
    bool listen, proxies, shards;
} from_file_state;

/* One option with its argument into *o; -1 to go on, else the exit
 * status.  `from_file`: it came from the configuration file. */
static int apply(int c, const char *arg, bool from_file, from_file_state *ff,
                 serve_options *o)
{
    bool ok = true;
    switch (c) {
    case 'd': o->db = arg; break;
    case 'F': o->config_path = arg; break;
    case 'k': o->check_config = true; break;
    case 'l': case 'p':
        ok = listen_opt(c, arg, !from_file && ff->listen, o);
        ff->listen = from_file;
        break;
    case 'P': o->port_file = arg; break;
    case 't': ok = num_opt("threads", arg, 1, 64, &o->threads); break;
    case 'm': ok = num_opt("cache-mb", arg, 0, 65536, &o->cache_mb); break;
    case 'C': ok = num_opt("max-connections", arg, 1, 65536, &o->max_conns);
        break;
    case 'I': ok = num_opt("max-per-ip", arg, 0, 65535, &o->max_per_ip);
        break;
    case 'O': ok = num_opt("timeout", arg, 1, 3600, &o->timeout); break;
    case 'U': o->web.public_url = arg; break;
    case 'B': ok = base_opt(arg, o); break;
    case 'M': /* hidden: small sitemap files, for tests */
        ok = num_opt("sitemap-max-urls", arg, 1, 50000, &o->sitemap_max);
        o->web.sitemap_max = (unsigned)o->sitemap_max;
        break;
    case 'R': route_print(stdout); return 0;
    case 'T': o->tokens = arg; break;
    case 'a': o->web.assets_dir = arg; break;
    case 'K': o->web.corpus = arg; break;
    case 'c': o->web.config_path = arg; break;
    case 'f': o->web.feedback_db = arg; break;
    case 'A': o->analytics_db = o->web.analytics_db = arg; break;
    case 'N':
        ok = num_opt("analytics-retention", arg, 1, ANALYTICS_RETENTION_MAX,
                     &o->analytics_retention);
        break;
    case 'X':
        if (!from_file && ff->proxies)
            proxy_list_clear(&o->proxies);
        ff->proxies = from_file;
        ok = observe_opt(c, arg, o);
        break;
    case 'L': case 'q': ok = observe_opt(c, arg, o); break;
    case 'S': case 'H': ok = session_opt(c, arg, o); break;
    case 'Z':
        ok = shard_opt(arg, !from_file && ff->shards, o);
        ff->shards = from_file;
        break;
    case 'W': ok = num_opt("shard-timeout", arg, 50, 600000, &o->shard_timeout);
        break;
    case 'Y': o->shards_strict = true; break;
    case 'h': usage(stdout); return 0;
    case 'V': printf("helpdex-serve %s\n", HDX_VERSION); return 0;
    default: usage(stderr); return 2;
    }
    return ok ? -1 : 2;
}

/* o->all_args: argv[0], the configuration file's arguments, then the
 * rest of argv; their number in *n.  0, or 2 for a bad file. */
static int gather(int argc, char **argv, serve_options *o, int *n)
{
    const char *path = config_path(argc, argv);
    if (path && conf_args_load(path, k_longopts, k_not_in_file, &o->conf))
        return 2;
    *n = 1 + (int)o->conf.n + (argc - 1);
    o->all_args = hdx_xcalloc((size_t)*n + 1, sizeof *o->all_args);
    o->all_args[0] = argv[0];
    for (size_t i = 0; i < o->conf.n; i++)
        o->all_args[1 + i] = o->conf.args[i];
    for (int i = 1; i < argc; i++)
        o->all_args[o->conf.n + (size_t)i] = argv[i];
    return 0;
}

int serve_options_parse(int argc, char **argv, serve_options *o)
{
    memset(o, 0, sizeof *o);
    o->threads = 4;
    o->max_conns = 1024;
    o->max_per_ip = 64;
    o->timeout = 10;
    o->cache_mb = 32;
    o->shard_timeout = 3000;
    o->analytics_retention = ANALYTICS_RETENTION_DEFAULT;
    int n;
    if (gather(argc, argv, o, &n))
        return 2;
    from_file_state ff = {false, false, false};
    optind = 1;
    int c;
    while ((c = getopt_long(n, o->all_args, "d:l:p:P:t:T:a:c:f:qhV",
                            k_longopts, NULL)) != -1) {
        /* The file's arguments are each one "--name=value": optind has
         * just passed it. */
        size_t at = (size_t)optind - 1;
        bool from_file = at >= 1 && at <= o->conf.n;
        g_from[0] = '\0';
        if (from_file)
            snprintf(g_from, sizeof g_from, "%s:%d: ", o->conf.path,
                     o->conf.lines[at - 1]);
        int rc = apply(c, optarg, from_file, &ff, o);
        if (rc >= 0)
            return rc;
    }
    g_from[0] = '\0';
    if (optind < n) {
        fprintf(stderr, "helpdex-serve: unexpected argument '%s' (see "
                        "--help)\n", o->all_args[optind]);
        return 2;
    }
    return check_options(o);
}

void serve_options_clear(serve_options *o)
{
    proxy_list_clear(&o->proxies);
    conf_args_clear(&o->conf);
    free(o->all_args);
    o->all_args = NULL;
}
