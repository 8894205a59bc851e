/*
 * publish.c - one file into the open batch (see publish.h).
 *
 * Order inside the batch does not matter to readers (they see the batch
 * whole or not at all), but it does to the writer: old documents are
 * deleted by path before the new ones go in, so a renamed id cannot leave
 * a stale version behind.
 */
#include "publish.h"

#include "state.h"

/* The path's documents and its hold on `released_id` leave the index. */
static hdx_status withdraw(hdx_writer *w, const char *path,
                           const char *released_id, hdx_error *err)
{
    hdx_status st = hdx_writer_delete_path(w, path, NULL, err);
    if (st == HDX_OK && released_id)
        st = state_set_id_owner(w, released_id, NULL, err);
    return st;
}

hdx_status publish_file(hdx_writer *w, const publish_item *it, bool fresh,
                        const char *released_id, hdx_error *err)
{
    /* A fresh shard holds no earlier version of anything: add, do not
     * look up what to replace. */
    hdx_status st = fresh ? HDX_OK : withdraw(w, it->path, released_id, err);
    if (st == HDX_OK)
        st = hdx_writer_put(w, it->docs, fresh, err);
    if (st == HDX_OK)
        st = state_set_id_owner(w, it->id, it->path, err);
    if (st == HDX_OK)
        st = state_put(w, it->path, it->size, it->mtime_ns, it->hash, it->id,
                       err);
    return st;
}

hdx_status publish_remove(hdx_writer *w, const char *path,
                          const char *released_id, hdx_error *err)
{
    hdx_status st = withdraw(w, path, released_id, err);
    if (st == HDX_OK)
        st = state_delete(w, path, err);
    return st;
}
