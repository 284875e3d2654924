/* src/cli/cmd_group.c: `knod group`, the national working group and the
 * networks, their meetings and their gaps (network/group.h); members are
 * `knod member` (cmd_member.c). */
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "cli/cli_rows.h"
#include "network/group.h"

static const char usage[] =
    "usage: knod group add --code CODE --name NAME --kind KIND [--node CODE]\n"
    "                      [--professions LIST] [--purpose TEXT]\n"
    "       knod group update CODE [--name NAME] [--professions LIST]\n"
    "                              [--purpose TEXT] [--node CODE] [--by NAME]\n"
    "       knod group list [--as-of DATE] [--format table|json|csv]\n"
    "       knod group gaps GROUP [--as-of DATE] [--format table|json|csv]\n"
    "       knod group meeting GROUP --date DATE --theme TEXT [--place TEXT]\n"
    "       knod group meetings GROUP [--format table|json|csv]\n"
    "       (each also takes --dir DIR)\n"
    "\n"
    "A group is the national working group (--kind working-group) or a\n"
    "network such as the municipal suicide-prevention network (--kind\n"
    "network), national or tied to a knowledge node (--node). --professions\n"
    "lists the professions it wants, so that one it lacks shows as a gap.\n"
    "Members: knod member.\n"
    "\n"
    "update changes the fields given (--node '' makes the group national; a\n"
    "group keeps its code and kind). The change and an audit entry\n"
    "(group-change, by --by) are one transaction.\n"
    "\n"
    "gaps lists, among the members whose term covers --as-of (default today):\n"
    "a healthcare region without a chair, process leader or member; a wanted\n"
    "profession no member holds; and in a working group a missing chair,\n"
    "process leader or patient organisation's seat; each with the wanted\n"
    "profile.\n"
    "\n"
    "  --kind KIND         working-group or network\n"
    "  --professions LIST  comma-separated: psychiatrist, physician,\n"
    "                      psychologist, nurse, social-worker, counsellor,\n"
    "                      occupational-therapist, teacher, researcher, manager,\n"
    "                      peer-expert, other\n"
    "  --as-of DATE        the day whose members count (default today)\n"
    "  --by NAME           who makes the change, for the audit log (default: $USER)\n"
    "  --format FORMAT     table (default), json or csv\n"
    "  --dir DIR           the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help          show this help\n";

static int update_fn(struct store *st, void *arg, struct kn_error *err)
{
    return group_update(st, arg, err);
}

int cmd_group(int argc, char **argv)
{
    static const struct cli_sub subs[] = {{"add", 0},     {"list", 0},     {"gaps", 1},
                                          {"meeting", 1}, {"meetings", 1}, {"update", 1}};
    static const char *const opts[] = {
        "dir",   "code",   "name", "kind",  "node",  "professions", "purpose",
        "as-of", "format", "date", "theme", "place", "by",          NULL};
    enum {
        O_DIR,
        O_CODE,
        O_NAME,
        O_KIND,
        O_NODE,
        O_PROF,
        O_PURPOSE,
        O_ASOF,
        O_FORMAT,
        O_DATE,
        O_THEME,
        O_PLACE,
        O_BY,
        O_N
    };
    const char *v[O_N];
    struct cli_parsed p = {.vals = v};
    int rc = cli_sub_parse("group", usage, argc, argv, subs, 6, opts, &p);
    if (rc)
        return cli_sub_exit(rc);
    int fmt = cli_format("group", v[O_FORMAT] ? v[O_FORMAT] : "table", cli_rows_formats);
    if (fmt < 0)
        return EXIT_USAGE;
    if (p.sub == 5 && v[O_CODE])
        return cli_usage_error("group", "update: a group keeps its code");
    if (p.sub == 3 && !v[O_DATE])
        return cli_usage_error("group", "meeting needs --date DATE");
    struct kn_error err = KN_ERROR_INIT;
    kn_day on, day;
    if (cli_opt_day("--as-of", v[O_ASOF], date_today(), &on, &err) != 0 ||
        cli_opt_day("--date", v[O_DATE], 0, &day, &err) != 0)
        return cli_fail(&err);
    bool writes = p.sub == 0 || p.sub == 3 || p.sub == 5;
    struct config cfg;
    struct store *st = NULL;
    rc = cli_open_store(cli_dir(v[O_DIR]), writes ? 0 : STORE_READONLY, &cfg, &st);
    if (rc)
        return rc;
    struct arena a;
    arena_init(&a);
    struct net_rows t = {0};
    int r = 0;
    switch (p.sub) {
    case 0: {
        struct group_def d = {v[O_CODE], v[O_NAME], v[O_KIND],
                              v[O_NODE], v[O_PROF], v[O_PURPOSE]};
        r = group_add(st, &d, &err);
        if (r == 0)
            printf("group %s: added\n", d.code);
        break;
    }
    case 1:
        r = group_list(st, on, &t, &a, &err);
        break;
    case 2:
        r = group_gaps(st, p.args[0], on, &t, &a, &err);
        break;
    case 3:
        r = group_meeting_add(st, p.args[0], day, v[O_THEME], v[O_PLACE], &err);
        if (r == 0)
            printf("group %s: meeting on %s recorded\n", p.args[0], v[O_DATE]);
        break;
    case 4:
        r = group_meetings(st, p.args[0], &t, &a, &err);
        break;
    default: {
        struct group_def d = {p.args[0], v[O_NAME], v[O_KIND],
                              v[O_NODE], v[O_PROF], v[O_PURPOSE]};
        char detail[80];
        cli_given(&opts[O_NAME], &v[O_NAME], O_ASOF - O_NAME, detail, sizeof detail);
        rc =
            cli_audited(st, &cfg, v[O_BY], "group-change", d.code, detail, update_fn, &d);
        if (rc == EXIT_OK)
            printf("group %s: updated\n", d.code);
        break;
    }
    }
    if (r != 0)
        rc = cli_fail(&err);
    else if (!writes)
        rc = cli_rows_print(&t, (enum cli_rows_format)fmt);
    arena_release(&a);
    store_close(st);
    return rc;
}
