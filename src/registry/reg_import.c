/* src/registry/reg_import.c: the import session and field parsing.
 *
 * Workload: up to ~10 million rows in one session. Per row the work is a
 * handful of field parsers, one pseudonym (BLAKE2b) for event rows, a hash
 * lookup of the person, and one prepared INSERT ... ON CONFLICT DO UPDATE
 * in the session's transaction. References to other records
 * (stay_id, contact_id, extends_id) are looked up through the store's
 * unique (source_system, source_id) index. Nothing here allocates per row.
 */
#include "registry/reg_import_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"

/* ---- kinds ---- */

size_t reg_kind_count(void) { return reg_nkinds; }
const struct reg_kind *reg_kind_at(size_t i) { return i < reg_nkinds ? &reg_kinds[i] : NULL; }
const char *reg_kind_name(const struct reg_kind *k) { return k->name; }
const char *reg_kind_table(const struct reg_kind *k) { return k->table; }
size_t reg_kind_ncols(const struct reg_kind *k) { return k->ncols; }
const char *reg_kind_col(const struct reg_kind *k, size_t i) { return k->cols[i].name; }
bool reg_kind_col_required(const struct reg_kind *k, size_t i) { return k->cols[i].required; }

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

int reg_kind_pnr_col(const struct reg_kind *k)
{
    for (size_t i = 0; i < k->ncols; i++)
        if (k->cols[i].type == RT_PNR)
            return (int)i;
    return -1;
}

/* ---- personnummer outside the pnr column ---- */

bool reg_looks_like_pnr(const char *s, size_t len)
{
    if (len < 10 || len > 13)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '+'))
            return false;
    struct pnr p;
    struct kn_error ignore;
    kn_error_init(&ignore);
    /* Any reference date after every valid birth date will do. */
    bool valid = pnr_parse(s, len, date_from_ymd(9999, 12, 31), &p, &ignore) == 0;
    pnr_wipe(&p);
    return valid;
}

void reg_redact_pnr(char *msg)
{
    size_t n = strlen(msg);
    for (size_t i = 0; i < n; i++) {
        if (msg[i] < '0' || msg[i] > '9')
            continue;
        size_t j = i;
        while (j < n && ((msg[j] >= '0' && msg[j] <= '9') || msg[j] == '-' || msg[j] == '+'))
            j++;
        /* Any stretch of 10..13 digit/separator chars that is a number. */
        for (size_t a = i; a < j; a++) {
            for (size_t b = j; b >= a + 10; b--) {
                if (b - a <= 13 && reg_looks_like_pnr(msg + a, b - a)) {
                    static const char mask[] = "[personnummer]";
                    size_t ml = sizeof mask - 1;
                    if (ml > b - a && n + ml - (b - a) >= KN_ERROR_MAX)
                        ml = b - a; /* no room: overwrite in place */
                    memmove(msg + a + ml, msg + b, n - b + 1);
                    memcpy(msg + a, mask, ml);
                    n = n + ml - (b - a);
                    j = a + ml;
                    break;
                }
            }
        }
        i = j;
    }
}

/* ---- helpers for the row functions ---- */

