/* src/cli/cmd_indicators_run.c: `knod indicators run`, the catalogue over
 * the store: snapshot, one pass of the engine, disclosure control, rows. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/outfile.h"
#include "base/text.h"
#include "cli/cli.h"
#include "domain/geo.h"
#include "engine/eng.h"
#include "export/eng_fhir.h"
#include "export/eng_kolada.h"
#include "export/eng_out.h"
#include "lang/ind.h"
#include "snapshot/snap.h"
#include "disclosure/sup.h"

int cmd_indicators_run(int argc, char **argv);

static const char usage[] =
    "usage: knod indicators run [--dir DIR] [--id ID,...] [--by DIMS] [--period YEARS]\n"
    "                           [--level LEVEL] [--format csv|json|table|fhir|kolada]\n"
    "                           [--headline] [--out FILE] [--no-suppress] [--timings]\n"
    "                           [--catalogue DIR] [--measures]\n"
    "\n"
    "Compute indicators over the store: a snapshot of the person timelines, one\n"
    "pass over them for the whole selection, then disclosure control. Prints one\n"
    "CSV row per cell (columns: see src/export/eng_out.h and docs/indicators.md).\n"
    "\n"
    "  --dir DIR       the knod directory (default: $KNOD_DIR, else .)\n"
    "  --id ID,...     these indicators (default: the whole catalogue); those\n"
    "                  whose measure a ratio of theirs reads are computed too,\n"
    "                  not shown, and with disclosure control the whole\n"
    "                  catalogue (suppressed together, so that a cell hidden\n"
    "                  in the whole catalogue is hidden alone too)\n"
    "  --catalogue DIR also the definitions in DIR/*.ind, in place of shipped ones\n"
    "                  of the same id (a new indicator or version, no rebuild)\n"
    "  --by DIMS       breakdowns to show: region, municipality, unit, sex, band\n"
    "                  (default: each indicator's own); a breakdown that one of\n"
    "                  the --id indicators does not have is refused; of the\n"
    "                  whole catalogue, each shows those of DIMS it has\n"
    "  --period YEARS  2024 or 2020-2024 (default: each indicator's years)\n"
    "  --level LEVEL   only nation, healthcare_region, region or fine\n"
    "  --format F      csv (default), or json: the same rows as JSON lines, or\n"
    "                  table: readable, Swedish labels, or fhir: a\n"
    "                  FHIR R4 Bundle of MeasureReports, or kolada: headline values\n"
    "                  by year, region and municipality as Kolada's API\n"
    "                  (docs/indicators.md, \"Exports: FHIR and Kolada\")\n"
    "  --headline      only each indicator's headline measure\n"
    "  --measures      fhir: the Bundle holds each indicator's Measure too, so that\n"
    "                  MeasureReport.measure resolves inside it (canonical URLs\n"
    "                  under knod.ini's [fhir] canonical_base)\n"
    "  --out FILE      write there instead of stdout (a new or regular file,\n"
    "                  replaced whole when done; never a link or a device)\n"
    "  --no-suppress   leave out disclosure control: person-level scope only,\n"
    "                  never to be published. Every format says so: CSV a first\n"
    "                  column disclosure_control=none, JSON lines that key, Kolada\n"
    "                  \"disclosure_control\":\"none\" and kpi unsuppressed-ID, FHIR\n"
    "                  meta.security R (restricted) and MeasureReport ids (and\n"
    "                  fullUrls) unsuppressed-ID-vN-PERIOD, the table a first line\n"
    "  --timings       print the snapshot, evaluation and suppression times on stderr\n"
    "  --threads N     threads for the pass over the timelines (default 2)\n"
    "  -h, --help      show this help\n";

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* MeasureReport.date: now in UTC ("2025-03-01T12:00:00Z"), or the time
 * SOURCE_DATE_EPOCH gives, for output that can be reproduced. */
static const char *report_date(char buf[32])
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    long long e = env ? strtoll(env, &end, 10) : -1;
    time_t t = env && end != env && *end == '\0' && e >= 0 ? (time_t)e : time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return NULL;
    return buf;
}

