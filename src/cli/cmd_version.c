/* src/cli/cmd_version.c: `knod version`. */
#include <string.h>

#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <xlsxwriter.h>

#include "cli/cli.h"

int cmd_version(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs("usage: knod version\n\nPrint the version of knod, its store schema "
              "and the libraries it runs with.\n", stdout);
        return EXIT_OK;
    }
    if (argc > 1 && argv[1][0] == '-')
        return cli_usage_error("version", "unknown option '%s'", argv[1]);
    if (argc > 1)
        return cli_usage_error("version", "takes no arguments: unexpected argument '%s'",
                               argv[1]);
    printf("knod %s\n", KNOD_VERSION);
    printf("store schema %d\n", store_schema_latest());
    printf("sqlite %s, libsodium %s, jansson %s, libxlsxwriter %s\n", sqlite3_libversion(),
           sodium_version_string(), JANSSON_VERSION, lxw_version());
    return EXIT_OK;
}
