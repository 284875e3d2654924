/* src/cli/cli_opts.c: verbs and long options of the network's commands
 * (cli_opts.h). */
#include "cli/cli_opts.h"

#include <assert.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#define MAX_OPTS 48

size_t cli_opt_index(const char *const *opts, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; opts[i]; i++)
        if (strncmp(opts[i], name, n) == 0 && (opts[i][n] == '\0' || opts[i][n] == '!'))
            return i;
    assert(!"unknown option name");
    return 0;
}

int cli_sub_parse(const char *cmd, const char *usage, int argc, char **argv,
                  const struct cli_sub *subs, size_t nsubs, const char *const *opts,
                  struct cli_parsed *out)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : CLI_DONE;
    }
    size_t k;
    for (k = 0; k < nsubs && strcmp(subs[k].name, argv[1]) != 0; k++)
        ;
    if (k == nsubs)
        return cli_usage_error(cmd, "unknown subcommand '%.40s'", argv[1]);
    static char names[MAX_OPTS][32];
    struct option lo[MAX_OPTS + 2];
    size_t n = 0;
    for (; opts[n]; n++) {
        assert(n < MAX_OPTS);
        size_t len = strcspn(opts[n], "!");
        assert(len < sizeof names[n]);
        memcpy(names[n], opts[n], len);
        names[n][len] = '\0';
        lo[n] = (struct option){names[n],
                                opts[n][len] == '!' ? no_argument : required_argument,
                                NULL, 1000 + (int)n};
    }
    lo[n] = (struct option){"help", no_argument, NULL, 'h'};
    lo[n + 1] = (struct option){NULL, 0, NULL, 0};
    for (size_t i = 0; i < n; i++)
        out->vals[i] = NULL;
    optind = 2;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage, stdout);
            return CLI_DONE;
        }
        if (c < 1000) {
            const char *bad = argv[optind - 1];
            return cli_usage_error(
                cmd, c == ':' ? "option '%.40s' needs a value" : "unknown option '%.40s'",
                bad);
        }
        size_t i = (size_t)(c - 1000);
        if (out->vals[i])
            return cli_usage_error(cmd, "--%s given twice", names[i]);
        out->vals[i] = lo[i].has_arg == no_argument ? "1" : optarg;
    }
    int nargs = argc - optind;
    if (nargs != subs[k].nargs) {
        if (nargs > subs[k].nargs)
            return cli_usage_error(cmd, "%s: unexpected argument '%.40s'", subs[k].name,
                                   argv[optind + subs[k].nargs]);
        return cli_usage_error(cmd, "%s takes %d argument%s", subs[k].name, subs[k].nargs,
                               subs[k].nargs == 1 ? "" : "s");
    }
    out->sub = (int)k;
    out->args = argv + optind;
    return 0;
}

int cli_opt_day(const char *option, const char *v, kn_day dflt, kn_day *out,
                struct kn_error *err)
{
    if (!v) {
        *out = dflt;
        return 0;
    }
    if (date_parse(v, strlen(v), out, err) != 0)
        return kn_error_prefix(err, "%s: ", option);
    return 0;
}
