/* src/cli/cmd_geo.c: `knod geo`, the reference geography of a store. */
#include <getopt.h>
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "cli/cli.h"
#include "registry/reg_geo.h"

static const char usage[] =
    "usage: knod geo regions [--format text|json] [--dir DIR]\n"
    "       knod geo municipalities [--region CODE] [--format text|json] [--dir DIR]\n"
    "\n"
    "List the 21 regions (county code, name, healthcare region, population of\n"
    "all ages and of ages 10-24, number of municipalities) or the 290\n"
    "municipalities (of one region with --region) from the store.\n"
    "\n"
    "  --format F      text (default) or json: one JSON object per line\n"
    "  --json          the same as --format json\n"
    "  --region CODE   only this region's municipalities (e.g. 13)\n"
    "  --dir DIR       the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help      show this help\n";

static void print_json(json_t *o)
{
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text != NULL)
        puts(text);
    free(text);
    json_decref(o);
}

static int list_regions(struct store *s, bool as_json, struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    struct reg_region_row *rows = NULL;
    size_t n = 0;
    if (reg_geo_regions(s, a, &rows, &n, &err) != 0)
        return cli_fail(&err);
    if (!as_json) {
        cli_pad("code", 6); cli_pad("region", 28); cli_pad("healthcare region", 20);
        printf("%12s %12s %6s\n", "population", "aged 10-24", "munic");
    }
    for (size_t i = 0; i < n; i++) {
        const struct reg_region_row *r = &rows[i];
        if (as_json) {
            json_t *o = json_object();
            json_object_set_new(o, "code", json_string(r->code));
            json_object_set_new(o, "name", json_string(r->name));
            json_object_set_new(o, "short_name", json_string(r->short_name));
            json_object_set_new(o, "county_name", json_string(r->county_name));
            json_object_set_new(o, "healthcare_region", json_string(r->healthcare_region));
            json_object_set_new(o, "population", json_integer(r->population));
            json_object_set_new(o, "population_10_24", json_integer(r->population_10_24));
            json_object_set_new(o, "municipalities", json_integer(r->municipalities));
            print_json(o);
        } else {
            cli_pad(r->code, 6);
            cli_pad(r->name, 28);
            cli_pad(r->healthcare_region, 20);
            printf("%12lld %12lld %6d\n", (long long)r->population,
                   (long long)r->population_10_24, r->municipalities);
        }
    }
    return EXIT_OK;
}

static int list_municipalities(struct store *s, const char *region, bool as_json,
                               struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    struct reg_municipality_row *rows = NULL;
    size_t n = 0;
    if (reg_geo_municipalities(s, region, a, &rows, &n, &err) != 0)
        return cli_fail(&err);
    if (!as_json) {
        cli_pad("code", 6); cli_pad("municipality", 24); cli_pad("region", 8);
        puts("healthcare region");
    }
    for (size_t i = 0; i < n; i++) {
        const struct reg_municipality_row *m = &rows[i];
        if (as_json) {
            json_t *o = json_object();
            json_object_set_new(o, "code", json_string(m->code));
            json_object_set_new(o, "name", json_string(m->name));
            json_object_set_new(o, "region_code", json_string(m->region_code));
            json_object_set_new(o, "healthcare_region", json_string(m->healthcare_region));
            print_json(o);
        } else {
            cli_pad(m->code, 6);
            cli_pad(m->name, 24);
            cli_pad(m->region_code, 8);
            puts(m->healthcare_region);
        }
    }
    return EXIT_OK;
}

int cmd_geo(int argc, char **argv)
{
    static const struct option opts[] = {
        { "json", no_argument, NULL, 'j' },
        { "format", required_argument, NULL, 'f' },
        { "region", required_argument, NULL, 'r' },
        { "dir", required_argument, NULL, 'd' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *dir = NULL, *region = NULL;
    bool as_json = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': as_json = true; break;
        case 'f': {
            static const char *const formats[] = { "text", "json", NULL };
            int f = cli_format(argv[0], optarg, formats);
            if (f < 0)
                return EXIT_USAGE;
            as_json = f == 1;
            break;
        }
        case 'r': region = optarg; break;
        case 'd': dir = optarg; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return cli_usage_error(argv[0], "unknown option");
        }
    }
    if (argc - optind > 1)
        return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind + 1]);
    if (argc - optind != 1)
        return cli_usage_error(argv[0], "expected 'regions' or 'municipalities'");
    const char *what = argv[optind];
    bool regions = strcmp(what, "regions") == 0;
    if (!regions && strcmp(what, "municipalities") != 0)
        return cli_usage_error(argv[0], "unknown list '%s'; expected 'regions' or "
                               "'municipalities'", what);
    if (regions && region != NULL)
        return cli_usage_error(argv[0], "--region goes with 'municipalities'");

    struct config cfg;
    struct store *s = NULL;
    int rc = cli_open_store(cli_dir(dir), STORE_READONLY, &cfg, &s);
    if (rc != 0)
        return rc;
    struct arena a;
    arena_init(&a);
    rc = regions ? list_regions(s, as_json, &a)
                 : list_municipalities(s, region, as_json, &a);
    arena_release(&a);
    store_close(s);
    return rc;
}
