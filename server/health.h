/*
 * health.h - GET /healthz and GET /readyz, for load balancers, systemd
 * watchdogs and Kubernetes-style probes.  Both are public: they say
 * nothing a customer may not know.
 *
 * /healthz is liveness: the process answers HTTP, so it is 200
 * {"status":"ok"} whatever the state of the index (restarting a server
 * whose index is being swapped would not help).  When the index is open
 * it adds the revision and the number of documents the *caller* can see
 * (the historical fields; a public caller never learns how many agent or
 * internal documents exist).
 *
 * /readyz is readiness: 200 when this thread's index handle is open and
 * answers a read, with the revision and when it was committed (the
 * version file's mtime, index_pool.h) and how old that is, so a probe can
 * also judge freshness; 503 `unavailable` otherwise.  It gives no
 * document count at all.
 */
#ifndef HDX_SERVER_HEALTH_H
#define HDX_SERVER_HEALTH_H

#include "http.h"

void handle_healthz(request *r, reply *rep);
void handle_readyz(request *r, reply *rep);

#endif
