/*
 * retention.c - the retention delete (see retention.h).
 */
#include "retention.h"

hdx_status analytics_retention_run(sqlite3 *db, long days, time_t now,
                                   long long *deleted, hdx_error *err)
{
    if (deleted)
        *deleted = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "DELETE FROM events WHERE ts < ?1", -1, &st,
                           NULL) != SQLITE_OK)
        return hdx_error_set(err, HDX_EDB, __func__, "%s",
                             sqlite3_errmsg(db));
    sqlite3_bind_int64(st, 1, (sqlite3_int64)now - (sqlite3_int64)days * 86400);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return hdx_error_set(err, HDX_EDB, __func__, "%s",
                             sqlite3_errmsg(db));
    if (deleted)
        *deleted = sqlite3_changes(db);
    return HDX_OK;
}
