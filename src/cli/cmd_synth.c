/* src/cli/cmd_synth.c: `knod synth`, write a synthetic data set.
 *
 * For demos, benchmarks and tests: the files of registry/reg_synth.h in a
 * directory, ready for `knod import`. Needs no knod directory (only the
 * embedded reference geography). Prints one line per file and the total.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/date.h"
#include "cli/cli.h"
#include "domain/geo.h"
#include "registry/reg_synth.h"

static const char usage[] =
    "usage: knod synth --persons N --out DIR [--years Y] [--end-year YYYY]\n"
    "                  [--seed S] [--threads T]\n"
    "\n"
    "Write a synthetic care data set for all 21 regions in the CSV import\n"
    "format (docs/import-format.md), one file per kind in DIR: units.csv,\n"
    "persons.csv, contacts.csv, self_harm.csv, coercive_measures.csv,\n"
    "assessments.csv, care_plans.csv, treatments.csv, follow_ups.csv and\n"
    "pathway_steps.csv. DIR is created if missing; files of these names are\n"
    "replaced. The same arguments give byte-identical files. The persons are\n"
    "young people (about 10-28 years old) with valid but made-up\n"
    "personnummer; about 10 event rows per person, shaped like the published\n"
    "Swedish self-harm figures; the region differences are invented.\n"
    "\n"
    "  --persons N      number of persons, 1 to 5000000\n"
    "  --out DIR        the directory to write to\n"
    "  --years Y        calendar years in the period, 1 to 30 (default 5)\n"
    "  --end-year YYYY  the last year of the period, a completed year\n"
    "                   (default 2024, so 2020-2024)\n"
    "  --seed S         seed, 0 to 18446744073709551615 (default 1)\n"
    "  --threads T      worker threads, 1 to 64 (default: one per CPU, at\n"
    "                   most 8); does not change the files\n"
    "  -h, --help       show this help\n";

/* A whole decimal number in lo..hi; false if s is anything else. */
static bool parse_long(const char *s, long lo, long hi, long *out)
{
    if (s == NULL || s[0] < '0' || s[0] > '9')
        return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static bool parse_u64(const char *s, uint64_t *out)
{
    if (s == NULL || s[0] < '0' || s[0] > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *out = (uint64_t)v;
    return true;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cmd_synth(int argc, char **argv)
{
    static const struct option opts[] = {
        { "persons", required_argument, NULL, 'n' },
        { "out", required_argument, NULL, 'o' },
        { "years", required_argument, NULL, 'y' },
        { "end-year", required_argument, NULL, 'e' },
        { "seed", required_argument, NULL, 's' },
        { "threads", required_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int last_year = date_to_ymd(date_today()).year - 1;
    struct reg_synth_options o = { 0, 5, 2024, 1, NULL, 0 };
    bool have_persons = false;
    long v;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (!parse_long(optarg, 1, REG_SYNTH_MAX_PERSONS, &v))
                return cli_usage_error(argv[0], "--persons must be a whole number from 1 "
                                       "to %ld", REG_SYNTH_MAX_PERSONS);
            o.persons = v;
            have_persons = true;
            break;
        case 'o': o.out_dir = optarg; break;
        case 'y':
            if (!parse_long(optarg, 1, REG_SYNTH_MAX_YEARS, &v))
                return cli_usage_error(argv[0], "--years must be a whole number from 1 "
                                       "to %d", REG_SYNTH_MAX_YEARS);
            o.years = (int)v;
            break;
        case 'e':
            if (!parse_long(optarg, REG_SYNTH_MIN_YEAR, last_year, &v))
                return cli_usage_error(argv[0], "--end-year must be a completed year, "
                                       "%d to %d", REG_SYNTH_MIN_YEAR, last_year);
            o.end_year = (int)v;
            break;
        case 's':
            if (!parse_u64(optarg, &o.seed))
                return cli_usage_error(argv[0], "--seed must be a whole number from 0 "
                                       "to 18446744073709551615");
            break;
        case 't':
            if (!parse_long(optarg, 1, 64, &v))
                return cli_usage_error(argv[0], "--threads must be a whole number from 1 "
                                       "to 64");
            o.threads = (int)v;
            break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return cli_usage_error(argv[0], "unknown option");
        }
    }
    if (optind != argc)
        return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
    if (!have_persons)
        return cli_usage_error(argv[0], "--persons is required");
    if (o.out_dir == NULL || o.out_dir[0] == '\0')
        return cli_usage_error(argv[0], "--out is required");

    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    struct geo g;
    struct reg_synth_stats st;
    arena_init(&a);
    double t0 = now_seconds();
    int rc = geo_load(&g, &a, &err);
    if (rc == 0)
        rc = reg_synth_write(&o, &g, &st, &err);
    arena_release(&a);
    if (rc != 0)
        return cli_fail(&err);
    double secs = now_seconds() - t0;

    uint64_t rows = 0, bytes = 0;
    for (int k = 0; k < REG_SYNTH_NKINDS; k++) {
        printf("%-22s %10llu rows %9.1f MB\n", reg_synth_file_name(k),
               (unsigned long long)st.rows[k], (double)st.bytes[k] / 1e6);
        rows += st.rows[k];
        bytes += st.bytes[k];
    }
    printf("%-22s %10llu rows %9.1f MB in %.2f s (%d-%d, seed %llu)\n", "total",
           (unsigned long long)rows, (double)bytes / 1e6, secs, o.end_year - o.years + 1,
           o.end_year, (unsigned long long)o.seed);
    return EXIT_OK;
}
