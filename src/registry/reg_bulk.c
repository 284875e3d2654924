/* src/registry/reg_bulk.c: bulk loading of empty tables during an import.
 *
 * Inserting rows into a B-tree index in random key order is what makes a
 * large import slow (measured: 4.5 s per million contacts with the unique
 * (source_system, source_id) index against 1.0 s without it). So when a
 * kind's table is empty as its first row arrives, the session drops the
 * table's unique indexes inside its transaction, inserts with a plain
 * INSERT, and rebuilds the indexes at the end by sorting. When a row must
 * look a record of that table up, the indexes are rebuilt at once and the
 * session goes on with the upsert. A record (or a person) that repeats
 * within the rows makes the rebuilt unique index fail: then
 * reg_import_attempt() undoes the rows to a savepoint and runs them again
 * with the upsert, so the result is the same as without bulk mode. (A set
 * of key hashes that noticed repeats row by row cost ~200 ns a row in
 * cache misses on the inserting thread, measured; repeats are rare.) A
 * rollback (or a crash) undoes the DROP with everything else.
 */
#include "registry/reg_import_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/strbuf.h"

/* The connection's page cache size (PRAGMA cache_size), 0 if unknown. */
static int64_t cache_size(struct reg_import *im)
{
    struct store_stmt *st = NULL;
    int64_t n = 0;
    if (store_prepare(im->s, "PRAGMA cache_size", &st, NULL) == 0
        && store_step(st, NULL) == STORE_ROW)
        n = store_col_int(st, 0);
    store_finalize(st);
    return n;
}

static int create_indexes(struct reg_import *im, const struct reg_kind *k,
                          struct kn_error *err)
{
    /* SQLite sorts the keys in memory, on one thread, while they fit in
     * the page cache's size; with a small cache it sorts pieces on the
     * threads PRAGMA threads allows and merges them. With 4 MiB instead of
     * 256: contacts 1.6 -> 1.2 s, person pseudonyms 0.76 -> 0.34 s
     * (measured). The cache is restored after. */
    int64_t was = cache_size(im);
    char sql[256];
    int rc = 0;
    if (was != 0)
        rc = store_exec(im->s, "PRAGMA cache_size=-4096", err);
    for (const struct reg_index *x = k->indexes; rc == 0 && x->name != NULL; x++) {
        snprintf(sql, sizeof sql, "CREATE UNIQUE INDEX %s ON %s (%s)", x->name, k->table,
                 x->columns);
        rc = store_exec(im->s, sql, err);
        if (rc == KN_EINPUT)
            rc = kn_fail(err, REG_EREPEAT, "the rows repeat a record of %s (index %s)",
                         k->table, x->name);
        else if (rc != 0)
            kn_error_prefix(err, "rebuilding index %s: ", x->name);
    }
    if (was != 0) {
        snprintf(sql, sizeof sql, "PRAGMA cache_size=%lld", (long long)was);
        int rc2 = store_exec(im->s, sql, rc == 0 ? err : NULL);
        if (rc == 0)
            rc = rc2;
    }
    return rc;
}

int reg_bulk_leave(struct reg_import *im, size_t ki, struct kn_error *err)
{
    if (im->mode[ki] != MODE_BULK)
        return 0;
    im->mode[ki] = MODE_UPSERT;
    return create_indexes(im, &reg_kinds[ki], err);
}

/* Before looking records of table up by source_id: indexes must exist. */
int reg_bulk_ensure_indexed(struct reg_import *im, const char *table, struct kn_error *err)
{
    for (size_t i = 0; i < reg_nkinds; i++)
        if (strcmp(reg_kinds[i].table, table) == 0)
            return reg_bulk_leave(im, i, err);
    return 0;
}

