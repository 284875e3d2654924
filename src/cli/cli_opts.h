/* src/cli/cli_opts.h: the option parsing the network's commands share.
 *
 * The network's commands (node, group, member, unit, training, survey,
 * activity) are each a noun with verbs: `knod NOUN VERB [ARG...]
 * [--option VALUE]...`. cli_sub_parse() finds the verb, reads the long
 * options named in a table into an array of values (a flag's value is
 * "1"), and checks the number of positional arguments, so that every
 * command answers a bad command line the same way (exit 2, a message
 * naming what was wrong and pointing to --help).
 */
#ifndef KNOD_CLI_CLI_OPTS_H
#define KNOD_CLI_CLI_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/date.h"
#include "base/error.h"

#define CLI_DONE (-1) /* cli_sub_parse: nothing left to do, exit 0 */

/* The exit code for a non-zero result of cli_sub_parse. */
static inline int cli_sub_exit(int rc)
{
    return rc == CLI_DONE ? 0 : rc;
}

struct cli_sub {
    const char *name; /* the verb */
    int nargs;        /* positional arguments it takes */
};

struct cli_parsed {
    int sub;           /* index into the verbs */
    char **args;       /* its positional arguments */
    const char **vals; /* per option, NULL if not given (caller's array) */
};

/* Parse argv (argv[0] the command, argv[1] the verb) of command cmd.
 * opts: NULL-terminated long option names, a trailing '!' marks a flag
 * ("recording!"); vals has room for every option. Returns 0 when the
 * command should run; CLI_DONE after --help (usage printed on stdout: the
 * command exits 0, see cli_sub_exit); EXIT_USAGE after a usage error
 * (message printed). An option given twice is a usage error. */
int cli_sub_parse(const char *cmd, const char *usage, int argc, char **argv,
                  const struct cli_sub *subs, size_t nsubs, const char *const *opts,
                  struct cli_parsed *out);

/* The index of option name in opts (as given to cli_sub_parse, without
 * the '!'); asserts that it is there. */
size_t cli_opt_index(const char *const *opts, const char *name);

/* The day in option value v (YYYY-MM-DD) into *out, or dflt if v is
 * NULL. 0, or KN_EINPUT with err naming the option ("--from: ..."). */
int cli_opt_day(const char *option, const char *v, kn_day dflt, kn_day *out,
                struct kn_error *err);

#endif /* KNOD_CLI_CLI_OPTS_H */
