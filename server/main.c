/*
 * main.c - helpdex-serve: signals and the libmicrohttpd daemon (the
 * command line is options.h).
 *
 * MHD runs a pool of worker threads with internal polling; each request is
 * handled entirely on one worker (which owns its own index handle, see
 * index_pool.h).  SIGINT/SIGTERM are blocked in every thread and taken by
 * sigwait() here, so shutdown is an orderly MHD_stop_daemon().
 *
 * Each request also carries what only the access log and the metrics
 * need (a `served`: the request, then its access_rec): its id, sent back
 * as X-Request-Id on every answer; the client's address, through a
 * trusted proxy's X-Forwarded-For (client_ip.h); its route; whether the
 * cache answered it.  When the answer has gone out, on_completed()
 * counts it (metrics.h) and logs it (access_log.h).
 */
#include "access_log.h"
#include "auth_live.h"
#include "base_path.h"
#include "cache.h"
#include "conditional.h"
#include "client_ip.h"
#include "http.h"
#include "index_pool.h"
#include "listen.h"
#include "metrics.h"
#include "options.h"
#include "routes.h"
#include "sd_notify.h"
#include "session.h"
#include "shard_set.h"
#include "web.h"

#include "analytics/recorder.h"

#include "hdx/alloc.h"
#include "hdx/hdx.h"

#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

static const proxy_list *g_proxies; /* --trusted-proxy; read-only once serving */

/* What MHD keeps in *req_cls. */
typedef struct served {
    request req;      /* first, so *req_cls is also the request */
    access_rec log;
    const route *rt;  /* the route its path takes, or NULL */
} served;

static void on_completed(void *cls, struct MHD_Connection *conn,
                         void **req_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    served *s = *req_cls;
    if (!s)
        return;
    request *r = &s->req;
    if (!r->path) { /* on_uri() saw it, the request never arrived whole */
        free(s);
        *req_cls = NULL;
        return;
    }
    double ms = http_now_ms() - r->t0;
    metrics_observe(s->rt, r->status, ms);
    access_log_write(r, &s->log, ms);
    request_clear(r);
    free(s);
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

/* "%00" among the first n bytes of s. */
static bool has_nul_escape(const char *s, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++)
        if (s[i] == '%' && s[i + 1] == '0' && s[i + 2] == '0')
            return true;
    return false;
}

/*
 * MHD_OPTION_URI_LOG_CALLBACK: libmicrohttpd calls it with the raw URI
 * of each request, before it parses the arguments or decodes the path.
 * The request starts here (it becomes *req_cls), with what only the raw
 * URI shows: its length, its number of arguments, a "%00" in the path.
 *
 * MHD 0.9.75 stores every argument in the connection's memory pool.  When
 * the pool runs out while it parses them, it queues a 431 that it then
 * loses, and the client waits for the timeout with no answer (issue 13:
 * ~1,000 parameters).  So a URI over the limits has its query string cut
 * off here, in MHD's own buffer (which it is about to cut at the '?'
 * itself): MHD parses no arguments, and route_request() answers 414 at
 * once.  Within the limits, HTTP_CONN_MEMORY always has room for them.
 */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    (void)conn;
    served *s = hdx_xcalloc(1, sizeof *s);
    request *r = &s->req;
    if (!uri)
        return s;
    char *query = strchr(uri, '?');
    size_t path_len = query ? (size_t)(query - uri) : strlen(uri);
    r->pre.nul_path = has_nul_escape(uri, path_len);
    r->pre.uri_too_long = strlen(uri) > HTTP_MAX_URI;
    size_t n_args = 0;
    for (const char *p = query; p && *p; p++)
        n_args += *p == '&' || p == query;
    r->pre.too_many_args = n_args > HTTP_MAX_ARGS;
    if (query && (r->pre.uri_too_long || r->pre.too_many_args))
        query[1] = '\0';
    return s;
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind,
                                   const char *name, size_t name_len,
                                   const char *value, size_t value_len)
{
    (void)kind;
    request *r = cls;
    /* MHD decodes "%00" to a NUL and reports the decoded length. */
    if (!r->nul_arg && (strlen(name) != name_len ||
                        (value && strlen(value) != value_len)))
        r->nul_arg = name;
    request_add_arg(r, name, value);
    return MHD_YES;
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind,
                                      const char *name, const char *value)
{
    if (kind == MHD_COOKIE_KIND)
        request_add_cookie(cls, name, value ? value : "");
    else
        request_add_header(cls, name, value);
    return MHD_YES;
}

/* Did the request come over TLS?  MHD serves plain HTTP, so only when a
 * trusted proxy (--trusted-proxy) says so in X-Forwarded-Proto. */
static bool via_tls(const request *r, const struct sockaddr *peer)
{
    struct in6_addr a;
    const char *proto = http_header(r, "X-Forwarded-Proto");
    return proto && !strcasecmp(proto, "https") &&
           ip_from_sockaddr(peer, &a) && proxy_list_has(g_proxies, &a);
}

