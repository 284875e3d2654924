/* src/cli/cmd_member.c: `knod member`, the members of the working group
 * and the networks, with their roles, shares of working time and terms
 * (network/group.h). */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "cli/cli_rows.h"
#include "network/group.h"
#include "network/net_text.h"

static const char usage[] =
    "usage: knod member add --group CODE --name NAME --role ROLE --organisation ORG\n"
    "                       --from DATE --to DATE [--healthcare-region HR]\n"
    "                       [--profession P] [--share PERCENT]\n"
    "       knod member end ID --on DATE\n"
    "       knod member update ID [--role ROLE] [--organisation ORG] [--to DATE]\n"
    "                             [--healthcare-region HR] [--profession P]\n"
    "                             [--share PERCENT] [--on DATE] [--by NAME]\n"
    "       knod member list --group CODE [--as-of DATE] [--format table|json|csv]\n"
    "       (each also takes --dir DIR)\n"
    "\n"
    "A member holds one role in a group for a term (--from, --to, both\n"
    "inclusive) with a share of working time (default: the chair 20 %,\n"
    "partners 0 %, everyone else 10 %). The chair, the process leader and\n"
    "members sit for a healthcare region; a member has a profession. end\n"
    "ends a term early (on DATE, inclusive). list shows the members whose\n"
    "term covers --as-of (default today).\n"
    "\n"
    "update corrects the fields given (--healthcare-region '' or --profession\n"
    "'' clears one) and checks the member as add does. A member holds one\n"
    "role for a term, so a new --role keeps the history: the term ends the\n"
    "day before --on (default today) and a new term in the new role runs from\n"
    "--on to the old term's end (or --to), with a new number. The change and\n"
    "an audit entry (member-change, by --by) are one transaction.\n"
    "\n"
    "  --role ROLE            chair, process-leader, member, patient-organisation,\n"
    "                         partner or international-partner\n"
    "  --healthcare-region HR Norra, Mellansverige, Stockholm-Gotland, Sydöstra,\n"
    "                         Södra or Västra\n"
    "  --profession P         see knod group --help\n"
    "  --share PERCENT        share of working time, 0 to 100\n"
    "  --by NAME              who makes the change, for the audit log\n"
    "                         (default: $USER)\n"
    "  --format FORMAT        table (default), json or csv\n"
    "  --dir DIR              the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help             show this help\n";

struct update_arg {
    int64_t id, new_id;
    struct group_member_patch p;
    struct arena *a;
};

static int update_fn(struct store *st, void *arg, struct kn_error *err)
{
    struct update_arg *u = arg;
    return group_member_update(st, u->id, &u->p, &u->new_id, u->a, err);
}

