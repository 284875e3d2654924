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
    "       knod node list [--format table|json|csv]\n"
    "       (each also takes --dir DIR)\n"
    "\n"
    "A knowledge node is hosted by one region (--host) and serves the regions\n"
    "linked to it (--regions, region codes separated by commas; the host is\n"
    "always linked). A region is linked to at most one node.\n"
    "\n"
    "  --code CODE      a short code, a-z, 0-9 and '-' (like 'skane')\n"
    "  --contact TEXT   a function's address (no personal data)\n"
    "  --format FORMAT  table (default), json or csv\n"
    "  --dir DIR        the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help       show this help\n";

int cmd_node(int argc, char **argv)
{
    static const struct cli_sub subs[] = {{"add", 0}, {"list", 0}};
    static const char *const opts[] = {"dir",     "code",    "name",   "host",
                                       "regions", "contact", "format", NULL};
    enum { O_DIR, O_CODE, O_NAME, O_HOST, O_REGIONS, O_CONTACT, O_FORMAT };
    const char *v[8];
    struct cli_parsed p = {.vals = v};
    int rc = cli_sub_parse("node", usage, argc, argv, subs, 2, opts, &p);
    if (rc)
        return cli_sub_exit(rc);
    int fmt = cli_format("node", v[O_FORMAT] ? v[O_FORMAT] : "table", cli_rows_formats);
    if (fmt < 0)
        return EXIT_USAGE;
    struct config cfg;
    struct store *st = NULL;
    rc = cli_open_store(cli_dir(v[O_DIR]), p.sub == 0 ? 0 : STORE_READONLY, &cfg, &st);
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
