/* src/cli/cmd_import.c: `knod import`, care data into the store.
 *
 * Each file is one transaction: it is stored whole, or (with any bad row
 * and without --keep-valid) not at all. A directory, and the CSV files
 * named together, are imported kind by kind in dependency order (units,
 * persons, contacts, ...; cli_import_plan.h), stopping at the first file
 * that is rejected, or with --continue skipping only the files that depend
 * on it. On a terminal a progress line shows
 * rows, rows/s and the time left; otherwise one summary line per file.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_import_plan.h"
#include "domain/pnr_shape.h"
#include "domain/pseudo.h"
#include "registry/reg_csv.h"
#include "registry/reg_fhir.h"

static const char usage[] =
    "usage: knod import [--kind KIND] [--keep-valid] [--rejects FILE] [--force]\n"
    "                   [--continue] [--dir DIR] [--today YYYY-MM-DD] [--quiet]\n"
    "                   [--format csv|fhir] [--source NAME] FILE|FOLDER...\n"
    "\n"
    "Check care records and store them; every personnummer is replaced by its\n"
    "pseudonym at once. The file layouts are in docs/import-format.md. A file\n"
    "is stored whole or not at all: any bad row rejects it, and every bad row\n"
    "is listed with its line, field and reason. A value beyond a limit of\n"
    "knod.ini's [plausibility] (a person over 110, an emergency visit of years)\n"
    "is stored with a warning. Importing a file again adds\n"
    "nothing. A FOLDER is imported kind by kind (units.csv, persons.csv,\n"
    "contacts.csv, self_harm.csv, coercive_measures.csv, assessments.csv,\n"
    "care_plans.csv, treatments.csv, follow_ups.csv, pathway_steps.csv); every\n"
    "other file in it is named in a warning, and a CSV file whose name is not a\n"
    "kind stops the import before anything is stored. CSV files named together\n"
    "are imported in the same order, whatever their order on the command line.\n"
    "At a file that is rejected the import stops and names the files it did\n"
    "not attempt.\n"
    "FHIR R4 JSON (a Bundle, or NDJSON as FHIR Bulk Data writes it) is mapped\n"
    "onto the same kinds; FHIR files that follow each other on the command line\n"
    "are one import, so they may refer to each other (Encounter.ndjson to\n"
    "Patient.ndjson).\n"
    "\n"
    "  --kind KIND     the kind of every CSV FILE (default: from the file name)\n"
    "  --format F      csv or fhir (default: fhir for *.json, *.ndjson, *.jsonl,\n"
    "                  csv otherwise)\n"
    "  --source NAME   FHIR: the source system of resources without meta.source\n"
    "                  (default: fhir)\n"
    "  --keep-valid    store the valid rows of a file with bad ones, and write\n"
    "                  the bad ones to a reject file\n"
    "  --rejects FILE  the reject file (default: FILE.rejects.csv, for FHIR\n"
    "                  FILE.rejects.ndjson beside each input; with --rejects\n"
    "                  the FHIR files' one report names each line's input in\n"
    "                  \"_file\"); personnummer are left out of it.\n"
    "                  A new name, or a regular file with --force (the default\n"
    "                  name is replaced); never a folder, link or device\n"
    "  --force         replace an existing --rejects FILE\n"
    "  --continue      after a rejected file, go on with the files that do not\n"
    "                  depend on it (docs/import-format.md, Order of files)\n"
    "  --today DATE    times after this day are errors (default: today)\n"
    "  --quiet         no progress line\n"
    "  --dir DIR       the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help      show this help\n";

#define MAX_SHOWN 20

struct run {
    bool tty;
    bool quiet;
    int shown;
    int warned; /* warnings told */
    double started;
    double drawn; /* when the progress line was last drawn */
    const char *file;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_reject(void *ctx, const char *where, const char *reason)
{
    struct run *r = ctx;
    if (r->shown++ < MAX_SHOWN) {
        if (r->tty && !r->quiet)
            fputs("\r\033[K", stderr);
        fprintf(stderr, "%s: %s\n", where, reason);
    }
}

static void on_warning(void *ctx, const char *where, const char *reason)
{
    struct run *r = ctx;
    if (r->warned++ < MAX_SHOWN) {
        if (r->tty && !r->quiet)
            fputs("\r\033[K", stderr);
        fprintf(stderr, "%s: warning: %s\n", where, reason);
    }
}