/* The request as handlers see it, collected from MHD once into the
 * request on_uri() started; and what the log will say about it. */
static void request_start(served *s, struct MHD_Connection *conn,
                          const char *url, const char *method)
{
    request *r = &s->req;
    http_precheck pre = r->pre;
    request_init(r, method, url, http_now_ms());
    r->pre = pre;
    MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, collect_arg, r);
    MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_header, r);
    MHD_get_connection_values(conn, MHD_COOKIE_KIND, collect_header, r);
    auth_request(auth_live_get(), r);
    access_rec_start(&s->log, http_header(r, "X-Request-Id"));
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    access_rec_client(&s->log, g_proxies, ci ? ci->client_addr : NULL, r);
    r->client = s->log.client;
    r->tls = via_tls(r, ci ? ci->client_addr : NULL);
    const char *id;
    size_t id_len;
    /* The one place the prefix comes off (base_path.h). */
    r->outside_base = !base_path_strip((char *)r->path);
    s->rt = r->outside_base ? NULL : route_find(r->path, &id, &id_len);
    s->log.route = s->rt ? s->rt->name : NULL;
    s->log.route_public = s->rt && s->rt->level == HDX_AUD_PUBLIC;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **req_cls)
{
    (void)cls;
    (void)version;
    served *s = *req_cls;
    if (!s) /* cannot happen: on_uri() starts every request */
        *req_cls = s = hdx_xcalloc(1, sizeof *s);
    request *r = &s->req;
    if (!r->path) {
        request_start(s, conn, url, method);
        return MHD_YES;
    }
    if (*upload_size) {
        size_t max = s->rt && !strcmp(s->rt->name, "console") ? MAX_FORM_BODY
                                                              : MAX_BODY;
        if (r->body.len + *upload_size > max)
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
    reply_finish(r, &rep); /* ETag/304 and gzip (conditional.h) */
    const char *xcache = reply_header_get(&rep, "X-Cache");
    s->log.cache_hit = xcache && !strcmp(xcache, "hit");
    reply_header(&rep, "X-Request-Id", s->log.id);
    enum MHD_Result ret = queue_reply(conn, r, &rep);
    s->log.bytes = strcmp(r->method, "HEAD") ? rep.len : 0;
    reply_clear(&rep);
    return ret;
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

/*
 * How many connections the open-file limit allows, at most `want`: each
 * is a socket, and the listener, the epoll handles, the feedback store
 * and each thread's index files need some more.  The soft limit is raised
 * to the hard one when that is not enough; when even that is too low,
 * fewer connections are served, with a warning (refusing to start would
 * stop a server that used to run under the old fixed limit).
 */
static unsigned conn_room(long want, long threads)
{
    rlim_t need = (rlim_t)want + 64 + 16 * (rlim_t)threads;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= need)
        return (unsigned)want;
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need
                      ? need
                      : rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur >= need)
        return (unsigned)want;
    long room = (long)rl.rlim_cur - 64 - 16 * threads;
    if (room < threads)
        room = threads;
    fprintf(stderr, "helpdex-serve: warning: the open-file limit (%llu) "
                    "allows only %ld of --max-connections %ld\n",
            (unsigned long long)rl.rlim_cur, room, want);
    return (unsigned)room;
}

/* The daemons of one run: one per listen address, all alike. */
typedef struct daemons {
    struct MHD_Daemon *d[SERVE_MAX_LISTEN];
    int fd[SERVE_MAX_LISTEN];
    unsigned port[SERVE_MAX_LISTEN];
    size_t n;
} daemons;

static void daemons_stop(daemons *ds)
{
    for (size_t i = 0; i < ds->n; i++) {
        if (ds->d[i])
            MHD_stop_daemon(ds->d[i]); /* closes fd[i] too */
        else if (ds->fd[i] >= 0)
            close(ds->fd[i]);
    }
    ds->n = 0;
}

/*
 * Bind every address first, so a taken one stops the start before any
 * request is served, then start a daemon on each.  The limits of
 * docs/api.md ("Server limits") hold per address: slow or idle clients
 * are closed after the timeout, and no one client address may hold more
 * than max_per_ip of the connections.  False (with a message) on failure.
 */
static bool daemons_start(daemons *ds, const serve_options *o,
                          unsigned conns)
{
    char msg[256];
    memset(ds, 0, sizeof *ds);
    for (size_t i = 0; i < o->n_listen; i++, ds->n++) {
        ds->fd[i] = listen_open(&o->listen[i], msg, sizeof msg);
        if (ds->fd[i] < 0) {
            fprintf(stderr, "helpdex-serve: %s\n", msg);
            return false;
        }
        ds->port[i] = listen_port(ds->fd[i]);
    }
    for (size_t i = 0; i < ds->n; i++) {
        ds->d[i] = MHD_start_daemon(
            MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
                MHD_USE_ERROR_LOG,
            0, NULL, NULL, on_request, NULL, MHD_OPTION_LISTEN_SOCKET,
            ds->fd[i], MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o->threads,
            MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
            MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->timeout,
            MHD_OPTION_CONNECTION_LIMIT, conns,
            MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)o->max_per_ip,
            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONN_MEMORY,
            MHD_OPTION_END);
        if (!ds->d[i]) {
            fprintf(stderr, "helpdex-serve: cannot serve on %s "
                            "(libmicrohttpd did not start)\n",
                    o->listen[i].text);
            return false;
        }
    }
    return true;
}

