/*
 * gen_month.c - a seeded month of help-center sessions in an analytics
 * store, and the ground truth the reports must find in it.
 *
 *   gen_month --db FILE [--truth FILE] [--seed N]
 *
 * The store is created through analytics_open() (the schema has one
 * owner).  30 days from 2026-11-01 UTC; each day public sessions run one
 * scripted scenario (search and click, zero results, no click, a click
 * after the 30-minute window, the contact form deflected or escalated,
 * reading and voting, typeahead only) over real corpus/ article ids,
 * several products and locales, plus a little agent traffic that public
 * reports must not count.  Each scenario adds to the truth what it did,
 * so the truth (JSON, --truth) is counted independently of report.c.
 */
#include "analytics/schema.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAYS 30
#define START 1793491200LL /* 2026-11-01T00:00:00Z */
#define N_ART 14

static const char *const k_articles[N_ART] = {
    "reset-password",        "sync-stuck",          "two-factor-authentication",
    "files-not-syncing",     "sign-in",             "change-plan",
    "cancel-subscription",   "invoices-vat",        "sharing-links",
    "install-desktop-windows", "storage-quota-full", "restore-deleted-files",
    "mobile-offline-files",  "sso-troubleshooting"};
static const char *const k_products[] = {"web", "desktop", "admin", "api",
                                         "mobile"};
static const char *const k_locales[] = {"en", "de", "fr"};
static const char *const k_found[] = {"reset password", "sync stuck",
                                      "two factor", "change plan",
                                      "share link", "install windows"};
static const char *const k_noclick[] = {"invoice address", "team billing",
                                        "export calendar"};
static const char *const k_comments[] = {
    "Steps are outdated, \"Settings\" moved <b>again</b>",
    "=1+1 still broken", "Did not fix my problem", "Too long | unclear"};

/* The designed content gaps: variants that must cluster together. */
#define N_FAM 4
static const char *const k_family[N_FAM][3] = {
    {"refund order", "refunds for orders", "refunding my order"},
    {"error 0x80070005", "0x80070005", "sync error 0x80070005"},
    {"dark mode", "dark modes", "the dark mode"},
    {"printer offline", "printers offline", "printer is offline"}};

typedef struct counts {
    long sessions, searches, zero, with_results, clicked, clicks, n_pos;
    long long pos_sum;
    long active, succeeded, escalated, contact, deflected;
} counts;

typedef struct truth {
    counts all;
    long day_sessions[DAYS], day_searches[DAYS];
    long prod_sessions[5], loc_sessions[3];
    long art[N_ART][6]; /* views clicks helpful not_helpful comments esc */
    long fam_searches[N_FAM], fam_sessions[N_FAM], fam_zero[N_FAM];
    long fam_used[N_FAM][3];
    long agent_searches;
} truth;

typedef struct gen {
    sqlite3 *db;
    sqlite3_stmt *ins;
    uint64_t rng;
    truth t;
    /* the session being written */
    bool agent;
    char sid[33];
    long long ts;
    int day;
    const char *product, *locale, *audience;
    int last_article;  /* -1: none read yet */
    bool fam_seen[N_FAM];
} gen;

static uint32_t rnd(gen *g, uint32_t n)
{
    g->rng ^= g->rng << 13;
    g->rng ^= g->rng >> 7;
    g->rng ^= g->rng << 17;
    return (uint32_t)(g->rng % n);
}

/* One event; results, position, helpful and article are stored plus
 * one (SET(x)), so that 0, the default, leaves the column NULL. */
typedef struct event {
    const char *kind, *source, *query, *comment;
    int results, typeahead, position, helpful, article;
} event;

#define EV(...) (&(event){__VA_ARGS__})
#define SET(x) ((x) + 1)

static void emit(gen *g, long delay, const event *e)
{
    g->ts += delay;
    sqlite3_stmt *st = g->ins;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sqlite3_bind_int64(st, 1, g->ts);
    sqlite3_bind_text(st, 2, g->sid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, g->audience, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, e->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, e->source ? e->source : "web", -1,
                      SQLITE_STATIC);
    if (e->query)
        sqlite3_bind_text(st, 6, e->query, -1, SQLITE_STATIC);
    if (e->results)
        sqlite3_bind_int(st, 7, e->results - 1);
    sqlite3_bind_int(st, 8, e->typeahead);
    if (e->article)
        sqlite3_bind_text(st, 9, e->article <= N_ART
                                     ? k_articles[e->article - 1]
                                     : "internal-billing-override",
                          -1, SQLITE_STATIC);
    if (e->position)
        sqlite3_bind_int(st, 10, e->position - 1);
    if (e->helpful)
        sqlite3_bind_int(st, 11, e->helpful - 1);
    if (e->comment)
        sqlite3_bind_text(st, 12, e->comment, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 13, g->product, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 14, g->locale, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        fprintf(stderr, "gen_month: insert: %s\n", sqlite3_errmsg(g->db));
        exit(1);
    }
}

