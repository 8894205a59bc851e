/*
 * split.c - helpdex-index --split (see split.h): its own options, the
 * output folder made, the library's hdx_split() run, one summary line.
 */
#include "split.h"

#include "hdx/xapian.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct split_opts {
    const char *db, *out, *by;
    unsigned shards;
    bool quiet;
} split_opts;

bool split_wanted(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "--split") || !strncmp(argv[i], "--split=", 8))
            return true;
    return false;
}

/* The options into *o; false (with a message) for a bad one. */
static bool parse(int argc, char **argv, split_opts *o)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"split", required_argument, NULL, 'S'},
        {"split-by", required_argument, NULL, 'B'},
        {"shards", required_argument, NULL, 'n'},
        {"quiet", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "d:q", longopts, NULL)) != -1) {
        char *end;
        long n;
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'S': o->out = optarg; break;
        case 'B': o->by = optarg; break;
        case 'q': o->quiet = true; break;
        case 'n':
            n = strtol(optarg, &end, 10);
            if (!*optarg || *end || n < 1 || n > 64) {
                fprintf(stderr, "helpdex-index: --shards: expected 1 to 64, "
                                "got '%s'\n", optarg);
                return false;
            }
            o->shards = (unsigned)n;
            break;
        default:
            fprintf(stderr, "helpdex-index: --split takes --db, --split-by, "
                            "--shards and --quiet only\n");
            return false;
        }
    }
    if (!o->db) {
        fprintf(stderr, "helpdex-index: --split needs --db DIR\n");
        return false;
    }
    return true;
}

int split_main(int argc, char **argv)
{
    static const char *const names[] = {"product", "year", "round"};
    split_opts o = {NULL, NULL, "product", 2, false};
    if (!parse(argc, argv, &o))
        return 2;
    int k = 0;
    while (k < 3 && strcmp(o.by, names[k]) != 0)
        k++;
    if (k == 3) {
        fprintf(stderr, "helpdex-index: --split-by: expected product, year "
                        "or round, got '%s'\n", o.by);
        return 2;
    }
    if (mkdir(o.out, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "helpdex-index: %s: %s\n", o.out, strerror(errno));
        return 3;
    }
    unsigned counts[64];
    hdx_error err;
    if (hdx_split(o.db, o.out, (hdx_split_by)k, o.shards, counts, &err) !=
        HDX_OK) {
        fprintf(stderr, "helpdex-index: --split %s: %s\n", o.out, err.msg);
        return 3;
    }
    if (!o.quiet) {
        printf("split %s by %s into %s/meta and", o.db, o.by, o.out);
        for (unsigned i = 0; i < o.shards; i++)
            printf(" %s/shard-%u (%u docs)%s", o.out, i + 1, counts[i],
                   i + 1 < o.shards ? "," : "\n");
    }
    return 0;
}
