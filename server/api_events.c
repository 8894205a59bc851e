/*
 * api_events.c - POST /api/events: clicks, views, conversions and
 * escalations reported by a page or a site that embeds helpdex's search
 * (docs/api.md, "Events"), shaped like Algolia Insights' events.
 *
 * The whole batch is validated before any of it is recorded: one bad
 * event is a 400 naming it and its field ("events[2].positions: ...")
 * and nothing is kept.  Each objectID becomes one row (record.h queues
 * it; the recorder writes it off the request path).  Limits: the body
 * is at most MAX_BODY bytes, at most EVENTS_MAX events of at most
 * EVENTS_MAX_IDS objectIDs (EVENTS_MAX_ROWS in all), each an article
 * the caller may see.
 */
#include "api.h"
#include "record.h"

#include "analytics/session_id.h"

#include "hdx/alloc.h"
#include "hdx/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define EVENTS_MAX 50
#define EVENTS_MAX_IDS 10
#define EVENTS_MAX_ROWS 100 /* objectIDs in one batch: index lookups */
#define EVENT_NAME_MAX 64
#define MAX_AGE_MS (4LL * 86400 * 1000)  /* Algolia's: 4 days */
#define MAX_AHEAD_MS (3600LL * 1000)

static const char *const k_types[] = {"click", "conversion", "view",
                                      "escalation"};
static const char *const k_fields[] = {
    "eventType", "eventName", "index", "objectIDs", "positions",
    "query", "userToken", "timestamp"};

/* The rows of a valid batch. */
typedef struct ev_list {
    analytics_event *v;
    size_t n;
    char msg[200]; /* the 400's message */
} ev_list;

static bool fail(ev_list *L, size_t i, const char *field, const char *what)
{
    snprintf(L->msg, sizeof L->msg, "events[%zu].%s: %s", i, field, what);
    return false;
}

static bool short_string(const json_t *v, size_t max)
{
    const char *s = json_string_value(v);
    return s && *s && strlen(s) <= max && !memchr(s, '\0', json_string_length(v));
}

/* The event's type as one of the schema's kinds, or NULL. */
static const char *event_kind(const json_t *v)
{
    const char *s = json_string_value(v);
    for (size_t k = 0; s && k < sizeof k_types / sizeof k_types[0]; k++)
        if (!strcmp(s, k_types[k]))
            return k_types[k];
    return NULL;
}

static bool known_fields(ev_list *L, size_t i, json_t *e)
{
    const char *key;
    json_t *v;
    json_object_foreach(e, key, v) {
        bool known = false;
        for (size_t k = 0; k < sizeof k_fields / sizeof k_fields[0]; k++)
            known = known || !strcmp(key, k_fields[k]);
        if (!known) {
            char f[72];
            snprintf(f, sizeof f, "%.64s", key);
            return fail(L, i, f, "unknown field");
        }
    }
    return true;
}

/* The shared fields of event i into *base (query, timestamp, token). */
static bool common_fields(ev_list *L, size_t i, json_t *e,
                          analytics_event *base)
{
    json_t *v;
    if (!short_string(json_object_get(e, "eventName"), EVENT_NAME_MAX))
        return fail(L, i, "eventName", "required, 1 to 64 bytes");
    if ((v = json_object_get(e, "index")) && !short_string(v, EVENT_NAME_MAX))
        return fail(L, i, "index", "expected a string of 1 to 64 bytes");
    if ((v = json_object_get(e, "query"))) {
        if (!short_string(v, MAX_QUERY_BYTES))
            return fail(L, i, "query", "expected a string of 1 to 1024 bytes");
        base->query = hdx_xstrdup(json_string_value(v));
    }
    if ((v = json_object_get(e, "userToken"))) {
        if (!session_id_valid(json_string_value(v)))
            return fail(L, i, "userToken",
                        "expected 32 lowercase hex digits (a random id, "
                        "never a name or an e-mail address)");
        snprintf(base->session, sizeof base->session, "%s",
                 json_string_value(v));
    }
    if ((v = json_object_get(e, "timestamp"))) {
        long long now_ms = (long long)time(NULL) * 1000;
        json_int_t t = json_integer_value(v);
        if (!json_is_integer(v) || t < now_ms - MAX_AGE_MS ||
            t > now_ms + MAX_AHEAD_MS)
            return fail(L, i, "timestamp",
                        "expected milliseconds since 1970, at most 4 days "
                        "old");
        base->ts = (long long)(t / 1000);
    }
    return true;
}

/* objectIDs (and positions, for a click) of event i: the articles. */
static bool object_ids(ev_list *L, size_t i, json_t *e, request *r,
                       const char *kind, json_t **ids, json_t **pos)
{
    *ids = json_object_get(e, "objectIDs");
    *pos = json_object_get(e, "positions");
    bool need = strcmp(kind, "escalation") != 0;
    size_t max = need ? EVENTS_MAX_IDS : 1;
    if (!*ids && !need)
        return true;
    if (!json_is_array(*ids) || json_array_size(*ids) < 1 ||
        json_array_size(*ids) > max)
        return fail(L, i, "objectIDs", need ? "required, 1 to 10 article ids"
                                             : "at most 1 article id");
    if (L->n + json_array_size(*ids) > EVENTS_MAX_ROWS)
        return fail(L, i, "objectIDs", "over 100 objectIDs in the batch");
    size_t k;
    json_t *id;
    json_array_foreach(*ids, k, id) {
        hdx_status st;
        if (!short_string(id, 240) || !api_visible(r, json_string_value(id), &st))
            return fail(L, i, "objectIDs", "no such article");
    }
    bool click = !strcmp(kind, "click");
    if (!click && *pos)
        return fail(L, i, "positions", "only for a click");
    if (click && (!json_is_array(*pos) ||
                  json_array_size(*pos) != json_array_size(*ids)))
        return fail(L, i, "positions", "required, one per objectID");
    for (k = 0; click && k < json_array_size(*pos); k++) {
        json_int_t p = json_integer_value(json_array_get(*pos, k));
        if (!json_is_integer(json_array_get(*pos, k)) || p < 1 || p > 1000)
            return fail(L, i, "positions", "expected integers 1 to 1000");
    }
    return true;
}