/* ---- actions: each writes one event and counts what it is ------------- */

static void search(gen *g, const char *q, int results, const char *source)
{
    emit(g, 5 + rnd(g, 40), EV(.kind = "search", .source = source,
                               .query = q, .results = SET(results)));
    if (g->agent) {
        g->t.agent_searches++;
        return;
    }
    g->t.all.searches++;
    g->t.day_searches[g->day]++;
    g->t.all.zero += results == 0;
    g->t.all.with_results += results > 0;
}

static void typeahead(gen *g, const char *q)
{
    emit(g, 1, EV(.kind = "search", .query = q, .results = SET((int)rnd(g, 5)),
                  .typeahead = 1));
}

/* A click `delay` seconds on; `counted`: it is the first click of a
 * search with results within the window. */
static void click(gen *g, int art, long delay, const char *source,
                  bool counted)
{
    int pos = 1 + (int)rnd(g, 5);
    emit(g, delay, EV(.kind = "click", .source = source, .article = SET(art),
                      .position = SET(pos)));
    if (g->agent)
        return;
    g->t.all.clicks++;
    g->t.all.n_pos++;
    g->t.all.pos_sum += pos;
    g->t.all.clicked += counted;
    g->t.art[art][1]++;
}

static void view(gen *g, int art)
{
    emit(g, 2, EV(.kind = "view", .article = SET(art)));
    g->last_article = art;
    if (!g->agent && art < N_ART)
        g->t.art[art][0]++;
}

static void feedback(gen *g, int art, bool helpful, const char *comment)
{
    emit(g, 30, EV(.kind = "feedback", .article = SET(art), .helpful = SET(helpful),
                   .comment = comment));
    g->t.art[art][helpful ? 2 : 3]++;
    g->t.art[art][4] += comment != NULL;
}

static void escalate(gen *g)
{
    emit(g, 60, EV(.kind = "escalation", .source = "contact",
                   .article = SET(g->last_article)));
    if (!g->agent && g->last_article >= 0 && g->last_article < N_ART)
        g->t.art[g->last_article][5]++;
}

static void family_search(gen *g, int f, bool zero)
{
    int form = (int)rnd(g, 3);
    search(g, k_family[f][form], zero ? 0 : 7, NULL);
    g->t.fam_searches[f]++;
    g->t.fam_zero[f] += zero;
    g->t.fam_used[f][form]++;
    if (!g->fam_seen[f])
        g->t.fam_sessions[f]++;
    g->fam_seen[f] = true;
}

/* ---- scenarios: what one session does; returns its outcome ------------ */

typedef struct outcome {
    bool active, escalated, contact, deflected;
} outcome;

static outcome found(gen *g)
{
    for (int k = (int)rnd(g, 3); k > 0; k--)
        typeahead(g, "res");
    for (int k = 1 + (int)rnd(g, 2); k > 0; k--) {
        int art = (int)rnd(g, N_ART);
        search(g, k_found[rnd(g, 6)], 3 + (int)rnd(g, 17), NULL);
        click(g, art, 10 + rnd(g, 50), NULL, true);
        view(g, art);
        if (rnd(g, 10) < 3)
            feedback(g, art, true, NULL);
    }
    return (outcome){.active = true};
}

static outcome zero_results(gen *g)
{
    int f = (int)rnd(g, 3);
    family_search(g, f, true);
    if (rnd(g, 10) < 3)
        family_search(g, f, true); /* tried again, another wording */
    if (rnd(g, 2)) {
        int art = (int)rnd(g, N_ART);
        search(g, k_found[rnd(g, 6)], 4, NULL);
        click(g, art, 20, NULL, true);
        view(g, art);
    }
    bool esc = rnd(g, 2);
    if (esc)
        escalate(g);
    return (outcome){.active = true, .escalated = esc};
}