static int parse_dims(const char *s, unsigned *out)
{
    static const char *const names[] = { "region", "municipality", "unit", "sex", "band" };
    *out = 0;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        bool ok = false;
        for (unsigned i = 0; i < 5; i++)
            if (strcmp(tok, names[i]) == 0 || (i == 4 && strcmp(tok, "age") == 0)) {
                *out |= 1u << i;
                ok = true;
            }
        if (!ok && strcmp(tok, "period") != 0)
            return -1;
    }
    if (*out & (IND_DIM_MUNICIPALITY | IND_DIM_UNIT))
        *out |= IND_DIM_REGION;
    return 0;
}

static const char *const dim_names[] = { "region", "municipality", "unit", "sex", "band" };

/* The breakdowns of dims as "region, sex", in buf. */
static const char *dims_text(unsigned dims, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < 5; i++)
        if (dims & (1u << i))
            n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%s%s", n ? ", " : "",
                                  dim_names[i]);
    if (n == 0)
        snprintf(buf, cap, "none (the nation only)");
    return buf;
}

/* --by asks for breakdowns every definition must have: a cell the engine
 * never computed must not be shown as an empty, unsuppressed one. Prints
 * each definition that lacks one and returns -1. */
static int check_dims(const struct ind_def *const *defs, size_t n, unsigned want)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned has = defs[i]->dims;
        unsigned missing = want & ~has;
        /* A version listed twice (ids) is told once. */
        bool told = false;
        for (size_t j = 0; j < i; j++)
            told |= defs[j] == defs[i];
        if (missing == 0 || told)
            continue;
        char m[96], h[96];
        if (bad++ == 0)
            fprintf(stderr, "knod indicators run: --by asks for breakdowns that not every "
                            "indicator has:\n");
        fprintf(stderr, "  %s (version %d) has no breakdown by %s; it has: %s\n",
                defs[i]->id, defs[i]->version, dims_text(missing, m, sizeof m),
                dims_text(has, h, sizeof h));
    }
    if (bad > 0)
        fputs("Choose --by among those (--id picks indicators). "
              "Try 'knod indicators run --help'.\n", stderr);
    return bad > 0 ? -1 : 0;
}

/* The definitions asked for, in the order of --id (each id's versions in
 * catalogue order), or the whole catalogue; *nrun also counts the
 * definitions computed but not shown, after them: those their ratios read
 * (ind_with_operands) and, under disclosure control (all), the rest of the
 * catalogue, since suppression runs across indicators that publish the same
 * counts (sup.h) and an indicator alone must hide what it hides in the
 * whole catalogue. */
static int select_defs(const struct ind_catalogue *cat, const char *ids, bool all,
                       const struct ind_def ***out, size_t *n, size_t *nrun)
{
    const struct ind_def **v = calloc(cat->n + 1, sizeof *v);
    if (!v)
        return -1;
    *n = 0;
    if (!ids) {
        for (size_t i = 0; i < cat->n; i++)
            v[(*n)++] = &cat->defs[i];
        *out = v;
        *nrun = *n;
        return 0;
    }
    const char *p;
    size_t l;
    for (const char *at = ids; text_list_next(&at, &p, &l);) {
        for (size_t i = 0; i < cat->n; i++) {
            bool seen = false;
            for (size_t k = 0; k < *n; k++)
                seen |= v[k] == &cat->defs[i];
            if (!seen && strlen(cat->defs[i].id) == l && memcmp(p, cat->defs[i].id, l) == 0)
                v[(*n)++] = &cat->defs[i];
        }
    }
    *out = v;
    *nrun = ind_with_operands(cat, v, *n);
    for (size_t i = 0; all && *n > 0 && i < cat->n; i++) {
        bool seen = false;
        for (size_t k = 0; k < *nrun && !seen; k++)
            seen = v[k] == &cat->defs[i];
        if (!seen)
            v[(*nrun)++] = &cat->defs[i];
    }
    return 0;
}

