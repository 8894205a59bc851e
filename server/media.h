/*
 * media.h - images and attachments of articles, served from the corpus
 * (GET /media/{path}?a={article id}; docs/help-center.md, "Images and
 * attachments").
 *
 * A file is served only when all of these hold: helpdex-serve was given
 * --corpus DIR; its path has no "."/".." or empty segment and resolves
 * (realpath, so no symbolic link leads out) to a regular file inside DIR;
 * its extension is on the allow-list; and the article `a`, as the caller
 * may see it (audience, drafts, sections), references it.  So a file next
 * to an agent-only or draft article is never served to the public.
 */
#ifndef HDX_SERVER_MEDIA_H
#define HDX_SERVER_MEDIA_H

#include <stdbool.h>

#include "http.h"

/* Largest file served (bytes). */
#define MEDIA_MAX_BYTES (20u * 1024u * 1024u)

/* Set the corpus root (NULL: no media are served).  False, with a
 * message on stderr, when DIR cannot be resolved.  Call once, before
 * the daemon starts. */
bool media_open(const char *dir);
void media_close(void);

/* The Content-Type of an allowed file name (static), or NULL. */
const char *media_type(const char *name);

/*
 * The media URL of corpus path `path` referenced by article `id`
 * ("/media/docfx/media/x.png?a=ID", percent-encoded; malloc'd), or NULL
 * when it would not be served: no corpus, a bad path, not a regular file
 * inside the corpus, or a type not allowed.  Thread-safe.
 */
char *media_url(const char *path, const char *id);

/* GET /media/{path}?a={id}: the file, or 404 (never saying why). */
void handle_media(request *r, reply *rep);

#endif
