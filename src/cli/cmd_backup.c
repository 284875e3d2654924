/* src/cli/cmd_backup.c: `knod backup FILE`, an online copy of the store. */
#include <getopt.h>

#include "cli/cli.h"

static const char usage[] =
    "usage: knod backup [--dir DIR] FILE\n"
    "\n"
    "Copy the store to FILE, a new file, while it stays in use (SQLite's online\n"
    "backup: the copy is one consistent state). FILE is readable by its owner\n"
    "only. The pseudonym key is not part of the store: back up knod.key apart.\n"
    "\n"
    "The store is checked before (quick_check) and the copy after\n"
    "(integrity_check): a damaged store or copy is an error and leaves no\n"
    "FILE. The copy is made in a hidden 0600 file beside FILE and renamed\n"
    "when checked, so an interrupted backup leaves no FILE and does not block\n"
    "the next one. A store that stays locked is given up after 10 tries with\n"
    "an error, not waited for without end.\n"
    "\n"
    "  --dir DIR   the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help  show this help\n";

int cmd_backup(int argc, char **argv)
{
    static const struct option opts[] = {
        { "dir", required_argument, NULL, 'd' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *dir = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dir = optarg; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return cli_usage_error(argv[0], "unknown option");
        }
    }
    if (argc - optind > 1)
        return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind + 1]);
    if (argc - optind != 1)
        return cli_usage_error(argv[0], "expected one FILE");

    struct config cfg;
    struct store *s = NULL;
    int rc = cli_open_store(cli_dir(dir), STORE_READONLY, &cfg, &s);
    if (rc != 0)
        return rc;
    struct kn_error err = KN_ERROR_INIT;
    if (store_backup(s, argv[optind], &err) != 0)
        rc = cli_fail(&err);
    else
        printf("backed up '%s' to '%s'\n", cfg.store_path, argv[optind]);
    store_close(s);
    return rc;
}
