/* bench/csv/bench.c: knod's CSV reader against libcsv and sqlite3 .import.
 *
 * usage: bench_csv gen FILE ROWS    write a synthetic register extract
 *        bench_csv run FILE [RUNS]  parse it RUNS times (default 5) with
 *                                   each side and print a table of medians
 *
 * The file looks like an inpatient register extract: a header and ROWS
 * rows of 8 short fields (pnr,unit,start,end,icd10,type,ward,note), about
 * 80 bytes a row, some non-ASCII (å, ä, ö), a fifth of the notes quoted
 * with a comma or an escaped quote inside. Both parsers read the file from
 * the page cache in 1 MiB chunks and count rows, fields, bytes and a
 * checksum, which must agree. sqlite3 .import (the shell, into a plain
 * table in a fresh database file) is timed as a second, slower anchor: it
 * also stores the rows, so it is the bar for the whole importer.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/csv.h"
#include "bench.h"

#define CHUNK ((size_t)1 << 20)

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 32) % n;
}

static int gen(const char *path, long rows)
{
    static const char *const units[] = {
        "PSY-NORR",       "PSY-SÖDER", "Beroendecentrum", "BUP Östra",
        "Rättspsykiatri", "ÄLDREPSYK", "PSY-VÄST",        "Akutpsykiatri",
    };
    static const char *const icd[] = {
        "F32.1", "F33.2", "F41.1", "F20.0", "F10.2",
        "F43.1", "F60.3", "X60",   "F31.4", "F90.0",
    };
    static const char *const types[] = {"sluten", "öppen", "dag"};
    static const char *const notes[] = {
        "\"Överflyttad, åter\"",
        "\"LPT, 4 §\"",
        "\"Sa \"\"nej\"\" till vård\"",
        "\"remiss, BUP\"",
    };
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
        return 1;
    }
    fputs("pnr,unit,start,end,icd10,type,ward,note\n", f);
    for (long i = 0; i < rows; i++) {
        int y = 1930 + (int)rnd(90), m = 1 + (int)rnd(12), d = 1 + (int)rnd(28);
        int sm = 1 + (int)rnd(12), sd = 1 + (int)rnd(28);
        fprintf(f, "%04d%02d%02d%04u,%s,2023-%02d-%02d,", y, m, d, rnd(10000),
                units[rnd(8)], sm, sd);
        if (rnd(10) != 0)
            fprintf(f, "2023-%02d-%02d", sm, sd + (int)rnd(3));
        fprintf(f, ",%s,%s,Avd %u,", icd[rnd(10)], types[rnd(3)], 1 + rnd(40));
        if (rnd(5) == 0)
            fputs(notes[rnd(4)], f);
        fputc('\n', f);
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

static int knod_side(const char *path, struct bench_count *c)
{
    struct kn_error err = KN_ERROR_INIT;
    struct csv_reader *r;
    struct csv_record rec;
    int fd = open(path, O_RDONLY);
    if (fd < 0 || csv_open_fd(&r, fd, path, NULL, &err) != 0) {
        fprintf(stderr, "knod: cannot open %s\n", path);
        return -1;
    }
    int rc;
    while ((rc = csv_next(r, &rec, &err)) == 1) {
        for (size_t k = 0; k < rec.n; k++)
            bench_field(c, rec.f[k].s, rec.f[k].len);
        bench_row(c);
    }
    if (rc < 0)
        fprintf(stderr, "knod: %s\n", err.msg);
    csv_free(r);
    close(fd);
    return rc;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *t, int n)
{
    qsort(t, (size_t)n, sizeof *t, by_value);
    return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* sqlite3 .import of path into a fresh database file; seconds, or -1. */
