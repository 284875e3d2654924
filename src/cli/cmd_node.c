/* src/cli/cmd_node.c: `knod node`, the knowledge nodes and the regions
 * linked to them (network/node.h). */
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "cli/cli_rows.h"
#include "network/node.h"

static const char usage[] =
    "usage: knod node add --code CODE --name NAME --host CODE [--regions CODES]\n"
    "                     [--contact TEXT]\n"
    "       knod node update CODE [--name NAME] [--regions CODES] [--contact TEXT]\n"
    "                             [--by NAME]\n"
    "       knod node list [--format table|json|csv]\n"
    "       (each also takes --dir DIR)\n"
    "\n"
    "A knowledge node is hosted by one region (--host) and serves the regions\n"
    "linked to it (--regions, region codes separated by commas; the host is\n"
    "always linked). A region is linked to at most one node.\n"
    "\n"
    "update changes the fields given: --regions replaces the regions linked\n"
    "(the host stays linked). A node keeps its code and host. The change and\n"
    "an audit entry (node-change, by --by) are one transaction.\n"
    "\n"
    "  --code CODE      a short code, a-z, 0-9 and '-' (like 'skane')\n"
    "  --contact TEXT   a function's address (no personal data)\n"
    "  --by NAME        who makes the change, for the audit log (default: $USER)\n"
    "  --format FORMAT  table (default), json or csv\n"
    "  --dir DIR        the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help       show this help\n";

static int update_fn(struct store *st, void *arg, struct kn_error *err)
{
    return node_update_in(st, arg, err);
}

int cmd_node(int argc, char **argv)
{
    static const struct cli_sub subs[] = {{"add", 0}, {"list", 0}, {"update", 1}};
    static const char *const opts[] = {"dir",     "code",   "name", "host", "regions",
                                       "contact", "format", "by",   NULL};
    enum { O_DIR, O_CODE, O_NAME, O_HOST, O_REGIONS, O_CONTACT, O_FORMAT, O_BY, O_N };
    const char *v[O_N];
    struct cli_parsed p = {.vals = v};
    int rc = cli_sub_parse("node", usage, argc, argv, subs, 3, opts, &p);
    if (rc)
        return cli_sub_exit(rc);
    int fmt = cli_format("node", v[O_FORMAT] ? v[O_FORMAT] : "table", cli_rows_formats);
    if (fmt < 0)
        return EXIT_USAGE;
    if (p.sub == 2 && (v[O_HOST] || v[O_CODE]))
        return cli_usage_error("node", "update: a node keeps its code and --host");
    struct config cfg;
    struct store *st = NULL;
    rc = cli_open_store(cli_dir(v[O_DIR]), p.sub == 1 ? STORE_READONLY : 0, &cfg, &st);
    if (rc)
        return rc;
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    arena_init(&a);
    if (p.sub == 0) {
        struct node_def d = {v[O_CODE], v[O_NAME], v[O_HOST], v[O_REGIONS], v[O_CONTACT]};
        if (node_add(st, &d, &err) != 0)
            rc = cli_fail(&err);
        else
            printf("node %s: added\n", d.code);
    } else if (p.sub == 2) {
        struct node_def d = {p.args[0], v[O_NAME], NULL, v[O_REGIONS], v[O_CONTACT]};
        char detail[80];
        cli_given(&opts[O_NAME], &v[O_NAME], O_FORMAT - O_NAME, detail, sizeof detail);
        rc = cli_audited(st, &cfg, v[O_BY], "node-change", d.code, detail, update_fn, &d);
        if (rc == EXIT_OK)
            printf("node %s: updated\n", d.code);
    } else {
        struct net_rows t = {0};
        rc = node_list(st, &t, &a, &err) != 0
                 ? cli_fail(&err)
                 : cli_rows_print(&t, (enum cli_rows_format)fmt);
    }
    arena_release(&a);
    store_close(st);
    return rc;
}
