/* src/cli/cmd_practice.c: `knod practice`, local practice: what regions
 * and units do, linked to references and indicators (hub/hub_practice.h,
 * docs/hub-references.md). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "cli/cli_rows.h"
#include "hub/hub_pathway.h"
#include "hub/hub_practice.h"
#include "lang/ind.h"
#include "network/net_text.h"

static const char usage[] =
    "usage: knod practice add --title TEXT --region CODE --unit TEXT --level LEVEL\n"
    "                         --target-group TEXT --contact-role TEXT --start DATE\n"
    "                         --evaluation STATUS [--description TEXT]\n"
    "                         [--references IDS] [--indicators IDS]\n"
    "                         [--steps PATHWAY/STEP,...] [--public]\n"
    "       knod practice list [--region CODE] [--level LEVEL] [--q WORDS]\n"
    "                          [--format table|json|csv]\n"
    "       knod practice show ID [--format table|json|csv]\n"
    "       knod practice export [--region CODE] [--level LEVEL] [--format csv|json]\n"
    "       (each also takes --dir DIR)\n"
    "\n"
    "A practice is what a region's unit does against self-harm among young\n"
    "people: preventive, early, or for the most severely ill. The contact is\n"
    "a role, never a person's name. --references names stored references by\n"
    "number or DOI, --indicators the catalogue's indicators, each\n"
    "comma-separated; every one must exist. --steps names the pathway steps\n"
    "it serves (adult/2_assessment; knod pathways show CODE lists them).\n"
    "--public shows it on the public\n"
    "portal. export writes them all as CSV (default) or JSON. list --q keeps\n"
    "the practices whose title, unit, target group and description hold every\n"
    "word, in any Swedish word form or as part of a compound.\n"
    "\n"
    "  --level LEVEL       preventive, early or severe\n"
    "  --evaluation STATUS not-evaluated, ongoing, evaluated or published\n"
    "  --format FORMAT     as above\n"
    "  --dir DIR           the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help          show this help\n";

int cmd_practice(int argc, char **argv)
{
    static const struct cli_sub subs[] = {{"add", 0}, {"list", 0}, {"show", 1}, {"export", 0}};
    static const char *const opts[] = {
        "dir",          "title",      "region",      "unit",       "level",
        "target-group", "contact-role", "start",     "evaluation", "description",
        "references",   "indicators", "public!",     "format",     "q",
        "steps",        NULL};
    enum {
        O_DIR,
        O_TITLE,
        O_REGION,
        O_UNIT,
        O_LEVEL,
        O_TARGET,
        O_CONTACT,
        O_START,
        O_EVAL,
        O_DESC,
        O_REFS,
        O_INDS,
        O_PUBLIC,
        O_FORMAT,
        O_Q,
        O_STEPS,
        O_N
    };
    static const char *const export_formats[] = {"csv", "json", NULL};
    const char *v[O_N];
    struct cli_parsed p = {.vals = v};
    int rc = cli_sub_parse("practice", usage, argc, argv, subs, 4, opts, &p);
    if (rc)
        return cli_sub_exit(rc);
    int fmt = 0;
    if (p.sub == 3) {
        int x = cli_format("practice", v[O_FORMAT] ? v[O_FORMAT] : "csv", export_formats);
        if (x < 0)
            return EXIT_USAGE;
        fmt = x == 0 ? CLI_ROWS_CSV : CLI_ROWS_JSON;
    } else if ((fmt = cli_format("practice", v[O_FORMAT] ? v[O_FORMAT] : "table",
                                 cli_rows_formats)) < 0) {
        return EXIT_USAGE;
    }
    if (p.sub == 0 && !v[O_START])
        return cli_usage_error("practice", "add needs --start DATE");
    struct kn_error err = KN_ERROR_INIT;
    /* A filter that matches nothing by mistake is a usage error (add checks
     * its own fields, with the store's other rules). */
    if (p.sub != 0 && v[O_LEVEL] &&
        net_enum_check("--level", v[O_LEVEL], HUB_PRACTICE_LEVELS, &err) != 0)
        return cli_usage_error("practice", "%s", err.msg);
    if (v[O_Q] && p.sub != 1)
        return cli_usage_error("practice", "only list takes --q");
    if (p.sub != 0 && (v[O_TITLE] || v[O_UNIT] || v[O_TARGET] || v[O_CONTACT] ||
                       v[O_START] || v[O_EVAL] || v[O_DESC] || v[O_REFS] || v[O_INDS] ||
                       v[O_PUBLIC] || v[O_STEPS]))
        return cli_usage_error("practice", "only add takes a practice's fields");
    int64_t id = 0;
    if (p.sub == 2) {
        char *end;
        id = strtoll(p.args[0], &end, 10);
        if (*end || id < 1)
            return cli_usage_error("practice",
                                   "ID: a practice's number (see knod practice list)");
    }
    struct hub_practice pr = {0,
                              v[O_TITLE],
                              v[O_REGION],
                              v[O_UNIT],
                              v[O_LEVEL],
                              v[O_TARGET],
                              v[O_CONTACT],
                              0,
                              v[O_EVAL],
                              v[O_DESC],
                              v[O_REFS],
                              v[O_INDS],
                              v[O_PUBLIC] != NULL,
                              v[O_STEPS]};
    if (cli_opt_day("--start", v[O_START], 0, &pr.starts, &err) != 0)
        return cli_fail(&err);
    struct config cfg;
    struct store *st = NULL;
    rc = cli_open_store(cli_dir(v[O_DIR]), p.sub == 0 ? 0 : STORE_READONLY, &cfg, &st);
    if (rc)
        return rc;
    struct arena a;
    arena_init(&a);
    struct net_rows out = {0};
    int e;
    if (p.sub == 0) {
        struct ind_catalogue cat = {0};
        struct hub_pathways ps;
        e = ind_catalogue_shipped(&cat, &a, &err);
        if (e == 0)
            e = hub_pathways_shipped(&ps, &a, &err);
        if (e == 0)
            e = hub_practice_add(st, &pr, &cat, &ps, time_now(), &id, &err);
        if (e == 0)
            printf("practice %" PRId64 ": added\n", id);
    } else if (p.sub == 2) {
        e = hub_practice_get(st, id, false, &out, &a, &err);
    } else {
        e = hub_practice_list(st, v[O_REGION], v[O_LEVEL], false, &out, &a, &err);
        if (e == 0 && v[O_Q])
            e = hub_practice_match(&out, v[O_Q], &err);
    }
    if (e != 0)
        rc = cli_fail(&err);
    else if (p.sub != 0)
        rc = cli_rows_print(&out, (enum cli_rows_format)fmt);
    arena_release(&a);
    store_close(st);
    return rc;
}
