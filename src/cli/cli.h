/* src/cli/cli.h: what the knod subcommands share.
 *
 * Each subcommand lives in its own cmd_<name>.c and exports one function
 * cmd_<name>(argc, argv), where argv[0] is the subcommand's name. It parses
 * its own options (getopt_long, always with --help), prints results on
 * stdout and errors on stderr as "knod: error: ...", and returns one of
 * the exit codes below.
 */
#ifndef KNOD_CLI_CLI_H
#define KNOD_CLI_CLI_H

#include <stdio.h>

#include "base/arena.h"
#include "base/config.h"
#include "base/error.h"
#include "store/store.h"

enum cli_exit {
    EXIT_OK = 0,      /* done */
    EXIT_INPUT = 1,   /* invalid input (a bad number, file or argument value) */
    EXIT_USAGE = 2,   /* the command line itself was wrong */
    EXIT_RUNTIME = 3, /* the work could not be done (store, disk, key) */
};

struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
};

/* Print "knod: error: <err->msg>" and return the exit code for err->code.
 * Anything in the message shaped like a personnummer is masked
 * (domain/pnr_shape.h), whatever layer wrote it. */
int cli_fail(const struct kn_error *err);

/* s as knod shows it (a file name, a path): a copy in buf (cap bytes) with
 * anything shaped like a personnummer masked. Returns buf. */
const char *cli_shown(const char *s, char *buf, size_t cap);

/* Print "knod NAME: <message>" and a hint to --help; returns EXIT_USAGE. */
int cli_usage_error(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The index of name among formats (NULL-terminated), for --format; else
 * prints a usage error of cmd listing the formats and returns -1. */
int cli_format(const char *cmd, const char *name, const char *const *formats);

/* Print s left-aligned in width display columns (UTF-8 aware). */
void cli_pad(const char *s, int width);

/* Install the handlers that remove the temporary files of an unfinished
 * write (base/outfile.h) when SIGINT, SIGTERM or SIGHUP ends knod. */
void cli_signals_init(void);

/* The exit code for an error code. */
int cli_exit_code(int code);

/* Log a warning if cfg's disclosure control is below its floor (allowed
 * by allow_below_floor = yes): on every use of the rules. */
void cli_warn_below_floor(const struct config *cfg);

/* The knod directory: the --dir value if given, else $KNOD_DIR, else ".". */
const char *cli_dir(const char *opt_dir);

/* Load the config of dir, check the key file's mode (a key that group or
 * others may read is refused), open the store (which must exist) and, if
 * the key file is found, check it against the store's key fingerprint (a
 * different key is refused, exit 1; a store without one records it, with a
 * notice). On failure prints the error and returns the exit code; 0 on
 * success. */
int cli_open_store(const char *dir, unsigned flags, struct config *cfg,
                   struct store **out);

/* The audit key (access_audit.h) of dir's pseudonym key, for a command
 * that writes the audit log. On failure prints the error and returns the
 * exit code; 0 on success. */
struct audit_key;
int cli_audit_key(const struct config *cfg, struct audit_key *out);

/* The actor of an audited command: its --by value, else $USER, else
 * "knod". */
const char *cli_by(const char *by);

/* Run fn(st, arg, err) and an audit entry (cli_by(by), action, subject,
 * detail) in one transaction: both or neither. subject and detail are read
 * after fn has succeeded, so fn may fill the buffers they point to (an
 * added object's number). On failure prints the error and returns the
 * exit code; EXIT_OK on success. */
int cli_audited(struct store *st, const struct config *cfg, const char *by,
                const char *action, const char *subject, const char *detail,
                int (*fn)(struct store *, void *, struct kn_error *), void *arg);

/* The options given among names[0..n) (vals[i] not NULL) as "--a, --b"
 * into buf (cap bytes, cut if need be): an audit entry's detail. */
void cli_given(const char *const *names, const char *const *vals, size_t n, char *buf,
               size_t cap);

/* The indicator catalogue to work with: the definitions in paths (files,
 * or folders of *.ind files), and the shipped ones whose ids they do not
 * define; checked as a whole and against data/indicators/catalogue.lock.
 * *own is the number of definitions from paths. */
struct ind_catalogue;
int cli_catalogue(const char *const *paths, size_t npaths, struct ind_catalogue *cat,
                  size_t *own, struct arena *a, struct kn_error *err);

int cmd_init(int argc, char **argv);
int cmd_personnummer(int argc, char **argv);
int cmd_geo(int argc, char **argv);
int cmd_synth(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_indicators(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_key(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_funding(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_newsletter(int argc, char **argv);
int cmd_docs(int argc, char **argv);
int cmd_pathways(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_consultation(int argc, char **argv);
int cmd_node(int argc, char **argv);
int cmd_group(int argc, char **argv);
int cmd_member(int argc, char **argv);
int cmd_unit(int argc, char **argv);
int cmd_training(int argc, char **argv);
int cmd_survey(int argc, char **argv);
int cmd_activity(int argc, char **argv);
int cmd_population(int argc, char **argv);
int cmd_refs(int argc, char **argv);
int cmd_practice(int argc, char **argv);
int cmd_worklist(int argc, char **argv);

#endif /* KNOD_CLI_CLI_H */
