/* src/cli/cmd_report.c: `knod report followup`, the programme's yearly
 * follow-up report (report/followup.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/arena.h"
#include "base/date.h"
#include "cli/cli.h"
#include "cli/cli_published.h"
#include "cli/cli_opts.h"
#include "domain/geo.h"
#include "report/followup.h"
#include "lang/ind.h"

static const char usage[] =
    "usage: knod report followup --period YEAR --out DIR [--region CODE]\n"
    "                            [--text DIR] [--lang sv|en] [--consult-days N]\n"
    "                            [--pdf] [--dir DIR]\n"
    "\n"
    "Make the programme's follow-up report of YEAR from the store: the three\n"
    "goals per region against their targets, the care pathway's indicators,\n"
    "trainings and participants, consultations answered in time, activities\n"
    "and their funding, surveys closed in the year, with the Markdown sections\n"
    "of --text. Every figure\n"
    "about care passes disclosure control, as `knod indicators run` gives it.\n"
    "Writes DIR/followup-YEAR[-REGION].html (and .pdf with --pdf, through\n"
    "WeasyPrint), replacing an earlier report; the same data gives the same\n"
    "bytes.\n"
    "\n"
    "  --period YEAR      the year reported\n"
    "  --out DIR          the folder the report is written to (must exist)\n"
    "  --region CODE      a region's report: its figures beside the nation's\n"
    "  --text DIR         free-text sections as NAME.md: intro, goals, pathway,\n"
    "                     trainings, consultations, activities, surveys,\n"
    "                     conclusions\n"
    "  --lang LANG        sv (default) or en\n"
    "  --consult-days N   consultations answered within N working days (default 5)\n"
    "  --pdf              also write the report as PDF\n"
    "  --dir DIR          the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help         show this help\n";

int cmd_report(int argc, char **argv)
{
    static const struct cli_sub subs[] = {{"followup", 0}};
    static const char *const opts[] = {"dir",  "period", "out",          "region", "text",
                                       "lang", "pdf!",   "consult-days", NULL};
    enum { O_DIR, O_PERIOD, O_OUT, O_REGION, O_TEXT, O_LANG, O_PDF, O_DAYS, O_N };
    const char *v[O_N];
    struct cli_parsed p = {.vals = v};
    int rc = cli_sub_parse("report", usage, argc, argv, subs, 1, opts, &p);
    if (rc)
        return cli_sub_exit(rc);
    if (!v[O_PERIOD] || !v[O_OUT])
        return cli_usage_error("report", "followup needs --period YEAR and --out DIR");
    char *end;
    long year = strtol(v[O_PERIOD], &end, 10);
    if (*end || end == v[O_PERIOD] || year < 2000 || year > 2199)
        return cli_usage_error("report", "--period: a year, 2000 to 2199");
    long days = 5;
    if (v[O_DAYS]) {
        days = strtol(v[O_DAYS], &end, 10);
        if (*end || end == v[O_DAYS] || days < 1 || days > 365)
            return cli_usage_error("report", "--consult-days: 1 to 365");
    }
    struct followup_options fo = {(int)year, v[O_REGION], NULL, v[O_LANG] ? v[O_LANG] : "sv",
                                  (int)days, 0};
    if (strcmp(fo.lang, "sv") && strcmp(fo.lang, "en"))
        return cli_usage_error("report", "--lang: sv or en");
    struct kn_error err = KN_ERROR_INIT;
    /* what can be checked without the store is, before the work starts */
    struct stat sb;
    if (stat(v[O_OUT], &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        kn_fail(&err, KN_EINPUT, "--out %s: not a folder", v[O_OUT]);
        return cli_fail(&err);
    }
    json_t *texts = NULL;
    if (v[O_TEXT] && followup_texts(&texts, v[O_TEXT], &err) != 0)
        return cli_fail(&err);
    fo.texts = texts;
    struct config cfg;
    struct store *st = NULL;
    rc = cli_open_store(cli_dir(v[O_DIR]), STORE_READONLY, &cfg, &st);
    if (rc) {
        json_decref(texts);
        return rc;
    }
    struct arena a;
    arena_init(&a);
    struct geo g;
    struct ind_catalogue cat = {0};
    size_t own = 0;
    json_t *rows = NULL, *model = NULL;
    struct strbuf html = STRBUF_INIT, written = STRBUF_INIT;
    char name[64];
    snprintf(name, sizeof name, "followup-%ld%s%s", year, fo.region ? "-" : "",
             fo.region ? fo.region : "");
    fo.min_count = cfg.min_count;
    rc = geo_load(&g, &a, &err);
    if (rc == 0 && fo.region && !geo_region(&g, fo.region))
        rc = kn_fail(&err, KN_EINPUT, "--region: no region has the code '%s'", fo.region);
    if (rc == 0)
        rc = cli_catalogue(NULL, 0, &cat, &own, &a, &err);
    if (rc == 0)
        rc = cli_published_rows(st, &cfg, &cat, &g, 0, (int)year, &rows, &err);
    if (rc == 0)
        rc = followup_model(&model, st, rows, &cat, &g, &fo, &a, &err);
    if (rc == 0)
        rc = followup_html(model, &html, &err);
    if (rc == 0)
        rc = followup_write(v[O_OUT], name, &html, v[O_PDF] != NULL,
                            (long long)date_from_ymd((int)year, 12, 31) * 86400, &written,
                            &err);
    if (rc == 0)
        fputs(written.buf, stdout);
    sb_release(&html);
    sb_release(&written);
    json_decref(model);
    json_decref(rows);
    json_decref(texts);
    store_close(st);
    arena_release(&a);
    return rc == 0 ? EXIT_OK : cli_fail(&err);
}
