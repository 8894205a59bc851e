/*
 * main.c - helpdex-serve: options, signals, and the libmicrohttpd daemon.
 *
 * MHD runs a pool of worker threads with internal polling; each request is
 * handled entirely on one worker (which owns its own index handle, see
 * index_pool.h).  SIGINT/SIGTERM are blocked in every thread and taken by
 * sigwait() here, so shutdown is an orderly MHD_stop_daemon().
 */
#include "auth.h"
#include "cache.h"
#include "http.h"
#include "index_pool.h"
#include "routes.h"
#include "web.h"

#include "hdx/alloc.h"
#include "hdx/hdx.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static auth *g_auth;
static bool g_quiet;

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
        "  --config FILE       help center branding (docs/help-center.md)\n"
        "  --feedback-db FILE  SQLite file for article feedback (default: none;\n"
        "                      POST /api/feedback then answers 503)\n"
        "  --quiet             no per-request log lines\n"
        "  --help, --version\n",
        f);
}

static void on_completed(void *cls, struct MHD_Connection *conn,
                         void **req_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    request *r = *req_cls;
    if (!r)
        return;
    if (!g_quiet)
        fprintf(stderr, "%s %s %d %.2fms%s%s\n", r->method, r->path,
                r->status, http_now_ms() - r->t0,
                r->caller ? " caller=" : "", r->caller ? r->caller : "");
    request_clear(r);
    free(r);
    *req_cls = NULL;
}

static enum MHD_Result queue_reply(struct MHD_Connection *conn, request *r,
                                   reply *rep)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer_with_free_callback(
        rep->len, rep->body, free);
    rep->body = NULL; /* now MHD's */
    bool ok = resp != NULL;
    ok = ok && MHD_add_response_header(resp, "Content-Type",
                                       rep->content_type
                                           ? rep->content_type
                                           : "text/plain; charset=utf-8");
    ok = ok && MHD_add_response_header(resp, "X-Content-Type-Options",
                                       "nosniff");
    ok = ok && MHD_add_response_header(resp, "Referrer-Policy",
                                       "no-referrer");
    for (size_t i = 0; ok && i < rep->n_hdr; i++)
        ok = MHD_add_response_header(resp, rep->hdr[i].name,
                                     rep->hdr[i].value);
    if (ok && !reply_header_get(rep, "Cache-Control"))
        ok = MHD_add_response_header(resp, "Cache-Control",
                                     r->has_token ? "private, no-store"
                                                  : "no-cache");
    if (!ok) {
        /* A header MHD refused: fail the request loudly, never send a
         * reply with some of its headers silently missing. */
        fprintf(stderr, "helpdex-serve: %s %s: cannot build the response\n",
                r->method, r->path);
        if (resp)
            MHD_destroy_response(resp);
        return MHD_NO;
    }
    r->status = rep->status;
    enum MHD_Result ret =
        MHD_queue_response(conn, (unsigned)rep->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind,
                               const char *name, const char *value)
{
    request *r = cls;
    if (kind == MHD_GET_ARGUMENT_KIND)
        request_add_arg(r, name, value);
    else
        request_add_header(r, name, value);
    return MHD_YES;
}

