/* src/cli/cmd_worklist.c: `knod worklist`, the care-pathway steps that are
 * due or overdue (engine/eng_due.h), and with --units each unit's summary
 * and reporting coverage. Persons are shown by pseudonym only. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv_write.h"
#include "cli/cli.h"
#include "domain/geo.h"
#include "engine/eng_due.h"
#include "lang/ind.h"
#include "snapshot/snap.h"

static const char usage[] =
    "usage: knod worklist [--region CODE | --unit CODE] [--as-of DATE] [--horizon DAYS]\n"
    "                     [--units] [--format csv|json] [--dir DIR]\n"
    "\n"
    "List the persons in the care pathway whose next step is due or overdue\n"
    "(assessment, care plan, SIP, treatment, follow-up after discharge), by the\n"
    "clocks of the pathway indicators (vf-*), most overdue first; persons by\n"
    "pseudonym. docs/worklists.md says how each clock runs.\n"
    "\n"
    "  --region CODE   the persons of a region (who live there or have a contact\n"
    "                  at one of its units); default: the nation\n"
    "  --unit CODE     the persons with a contact at a care unit\n"
    "  --as-of DATE    the day (YYYY-MM-DD) to judge by; default: today\n"
    "  --horizon DAYS  leave out steps overdue by more (default 90)\n"
    "  --units         a row per unit instead: due, overdue, by step, coverage\n"
    "  --format F      csv (default) or json (one object)\n"
    "  --dir DIR       the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help      show this help\n";

static int put(struct strbuf *b, const char *s, int first)
{
    return csvw_text(b, s ? s : "", s ? strlen(s) : 0, first);
}

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int write_items(json_t *m, struct strbuf *b)
{
    int rc = 0;
    const char *head[] = { "pseudonym", "step", "pathway", "indicator", "started", "due",
                           "days_overdue", "status", "unit" };
    for (size_t k = 0; k < 9; k++)
        rc |= put(b, head[k], k == 0);
    rc |= csvw_end(b);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(m, "items"), i, it) {
        rc |= put(b, str(it, "pseudonym"), 1);
        rc |= put(b, str(it, "step"), 0);
        rc |= put(b, str(it, "pathway"), 0);
        rc |= put(b, str(it, "indicator"), 0);
        rc |= put(b, str(it, "started"), 0);
        rc |= put(b, str(it, "due"), 0);
        rc |= csvw_int(b, json_integer_value(json_object_get(it, "days_overdue")), 0);
        rc |= put(b, str(it, "status"), 0);
        rc |= put(b, str(json_object_get(it, "unit"), "code"), 0);
        rc |= csvw_end(b);
    }
    return rc;
}

static int write_units(json_t *m, struct strbuf *b)
{
    static const char *const nums[] = { "due", "overdue", "contacts_recent",
                                        "contacts_year_before", "followup_clocks",
                                        "followup_missing" };
    int rc = put(b, "unit", 1) | put(b, "region", 0);
    for (size_t k = 0; k < 6; k++)
        rc |= put(b, nums[k], 0);
    for (int s = 0; s < ENG_DUE_NSTEPS; s++)
        rc |= put(b, eng_due_step_name((enum eng_due_step)s), 0);
    rc |= put(b, "last_contact", 0) | put(b, "late", 0) | put(b, "incomplete", 0) | csvw_end(b);
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(m, "units"), i, u) {
        json_t *unit = json_object_get(u, "unit");
        rc |= put(b, str(unit, "code"), 1) | put(b, str(unit, "region"), 0);
        for (size_t k = 0; k < 6; k++)
            rc |= csvw_int(b, json_integer_value(json_object_get(u, nums[k])), 0);
        for (int s = 0; s < ENG_DUE_NSTEPS; s++)
            rc |= csvw_int(b, json_integer_value(json_object_get(
                                  json_object_get(u, "by_step"),
                                  eng_due_step_name((enum eng_due_step)s))), 0);
        rc |= put(b, str(u, "last_contact"), 0);
        rc |= put(b, json_is_true(json_object_get(u, "late")) ? "yes" : "no", 0);
        rc |= put(b, json_is_true(json_object_get(u, "incomplete")) ? "yes" : "no", 0);
        rc |= csvw_end(b);
    }
    return rc;
}

int cmd_worklist(int argc, char **argv)
{
    static const struct option opts[] = {
        { "dir", required_argument, NULL, 'd' },
        { "region", required_argument, NULL, 'r' },
        { "unit", required_argument, NULL, 'u' },
        { "as-of", required_argument, NULL, 'a' },
        { "horizon", required_argument, NULL, 'H' },
        { "units", no_argument, NULL, 'U' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    static const char *const formats[] = { "csv", "json", NULL };
    const char *dir = NULL, *region = NULL, *unit = NULL, *as_of = NULL;
    int horizon = 0, format = 0, c;
    bool units = false;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dir = optarg; break;
        case 'r': region = optarg; break;
        case 'u': unit = optarg; break;
        case 'a': as_of = optarg; break;
        case 'H': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || end == optarg || v < 1 || v > 3650)
                return cli_usage_error(argv[0], "--horizon takes a number of days, 1-3650");
            horizon = (int)v;
            break;
        }
        case 'U': units = true; break;
        case 'f':
            if ((format = cli_format(argv[0], optarg, formats)) < 0)
                return EXIT_USAGE;
            break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return cli_usage_error(argv[0], "unknown option");
        }
    }
    if (optind != argc)
        return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
    if (region && unit)
        return cli_usage_error(argv[0], "--region and --unit exclude each other");
    struct kn_error err = KN_ERROR_INIT;
    kn_day day = date_today();
    if (as_of && date_parse(as_of, strlen(as_of), &day, &err) != 0)
        return cli_usage_error(argv[0], "--as-of: %s", err.msg);
    struct config cfg;
    struct store *st = NULL;
    int rc = cli_open_store(cli_dir(dir), STORE_READONLY, &cfg, &st);
    if (rc != 0)
        return rc;
    struct arena a;
    arena_init(&a);
    struct geo g;
    struct ind_catalogue cat = { 0 };
    struct snap *snap = NULL;
    struct eng_due_list l = { 0 };
    json_t *m = NULL;
    rc = geo_load(&g, &a, &err);
    if (rc == 0)
        rc = ind_catalogue_shipped(&cat, &a, &err);
    if (rc == 0 && region && !geo_region(&g, region))
        rc = kn_fail(&err, KN_EINPUT, "--region: no region '%s'", region);
    if (rc == 0)
        rc = snap_build(&snap, st, &g, &err);
    struct eng_due_scope scope;
    if (rc == 0) {
        eng_due_scope_of(snap, region, unit, &scope);
        if (unit && scope.index < 0)
            rc = kn_fail(&err, KN_EINPUT, "--unit: no unit '%s' in the store", unit);
    }
    if (rc == 0)
        rc = eng_due_run(snap, &cat, day, horizon, &scope, &l, &err);
    if (rc == 0)
        rc = eng_due_model(snap, st, &l, &m, &err);
    if (rc == 0) {
        if (format == 1) {
            if (units)
                json_object_del(m, "items");
            else
                json_object_del(m, "units");
            char *text = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            if (!text)
                rc = kn_fail(&err, KN_ENOMEM, "out of memory");
            else
                printf("%s\n", text);
            free(text);
        } else {
            struct strbuf b;
            sb_init(&b);
            if ((units ? write_units(m, &b) : write_items(m, &b)) != 0)
                rc = kn_fail(&err, KN_ENOMEM, "out of memory");
            else
                fwrite(b.buf, 1, b.len, stdout);
            sb_release(&b);
        }
    }
    rc = rc == 0 ? EXIT_OK : cli_fail(&err);
    json_decref(m);
    eng_due_free(&l);
    snap_free(snap);
    arena_release(&a);
    store_close(st);
    return rc;
}
