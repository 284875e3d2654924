/* src/cli/cmd_import.c: `knod import`, care data into the store.
 *
 * Each file is one transaction: it is stored whole, or (with any bad row
 * and without --keep-valid) not at all. A directory is imported kind by
 * kind in dependency order (units, persons, contacts, ...), stopping at
 * the first file that is rejected. On a terminal a progress line shows
 * rows, rows/s and the time left; otherwise one summary line per file.
 */
#include <dirent.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/pseudo.h"
#include "registry/reg_csv.h"
#include "registry/reg_fhir.h"

static const char usage[] =
    "usage: knod import [--kind KIND] [--keep-valid] [--rejects FILE] [--dir DIR]\n"
    "                   [--today YYYY-MM-DD] [--quiet] [--format csv|fhir]\n"
    "                   [--source NAME] FILE|FOLDER...\n"
    "\n"
    "Check care records and store them; every personnummer is replaced by its\n"
    "pseudonym at once. The file layouts are in docs/import-format.md. A file\n"
    "is stored whole or not at all: any bad row rejects it, and every bad row\n"
    "is listed with its line, field and reason. Importing a file again adds\n"
    "nothing. A FOLDER is imported kind by kind (units.csv, persons.csv,\n"
    "contacts.csv, self_harm.csv, coercive_measures.csv, assessments.csv,\n"
    "care_plans.csv, treatments.csv, follow_ups.csv, pathway_steps.csv).\n"
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
    "                  FILE.rejects.ndjson); personnummer are left out of it\n"
    "  --today DATE    times after this day are errors (default: today)\n"
    "  --quiet         no progress line\n"
    "  --dir DIR       the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help      show this help\n";

#define MAX_SHOWN 20