/* The request as handlers see it, collected from MHD once. */
static request *request_new(struct MHD_Connection *conn, const char *url,
                            const char *method)
{
    request *r = hdx_xmalloc(sizeof *r);
    request_init(r, method, url, http_now_ms());
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect, r);
    MHD_get_connection_values(conn, MHD_HEADER_KIND, collect, r);
    const char *authz = http_header(r, "Authorization");
    if (authz) {
        if (auth_check(g_auth, authz, &r->level, &r->caller))
            r->has_token = true;
        else
            r->bad_token = true;
    }
    return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **req_cls)
{
    (void)cls;
    (void)version;
    request *r = *req_cls;
    if (!r) {
        *req_cls = request_new(conn, url, method);
        return MHD_YES;
    }
    if (*upload_size) {
        if (r->body.len + *upload_size > MAX_BODY)
            r->body_too_large = true;
        else
            hdx_buf_add(&r->body, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    /* One index handle per request: index_pool_get() moves this thread's
     * handle to the latest commit, and the cache key and the handler both
     * use the same revision. */
    if (!r->bad_token)
        r->db = index_pool_get(&r->db_err);
    reply rep;
    memset(&rep, 0, sizeof rep);
    route_request(r, &rep);
    if (!rep.body)
        reply_error(&rep, 500, "internal", "internal error");
    enum MHD_Result ret = queue_reply(conn, r, &rep);
    reply_clear(&rep);
    return ret;
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

/* The command line. */
typedef struct options {
    const char *db, *listen_at, *port_file, *tokens;
    web_config web;
    char portbuf[64];
    long threads;
} options;

/* Parse the command line into *o; -1 to go on, else the exit status. */
static int parse_options(int argc, char **argv, options *o)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"port", required_argument, NULL, 'p'},
        {"port-file", required_argument, NULL, 'P'},
        {"threads", required_argument, NULL, 't'},
        {"tokens", required_argument, NULL, 'T'},
        {"assets", required_argument, NULL, 'a'},
        {"config", required_argument, NULL, 'c'},
        {"feedback-db", required_argument, NULL, 'f'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->listen_at = "127.0.0.1:8080";
    o->threads = 4;
    int c;
    while ((c = getopt_long(argc, argv, "d:l:p:P:t:T:a:c:f:qhV", longopts,
                            NULL)) != -1) {
        char *end;
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'l': o->listen_at = optarg; break;
        case 'p':
            snprintf(o->portbuf, sizeof o->portbuf, "127.0.0.1:%s", optarg);
            o->listen_at = o->portbuf;
            break;
        case 'P': o->port_file = optarg; break;
        case 't':
            o->threads = strtol(optarg, &end, 10);
            if (*end || o->threads < 1 || o->threads > 64) {
                fprintf(stderr, "helpdex-serve: --threads: expected 1 to 64, "
                                "got '%s'\n", optarg);
                return 2;
            }
            break;
        case 'T': o->tokens = optarg; break;
        case 'a': o->web.assets_dir = optarg; break;
        case 'c': o->web.config_path = optarg; break;
        case 'f': o->web.feedback_db = optarg; break;
        case 'q': g_quiet = true; break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("helpdex-serve %s\n", HDX_VERSION); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (!o->db) {
        fprintf(stderr, "helpdex-serve: --db DIR is required (see --help)\n");
        return 2;
    }
    return -1;
}

/* Write the port through a temporary file and rename(), so a reader
 * never sees it half-written. */
static void write_port_file(const char *path, unsigned port)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (f) {
        fprintf(f, "%u\n", port);
        fclose(f);
        rename(tmp, path);
    }
}

/* Serve until SIGINT or SIGTERM; the exit status. */
static int serve(const options *o, const struct sockaddr_in *sa)
{
    /* Block the stop signals in every thread; sigwait() takes them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    cache_init();
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG,
        0, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o->threads,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_LIMIT,
        1024u, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
        MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "helpdex-serve: cannot listen on %s (in use?)\n",
                o->listen_at);
        cache_shutdown();
        return 3;
    }
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : ntohs(sa->sin_port);
    if (o->port_file)
        write_port_file(o->port_file, port);
    char addr[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &sa->sin_addr, addr, sizeof addr);
    fprintf(stderr, "helpdex-serve: listening on http://%s:%u/ (%ld threads)\n",
            addr, port, o->threads);

    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "helpdex-serve: %s, shutting down\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    MHD_stop_daemon(d);
    cache_shutdown();
    return 0;
}

int main(int argc, char **argv)
{
    options o;
    int rc = parse_options(argc, argv, &o);
    if (rc >= 0)
        return rc;
    struct sockaddr_in sa;
    if (!parse_listen(o.listen_at, &sa)) {
        fprintf(stderr, "helpdex-serve: --listen: expected IPv4:PORT such as "
                        "127.0.0.1:8080, got '%s'\n", o.listen_at);
        return 2;
    }
    hdx_error err;
    if (auth_load(o.tokens, &g_auth, &err) != HDX_OK) {
        fprintf(stderr, "helpdex-serve: %s\n", err.msg);
        return 2;
    }
    if (index_pool_start(o.db, &err) != HDX_OK) {
        fprintf(stderr, "helpdex-serve: %s\n", err.msg);
        auth_free(g_auth);
        return 3;
    }
    if (web_init(&o.web, &err) != HDX_OK) {
        fprintf(stderr, "helpdex-serve: %s\n", err.msg);
        index_pool_stop();
        auth_free(g_auth);
        return 2;
    }
    rc = serve(&o, &sa);
    web_shutdown();
    index_pool_stop();
    auth_free(g_auth);
    return rc;
}
