/*
 * main.c - helpdex-index: options, then an indexing run or the lint.
 *
 * Exit status: 0 success; 1 some files were skipped (indexing) or the lint
 * found errors; 2 usage error; 3 the run failed and published nothing.
 */
#include "lint.h"
#include "pipeline.h"
#include "split.h"

#include "hdx/hdx.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs(
        "Usage: helpdex-index --corpus DIR --db DIR [options]\n"
        "       helpdex-index --corpus DIR --check [--format=text|json] "
        "[--strict]\n"
        "       helpdex-index --db DIR --split OUT [--split-by KEY] "
        "[--shards N]\n"
        "\n"
        "Index a folder of Markdown articles (YAML front matter + CommonMark)\n"
        "into a Xapian index.  Incremental: only new or changed files are\n"
        "parsed, removed files leave the index, and every run publishes all\n"
        "of its changes in one atomic commit (or none).\n"
        "\n"
        "Options:\n"
        "  --corpus DIR     folder of *.md articles (and synonyms.txt)\n"
        "  --db DIR         index folder (created if missing)\n"
        "  --rebuild        re-index every file, not only changed ones\n"
        "  --wait SECONDS   if another indexer holds the index, wait this long\n"
        "                   for it (default 0: exit at once with status 3)\n"
        "  --jobs N         parser threads (default: one per CPU, at most 8)\n"
        "  --changesets N   keep the last N commits as replication changesets\n"
        "                   for xapian-replicate-server (docs/scaling.md)\n"
        "  --quiet          no progress and no summary line\n"
        "  --check          lint only: report problems, write nothing\n"
        "  --format=FMT     lint output: text (default, like a compiler) or "
        "json\n"
        "  --strict         lint: warnings count as errors\n"
        "  --split OUT      cut the index at --db into OUT/shard-1..N and\n"
        "                   OUT/meta, for helpdex-serve --shard\n"
        "  --split-by KEY   product (default), year or round (round robin)\n"
        "  --shards N       how many shards (default 2, at most 64)\n"
        "  --help           this text\n"
        "  --version        print the version\n"
        "\n"
        "A broken file is reported as 'path:line: what is wrong' on stderr\n"
        "and skipped; its previously indexed version, if any, stays.\n"
        "Exit status: 0 ok, 1 some files skipped (or lint errors), 2 usage,\n"
        "3 the run failed and the previous index is unchanged.\n",
        f);
}

/* --changesets N: Xapian's glass backend reads XAPIAN_MAX_CHANGESETS
 * when a writer opens, so it is set before any is. */
static bool keep_changesets(const char *arg)
{
    char *end;
    if (strtol(arg, &end, 10) < 1 || *end || strlen(arg) > 6) {
        fprintf(stderr, "helpdex-index: --changesets: expected 1 to 999999, "
                        "got '%s'\n", arg);
        return false;
    }
    setenv("XAPIAN_MAX_CHANGESETS", arg, 1);
    return true;
}

/* The integer option `name`'s value `arg`, from min to max, into *out;
 * false (said on stderr) if it is not one. */
static bool int_opt(const char *name, const char *arg, int min, int max,
                    int *out)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (!*arg || *end || errno || v < min || v > max) {
        fprintf(stderr, "helpdex-index: %s: expected a whole number from %d "
                        "to %d, got '%s'\n", name, min, max, arg);
        return false;
    }
    *out = (int)v;
    return true;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"corpus", required_argument, NULL, 'c'},
        {"db", required_argument, NULL, 'd'},
        {"rebuild", no_argument, NULL, 'r'},
        {"wait", required_argument, NULL, 'w'},
        {"jobs", required_argument, NULL, 'j'},
        {"changesets", required_argument, NULL, 'K'},
        {"quiet", no_argument, NULL, 'q'},
        {"check", no_argument, NULL, 'C'},
        {"format", required_argument, NULL, 'f'},
        {"strict", no_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    if (split_wanted(argc, argv))
        return split_main(argc, argv);
    index_opts io = {0};
    lint_opts lo = {0};
    bool check = false;
    int c;
    while ((c = getopt_long(argc, argv, "c:d:rw:j:K:qCf:shV", longopts, NULL)) !=
           -1) {
        switch (c) {
        case 'c': io.corpus = lo.corpus = optarg; break;
        case 'd': io.db = optarg; break;
        case 'r': io.rebuild = true; break;
        case 'w':
            if (!int_opt("--wait", optarg, 0, 86400, &io.wait_seconds))
                return 2;
            break;
        case 'j':
            if (!int_opt("--jobs", optarg, 1, 16, &io.jobs))
                return 2;
            break;
        case 'K':
            if (!keep_changesets(optarg))
                return 2;
            break;
        case 'q': io.quiet = true; break;
        case 'C': check = true; break;
        case 'f':
            if (!strcmp(optarg, "json"))
                lo.json = true;
            else if (strcmp(optarg, "text") != 0) {
                fprintf(stderr, "helpdex-index: --format: expected text or "
                                "json, got '%s'\n", optarg);
                return 2;
            }
            break;
        case 's': lo.strict = true; break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("helpdex-index %s\n", HDX_VERSION); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "helpdex-index: unexpected argument '%s'\n",
                argv[optind]);
        return 2;
    }
    if (!io.corpus) {
        fprintf(stderr, "helpdex-index: --corpus DIR is required (see "
                        "--help)\n");
        return 2;
    }
    if (check)
        return lint_run(&lo);
    if (!io.db) {
        fprintf(stderr, "helpdex-index: --db DIR is required (see --help)\n");
        return 2;
    }
    return index_run(&io);
}
