/* src/cli/cmd_activity.c: `knod activity`, development activities, their
 * funding, and spent against allocated per region (network/activity.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "access/access_audit.h"
#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "cli/cli_rows.h"
#include "lang/ind.h"
#include "network/activity.h"
#include "network/net_text.h"

static const char usage[] =
    "usage: knod activity add --title TEXT --goal TEXT --status STATUS\n"
    "                         --responsible TEXT --start DATE [--end DATE]\n"
    "                         [--region CODE] [--node CODE] [--indicators IDS]\n"
    "                         [--documents IDS] [--by NAME]\n"
    "       knod activity update ID [--title TEXT] [--goal TEXT] [--status STATUS]\n"
    "                         [--responsible TEXT] [--start DATE] [--end DATE|open]\n"
    "                         [--indicators IDS] [--documents IDS] [--by NAME]\n"
    "       knod activity fund ID --source SOURCE --year YYYY --allocated SEK\n"
    "                         [--spent SEK] [--by NAME]\n"
    "       knod activity list [--region CODE] [--format table|json|csv]\n"
    "       knod activity funding --year YYYY [--grant SEK] [--format table|json|csv]\n"
    "       (each also takes --dir DIR)\n"
    "\n"
    "An activity is a region's (--region), a knowledge node's (--node) or a\n"
    "national development activity, linked to indicators and documents by\n"
    "their ids (an indicator of the catalogue, a document of the knowledge\n"
    "hub). update changes the fields given and keeps the others, with the\n"
    "checks of add (--end open: no end). fund records (or replaces) its\n"
    "funding from a source in a year: allocated and spent, in whole kronor.\n"
    "add, update and fund each write their change and an entry in the audit\n"
    "log by NAME (default: $USER) in one transaction. funding sums, per region for\n"
    "--year, what its activities were allocated and spent, of which from the\n"
    "national grant; with --grant, beside the region's part of that grant\n"
    "divided by population share (as knod funding allocate divides it) and\n"
    "what of the part is unspent.\n"
    "\n"
    "  --status STATUS  planned, ongoing, done or stopped\n"
    "  --source SOURCE  national-grant, region, municipality or other\n"
    "  --by NAME        add, update, fund: who changes it, for the audit log\n"
    "  --format FORMAT  table (default), json or csv\n"
    "  --dir DIR        the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help       show this help\n";

static int kronor(const char *option, const char *v, int64_t *out, struct kn_error *err)
{
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (*end || end == v || errno || x < 0 || x > 1000000000000000LL || v[0] == '+' ||
        v[0] == ' ')
        return kn_fail(err, KN_EINPUT, "%s: whole kronor, 0 to 10^15", option);
    *out = x;
    return 0;
}

static int year_of(const char *v, int64_t *out, struct kn_error *err)
{
    if (kronor("--year", v, out, err) != 0 || *out < 1900 || *out > 2199)
        return kn_fail(err, KN_EINPUT, "--year: 1900 to 2199");
    return 0;
}

/* `update`: the activity's fields, those given in v replaced (t holds
 * them parsed), checked, stored and audited in one transaction. */
static int update(struct store *st, const struct audit_key *key, int64_t id,
                  const char *const *v, const struct activity *t,
                  const struct ind_catalogue *cat, const char *by, struct arena *a,
                  struct kn_error *err)
{
    enum { TITLE = 1, GOAL, STATUS, RESP, START, END, IND = 9, DOCS };
    struct activity cur;
    int rc = store_begin(st, err);
    if (rc == 0)
        rc = activity_get(st, id, &cur, a, err);
    if (rc == 0) {
        if (v[TITLE])
            cur.title = v[TITLE];
        if (v[GOAL])
            cur.goal = v[GOAL];
        if (v[STATUS])
            cur.status = v[STATUS];
        if (v[RESP])
            cur.responsible = v[RESP];
        if (v[START])
            cur.starts = t->starts;
        if (v[END])
            cur.ends = t->ends;
        if (v[IND])
            cur.indicators = v[IND];
        if (v[DOCS])
            cur.documents = v[DOCS];
        rc = activity_update(st, id, &cur, cat, err);
    }
    if (rc == 0)
        rc = access_audit_add(st, key, time_now(), by, "activity-change",
                              arena_printf(a, "%" PRId64, id), "",
                              arena_printf(a, "status %s", cur.status), err);
    if (rc == 0)
        rc = store_commit(st, err);
    else
        store_rollback(st);
    return rc;
}

