/*
 * event.c - initialise and clear an analytics_event (see event.h).
 */
#include "event.h"

#include <stdlib.h>
#include <string.h>

void analytics_event_init(analytics_event *ev, const char *kind)
{
    memset(ev, 0, sizeof *ev);
    ev->kind = kind;
    ev->results = ev->relaxed = ev->corrected = ANALYTICS_NULL;
    ev->position = ev->helpful = ANALYTICS_NULL;
}

void analytics_event_clear(analytics_event *ev)
{
    free(ev->query);
    free(ev->article);
    free(ev->comment);
    free(ev->product);
    free(ev->locale);
    free(ev->client);
    free(ev->agent);
    ev->query = ev->article = ev->comment = ev->product = ev->locale = NULL;
    ev->client = ev->agent = NULL;
}
