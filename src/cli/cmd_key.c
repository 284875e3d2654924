/* src/cli/cmd_key.c: `knod key status|rotate`, the store's pseudonym key.
 *
 * status says which key file the knod directory uses (knod.ini, systemd
 * credential or the default) and whether it is the store's key.
 * rotate writes a rotated key chain to a new file and re-pseudonymises
 * every stored person under it in one transaction (domain/pseudo.h says
 * why rotation extends a chain rather than replacing the key;
 * docs/operations.md says how to run it). The key file in use is never
 * overwritten: the old one stays valid for the backups made before.
 */
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "base/log.h"
#include "domain/pseudo.h"
#include "registry/reg_key.h"

static const char usage[] =
    "usage: knod key status [--dir DIR]\n"
    "       knod key rotate [--dir DIR] --new-key FILE\n"
    "\n"
    "The pseudonym key of a knod directory. The store records the key's\n"
    "fingerprint (never the key) and refuses any other key.\n"
    "\n"
    "  status   which key file is used and where that setting comes from\n"
    "           ([pseudonym] key_file, $CREDENTIALS_DIRECTORY/knod.key, or\n"
    "           knod.key in DIR), whether it matches the store, and the\n"
    "           store's key rotations.\n"
    "  rotate   write a new key file FILE (must not exist; mode 0600) that\n"
    "           extends the current key with a new random key, and in one\n"
    "           transaction re-pseudonymise every stored person under it.\n"
    "           Afterwards the store accepts only FILE: point key_file at it\n"
    "           (or replace the old key file or credential by it). Keep the\n"
    "           old key file with the backups made before the rotation.\n"
    "\n"
    "  --dir DIR       the knod directory (default: $KNOD_DIR, else .)\n"
    "  --new-key FILE  rotate: where to write the rotated key\n"
    "  -h, --help      show this help\n"
    "\n"
    "See docs/operations.md.\n";

static const char *key_from_name(enum config_key_from f)
{
    switch (f) {
    case CONFIG_KEY_INI: return "[pseudonym] key_file in knod.ini";
    case CONFIG_KEY_CREDENTIALS: return "$CREDENTIALS_DIRECTORY (systemd credential)";
    default: return "the default, knod.key in the knod directory";
    }
}

static int key_status(const char *dir)
{
    struct config cfg;
    struct store *s = NULL;
    int rc = cli_open_store(dir, STORE_READONLY, &cfg, &s);
    if (rc != 0)
        return rc;
    struct kn_error err = KN_ERROR_INIT;
    struct reg_key_info info;
    struct pseudo_key key;
    int krc = pseudo_key_load(cfg.key_path, &key, &err);
    pseudo_key_wipe(&key);
    if (reg_key_read(s, &info, &err) != 0) {
        rc = cli_fail(&err);
        store_close(s);
        return rc;
    }
    printf("store        %s\n", cfg.store_path);
    printf("key file     %s\n", cfg.key_path);
    printf("set by       %s\n", key_from_name(cfg.key_from));
    /* cli_open_store() refused a key that does not match. */
    printf("key          %s\n", krc == 0 ? (info.recorded ? "matches the store" : "not checked")
                                         : "not found here (kept apart?)");
    if (info.recorded) {
        printf("fingerprint  recorded by %s at %s UTC\n", info.recorded_by, info.recorded_at);
        printf("rotations    %lld%s%s\n", (long long)info.rotations,
               info.rotations > 0 ? ", the last at " : "", info.last_rotation);
    } else {
        printf("fingerprint  none recorded yet (recorded at the first open with the key)\n");
    }
    store_close(s);
    return EXIT_OK;
}

static int key_rotate(const char *dir, const char *new_path)
{
    struct config cfg;
    struct store *s = NULL;
    struct kn_error err = KN_ERROR_INIT;
    int rc = cli_open_store(dir, 0, &cfg, &s);
    if (rc != 0)
        return rc;
    struct pseudo_key key, rotated;
    memset(&rotated, 0, sizeof rotated);
    bool wrote = false;
    int64_t persons = 0;
    rc = pseudo_key_load(cfg.key_path, &key, &err);
    if (rc == KN_ENOTFOUND)
        kn_error_prefix(&err, "a rotation needs the current key: ");
    if (rc == 0) {
        rc = pseudo_key_rotate(&key, new_path, &rotated, &err);
        wrote = rc == 0;
    }
    if (rc == 0)
        rc = reg_key_rotate(s, &rotated, &persons, &err);
    pseudo_key_wipe(&key);
    pseudo_key_wipe(&rotated);
    store_close(s);
    if (rc != 0) {
        if (wrote)
            unlink(new_path); /* the store was not changed: the new key is no use */
        return cli_fail(&err);
    }
    log_info("key: rotated the pseudonym key of store '%s' (%lld persons); the store "
             "now accepts only key file '%s'", cfg.store_path, (long long)persons, new_path);
    printf("rotated the pseudonym key of '%s': %lld persons re-pseudonymised\n",
           cfg.store_path, (long long)persons);
    printf("  new key    %s (mode 0600); the store accepts only this key from now on\n",
           new_path);
    printf("  next       point [pseudonym] key_file in knod.ini at it (or replace '%s'\n"
           "             or the credential by it); keep '%s' with the older backups\n",
           cfg.key_path, cfg.key_path);
    return EXIT_OK;
}

int cmd_key(int argc, char **argv)
{
    static const struct option opts[] = {
        { "dir", required_argument, NULL, 'd' },
        { "new-key", required_argument, NULL, 'n' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *dir = NULL, *new_key = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dir = optarg; break;
        case 'n': new_key = optarg; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return cli_usage_error(argv[0], "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error(argv[0], "expected 'status' or 'rotate'");
    const char *sub = argv[optind];
    if (argc - optind != 1)
        return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind + 1]);
    if (strcmp(sub, "status") == 0) {
        if (new_key != NULL)
            return cli_usage_error(argv[0], "--new-key is for 'rotate'");
        return key_status(cli_dir(dir));
    }
    if (strcmp(sub, "rotate") == 0) {
        if (new_key == NULL || new_key[0] == '\0')
            return cli_usage_error(argv[0], "rotate needs --new-key FILE");
        return key_rotate(cli_dir(dir), new_key);
    }
    return cli_usage_error(argv[0], "'%s' is not 'status' or 'rotate'", sub);
}