int cmd_indicators_run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "dir", required_argument, NULL, 'd' },
        { "id", required_argument, NULL, 'i' },
        { "by", required_argument, NULL, 'b' },
        { "period", required_argument, NULL, 'p' },
        { "level", required_argument, NULL, 'l' },
        { "format", required_argument, NULL, 'f' },
        { "out", required_argument, NULL, 'o' },
        { "no-suppress", no_argument, NULL, 'n' },
        { "timings", no_argument, NULL, 't' },
        { "headline", no_argument, NULL, 'H' },
        { "threads", required_argument, NULL, 'T' },
        { "catalogue", required_argument, NULL, 'C' },
        { "measures", no_argument, NULL, 'M' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *dir = NULL, *ids = NULL, *out_path = NULL, *catalogue = NULL;
    struct eng_options eo = { 0 };
    struct eng_out_options oo = { .geo_level = -1 };
    bool suppress = true, timings = false, table = false, fhir = false, kolada = false, json = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dir = optarg; break;
        case 'i': ids = optarg; break;
        case 'b':
            if (parse_dims(optarg, &oo.dims) != 0)
                return cli_usage_error("indicators run", "--by takes region, municipality, "
                                       "unit, sex, band, period");
            break;
        case 'p': {
            int used = 0;
            if (sscanf(optarg, "%d-%d%n", &eo.year_from, &eo.year_to, &used) == 2 &&
                optarg[used] == '\0') {
            } else if (sscanf(optarg, "%d%n", &eo.year_from, &used) == 1 &&
                       optarg[used] == '\0') {
                eo.year_to = eo.year_from;
            } else {
                eo.year_from = 0;
            }
            if (eo.year_from < 1900 || eo.year_to > 2200 || eo.year_to < eo.year_from)
                return cli_usage_error("indicators run", "--period takes a year or years "
                                       "such as 2024 or 2020-2024");
            break;
        }
        case 'l': {
            static const char *const lv[] = { "nation", "healthcare_region", "region",
                                              "fine" };
            oo.geo_level = -2;
            for (int i = 0; i < 4; i++)
                if (strcmp(optarg, lv[i]) == 0)
                    oo.geo_level = i;
            if (oo.geo_level == -2)
                return cli_usage_error("indicators run", "--level takes nation, "
                                       "healthcare_region, region or fine");
            break;
        }
        case 'f':
            table = fhir = kolada = json = false;
            if (strcmp(optarg, "csv") == 0)
                table = false;
            else if (strcmp(optarg, "json") == 0)
                json = true;
            else if (strcmp(optarg, "table") == 0)
                table = true;
            else if (strcmp(optarg, "fhir") == 0)
                fhir = true;
            else if (strcmp(optarg, "kolada") == 0)
                kolada = true;
            else
                return cli_usage_error("indicators run", "unknown format '%s' (csv, "
                                       "json, table, fhir, kolada)", optarg);
            break;
        case 'H': oo.headline_only = true; break;
        case 'C': catalogue = optarg; break;
        case 'M': oo.fhir_measures = true; break;
        case 'T':
            eo.threads = atoi(optarg);
            if (eo.threads < 1 || eo.threads > 16)
                return cli_usage_error("indicators run", "--threads takes 1 to 16");
            break;
        case 'o': out_path = optarg; break;
        case 'n': suppress = false; break;
        case 't': timings = true; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return cli_usage_error("indicators run", "unknown option");
        }
    }
    if (optind != argc)
        return cli_usage_error("indicators run", "unexpected argument '%s'", argv[optind]);
    oo.year_from = eo.year_from; /* computed with the years before them, shown alone */
    oo.year_to = eo.year_to;
    struct config cfg;
    struct store *st = NULL;
    int rc = cli_open_store(cli_dir(dir), STORE_READONLY, &cfg, &st);
    if (rc != 0)
        return rc;
    struct arena a;
    arena_init(&a);
    struct kn_error err = KN_ERROR_INIT;
    struct geo g;
    struct ind_catalogue cat = { 0 };
    struct snap *snap = NULL;
    const struct ind_def **defs = NULL;
    size_t ndefs = 0, nrun = 0;
    struct eng_run run = { 0 };
    FILE *out = stdout;
    rc = geo_load(&g, &a, &err);
    size_t own = 0;
    if (rc == 0)
        rc = cli_catalogue(&catalogue, catalogue ? 1 : 0, &cat, &own, &a, &err);
    if (rc == 0 && select_defs(&cat, ids, suppress, &defs, &ndefs, &nrun) != 0)
        rc = kn_fail(&err, KN_ENOMEM, "out of memory");
    if (rc == 0 && ndefs == 0)
        rc = kn_fail(&err, KN_ENOTFOUND, "no indicator matches '%s' (see knod indicators "
                     "list)", ids ? ids : "");
    /* Indicators chosen with --id must have the breakdowns asked for; the
     * whole catalogue shows of each the ones it has (eng_out.h). */
    if (rc == 0 && oo.dims != 0 && ids != NULL && check_dims(defs, ndefs, oo.dims) != 0) {
        free(defs);
        arena_release(&a);
        store_close(st);
        return EXIT_USAGE;
    }
    double t0 = now_ms();
    /* a second connection, so that two threads read the store at once */
    struct store *st2 = NULL;
    struct store_options ro = { STORE_READONLY, cfg.busy_timeout_ms };
    if (rc == 0 && store_open(cfg.store_path, &ro, &st2, &err) != 0) {
        st2 = NULL; /* one connection will do */
        kn_error_clear(&err);
    }
    if (rc == 0)
        rc = snap_build2(&snap, st, st2, &g, &err);
    store_close(st2);
    double t1 = now_ms();
    if (rc == 0)
        rc = eng_run(&run, snap, defs, nrun, &eo, &err);
    double t2 = now_ms(), t3 = t2;
    if (rc == 0 && suppress) {
        struct sup_rules rules = { cfg.min_count, cfg.min_denominator };
        cli_warn_below_floor(&cfg);
        sup_apply(&run, &rules);
        t3 = now_ms();
    } else if (rc == 0) {
        fprintf(stderr, "knod: warning: results without disclosure control; keep them "
                "within person-level scope\n");
    }
    if (rc == 0) /* the operands of ratios were computed, not asked for */
        eng_run_keep(&run, defs, ndefs);
    char now[32];
    oo.fhir_base = cfg.fhir_base;
    oo.fhir_date = report_date(now);
    /* --out: a new or regular file (replaced), written whole or not at
     * all (base/outfile.h); never a link or a device. */
    struct outfile of = OUTFILE_INIT;
    if (rc == 0 && out_path && (rc = outfile_open(&of, out_path, OUTFILE_REPLACE, &err)) == 0
        && !(out = outfile_stream(&of)))
        rc = kn_fail(&err, KN_ENOMEM, "%s: out of memory", out_path);
    if (rc == 0) {
        size_t skipped = 0;
        if (fhir)
            rc = eng_fhir_write_bundle(out, &run, &oo, &err);
        else if (kolada)
            rc = eng_kolada_write(out, &run, &oo, &skipped, &err);
        else if (json)
            eng_write_json(out, &run, &oo);
        else if (table)
            eng_write_table(out, &run, &oo);
        else
            eng_write_csv(out, &run, &oo);
        if (rc == 0 && skipped)
            fprintf(stderr, "knod: note: %zu indicator%s not reported by year left "
                    "out of the Kolada values\n", skipped, skipped == 1 ? "" : "s");
        if (out != stdout && rc == 0)
            rc = outfile_commit(&of, &err);
    }
    outfile_abort(&of); /* a no-op after the commit */
    if (rc == 0 && timings) {
        fprintf(stderr, "timing snapshot_ms=%.3f\n", t1 - t0);
        fprintf(stderr, "timing eval_ms=%.3f\n", t2 - t1);
        fprintf(stderr, "timing suppress_ms=%.3f\n", t3 - t2);
        fprintf(stderr, "timing pass_ms=%.3f finish_ms=%.3f\n", run.pass_ms,
                run.eval_ms - run.pass_ms);
        fprintf(stderr, "timing events=%zu persons=%u snapshot_bytes=%zu bytes_per_event=%.2f\n",
                snap->nevents, snap->npersons, snap->bytes,
                snap->nevents ? (double)snap->bytes / (double)snap->nevents : 0.0);
    }
    eng_run_free(&run);
    snap_free(snap);
    free(defs);
    arena_release(&a);
    store_close(st);
    return rc == 0 ? EXIT_OK : cli_fail(&err);
}
