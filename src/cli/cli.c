/* src/cli/cli.c: error printing, exit codes and store opening for the
 * subcommands. */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/utf8.h"
#include "domain/pseudo.h"

int cli_exit_code(int code)
{
    switch (code) {
    case KN_OK: return EXIT_OK;
    case KN_EINPUT:
    case KN_ENOTFOUND:
    case KN_EEXIST: return EXIT_INPUT;
    default: return EXIT_RUNTIME;
    }
}

int cli_fail(const struct kn_error *err)
{
    fprintf(stderr, "knod: error: %s\n",
            err->msg[0] ? err->msg : kn_code_name(err->code));
    return cli_exit_code(err->code);
}

int cli_usage_error(const char *name, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "knod %s: ", name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'knod %s --help'.\n", name);
    return EXIT_USAGE;
}

void cli_pad(const char *s, int width)
{
    fputs(s, stdout);
    for (int i = (int)utf8_length(s, strlen(s)); i < width; i++)
        putchar(' ');
}

const char *cli_dir(const char *opt_dir)
{
    if (opt_dir != NULL && opt_dir[0] != '\0')
        return opt_dir;
    const char *env = getenv("KNOD_DIR");
    if (env != NULL && env[0] != '\0')
        return env;
    return ".";
}

int cli_open_store(const char *dir, unsigned flags, struct config *cfg,
                   struct store **out)
{
    struct kn_error err = KN_ERROR_INIT;
    *out = NULL;
    if (config_load(cfg, dir, &err) != 0)
        return cli_fail(&err);
    log_set_level(cfg->log_level);
    /* A key others can read is refused by every command, not only those
     * that pseudonymise: it must be noticed and fixed at once. */
    struct pseudo_key key;
    int krc = pseudo_key_load(cfg->key_path, &key, &err);
    pseudo_key_wipe(&key);
    if (krc != 0 && krc != KN_ENOTFOUND)
        return cli_fail(&err);
    struct store_options opt = { flags, cfg->busy_timeout_ms };
    int rc = store_open(cfg->store_path, &opt, out, &err);
    if (rc == KN_ENOTFOUND) {
        fprintf(stderr, "knod: error: no knod store at '%s'; create one with "
                        "'knod init --dir %s' or point --dir (or KNOD_DIR) at one\n",
                cfg->store_path, dir);
        return EXIT_INPUT;
    }
    if (rc != 0)
        return cli_fail(&err);
    return 0;
}
