/* src/registry/reg_status.c: counting what the store holds. A handful of
 * aggregate queries; on 10 million rows a few seconds (full scans). */
#include "registry/reg_status.h"

#include <stdio.h>
#include <string.h>

#include "domain/pnr_shape.h"
#include "registry/reg_import.h"

static char *dup_col(struct store_stmt *st, int i, struct arena *a)
{
    size_t len = 0;
    const char *t = store_col_text(st, i, &len);
    return arena_strndup(a, t, len);
}

int reg_status_read(struct store *s, struct arena *a, size_t max_runs,
                    struct reg_status *st, struct kn_error *err)
{
    struct store_stmt *q = NULL;
    int rc = 0;
    memset(st, 0, sizeof *st);

    st->kinds = arena_calloc(a, reg_kind_count(), sizeof *st->kinds);
    if (st->kinds == NULL)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    for (size_t i = 0; i < reg_kind_count(); i++) {
        const struct reg_kind *k = reg_kind_at(i);
        char sql[128];
        /* The table name comes from the constant kinds table. */
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", reg_kind_table(k));
        if ((rc = store_prepare(s, sql, &q, err)) != 0)
            return rc;
        rc = store_step(q, err);
        st->kinds[i].kind = reg_kind_name(k);
        st->kinds[i].rows = rc == STORE_ROW ? store_col_int(q, 0) : 0;
        store_finalize(q);
        if (rc < 0)
            return rc;
    }
    st->nkinds = reg_kind_count();

    rc = store_prepare(s,
        "SELECT r.code, r.name,"
        " (SELECT count(*) FROM person p WHERE p.region_code = r.code),"
        " (SELECT count(DISTINCT a.person_id) FROM self_harm_act a"
        "   JOIN person p ON p.id = a.person_id WHERE p.region_code = r.code)"
        " FROM region r ORDER BY r.code", &q, err);
    if (rc != 0)
        return rc;
    st->regions = arena_calloc(a, 32, sizeof *st->regions);
    while (st->regions != NULL && st->nregions < 32 && (rc = store_step(q, err)) == STORE_ROW) {
        struct reg_status_region *r = &st->regions[st->nregions++];
        r->code = dup_col(q, 0, a);
        r->name = dup_col(q, 1, a);
        r->persons = store_col_int(q, 2);
        r->persons_with_self_harm = store_col_int(q, 3);
    }
    store_finalize(q);
    if (rc < 0)
        return rc;

    rc = store_prepare(s, "SELECT min(start_time), max(start_time) FROM contact", &q, err);
    if (rc != 0)
        return rc;
    if ((rc = store_step(q, err)) == STORE_ROW && !store_col_is_null(q, 0)) {
        st->first_event = store_col_int(q, 0);
        st->last_event = store_col_int(q, 1);
    }
    store_finalize(q);
    if (rc < 0)
        return rc;

    rc = store_prepare(s,
        "SELECT started_at, file_name, kind, rows_read, rows_stored, rows_rejected "
        "FROM import_run ORDER BY id DESC LIMIT $1", &q, err);
    if (rc != 0)
        return rc;
    store_bind_int(q, 1, (int64_t)max_runs);
    st->runs = arena_calloc(a, max_runs ? max_runs : 1, sizeof *st->runs);
    while (st->runs != NULL && (rc = store_step(q, err)) == STORE_ROW) {
        struct reg_status_run *r = &st->runs[st->nruns++];
        r->started_at = dup_col(q, 0, a);
        /* Stored masked since migration 0006; masked here too for a store
         * opened read-only before that migration ran (domain/pnr_shape.h). */
        char *file_name = dup_col(q, 1, a);
        if (file_name != NULL)
            pnr_mask(file_name, strlen(file_name));
        r->file_name = file_name;
        r->kind = dup_col(q, 2, a);
        r->rows_read = store_col_int(q, 3);
        r->rows_stored = store_col_int(q, 4);
        r->rows_rejected = store_col_int(q, 5);
    }
    store_finalize(q);
    if (st->regions == NULL || st->runs == NULL)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    return rc < 0 ? rc : 0;
}
