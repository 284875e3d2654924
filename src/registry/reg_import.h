/* src/registry/reg_import.h: importing care records into the store.
 *
 * An import session validates rows of one or more record kinds (units,
 * persons, contacts, self_harm, ... see docs/import-format.md), replaces
 * each personnummer by its keyed pseudonym at once, and writes the rows in
 * ONE store transaction. reg_import_finish() commits it, or rolls it all
 * back, so a store is never half-written:
 *  - by default a session with any rejected row is rolled back whole
 *    (nothing of the file is stored), but every row is still checked so
 *    that all errors can be reported in one go;
 *  - with keep_valid, rejected rows are skipped and the valid ones kept.
 * Importing the same record (same source_system and source_id) again
 * updates it if it changed and otherwise changes nothing. Within one file
 * (one session transaction) a record repeated with equal contents is
 * counted as repeated, and with different contents the later row is
 * rejected (reg_repeat.c).
 *
 * Rows arrive as text fields indexed by the kind's columns, whatever the
 * source format: the CSV reader (reg_csv.c) and the FHIR mapper
 * (reg_fhir.c) both end in reg_import_row(), so every rule holds for both.
 *
 * One session at a time per store; not thread-safe.
 */
#ifndef KNOD_REGISTRY_REG_IMPORT_H
#define KNOD_REGISTRY_REG_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/error.h"
#include "domain/pseudo.h"
#include "store/store.h"

struct reg_kind;
struct reg_import;

/* The kinds in the order they must be imported (units and persons first). */
size_t reg_kind_count(void);
const struct reg_kind *reg_kind_at(size_t i);
const struct reg_kind *reg_kind_find(const char *name);
const char *reg_kind_name(const struct reg_kind *k);
const char *reg_kind_table(const struct reg_kind *k); /* store table name */

/* Columns of a kind, as CSV header names. Every kind starts with
 * source_system, source_id. */
size_t reg_kind_ncols(const struct reg_kind *k);
const char *reg_kind_col(const struct reg_kind *k, size_t i);
bool reg_kind_col_required(const struct reg_kind *k, size_t i);
/* Whether column i belongs to the external-pseudonym layout only (the
 * persons' birth and sex, which a personnummer otherwise gives). */
bool reg_kind_col_external(const struct reg_kind *k, size_t i);
/* Index of the column called name, or -1. */
int reg_kind_col_index(const struct reg_kind *k, const char *name);
/* Index of the column holding the personnummer, or -1 (units). */
int reg_kind_pnr_col(const struct reg_kind *k);
/* Whether rows of k refer to records of kind on (a person, a unit, a
 * contact, a measure), so that on's files must be imported first. A kind
 * may need itself (a coercive measure extends another). */
bool reg_kind_needs(const struct reg_kind *k, const struct reg_kind *on);

/* Limits of the plausible (docs/import-format.md, Plausibility; knod.ini
 * [plausibility]). A row beyond one is not refused: it is stored, and the
 * session keeps a warning for it (reg_import_row_warning()). 0 means the
 * default, CONFIG_PLAUS_* of base/config.h. */
struct reg_plausibility {
    int max_age_years;       /* persons: age on the import's day, or at death */
    int max_emergency_hours; /* contacts: an emergency visit from start to end */
    int max_inpatient_days;  /* contacts: an inpatient stay from start to end */
    int max_coercive_hours;  /* coercive_measures: one measure from start to end */
};

/* Where a row belongs, for a caller that limits the rows to a scope (the
 * portal's uploads: a registrar imports the rows of their region only).
 * Each member is NULL when the row has none. */
struct reg_row_place {
    const struct reg_kind *kind;
    const char *region;    /* units: region_code; persons: the region of the
                            * municipality */
    const char *unit;      /* the row's unit code (contacts) */
    const char *unit_region; /* ... and that unit's region */
    const char *pseudonym; /* the row's person (hex), every kind but units */
};

/* Called for each row that passed every rule, before it is written. Return
 * 0 to write it; KN_EPERM with err's message the reason (without the
 * field's name, never a personnummer) to reject the row, which is then
 * counted and told like any rejected row, as "field 'F': reason" with F
 * the column the place came from (unit, region_code, municipality or the
 * personnummer's); another negative code ends the session (the store
 * failed). Runs on the session's store connection, inside its
 * transaction, so it sees the rows written before. */
typedef int reg_row_scope(void *ctx, const struct reg_row_place *place,
                          struct kn_error *err);

