/* src/registry/reg_pop.h: population by year, from SCB's CSV into the store.
 *
 * The store's population table (migration 0001) holds the population on
 * 31 December of each year by county, sex and single year of age (0 .. 99
 * and 100 for "100 or older"). `knod init` fills it with the shipped 2025
 * table (domain/geo.h); `knod population import FILE` adds or replaces
 * whole years from SCB's table BefolkningNy ("Folkmängden efter region,
 * ålder, kön och år") as the statistical database exports it as CSV:
 *
 *   "Folkmängden efter region, ålder, kön och år"     (optional title)
 *
 *   "region","ålder","kön","2020","2021"
 *   "01 Stockholms län","0 år","män",12345,12001
 *   ...
 *   "25 Norrbottens län","100+ år","kvinnor",31,29
 *
 * What reg_pop_parse() accepts (docs/import-format.md, "Population"):
 *  - encoding: UTF-8 (with or without a byte order mark) or, when the
 *    bytes are not UTF-8, Latin-1 as Windows writes it (Windows-1252, read
 *    with iconv), which is what SCB's exports use;
 *  - separator: ',' or ';' (SCB's "kommaavgränsad" and
 *    "semikolonavgränsad" exports; also a tab), found on the header line;
 *  - before the header, lines of one field (the table's title) and blank
 *    lines; after the data, lines of one field (footnotes);
 *  - the header: columns region, ålder (or age), kön (or sex) in any
 *    order, case ignored, then one column per year, named by the year
 *    ("2020") or ending in it ("Folkmängd 2020");
 *  - region "NN name" with a county code (the 21 of regions.csv); the
 *    nation ("00 Riket") and municipalities ("0114 Upplands Väsby") are
 *    skipped and counted (knod's rates use county populations);
 *  - ålder "0 år" .. "99 år" and "100+ år" (or "N years", or the bare
 *    number), kön "män"/"kvinnor" (or "men"/"women"); total rows
 *    ("totalt ...", "total ...") are skipped and counted;
 *  - each year's figures are whole numbers from 0 to 10^8 (SCB's ".." for
 *    a figure not available is refused: a year with a gap cannot be used).
 * Every year in the file must hold every county, sex and age exactly once.
 * Errors are KN_EINPUT "NAME:LINE:FIELD: reason" (NAME: the file's name).
 */
#ifndef KNOD_REGISTRY_REG_POP_H
#define KNOD_REGISTRY_REG_POP_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "domain/geo.h"
#include "store/store.h"

#define REG_POP_MAX_BYTES ((size_t)64 << 20) /* larger files are refused */
#define REG_POP_MAX_YEARS 200

/* A parsed file: every year's complete table, in arena memory. */
struct reg_pop_table {
    int *years; /* ascending */
    size_t nyears;
    struct geo_population *rows; /* nyears x regions x 2 x 101, by year,
                                    region, sex (F, M), age */
    size_t nrows;
    size_t data_lines;        /* data records read */
    size_t skipped_nation;    /* records of "00 Riket" */
    size_t skipped_municipal; /* records of municipalities */
    size_t skipped_total;     /* records of a total age or sex */
    const char *encoding;     /* "UTF-8" or "Windows-1252" */
    char delim;               /* ',', ';' or '\t' */
};

/* Parse the len bytes at data (a whole file, at most REG_POP_MAX_BYTES)
 * named name in messages, against the regions of g. 0 and *out filled, or
 * KN_EINPUT naming file, line and field, or KN_ENOMEM. */
int reg_pop_parse(const char *data, size_t len, const char *name, const struct geo *g,
                  struct arena *a, struct reg_pop_table *out, struct kn_error *err);

/* Replace the years of t in the store's population table with t's rows
 * and record an import run (kind "population"), in one transaction:
 * either all of it is stored or nothing is. file_name is recorded with
 * anything shaped like a personnummer masked. */
int reg_pop_store(struct store *s, const struct reg_pop_table *t, const char *file_name,
                  struct kn_error *err);

/* One year held in the store. */
struct reg_pop_year {
    int year;
    int64_t cells;      /* region x sex x age rows */
    int64_t population; /* all of Sweden */
};

/* The years in the store's population table, ascending, in arena memory. */
int reg_pop_years(struct store *s, struct arena *a, struct reg_pop_year **out, size_t *n,
                  struct kn_error *err);

#endif /* KNOD_REGISTRY_REG_POP_H */
