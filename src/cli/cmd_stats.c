/* src/cli/cmd_stats.c: `knod stats`, statistics from aggregate CSV files. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "cli/cli.h"
#include "domain/geo.h"
#include "stats/stat_agg.h"

static const char usage[] =
    "usage: knod stats proportion --in FILE [--by COLS] [--multiplier 1|100]\n"
    "       knod stats rate --in FILE [--by COLS] [--multiplier N]\n"
    "       knod stats dsr --in FILE --by COLS [--multiplier N] [--standard FILE]\n"
    "\n"
    "Compute the indicator engine's statistics from an aggregate CSV: rows are\n"
    "summed per group of the --by columns (comma-separated names), then\n"
    "  proportion  numerator,denominator       Wilson score interval\n"
    "  rate        count,population            exact Poisson below 10, Byar's\n"
    "                                          method from 10 (per --multiplier,\n"
    "                                          default 100000)\n"
    "  dsr         age_group,count,population  directly standardised rate with\n"
    "                                          the Dobson interval; one row per\n"
    "                                          age group of the standard (ESP2013\n"
    "                                          unless --standard FILE with\n"
    "                                          age_group,weight); not computed\n"
    "                                          when a group has fewer than 10 events\n"
    "Output (stdout): the --by columns, the totals, value, lower_95, upper_95,\n"
    "lower_99_8, upper_99_8, note, in full double precision.\n"
    "\n"
    "  --in FILE        the aggregate CSV\n"
    "  --by COLS        group by these columns\n"
    "  --multiplier N   scale of the value (proportion: 1 or 100)\n"
    "  --standard FILE  standard population for dsr\n"
    "  -h, --help       show this help\n";

static int split_by(char *s, const char **out, size_t cap, size_t *n)
{
    *n = 0;
    for (char *tok = strtok(s, ","); tok != NULL; tok = strtok(NULL, ",")) {
        if (*n + 1 >= cap)
            return -1;
        out[(*n)++] = tok;
    }
    out[*n] = NULL;
    return 0;
}

int cmd_stats(int argc, char **argv)
{
    static const struct option opts[] = {
        { "in", required_argument, NULL, 'i' },
        { "by", required_argument, NULL, 'b' },
        { "multiplier", required_argument, NULL, 'm' },
        { "standard", required_argument, NULL, 's' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *in = NULL, *standard = NULL;
    char *by_arg = NULL;
    double multiplier = -1;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'i': in = optarg; break;
        case 'b': by_arg = optarg; break;
        case 'm': {
            char *end = NULL;
            multiplier = strtod(optarg, &end);
            if (end == optarg || *end != '\0' || !(multiplier > 0))
                return cli_usage_error(argv[0], "--multiplier: expected a number above 0");
            break;
        }
        case 's': standard = optarg; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return cli_usage_error(argv[0], "unknown option");
        }
    }
    if (argc - optind > 1)
        return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind + 1]);
    if (argc - optind != 1)
        return cli_usage_error(argv[0], "expected 'proportion', 'rate' or 'dsr'");
    struct stat_agg_options o = { 0 };
    const char *what = argv[optind];
    if (strcmp(what, "proportion") == 0)
        o.kind = STAT_AGG_PROPORTION;
    else if (strcmp(what, "rate") == 0)
        o.kind = STAT_AGG_RATE;
    else if (strcmp(what, "dsr") == 0)
        o.kind = STAT_AGG_DSR;
    else
        return cli_usage_error(argv[0], "unknown statistic '%s'", what);
    if (in == NULL)
        return cli_usage_error(argv[0], "--in FILE is required");
    if (o.kind == STAT_AGG_PROPORTION) {
        if (multiplier < 0)
            multiplier = 1;
        if (multiplier != 1 && multiplier != 100)
            return cli_usage_error(argv[0], "--multiplier for a proportion is 1 or 100");
    } else if (multiplier < 0) {
        multiplier = 100000;
    }
    if (o.kind == STAT_AGG_DSR && by_arg == NULL)
        return cli_usage_error(argv[0], "dsr needs --by (the groups to standardise)");
    if (o.kind != STAT_AGG_DSR && standard != NULL)
        return cli_usage_error(argv[0], "--standard goes with dsr");

    const char *by[17];
    size_t nby = 0;
    char *by_copy = by_arg ? strdup(by_arg) : NULL;
    if (by_arg != NULL && (by_copy == NULL || split_by(by_copy, by, 17, &nby) != 0)) {
        free(by_copy);
        return cli_usage_error(argv[0], "--by: at most 16 columns");
    }
    if (by_arg == NULL)
        by[0] = NULL;
    o.in_path = in;
    o.by = by;
    o.multiplier = multiplier;

    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    arena_init(&a);
    struct stat_std_band *bands = NULL, *own = NULL;
    size_t nbands = 0;
    int rc = 0;
    if (o.kind == STAT_AGG_DSR) {
        if (standard != NULL) {
            rc = stat_agg_read_standard(standard, &own, &nbands, &err);
            bands = own;
        } else {
            struct geo g;
            rc = geo_load(&g, &a, &err);
            if (rc == 0) {
                bands = arena_calloc(&a, g.nesp2013, sizeof *bands);
                for (size_t i = 0; bands != NULL && i < g.nesp2013; i++) {
                    bands[i].age_group = g.esp2013[i].age_group;
                    bands[i].weight = g.esp2013[i].weight;
                }
                nbands = g.nesp2013;
                if (bands == NULL)
                    rc = kn_fail(&err, KN_ENOMEM, "out of memory");
            }
        }
        o.standard = bands;
        o.nstandard = nbands;
    }
    if (rc == 0)
        rc = stat_agg_run(&o, stdout, &err);
    free(own);
    free(by_copy);
    arena_release(&a);
    return rc == 0 ? EXIT_OK : cli_fail(&err);
}