static double sqlite_import(const char *path, uint64_t want_rows)
{
    char db[4096], cmd[12288];
    snprintf(db, sizeof db, "%s.sqlite", path);
    unlink(db);
    snprintf(cmd, sizeof cmd,
             "sqlite3 -bail '%s' 'CREATE TABLE t(pnr TEXT, unit TEXT,"
             " start TEXT, end_ TEXT, icd10 TEXT, type TEXT, ward TEXT,"
             " note TEXT)' '.import --csv --skip 1 %s t'",
             db, path);
    double t0 = now();
    int rc = system(cmd);
    double t = now() - t0;
    snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'SELECT count(*) FROM t'", db);
    FILE *p = popen(cmd, "r");
    unsigned long long n = 0;
    if (p == NULL || fscanf(p, "%llu", &n) != 1)
        n = 0;
    if (p != NULL)
        pclose(p);
    unlink(db);
    if (rc != 0 || n + 1 != want_rows) {
        fprintf(stderr, "sqlite3: import failed (status %d, %llu rows)\n", rc, n);
        return -1;
    }
    return t;
}

static void row(const char *name, double secs, double mb, uint64_t rows, double anchor)
{
    printf("%-22s %8.3f s %9.1f MB/s %11.0f rows/s %7.2fx\n", name, secs, mb / secs,
           (double)rows / secs, anchor / secs);
}

static int run(const char *path, int runs)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "run: %s: %s\n", path, strerror(errno));
        return 1;
    }
    double mb = (double)st.st_size / 1e6;
    double tk[64], tl[64];
    struct bench_count ck = {0}, cl = {0};
    if (runs > 64)
        runs = 64;

    /* Warm the page cache, then alternate the two sides. */
    struct bench_count warm = {0};
    if (knod_side(path, &warm) != 0)
        return 1;
    for (int i = 0; i < runs; i++) {
        struct bench_count a = {0}, b = {0};
        double t0 = now();
        if (knod_side(path, &a) != 0)
            return 1;
        tk[i] = now() - t0;
        t0 = now();
        if (bench_libcsv(path, CHUNK, &b) != 0)
            return 1;
        tl[i] = now() - t0;
        ck = a;
        cl = b;
    }
    printf("file %s: %.1f MB, %" PRIu64 " rows (header included), %" PRIu64
           " fields, %" PRIu64 " field bytes\n",
           path, mb, ck.rows, ck.fields, ck.bytes);
    if (ck.rows != cl.rows || ck.fields != cl.fields || ck.bytes != cl.bytes ||
        ck.sum != cl.sum) {
        printf("MISMATCH: libcsv saw %" PRIu64 " rows, %" PRIu64 " fields, %" PRIu64
               " bytes, sum %016" PRIx64 " (knod sum %016" PRIx64 ")\n",
               cl.rows, cl.fields, cl.bytes, cl.sum, ck.sum);
        return 1;
    }
    printf("checksums agree: %016" PRIx64 "\n", ck.sum);

    int sruns = getenv("SQLITE_RUNS") ? atoi(getenv("SQLITE_RUNS")) : 3;
    double ts[64];
    if (sruns > 64)
        sruns = 64;
    for (int i = 0; i < sruns; i++)
        if ((ts[i] = sqlite_import(path, ck.rows)) < 0)
            return 1;

    double mk = median(tk, runs), ml = median(tl, runs);
    printf("\nmedian of %d runs (sqlite3: %d)   time       speed          rows"
           "    vs libcsv\n",
           runs, sruns);
    row("knod csv_next", mk, mb, ck.rows, ml);
    row("libcsv 3 (strict)", ml, mb, cl.rows, ml);
    if (sruns > 0)
        row("sqlite3 .import", median(ts, sruns), mb, ck.rows, ml);
    printf("\nknod / libcsv: %.2fx faster", ml / mk);
    if (sruns > 0)
        printf("; knod / sqlite3 .import: %.1fx faster", median(ts, sruns) / mk);
    printf("\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "gen") == 0)
        return gen(argv[2], atol(argv[3]));
    if (argc >= 3 && strcmp(argv[1], "run") == 0)
        return run(argv[2], argc >= 4 ? atoi(argv[3]) : 5);
    fprintf(stderr, "usage: %s gen FILE ROWS | run FILE [RUNS]\n", argv[0]);
    return 2;
}
