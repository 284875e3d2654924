/* src/cli/cmd_init.c: `knod init`, create a knod directory.
 *
 * A knod directory holds three files: knod.db (the store, mode 0600),
 * knod.key (the pseudonym key, mode 0600) and knod.ini (the settings, with
 * every default written out and explained). init creates all three and
 * loads the reference geography, or, if any step fails, removes what it
 * made and leaves the directory as it found it.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "cli/cli.h"
#include "domain/geo.h"
#include "domain/pseudo.h"
#include "registry/reg_geo.h"

static const char usage[] =
    "usage: knod init [--dir DIR]\n"
    "\n"
    "Create a knod directory: the store knod.db with the reference geography\n"
    "(21 regions, 290 municipalities, population by age and sex, ESP2013,\n"
    "ICD-10 self-harm codes), a new secret pseudonym key knod.key (mode 0600)\n"
    "and knod.ini with the documented default settings. DIR is created if it\n"
    "does not exist; it must not already hold any of the three files.\n"
    "\n"
    "  --dir DIR   where to create it (default: $KNOD_DIR, else .)\n"
    "  -h, --help  show this help\n"
    "\n"
    "Back up knod.key apart from the store: without it, new data can no\n"
    "longer be linked to the persons already stored.\n";

static void remove_made(const struct config *cfg, bool key, bool ini, bool db)
{
    char p[PATH_MAX + 8];
    if (db) {
        unlink(cfg->store_path);
        snprintf(p, sizeof p, "%s-wal", cfg->store_path);
        unlink(p);
        snprintf(p, sizeof p, "%s-shm", cfg->store_path);
        unlink(p);
    }
    if (key)
        unlink(cfg->key_path);
    if (ini)
        unlink(cfg->ini_path);
}

int cmd_init(int argc, char **argv)
{
    static const struct option opts[] = {
        { "dir", required_argument, NULL, 'd' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *opt_dir = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': opt_dir = optarg; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return cli_usage_error(argv[0], "unknown option");
        }
    }
    if (optind != argc)
        return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);

    const char *dir = cli_dir(opt_dir);
    struct kn_error err = KN_ERROR_INIT;
    struct config cfg;
    config_defaults(&cfg, dir);

    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        kn_fail(&err, KN_EIO, "cannot create directory '%s': %s", dir, strerror(errno));
        return cli_fail(&err);
    }
    if (cfg.ini_path[0] == '\0') {
        kn_fail(&err, KN_EINPUT, "the directory name '%s' is too long", dir);
        return cli_fail(&err);
    }
    const char *ini = cfg.ini_path;
    const char *existing[] = { cfg.store_path, cfg.key_path, ini };
    for (size_t i = 0; i < 3; i++) {
        if (access(existing[i], F_OK) == 0) {
            kn_fail(&err, KN_EEXIST, "'%s' already exists; '%s' already holds a knod "
                    "directory", existing[i], dir);
            return cli_fail(&err);
        }
    }

    bool made_key = false, made_ini = false, made_db = false;
    struct store *s = NULL;
    struct arena a;
    arena_init(&a);
    struct geo g;
    int rc = pseudo_key_create(cfg.key_path, &err);
    made_key = rc == 0;
    if (rc == 0)
        made_ini = (rc = config_write_default(dir, &err)) == 0;
    if (rc == 0) {
        struct store_options opt = { STORE_CREATE, cfg.busy_timeout_ms };
        made_db = true; /* even a failed open may leave a file behind */
        rc = store_open(cfg.store_path, &opt, &s, &err);
    }
    if (rc == 0)
        rc = geo_load(&g, &a, &err);
    if (rc == 0)
        rc = reg_geo_install(s, &g, &err);
    if (rc == 0) {
        printf("created knod directory '%s'\n", dir);
        printf("  store      %s (schema %d, %s)\n", cfg.store_path, store_schema_latest(),
               store_backend(s));
        printf("  key        %s (mode 0600; back it up apart from the store)\n",
               cfg.key_path);
        printf("  settings   %s\n", ini);
        printf("  reference  %zu regions, %zu municipalities, %zu population cells, "
               "%zu ICD-10 codes\n", g.nregions, g.nmunicipalities, g.npopulation,
               g.nicd10);
    }
    store_close(s);
    arena_release(&a);
    if (rc != 0) {
        remove_made(&cfg, made_key, made_ini, made_db);
        return cli_fail(&err);
    }
    return EXIT_OK;
}
