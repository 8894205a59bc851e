/*
 * health.c - liveness and readiness (see health.h).
 */
#include "health.h"

#include "access_log.h"
#include "api.h"
#include "index_pool.h"

#include <time.h>

/* Documents `r`'s caller can see: counts above their level are none of
 * their business.  0 if the count fails. */
static unsigned visible_documents(request *r)
{
    hdx_query_opts o = api_opts(r);
    o.filter.types = HDX_TYPE_BIT(HDX_TYPE_ARTICLE) |
                     HDX_TYPE_BIT(HDX_TYPE_FAQ) |
                     HDX_TYPE_BIT(HDX_TYPE_INCIDENT);
    hdx_query *q = NULL;
    hdx_results *res = NULL;
    unsigned visible = 0;
    if (hdx_query_parse(r->db, "", &o, &q, NULL) == HDX_OK &&
        hdx_query_run(q, 0, 1, &res, NULL) == HDX_OK)
        visible = hdx_results_total(res);
    hdx_results_free(res);
    hdx_query_free(q);
    return visible;
}

void handle_healthz(request *r, reply *rep)
{
    json_t *o = json_pack("{s:s}", "status", "ok");
    if (r->db) {
        json_object_set_new(o, "revision",
                            json_integer((json_int_t)hdx_db_generation(
                                r->db)));
        json_object_set_new(o, "documents",
                            json_integer(visible_documents(r)));
    }
    reply_json(rep, 200, o);
}

void handle_readyz(request *r, reply *rep)
{
    unsigned n;
    if (!r->db || hdx_db_doccount(r->db, &n, NULL) != HDX_OK) {
        reply_error(rep, 503, "unavailable", "the index is not available");
        return;
    }
    /* Sharded mode: partial answers are ready, none at all is not (and
     * --shards-strict made a missing shard fail the count above). */
    if (hdx_db_n_shards(r->db) &&
        hdx_db_n_missing(r->db) == hdx_db_n_shards(r->db)) {
        reply_error(rep, 503, "unavailable", "no shard of the index answers");
        return;
    }
    json_t *o = json_pack("{s:s, s:I}", "status", "ready", "revision",
                          (json_int_t)hdx_db_generation(r->db));
    double committed = index_pool_committed();
    if (committed > 0) {
        struct timespec ts = {(time_t)committed,
                              (long)((committed - (double)(time_t)committed)
                                     * 1e9)};
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        double age = (double)now.tv_sec + now.tv_nsec / 1e9 - committed;
        char when[32];
        access_log_time(&ts, when);
        json_object_set_new(o, "committed", json_string(when));
        json_object_set_new(o, "age_seconds",
                            json_integer(age > 0 ? (json_int_t)age : 0));
    }
    reply_json(rep, 200, o);
}