int cmd_member(int argc, char **argv)
{
    static const struct cli_sub subs[] = {
        {"add", 0}, {"end", 1}, {"list", 0}, {"update", 1}};
    static const char *const opts[] = {
        "dir",        "group", "name", "role", "organisation", "healthcare-region",
        "profession", "share", "from", "to",   "on",           "as-of",
        "format",     "by",    NULL};
    enum {
        O_DIR,
        O_GROUP,
        O_NAME,
        O_ROLE,
        O_ORG,
        O_HR,
        O_PROF,
        O_SHARE,
        O_FROM,
        O_TO,
        O_ON,
        O_ASOF,
        O_FORMAT,
        O_BY,
        O_N
    };
    const char *v[O_N];
    struct cli_parsed p = {.vals = v};
    int rc = cli_sub_parse("member", usage, argc, argv, subs, 4, opts, &p);
    if (rc)
        return cli_sub_exit(rc);
    int fmt = cli_format("member", v[O_FORMAT] ? v[O_FORMAT] : "table", cli_rows_formats);
    if (fmt < 0)
        return EXIT_USAGE;
    if (p.sub == 0 && (!v[O_FROM] || !v[O_TO]))
        return cli_usage_error("member",
                               "add needs --from DATE and --to DATE (the term)");
    if (p.sub == 1 && !v[O_ON])
        return cli_usage_error("member", "end needs --on DATE");
    if (p.sub == 2 && !v[O_GROUP])
        return cli_usage_error("member", "list needs --group CODE");
    if (p.sub == 3 && (v[O_GROUP] || v[O_NAME] || v[O_FROM]))
        return cli_usage_error("member", "update: a member keeps its --group, --name "
                                         "and --from (end it and add another)");
    int64_t id = 0;
    if (p.sub == 1 || p.sub == 3) {
        char *end;
        id = strtoll(p.args[0], &end, 10);
        if (*end || id < 1)
            return cli_usage_error("member",
                                   "ID: a member's number (see knod member list)");
    }
    struct kn_error err = KN_ERROR_INIT;
    struct group_member m = {v[O_GROUP], v[O_NAME], v[O_ROLE], v[O_ORG], v[O_HR],
                             v[O_PROF],  -1,        0,         0};
    kn_day on, asof;
    long share = -1;
    if (cli_opt_day("--from", v[O_FROM], 0, &m.from, &err) != 0 ||
        cli_opt_day("--to", v[O_TO], 0, &m.to, &err) != 0 ||
        cli_opt_day("--on", v[O_ON], date_today(), &on, &err) != 0 ||
        cli_opt_day("--as-of", v[O_ASOF], date_today(), &asof, &err) != 0 ||
        (v[O_SHARE] && net_int_parse("--share", v[O_SHARE], 0, 100, &share, &err) != 0))
        return cli_fail(&err);
    m.share = (int)share;
    struct config cfg;
    struct store *st = NULL;
    rc = cli_open_store(cli_dir(v[O_DIR]), p.sub == 2 ? STORE_READONLY : 0, &cfg, &st);
    if (rc)
        return rc;
    struct arena a;
    arena_init(&a);
    if (p.sub == 0) {
        if (group_member_add(st, &m, &id, &err) != 0)
            rc = cli_fail(&err);
        else
            printf("member %lld: added to %s (%d %% of working time)\n", (long long)id,
                   m.group, m.share);
    } else if (p.sub == 1) {
        if (group_member_end(st, id, on, &err) != 0)
            rc = cli_fail(&err);
        else
            printf("member %lld: term ends %s\n", (long long)id, v[O_ON]);
    } else if (p.sub == 3) {
        struct update_arg u = {id,
                               id,
                               {v[O_ROLE], v[O_ORG], v[O_HR], v[O_PROF], (int)share,
                                v[O_TO] != NULL, m.to, on},
                               &a};
        char detail[120];
        cli_given(&opts[O_ROLE], &v[O_ROLE], O_FROM - O_ROLE, detail, sizeof detail);
        if (v[O_TO])
            snprintf(detail + strlen(detail), sizeof detail - strlen(detail), "%s--to",
                     *detail ? ", " : "");
        char subject[24];
        snprintf(subject, sizeof subject, "%lld", (long long)id);
        rc = cli_audited(st, &cfg, v[O_BY], "member-change", subject, detail, update_fn,
                         &u);
        if (rc == EXIT_OK && u.new_id != id)
            printf("member %lld: term ends the day before %s; member %lld: %s from %s\n",
                   (long long)id, v[O_ON] ? v[O_ON] : "today", (long long)u.new_id,
                   v[O_ROLE], v[O_ON] ? v[O_ON] : "today");
        else if (rc == EXIT_OK)
            printf("member %lld: updated\n", (long long)id);
    } else {
        struct net_rows t = {0};
        rc = group_members(st, v[O_GROUP], asof, &t, &a, &err) != 0
                 ? cli_fail(&err)
                 : cli_rows_print(&t, (enum cli_rows_format)fmt);
    }
    arena_release(&a);
    store_close(st);
    return rc;
}
