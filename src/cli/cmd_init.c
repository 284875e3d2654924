/* src/cli/cmd_init.c: `knod init`, create a knod directory.
 *
 * A knod directory holds three files: knod.db (the store, mode 0600),
 * knod.key (the pseudonym key, mode 0600) and knod.ini (the settings, with
 * every default written out and explained). init creates all three and
 * loads the reference geography, or, if any step fails, removes what it
 * made and leaves the directory as it found it. The store records the
 * key's fingerprint, so it accepts no other key (registry/reg_key.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "cli/cli.h"
#include "domain/geo.h"
#include "domain/pseudo.h"
#include "registry/reg_geo.h"
#include "registry/reg_key.h"

static const char usage[] =
    "usage: knod init [--dir DIR] [--key FILE]\n"
    "\n"
    "Create a knod directory: the store knod.db with the reference geography\n"
    "(21 regions, 290 municipalities, population by age and sex, ESP2013,\n"
    "ICD-10 self-harm codes), a new secret pseudonym key knod.key (mode 0600)\n"
    "and knod.ini with the documented default settings. DIR is created if it\n"
    "does not exist; it must not already hold any of the three files.\n"
    "\n"
    "The store records the key's fingerprint and accepts no other key.\n"
    "\n"
    "  --dir DIR   where to create it (default: $KNOD_DIR, else .)\n"
    "  --key FILE  use this existing key file instead of making knod.key\n"
    "              (another store under the same pseudonyms); knod.ini's\n"
    "              key_file is set to its absolute name\n"
    "  -h, --help  show this help\n"
    "\n"
    "Back up the key apart from the store: without it, new data can no\n"
    "longer be linked to the persons already stored (docs/operations.md).\n";

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
        { "key", required_argument, NULL, 'k' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *opt_dir = NULL, *opt_key = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': opt_dir = optarg; break;
        case 'k': opt_key = optarg; break;
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
    /* A given key is named by its absolute path, so knod.ini holds it
     * whatever the current directory of later commands. */
    char given[PATH_MAX];
    if (opt_key != NULL) {
        if (realpath(opt_key, given) == NULL) {
            kn_fail(&err, errno == ENOENT ? KN_ENOTFOUND : KN_EIO, "key file '%s': %s",
                    opt_key, strerror(errno));
            return cli_fail(&err);
        }
        snprintf(cfg.key_path, sizeof cfg.key_path, "%s", given);
    }
    const char *ini = cfg.ini_path;
    const char *existing[] = { cfg.store_path, ini, cfg.key_path };
    for (size_t i = 0; i < (opt_key != NULL ? 2u : 3u); i++) {
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
    int rc = 0;
    if (opt_key == NULL) {
        rc = pseudo_key_create(cfg.key_path, &err);
        made_key = rc == 0;
    } else {
        struct pseudo_key check; /* refuse a bad or readable key before making anything */
        rc = pseudo_key_load(cfg.key_path, &check, &err);
        pseudo_key_wipe(&check);
    }
    if (rc == 0)
        made_ini = (rc = config_write_default(dir, opt_key != NULL ? cfg.key_path : NULL,
                                              &err)) == 0;
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
        /* The store accepts only this key from now on (registry/reg_key.h). */
        struct pseudo_key key;
        bool recorded = false;
        rc = pseudo_key_load(cfg.key_path, &key, &err);
        if (rc == 0)
            rc = reg_key_record(s, &key, "init", &recorded, &err);
        pseudo_key_wipe(&key);
    }
    if (rc == 0) {
        printf("created knod directory '%s'\n", dir);
        printf("  store      %s (schema %d, %s)\n", cfg.store_path, store_schema_latest(),
               store_backend(s));
        printf("  key        %s (%s; back it up apart from the store)\n", cfg.key_path,
               opt_key != NULL ? "given, set as key_file" : "mode 0600");
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
