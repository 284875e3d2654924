/* src/cli/cmd_export.c: `knod export`, one kind of stored records to a
 * pseudonymised CSV or XLSX file (registry/reg_export.h does the work).
 *
 * Who may export what is not modelled yet: --region is how a regional
 * coordinator takes out their own region, and without it the whole store
 * is written (the national node). A one-line summary on stderr says what
 * was written where.
 */
#include <getopt.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli/cli.h"
#include "registry/reg_export.h"

static const char usage[] =
    "usage: knod export --kind KIND --out FILE [--region CODE] [--format csv|xlsx]\n"
    "                   [--birth month|year|date] [--force] [--dir DIR]\n"
    "\n"
    "Write the stored records of one kind to FILE, pseudonymised. The columns\n"
    "are the kind's import columns (docs/import-format.md), same names and\n"
    "order, except that pnr becomes 'pseudonym', the stored pseudonym (the\n"
    "personnummer itself is never stored, so it cannot be exported); persons\n"
    "also get 'birth_date' (YYYY-MM, see --birth) and 'sex' after it. Times\n"
    "are written YYYY-MM-DDTHH:MM:SS, dates YYYY-MM-DD,\n"
    "references (contact_id, stay_id, extends_id) as the other record's\n"
    "source_id, a contact's unit as the unit's code, and defaults the import\n"
    "filled in (legal_basis voluntary, brief_admission 0) as stored.\n"
    "Rows are ordered by (source_id, source_system), so the same store gives\n"
    "the same file.\n"
    "\n"
    "With --region only that region's records are written: persons living\n"
    "there, units located there, and every event of persons living there.\n"
    "Without it every region's records are written (the national extract).\n"
    "\n"
    "FILE is written under a temporary name in its folder, with mode 0600,\n"
    "and renamed when complete: a failed or interrupted export (Ctrl-C,\n"
    "SIGTERM) leaves no FILE and no temporary file. FILE must be a new name\n"
    "or, with --force, a regular file: a folder, a symbolic link or a device\n"
    "(/dev/null) is refused. FILE '-' is standard output (CSV only). A summary\n"
    "line (rows, kind, region, file) goes to stderr.\n"
    "\n"
    "In CSV a text value that begins with =, +, -, @, a tab or a carriage\n"
    "return, after any single quotes, gets one more single quote in front, so\n"
    "that a spreadsheet shows it as text instead of running it as a formula;\n"
    "knod import takes that quote off again. XLSX cells are typed: the 0/1\n"
    "flags are numbers, dates and times ISO text, and no cell is a formula.\n"
    "\n"
    "  --kind KIND      units, persons, contacts, self_harm, coercive_measures,\n"
    "                   assessments, care_plans, treatments, follow_ups or\n"
    "                   pathway_steps\n"
    "  --out FILE       the file to write ('-': standard output); an existing\n"
    "                   FILE is refused\n"
    "  --region CODE    only this region's records (county code, e.g. 03)\n"
    "  --format FORMAT  csv or xlsx (default: xlsx if FILE ends in .xlsx, else\n"
    "                   csv); an XLSX sheet holds at most 1,048,575 rows\n"
    "  --birth LEVEL    persons' birth_date: month (YYYY-MM, the default), year\n"
    "                   (YYYY) or date (YYYY-MM-DD). A full date is dangerous:\n"
    "                   whoever holds the pseudonym key gets the personnummer\n"
    "                   back from a pseudonym, birth date and sex in a few\n"
    "                   hundred hashes; give it only where the day is needed\n"
    "  --force          replace an existing regular FILE\n"
    "  --dir DIR        the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help       show this help\n";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool ends_with_xlsx(const char *path)
{
    size_t n = strlen(path);
    return n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0;
}

int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {
        { "kind", required_argument, NULL, 'k' },
        { "out", required_argument, NULL, 'o' },
        { "region", required_argument, NULL, 'r' },
        { "format", required_argument, NULL, 'f' },
        { "force", no_argument, NULL, 'F' },
        { "birth", required_argument, NULL, 'b' },
        { "dir", required_argument, NULL, 'd' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *dir = NULL, *out = NULL;
    const struct reg_kind *kind = NULL;
    struct reg_export_options eo = { NULL, REG_EXPORT_CSV, false, 0, REG_EXPORT_BIRTH_MONTH };
    bool format_given = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'k':
            if ((kind = reg_kind_find(optarg)) == NULL)
                return cli_usage_error(argv[0], "unknown kind '%s'", optarg);
            break;
        case 'o': out = optarg; break;
        case 'r': eo.region = optarg; break;
        case 'f':
            if (reg_export_format_parse(optarg, &eo.format) != 0)
                return cli_usage_error(argv[0], "unknown format '%s'; expected csv or xlsx",
                                       optarg);
            format_given = true;
            break;
        case 'F': eo.overwrite = true; break;
        case 'b':
            if (reg_export_birth_parse(optarg, &eo.birth) != 0)
                return cli_usage_error(argv[0], "--birth is month, year or date, not '%s'",
                                       optarg);
            break;
        case 'd': dir = optarg; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return cli_usage_error(argv[0], "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
    if (kind == NULL)
        return cli_usage_error(argv[0], "--kind is required");
    if (out == NULL || out[0] == '\0')
        return cli_usage_error(argv[0], "--out FILE is required");
    if (eo.region != NULL && eo.region[0] == '\0')
        return cli_usage_error(argv[0], "--region needs a county code");
    if (!format_given && ends_with_xlsx(out))
        eo.format = REG_EXPORT_XLSX;

    struct config cfg;
    struct store *s = NULL;
    int rc = cli_open_store(cli_dir(dir), STORE_READONLY, &cfg, &s);
    if (rc != 0)
        return rc;
    struct kn_error err = KN_ERROR_INIT;
    struct reg_export_stats st = { 0, 0 };
    double started = now_s();
    rc = reg_export(s, kind, &eo, out, &st, &err);
    store_close(s);
    if (rc == KN_EEXIST) {
        fprintf(stderr, "knod: error: %s; give --force to replace it\n", err.msg);
        return EXIT_INPUT;
    }
    if (rc != 0) {
        int code = cli_fail(&err);
        if (strcmp(out, "-") != 0)
            fprintf(stderr, "knod: nothing was written to '%s'\n", out);
        return code;
    }
    double secs = now_s() - started;
    fprintf(stderr, "knod: exported %llu %s (%s%s) to '%s' (%s, %llu bytes) in %.2f s\n",
            (unsigned long long)st.rows, reg_kind_name(kind),
            eo.region ? "region " : "all regions", eo.region ? eo.region : "",
            strcmp(out, "-") == 0 ? "standard output" : out,
            reg_export_format_name(eo.format), (unsigned long long)st.bytes, secs);
    return EXIT_OK;
}