static outcome no_click(gen *g)
{
    if (rnd(g, 2))
        family_search(g, 3, false);
    else
        search(g, k_noclick[rnd(g, 3)], 5, NULL);
    if (rnd(g, 10) < 3) {
        int art = (int)rnd(g, N_ART);
        search(g, k_found[rnd(g, 6)], 6, NULL);
        click(g, art, 15, NULL, true);
        view(g, art);
    }
    return (outcome){.active = true};
}

static outcome late_click(gen *g)
{
    int art = (int)rnd(g, N_ART);
    search(g, "sync stuck", 4, NULL);
    click(g, art, 2000, NULL, false); /* past the 30-minute window */
    view(g, art);
    return (outcome){.active = true};
}

/* The contact form: 0 deflected by a suggestion, 1 escalated without
 * one, 2 a suggestion read and escalated all the same. */
static outcome contact(gen *g, int how)
{
    if (rnd(g, 2))
        view(g, (int)rnd(g, N_ART));
    emit(g, 10, EV(.kind = "contact_open", .source = "contact"));
    search(g, k_noclick[rnd(g, 3)], 3, "contact");
    if (how == 1) {
        escalate(g);
        return (outcome){.active = true, .escalated = true, .contact = true};
    }
    int art = (int)rnd(g, N_ART);
    click(g, art, 8, "contact", true);
    view(g, art);
    if (how == 2)
        escalate(g);
    return (outcome){.active = true, .escalated = how == 2, .contact = true,
                     .deflected = how == 0};
}

static outcome reading(gen *g)
{
    int art = (int)rnd(g, N_ART);
    view(g, art);
    if (rnd(g, 2)) {
        int c = (int)rnd(g, 5);
        feedback(g, art, false, c < 4 ? k_comments[c] : NULL);
    }
    return (outcome){.active = true};
}

static outcome typeahead_only(gen *g)
{
    typeahead(g, "pa");
    typeahead(g, "pass");
    return (outcome){0};
}

static void agent_session(gen *g)
{
    search(g, "billing override internal", 0, "api");
    view(g, N_ART); /* internal-billing-override */
    search(g, "sync stuck", 5, "api");
    click(g, 1, 5, "api", true);
    escalate(g);
}

static void begin_session(gen *g, int day, bool agent)
{
    g->agent = agent;
    g->audience = agent ? "agent" : "public";
    for (int i = 0; i < 32; i++)
        g->sid[i] = "0123456789abcdef"[rnd(g, 16)];
    g->sid[32] = '\0';
    g->day = day;
    g->ts = START + day * 86400LL + rnd(g, 20 * 3600);
    g->last_article = -1;
    memset(g->fam_seen, 0, sizeof g->fam_seen);
    int p = (int)rnd(g, 5), l = (int)"0000000112"[rnd(g, 10)] - '0';
    g->product = k_products[p];
    g->locale = k_locales[l];
    if (agent)
        return;
    g->t.all.sessions++;
    g->t.day_sessions[day]++;
    g->t.prod_sessions[p]++;
    g->t.loc_sessions[l]++;
}

static void public_session(gen *g, int day)
{
    begin_session(g, day, false);
    outcome o;
    switch (rnd(g, 20)) {
    case 0: case 1: case 2: case 3: case 4: case 5: o = found(g); break;
    case 6: case 7: case 8: o = zero_results(g); break;
    case 9: case 10: case 11: o = no_click(g); break;
    case 12: o = late_click(g); break;
    case 13: case 14: o = contact(g, 0); break;
    case 15: o = contact(g, 1); break;
    case 16: o = contact(g, 2); break;
    case 17: case 18: o = reading(g); break;
    default: o = typeahead_only(g); break;
    }
    counts *c = &g->t.all;
    c->active += o.active;
    c->succeeded += o.active && !o.escalated;
    c->escalated += o.escalated;
    c->contact += o.contact;
    c->deflected += o.deflected;
}

