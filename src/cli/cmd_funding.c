/* src/cli/cmd_funding.c: `knod funding allocate`, a national grant divided
 * among the regions (or municipalities) by population share. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/csv.h"
#include "cli/cli.h"
#include "domain/geo.h"
#include "network/fund.h"

static const char usage[] =
    "usage: knod funding allocate --grant SEK --year YYYY [--by region|municipality]\n"
    "                             [--region CODE] [--population FILE]\n"
    "                             [--format table|csv|json]\n"
    "\n"
    "Divide a national grant among the 21 regions (or the municipalities) in\n"
    "proportion to their population, in whole kronor that sum exactly to the\n"
    "grant: each area gets the whole kronor of its exact quota, and the kronor\n"
    "left over go one each to the largest remainders (the largest-remainder\n"
    "method; a tie goes to the lower code). Every row shows the population,\n"
    "the share, the exact quota and how far rounding moved it.\n"
    "\n"
    "The populations are the shipped table (all ages, data/population.csv)\n"
    "for --year; another year, or municipalities, need --population FILE: a\n"
    "CSV with the columns code and population, one row for every area of the\n"
    "division. Needs no knod directory.\n"
    "\n"
    "  --grant SEK        the grant in whole kronor (0 to 10^15)\n"
    "  --year YYYY        the population year (the shipped table has 2025)\n"
    "  --by LEVEL         region (default) or municipality\n"
    "  --region CODE      with --by municipality: only this region's\n"
    "                     municipalities share the grant\n"
    "  --population FILE  the areas' populations (code,population)\n"
    "  --format FORMAT    table (default), csv or json\n"
    "  -h, --help         show this help\n";

struct area {
    const char *code;
    const char *name;
};

/* The population of each area from the shipped table for year. */
static int shipped_population(const struct geo *g, int year, const struct area *areas, size_t n,
                              struct fund_part *parts, struct kn_error *err)
{
    bool any = false;
    int latest = 0;
    for (size_t i = 0; i < g->npopulation; i++) {
        if (g->population[i].year > latest)
            latest = g->population[i].year;
        if (g->population[i].year == year)
            any = true;
    }
    if (!any)
        return kn_fail(err, KN_EINPUT,
                       "no shipped population for %d (the table has %d); give "
                       "--population FILE",
                       year, latest);
    for (size_t k = 0; k < n; k++) {
        parts[k].weight = 0;
        for (size_t i = 0; i < g->npopulation; i++)
            if (g->population[i].year == year &&
                strcmp(g->population[i].region_code, areas[k].code) == 0)
                parts[k].weight += g->population[i].population;
    }
    return 0;
}

/* The populations of areas from FILE (code,population), every area once. */
static int file_population(const char *path, const struct area *areas, size_t n,
                           struct fund_part *parts, struct kn_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return kn_fail(err, KN_EIO, "cannot open '%s': %s", path, strerror(errno));
    struct csv_reader *r = NULL;
    struct csv_record rec;
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    int rc = csv_open_fd(&r, fd, name, NULL, err);
    int col_code = -1, col_pop = -1;
    bool *seen = calloc(n ? n : 1, sizeof *seen);
    if (!seen)
        rc = kn_fail(err, KN_ENOMEM, "out of memory");
    int got = rc == 0 ? csv_next(r, &rec, err) : 0;
    if (rc == 0 && got < 0)
        rc = got;
    else if (rc == 0 && got == 0)
        rc = kn_fail(err, KN_EINPUT, "%s: empty file", name);
    else if (rc == 0) {
        for (size_t i = 0; i < rec.n; i++) {
            if (strcmp(rec.f[i].s, "code") == 0)
                col_code = (int)i;
            else if (strcmp(rec.f[i].s, "population") == 0)
                col_pop = (int)i;
        }
        if (col_code < 0 || col_pop < 0)
            rc = kn_fail(err, KN_EINPUT, "%s:1: the header needs the columns 'code' and "
                         "'population'", name);
    }
    while (rc == 0) {
        int more = csv_next(r, &rec, err);
        if (more < 0) {
            rc = more;
            break;
        }
        if (more == 0)
            break;
        if (rec.n <= (size_t)col_code || rec.n <= (size_t)col_pop) {
            rc = kn_fail(err, KN_EINPUT, "%s:%ld: too few fields", name, (long)rec.line);
            break;
        }
        const char *code = rec.f[col_code].s, *pop = rec.f[col_pop].s;
        size_t k;
        for (k = 0; k < n && strcmp(areas[k].code, code) != 0; k++)
            ;
        char *end;
        errno = 0;
        long long v = strtoll(pop, &end, 10);
        if (k == n)
            rc = kn_fail(err, KN_EINPUT, "%s:%ld: field 'code': not an area of this division "
                         "(%zu areas)", name, (long)rec.line, n);
        else if (seen[k])
            rc = kn_fail(err, KN_EINPUT, "%s:%ld: field 'code': %s is given twice", name,
                         (long)rec.line, areas[k].code);
        else if (!*pop || *end || errno || v < 0 || v > 1000000000LL)
            rc = kn_fail(err, KN_EINPUT, "%s:%ld: field 'population': not a whole number "
                         "0 to 10^9", name, (long)rec.line);
        else {
            seen[k] = true;
            parts[k].weight = v;
        }
    }
    for (size_t k = 0; rc == 0 && k < n; k++)
        if (!seen[k])
            rc = kn_fail(err, KN_EINPUT, "%s: no population for %s (%s)", name, areas[k].code,
                         areas[k].name);
    free(seen);
    csv_free(r);
    close(fd);
    return rc;
}