int reg_field_fail(struct kn_error *err, const struct reg_kind *k, size_t col,
                   const char *fmt, ...)
{
    char why[KN_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return kn_fail(err, KN_EINPUT, "field '%s': %s", k->cols[col].name, why);
}

int reg_bind_opt_text(struct store_stmt *st, int i, const struct reg_val *v)
{
    return v->present ? store_bind_text(st, i, v->s, v->len) : store_bind_null(st, i);
}

int reg_bind_opt_int(struct store_stmt *st, int i, const struct reg_val *v)
{
    return v->present ? store_bind_int(st, i, v->i) : store_bind_null(st, i);
}

static int unit_cmp(const char *code, size_t len, const struct reg_unit *u)
{
    size_t ulen = strlen(u->code);
    int c = memcmp(code, u->code, len < ulen ? len : ulen);
    return c != 0 ? c : (len > ulen) - (len < ulen);
}

/* Binary search in the sorted unit array; *at is where it would go. */
static struct reg_unit *unit_find(const struct reg_import *im, const char *code,
                                  size_t len, size_t *at)
{
    size_t lo = 0, hi = im->nunits;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = unit_cmp(code, len, &im->units[mid]);
        if (c == 0)
            return &im->units[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    if (at != NULL)
        *at = lo;
    return NULL;
}

int reg_unit_add(struct reg_import *im, const char *code, size_t len,
                 const char *region, bool inpatient, int64_t id)
{
    size_t at = 0;
    struct reg_unit *u = unit_find(im, code, len, &at);
    if (u == NULL) {
        if (len >= sizeof u->code)
            return KN_EINPUT;
        if (im->nunits == im->units_cap) {
            size_t cap = im->units_cap ? im->units_cap * 2 : 64;
            struct reg_unit *p = realloc(im->units, cap * sizeof *p);
            if (p == NULL)
                return KN_ENOMEM;
            im->units = p;
            im->units_cap = cap;
        }
        memmove(&im->units[at + 1], &im->units[at], (im->nunits - at) * sizeof *u);
        im->nunits++;
        u = &im->units[at];
        memcpy(u->code, code, len);
        u->code[len] = '\0';
    }
    u->id = id;
    memcpy(u->region, region, 3);
    u->inpatient = inpatient;
    return 0;
}

/* ---- bulk mode ----
 *
 * Inserting rows into a B-tree index in random key order is what makes a
 * large import slow (measured: 4.5 s per million contacts with the unique
 * (source_system, source_id) index against 1.0 s without it). So when a
 * kind's table is empty as its first row arrives, the session drops the
 * table's unique indexes inside its transaction, inserts with a plain
 * INSERT, and rebuilds the indexes at the end by sorting. A set of key
 * hashes notices a record that repeats within the session; at the first
 * repeat, or when a row must look a record of that table up, the indexes
 * are rebuilt at once and the session goes on with the upsert, so the
 * result is the same as without bulk mode. A rollback (or a crash) undoes
 * the DROP with everything else.
 */

static uint64_t key_hash(const char *a, size_t alen, const char *b, size_t blen)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < alen; i++)
        h = (h ^ (unsigned char)a[i]) * 0x100000001b3ull;
    h = (h ^ 0xff) * 0x100000001b3ull;
    for (size_t i = 0; i < blen; i++)
        h = (h ^ (unsigned char)b[i]) * 0x100000001b3ull;
    h ^= h >> 33; /* spread the low bits, which pick the slot */
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h ? h : 1;
}

/* Add h; returns 1 if it was new, 0 if present, KN_ENOMEM. */
static int keyset_add(struct reg_keyset *ks, uint64_t h)
{
    if ((ks->n + 1) * 2 > ks->cap) {
        size_t cap = ks->cap ? ks->cap * 2 : 1u << 16;
        uint64_t *slots = calloc(cap, sizeof *slots);
        if (slots == NULL)
            return KN_ENOMEM;
        for (size_t i = 0; i < ks->cap; i++) {
            if (ks->slots[i] == 0)
                continue;
            size_t j = (size_t)ks->slots[i] & (cap - 1);
            while (slots[j] != 0)
                j = (j + 1) & (cap - 1);
            slots[j] = ks->slots[i];
        }
        free(ks->slots);
        ks->slots = slots;
        ks->cap = cap;
    }
    size_t i = (size_t)h & (ks->cap - 1);
    while (ks->slots[i] != 0) {
        if (ks->slots[i] == h)
            return 0;
        i = (i + 1) & (ks->cap - 1);
    }
    ks->slots[i] = h;
    ks->n++;
    return 1;
}

