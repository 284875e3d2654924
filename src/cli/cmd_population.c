/* src/cli/cmd_population.c: `knod population import|list`, the population
 * by year that rates are computed over (registry/reg_pop.h). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "base/arena.h"
#include "cli/cli.h"
#include "domain/geo.h"
#include "registry/reg_pop.h"

static const char usage[] =
    "usage: knod population import FILE [--dir DIR]\n"
    "       knod population list [--format text|json] [--dir DIR]\n"
    "\n"
    "The population that rates are computed over: on 31 December of each\n"
    "year, by county, sex and single year of age. A store starts with the\n"
    "shipped 2025 table. 'import' adds or replaces whole years from SCB's\n"
    "table BefolkningNy (\"Folkmängden efter region, ålder, kön och år\") as\n"
    "its CSV export writes it: UTF-8 or Latin-1 (Windows-1252), ',' or ';',\n"
    "a header \"region\",\"ålder\",\"kön\",\"2020\",... and every county\n"
    "(01 .. 25), sex and age 0 .. 100+ for each year (rows of the nation and\n"
    "of municipalities are skipped). A file with an error stores nothing.\n"
    "Each period's rates use its own year's population, the latest year at\n"
    "or before it, or the earliest year for periods before every year held\n"
    "(docs/indicators.md). 'list' shows the years held.\n"
    "\n"
    "  --format F      list: text (default) or json, one object per line\n"
    "  --dir DIR       the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help      show this help\n";

/* The whole file, at most REG_POP_MAX_BYTES + 1 bytes (one more than
 * allowed, so that the parser can refuse it). */
static int read_all(const char *path, const char *shown, char **out, size_t *len,
                    struct kn_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return kn_fail(err, errno == ENOENT ? KN_ENOTFOUND : KN_EIO,
                       "cannot open '%s': %s", shown, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return kn_fail(err, KN_EINPUT, "'%s' is not a regular file", shown);
    }
    size_t cap = REG_POP_MAX_BYTES + 1, n = 0;
    char *buf = malloc(cap);
    if (!buf) {
        close(fd);
        return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    for (;;) {
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            free(buf);
            close(fd);
            return kn_fail(err, KN_EIO, "cannot read '%s': %s", shown, strerror(e));
        }
        n += (size_t)got;
        if (got == 0 || n == cap)
            break;
    }
    close(fd);
    *out = buf;
    *len = n;
    return 0;
}

static int do_import(struct store *st, const char *path)
{
    char shown[512];
    cli_shown(path, shown, sizeof shown);
    const char *base = strrchr(shown, '/') ? strrchr(shown, '/') + 1 : shown;
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    arena_init(&a);
    struct geo g;
    char *data = NULL;
    size_t len = 0;
    struct reg_pop_table t;
    int rc = geo_load(&g, &a, &err);
    if (rc == 0)
        rc = read_all(path, shown, &data, &len, &err);
    if (rc == 0)
        rc = reg_pop_parse(data, len, base, &g, &a, &t, &err);
    free(data);
    if (rc == 0)
        rc = reg_pop_store(st, &t, base, &err);
    if (rc != 0) {
        arena_release(&a);
        return cli_fail(&err);
    }
    printf("population: %s (%s, '%c'): ", base, t.encoding,
           t.delim == '\t' ? 't' : t.delim);
    for (size_t y = 0; y < t.nyears; y++)
        printf("%s%d", y ? ", " : "", t.years[y]);
    printf(" stored, %zu cells each\n", t.nrows / t.nyears);
    if (t.skipped_nation || t.skipped_municipal || t.skipped_total)
        printf("  skipped: %zu rows of the nation, %zu of municipalities, %zu totals\n",
               t.skipped_nation, t.skipped_municipal, t.skipped_total);
    arena_release(&a);
    return EXIT_OK;
}

static int do_list(struct store *st, bool as_json)
{
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    arena_init(&a);
    struct reg_pop_year *years;
    size_t n;
    if (reg_pop_years(st, &a, &years, &n, &err) != 0) {
        arena_release(&a);
        return cli_fail(&err);
    }
    if (!as_json)
        printf("%-6s %8s %12s\n", "year", "cells", "population");
    for (size_t i = 0; i < n; i++) {
        if (as_json) {
            json_t *o = json_pack("{s:i, s:I, s:I}", "year", years[i].year, "cells",
                                  (json_int_t)years[i].cells, "population",
                                  (json_int_t)years[i].population);
            char *text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
            if (text)
                puts(text);
            free(text);
            json_decref(o);
        } else {
            printf("%-6d %8lld %12lld\n", years[i].year, (long long)years[i].cells,
                   (long long)years[i].population);
        }
    }
    arena_release(&a);
    return EXIT_OK;
}

int cmd_population(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"dir", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *dir = NULL;
    bool as_json = false, format_given = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'f': {
            static const char *const formats[] = {"text", "json", NULL};
            int f = cli_format(argv[0], optarg, formats);
            if (f < 0)
                return EXIT_USAGE;
            as_json = f == 1;
            format_given = true;
            break;
        }
        case 'd':
            dir = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return EXIT_OK;
        default:
            return cli_usage_error(argv[0], "unknown option (see --help)");
        }
    }
    if (optind >= argc)
        return cli_usage_error(argv[0], "import FILE or list");
    const char *sub = argv[optind];
    bool import = strcmp(sub, "import") == 0;
    if (!import && strcmp(sub, "list") != 0)
        return cli_usage_error(argv[0], "unknown subcommand '%s' (import or list)", sub);
    int nargs = import ? 1 : 0;
    if (argc - optind - 1 < nargs)
        return cli_usage_error(argv[0], "import needs a FILE");
    if (argc - optind - 1 > nargs)
        return cli_usage_error(argv[0], "unexpected argument '%s'",
                               argv[optind + 1 + nargs]);
    if (import && format_given)
        return cli_usage_error(argv[0], "import takes no --format");
    struct config cfg;
    struct store *st = NULL;
    int rc = cli_open_store(cli_dir(dir), import ? 0 : STORE_READONLY, &cfg, &st);
    if (rc != 0)
        return rc;
    rc = import ? do_import(st, argv[optind + 1]) : do_list(st, as_json);
    store_close(st);
    return rc;
}
