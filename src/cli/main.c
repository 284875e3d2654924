/* src/cli/main.c: `knod`, the command table and dispatch.
 *
 * Like cgit's cmds[], the table is the one place that lists what knod can
 * do; `knod help` prints it. Each entry's function lives in its own
 * cmd_<name>.c.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static int cmd_help(int argc, char **argv);

static const struct cli_command commands[] = {
    { "init", "create a knod directory: store, pseudonym key, knod.ini", cmd_init },
    { "personnummer", "check personal identity numbers (never prints a pseudonym)",
      cmd_personnummer },
    { "geo", "list the reference regions and municipalities", cmd_geo },
    { "population", "the population by year that rates use: import SCB's CSV, list",
      cmd_population },
    { "import", "check care records (CSV) and store them pseudonymised", cmd_import },
    { "export", "write one kind of stored records, pseudonymised, as CSV or XLSX", cmd_export },
    { "synth", "write a synthetic data set in the CSV import format", cmd_synth },
    { "status", "what the store holds: records, persons per region, imports", cmd_status },
    { "indicators", "the indicator catalogue and its results", cmd_indicators },
    { "stats", "statistics (Wilson, Poisson, DSR) from an aggregate CSV", cmd_stats },
    { "serve", "serve the public portal and the JSON API over HTTP", cmd_serve },
    { "backup", "copy the store to a file while it stays in use", cmd_backup },
    { "user", "the portal's users: roles, scopes, passwords", cmd_user },
    { "audit", "the hash-chained audit log: verify, show", cmd_audit },
    { "consultation", "advice in individual cases with NHV clinics and knowledge nodes",
      cmd_consultation },
    { "docs", "knowledge-support documents: import, workflow, search", cmd_docs },
    { "refs", "the evidence register: references, RIS and CSL-JSON, search", cmd_refs },
    { "practice", "local practice in regions and units, linked to references", cmd_practice },
    { "pathways", "the care pathways as data: list, show, check against the catalogue",
      cmd_pathways },
    { "funding", "divide a national grant among regions by population share", cmd_funding },
    { "events", "the events calendar: registration, waiting list, iCalendar", cmd_events },
    { "node", "the knowledge nodes and the regions linked to them", cmd_node },
    { "group", "the national working group and the networks: meetings, gaps", cmd_group },
    { "member", "the members of the groups: roles, shares of time, terms", cmd_member },
    { "unit", "units, services and NHV clinics: resources, offers, waiting times, history",
      cmd_unit },
    { "training", "trainings and their participants by region, organisation, profession",
      cmd_training },
    { "survey", "surveys: questionnaires sent by link, answers, reports with small groups hidden",
      cmd_survey },
    { "activity", "development activities, their funding, spent against allocated",
      cmd_activity },
    { "worklist", "care-pathway steps due or overdue per person; units' reporting coverage",
      cmd_worklist },
    { "report", "the programme's yearly follow-up report as HTML and PDF", cmd_report },
    { "newsletter", "the network's newsletter of a period: HTML e-mail, text, MIME",
      cmd_newsletter },
    { "key", "the pseudonym key: check it against the store, rotate it", cmd_key },
    { "version", "print the version of knod and its libraries", cmd_version },
    { "help", "show this list, or the help of one command", cmd_help },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void print_usage(FILE *out)
{
    fprintf(out,
            "usage: knod COMMAND [OPTIONS] [ARGS]\n"
            "\n"
            "knod holds pseudonymised care data on self-harm among young people and\n"
            "follows it up per region against target levels.\n"
            "\n"
            "Commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-14s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\n"
            "Run 'knod COMMAND --help' for a command's options. Most commands work\n"
            "on a knod directory: --dir DIR, else $KNOD_DIR, else the current one.\n"
            "Exit status: 0 ok, 1 invalid input, 2 usage error, 3 runtime failure.\n");
}

static const struct cli_command *find(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static int cmd_help(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs("usage: knod help [COMMAND]\n\nList the commands, or show one command's "
              "help (the same as 'knod COMMAND --help').\n", stdout);
        return EXIT_OK;
    }
    if (argc > 1 && argv[1][0] == '-')
        return cli_usage_error("help", "unknown option '%s'", argv[1]);
    if (argc > 2)
        return cli_usage_error("help", "unexpected argument '%s'", argv[2]);
    if (argc < 2) {
        print_usage(stdout);
        return EXIT_OK;
    }
    const struct cli_command *c = find(argv[1]);
    if (c == NULL || c->run == cmd_help) {
        if (c != NULL) {
            print_usage(stdout);
            return EXIT_OK;
        }
        fprintf(stderr, "knod: '%s' is not a knod command; see 'knod help'\n", argv[1]);
        return EXIT_USAGE;
    }
    char help[] = "--help";
    char *args[] = { argv[1], help, NULL };
    return c->run(2, args);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0)
        return cmd_version(1, argv + 1);
    const struct cli_command *c = find(argv[1]);
    if (c == NULL) {
        fprintf(stderr, "knod: '%s' is not a knod command; see 'knod help'\n", argv[1]);
        return EXIT_USAGE;
    }
    cli_signals_init();
    return c->run(argc - 1, argv + 1);
}