static void add_row(ev_list *L, const analytics_event *base, const char *kind,
                    const char *article, long position)
{
    L->v = hdx_xrealloc(L->v, (L->n + 1) * sizeof *L->v);
    analytics_event *ev = &L->v[L->n++];
    analytics_event_init(ev, kind);
    ev->ts = base->ts;
    memcpy(ev->session, base->session, sizeof ev->session);
    ev->query = base->query ? hdx_xstrdup(base->query) : NULL;
    ev->article = article ? hdx_xstrdup(article) : NULL;
    ev->position = position;
}

/* Event i into rows of L; false with L->msg set. */
static bool one_event(ev_list *L, size_t i, json_t *e, request *r)
{
    if (!json_is_object(e)) {
        snprintf(L->msg, sizeof L->msg, "events[%zu]: expected an object",
                 i);
        return false;
    }
    const char *kind = event_kind(json_object_get(e, "eventType"));
    if (!kind)
        return fail(L, i, "eventType", "expected click, conversion, view "
                                       "or escalation");
    analytics_event base;
    analytics_event_init(&base, kind);
    json_t *ids = NULL, *pos = NULL;
    bool ok = known_fields(L, i, e) && common_fields(L, i, e, &base) &&
              object_ids(L, i, e, r, kind, &ids, &pos);
    if (ok && !ids)
        add_row(L, &base, kind, NULL, ANALYTICS_NULL);
    for (size_t k = 0; ok && k < json_array_size(ids); k++)
        add_row(L, &base, kind, json_string_value(json_array_get(ids, k)),
                pos ? (long)json_integer_value(json_array_get(pos, k))
                    : ANALYTICS_NULL);
    analytics_event_clear(&base);
    return ok;
}

static void list_clear(ev_list *L)
{
    for (size_t i = 0; i < L->n; i++)
        analytics_event_clear(&L->v[i]);
    free(L->v);
}

/* The body into L; false with L->msg set. */
static bool parse_batch(ev_list *L, request *r)
{
    json_error_t je;
    json_t *root = json_loadb(r->body.data ? r->body.data : "", r->body.len,
                              JSON_REJECT_DUPLICATES, &je);
    json_t *events = json_object_get(root, "events");
    bool ok = false;
    if (!json_is_object(root))
        snprintf(L->msg, sizeof L->msg, "the body is not a JSON object");
    else if (json_object_size(root) != 1 || !json_is_array(events) ||
             json_array_size(events) < 1 ||
             json_array_size(events) > EVENTS_MAX)
        snprintf(L->msg, sizeof L->msg,
                 "events: expected {\"events\":[...]} with 1 to %d events",
                 EVENTS_MAX);
    else
        ok = true;
    for (size_t i = 0; ok && i < json_array_size(events); i++)
        ok = one_event(L, i, json_array_get(events, i), r);
    json_decref(root);
    return ok;
}

/* ?source=web for the help center's own beacon, else the events API. */
static bool events_source(const request *r, reply *rep, const char **out)
{
    const char *s = http_arg(r, "source");
    *out = "events-api";
    if (!s)
        return true;
    if (!strcmp(s, "web")) {
        *out = "web";
        return true;
    }
    reply_error(rep, 400, "bad_parameter", "parameter 'source' must be web");
    return false;
}

void handle_events(request *r, reply *rep)
{
    const char *ct = http_header(r, "Content-Type");
    const char *source;
    if (!record_on()) {
        reply_error(rep, 503, "analytics_disabled",
                    "analytics are not recorded on this server (start "
                    "helpdex-serve with --analytics-db FILE)");
        return;
    }
    if (!ct || strncasecmp(ct, "application/json", 16) != 0) {
        reply_error(rep, 415, "unsupported_media_type",
                    "send application/json");
        return;
    }
    if (r->body_too_large) {
        reply_error(rep, 413, "too_large", "the body is over %u bytes",
                    MAX_BODY);
        return;
    }
    if (!events_source(r, rep, &source))
        return;
    ev_list L = {NULL, 0, ""};
    if (!parse_batch(&L, r)) {
        reply_error(rep, 400, "bad_event", "%s", L.msg);
        list_clear(&L);
        return;
    }
    size_t recorded = 0;
    for (size_t i = 0; i < L.n; i++)
        recorded += record_submit(r, &L.v[i], source);
    reply_json(rep, 200, json_pack("{s:i, s:s, s:I, s:I}", "status", 200,
                                   "message", "OK", "recorded",
                                   (json_int_t)recorded, "dropped",
                                   (json_int_t)(L.n - recorded)));
    list_clear(&L);
}
