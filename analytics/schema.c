/*
 * schema.c - create and open the analytics store (see schema.h).
 */
#include "schema.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char k_schema[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS meta("
    "  key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS events("
    "  id INTEGER PRIMARY KEY,"
    "  ts INTEGER NOT NULL,"
    "  session TEXT NOT NULL,"
    "  audience TEXT NOT NULL"
    "    CHECK(audience IN ('public','agent','internal')),"
    "  kind TEXT NOT NULL CHECK(kind IN ('search','click','view','feedback',"
    "    'contact_open','escalation','conversion')),"
    "  source TEXT NOT NULL,"
    "  query TEXT, results INTEGER, relaxed INTEGER, corrected INTEGER,"
    "  typeahead INTEGER NOT NULL DEFAULT 0,"
    "  article TEXT, position INTEGER, helpful INTEGER, comment TEXT,"
    "  product TEXT, locale TEXT);"
    /* One index: every report reads a period (ts), and retention deletes
     * by ts.  An index on the random session ids cost 8 to 20 times the
     * insert of an event (random b-tree writes), on the writer's CPU,
     * while a report sorts a period's rows by session in well under a
     * second. */
    "CREATE INDEX IF NOT EXISTS events_ts ON events(ts);"
    "INSERT OR IGNORE INTO meta VALUES('schema', '" ANALYTICS_SCHEMA_VERSION
    "');";

/* The stored schema version, or "" when there is none. */
static void stored_version(sqlite3 *db, char *out, size_t n)
{
    out[0] = '\0';
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key='schema'",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

hdx_status analytics_open(const char *path, bool create, sqlite3 **out,
                          hdx_error *err)
{
    *out = NULL;
    if (!create && access(path, F_OK) != 0)
        return hdx_error_set(err, HDX_ENOTFOUND, __func__,
                             "%s: no analytics store here", path);
    sqlite3 *db;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX |
                (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        hdx_error_set(err, HDX_EDB_OPEN, __func__, "%s: %s", path,
                      db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return HDX_EDB_OPEN;
    }
    sqlite3_busy_timeout(db, 5000);
    char *msg = NULL;
    if (sqlite3_exec(db, k_schema, NULL, NULL, &msg) != SQLITE_OK) {
        hdx_error_set(err, HDX_EDB_OPEN, __func__,
                      "%s: not an analytics store (%s)", path,
                      msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_close(db);
        return HDX_EDB_OPEN;
    }
    char version[32];
    stored_version(db, version, sizeof version);
    if (strcmp(version, ANALYTICS_SCHEMA_VERSION) != 0) {
        hdx_error_set(err, HDX_EDB_OPEN, __func__,
                      "%s: analytics schema version '%s', this helpdex "
                      "reads version " ANALYTICS_SCHEMA_VERSION, path,
                      version);
        sqlite3_close(db);
        return HDX_EDB_OPEN;
    }
    *out = db;
    return HDX_OK;
}
