/*
 * web.c - the help center's start and stop (see web.h).
 */
#include "web.h"

#include "media.h"

#include "assets.h"
#include "base_path.h"
#include "brand.h"
#include "feedback_store.h"
#include "web_admin.h"
#include "web_seo.h"

hdx_status web_init(const web_config *cfg, hdx_error *err)
{
    base_path_set(cfg->base_path); /* before anything writes a URL */
    assets_open(cfg->assets_dir);
    admin_set_store(cfg->analytics_db);
    hdx_status st = brand_open(cfg->config_path, assets_dir(), err);
    if (st == HDX_OK) {
        st = feedback_store_open(cfg->feedback_db, err);
        if (st != HDX_OK)
            brand_close();
    }
    if (st == HDX_OK && !media_open(cfg->corpus)) {
        st = hdx_error_set(err, HDX_EIO, __func__, "cannot use --corpus %s",
                           cfg->corpus);
        feedback_store_close();
        brand_close();
    }
    if (st == HDX_OK && !seo_open(cfg->public_url, cfg->sitemap_max)) {
        st = hdx_error_set(err, HDX_EINVAL, __func__, "bad --public-url");
        media_close();
        feedback_store_close();
        brand_close();
    }
    if (st != HDX_OK) {
        assets_close();
        base_path_set(NULL);
    }
    return st;
}

hdx_status web_reload(const web_config *cfg, hdx_error *err)
{
    return brand_reload(cfg->config_path, assets_dir(), err);
}

void web_shutdown(void)
{
    seo_close();
    media_close();
    feedback_store_close();
    brand_close();
    assets_close();
    base_path_set(NULL);
}
