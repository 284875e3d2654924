/* src/cli/cmd_status.c: `knod status`, what a store holds. */
#include <getopt.h>
#include <string.h>

#include "base/arena.h"
#include "cli/cli.h"
#include "registry/reg_status.h"

static const char usage[] =
    "usage: knod status [--dir DIR]\n"
    "\n"
    "Show what the store holds: records per kind, persons and persons with\n"
    "self-harm per region, the span of the contacts, and the latest imports.\n"
    "Counts only; no person-level data is shown.\n"
    "\n"
    "  --dir DIR   the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help  show this help\n";

int cmd_status(int argc, char **argv)
{
    static const struct option opts[] = {
        { "dir", required_argument, NULL, 'd' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *dir = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dir = optarg; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return cli_usage_error(argv[0], "unknown option");
        }
    }
    if (optind != argc)
        return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
    struct config cfg;
    struct store *s = NULL;
    int rc = cli_open_store(cli_dir(dir), STORE_READONLY, &cfg, &s);
    if (rc != 0)
        return rc;
    struct arena a;
    arena_init(&a);
    struct reg_status st;
    struct kn_error err = KN_ERROR_INIT;
    if (reg_status_read(s, &a, 5, &st, &err) != 0) {
        rc = cli_fail(&err);
    } else {
        printf("store %s\n\nrecords\n", cfg.store_path);
        for (size_t i = 0; i < st.nkinds; i++) {
            printf("  ");
            cli_pad(st.kinds[i].kind, 20);
            printf("%12lld\n", (long long)st.kinds[i].rows);
        }
        if (st.first_event != 0) {
            char a1[20], a2[20];
            time_format(st.first_event, a1);
            time_format(st.last_event, a2);
            printf("\ncontacts from %.10s to %.10s\n", a1, a2);
        }
        printf("\n  ");
        cli_pad("region", 30);
        printf("%10s %16s\n", "persons", "with self-harm");
        for (size_t i = 0; i < st.nregions; i++) {
            printf("  %s  ", st.regions[i].code);
            cli_pad(st.regions[i].name, 26);
            printf("%10lld %16lld\n", (long long)st.regions[i].persons,
                   (long long)st.regions[i].persons_with_self_harm);
        }
        if (st.nruns > 0)
            printf("\nlatest imports\n");
        for (size_t i = 0; i < st.nruns; i++)
            printf("  %s  %-18s %9lld rows, %9lld stored, %6lld rejected  %s\n",
                   st.runs[i].started_at, st.runs[i].kind, (long long)st.runs[i].rows_read,
                   (long long)st.runs[i].rows_stored, (long long)st.runs[i].rows_rejected,
                   st.runs[i].file_name);
    }
    arena_release(&a);
    store_close(s);
    return rc;
}
