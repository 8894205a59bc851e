/*
 * routes.h - map (method, path) to a handler.  Unknown paths get 404,
 * known paths with the wrong method 405 with an Allow header.
 */
#ifndef HDX_SERVER_ROUTES_H
#define HDX_SERVER_ROUTES_H

#include "http.h"

void route_request(request *r, reply *rep);

#endif