/* Say where the server listens: stderr, the port file (the first
 * address's port), and systemd's READY=1 (sd_notify.h). */
static void announce(const daemons *ds, const serve_options *o,
                     unsigned conns)
{
    if (o->port_file)
        write_port_file(o->port_file, ds->port[0]);
    char url[128], status[1200] = "READY=1\nSTATUS=listening on";
    for (size_t i = 0; i < ds->n; i++) {
        listen_url(&o->listen[i], ds->port[i], url, sizeof url);
        fprintf(stderr, "helpdex-serve: listening on %s (%ld threads, "
                        "%u connections, %ld per address, %lds timeout)\n",
                url, o->threads, conns, o->max_per_ip, o->timeout);
        size_t len = strlen(status);
        snprintf(status + len, sizeof status - len, "%s %s", i ? "," : "",
                 url);
    }
    sd_notify_send(status);
}

/* SIGHUP: the tokens file and the branding, read again while requests
 * go on; what fails to load keeps what it had, and says so. */
static void reload(const serve_options *o)
{
    sd_notify_send("RELOADING=1");
    auth_live_reload(); /* the tokens file (auth_live.h) */
    hdx_error err;
    if (web_reload(&o->web, &err) != HDX_OK)
        fprintf(stderr, "helpdex-serve: SIGHUP: the branding stays as it "
                        "was: %s\n", err.msg);
    else
        fprintf(stderr, "helpdex-serve: SIGHUP: tokens and branding "
                        "read again\n");
    sd_notify_send("READY=1");
}

/* Serve until SIGINT or SIGTERM (SIGHUP: reload); the exit status. */
static int serve(const serve_options *o)
{
    /* Block the stop signals in every thread; sigwait() takes them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    cache_set_limit((size_t)o->cache_mb << 20);
    cache_init();
    unsigned conns = conn_room(o->max_conns * (long)o->n_listen,
                               o->threads * (long)o->n_listen) /
                     (unsigned)o->n_listen;
    daemons ds;
    if (!daemons_start(&ds, o, conns)) {
        daemons_stop(&ds);
        cache_shutdown();
        return 3;
    }
    announce(&ds, o, conns);
    int sig = 0;
    while (sigwait(&stop, &sig) == 0 && sig == SIGHUP)
        reload(o);
    fprintf(stderr, "helpdex-serve: %s, shutting down\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    sd_notify_send("STOPPING=1");
    daemons_stop(&ds);
    cache_shutdown();
    return 0;
}

/* --check-config: everything a start loads has loaded; the exit status. */
static int check_done(const serve_options *o)
{
    fprintf(stderr, "helpdex-serve: configuration OK%s%s (%zu listen "
                    "address%s, index %s)\n",
            o->config_path ? ": " : "", o->config_path ? o->config_path : "",
            o->n_listen, o->n_listen == 1 ? "" : "es", o->db);
    return 0;
}

int main(int argc, char **argv)
{
    serve_options o;
    int rc = serve_options_parse(argc, argv, &o);
    if (rc >= 0) {
        serve_options_clear(&o);
        return rc;
    }
    g_proxies = &o.proxies;
    access_log_set_format(o.quiet ? ACCESS_LOG_OFF : o.log_format);
    hdx_error err;
    session_configure(o.session_idle, o.session_max);
    shard_set_configure(o.shards, o.n_shards, (unsigned)o.shard_timeout,
                        o.shards_strict);
    if (auth_live_start(o.tokens, &err) != HDX_OK) {
        fprintf(stderr, "helpdex-serve: %s\n", err.msg);
        rc = 2;
    } else if (index_pool_start(o.db, &err) != HDX_OK) {
        fprintf(stderr, "helpdex-serve: %s\n", err.msg);
        rc = 3;
    } else {
        recorder_config rc_cfg = {o.analytics_db, o.analytics_retention, 0,
                                  0, 0};
        if (web_init(&o.web, &err) != HDX_OK) {
            fprintf(stderr, "helpdex-serve: %s\n", err.msg);
            rc = 2;
        } else if (o.analytics_db && recorder_start(&rc_cfg, &err) != HDX_OK) {
            fprintf(stderr, "helpdex-serve: %s\n", err.msg);
            web_shutdown();
            rc = 2;
        } else {
            rc = o.check_config ? check_done(&o) : serve(&o);
            recorder_stop(); /* writes what is still queued */
            web_shutdown();
        }
        index_pool_stop();
    }
    shard_set_clear();
    auth_live_stop();
    session_shutdown();
    serve_options_clear(&o);
    return rc;
}