static int create_indexes(struct reg_import *im, const struct reg_kind *k,
                          struct kn_error *err)
{
    for (const struct reg_index *x = k->indexes; x->name != NULL; x++) {
        char sql[256];
        snprintf(sql, sizeof sql, "CREATE UNIQUE INDEX %s ON %s (%s)", x->name, k->table,
                 x->columns);
        int rc = store_exec(im->s, sql, err);
        if (rc != 0)
            return kn_error_prefix(err, "rebuilding index %s: ", x->name);
    }
    return 0;
}

static int leave_bulk(struct reg_import *im, size_t ki, struct kn_error *err)
{
    if (im->mode[ki] != MODE_BULK)
        return 0;
    im->mode[ki] = MODE_UPSERT;
    free(im->keys[ki].slots);
    memset(&im->keys[ki], 0, sizeof im->keys[ki]);
    return create_indexes(im, &reg_kinds[ki], err);
}

/* Before looking records of table up by source_id: indexes must exist. */
static int ensure_indexed(struct reg_import *im, const char *table, struct kn_error *err)
{
    for (size_t i = 0; i < reg_nkinds; i++)
        if (strcmp(reg_kinds[i].table, table) == 0)
            return leave_bulk(im, i, err);
    return 0;
}

/* At a kind's first row: bulk if its table is empty and may be bulk-loaded. */
static int decide_mode(struct reg_import *im, size_t ki, struct kn_error *err)
{
    const struct reg_kind *k = &reg_kinds[ki];
    im->mode[ki] = MODE_UPSERT;
    if (k->indexes == NULL)
        return 0;
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT 1 FROM %s LIMIT 1)", k->table);
    struct store_stmt *st = NULL;
    int rc = store_prepare(im->s, sql, &st, err);
    if (rc != 0)
        return rc;
    rc = store_step(st, err);
    bool empty = rc == STORE_ROW && store_col_int(st, 0) == 0;
    store_finalize(st);
    if (rc < 0 || !empty)
        return rc < 0 ? rc : 0;

    struct strbuf q = STRBUF_INIT;
    size_t n = 0;
    sb_addf(&q, "INSERT INTO %s (", k->table);
    for (; k->db_cols[n] != NULL; n++)
        sb_addf(&q, "%s, ", k->db_cols[n]);
    sb_addstr(&q, "source_system, source_id) VALUES (");
    for (size_t i = 1; i <= n + 2; i++)
        sb_addf(&q, "$%zu%s", i, i < n + 2 ? ", " : ")");
    rc = q.cap > 0 ? store_prepare(im->s, q.buf, &im->plain[ki], err)
                   : kn_fail(err, KN_ENOMEM, "out of memory");
    sb_release(&q);
    for (const struct reg_index *x = k->indexes; rc == 0 && x->name != NULL; x++) {
        snprintf(sql, sizeof sql, "DROP INDEX %s", x->name);
        rc = store_exec(im->s, sql, err);
    }
    if (rc == 0)
        im->mode[ki] = MODE_BULK;
    return rc;
}

/* ---- session ---- */

