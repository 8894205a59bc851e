/*
 * web.h - start and stop the help center: its assets folder, its branding
 * and its feedback store.  The pages are web_pages.h, the routes are in
 * routes.c.
 */
#ifndef HDX_SERVER_WEB_H
#define HDX_SERVER_WEB_H

#include "hdx/hdx.h"

typedef struct web_config {
    const char *assets_dir;   /* folder of static assets (CSS, JS, logo) */
    const char *config_path;  /* branding file, or NULL for defaults */
    const char *feedback_db;  /* SQLite file for feedback, or NULL */
    const char *analytics_db; /* analytics store (analytics/schema.h),
                                 or NULL: analytics are off */
    const char *corpus;       /* corpus folder for images and attachments
                                 (media.h), or NULL: none are served */
    const char *public_url;   /* --public-url: base of absolute URLs
                                 (web_seo.h), or NULL: from Host */
    const char *base_path;    /* --base-path (base_path.h), or NULL */
    unsigned sitemap_max;     /* URLs per sitemap file (0: 50,000) */
} web_config;

/* Open the assets folder, load the branding, open the feedback store and
 * set the media root.  HDX_EIO / HDX_EPARSE for a bad branding file or a
 * corpus folder that cannot be resolved, HDX_EDB_OPEN for the store, with
 * the message in err; nothing is left open on failure. */
hdx_status web_init(const web_config *cfg, hdx_error *err);
void web_shutdown(void);

/* SIGHUP: read the branding file again; on failure (err says why) the
 * help center keeps the branding it had. */
hdx_status web_reload(const web_config *cfg, hdx_error *err);

#endif