static void on_progress(void *ctx, uint64_t rows, uint64_t bytes, uint64_t total, int done)
{
    struct run *r = ctx;
    if (!r->tty || r->quiet)
        return;
    double t = now_s();
    if (!done && t - r->drawn < 0.1)
        return; /* at most ten redraws a second */
    r->drawn = t;
    double secs = t - r->started;
    double rate = secs > 0 ? (double)rows / secs : 0;
    double left = bytes > 0 && total > bytes ? secs * (double)(total - bytes) / (double)bytes
                                             : 0;
    fprintf(stderr, "\r\033[K%s: %llu rows  %.0f rows/s  %3.0f%%  %s%.0f s left",
            r->file, (unsigned long long)rows, rate,
            total ? 100.0 * (double)bytes / (double)total : 100.0, done ? "" : "~",
            done ? 0.0 : left);
    if (done)
        fputs("\r\033[K", stderr);
}

/* After a file stored with warnings: how many were not shown, and where
 * the report lists them (with --keep-valid). */
static void print_warned(const struct run *r, const char *shown, uint64_t warnings,
                         const char *rejects)
{
    char rej_shown[PATH_MAX];
    if (r->warned > MAX_SHOWN)
        fprintf(stderr, "... and %d more warnings in '%s'\n", r->warned - MAX_SHOWN, shown);
    if (warnings > 0 && rejects != NULL)
        printf("%s: rows stored with warnings are listed in '%s'\n", shown,
               cli_shown(rejects, rej_shown, sizeof rej_shown));
}

/* The kind named by a file's base name ("contacts.csv" -> contacts). */
static const struct reg_kind *kind_of_file(const char *path)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    char name[64];
    size_t n = strcspn(base, ".");
    if (n >= sizeof name)
        return NULL;
    memcpy(name, base, n);
    name[n] = '\0';
    return reg_kind_find(name);
}

/* The default reject file FILE + suffix, with anything shaped like a
 * personnummer in FILE's own name masked (domain/pnr_shape.h): a number in
 * an input's name is not carried into the names knod makes. 0, or -1 if
 * it does not fit. */
static int default_rejects(const char *path, const char *suffix, char *out, size_t cap)
{
    if (snprintf(out, cap, "%s%s", path, suffix) >= (int)cap)
        return -1;
    char *base = strrchr(out, '/') ? strrchr(out, '/') + 1 : out;
    pnr_mask(base, strlen(base));
    return 0;
}

/* Import one CSV file. With *shared non-NULL the file runs in that session
 * (a folder import: what it loaded is kept from file to file), which stays
 * open for the next file; *shared is set to NULL if it had to end. */
