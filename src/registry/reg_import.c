/* src/registry/reg_import.c: the import session and phase B of a row.
 *
 * Phase A (parsing fields) is in reg_field.c, bulk loading in reg_bulk.c.
 * Workload: up to ~10 million rows in one session. Per row the work is a
 * handful of field parsers, one pseudonym (BLAKE2b) for event rows, a hash
 * lookup of the person (looked up in the store once if the session did not
 * preload the persons: reg_persons.c), and one prepared INSERT (... ON CONFLICT DO UPDATE
 * unless bulk loading) in the file's transaction. References to other
 * records (stay_id, contact_id, extends_id) are found among the contacts
 * the session stored itself (reg_cmap.h, in phase A) or else through the
 * store's unique source index. Nothing here allocates per row.
 */
#include "registry/reg_import_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/strbuf.h"
#include "registry/reg_key.h"
#include "store/store_ckpt.h"

/* ---- kinds ---- */

size_t reg_kind_count(void) { return reg_nkinds; }
const struct reg_kind *reg_kind_at(size_t i) { return i < reg_nkinds ? &reg_kinds[i] : NULL; }
const char *reg_kind_name(const struct reg_kind *k) { return k->name; }
const char *reg_kind_table(const struct reg_kind *k) { return k->table; }
size_t reg_kind_ncols(const struct reg_kind *k) { return k->ncols; }
const char *reg_kind_col(const struct reg_kind *k, size_t i) { return k->cols[i].name; }
bool reg_kind_col_required(const struct reg_kind *k, size_t i) { return k->cols[i].required; }

bool reg_kind_col_external(const struct reg_kind *k, size_t i)
{
    return strcmp(k->table, "person") == 0
           && (i == REG_PERSON_BIRTH_COL || i == REG_PERSON_SEX_COL);
}

const struct reg_kind *reg_kind_find(const char *name)
{
    for (size_t i = 0; i < reg_nkinds; i++)
        if (strcmp(reg_kinds[i].name, name) == 0)
            return &reg_kinds[i];
    return NULL;
}

int reg_kind_col_index(const struct reg_kind *k, const char *name)
{
    for (size_t i = 0; i < k->ncols; i++)
        if (strcmp(k->cols[i].name, name) == 0)
            return (int)i;
    return -1;
}

bool reg_kind_needs(const struct reg_kind *k, const struct reg_kind *on)
{
    for (size_t i = 0; i < k->ncols; i++) {
        switch (k->cols[i].type) {
        case RT_PNR:
            if (strcmp(on->table, "person") == 0 && k != on)
                return true;
            break;
        case RT_UNIT:
            if (strcmp(on->table, "care_unit") == 0)
                return true;
            break;
        case RT_CONTACT:
            if (strcmp(on->table, "contact") == 0)
                return true;
            break;
        case RT_MEASURE:
            if (strcmp(on->table, "coercive_measure") == 0)
                return true;
            break;
        default: break;
        }
    }
    return false;
}

int reg_kind_pnr_col(const struct reg_kind *k)
{
    for (size_t i = 0; i < k->ncols; i++)
        if (k->cols[i].type == RT_PNR)
            return (int)i;
    return -1;
}

/* ---- session ---- */

