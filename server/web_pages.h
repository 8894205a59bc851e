/*
 * web_pages.h - the help center's HTML pages: home (/), search (/search)
 * and article (/a/{id}).  Each works at the caller's level, exactly as the
 * JSON API does.
 */
#ifndef HDX_SERVER_WEB_PAGES_H
#define HDX_SERVER_WEB_PAGES_H

#include "http.h"

void handle_page_home(request *r, reply *rep);
void handle_page_search(request *r, reply *rep);
/* The article id is r->id (may be empty: 404). */
void handle_page_article(request *r, reply *rep);

#endif
