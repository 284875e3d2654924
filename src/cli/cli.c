/* src/cli/cli.c: error printing, exit codes and store opening for the
 * subcommands; opening checks the pseudonym key against the store
 * (registry/reg_key.h). */
#include "cli/cli.h"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/outfile.h"
#include "base/utf8.h"
#include "domain/pnr_shape.h"
#include "domain/pseudo.h"
#include "registry/reg_key.h"

/* SIGINT, SIGTERM, SIGHUP: remove the temporary files of the files being
 * written (async-signal-safe), then die of the signal as before (the
 * handler was reset on entry, and the re-raised signal is delivered when
 * it returns). */
static void on_fatal_signal(int sig)
{
    outfile_unlink_temps();
    raise(sig);
}

void cli_signals_init(void)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = (int)SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        /* A signal the shell ignores (nohup, a background job's SIGINT)
         * stays ignored. */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

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
    char msg[KN_ERROR_MAX];
    const char *m = err->msg[0] ? err->msg : kn_code_name(err->code);
    pnr_mask_copy(m, strlen(m), msg, sizeof msg);
    fprintf(stderr, "knod: error: %s\n", msg);
    return cli_exit_code(err->code);
}

const char *cli_shown(const char *s, char *buf, size_t cap)
{
    return pnr_mask_copy(s, strlen(s), buf, cap);
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

int cli_format(const char *cmd, const char *name, const char *const *formats)
{
    char list[128];
    size_t n = 0;
    list[0] = '\0';
    for (int i = 0; formats[i] != NULL; i++) {
        if (strcmp(formats[i], name) == 0)
            return i;
        n += (size_t)snprintf(list + n, n < sizeof list ? sizeof list - n : 0, "%s%s",
                              i ? ", " : "", formats[i]);
    }
    cli_usage_error(cmd, "--format is one of %s, not '%s'", list, name);
    return -1;
}

void cli_pad(const char *s, int width)
{
    fputs(s, stdout);
    for (int i = (int)utf8_length(s, strlen(s)); i < width; i++)
        putchar(' ');
}

void cli_warn_below_floor(const struct config *cfg)
{
    if (cfg->below_floor)
        log_warn("disclosure control is below its floor (min_count = %d, floor %d; "
                 "min_denominator = %d, floor %d), allowed by allow_below_floor in '%s': "
                 "small cells may be published",
                 cfg->min_count, CONFIG_MIN_COUNT_FLOOR, cfg->min_denominator,
                 CONFIG_MIN_DENOMINATOR_FLOOR, cfg->ini_path);
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

/* Where the key came from, for messages. */
static const char *key_origin(const struct config *cfg)
{
    switch (cfg->key_from) {
    case CONFIG_KEY_INI: return "[pseudonym] key_file";
    case CONFIG_KEY_CREDENTIALS: return "$CREDENTIALS_DIRECTORY";
    default: return "the knod directory";
    }
}

/* Check key against the fingerprint s records; a store made before
 * fingerprints were recorded gets the key's at this first open, through a
 * writable connection if s is read-only (a notice, or a warning if the
 * store cannot be written). Prints the error; 0 or an exit code. */
static int check_key(struct store *s, unsigned flags, const struct config *cfg,
                     const struct pseudo_key *key)
{
    struct kn_error err = KN_ERROR_INIT;
    int rc = reg_key_check(s, key, cfg->key_path, &err);
    if (rc == 0) {
        log_debug("key: key file '%s' (from %s) matches the store's fingerprint",
                  cfg->key_path, key_origin(cfg));
        return 0;
    }
    if (rc != KN_ENOTFOUND) {
        return cli_fail(&err);
    }
    struct store *w = s;
    bool recorded = false;
    if (flags & STORE_READONLY) {
        struct store_options opt = { 0, cfg->busy_timeout_ms };
        rc = store_open(cfg->store_path, &opt, &w, &err);
    }
    if (rc == 0 || rc == KN_ENOTFOUND)
        rc = reg_key_record(w, key, "first_open", &recorded, &err);
    if (rc == 0 && !recorded)
        rc = reg_key_check(w, key, cfg->key_path, &err); /* another knod was first */
    if (w != s)
        store_close(w);
    if (rc == 0 && recorded) {
        log_warn("recorded the fingerprint of key file '%s' in store '%s' (its first "
                 "open since knod checks keys); from now on the store accepts only "
                 "this key", cfg->key_path, cfg->store_path);
        return 0;
    }
    if (rc == 0)
        return 0;
    if (rc == KN_EINPUT)
        return cli_fail(&err);
    log_warn("the store '%s' records no key fingerprint yet and it cannot be recorded "
             "now (%s); the key file '%s' is not checked", cfg->store_path, err.msg,
             cfg->key_path);
    return 0;
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
     * that pseudonymise: it must be noticed and fixed at once. A key kept
     * apart and not reachable (KN_ENOTFOUND) is fine for a command that
     * does not pseudonymise; one that is found must be the store's. */
    struct pseudo_key key;
    int krc = pseudo_key_load(cfg->key_path, &key, &err);
    if (krc != 0 && krc != KN_ENOTFOUND) {
        pseudo_key_wipe(&key);
        return cli_fail(&err);
    }
    struct store_options opt = { flags, cfg->busy_timeout_ms };
    int rc = store_open(cfg->store_path, &opt, out, &err);
    if (rc == KN_ENOTFOUND) {
        pseudo_key_wipe(&key);
        fprintf(stderr, "knod: error: no knod store at '%s'; create one with "
                        "'knod init --dir %s' or point --dir (or KNOD_DIR) at one\n",
                cfg->store_path, dir);
        return EXIT_INPUT;
    }
    if (rc != 0) {
        pseudo_key_wipe(&key);
        return cli_fail(&err);
    }
    if (krc == 0)
        rc = check_key(*out, flags, cfg, &key);
    pseudo_key_wipe(&key);
    if (rc != 0) {
        store_close(*out);
        *out = NULL;
    }
    return rc;
}