static int load_units(struct reg_import *im, struct kn_error *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(im->s, "SELECT id, code, region_code, setting FROM care_unit "
                                  "ORDER BY code", &st, err);
    if (rc != 0)
        return rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        size_t len = 0;
        const char *code = store_col_text(st, 1, &len);
        const char *region = store_col_text(st, 2, NULL);
        bool inpatient = strcmp(store_col_text(st, 3, NULL), "inpatient") == 0;
        int r = reg_unit_add(im, code, len, region, inpatient, store_col_int(st, 0));
        if (r != 0) {
            rc = kn_fail(err, r, "cannot load care units");
            break;
        }
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

static int load_geography(struct reg_import *im, struct kn_error *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(im->s, "SELECT code, region_code FROM municipality", &st, err);
    if (rc != 0)
        return rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        const char *code = store_col_text(st, 0, NULL);
        const char *region = store_col_text(st, 1, NULL);
        int idx = atoi(code);
        if (strlen(code) == 4 && idx >= 0 && idx < 10000 && strlen(region) == 2) {
            memcpy(im->muni_region[idx], region, 3);
            im->region_known[atoi(region) % 100] = true;
        }
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* INSERT ... ON CONFLICT (source_system, source_id) DO UPDATE SET every
 * column WHERE any differs: a re-imported equal row changes nothing, so
 * store_changes() tells new or changed rows from unchanged ones. Built from
 * the constant column names of the kinds table, never from input. */
static int prepare_insert(struct reg_import *im, const struct reg_kind *k,
                          struct store_stmt **out, struct kn_error *err)
{
    struct strbuf sql = STRBUF_INIT;
    size_t n = 0;
    sb_addf(&sql, "INSERT INTO %s (", k->table);
    for (; k->db_cols[n] != NULL; n++)
        sb_addf(&sql, "%s, ", k->db_cols[n]);
    sb_addstr(&sql, "source_system, source_id) VALUES (");
    for (size_t i = 1; i <= n + 2; i++)
        sb_addf(&sql, "$%zu%s", i, i < n + 2 ? ", " : ")");
    bool person = strcmp(k->table, "person") == 0;
    sb_addf(&sql, " ON CONFLICT (%s) DO UPDATE SET ",
            person ? "pseudonym" : "source_system, source_id");
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        /* A person keeps the pseudonym and birth data it was made with. */
        if (person && strncmp(k->db_cols[i], "birth_", 6) != 0
            && strcmp(k->db_cols[i], "pseudonym") != 0 && strcmp(k->db_cols[i], "sex") != 0
            && strcmp(k->db_cols[i], "id_kind") != 0) {
            sb_addf(&sql, "%s%s = excluded.%s", first ? "" : ", ", k->db_cols[i],
                    k->db_cols[i]);
            first = false;
        } else if (!person) {
            sb_addf(&sql, "%s%s = excluded.%s", first ? "" : ", ", k->db_cols[i],
                    k->db_cols[i]);
            first = false;
        }
    }
    sb_addstr(&sql, " WHERE ");
    first = true;
    for (size_t i = 0; i < n; i++) {
        if (person && (strncmp(k->db_cols[i], "birth_", 6) == 0
                       || strcmp(k->db_cols[i], "pseudonym") == 0
                       || strcmp(k->db_cols[i], "sex") == 0
                       || strcmp(k->db_cols[i], "id_kind") == 0))
            continue;
        sb_addf(&sql, "%s%s.%s IS DISTINCT FROM excluded.%s", first ? "" : " OR ",
                k->table, k->db_cols[i], k->db_cols[i]);
        first = false;
    }
    int rc = sql.len > 0 && sql.cap > 0
                 ? store_prepare(im->s, sql.buf, out, err)
                 : kn_fail(err, KN_ENOMEM, "out of memory");
    sb_release(&sql);
    return rc;
}

int reg_import_begin(struct store *s, const struct pseudo_key *key,
                     const struct reg_import_options *opt, struct reg_import **out,
                     struct kn_error *err)
{
    struct reg_import *im = calloc(1, sizeof *im);
    *out = NULL;
    if (im == NULL)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    im->s = s;
    im->key = key;
    reg_cmap_init(&im->contacts);
    if (opt != NULL)
        im->opt = *opt;
    if (im->opt.today == 0)
        im->opt.today = date_today();
    im->time_limit = time_from_day(im->opt.today + 1);
    const struct reg_plausibility *pl = &im->opt.plaus;
    im->plaus.max_age_years = pl->max_age_years > 0 ? pl->max_age_years
                                                    : CONFIG_PLAUS_MAX_AGE_YEARS;
    im->plaus.max_emergency = (kn_time)(pl->max_emergency_hours > 0
                                            ? pl->max_emergency_hours
                                            : CONFIG_PLAUS_MAX_EMERGENCY_HOURS) * 3600;
    im->plaus.max_inpatient = (kn_time)(pl->max_inpatient_days > 0
                                            ? pl->max_inpatient_days
                                            : CONFIG_PLAUS_MAX_INPATIENT_DAYS) * 86400;
    im->plaus.max_coercive = (kn_time)(pl->max_coercive_hours > 0
                                           ? pl->max_coercive_hours
                                           : CONFIG_PLAUS_MAX_COERCIVE_HOURS) * 3600;

    /* Every reference is checked by the session itself (persons and units
     * in memory, contacts and measures by lookup), so SQLite's own foreign
     * key checks would only repeat that work on every row (25 % of an
     * import, measured). The tests run PRAGMA foreign_key_check after every
     * import path; every other writer keeps the checks on. */
    int rc = store_exec(s, "PRAGMA foreign_keys=OFF", err);
    /* Each file's commit is copied from the log into the database on
     * another thread while the next file is read (bench/import); without
     * that thread the commits copy it themselves, as before. */
    struct kn_error ckpt_err = KN_ERROR_INIT;
    if (rc == 0 && store_ckpt_start(s, &im->ckpt, &ckpt_err) != 0)
        im->ckpt = NULL;
    /* Let the sorter that rebuilds indexes after a bulk load use a second
     * core (SQLite's default is one). */
    if (rc == 0)
        rc = store_exec(s, "PRAGMA threads=2", err);
    if (rc == 0)
        rc = store_begin(s, err);
    if (rc == 0 && (rc = reg_key_verify(s, key, err)) != 0)
        store_rollback(s);
    if (rc != 0) {
        store_ckpt_stop(im->ckpt, NULL);
        store_exec(s, "PRAGMA foreign_keys=ON", NULL);
        free(im);
        return rc;
    }
    rc = load_geography(im, err);
    if (rc == 0)
        rc = reg_persons_begin(im, err);
    if (rc == 0)
        rc = load_units(im, err);
    for (size_t i = 0; rc == 0 && i < reg_nkinds; i++)
        rc = prepare_insert(im, &reg_kinds[i], &im->insert[i], err);
    if (rc == 0)
        rc = store_prepare(s, "SELECT id, person_id, contact_type, start_time, end_time "
                              "FROM contact WHERE source_system = $1 AND source_id = $2",
                           &im->find_contact, err);
    if (rc == 0)
        rc = store_prepare(s, "SELECT id, person_id, stay_id, start_time, end_time "
                              "FROM coercive_measure WHERE source_system = $1 "
                              "AND source_id = $2", &im->find_measure, err);
    if (rc == 0)
        rc = store_prepare(s, "SELECT id FROM person WHERE pseudonym = $1",
                           &im->find_person, err);
    if (rc != 0) {
        reg_import_finish(im, false, NULL, NULL, NULL, NULL);
        return rc;
    }
    *out = im;
    return 0;
}

const struct reg_import_stats *reg_import_get_stats(const struct reg_import *im)
{
    return &im->stats;
}

const char *reg_import_row_warning(const struct reg_import *im, size_t i)
{
    return i < im->nwarn ? im->warn[i].msg : NULL;
}

void reg_import_count_reject(struct reg_import *im)
{
    im->nwarn = 0;
    im->stats.rows++;
    im->stats.rejected++;
}

/* End the current file's transaction: rebuild dropped indexes, record the
 * run, commit or roll back. *committed tells which. */
static int end_txn(struct reg_import *im, bool commit, const char *file_name,
                   const char *kind, const char *format, bool *committed,
                   struct kn_error *err)
{
    int rc = 0;
    bool rejected = im->stats.rejected > 0 && !im->opt.keep_valid;
    *committed = false;
    for (size_t i = 0; i < reg_nkinds && commit && !rejected && rc == 0; i++)
        rc = reg_bulk_leave(im, i, err);
    if (rc == REG_EREPEAT) /* rows fed outside reg_import_attempt() */
        rc = KN_EINPUT;
    if (commit && !rejected && rc == 0 && file_name != NULL) {
        struct store_stmt *st = NULL;
        rc = store_prepare(im->s,
            "INSERT INTO import_run (started_at, file_name, kind, format, rows_read, "
            "rows_stored, rows_rejected) VALUES (CURRENT_TIMESTAMP, $1, $2, $3, $4, $5, $6)",
            &st, err);
        /* A personnummer in the file's name is not stored (pnr_shape.h). */
        char *shown = strdup(file_name);
        if (rc == 0 && shown == NULL)
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
        if (rc == 0) {
            pnr_mask(shown, strlen(shown));
            store_bind_text(st, 1, shown, strlen(shown));
            store_bind_text(st, 2, kind, strlen(kind));
            store_bind_text(st, 3, format, strlen(format));
            store_bind_int(st, 4, (int64_t)im->stats.rows);
            store_bind_int(st, 5, (int64_t)im->stats.stored);
            store_bind_int(st, 6, (int64_t)im->stats.rejected);
            rc = store_step(st, err);
            rc = rc < 0 ? rc : 0;
        }
        store_finalize(st);
        free(shown);
    }
    if (commit && !rejected && rc == 0) {
        rc = store_commit(im->s, err);
        *committed = rc == 0;
        if (*committed)
            store_ckpt_kick(im->ckpt);
    } else {
        store_rollback(im->s);
        if (rc == 0 && rejected)
            rc = kn_fail(err, KN_EINPUT, "%llu of %llu rows were rejected; nothing was stored",
                         (unsigned long long)im->stats.rejected,
                         (unsigned long long)im->stats.rows);
    }
    if (!*committed) {
        /* The transaction's DROP INDEX is undone with it. */
        for (size_t i = 0; i < reg_nkinds; i++)
            if (im->mode[i] == MODE_BULK)
                im->mode[i] = MODE_UPSERT;
    }
    return rc;
}

/* Forget the per-file state: stats, modes, key sets. */
static void reset_file_state(struct reg_import *im)
{
    memset(&im->stats, 0, sizeof im->stats);
    for (size_t i = 0; i < reg_nkinds; i++) {
        im->mode[i] = MODE_UNDECIDED;
        im->fresh[i] = false;
    }
    reg_repeat_clear(im);
}

int reg_import_finish(struct reg_import *im, bool commit, const char *file_name,
                      const char *kind, const char *format, struct kn_error *err)
{
    bool committed;
    int rc = end_txn(im, commit, file_name, kind, format, &committed, err);
    reset_file_state(im);
    for (size_t i = 0; i < reg_nkinds; i++) {
        store_finalize(im->insert[i]);
        store_finalize(im->plain[i]);
    }
    store_finalize(im->find_contact);
    store_finalize(im->find_measure);
    store_finalize(im->find_person);
    store_finalize(im->find_person_born);
    store_ckpt_stop(im->ckpt, NULL); /* a failed checkpoint loses nothing */
    store_exec(im->s, "PRAGMA foreign_keys=ON", NULL);
    reg_pmap_release(&im->persons);
    reg_cmap_release(&im->contacts);
    reg_repeat_release(im);
    free(im->told.h);
    free(im->units);
    pnr_wipe(&im->cur_pnr);
    free(im);
    return rc;
}

int reg_import_next(struct reg_import *im, bool commit, const char *file_name,
                    const char *kind, const char *format, struct kn_error *err)
{
    bool committed;
    int rc = end_txn(im, commit, file_name, kind, format, &committed, err);
    reset_file_state(im);
    struct kn_error err2 = KN_ERROR_INIT;
    int rc2 = store_begin(im->s, &err2);
    if (rc2 == 0) /* a rotation may have come between the transactions */
        rc2 = reg_key_verify(im->s, im->key, &err2);
    if (rc2 == 0 && !committed) /* persons and units of the file are not stored */
        rc2 = reg_import_reload(im, &err2);
    if (rc2 != 0) {
        if (err != NULL)
            *err = err2;
        return rc2;
    }
    return rc;
}

int reg_import_reload(struct reg_import *im, struct kn_error *err)
{
    reg_cmap_clear(&im->contacts, NULL, false); /* the persons' lists go too */
    free(im->units);
    im->units = NULL;
    im->nunits = im->units_cap = 0;
    int rc = reg_persons_reload(im, err);
    return rc == 0 ? load_units(im, err) : rc;
}

void reg_import_expect_rows(struct reg_import *im, const struct reg_kind *k, size_t rows)
{
    /* Presize what would otherwise grow by rehashing on the inserting thread;
     * a failed allocation here only means growing later. */
    if (strcmp(k->table, "person") == 0)
        reg_pmap_reserve(&im->persons, im->persons.n + rows);
    if (k->noted)
        reg_cmap_reserve(&im->contacts, rows);
}

/* ---- phase B: references, rules, the INSERT ---- */

/* A contact (measure false) or a coercive measure by its source key:
 * STORE_ROW with *out filled, STORE_DONE if there is none, or an error. */
static int find_contact(struct store_stmt *st, const char *sys, size_t sys_len,
                        const char *id, size_t len, bool measure, struct reg_contact *out,
                        struct kn_error *err)
{
    store_bind_text(st, 1, sys, sys_len);
    store_bind_text(st, 2, id, len);
    int rc = store_step(st, err);
    if (rc == STORE_ROW) {
        out->id = store_col_int(st, 0);
        out->person_id = store_col_int(st, 1);
        if (measure) {
            out->stay_id = store_col_int(st, 2);
            out->inpatient = true;
        } else {
            out->inpatient = strcmp(store_col_text(st, 2, NULL), "inpatient") == 0;
            out->stay_id = 0;
        }
        out->start = store_col_int(st, 3);
        out->end = store_col_is_null(st, 4) ? INT64_MAX : store_col_int(st, 4);
    }
    store_reset(st);
    return rc;
}

/* Phase B, part one: look up in the store what phase A did not find. */
static int resolve_refs(struct reg_import *im, const struct reg_kind *k,
                        struct reg_prepared *pr, struct kn_error *err)
{
    struct reg_val *v = pr->v;
    for (size_t c = 0; c < k->ncols; c++) {
        enum reg_type t = k->cols[c].type;
        if ((t != RT_CONTACT && t != RT_MEASURE) || !v[c].present || v[c].ref != NULL)
            continue;
        if (pr->nfound >= REG_MAX_REFS)
            return kn_fail(err, KN_ESTORE, "too many references in a row of %s", k->name);
        struct reg_contact *found = &pr->found[pr->nfound++];
        bool measure = t == RT_MEASURE;
        int rc = reg_bulk_ensure_indexed(im, measure ? "coercive_measure" : "contact", err);
        if (rc != 0)
            return rc;
        rc = find_contact(measure ? im->find_measure : im->find_contact, v[0].s, v[0].len,
                          v[c].s, v[c].len, measure, found, err);
        if (rc < 0)
            return rc;
        if (rc != STORE_ROW)
            return reg_field_fail(err, k, c, "no %s with source_id '%.*s' in source "
                                  "system '%.*s'", measure ? "coercive measure" : "contact",
                                  (int)v[c].len, v[c].s, (int)v[0].len, v[0].s);
        v[c].ref = found;
        v[c].i = found->id;
    }
    return 0;
}

/* A row repeats the record of an earlier row of the file (at line first,
 * 0 if unknown) with different contents: KN_EINPUT naming both. */
static int repeat_conflict(const struct reg_import *im, const struct reg_kind *k,
                           const struct reg_val *v, uint64_t first, struct kn_error *err)
{
    (void)k;
    int len = (int)(v[1].len > 64 ? 64 : v[1].len);
    if (im->cur_line > 0 && first > 0)
        return kn_fail(err, KN_EINPUT, "record '%.*s' repeats line %llu with different "
                       "contents (lines %llu and %llu); this row is not stored", len, v[1].s,
                       (unsigned long long)first, (unsigned long long)first,
                       (unsigned long long)im->cur_line);
    return kn_fail(err, KN_EINPUT, "record '%.*s' repeats an earlier record of the import "
                   "with different contents; it is not stored", len, v[1].s);
}

/* The caller's scope (reg_import_options.scope) for a row that passed
 * every rule: 0, KN_EINPUT naming the field the place came from, or the
 * caller's failure. */
static int row_in_scope(struct reg_import *im, const struct reg_kind *k,
                        const struct reg_val *v, struct kn_error *row_err)
{
    struct reg_row_place p = { .kind = k };
    char region[3] = "", hex[PSEUDO_HEX_LEN + 1] = "";
    int col = -1; /* the column the scope decides by */
    for (size_t c = 0; c < k->ncols; c++) {
        if (!v[c].present)
            continue;
        switch (k->cols[c].type) {
        case RT_REGION:
            if (v[c].len == 2) {
                memcpy(region, v[c].s, 2);
                p.region = region;
                col = (int)c;
            }
            break;
        case RT_MUNICIPALITY:
            p.region = v[c].ref;
            col = (int)c;
            break;
        case RT_UNIT: {
            const struct reg_unit *u = v[c].ref;
            p.unit = u->code;
            p.unit_region = u->region;
            col = (int)c;
            break;
        }
        default: break;
        }
    }
    int pc = reg_kind_pnr_col(k);
    if (pc >= 0) {
        pseudo_to_hex(im->cur_key, hex);
        p.pseudonym = hex;
        if (col < 0)
            col = pc;
    }
    struct kn_error why = KN_ERROR_INIT;
    int rc = im->opt.scope(im->opt.scope_ctx, &p, &why);
    if (rc == KN_EPERM)
        return reg_field_fail(row_err, k, col < 0 ? 0 : (size_t)col, "%s", why.msg);
    if (rc != 0)
        *row_err = why;
    return rc;
}

int reg_import_store(struct reg_import *im, const struct reg_kind *k,
                     struct reg_prepared *pr, struct kn_error *row_err)
{
    struct reg_val *v = pr->v;
    size_t ki = (size_t)(k - reg_kinds);
    int rc = pr->rc;
    im->stats.rows++;
    im->nwarn = 0;
    if (rc != 0) {
        *row_err = pr->err;
        pnr_mask(row_err->msg, strlen(row_err->msg));
        im->stats.rejected++;
        return rc;
    }
    /* The row functions of persons read the number from the session (phase
     * A wiped it in event rows). */
    memcpy(im->cur_key, pr->key, sizeof im->cur_key);
    if (ki == 1) {
        im->cur_pnr = pr->pnr;
        pnr_wipe(&pr->pnr);
    }
    im->cur_source_key = pr->source_key;
    im->cur_person = pr->entry;

    rc = resolve_refs(im, k, pr, row_err);
    if (rc == 0 && im->mode[ki] == MODE_UNDECIDED)
        rc = reg_bulk_decide(im, ki, row_err);
    bool bulk = im->mode[ki] == MODE_BULK;
    /* A table the file found empty keeps the plain INSERT after its index
     * is rebuilt (a lookup needed it), so that a repeat still shows, as a
     * failed insert; other rows take the upsert and are noted, so that a
     * repeat is found by its key (reg_repeat.c). */
    bool plain = bulk || (im->bulk_ok && im->fresh[ki]);
    struct store_stmt *st = plain ? im->plain[ki] : im->insert[ki];
    uint64_t h = 0, first = 0;
    bool repeat = false, clash = false;
    if (rc == 0)
        rc = k->row(im, v, st, row_err);
    if (rc == 0 && im->opt.scope != NULL)
        rc = row_in_scope(im, k, v, row_err);
    if (rc == 0 && !plain) {
        h = reg_repeat_key(im, ki, v);
        repeat = reg_repeat_find(im, h, &first);
        if (repeat) /* to undo the upsert if it changes the record */
            rc = store_exec(im->s, "SAVEPOINT reg_repeat", row_err);
    }
    if (rc == 0) {
        size_t n = k->ndb;
        store_bind_text(st, (int)n + 1, v[0].s, v[0].len);
        store_bind_text(st, (int)n + 2, v[1].s, v[1].len);
        rc = store_step(st, row_err);
        int64_t changed = rc < 0 ? 0 : plain ? 1 : store_changes(im->s);
        store_reset(st);
        if (repeat) {
            clash = rc >= 0 && changed > 0;
            int r2 = clash ? store_exec(im->s, "ROLLBACK TO reg_repeat", row_err) : 0;
            if (r2 == 0)
                r2 = store_exec(im->s, "RELEASE reg_repeat", row_err);
            if (r2 != 0)
                rc = r2;
        }
        if (rc >= 0 && clash) {
            rc = repeat_conflict(im, k, v, first, row_err);
        } else if (rc >= 0) {
            rc = 0;
            im->cur_stored = changed > 0;
            if (changed > 0)
                im->stats.stored++;
            else if (repeat)
                im->stats.repeated++;
            else
                im->stats.unchanged++;
            if (!plain && !repeat && reg_repeat_note(im, h, im->cur_line) != 0)
                rc = kn_fail(row_err, KN_ENOMEM, "out of memory for the records of a file");
            if (rc == 0 && k->post != NULL)
                rc = k->post(im, v, row_err);
        } else if (rc == KN_EINPUT && plain && !bulk) {
            /* The table was empty when the file began: the record is one of
             * the file's own. reg_import_attempt() runs the rows again. */
            rc = kn_fail(row_err, REG_EREPEAT, "the rows repeat a record of %s", k->table);
        } else if (rc == KN_EINPUT) {
            /* A constraint of the store: say which record clashes. */
            kn_error_prefix(row_err, "record '%.*s' conflicts with a stored one: ",
                            (int)(v[1].len > 64 ? 64 : v[1].len), v[1].s);
        }
    }
    pnr_wipe(&im->cur_pnr);
    if (rc != 0) /* a rejected row is told as that alone */
        im->nwarn = 0;
    im->stats.warnings += im->nwarn;
    if (rc == KN_EINPUT)
        im->stats.rejected++;
    if (rc != 0) /* a value quoted in the message (a number in a wrong column) */
        pnr_mask(row_err->msg, strlen(row_err->msg));
    return rc;
}

int reg_import_row(struct reg_import *im, const struct reg_kind *k,
                   const char *const *fields, const size_t *lens, struct kn_error *row_err)
{
    struct reg_prepared pr;
    im->cur_line = 0; /* a row without a line (FHIR) */
    /* Rows one by one: preload once the persons looked up are many. */
    int rc = reg_persons_expect(im, im->persons_looked, row_err);
    if (rc != 0)
        return rc;
    reg_import_parse(im, k, fields, lens, &pr, NULL);
    return reg_import_store(im, k, &pr, row_err);
}
