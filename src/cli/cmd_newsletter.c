/* src/cli/cmd_newsletter.c: `knod newsletter`, the network's newsletter
 * of a period as an HTML e-mail, plain text and a MIME message
 * (report/newsletter.h). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/outfile.h"
#include "cli/cli.h"
#include "cli/cli_published.h"
#include "report/newsletter.h"

static const char usage[] =
    "usage: knod newsletter --since DATE [--until DATE] [--lang sv|en] [--region CODE]\n"
    "                       [--intro FILE] [--out DIR] [--format files|json] [--dir DIR]\n"
    "\n"
    "Compose the network's newsletter of a period from the store: the public\n"
    "documents published or revised in it, the events of the next 60 days\n"
    "(and the period's recorded ones), the trainings held, and the three\n"
    "goals' headline indicators for the latest full year against the year\n"
    "before and the target, hidden where disclosure control hides them.\n"
    "Writes DIR/newsletter.html (an HTML e-mail), newsletter.txt (plain\n"
    "text, 72 columns) and newsletter.eml (both as one MIME message, no To:),\n"
    "replacing earlier ones; links are absolute on [web] base_url. The same\n"
    "data gives the same bytes.\n"
    "\n"
    "  --since DATE     the period's first day (YYYY-MM-DD)\n"
    "  --until DATE     its last day (default: today); at most 366 days\n"
    "  --lang LANG      sv (default) or en\n"
    "  --region CODE    a region's results beside the nation's\n"
    "  --intro FILE     an introduction in Markdown (no personnummer)\n"
    "  --out DIR        the folder the files are written to (must exist)\n"
    "  --format F       files (default: needs --out) or json (print the model)\n"
    "  --dir DIR        the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help       show this help\n";

static int write_file(const char *dir, const char *name, const struct strbuf *b,
                      struct kn_error *err)
{
    struct strbuf path = STRBUF_INIT;
    struct outfile o = OUTFILE_INIT;
    int rc = sb_addf(&path, "%s/%s", dir, name) ? kn_fail(err, KN_ENOMEM, "out of memory") : 0;
    if (rc == 0)
        rc = outfile_open(&o, path.buf, OUTFILE_REPLACE, err);
    if (rc == 0)
        rc = outfile_write(&o, b->buf, b->len, err);
    if (rc == 0)
        rc = outfile_commit(&o, err);
    outfile_abort(&o);
    if (rc == 0)
        printf("%s\n", path.buf);
    sb_release(&path);
    return rc;
}

static int day_opt(const char *name, const char *v, kn_day *out)
{
    struct kn_error err = KN_ERROR_INIT;
    if (date_parse(v, strlen(v), out, &err) != 0)
        return cli_usage_error("newsletter", "--%s: a date as YYYY-MM-DD", name);
    return 0;
}

int cmd_newsletter(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dir", required_argument, NULL, 'd'},    {"since", required_argument, NULL, 's'},
        {"until", required_argument, NULL, 'u'},  {"lang", required_argument, NULL, 'l'},
        {"region", required_argument, NULL, 'r'}, {"intro", required_argument, NULL, 'i'},
        {"out", required_argument, NULL, 'o'},    {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"files", "json", NULL};
    const char *dir = NULL, *since = NULL, *until = NULL, *intro = NULL, *out = NULL;
    struct nl_options o = {.lang = "sv"};
    int format = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dir = optarg; break;
        case 's': since = optarg; break;
        case 'u': until = optarg; break;
        case 'l': o.lang = optarg; break;
        case 'r': o.region = optarg; break;
        case 'i': intro = optarg; break;
        case 'o': out = optarg; break;
        case 'f':
            if ((format = cli_format(argv[0], optarg, formats)) < 0)
                return EXIT_USAGE;
            break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return cli_usage_error(argv[0], "unknown option");
        }
    }
    if (optind != argc)
        return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
    if (!since)
        return cli_usage_error(argv[0], "--since: the period's first day is needed");
    if (format == 0 && !out)
        return cli_usage_error(argv[0], "--out: the folder to write to is needed");
    if (strcmp(o.lang, "sv") && strcmp(o.lang, "en"))
        return cli_usage_error(argv[0], "--lang: sv or en");
    o.until = date_today();
    if (day_opt("since", since, &o.since) || (until && day_opt("until", until, &o.until)))
        return EXIT_USAGE;
    if (o.until < o.since)
        return cli_usage_error(argv[0], "--until: before --since");
    if (o.until - o.since >= NL_PERIOD_MAX)
        return cli_usage_error(argv[0], "--until: the period spans more than %d days",
                               NL_PERIOD_MAX);
    struct kn_error err = KN_ERROR_INIT;
    struct stat sb;
    if (out && (stat(out, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
        kn_fail(&err, KN_EINPUT, "--out %s: not a folder", out);
        return cli_fail(&err);
    }
    struct arena a;
    arena_init(&a);
    struct geo g;
    int rc = geo_load(&g, &a, &err);
    if (rc == 0 && o.region && !geo_region(&g, o.region)) {
        arena_release(&a);
        return cli_usage_error(argv[0], "--region: no region has the code '%s'", o.region);
    }
    /* the introduction is read before anything is computed, so that a
     * refused text fails fast */
    struct strbuf md = STRBUF_INIT;
    if (rc == 0 && intro && (rc = nl_intro(intro, &md, &err)) == 0)
        o.intro_md = md.buf ? md.buf : "";
    struct config cfg;
    struct store *st = NULL;
    if (rc != 0) {
        sb_release(&md);
        arena_release(&a);
        return cli_fail(&err);
    }
    rc = cli_open_store(cli_dir(dir), STORE_READONLY, &cfg, &st);
    if (rc) {
        sb_release(&md);
        arena_release(&a);
        return rc;
    }
    o.base_url = cfg.web_base;
    o.min_count = cfg.min_count;
    struct ind_catalogue cat = {0};
    size_t own = 0;
    json_t *rows = NULL, *model = NULL;
    struct strbuf html = STRBUF_INIT, text = STRBUF_INIT, eml = STRBUF_INIT;
    rc = cli_catalogue(NULL, 0, &cat, &own, &a, &err);
    if (rc == 0)
        rc = cli_published_rows(st, &cfg, &cat, &g, nl_results_year(o.until) - 1,
                                nl_results_year(o.until), &rows, &err);
    if (rc == 0)
        rc = nl_model(&model, st, rows, &cat, &g, &o, &a, &err);
    if (rc == 0 && format == 1) {
        char *s = json_dumps(model, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (!s)
            rc = kn_fail(&err, KN_ENOMEM, "out of memory");
        else
            printf("%s\n", s);
        free(s);
    } else if (rc == 0) {
        rc = nl_html(model, &html, &err);
        if (rc == 0)
            rc = nl_text(model, &text, &err);
        if (rc == 0)
            rc = nl_eml(model, &text, &html, &eml, &err);
        if (rc == 0)
            rc = write_file(out, "newsletter.html", &html, &err);
        if (rc == 0)
            rc = write_file(out, "newsletter.txt", &text, &err);
        if (rc == 0)
            rc = write_file(out, "newsletter.eml", &eml, &err);
    }
    sb_release(&html);
    sb_release(&text);
    sb_release(&eml);
    sb_release(&md);
    json_decref(model);
    json_decref(rows);
    store_close(st);
    arena_release(&a);
    return rc == 0 ? EXIT_OK : cli_fail(&err);
}