static int import_file(struct store *s, const struct pseudo_key *key, const char *path,
                       const struct reg_kind *kind, const struct reg_import_options *io,
                       const char *rejects, bool force, bool quiet,
                       struct reg_import **shared)
{
    struct kn_error err = KN_ERROR_INIT;
    char shown[PATH_MAX], rej_shown[PATH_MAX];
    cli_shown(path, shown, sizeof shown);
    struct run run = { isatty(STDERR_FILENO) == 1, quiet, 0, 0, now_s(), 0, shown };
    char rej_path[PATH_MAX];
    if (io->keep_valid) {
        if (rejects == NULL) {
            if (default_rejects(path, ".rejects.csv", rej_path, sizeof rej_path) != 0)
                return cli_usage_error("import", "file name too long");
            rejects = rej_path;
            force = true; /* knod's own name beside the input: replaced */
        }
    } else {
        rejects = NULL;
    }
    struct reg_csv_options co = { rejects, on_reject, on_progress, &run, force, on_warning };
    struct reg_import *im = shared != NULL ? *shared : NULL;
    int rc = im != NULL ? 0 : reg_import_begin(s, key, io, &im, &err);
    if (rc != 0)
        return cli_fail(&err);
    rc = reg_csv_import(im, kind, path, &co, &err);
    struct reg_import_stats st = *reg_import_get_stats(im);
    if (rc != 0) {
        reg_import_finish(im, false, NULL, NULL, NULL, NULL);
        if (shared != NULL)
            *shared = NULL;
        if (run.tty && !quiet)
            fputs("\r\033[K", stderr);
        fprintf(stderr, "knod: error: %s\nknod: nothing from '%s' was stored\n", err.msg,
                shown);
        return cli_exit_code(rc);
    }
    if (shared != NULL) {
        struct kn_error next_err = KN_ERROR_INIT;
        rc = reg_import_next(im, true, path, reg_kind_name(kind), "csv", &next_err);
        if (rc != 0 && rc != KN_EINPUT) {
            reg_import_finish(im, false, NULL, NULL, NULL, NULL);
            *shared = NULL;
        }
        err = next_err;
    } else {
        rc = reg_import_finish(im, true, path, reg_kind_name(kind), "csv", &err);
    }
    double secs = now_s() - run.started;
    if (run.shown > MAX_SHOWN)
        fprintf(stderr, "... and %d more errors in '%s'%s%s%s\n", run.shown - MAX_SHOWN, shown,
                rejects ? "; all are in the reject report '" : " (--keep-valid writes "
                "every rejected row to a reject report)",
                rejects ? cli_shown(rejects, rej_shown, sizeof rej_shown) : "",
                rejects ? "'" : "");
    if (rc == KN_EINPUT) {
        fprintf(stderr, "knod: '%s' was rejected: %s\n", shown, err.msg);
        return EXIT_INPUT;
    }
    if (rc != 0)
        return cli_fail(&err);
    char repeated[48] = "", warned[48] = "";
    if (st.repeated > 0)
        snprintf(repeated, sizeof repeated, ", %llu repeated",
                 (unsigned long long)st.repeated);
    if (st.warnings > 0)
        snprintf(warned, sizeof warned, ", %llu warning%s", (unsigned long long)st.warnings,
                 st.warnings == 1 ? "" : "s");
    printf("%s: %s, %llu rows: %llu stored, %llu unchanged%s, %llu rejected%s in %.2f s "
           "(%.0f rows/s)\n", shown, reg_kind_name(kind), (unsigned long long)st.rows,
           (unsigned long long)st.stored, (unsigned long long)st.unchanged, repeated,
           (unsigned long long)st.rejected, warned, secs,
           secs > 0 ? (double)st.rows / secs : 0.0);
    print_warned(&run, shown, st.warnings, rejects);
    if (st.rejected > 0)
        printf("%s: rejected rows written to '%s'\n", shown,
               cli_shown(rejects, rej_shown, sizeof rej_shown));
    return EXIT_OK;
}

enum { FORMAT_AUTO, FORMAT_CSV, FORMAT_FHIR };

static bool fhir_file(const char *path, int format)
{
    struct stat sb;
    if (format == FORMAT_CSV || (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)))
        return false;
    size_t n = strlen(path);
    return format == FORMAT_FHIR || (n > 5 && strcmp(path + n - 5, ".json") == 0)
           || (n > 7 && strcmp(path + n - 7, ".ndjson") == 0)
           || (n > 6 && strcmp(path + n - 6, ".jsonl") == 0);
}

/* "N resources: S stored, U unchanged[, P repeated], R rejected, M merged,
 * K skipped" (they add up: reg_fhir.h). */
static void print_counts(const struct reg_fhir_counts *c)
{
    printf("%llu resources: %llu stored, %llu unchanged", (unsigned long long)c->resources,
           (unsigned long long)c->stored, (unsigned long long)c->unchanged);
    if (c->repeated > 0)
        printf(", %llu repeated", (unsigned long long)c->repeated);
    printf(", %llu rejected, %llu merged, %llu skipped", (unsigned long long)c->rejected,
           (unsigned long long)c->merged, (unsigned long long)c->skipped);
}

/* FHIR files paths[0..n) as one import (reg_fhir.h). With --keep-valid,
 * rejects names the one reject file of the import; without it, each input
 * gets its own beside it (FILE.rejects.ndjson). */
static int import_fhir_files(struct store *s, const struct pseudo_key *key, char **paths,
                             size_t n, const struct reg_import_options *io,
                             const char *rejects, bool force, const char *source, bool quiet);

/* A reject report knod wrote (FILE.rejects.ndjson): a glob such as
 * export/\*.ndjson finds those of an earlier run beside the inputs. */
static bool is_reject_report(const char *path)
{
    size_t n = strlen(path);
    return n > 15 && strcmp(path + n - 15, ".rejects.ndjson") == 0;
}