struct run {
    bool tty;
    bool quiet;
    int shown;
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

/* Import one CSV file. With *shared non-NULL the file runs in that session
 * (a folder import: what it loaded is kept from file to file), which stays
 * open for the next file; *shared is set to NULL if it had to end. */
static int import_file(struct store *s, const struct pseudo_key *key, const char *path,
                       const struct reg_kind *kind, const struct reg_import_options *io,
                       const char *rejects, bool quiet, struct reg_import **shared)
{
    struct kn_error err = KN_ERROR_INIT;
    struct run run = { isatty(STDERR_FILENO) == 1, quiet, 0, now_s(), 0, path };
    char rej_path[PATH_MAX];
    if (io->keep_valid) {
        if (rejects == NULL) {
            if (snprintf(rej_path, sizeof rej_path, "%s.rejects.csv", path)
                >= (int)sizeof rej_path)
                return cli_usage_error("import", "file name too long");
            rejects = rej_path;
        }
    } else {
        rejects = NULL;
    }
    struct reg_csv_options co = { rejects, on_reject, on_progress, &run };
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
                path);
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
        fprintf(stderr, "... and %d more rejected rows\n", run.shown - MAX_SHOWN);
    if (rc == KN_EINPUT) {
        fprintf(stderr, "knod: '%s' was rejected: %s\n", path, err.msg);
        return EXIT_INPUT;
    }
    if (rc != 0)
        return cli_fail(&err);
    printf("%s: %s, %llu rows: %llu stored, %llu unchanged, %llu rejected in %.2f s "
           "(%.0f rows/s)\n", path, reg_kind_name(kind), (unsigned long long)st.rows,
           (unsigned long long)st.stored, (unsigned long long)st.unchanged,
           (unsigned long long)st.rejected, secs, secs > 0 ? (double)st.rows / secs : 0.0);
    if (st.rejected > 0)
        printf("%s: rejected rows written to '%s'\n", path, rejects);
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

/* FHIR files paths[0..n) as one import (reg_fhir.h). */
static int import_fhir(struct store *s, const struct pseudo_key *key, char **paths, size_t n,
                       const struct reg_import_options *io, const char *rejects,
                       const char *source, bool quiet)
{
    struct kn_error err = KN_ERROR_INIT;
    struct run run = { isatty(STDERR_FILENO) == 1, quiet, 0, now_s(), 0, paths[0] };
    char rej_path[PATH_MAX], name[PATH_MAX + 32];
    snprintf(name, sizeof name, n > 1 ? "%s (+%zu more)" : "%s", paths[0], n - 1);
    if (io->keep_valid && rejects == NULL) {
        if (snprintf(rej_path, sizeof rej_path, "%s.rejects.ndjson", paths[0])
            >= (int)sizeof rej_path)
            return cli_usage_error("import", "file name too long");
        rejects = rej_path;
    } else if (!io->keep_valid) {
        rejects = NULL;
    }
    struct reg_fhir_options fo = { .source_system = source, .rejects_path = rejects,
                                   .on_reject = on_reject, .ctx = &run };
    struct reg_fhir_stats fs;
    struct reg_import *im = NULL;
    int rc = reg_import_begin(s, key, io, &im, &err);
    if (rc != 0)
        return cli_fail(&err);
    rc = reg_fhir_import(im, (const char *const *)paths, n, &fo, &fs, &err);
    struct reg_import_stats st = *reg_import_get_stats(im);
    if (rc != 0) {
        reg_import_finish(im, false, NULL, NULL, NULL, NULL);
        fprintf(stderr, "knod: error: %s\nknod: nothing from '%s' was stored\n", err.msg, name);
        return cli_exit_code(rc);
    }
    rc = reg_import_finish(im, true, name, "fhir", "fhir", &err);
    double secs = now_s() - run.started;
    if (run.shown > MAX_SHOWN)
        fprintf(stderr, "... and %d more rejected\n", run.shown - MAX_SHOWN);
    if (rc == KN_EINPUT) {
        fprintf(stderr, "knod: '%s' was rejected: %s\n", name, err.msg);
        return EXIT_INPUT;
    }
    if (rc != 0)
        return cli_fail(&err);
    printf("%s: fhir, %llu resources, %llu records: %llu stored, %llu unchanged, %llu "
           "rejected in %.2f s\n", name, (unsigned long long)fs.resources,
           (unsigned long long)fs.records, (unsigned long long)st.stored,
           (unsigned long long)st.unchanged, (unsigned long long)fs.rejected, secs);
    if (fs.merged > 0)
        printf("%s: %llu Conditions became diagnoses or causes of their contacts\n", name,
               (unsigned long long)fs.merged);
    if (fs.skipped > 0)
        printf("%s: skipped %llu resources with nothing knod imports (see "
               "docs/import-format.md, FHIR R4)\n", name, (unsigned long long)fs.skipped);
    if (fs.unknown_type > 0)
        printf("%s: skipped %llu resources of types knod does not map (%s)\n", name,
               (unsigned long long)fs.unknown_type, fs.unknown_names);
    if (fs.rejected > 0)
        printf("%s: rejected resources written to '%s'\n", name, rejects);
    return EXIT_OK;
}

/* The files of a folder, kind by kind, in one session: each file is its own
 * transaction, and the persons and units loaded once serve them all. */
static int import_folder(struct store *s, const struct pseudo_key *key, const char *dir,
                         const struct reg_import_options *io, bool quiet)
{
    int found = 0;
    struct reg_import *im = NULL;
    struct kn_error err = KN_ERROR_INIT;
    for (size_t i = 0; i < reg_kind_count(); i++) {
        const struct reg_kind *k = reg_kind_at(i);
        char path[PATH_MAX];
        if (snprintf(path, sizeof path, "%s/%s.csv", dir, reg_kind_name(k))
            >= (int)sizeof path)
            return cli_usage_error("import", "folder name too long");
        if (access(path, F_OK) != 0)
            continue;
        found++;
        if (im == NULL && reg_import_begin(s, key, io, &im, &err) != 0)
            return cli_fail(&err);
        int rc = import_file(s, key, path, k, io, NULL, quiet, &im);
        if (rc != 0) {
            if (im != NULL)
                reg_import_finish(im, false, NULL, NULL, NULL, NULL);
            return rc;
        }
    }
    if (im != NULL)
        reg_import_finish(im, false, NULL, NULL, NULL, NULL); /* an empty last transaction */
    if (found == 0) {
        fprintf(stderr, "knod: error: no known import file (units.csv, persons.csv, ...) "
                        "in '%s'\n", dir);
        return EXIT_INPUT;
    }
    return EXIT_OK;
}

int cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {
        { "kind", required_argument, NULL, 'k' },
        { "keep-valid", no_argument, NULL, 'v' },
        { "rejects", required_argument, NULL, 'r' },
        { "today", required_argument, NULL, 't' },
        { "quiet", no_argument, NULL, 'q' },
        { "dir", required_argument, NULL, 'd' },
        { "format", required_argument, NULL, 'f' },
        { "source", required_argument, NULL, 's' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *dir = NULL, *rejects = NULL, *source = NULL;
    int format = FORMAT_AUTO;
    const struct reg_kind *kind = NULL;
    struct reg_import_options io = { false, 0 };
    struct kn_error err = KN_ERROR_INIT;
    bool quiet = false;
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
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return cli_usage_error(argv[0], "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error(argv[0], "expected a FILE or FOLDER to import");
    if (rejects != NULL && argc - optind > 1)
        return cli_usage_error(argv[0], "--rejects goes with a single FILE");

    struct config cfg;
    struct store *s = NULL;
    int rc = cli_open_store(cli_dir(dir), 0, &cfg, &s);
    if (rc != 0)
        return rc;
    struct pseudo_key key;
    if (pseudo_key_load(cfg.key_path, &key, &err) != 0) {
        store_close(s);
        return cli_fail(&err);
    }
    for (int i = optind; i < argc && rc == 0; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            if (kind != NULL) {
                rc = cli_usage_error(argv[0], "--kind goes with files, not a folder");
                break;
            }
            rc = import_folder(s, &key, argv[i], &io, quiet);
            continue;
        }
        if (fhir_file(argv[i], format)) {
            if (kind != NULL) {
                rc = cli_usage_error(argv[0], "--kind goes with CSV files, not FHIR");
                break;
            }
            int n = 1;
            while (i + n < argc && fhir_file(argv[i + n], format))
                n++;
            rc = import_fhir(s, &key, &argv[i], (size_t)n, &io, rejects, source, quiet);
            i += n - 1;
            continue;
        }
        const struct reg_kind *k = kind ? kind : kind_of_file(argv[i]);
        if (k == NULL) {
            rc = cli_usage_error(argv[0], "cannot tell the kind of '%s' from its name; "
                                 "give --kind", argv[i]);
            break;
        }
        rc = import_file(s, &key, argv[i], k, &io, rejects, quiet, NULL);
    }
    pseudo_key_wipe(&key);
    store_close(s);
    return rc;
}