static int load_persons(struct reg_import *im, struct kn_error *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(im->s, "SELECT count(*) FROM person", &st, err);
    if (rc != 0)
        return rc;
    int64_t n = store_step(st, err) == STORE_ROW ? store_col_int(st, 0) : 0;
    store_finalize(st);
    if (reg_pmap_init(&im->persons, (size_t)n + 1024) != 0)
        return kn_fail(err, KN_ENOMEM, "out of memory for %lld persons", (long long)n);
    rc = store_prepare(im->s, "SELECT id, pseudonym, birth_year, birth_month, birth_day "
                              "FROM person", &st, err);
    if (rc != 0)
        return rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        size_t len = 0;
        const char *hex = store_col_text(st, 1, &len);
        unsigned char key[PSEUDO_BYTES];
        if (pseudo_from_hex(hex, len, key) != 0) {
            rc = kn_fail(err, KN_ESTORE, "person %lld has a malformed pseudonym",
                         (long long)store_col_int(st, 0));
            break;
        }
        struct reg_person *p = reg_pmap_put(&im->persons, key);
        if (p == NULL) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory loading persons");
            break;
        }
        int y = (int)store_col_int(st, 2);
        int m = store_col_is_null(st, 3) ? 1 : (int)store_col_int(st, 3);
        int d = store_col_is_null(st, 4) ? 1 : (int)store_col_int(st, 4);
        p->id = store_col_int(st, 0);
        p->born = date_valid(y, m, d) ? date_from_ymd(y, m, d) : date_from_ymd(y, 1, 1);
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

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
    if (opt != NULL)
        im->opt = *opt;
    if (im->opt.today == 0)
        im->opt.today = date_today();
    im->time_limit = time_from_day(im->opt.today + 1);

    /* Every reference is checked by the session itself (persons and units
     * in memory, contacts and measures by lookup), so SQLite's own foreign
     * key checks would only repeat that work on every row (25 % of an
     * import, measured). The tests run PRAGMA foreign_key_check after every
     * import path; every other writer keeps the checks on. */
    int rc = store_exec(s, "PRAGMA foreign_keys=OFF", err);
    /* Let the sorter that rebuilds indexes after a bulk load use a second
     * core (SQLite's default is one). */
    if (rc == 0)
        rc = store_exec(s, "PRAGMA threads=2", err);
    if (rc == 0)
        rc = store_begin(s, err);
    if (rc != 0) {
        store_exec(s, "PRAGMA foreign_keys=ON", NULL);
        free(im);
        return rc;
    }
    rc = load_geography(im, err);
    if (rc == 0)
        rc = load_persons(im, err);
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

void reg_import_count_reject(struct reg_import *im)
{
    im->stats.rows++;
    im->stats.rejected++;
}

int reg_import_finish(struct reg_import *im, bool commit, const char *file_name,
                      const char *kind, const char *format, struct kn_error *err)
{
    int rc = 0;
    bool rejected = im->stats.rejected > 0 && !im->opt.keep_valid;
    for (size_t i = 0; i < reg_nkinds && commit && !rejected && rc == 0; i++)
        rc = leave_bulk(im, i, err);
    if (commit && !rejected && rc == 0 && file_name != NULL) {
        struct store_stmt *st = NULL;
        rc = store_prepare(im->s,
            "INSERT INTO import_run (started_at, file_name, kind, format, rows_read, "
            "rows_stored, rows_rejected) VALUES (CURRENT_TIMESTAMP, $1, $2, $3, $4, $5, $6)",
            &st, err);
        if (rc == 0) {
            store_bind_text(st, 1, file_name, strlen(file_name));
            store_bind_text(st, 2, kind, strlen(kind));
            store_bind_text(st, 3, format, strlen(format));
            store_bind_int(st, 4, (int64_t)im->stats.rows);
            store_bind_int(st, 5, (int64_t)im->stats.stored);
            store_bind_int(st, 6, (int64_t)im->stats.rejected);
            rc = store_step(st, err);
            rc = rc < 0 ? rc : 0;
        }
        store_finalize(st);
    }
    for (size_t i = 0; i < reg_nkinds; i++) {
        store_finalize(im->insert[i]);
        store_finalize(im->plain[i]);
        free(im->keys[i].slots);
    }
    store_finalize(im->find_contact);
    store_finalize(im->find_measure);
    store_finalize(im->find_person);
    if (commit && !rejected && rc == 0) {
        rc = store_commit(im->s, err);
    } else {
        store_rollback(im->s);
        if (rc == 0 && rejected)
            rc = kn_fail(err, KN_EINPUT, "%llu of %llu rows were rejected; nothing was stored",
                         (unsigned long long)im->stats.rejected,
                         (unsigned long long)im->stats.rows);
    }
    store_exec(im->s, "PRAGMA foreign_keys=ON", NULL);
    reg_pmap_release(&im->persons);
    free(im->units);
    pnr_wipe(&im->cur_pnr);
    free(im);
    return rc;
}