/* FHIR files named together: knod's own reject reports among several are
 * left out, with a warning (named alone, a corrected one is imported). */
static int import_fhir(struct store *s, const struct pseudo_key *key, char **paths, size_t n,
                       const struct reg_import_options *io, const char *rejects,
                       bool force, const char *source, bool quiet)
{
    if (n < 2)
        return import_fhir_files(s, key, paths, n, io, rejects, force, source, quiet);
    char **use = calloc(n, sizeof *use);
    if (use == NULL) {
        fputs("knod: error: out of memory\n", stderr);
        return EXIT_RUNTIME;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        char shown[PATH_MAX];
        if (is_reject_report(paths[i]))
            fprintf(stderr, "knod: warning: '%s' is a reject report of knod; it is left out "
                    "of the import of several files (import it alone to retry its "
                    "resources)\n", cli_shown(paths[i], shown, sizeof shown));
        else
            use[m++] = paths[i];
    }
    int rc = m > 0 ? import_fhir_files(s, key, use, m, io, rejects, force, source, quiet)
                   : cli_usage_error("import", "every FHIR file named is a reject report");
    free(use);
    return rc;
}

static int import_fhir_files(struct store *s, const struct pseudo_key *key, char **paths,
                             size_t n, const struct reg_import_options *io,
                             const char *rejects, bool force, const char *source, bool quiet)
{
    struct kn_error err = KN_ERROR_INIT;
    char rej_shown[PATH_MAX], name[PATH_MAX + 32];
    snprintf(name, sizeof name, n > 1 ? "%s (+%zu more)" : "%s", paths[0], n - 1);
    pnr_mask(name, strlen(name)); /* as it is shown and stored */
    struct run run = { isatty(STDERR_FILENO) == 1, quiet, 0, 0, now_s(), 0, name };
    char (*rej_paths)[PATH_MAX] = NULL;
    const char **rej_list = NULL;
    struct reg_fhir_counts *per_file = calloc(n, sizeof *per_file);
    int rc = per_file == NULL ? KN_ENOMEM : 0;
    if (rc == 0 && io->keep_valid && rejects == NULL) {
        rej_paths = calloc(n, sizeof *rej_paths);
        rej_list = calloc(n, sizeof *rej_list);
        if (rej_paths == NULL || rej_list == NULL)
            rc = KN_ENOMEM;
        for (size_t i = 0; rc == 0 && i < n; i++) {
            if (default_rejects(paths[i], ".rejects.ndjson", rej_paths[i], PATH_MAX) != 0) {
                free(rej_paths);
                free(rej_list);
                free(per_file);
                return cli_usage_error("import", "file name too long");
            }
            rej_list[i] = rej_paths[i];
        }
        force = true; /* knod's own names beside the inputs: replaced */
    } else if (!io->keep_valid) {
        rejects = NULL;
    }
    struct reg_fhir_options fo = { .source_system = source, .rejects_path = rejects,
                                   .rejects_paths = rej_list, .per_file = per_file,
                                   .on_reject = on_reject, .on_warning = on_warning,
                                   .ctx = &run, .rejects_replace = force };
    struct reg_fhir_stats fs;
    struct reg_import *im = NULL;
    if (rc == KN_ENOMEM) {
        kn_fail(&err, rc, "out of memory");
    } else {
        rc = reg_import_begin(s, key, io, &im, &err);
        if (rc == 0) {
            rc = reg_fhir_import(im, (const char *const *)paths, n, &fo, &fs, &err);
            if (rc != 0) {
                reg_import_finish(im, false, NULL, NULL, NULL, NULL);
                fprintf(stderr, "knod: error: %s\nknod: nothing from '%s' was stored\n",
                        err.msg, name);
                rc = cli_exit_code(rc);
                goto out;
            }
        }
    }
    if (rc != 0) {
        rc = cli_fail(&err);
        goto out;
    }
    struct reg_import_stats st = *reg_import_get_stats(im);
    rc = reg_import_finish(im, true, name, "fhir", "fhir", &err);
    double secs = now_s() - run.started;
    if (run.shown > MAX_SHOWN)
        fprintf(stderr, "... and %d more rejected\n", run.shown - MAX_SHOWN);
    if (rc == KN_EINPUT) {
        fprintf(stderr, "knod: '%s' was rejected: %s\n", name, err.msg);
        rc = EXIT_INPUT;
        goto out;
    }
    if (rc != 0) {
        rc = cli_fail(&err);
        goto out;
    }
    printf("%s: fhir, ", name);
    print_counts(&fs.total);
    if (st.warnings > 0)
        printf(", %llu warning%s", (unsigned long long)st.warnings,
               st.warnings == 1 ? "" : "s");
    printf(" (%llu records) in %.2f s\n", (unsigned long long)fs.records, secs);
    for (size_t i = 0; n > 1 && i < n; i++) {
        char shown[PATH_MAX];
        printf("%s: ", cli_shown(paths[i], shown, sizeof shown));
        print_counts(&per_file[i]);
        putchar('\n');
    }
    print_warned(&run, name, st.warnings,
                 rejects != NULL ? rejects : rej_list != NULL && n == 1 ? rej_list[0] : NULL);
    if (st.warnings > 0 && rej_list != NULL && n > 1)
        printf("%s: resources stored with warnings are listed in the reject file of their "
               "input (FILE.rejects.ndjson)\n", name);
    if (fs.merged > 0)
        printf("%s: %llu Conditions became diagnoses or causes of their contacts\n", name,
               (unsigned long long)fs.merged);
    if (fs.skipped > 0)
        printf("%s: skipped %llu resources with nothing knod imports (see "
               "docs/import-format.md, FHIR R4)\n", name, (unsigned long long)fs.skipped);
    if (fs.contradicted > 0)
        fprintf(stderr, "knod: warning: %s: %llu Patient%s with a gender or birthDate that "
                "contradicts the personnummer (the first: %s); knod keeps the "
                "personnummer's sex and birth date\n", name,
                (unsigned long long)fs.contradicted, fs.contradicted == 1 ? "" : "s",
                fs.contradicted_first);
    if (fs.unknown_type > 0)
        printf("%s: skipped %llu resources of types knod does not map (%s)\n", name,
               (unsigned long long)fs.unknown_type, fs.unknown_names);
    if (fs.rejected > 0 && rejects != NULL)
        printf("%s: rejected resources written to '%s'\n", name,
               cli_shown(rejects, rej_shown, sizeof rej_shown));
    for (size_t i = 0; rej_list != NULL && i < n; i++) {
        char shown[PATH_MAX];
        if (per_file[i].rejected > 0)
            printf("%s: rejected resources written to '%s'\n",
                   cli_shown(paths[i], shown, sizeof shown),
                   cli_shown(rej_list[i], rej_shown, sizeof rej_shown));
    }
    rc = EXIT_OK;
out:
    free(rej_paths);
    free(rej_list);
    free(per_file);
    return rc;
}


