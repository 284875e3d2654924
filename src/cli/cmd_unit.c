/* src/cli/cmd_unit.c: `knod unit`, the inventory of care units, municipal
 * services and NHV clinics and their resources, with history
 * (network/unit.h). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "cli/cli_rows.h"
#include "network/net_text.h"
#include "network/unit.h"

static const char usage[] =
    "usage: knod unit add CODE --ages FROM-TO [RESOURCES] [--as-of DATE]\n"
    "                     [--name NAME --region CODE --type TYPE --setting SETTING]\n"
    "       knod unit update CODE --as-of DATE [RESOURCES]\n"
    "       knod unit list [--as-of DATE] [--region CODE] [--type TYPE]\n"
    "                      [--format table|json|csv]\n"
    "       knod unit history CODE [--format table|json|csv]\n"
    "       (each also takes --dir DIR)\n"
    "\n"
    "A unit is the registry's care unit with that code; one the registry lacks\n"
    "(a municipal service, say) is added with --name, --region, --type and\n"
    "--setting. Its resources are kept in versions: update closes the current\n"
    "version on --as-of and starts a new one, carrying over what it does not\n"
    "change; list shows the inventory as it stood on --as-of (default today).\n"
    "\n"
    "RESOURCES:\n"
    "  --ages FROM-TO            the ages served (like 13-17)\n"
    "  --staff N                 staff\n"
    "  --trained-bemotande N     of them trained in attitude and approach\n"
    "  --trained-dbt N           of them trained in DBT\n"
    "  --brief-admission yes|no  brief admission (självvald inläggning) offered\n"
    "  --offers LIST             dbt, mbt, cbt, family-therapy, group-therapy,\n"
    "                            medication, crisis-support, school-support, other\n"
    "  --waiting-days N          waiting time to a first visit, days\n"
    "  --note TEXT               a note\n"
    "NHV clinics (--type nhv) only:\n"
    "  --catchment CODES         the regions served, comma-separated\n"
    "  --nhv-offers LIST         consultation, assessment, treatment\n"
    "  --placed-access yes|no    open to children and young people placed in\n"
    "                            out-of-home care\n"
    "  --sis-access yes|no       open to young people in SiS homes\n"
    "\n"
    "  --type TYPE        bup, adult_psychiatry, emergency, somatic, primary_care,\n"
    "                     nhv or municipal\n"
    "  --setting SETTING  inpatient or outpatient\n"
    "  --format FORMAT    table (default), json or csv\n"
    "  --dir DIR          the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help         show this help\n";

static const char *const opts[] = {"dir",
                                   "name",
                                   "region",
                                   "type",
                                   "setting",
                                   "as-of",
                                   "ages",
                                   "staff",
                                   "trained-bemotande",
                                   "trained-dbt",
                                   "brief-admission",
                                   "offers",
                                   "waiting-days",
                                   "catchment",
                                   "nhv-offers",
                                   "placed-access",
                                   "sis-access",
                                   "note",
                                   "format",
                                   NULL};
enum {
    O_DIR,
    O_NAME,
    O_REGION,
    O_TYPE,
    O_SETTING,
    O_ASOF,
    O_AGES,
    O_STAFF,
    O_TB,
    O_TD,
    O_BRIEF,
    O_OFFERS,
    O_WAIT,
    O_CATCH,
    O_NHV,
    O_PLACED,
    O_SIS,
    O_NOTE,
    O_FORMAT,
    O_N
};

/* The option table's resource options are unit.h's fields, in order. */
_Static_assert(O_NOTE - O_NAME + 1 == UNIT_F_N, "the options are UNIT_FIELDS");

int cmd_unit(int argc, char **argv)
{
    static const struct cli_sub subs[] = {
        {"add", 1}, {"update", 1}, {"list", 0}, {"history", 1}};
    const char *v[O_N];
    struct cli_parsed p = {.vals = v};
    int rc = cli_sub_parse("unit", usage, argc, argv, subs, 4, opts, &p);
    if (rc)
        return cli_sub_exit(rc);
    int fmt = cli_format("unit", v[O_FORMAT] ? v[O_FORMAT] : "table", cli_rows_formats);
    if (fmt < 0)
        return EXIT_USAGE;
    if (p.sub == 1 && !v[O_ASOF])
        return cli_usage_error("unit",
                               "update needs --as-of DATE (the new version's day)");
    struct kn_error err = KN_ERROR_INIT;
    struct unit_res r = {.code = p.sub == 2 ? NULL : p.args[0]};
    if (unit_res_parse(&v[O_NAME], date_today(), &r, &err) != 0)
        return cli_fail(&err);
    bool writes = p.sub <= 1;
    struct config cfg;
    struct store *st = NULL;
    rc = cli_open_store(cli_dir(v[O_DIR]), writes ? 0 : STORE_READONLY, &cfg, &st);
    if (rc)
        return rc;
    struct arena a;
    arena_init(&a);
    struct net_rows t = {0};
    int e;
    switch (p.sub) {
    case 0:
        e = unit_add(st, &r, &err);
        break;
    case 1:
        e = unit_update(st, &r, &err);
        break;
    case 2:
        e = (v[O_REGION] && net_region_check(st, "--region", v[O_REGION], &err) != 0)
                ? err.code
                : unit_list(st, r.as_of, v[O_REGION], v[O_TYPE], &t, &a, &err);
        break;
    default:
        e = unit_history(st, r.code, &t, &a, &err);
        break;
    }
    if (e != 0) {
        rc = cli_fail(&err);
    } else if (writes) {
        char d[11];
        date_format(r.as_of, d);
        printf("unit %s: resources as of %s %s\n", r.code, d,
               p.sub == 0 ? "added" : "updated");
    } else {
        rc = cli_rows_print(&t, (enum cli_rows_format)fmt);
    }
    arena_release(&a);
    store_close(st);
    return rc;
}