/* ---- field parsing ---- */

static bool is_icd10(const char *s, size_t len)
{
    if (len < 3 || s[0] < 'A' || s[0] > 'Z' || s[1] < '0' || s[1] > '9' || s[2] < '0'
        || s[2] > '9')
        return false;
    size_t i = 3;
    if (i < len && s[i] == '.')
        i++;
    if (len - i > 4 || (i == 4 && len == 4))
        return false;
    for (; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z')))
            return false;
    return true;
}

static int find_contact(struct reg_import *im, struct store_stmt *st, const char *id,
                        size_t len, bool measure, struct reg_contact *out,
                        struct kn_error *err)
{
    store_bind_text(st, 1, im->source_system, im->source_system_len);
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

static int parse_field(const struct reg_import *im, const struct reg_kind *k, size_t c,
                       struct reg_val *v, struct reg_prepared *pr, struct kn_error *err)
{
    const struct reg_column *col = &k->cols[c];
    const char *s = v->s;
    size_t len = v->len;
    struct kn_error sub;
    kn_error_init(&sub);

    switch (col->type) {
    case RT_ID:
        if (len > 64)
            return reg_field_fail(err, k, c, "longer than 64 characters");
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
                return reg_field_fail(err, k, c, "holds a control character");
        if (reg_looks_like_pnr(s, len))
            return reg_field_fail(err, k, c, "is a personnummer; an id must not be an "
                                  "identity number, which would be stored in clear");
        return 0;
    case RT_TEXT:
        if (len > 200)
            return reg_field_fail(err, k, c, "longer than 200 characters");
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
                return reg_field_fail(err, k, c, "holds a control character");
        return 0;
    case RT_CODE:
        for (size_t i = 0; col->codes[i] != NULL; i++) {
            if (strlen(col->codes[i]) == len && memcmp(col->codes[i], s, len) == 0) {
                v->i = (int64_t)i;
                return 0;
            }
        }
        {
            char list[256] = "";
            size_t at = 0;
            for (size_t i = 0; col->codes[i] != NULL && at < sizeof list - 40; i++)
                at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", i ? ", " : "",
                                       col->codes[i]);
            return reg_field_fail(err, k, c, "'%.*s' is not one of: %s",
                                  (int)(len > 40 ? 40 : len), s, list);
        }
    case RT_TIME: {
        kn_time t;
        if (time_parse(s, len, &t, &sub) != 0)
            return reg_field_fail(err, k, c, "%s", sub.msg);
        if (t >= im->time_limit)
            return reg_field_fail(err, k, c, "lies in the future");
        v->i = t;
        return 0;
    }
    case RT_DATE: {
        kn_day d;
        if (date_parse(s, len, &d, &sub) != 0)
            return reg_field_fail(err, k, c, "%s", sub.msg);
        if (d > im->opt.today)
            return reg_field_fail(err, k, c, "lies in the future");
        v->i = d;
        return 0;
    }
    case RT_BOOL:
        if (len != 1 || (s[0] != '0' && s[0] != '1'))
            return reg_field_fail(err, k, c, "expected 0 or 1");
        v->i = s[0] - '0';
        return 0;
    case RT_PNR: {
        struct pnr *p = &pr->pnr;
        if (pnr_parse(s, len, im->opt.today, p, &sub) != 0)
            return reg_field_fail(err, k, c, "%s", sub.msg);
        pseudo_derive_raw(im->key, p, pr->key);
        if (strcmp(k->table, "person") == 0)
            return 0; /* persons: the row function uses the number itself */
        pnr_wipe(p);
        const struct reg_person *person = reg_pmap_find(&im->persons, pr->key);
        if (person == NULL)
            return reg_field_fail(err, k, c,
                                  "no stored person has this number; import the "
                                  "persons file first");
        v->ref = person;
        v->i = person->id;
        return 0;
    }
    case RT_ICD10:
        if (!is_icd10(s, len))
            return reg_field_fail(err, k, c, "'%.*s' is not an ICD-10 code (like F32.1 or X60)",
                                  (int)(len > 20 ? 20 : len), s);
        return 0;
    case RT_ICD10_LIST:
        for (size_t i = 0; i < len;) {
            size_t j = i;
            while (j < len && s[j] != ' ')
                j++;
            if (!is_icd10(s + i, j - i))
                return reg_field_fail(err, k, c,
                                      "'%.*s' is not an ICD-10 code; separate codes by "
                                      "single spaces", (int)(j - i > 20 ? 20 : j - i), s + i);
            i = j + 1;
            if (j + 1 == len)
                return reg_field_fail(err, k, c, "ends with a space");
        }
        return 0;
    case RT_MUNICIPALITY: {
        int idx = 0;
        bool digits = len == 4;
        for (size_t i = 0; digits && i < 4; i++) {
            digits = s[i] >= '0' && s[i] <= '9';
            idx = idx * 10 + (s[i] - '0');
        }
        if (!digits || im->muni_region[idx][0] == '\0')
            return reg_field_fail(err, k, c, "'%.*s' is not a municipality code",
                                  (int)(len > 10 ? 10 : len), s);
        v->ref = im->muni_region[idx];
        return 0;
    }
    case RT_REGION:
        if (len != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9'
            || !im->region_known[(s[0] - '0') * 10 + (s[1] - '0')])
            return reg_field_fail(err, k, c, "'%.*s' is not a region code (01..25)",
                                  (int)(len > 10 ? 10 : len), s);
        return 0;
    case RT_UNIT: {
        const struct reg_unit *u = unit_find(im, s, len, NULL);
        if (u == NULL)
            return reg_field_fail(err, k, c, "no stored unit has the code '%.*s'; import "
                                  "the units file first", (int)(len > 64 ? 64 : len), s);
        v->ref = u;
        v->i = u->id;
        return 0;
    }
    case RT_CONTACT:
    case RT_MEASURE:
        /* Resolved in phase B (resolve_refs), which may use the store. */
        if (len > 64)
            return reg_field_fail(err, k, c, "longer than 64 characters");
        if (reg_looks_like_pnr(s, len))
            return reg_field_fail(err, k, c, "is a personnummer; an id must not be an "
                                  "identity number");
        return 0;
    case RT_STEP:
        if (len > 40)
            return reg_field_fail(err, k, c, "longer than 40 characters");
        for (size_t i = 0; i < len; i++) {
            char ch = s[i];
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                  || ch == '_' || ch == '-' || ch == '.'))
                return reg_field_fail(err, k, c, "use only letters, digits, '_', '-', '.'");
        }
        return 0;
    }
    return reg_field_fail(err, k, c, "unknown field type");
}