/* `add` and `fund` under cli_audited(): the change, then the entry's
 * subject (the activity's number, known after an add) and detail (the
 * portal's forms write the same). */
struct change_arg {
    const struct activity *t;
    const struct ind_catalogue *cat;
    int64_t id, year, alloc, spent;
    const char *source;
    char subject[24], detail[160];
};

static int add_fn(struct store *st, void *arg, struct kn_error *err)
{
    struct change_arg *c = arg;
    int rc = activity_add(st, c->t, c->cat, &c->id, err);
    snprintf(c->subject, sizeof c->subject, "%" PRId64, c->id);
    snprintf(c->detail, sizeof c->detail, "status %s", c->t->status);
    return rc;
}

static int fund_fn(struct store *st, void *arg, struct kn_error *err)
{
    struct change_arg *c = arg;
    snprintf(c->subject, sizeof c->subject, "%" PRId64, c->id);
    snprintf(c->detail, sizeof c->detail,
             "%s %" PRId64 ": %" PRId64 " allocated, %" PRId64 " spent", c->source,
             c->year, c->alloc, c->spent);
    return activity_fund(st, c->id, c->source, (int)c->year, c->alloc, c->spent, err);
}

int cmd_activity(int argc, char **argv)
{
    static const struct cli_sub subs[] = {
        {"add", 0}, {"fund", 1}, {"list", 0}, {"funding", 0}, {"update", 1}};
    static const char *const opts[] = {
        "dir",    "title", "goal",       "status",    "responsible", "start", "end",
        "region", "node",  "indicators", "documents", "source",      "year",  "allocated",
        "spent",  "grant", "format",     "by",        NULL};
    enum {
        O_DIR,
        O_TITLE,
        O_GOAL,
        O_STATUS,
        O_RESP,
        O_START,
        O_END,
        O_REGION,
        O_NODE,
        O_IND,
        O_DOCS,
        O_SOURCE,
        O_YEAR,
        O_ALLOC,
        O_SPENT,
        O_GRANT,
        O_FORMAT,
        O_BY,
        O_N
    };
    const char *v[O_N];
    struct cli_parsed p = {.vals = v};
    int rc = cli_sub_parse("activity", usage, argc, argv, subs, 5, opts, &p);
    if (rc)
        return cli_sub_exit(rc);
    int fmt =
        cli_format("activity", v[O_FORMAT] ? v[O_FORMAT] : "table", cli_rows_formats);
    if (fmt < 0)
        return EXIT_USAGE;
    if (p.sub == 0 && !v[O_START])
        return cli_usage_error("activity", "add needs --start DATE");
    if (p.sub == 1 && (!v[O_SOURCE] || !v[O_YEAR] || !v[O_ALLOC]))
        return cli_usage_error("activity", "fund needs --source, --year and --allocated");
    if (p.sub == 3 && !v[O_YEAR])
        return cli_usage_error("activity", "funding needs --year YYYY");
    if (p.sub == 4 && (v[O_REGION] || v[O_NODE]))
        return cli_usage_error("activity", "update keeps the activity's %s",
                               v[O_REGION] ? "--region" : "--node");
    int64_t id = 0;
    if (p.sub == 1 || p.sub == 4) {
        char *end;
        id = strtoll(p.args[0], &end, 10);
        if (*end || id < 1)
            return cli_usage_error("activity",
                                   "ID: an activity's number (see knod activity list)");
    }
    struct kn_error err = KN_ERROR_INIT;
    struct activity t = {v[O_REGION], v[O_NODE], v[O_TITLE],    v[O_GOAL], v[O_STATUS],
                         v[O_RESP],   0,         ACTIVITY_OPEN, v[O_IND],  v[O_DOCS]};
    int64_t alloc = 0, spent = 0, grant = -1, year = 0;
    bool open_end = v[O_END] && strcmp(v[O_END], "open") == 0;
    if (cli_opt_day("--start", v[O_START], 0, &t.starts, &err) != 0 ||
        cli_opt_day("--end", open_end ? NULL : v[O_END], ACTIVITY_OPEN, &t.ends, &err) !=
            0 ||
        (v[O_ALLOC] && kronor("--allocated", v[O_ALLOC], &alloc, &err) != 0) ||
        (v[O_SPENT] && kronor("--spent", v[O_SPENT], &spent, &err) != 0) ||
        (v[O_GRANT] && kronor("--grant", v[O_GRANT], &grant, &err) != 0) ||
        (v[O_YEAR] && year_of(v[O_YEAR], &year, &err) != 0))
        return cli_fail(&err);
    bool writes = p.sub <= 1 || p.sub == 4;
    struct config cfg;
    struct store *st = NULL;
    rc = cli_open_store(cli_dir(v[O_DIR]), writes ? 0 : STORE_READONLY, &cfg, &st);
    if (rc)
        return rc;
    struct arena a;
    arena_init(&a);
    struct net_rows out = {0};
    struct ind_catalogue cat = {0};
    size_t own;
    int e = 0;
    /* The catalogue the links must name, when there are any. */
    if ((p.sub == 0 || p.sub == 4) && v[O_IND] && *v[O_IND])
        e = cli_catalogue(NULL, 0, &cat, &own, &a, &err);
    struct audit_key key;
    int keyrc = e == 0 && p.sub == 4 ? cli_audit_key(&cfg, &key) : 0; /* prints */
    switch (e || keyrc ? -1 : p.sub) {
    case -1:
        break;
    case 0:
    case 1: {
        struct change_arg c = {&t,    cat.n ? &cat : NULL, id, year, alloc,
                               spent, v[O_SOURCE],         "", ""};
        rc = cli_audited(st, &cfg, v[O_BY], p.sub == 0 ? "activity-add" : "activity-fund",
                         c.subject, c.detail, p.sub == 0 ? add_fn : fund_fn, &c);
        if (rc == EXIT_OK && p.sub == 0)
            printf("activity %" PRId64 ": added\n", c.id);
        else if (rc == EXIT_OK)
            printf("activity %" PRId64 ": %s %" PRId64 ": %" PRId64
                   " kr allocated, %" PRId64 " kr spent\n",
                   id, v[O_SOURCE], year, alloc, spent);
        break;
    }
    case 2:
        e = (v[O_REGION] && net_region_check(st, "--region", v[O_REGION], &err) != 0)
                ? err.code
                : activity_list(st, v[O_REGION], &out, &a, &err);
        break;
    case 3:
        e = activity_funding(st, (int)year, grant, &out, &a, &err);
        break;
    default:
        e = update(st, &key, id, v, &t, cat.n ? &cat : NULL,
                   v[O_BY]          ? v[O_BY]
                   : getenv("USER") ? getenv("USER")
                                    : "knod",
                   &a, &err);
        sodium_memzero(&key, sizeof key);
        if (e == 0)
            printf("activity %" PRId64 ": updated\n", id);
        break;
    }
    if (keyrc)
        rc = keyrc;
    else if (e != 0)
        rc = cli_fail(&err);
    else if (!writes)
        rc = cli_rows_print(&out, (enum cli_rows_format)fmt);
    arena_release(&a);
    store_close(st);
    return rc;
}