static void put_row(const char *format, const struct area *a, const struct fund_part *p,
                    int64_t total, json_t *arr)
{
    char quota[40], share[32], diff[48];
    fund_quota_text(p, total, quota);
    snprintf(share, sizeof share, "%.4f", 100.0 * (double)p->weight / (double)total);
    fund_rounding_text(p, total, diff);
    if (strcmp(format, "json") == 0) {
        json_t *o = json_object();
        json_object_set_new(o, "code", json_string(a->code));
        json_object_set_new(o, "name", json_string(a->name));
        json_object_set_new(o, "population", json_integer(p->weight));
        json_object_set_new(o, "share_percent", json_string(share));
        json_object_set_new(o, "quota", json_string(quota));
        json_object_set_new(o, "rounding", json_string(diff));
        json_object_set_new(o, "amount", json_integer(p->amount));
        json_array_append_new(arr, o);
    } else if (strcmp(format, "csv") == 0) {
        /* Names of areas hold no comma or quote (the shipped data), but quote
         * them anyway so the CSV stays right if that changes. */
        printf("%s,\"%s\",%" PRId64 ",%s,%s,%s,%" PRId64 "\n", a->code, a->name, p->weight, share,
               quota, diff, p->amount);
    } else {
        cli_pad(a->code, 6);
        cli_pad(a->name, 26);
        printf("%12" PRId64 " %9s %20s %8s %16" PRId64 "\n", p->weight, share, quota, diff,
               p->amount);
    }
}

