/*
 * merge.c - several hosts' analytics stores read as one (see merge.h).
 */
#include "merge.h"

#include "hdx/buf.h"
#include "schema.h"

#include <stdio.h>

/* Check the store at `path` as analytics_open() does, then ATTACH it to
 * `db` as "h<i>". */
static hdx_status attach(sqlite3 *db, const char *path, size_t i,
                         hdx_error *err)
{
    sqlite3 *check;
    hdx_status st = analytics_open(path, false, &check, err);
    if (st != HDX_OK)
        return st;
    sqlite3_close(check);
    char sql[64];
    snprintf(sql, sizeof sql, "ATTACH ?1 AS h%zu", i);
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(stmt, 1, path, -1, SQLITE_STATIC);
        rc = sqlite3_step(stmt);
        sqlite3_finalize(stmt);
    }
    if (rc != SQLITE_DONE && rc != SQLITE_OK)
        return hdx_error_set(err, HDX_EDB_OPEN, __func__, "%s: %s", path,
                             sqlite3_errmsg(db));
    return HDX_OK;
}

hdx_status analytics_open_merged(const char *const *paths, size_t n,
                                 sqlite3 **out, hdx_error *err)
{
    *out = NULL;
    if (n == 0 || n > ANALYTICS_MERGE_MAX)
        return hdx_error_set(err, HDX_EINVAL, __func__,
                             "%zu stores: expected 1 to %d", n,
                             ANALYTICS_MERGE_MAX);
    sqlite3 *db;
    hdx_status st = analytics_open(paths[0], false, &db, err);
    if (st != HDX_OK || n == 1) {
        *out = db;
        return st;
    }
    hdx_buf view;
    hdx_buf_init(&view);
    hdx_buf_printf(&view, "CREATE TEMP VIEW events AS"
                          " SELECT * FROM main.events");
    for (size_t i = 1; i < n && st == HDX_OK; i++) {
        st = attach(db, paths[i], i, err);
        hdx_buf_printf(&view, " UNION ALL SELECT * FROM h%zu.events", i);
    }
    if (st == HDX_OK &&
        sqlite3_exec(db, view.data, NULL, NULL, NULL) != SQLITE_OK)
        st = hdx_error_set(err, HDX_EDB_OPEN, __func__, "%s: %s", paths[0],
                           sqlite3_errmsg(db));
    hdx_buf_clear(&view);
    if (st != HDX_OK) {
        sqlite3_close(db);
        return st;
    }
    *out = db;
    return HDX_OK;
}