/* Phase B, part one: look references up in the store. */
static int resolve_refs(struct reg_import *im, const struct reg_kind *k, struct reg_val *v,
                        struct kn_error *err)
{
    for (size_t c = 0; c < k->ncols; c++) {
        enum reg_type t = k->cols[c].type;
        if ((t != RT_CONTACT && t != RT_MEASURE) || !v[c].present)
            continue;
        struct reg_contact *found = &im->found[im->nfound++ % 4];
        bool measure = t == RT_MEASURE;
        int rc = ensure_indexed(im, measure ? "coercive_measure" : "contact", err);
        if (rc != 0)
            return rc;
        rc = find_contact(im, measure ? im->find_measure : im->find_contact, v[c].s, v[c].len,
                          measure, found, err);
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

void reg_import_parse(const struct reg_import *im, const struct reg_kind *k,
                      const char *const *fields, const size_t *lens,
                      struct reg_prepared *pr)
{
    struct reg_val *v = pr->v;
    pr->rc = 0;
    kn_error_init(&pr->err);
    for (size_t c = 0; c < k->ncols; c++) {
        v[c].s = fields[c] ? fields[c] : "";
        v[c].len = fields[c] ? lens[c] : 0;
        v[c].present = v[c].len > 0;
        v[c].i = 0;
        v[c].ref = NULL;
    }
    for (size_t c = 0; c < k->ncols && pr->rc == 0; c++) {
        if (!v[c].present) {
            if (k->cols[c].required)
                pr->rc = reg_field_fail(&pr->err, k, c,
                                        fields[c] ? "is empty but required"
                                                  : "is missing but required");
            continue;
        }
        pr->rc = parse_field(im, k, c, &v[c], pr, &pr->err);
    }
    if (pr->rc != 0)
        pnr_wipe(&pr->pnr);
    else
        pr->source_hash = key_hash(v[0].s, v[0].len, v[1].s, v[1].len);
}

int reg_import_store(struct reg_import *im, const struct reg_kind *k,
                     struct reg_prepared *pr, struct kn_error *row_err)
{
    struct reg_val *v = pr->v;
    size_t ki = (size_t)(k - reg_kinds);
    int rc = pr->rc;
    im->stats.rows++;
    im->nfound = 0;
    if (rc != 0) {
        *row_err = pr->err;
        reg_redact_pnr(row_err->msg);
        im->stats.rejected++;
        return rc;
    }
    /* The row functions of persons read the number from the session. */
    memcpy(im->cur_key, pr->key, sizeof im->cur_key);
    im->cur_pnr = pr->pnr;
    pnr_wipe(&pr->pnr);

    im->source_system = v[0].s; /* references are looked up within it */
    im->source_system_len = v[0].len;
    rc = resolve_refs(im, k, v, row_err);
    if (rc == 0 && im->mode[ki] == MODE_UNDECIDED)
        rc = decide_mode(im, ki, row_err);
    if (rc == 0 && im->mode[ki] == MODE_BULK) {
        /* A repeated record, or a person seen before: back to the upsert. */
        int added = keyset_add(&im->keys[ki], pr->source_hash);
        if (added < 0)
            rc = kn_fail(row_err, KN_ENOMEM, "out of memory");
        else if (added == 0 || (ki == 1 && reg_pmap_find(&im->persons, im->cur_key) != NULL))
            rc = leave_bulk(im, ki, row_err);
    }
    bool bulk = im->mode[ki] == MODE_BULK;
    struct store_stmt *st = bulk ? im->plain[ki] : im->insert[ki];
    if (rc == 0)
        rc = k->row(im, v, st, row_err);
    if (rc == 0) {
        size_t n = k->ndb;
        store_bind_text(st, (int)n + 1, v[0].s, v[0].len);
        store_bind_text(st, (int)n + 2, v[1].s, v[1].len);
        rc = store_step(st, row_err);
        int64_t changed = rc < 0 ? 0 : bulk ? 1 : store_changes(im->s);
        store_reset(st);
        if (rc >= 0) {
            rc = 0;
            if (changed > 0)
                im->stats.stored++;
            else
                im->stats.unchanged++;
            if (k->post != NULL)
                rc = k->post(im, v, row_err);
        } else if (rc == KN_EINPUT) {
            /* A constraint of the store: say which record clashes. */
            kn_error_prefix(row_err, "record '%.*s' conflicts with a stored one: ",
                            (int)(v[1].len > 64 ? 64 : v[1].len), v[1].s);
        }
    }
    pnr_wipe(&im->cur_pnr);
    if (rc == KN_EINPUT) {
        im->stats.rejected++;
        reg_redact_pnr(row_err->msg); /* a number in a wrong column is echoed */
    }
    return rc;
}

int reg_import_row(struct reg_import *im, const struct reg_kind *k,
                   const char *const *fields, const size_t *lens, struct kn_error *row_err)
{
    struct reg_prepared pr;
    reg_import_parse(im, k, fields, lens, &pr);
    return reg_import_store(im, k, &pr, row_err);
}
