/*
 * main.c - helpdex-report: the analytics reports on the command line, as
 * Markdown, CSV or JSON, for a cron job or a spreadsheet.  It opens the
 * store (analytics/schema.h) read-only, computes the report once
 * (analytics/report.h) and prints the sections asked for.  Exit status: 0,
 * 1 when the store cannot be read, 2 for a bad option or a missing store.
 * Several --analytics-db (one per serving host) are read as one
 * (analytics/merge.h).
 */
#include "analytics/merge.h"
#include "analytics/report.h"
#include "analytics/schema.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs(
        "Usage: helpdex-report --analytics-db FILE [options]\n"
        "\n"
        "Print the help center's analytics (docs/analytics-reports.md): the\n"
        "search and self-service KPIs per day or week, per product and per\n"
        "locale, the per-article table and the content gaps.\n"
        "\n"
        "Options:\n"
        "  --analytics-db FILE the analytics store helpdex-serve records\n"
        "                      into (required); repeat it to report over\n"
        "                      several serving hosts' stores as one\n"
        "  --from YYYY-MM-DD   first day of the period (default: 29 days\n"
        "                      before --to)\n"
        "  --to YYYY-MM-DD     last day of the period, included (default:\n"
        "                      today, UTC)\n"
        "  --by day|week       the buckets of the KPI series (default day)\n"
        "  --product P         only sessions with an event of product P\n"
        "  --locale L          only sessions with an event of locale L\n"
        "  --audience A        public (default), agent, internal or all\n"
        "  --format F          md (default), csv or json\n"
        "  --section S         kpis, articles, gaps or all (default)\n"
        "  --help, --version\n",
        f);
}

typedef struct opts {
    const char *dbs[ANALYTICS_MERGE_MAX], *from, *to, *format;
    size_t n_dbs;
    report_params p;
    unsigned sections;
} opts;

static int bad(const char *opt, const char *arg, const char *expected)
{
    fprintf(stderr, "helpdex-report: --%s: expected %s, got '%s'\n", opt,
            expected, arg);
    return 2;
}

/* Parse argv into *o; -1 to go on, else the exit status. */
static int parse(int argc, char **argv, opts *o)
{
    static const struct option longopts[] = {
        {"analytics-db", required_argument, NULL, 'd'},
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {"by", required_argument, NULL, 'b'},
        {"product", required_argument, NULL, 'p'},
        {"locale", required_argument, NULL, 'l'},
        {"audience", required_argument, NULL, 'a'},
        {"format", required_argument, NULL, 'F'},
        {"section", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (o->n_dbs == ANALYTICS_MERGE_MAX)
                return bad("analytics-db", optarg, "at most 11 stores");
            o->dbs[o->n_dbs++] = optarg;
            break;
        case 'f': o->from = optarg; break;
        case 't': o->to = optarg; break;
        case 'b':
            if (!report_parse_by(optarg, &o->p.by))
                return bad("by", optarg, "day or week");
            break;
        case 'p': o->p.product = optarg; break;
        case 'l': o->p.locale = optarg; break;
        case 'a':
            if (!report_parse_audience(optarg, &o->p.audience))
                return bad("audience", optarg,
                           "public, agent, internal or all");
            break;
        case 'F':
            if (strcmp(optarg, "md") && strcmp(optarg, "csv") &&
                strcmp(optarg, "json"))
                return bad("format", optarg, "md, csv or json");
            o->format = optarg;
            break;
        case 's':
            if (!report_parse_section(optarg, &o->sections))
                return bad("section", optarg, "kpis, articles, gaps or all");
            break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("helpdex-report %s\n", HDX_VERSION); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "helpdex-report: unexpected argument '%s' (see "
                        "--help)\n", argv[optind]);
        return 2;
    }
    if (!o->n_dbs) {
        fprintf(stderr, "helpdex-report: --analytics-db FILE is required "
                        "(see --help)\n");
        return 2;
    }
    hdx_error err;
    hdx_error_clear(&err);
    if (report_period(o->from, o->to, &o->p, &err) != HDX_OK) {
        fprintf(stderr, "helpdex-report: --%s\n", err.msg);
        return 2;
    }
    return -1;
}

static void print(const report *r, const opts *o)
{
    if (!strcmp(o->format, "json")) {
        json_t *j = report_json(r, o->sections);
        json_dumpf(j, stdout,
                   JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(10));
        fputc('\n', stdout);
        json_decref(j);
        return;
    }
    hdx_buf b;
    hdx_buf_init(&b);
    if (!strcmp(o->format, "csv"))
        report_csv(&b, r, o->sections);
    else
        report_md(&b, r, o->sections);
    fwrite(b.data, 1, b.len, stdout);
    hdx_buf_clear(&b);
}

int main(int argc, char **argv)
{
    opts o = {.format = "md", .sections = REPORT_ALL,
              .p = {.audience = "public"}};
    int rc = parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    hdx_error err;
    hdx_error_clear(&err);
    sqlite3 *db;
    hdx_status st = analytics_open_merged(o.dbs, o.n_dbs, &db, &err);
    if (st != HDX_OK) {
        fprintf(stderr, "helpdex-report: --analytics-db %s\n", err.msg);
        return st == HDX_ENOTFOUND ? 2 : 1;
    }
    sqlite3_exec(db, "PRAGMA query_only = 1", NULL, NULL, NULL);
    report *r;
    o.p.sections = o.sections;
    st = report_fill(db, &o.p, &r, &err);
    sqlite3_close(db);
    if (st != HDX_OK) {
        fprintf(stderr, "helpdex-report: %s%s: %s\n", o.dbs[0],
                o.n_dbs > 1 ? " and the others" : "", err.msg);
        return 1;
    }
    print(r, &o);
    report_free(r);
    return fflush(stdout) == 0 ? 0 : 1;
}