/* The first file that failed and blocks files of kind k (it is of a kind
 * k needs, or blocked itself), or NULL. blocked[] holds one entry per kind. */
static const char *blocker(const char *const *blocked, const struct reg_kind *k)
{
    for (size_t i = 0; i < reg_kind_count(); i++)
        if (blocked[i] != NULL && reg_kind_needs(k, reg_kind_at(i)))
            return blocked[i];
    return NULL;
}

static size_t kind_no(const struct reg_kind *k)
{
    size_t i = 0;
    while (i < reg_kind_count() && reg_kind_at(i) != k)
        i++;
    return i;
}

/* The files of a plan, kind by kind, in one session: each file is its own
 * transaction, and the persons and units loaded once serve them all. At a
 * file that fails, the rest are not attempted (and named), or with
 * keep_going those that do not depend on a failed file are. Returns the
 * exit code of the first failure, else EXIT_OK. */
static int import_plan(struct store *s, const struct pseudo_key *key,
                       const struct import_plan *p, const struct reg_import_options *io,
                       const char *rejects, bool force, bool quiet, bool keep_going)
{
    struct reg_import *im = NULL;
    struct kn_error err = KN_ERROR_INIT;
    char shown[PATH_MAX], shown2[PATH_MAX]; /* paths as shown (cli_shown) */
    const char *blocked[64] = { NULL };
    int first = EXIT_OK;
    const char *failed = NULL; /* the file that stopped the run */
    size_t i = 0;
    for (; i < p->n; i++) {
        const struct import_item *it = &p->items[i];
        const char *by = blocker(blocked, it->kind);
        if (by != NULL) {
            fprintf(stderr, "knod: not attempted: '%s' (its %s may refer to records of "
                            "'%s', which failed)\n", cli_shown(it->path, shown, sizeof shown),
                    reg_kind_name(it->kind), cli_shown(by, shown2, sizeof shown2));
            blocked[kind_no(it->kind)] = by;
            continue;
        }
        if (im == NULL && reg_import_begin(s, key, io, &im, &err) != 0) {
            first = cli_fail(&err);
            failed = it->path;
            break;
        }
        int rc = import_file(s, key, it->path, it->kind, io, p->n == 1 ? rejects : NULL,
                             force, quiet, &im);
        if (rc == EXIT_OK)
            continue;
        if (first == EXIT_OK)
            first = rc;
        blocked[kind_no(it->kind)] = it->path;
        if (!keep_going || rc != EXIT_INPUT) { /* a runtime failure stops every run */
            failed = it->path;
            i++;
            break;
        }
    }
    if (im != NULL)
        reg_import_finish(im, false, NULL, NULL, NULL, NULL); /* an empty last transaction */
    if (failed != NULL && i < p->n) {
        bool independent = false;
        fprintf(stderr, "knod: not attempted after '%s' failed:",
                cli_shown(failed, shown, sizeof shown));
        for (size_t j = i; j < p->n; j++) {
            fprintf(stderr, "%s '%s'", j > i ? "," : "",
                    cli_shown(p->items[j].path, shown, sizeof shown));
            const char *by = blocker(blocked, p->items[j].kind);
            if (by == NULL)
                independent = true;
            else
                blocked[kind_no(p->items[j].kind)] = by;
        }
        fputc('\n', stderr);
        if (independent && first == EXIT_INPUT)
            fprintf(stderr, "knod: --continue imports the files that do not depend on a "
                            "failed one\n");
    }
    return first;
}

int cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {
        { "kind", required_argument, NULL, 'k' },
        { "keep-valid", no_argument, NULL, 'v' },
        { "rejects", required_argument, NULL, 'r' },
        { "force", no_argument, NULL, 'F' },
        { "today", required_argument, NULL, 't' },
        { "quiet", no_argument, NULL, 'q' },
        { "dir", required_argument, NULL, 'd' },
        { "format", required_argument, NULL, 'f' },
        { "source", required_argument, NULL, 's' },
        { "continue", no_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *dir = NULL, *rejects = NULL, *source = NULL;
    bool keep_going = false;
    int format = FORMAT_AUTO;
    const struct reg_kind *kind = NULL;
    struct reg_import_options io = { .keep_valid = false, .today = 0 };
    struct kn_error err = KN_ERROR_INIT;
    bool quiet = false, force = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'k':
            if ((kind = reg_kind_find(optarg)) == NULL)
                return cli_usage_error(argv[0], "unknown kind '%s'", optarg);
            break;
        case 'v': io.keep_valid = true; break;
        case 'r': rejects = optarg; break;
        case 'F': force = true; break;
        case 't':
            if (date_parse(optarg, strlen(optarg), &io.today, &err) != 0)
                return cli_usage_error(argv[0], "--today: %s", err.msg);
            break;
        case 'q': quiet = true; break;
        case 'd': dir = optarg; break;
        case 'f':
            if (strcmp(optarg, "csv") != 0 && strcmp(optarg, "fhir") != 0)
                return cli_usage_error(argv[0], "--format is csv or fhir, not '%s'", optarg);
            format = optarg[0] == 'c' ? FORMAT_CSV : FORMAT_FHIR;
            break;
        case 's': source = optarg; break;
        case 'c': keep_going = true; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return cli_usage_error(argv[0], "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error(argv[0], "expected a FILE or FOLDER to import");
    /* How the stored persons are found (tests and measurements; knod(1)). */
    const char *persons = getenv("KNOD_IMPORT_PERSONS");
    if (persons != NULL && persons[0] != '\0' &&
        reg_persons_load_parse(persons, &io.persons) != 0)
        return cli_usage_error(argv[0],
                               "KNOD_IMPORT_PERSONS is auto, preload or lookup, "
                               "not '%s'",
                               persons);
    /* FHIR files named together are one import with one reject file. */
    bool one_fhir = true;
    for (int i = optind; i < argc && one_fhir; i++)
        one_fhir = fhir_file(argv[i], format);
    if (rejects != NULL && argc - optind > 1 && !one_fhir)
        return cli_usage_error(argv[0], "--rejects goes with a single FILE, or with FHIR "
                               "files only (one import)");

    struct config cfg;
    struct store *s = NULL;
    int rc = cli_open_store(cli_dir(dir), 0, &cfg, &s);
    if (rc != 0)
        return rc;
    io.plaus.max_age_years = cfg.plaus_max_age_years;
    io.plaus.max_emergency_hours = cfg.plaus_max_emergency_hours;
    io.plaus.max_inpatient_days = cfg.plaus_max_inpatient_days;
    io.plaus.max_coercive_hours = cfg.plaus_max_coercive_hours;
    struct pseudo_key key;
    if (pseudo_key_load(cfg.key_path, &key, &err) != 0) {
        store_close(s);
        return cli_fail(&err);
    }
    /* First the plan of every argument, so that a misnamed file stops the
     * command before anything is stored. */
    size_t nargs = (size_t)(argc - optind);
    struct import_plan *plans = calloc(nargs, sizeof *plans);
    if (plans == NULL) {
        rc = EXIT_RUNTIME;
        fputs("knod: error: out of memory\n", stderr);
    }
    for (int i = optind; plans != NULL && i < argc && rc == 0; i++) {
        struct stat sb;
        struct import_plan *p = &plans[i - optind];
        if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            if (kind != NULL)
                rc = cli_usage_error(argv[0], "--kind goes with files, not a folder");
            else if ((rc = plan_folder(p, argv[i])) == 0 && p->n == 0) {
                char shown[PATH_MAX];
                fprintf(stderr, "knod: error: no known import file (units.csv, "
                                "persons.csv, ...) in '%s'\n",
                        cli_shown(argv[i], shown, sizeof shown));
                rc = EXIT_INPUT;
            }
            plan_sort(p);
            continue;
        }
        if (fhir_file(argv[i], format)) {
            if (kind != NULL)
                rc = cli_usage_error(argv[0], "--kind goes with CSV files, not FHIR");
            continue;
        }
        /* CSV files named together are one plan, in the kinds' order. */
        for (int j = i; j < argc && rc == 0; j++) {
            if ((stat(argv[j], &sb) == 0 && S_ISDIR(sb.st_mode)) || fhir_file(argv[j], format))
                break;
            const struct reg_kind *k = kind ? kind : kind_of_file(argv[j]);
            const struct reg_kind *near = k ? NULL : plan_suggest_kind(argv[j]);
            char shown[PATH_MAX];
            if (k == NULL && near != NULL)
                rc = cli_usage_error(argv[0], "cannot tell the kind of '%s' from its name "
                                     "(did you mean %s.csv?); give --kind",
                                     cli_shown(argv[j], shown, sizeof shown),
                                     reg_kind_name(near));
            else if (k == NULL)
                rc = cli_usage_error(argv[0], "cannot tell the kind of '%s' from its name; "
                                     "give --kind", cli_shown(argv[j], shown, sizeof shown));
            else if (plan_add(p, argv[j], k) != 0) {
                fputs("knod: error: out of memory\n", stderr);
                rc = EXIT_RUNTIME;
            }
        }
        plan_sort(p);
        i += (int)p->n - 1;
    }
    for (int i = optind; plans != NULL && i < argc && rc == 0; i++) {
        struct import_plan *p = &plans[i - optind];
        struct stat sb;
        if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            rc = import_plan(s, &key, p, &io, NULL, false, quiet, keep_going);
            continue;
        }
        if (fhir_file(argv[i], format)) {
            int n = 1;
            while (i + n < argc && fhir_file(argv[i + n], format))
                n++;
            rc = import_fhir(s, &key, &argv[i], (size_t)n, &io, rejects, force, source, quiet);
            i += n - 1;
            continue;
        }
        rc = import_plan(s, &key, p, &io, rejects, force, quiet, keep_going);
        i += (int)p->n - 1;
    }
    for (size_t i = 0; plans != NULL && i < nargs; i++)
        plan_release(&plans[i]);
    free(plans);
    pseudo_key_wipe(&key);
    store_close(s);
    return rc;
}
