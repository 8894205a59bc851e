/*
 * event.h - one analytics event on its way to the store (schema.h).
 *
 * A request handler fills an analytics_event with copies of the few
 * strings it needs (the event owns them) and hands it to the recorder
 * (recorder.h), which frees them once the row is written or dropped.
 * Integer columns that do not apply hold ANALYTICS_NULL and are stored
 * as SQL NULL.  The static strings (audience, kind, source) must be one
 * of the values schema.h lists.
 */
#ifndef HDX_ANALYTICS_EVENT_H
#define HDX_ANALYTICS_EVENT_H

#define ANALYTICS_NULL (-1L)
#define ANALYTICS_SESSION_LEN 32 /* hex digits of a session id */
#define ANALYTICS_MAX_COMMENT 1000u

typedef struct analytics_event {
    long long ts;                           /* Unix seconds, UTC */
    char session[ANALYTICS_SESSION_LEN + 1];/* 32 lowercase hex */
    const char *audience;                   /* static: public/agent/internal */
    const char *kind;                       /* static: ANALYTICS_KINDS */
    const char *source;                     /* static: api/web/contact/events-api */
    char *query;                            /* owned, as typed, or NULL: the
                                               writer normalises it */
    long results, relaxed, corrected;       /* ANALYTICS_NULL: not a search */
    long typeahead;                         /* 0 or 1 */
    char *article;                          /* owned, or NULL */
    long position, helpful;                 /* ANALYTICS_NULL: n/a */
    char *comment;                          /* owned, or NULL */
    char *product, *locale;                 /* owned, or NULL */
    /* With session "": the client address and user agent the writer
     * makes the keyed session id of (session_id.h), then frees; never
     * stored.  Owned, or NULL. */
    char *client, *agent;
    long long arrived;                      /* set by recorder_submit */
} analytics_event;

/* An event of `kind` now-less: every column NULL, typeahead 0, ts 0. */
void analytics_event_init(analytics_event *ev, const char *kind);
/* Free the owned strings (the struct itself is the caller's). */
void analytics_event_clear(analytics_event *ev);

#endif