static json_t *truth_json(const truth *t)
{
    const counts *c = &t->all;
    json_t *o = json_pack(
        "{s:{s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i}}",
        "totals", "sessions", (json_int_t)c->sessions, "searches",
        (json_int_t)c->searches, "zero_result_searches", (json_int_t)c->zero,
        "searches_with_results", (json_int_t)c->with_results,
        "clicked_searches", (json_int_t)c->clicked, "clicks",
        (json_int_t)c->clicks, "clicks_with_position", (json_int_t)c->n_pos,
        "position_sum", (json_int_t)c->pos_sum, "active_sessions",
        (json_int_t)c->active, "self_service_sessions",
        (json_int_t)c->succeeded, "escalated_sessions",
        (json_int_t)c->escalated, "contact_sessions", (json_int_t)c->contact,
        "deflected_sessions", (json_int_t)c->deflected);
    json_t *days = json_array();
    for (int d = 0; d < DAYS; d++)
        json_array_append_new(days, json_pack("{s:i,s:i}", "sessions",
                                              (json_int_t)t->day_sessions[d],
                                              "searches",
                                              (json_int_t)t->day_searches[d]));
    json_object_set_new(o, "days", days);
    json_t *prod = json_object(), *loc = json_object(), *arts = json_object();
    for (int p = 0; p < 5; p++)
        json_object_set_new(prod, k_products[p],
                            json_integer(t->prod_sessions[p]));
    for (int l = 0; l < 3; l++)
        json_object_set_new(loc, k_locales[l], json_integer(t->loc_sessions[l]));
    static const char *const f[6] = {"views",       "clicks",   "helpful",
                                     "not_helpful", "comments", "escalations"};
    for (int a = 0; a < N_ART; a++) {
        json_t *row = json_object();
        for (int k = 0; k < 6; k++)
            json_object_set_new(row, f[k], json_integer(t->art[a][k]));
        json_object_set_new(arts, k_articles[a], row);
    }
    json_object_set_new(o, "sessions_by_product", prod);
    json_object_set_new(o, "sessions_by_locale", loc);
    json_object_set_new(o, "articles", arts);
    json_t *fams = json_array();
    for (int i = 0; i < N_FAM; i++) {
        json_t *forms = json_array();
        for (int k = 0; k < 3; k++)
            if (t->fam_used[i][k])
                json_array_append_new(forms, json_string(k_family[i][k]));
        json_array_append_new(
            fams, json_pack("{s:o,s:i,s:i,s:i}", "variants", forms, "searches",
                            (json_int_t)t->fam_searches[i], "sessions",
                            (json_int_t)t->fam_sessions[i], "zero_results",
                            (json_int_t)t->fam_zero[i]));
    }
    json_object_set_new(o, "families", fams);
    json_object_set_new(o, "agent", json_pack("{s:i,s:s}", "searches",
                                              (json_int_t)t->agent_searches,
                                              "zero_query",
                                              "billing override internal"));
    return o;
}

static int generate(gen *g)
{
    sqlite3_exec(g->db, "BEGIN", NULL, NULL, NULL);
    if (sqlite3_prepare_v2(
            g->db,
            "INSERT INTO events(ts, session, audience, kind, source, query,"
            " results, typeahead, article, position, helpful, comment,"
            " product, locale) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            -1, &g->ins, NULL) != SQLITE_OK) {
        fprintf(stderr, "gen_month: %s\n", sqlite3_errmsg(g->db));
        return 1;
    }
    for (int day = 0; day < DAYS; day++) {
        int n = 30 + (int)rnd(g, 30);
        for (int i = 0; i < n; i++)
            public_session(g, day);
        for (int i = 0; i < 3; i++) {
            begin_session(g, day, true);
            agent_session(g);
        }
    }
    sqlite3_finalize(g->ins);
    return sqlite3_exec(g->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0
                                                                         : 1;
}

int main(int argc, char **argv)
{
    const char *path = NULL, *truth_path = NULL;
    unsigned long long seed = 42;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--db"))
            path = argv[i + 1];
        else if (!strcmp(argv[i], "--truth"))
            truth_path = argv[i + 1];
        else if (!strcmp(argv[i], "--seed"))
            seed = strtoull(argv[i + 1], NULL, 10);
    }
    if (!path) {
        fprintf(stderr, "usage: gen_month --db FILE [--truth FILE] "
                        "[--seed N]\n");
        return 2;
    }
    static gen g;
    g.rng = seed * 2654435761ULL + 88172645463325252ULL;
    hdx_error err;
    hdx_error_clear(&err);
    if (analytics_open(path, true, &g.db, &err) != HDX_OK) {
        fprintf(stderr, "gen_month: %s\n", err.msg);
        return 1;
    }
    int rc = generate(&g);
    sqlite3_close(g.db);
    if (rc == 0 && truth_path) {
        json_t *t = truth_json(&g.t);
        rc = json_dump_file(t, truth_path, JSON_INDENT(1)) ? 1 : 0;
        json_decref(t);
    }
    return rc;
}