static int allocate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"grant", required_argument, NULL, 'g'},   {"year", required_argument, NULL, 'y'},
        {"by", required_argument, NULL, 'b'},      {"region", required_argument, NULL, 'r'},
        {"population", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},  {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *grant_s = NULL, *year_s = NULL, *by = "region", *region = NULL, *popfile = NULL,
               *format = "table";
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'g': grant_s = optarg; break;
        case 'y': year_s = optarg; break;
        case 'b': by = optarg; break;
        case 'r': region = optarg; break;
        case 'p': popfile = optarg; break;
        case 'f': format = optarg; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return cli_usage_error("funding allocate", "unknown option");
        }
    }
    if (optind != argc)
        return cli_usage_error("funding allocate", "unexpected argument '%s'", argv[optind]);
    if (!grant_s || !year_s)
        return cli_usage_error("funding allocate", "--grant and --year are required");
    if (strcmp(by, "region") != 0 && strcmp(by, "municipality") != 0)
        return cli_usage_error("funding allocate", "--by: region or municipality");
    if (strcmp(format, "table") != 0 && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
        return cli_usage_error("funding allocate", "--format: table, csv or json");
    if (region && strcmp(by, "municipality") != 0)
        return cli_usage_error("funding allocate", "--region goes with --by municipality");

    struct kn_error err = KN_ERROR_INIT;
    char *end;
    errno = 0;
    long long grant = strtoll(grant_s, &end, 10);
    if (!*grant_s || *end || errno || grant < 0 || grant > FUND_GRANT_MAX) {
        kn_fail(&err, KN_EINPUT, "--grant: give whole kronor, 0 to 10^15 (no spaces)");
        return cli_fail(&err);
    }
    long year = strtol(year_s, &end, 10);
    if (*end || year < 1900 || year > 2200) {
        kn_fail(&err, KN_EINPUT, "--year: give a year such as 2025");
        return cli_fail(&err);
    }

    struct arena a;
    arena_init(&a);
    struct geo g;
    int rc = geo_load(&g, &a, &err);
    struct area *areas = NULL;
    size_t n = 0;
    if (rc == 0 && region && !geo_region(&g, region))
        rc = kn_fail(&err, KN_EINPUT, "--region: '%s' is not a region code", region);
    if (rc == 0) {
        size_t cap = strcmp(by, "region") == 0 ? g.nregions : g.nmunicipalities;
        areas = arena_calloc(&a, cap, sizeof *areas);
        for (size_t i = 0; areas && i < cap; i++) {
            if (strcmp(by, "region") == 0) {
                areas[n++] = (struct area){g.regions[i].code, g.regions[i].name};
            } else if (!region || strcmp(g.municipalities[i].region_code, region) == 0) {
                areas[n++] = (struct area){g.municipalities[i].code, g.municipalities[i].name};
            }
        }
        if (!areas)
            rc = kn_fail(&err, KN_ENOMEM, "out of memory");
    }
    struct fund_part *parts = rc == 0 ? arena_calloc(&a, n ? n : 1, sizeof *parts) : NULL;
    if (rc == 0 && !parts)
        rc = kn_fail(&err, KN_ENOMEM, "out of memory");
    if (rc == 0 && popfile)
        rc = file_population(popfile, areas, n, parts, &err);
    else if (rc == 0 && strcmp(by, "municipality") == 0)
        rc = kn_fail(&err, KN_EINPUT, "knod ships no municipal populations: give "
                     "--population FILE (code,population)");
    else if (rc == 0)
        rc = shipped_population(&g, (int)year, areas, n, parts, &err);
    int64_t total = 0;
    if (rc == 0)
        rc = fund_allocate(parts, n, grant, &total, &err);
    if (rc != 0) {
        arena_release(&a);
        return cli_fail(&err);
    }

    json_t *arr = strcmp(format, "json") == 0 ? json_array() : NULL;
    if (strcmp(format, "csv") == 0)
        puts("code,name,population,share_percent,quota,rounding,amount");
    else if (strcmp(format, "table") == 0) {
        printf("Grant %lld kronor by %s population share, %ld (largest remainder)\n\n", grant,
               by, year);
        cli_pad("code", 6);
        cli_pad(strcmp(by, "region") == 0 ? "region" : "municipality", 26);
        printf("%12s %9s %20s %8s %16s\n", "population", "share %", "exact quota", "rounding",
               "amount");
    }
    for (size_t i = 0; i < n; i++)
        put_row(format, &areas[i], &parts[i], total, arr);
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += parts[i].amount;
    if (arr) {
        json_t *o = json_object();
        json_object_set_new(o, "grant", json_integer(grant));
        json_object_set_new(o, "year", json_integer(year));
        json_object_set_new(o, "by", json_string(by));
        if (region)
            json_object_set_new(o, "region", json_string(region));
        json_object_set_new(o, "method", json_string("largest remainder"));
        json_object_set_new(o, "population", json_integer(total));
        json_object_set_new(o, "sum", json_integer(sum));
        json_object_set_new(o, "parts", arr);
        char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (text)
            puts(text);
        free(text);
        json_decref(o);
    } else if (strcmp(format, "table") == 0) {
        printf("\n");
        cli_pad("", 6);
        cli_pad("total", 26);
        printf("%12" PRId64 " %9s %20s %8s %16" PRId64 "\n", total, "100", "", "", sum);
    }
    arena_release(&a);
    return EXIT_OK;
}

int cmd_funding(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "allocate") == 0)
        return allocate(argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    return cli_usage_error("funding", argc >= 2 ? "unknown subcommand '%s'" : "%s",
                           argc >= 2 ? argv[1] : "give a subcommand: allocate");
}