/* At a kind's first row: bulk if its table is empty and may be bulk-loaded. */
int reg_bulk_decide(struct reg_import *im, size_t ki, struct kn_error *err)
{
    const struct reg_kind *k = &reg_kinds[ki];
    im->mode[ki] = MODE_UPSERT;
    if (k->indexes == NULL || !im->bulk_ok)
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
    rc = 0; /* the plain INSERT may be kept from an earlier file (no prepare) */

    struct strbuf q = STRBUF_INIT;
    size_t n = 0;
    sb_addf(&q, "INSERT INTO %s (", k->table);
    for (; k->db_cols[n] != NULL; n++)
        sb_addf(&q, "%s, ", k->db_cols[n]);
    sb_addstr(&q, "source_system, source_id) VALUES (");
    for (size_t i = 1; i <= n + 2; i++)
        sb_addf(&q, "$%zu%s", i, i < n + 2 ? ", " : ")");
    if (im->plain[ki] == NULL) /* kept from an earlier file of the session */
        rc = q.cap > 0 ? store_prepare(im->s, q.buf, &im->plain[ki], err)
                       : kn_fail(err, KN_ENOMEM, "out of memory");
    sb_release(&q);
    for (const struct reg_index *x = k->indexes; rc == 0 && x->name != NULL; x++) {
        snprintf(sql, sizeof sql, "DROP INDEX %s", x->name);
        rc = store_exec(im->s, sql, err);
    }
    if (rc == 0) {
        im->mode[ki] = MODE_BULK;
        im->fresh[ki] = true;
    }
    return rc;
}


/* A collision would only hide a repeated report. */
static uint64_t told_hash(const char *where, const char *reason)
{
    /* The NUL keeps ("ab", "c") apart from ("a", "bc"). */
    uint64_t h = kn_fnv1a(KN_FNV_SEED, where, strlen(where) + 1);
    return kn_fnv1a(h, reason, strlen(reason));
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

bool reg_import_tell(struct reg_import *im, const char *where, const char *reason)
{
    if (im->pass == 0)
        return true;
    uint64_t h = told_hash(where, reason);
    if (im->pass == 2)
        return im->told.h == NULL
               || bsearch(&h, im->told.h, im->told.n, sizeof h, cmp_u64) == NULL;
    if (im->told.n == im->told.cap) {
        size_t cap = im->told.cap ? im->told.cap * 2 : 256;
        uint64_t *n = realloc(im->told.h, cap * sizeof *n);
        if (n == NULL)
            return true; /* then a retry may tell it again */
        im->told.h = n;
        im->told.cap = cap;
    }
    im->told.h[im->told.n++] = h;
    return true;
}

int reg_import_attempt(struct reg_import *im, int (*body)(void *ctx, struct kn_error *err),
                       void *ctx, struct kn_error *err)
{
    if (im->bulk_ok) /* nested: the outer attempt settles */
        return body(ctx, err);
    int rc = store_exec(im->s, "SAVEPOINT reg_attempt", err);
    if (rc != 0)
        return rc;
    struct reg_import_stats before = im->stats;
    im->bulk_ok = true;
    im->pass = 1;
    im->told.n = 0;
    rc = body(ctx, err);
    /* Rebuilt even when the rows will be rolled back for rejected ones, so
     * that a repeat with different contents is reported with the rest. */
    for (size_t i = 0; rc == 0 && i < reg_nkinds; i++)
        rc = reg_bulk_leave(im, i, err);
    im->bulk_ok = false;
    if (rc == REG_EREPEAT) {
        rc = store_exec(im->s, "ROLLBACK TO reg_attempt", err);
        for (size_t i = 0; i < reg_nkinds; i++) {
            im->mode[i] = MODE_UNDECIDED; /* the DROPs are undone */
            im->fresh[i] = false;
        }
        reg_repeat_clear(im); /* the rows that wrote them are undone too */
        im->stats = before;
        if (rc == 0)
            rc = reg_import_reload(im, err);
        if (rc == 0) {
            if (im->told.n > 0)
                qsort(im->told.h, im->told.n, sizeof *im->told.h, cmp_u64);
            im->pass = 2;
            rc = body(ctx, err);
        }
    }
    im->pass = 0;
    /* Still a repeat: of rows an earlier doomed file left in bulk mode in
     * this transaction, which rolls back anyway. */
    if (rc == REG_EREPEAT)
        rc = KN_EINPUT;
    if (rc == 0)
        rc = store_exec(im->s, "RELEASE reg_attempt", err);
    else /* the caller rolls the transaction back */
        store_exec(im->s, "RELEASE reg_attempt", NULL);
    return rc;
}
