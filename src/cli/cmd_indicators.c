/* src/cli/cmd_indicators.c: `knod indicators list|show|check|run`. */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "cli/cli.h"
#include "export/eng_fhir.h"
#include "lang/ind.h"

int cmd_indicators_run(int argc, char **argv);

static const char usage[] =
    "usage: knod indicators list [--format text|json]\n"
    "       knod indicators show ID [--format text|fhir]\n"
    "       knod indicators definitions\n"
    "       knod indicators check FILE...\n"
    "       knod indicators lock\n"
    "       knod indicators run [--dir DIR] [--id ID,...] [--by DIMS] [--period YEARS]\n"
    "                           [--format csv|json|table|fhir|kolada] [--out FILE]\n"
    "                           [--measures] [--no-suppress] [--timings]\n"
    "\n"
    "The indicator catalogue (data/indicators, in the language of docs/indicators.md)\n"
    "and its results.\n"
    "\n"
    "  list     every indicator: id, version, goal, title; --format json: one JSON\n"
    "           object per line (--json is the same)\n"
    "  show     one indicator's definition (the newest version); --format fhir: as a\n"
    "           FHIR R4 Measure (JSON; --fhir is the same), its url under knod.ini's\n"
    "           [fhir] canonical_base ($KNOD_DIR, else .)\n"
    "  definitions  the FHIR StructureDefinitions of knod's own extensions, as a\n"
    "           Bundle (JSON)\n"
    "  check    parse indicator files; the first error as file:line:column; a\n"
    "           released version (data/indicators/catalogue.lock) must not change\n"
    "  lock     print the lock lines of the shipped catalogue\n"
    "  run      compute indicators over the store (see knod indicators run --help)\n"
    "  -h, --help  show this help\n";

static int load_shipped(struct ind_catalogue *cat, struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    if (ind_catalogue_shipped(cat, a, &err) != 0) {
        kn_error_prefix(&err, "the shipped catalogue: ");
        return cli_fail(&err);
    }
    return 0;
}

/* Options of list and show: --format F (formats) or its alias (--json,
 * --fhir: the format alias_is), and --help. Sets *format and returns -1 to
 * go on, or the exit code. Unknown options and arguments beyond nargs are
 * usage errors. */
static int sub_options(int argc, char **argv, const char *name, const char *const *formats,
                       const char *alias, int alias_is, int nargs, int *format)
{
    const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { alias ? alias : "help", no_argument, NULL, alias ? 'a' : 'h' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    *format = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (formats == NULL)
                return cli_usage_error(name, "unknown option '--format'");
            if ((*format = cli_format(name, optarg, formats)) < 0)
                return EXIT_USAGE;
            break;
        case 'a': *format = alias_is; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return cli_usage_error(name, "unknown option");
        }
    }
    if (argc - optind > nargs)
        return cli_usage_error(name, "unexpected argument '%s'", argv[optind + nargs]);
    return -1;
}

static int cmd_list(int argc, char **argv)
{
    static const char *const formats[] = { "text", "json", NULL };
    int format;
    int urc = sub_options(argc, argv, "indicators list", formats, "json", 1, 0, &format);
    if (urc >= 0)
        return urc;
    bool json = format == 1;
    struct arena a;
    arena_init(&a);
    struct ind_catalogue cat = { 0 };
    int rc = load_shipped(&cat, &a);
    for (size_t i = 0; rc == 0 && i < cat.n; i++) {
        const struct ind_def *d = &cat.defs[i];
        if (ind_find(&cat, d->id) != d)
            continue;
        if (json) {
            printf("{\"id\":\"%s\",\"version\":%d,\"goal\":\"%s\",\"fingerprint\":\"%s\"}\n",
                   d->id, d->version, ind_goal_name(d->goal), d->fingerprint);
        } else {
            cli_pad(d->id, 22);
            printf(" v%-3d ", d->version);
            cli_pad(ind_goal_name(d->goal), 11);
            printf(" %s\n", d->title_sv);
        }
    }
    arena_release(&a);
    return rc;
}

static void print_show(const struct ind_def *d)
{
    printf("id           %s\nversion      %d\nfingerprint  %s\ndefined at   %s:%d\n",
           d->id, d->version, d->fingerprint, d->file, d->line);
    printf("goal         %s\nowner        %s\n", ind_goal_name(d->goal), d->owner);
    printf("title (sv)   %s\ntitle (en)   %s\n", d->title_sv, d->title_en);
    printf("\n%s\n\n%s\n\n", d->desc_sv, d->desc_en);
    printf("measures    ");
    for (size_t i = 0; i < d->nmeasures; i++) {
        char unit[64];
        ind_measure_unit(&d->measures[i], false, unit, sizeof unit);
        printf("%s %s (%s)", i ? "," : "", d->measures[i].name, unit);
    }
    printf("\ndirection    %s is better\n", d->lower_is_better ? "lower" : "higher");
    if (d->has_target) {
        char t[64];
        ind_target_text(d, t, sizeof t);
        printf("target       %s %.2s %s\n", d->measures[d->target_measure].name, t, t + 2);
    }}

