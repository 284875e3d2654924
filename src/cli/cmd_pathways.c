/* src/cli/cmd_pathways.c: `knod pathways`, the care pathways as data
 * (hub_pathway.h): list them, show one, check them against the indicator
 * catalogue and the registry's step codes. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/strbuf.h"
#include "cli/cli.h"
#include "hub/hub_pathway.h"
#include "lang/ind.h"

static const char usage[] =
    "usage: knod pathways list [--format table|json] [--data DIR]\n"
    "       knod pathways show CODE [--format table|json] [--data DIR]\n"
    "       knod pathways check [--data DIR] [--catalogue PATH]...\n"
    "\n"
    "The care pathways (vårdförlopp) for self-harm as data (docs/pathways.md):\n"
    "the one for adults and its extension for children and young people, as\n"
    "phases and steps with the registry's step codes, who acts, entry\n"
    "criteria, time limits and the indicators that measure them. Details the\n"
    "published pathway does not give are marked as assumptions. check\n"
    "validates them: every step's indicator is in the catalogue, each time\n"
    "limit is its indicator's window, codes are unique, and every registry\n"
    "step code is a step; broken data is refused with the file, line and\n"
    "field (exit 1).\n"
    "\n"
    "  --data DIR        read DIR/pathways.csv, phases.csv and steps.csv\n"
    "                    instead of the shipped data/pathways\n"
    "  --catalogue PATH  own indicator definitions (a .ind file or a folder),\n"
    "                    beside the shipped ones, as knod indicators\n"
    "  --format FORMAT   table (default) or json\n"
    "  -h, --help        show this help\n";

static const char *const formats[] = { "table", "json", NULL };

static void print_json(json_t *o)
{
    char *text = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    if (text)
        puts(text);
    free(text);
    json_decref(o);
}

/* The three files of dir (or the shipped ones when dir is NULL). */
static int load(const char *dir, struct hub_pathways *ps, struct arena *a,
                struct kn_error *err)
{
    if (!dir)
        return hub_pathways_shipped(ps, a, err);
    static const char *const base[3] = { "pathways.csv", "phases.csv", "steps.csv" };
    const char *names[3], *texts[3];
    for (int i = 0; i < 3; i++) {
        names[i] = arena_printf(a, "%s/%s", dir, base[i]);
        FILE *f = names[i] ? fopen(names[i], "rb") : NULL;
        if (!f)
            return kn_fail(err, KN_EIO, "cannot read '%s': %s", names[i] ? names[i] : base[i],
                           strerror(errno));
        struct strbuf sb = STRBUF_INIT;
        char buf[65536];
        size_t got;
        while ((got = fread(buf, 1, sizeof buf, f)) > 0)
            sb_add(&sb, buf, got);
        fclose(f);
        size_t len = sb.len;
        texts[i] = arena_strndup(a, sb.buf ? sb.buf : "", len);
        sb_release(&sb);
        if (!texts[i])
            return kn_fail(err, KN_ENOMEM, "out of memory");
        if (strlen(texts[i]) != len)
            return kn_fail(err, KN_EINPUT, "%s: holds a NUL byte", names[i]);
    }
    return hub_pathways_parse(ps, names, texts, a, err);
}

static void print_step(const struct hub_step *s)
{
    printf("  %-16s %s", s->code, s->title[0]);
    if (*s->limit_text)
        printf(" (within %s of %s)", s->limit_text, s->limit_from);
    if (*s->indicator)
        printf(" [%s]", s->indicator);
    if (*s->assumption)
        fputs(" *", stdout);
    putchar('\n');
}

static int show(const struct hub_pathway *p, bool json)
{
    if (json) {
        print_json(hub_pathway_json(p));
        return EXIT_OK;
    }
    printf("%s (version %d): %s\n", p->code, p->version, p->title[0]);
    for (size_t j = 0; j < p->nphases; j++) {
        printf("%s\n", p->phases[j].title[0]);
        for (size_t i = 0; i < p->nsteps; i++)
            if (!strcmp(p->steps[i].phase, p->phases[j].code))
                print_step(&p->steps[i]);
    }
    if (*p->assumption)
        printf("* assumption: %s\n", p->assumption);
    return EXIT_OK;
}

int cmd_pathways(int argc, char **argv)
{
    static const struct option opts[] = {
        { "data", required_argument, NULL, 'D' },
        { "catalogue", required_argument, NULL, 'c' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *data = NULL, *format = "table";
    const char *cats[16];
    size_t ncats = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'D': data = optarg; break;
        case 'c':
            if (ncats == sizeof cats / sizeof cats[0])
                return cli_usage_error("pathways", "at most 16 --catalogue paths");
            cats[ncats++] = optarg;
            break;
        case 'f': format = optarg; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return cli_usage_error("pathways", "unknown option");
        }
    }
    int fmt = cli_format("pathways", format, formats);
    if (fmt < 0)
        return EXIT_USAGE;
    if (optind >= argc)
        return cli_usage_error("pathways", "say what to do: list, show CODE or check");
    const char *what = argv[optind];
    bool is_show = !strcmp(what, "show");
    if (strcmp(what, "list") && !is_show && strcmp(what, "check"))
        return cli_usage_error("pathways", "unknown subcommand '%s'", what);
    int want = is_show ? 2 : 1;
    if (argc - optind < want)
        return cli_usage_error("pathways", "show takes one pathway code");
    if (argc - optind > want)
        return cli_usage_error("pathways", "unexpected argument '%s'", argv[optind + want]);
    struct arena a;
    arena_init(&a);
    struct kn_error err = KN_ERROR_INIT;
    struct hub_pathways ps;
    int rc = EXIT_OK;
    if (load(data, &ps, &a, &err) != 0) {
        rc = cli_fail(&err);
    } else if (!strcmp(what, "check")) {
        struct ind_catalogue cat = { 0 };
        size_t own;
        if (cli_catalogue(cats, ncats, &cat, &own, &a, &err) != 0 ||
            hub_pathways_check(&ps, &cat, &err) != 0) {
            rc = cli_fail(&err);
        } else {
            size_t steps = 0;
            for (size_t i = 0; i < ps.n; i++)
                steps += ps.p[i].nsteps;
            printf("%zu pathways, %zu steps: consistent with the catalogue and the "
                   "registry\n", ps.n, steps);
        }
    } else if (is_show) {
        const struct hub_pathway *p = hub_pathway_find(&ps, argv[optind + 1]);
        if (!p) {
            kn_fail(&err, KN_ENOTFOUND, "no pathway '%s' (knod pathways list)",
                    argv[optind + 1]);
            rc = cli_fail(&err);
        } else {
            rc = show(p, fmt == 1);
        }
    } else if (fmt == 1) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < ps.n; i++)
            json_array_append_new(arr, hub_pathway_json(&ps.p[i]));
        print_json(arr);
    } else {
        for (size_t i = 0; i < ps.n; i++)
            printf("%-8s v%-3d %2zu steps  %s\n", ps.p[i].code, ps.p[i].version,
                   ps.p[i].nsteps, ps.p[i].title[0]);
    }
    arena_release(&a);
    return rc;
}