/* How a session finds the stored person an event row names.
 *  - REG_PERSONS_AUTO (the default): one by one, through the store's index
 *    on the pseudonym, each cached in the session's map once found, while
 *    the input is small next to the store; all at once (preloaded) as soon
 *    as an input is large (a CSV file's size, or the persons looked up so
 *    far by single rows), see docs/architecture.md, "Import". A
 *    one-row import then costs its row, not the store's size.
 *  - REG_PERSONS_PRELOAD: load every stored person at the session's start.
 *  - REG_PERSONS_LOOKUP: never preload.
 * The store's rows, the messages and the counts are the same in every
 * mode; the last two are for tests and measurements. */
enum reg_persons_load { REG_PERSONS_AUTO = 0, REG_PERSONS_PRELOAD, REG_PERSONS_LOOKUP };

/* The mode named "auto", "preload" or "lookup" (the environment variable
 * KNOD_IMPORT_PERSONS of knod(1)): 0, or KN_EINPUT for another name. */
int reg_persons_load_parse(const char *name, enum reg_persons_load *out);

/* In REG_PERSONS_AUTO, an input of at least the store's persons divided by
 * this many rows loads every person at once. */
#define REG_PERSONS_LOOKUP_DIVISOR 16

struct reg_import_options {
    bool keep_valid; /* store valid rows even if others are rejected */
    enum reg_persons_load persons; /* 0: REG_PERSONS_AUTO */
    kn_day today;    /* times after this day are errors; 0 = today */
    struct reg_plausibility plaus; /* all 0: the defaults */
    reg_row_scope *scope; /* NULL: every row is in scope */
    void *scope_ctx;
};

struct reg_import_stats {
    uint64_t rows;      /* rows seen */
    uint64_t stored;    /* rows that added or changed a record */
    uint64_t unchanged; /* rows equal to what was stored already */
    uint64_t repeated;  /* rows equal to an earlier row of the same file */
    uint64_t rejected;  /* rows with an error */
    uint64_t warnings;  /* warnings about stored rows (implausible values) */
};

/* Start a session: load what rows will be checked against (units,
 * municipalities; persons as enum reg_persons_load says) and open the
 * transaction. key is used for the personnummer of every row and must
 * outlive the session. */
int reg_import_begin(struct store *s, const struct pseudo_key *key,
                     const struct reg_import_options *opt, struct reg_import **out,
                     struct kn_error *err);

/* Check and store one row of kind. fields[i] / lens[i] hold column i of
 * the kind; fields[i] == NULL means the column is absent, "" that the field
 * is empty. Returns 0 when the row is stored or unchanged, KN_EINPUT when it
 * is rejected (row_err says which field and why, without file or line, and
 * never the personnummer), or another negative code for a failure that
 * ends the session (the store failed). */
int reg_import_row(struct reg_import *im, const struct reg_kind *kind,
                   const char *const *fields, const size_t *lens,
                   struct kn_error *row_err);

const struct reg_import_stats *reg_import_get_stats(const struct reg_import *im);

/* The warnings of the row reg_import_row() (or the CSV importer) handled
 * last: the i-th, or NULL past the last. A row that was rejected has none.
 * Each reads like a rejection, "field 'end': ...", never with the
 * personnummer; valid until the next row. */
#define REG_MAX_WARNINGS 2
const char *reg_import_row_warning(const struct reg_import *im, size_t i);

/* Count a row the source rejected before it could reach reg_import_row()
 * (a CSV row with the wrong number of fields, a FHIR resource that does
 * not map), so the session's stats and commit decision include it. */
void reg_import_count_reject(struct reg_import *im);

/* Record the run (file name, kind, format) in import_run, then commit if
 * commit is true and no row was rejected or keep_valid is set; otherwise
 * roll back. The file name is stored with anything shaped like a
 * personnummer masked (domain/pnr_shape.h). Frees the session in every case. Returns 0 when it did what
 * was asked (committed, or rolled back because commit was false),
 * KN_EINPUT when it rolled back because of rejected rows, another negative
 * code if the store failed (then nothing is stored either). */
int reg_import_finish(struct reg_import *im, bool commit, const char *file_name,
                      const char *kind, const char *format, struct kn_error *err);

/* End the current file as reg_import_finish() does, but go on: a new
 * transaction starts for the next file, and what the session loaded
 * (persons, units) is kept when the file was committed and loaded again
 * when it was rolled back. Stats start again from zero. Returns as
 * reg_import_finish(); if the new transaction cannot start, returns that
 * error and the caller must reg_import_finish() the session. */
int reg_import_next(struct reg_import *im, bool commit, const char *file_name,
                    const char *kind, const char *format, struct kn_error *err);

/* A hint that about rows rows of kind are coming, so the session can size
 * its maps once instead of growing them. */
void reg_import_expect_rows(struct reg_import *im, const struct reg_kind *kind,
                            size_t rows);

#endif /* KNOD_REGISTRY_REG_IMPORT_H */