static int cmd_show(int argc, char **argv)
{
    static const char *const formats[] = { "text", "fhir", NULL };
    int format;
    int urc = sub_options(argc, argv, "indicators show", formats, "fhir", 1, 1, &format);
    if (urc >= 0)
        return urc;
    if (optind >= argc)
        return cli_usage_error("indicators show", "expected one indicator id");
    bool fhir = format == 1;
    const char *id = argv[optind];
    struct arena a;
    arena_init(&a);
    struct ind_catalogue cat = { 0 };
    int rc = load_shipped(&cat, &a);
    if (rc == 0) {
        const struct ind_def *d = ind_find(&cat, id);
        struct kn_error err = KN_ERROR_INIT;
        struct config cfg;
        if (fhir && config_load(&cfg, cli_dir(NULL), &err) != 0) {
            rc = cli_fail(&err);
        } else if (!d) {
            fprintf(stderr, "knod: error: no indicator '%s' (see knod indicators list)\n",
                    id);
            rc = EXIT_INPUT;
        } else if (fhir && eng_fhir_write_measure(stdout, d, cfg.fhir_base, &err) != 0) {
            rc = cli_fail(&err);
        } else if (!fhir) {
            print_show(d);
        }
    }
    arena_release(&a);
    return rc;
}


static int cmd_check(int argc, char **argv)
{
    int format;
    int urc = sub_options(argc, argv, "indicators check", NULL, NULL, 0, INT_MAX, &format);
    if (urc >= 0)
        return urc;
    argc -= optind - 1; /* the files, after argv[0] */
    argv += optind - 1;
    if (argc < 2)
        return cli_usage_error("indicators check", "expected indicator files");
    struct arena a;
    arena_init(&a);
    struct ind_catalogue cat = { 0 };
    struct kn_error err = KN_ERROR_INIT;
    size_t own = 0;
    int rc = cli_catalogue((const char *const *)argv + 1, (size_t)argc - 1, &cat, &own, &a,
                           &err);
    if (rc == 0)
        printf("%zu indicator definition%s: ok\n", own, own == 1 ? "" : "s");
    arena_release(&a);
    return rc == 0 ? EXIT_OK : cli_fail(&err);
}

/* The lock lines of the shipped catalogue (for data/indicators/catalogue.lock). */
static int cmd_lock(int argc, char **argv)
{
    int format;
    int urc = sub_options(argc, argv, "indicators lock", NULL, NULL, 0, 0, &format);
    if (urc >= 0)
        return urc;
    struct arena a;
    arena_init(&a);
    struct ind_catalogue cat = { 0 };
    int rc = load_shipped(&cat, &a);
    if (rc == 0)
        printf("# Released indicator versions: ID VERSION FINGERPRINT (knod indicators lock).\n"
               "# A released version never changes; change it by adding a new version.\n");
    for (size_t i = 0; rc == 0 && i < cat.n; i++)
        printf("%s %d %s\n", cat.defs[i].id, cat.defs[i].version, cat.defs[i].fingerprint);
    arena_release(&a);
    return rc;
}

int cmd_indicators(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "list") == 0)
        return cmd_list(argc - 1, argv + 1);
    if (strcmp(sub, "show") == 0)
        return cmd_show(argc - 1, argv + 1);
    if (strcmp(sub, "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    if (strcmp(sub, "lock") == 0)
        return cmd_lock(argc - 1, argv + 1);
    if (strcmp(sub, "definitions") == 0) {
        struct kn_error err = KN_ERROR_INIT;
        if (argc > 2 && argv[2][0] == '-' && strcmp(argv[2], "--help") != 0)
            return cli_usage_error("indicators definitions", "unknown option '%s'", argv[2]);
        if (argc > 2 && strcmp(argv[2], "--help") == 0) {
            fputs(usage, stdout);
            return EXIT_OK;
        }
        if (argc != 2)
            return cli_usage_error("indicators definitions", "unexpected argument '%s'",
                                   argv[2]);
        return eng_fhir_write_definitions(stdout, &err) == 0 ? EXIT_OK : cli_fail(&err);
    }
    if (strcmp(sub, "run") == 0)
        return cmd_indicators_run(argc - 1, argv + 1);
    return cli_usage_error("indicators", "unknown subcommand '%s'", sub);
}
