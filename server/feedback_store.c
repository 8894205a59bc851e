/*
 * feedback_store.c - the SQLite feedback store (see feedback_store.h).
 */
#include "feedback_store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>

static sqlite3 *g_db;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

static const char k_schema[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS feedback("
    " id INTEGER PRIMARY KEY,"
    " article TEXT NOT NULL,"
    " helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),"
    " comment TEXT,"
    " query TEXT,"
    " created TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS feedback_article ON feedback(article);";

hdx_status feedback_store_open(const char *path, hdx_error *err)
{
    if (!path || !*path)
        return HDX_OK;
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                 SQLITE_OPEN_FULLMUTEX,
                             NULL);
    char *emsg = NULL;
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        rc = sqlite3_exec(db, k_schema, NULL, NULL, &emsg);
    }
    if (rc != SQLITE_OK) {
        hdx_error_set(err, HDX_EDB_OPEN, __func__, "--feedback-db %s: %s",
                      path,
                      emsg ? emsg : db ? sqlite3_errmsg(db) : "cannot open");
        sqlite3_free(emsg);
        sqlite3_close(db);
        return HDX_EDB_OPEN;
    }
    g_db = db;
    return HDX_OK;
}

void feedback_store_close(void)
{
    pthread_mutex_lock(&g_lock);
    sqlite3_close(g_db);
    g_db = NULL;
    pthread_mutex_unlock(&g_lock);
}

bool feedback_store_enabled(void)
{
    pthread_mutex_lock(&g_lock);
    bool on = g_db != NULL;
    pthread_mutex_unlock(&g_lock);
    return on;
}

/* Lock the store and prepare `sql` (SQLITE_MISUSE when it is closed). */
static int begin(const char *sql, sqlite3_stmt **st)
{
    pthread_mutex_lock(&g_lock);
    *st = NULL;
    return g_db ? sqlite3_prepare_v2(g_db, sql, -1, st, NULL) : SQLITE_MISUSE;
}

/* Finish what begin() started: HDX_OK when rc is SQLITE_DONE, else
 * SQLite's message logged once and in err. */
static hdx_status end(sqlite3_stmt *st, int rc, const char *what,
                      hdx_error *err)
{
    hdx_status s = HDX_OK;
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "helpdex-serve: %s: %s\n", what,
                sqlite3_errmsg(g_db));
        s = hdx_error_set(err, HDX_EDB, what, "%s", sqlite3_errmsg(g_db));
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&g_lock);
    return s;
}

hdx_status feedback_store_add(const char *article, bool helpful,
                              const char *comment, const char *query,
                              hdx_error *err)
{
    sqlite3_stmt *st;
    int rc = begin("INSERT INTO feedback(article, helpful, comment, query, "
                   "created) VALUES(?1, ?2, ?3, ?4, "
                   "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                   &st);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, article, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 2, helpful ? 1 : 0);
        if (comment && *comment)
            sqlite3_bind_text(st, 3, comment, -1, SQLITE_TRANSIENT);
        if (query && *query)
            sqlite3_bind_text(st, 4, query, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(st);
    }
    return end(st, rc, "feedback", err);
}

hdx_status feedback_store_stats(feedback_row_fn fn, void *ctx,
                                hdx_error *err)
{
    sqlite3_stmt *st;
    int rc = begin("SELECT article, SUM(helpful), SUM(1 - helpful), "
                   "SUM(comment IS NOT NULL), MAX(created) FROM feedback "
                   "GROUP BY article ORDER BY SUM(1 - helpful) DESC, article",
                   &st);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        fn((const char *)sqlite3_column_text(st, 0),
           sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
           sqlite3_column_int64(st, 3),
           (const char *)sqlite3_column_text(st, 4), ctx);
        rc = SQLITE_OK;
    }
    return end(st, rc, "feedback stats", err);
}
