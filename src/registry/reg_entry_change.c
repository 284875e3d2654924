/* src/registry/reg_entry_change.c: correcting and deleting one stored
 * record with its history (reg_entry.h). A handful of statements per
 * change: the record's values before (reg_export_record), the change, a
 * row of record_history and one of import_run, in one transaction. */
#include "registry/reg_entry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/reg_export.h"
#include "registry/reg_import_impl.h"

/* The person (person.id) of k's record with the source key, or 0; < 0 on
 * a store error. The table name is a constant of the kinds table. */
static int64_t record_person(struct store *s, const struct reg_kind *k,
                             const char *system, size_t slen, const char *id, size_t ilen,
                             struct kn_error *err)
{
    char sql[200];
    struct store_stmt *q = NULL;
    snprintf(sql, sizeof sql,
             "SELECT %s FROM %s WHERE source_system = $1 AND "
             "source_id = $2 ORDER BY id DESC LIMIT 1",
             strcmp(k->table, "person") == 0 ? "id" : "person_id", k->table);
    int rc = store_prepare(s, sql, &q, err);
    if (rc != 0)
        return rc;
    store_bind_text(q, 1, system, slen);
    store_bind_text(q, 2, id, ilen);
    rc = store_step(q, err);
    int64_t pid = rc == STORE_ROW ? store_col_int(q, 0) : 0;
    store_finalize(q);
    return rc < 0 ? rc : pid;
}

static int person_pseudonym(struct store *s, int64_t pid, char out[PSEUDO_HEX_LEN + 1],
                            struct kn_error *err)
{
    struct store_stmt *q = NULL;
    out[0] = '\0';
    int rc = store_prepare(s, "SELECT pseudonym FROM person WHERE id = $1", &q, err);
    if (rc != 0)
        return rc;
    store_bind_int(q, 1, pid);
    rc = store_step(q, err);
    if (rc == STORE_ROW)
        snprintf(out, PSEUDO_HEX_LEN + 1, "%s", store_col_text(q, 0, NULL));
    store_finalize(q);
    return rc < 0 ? rc : 0;
}

/* The row of record_history, and the import run that tells the portal
 * the store changed. */
static int note_change(struct store *s, const struct reg_kind *k, int64_t pid,
                       const char *system, size_t slen, const char *id, size_t ilen,
                       const char *action, const json_t *old, const char *actor,
                       kn_time at, const char *reason, bool run, struct kn_error *err)
{
    char *text = json_dumps(old, JSON_COMPACT | JSON_PRESERVE_ORDER);
    struct store_stmt *q = NULL;
    if (text == NULL)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    int rc =
        store_prepare(s,
                      "INSERT INTO record_history (kind, person_id, source_system, "
                      "source_id, action, old_values, changed_by, changed_at, reason) "
                      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                      &q, err);
    if (rc == 0) {
        store_bind_text(q, 1, k->name, strlen(k->name));
        if (pid > 0)
            store_bind_int(q, 2, pid);
        else
            store_bind_null(q, 2);
        store_bind_text(q, 3, system, slen);
        store_bind_text(q, 4, id, ilen);
        store_bind_text(q, 5, action, strlen(action));
        store_bind_text(q, 6, text, strlen(text));
        store_bind_text(q, 7, actor, strlen(actor));
        store_bind_int(q, 8, at);
        if (reason != NULL)
            store_bind_text(q, 9, reason, strlen(reason));
        else
            store_bind_null(q, 9);
        rc = store_step(q, err);
        rc = rc < 0 ? rc : 0;
    }
    store_finalize(q);
    free(text);
    if (rc != 0 || !run)
        return rc;
    rc =
        store_prepare(s,
                      "INSERT INTO import_run (started_at, file_name, kind, format, "
                      "rows_read, rows_stored, rows_rejected) VALUES (CURRENT_TIMESTAMP, "
                      "'form', $1, 'form', 1, 1, 0)",
                      &q, err);
    if (rc == 0) {
        store_bind_text(q, 1, k->name, strlen(k->name));
        rc = store_step(q, err);
        rc = rc < 0 ? rc : 0;
    }
    store_finalize(q);
    return rc;
}

int reg_entry_correct(struct store *s, const struct pseudo_key *key,
                      const struct reg_kind *k, const char *const *fields,
                      const size_t *lens, const char *actor, kn_time at,
                      reg_entry_check *check, void *ctx, struct reg_entry_result *res,
                      struct kn_error *err)
{
    memset(res, 0, sizeof *res);
    res->col = -1;
    struct reg_import *im = NULL;
    struct reg_import_options opt = {0};
    json_t *old = NULL;
    char sys[65], id[65];
    snprintf(sys, sizeof sys, "%.*s", (int)(lens[0] < 64 ? lens[0] : 64), fields[0]);
    snprintf(id, sizeof id, "%.*s", (int)(lens[1] < 64 ? lens[1] : 64), fields[1]);
    int rc = reg_import_begin(s, key, &opt, &im, err);
    if (rc != 0)
        return rc;
    int64_t before = 0, after = 0;
    rc = reg_export_record(s, k, sys, id, &old, err);
    if (rc == KN_ENOTFOUND) {
        res->col = 1;
        rc = kn_fail(err, KN_ENOTFOUND,
                     "field 'source_id': no record of this kind has "
                     "this id in this source system");
    }
    if (rc == 0) {
        int64_t p = record_person(s, k, fields[0], lens[0], fields[1], lens[1], err);
        rc = p < 0 ? (int)p : 0;
        before = p;
    }
    if (rc == 0) {
        struct kn_error row_err = KN_ERROR_INIT;
        rc = reg_import_row(im, k, fields, lens, &row_err);
        if (rc != 0) {
            res->col = reg_entry_error_col(k, row_err.msg);
            *err = row_err;
        } else if (reg_import_get_stats(im)->stored == 0) {
            rc = kn_fail(err, KN_EINPUT, "the correction changes nothing");
        }
    }
    if (rc == 0) {
        int64_t p = record_person(s, k, fields[0], lens[0], fields[1], lens[1], err);
        rc = p < 0 ? (int)p : 0;
        after = p;
        if (rc == 0 && after != before) {
            res->col = reg_kind_pnr_col(k);
            rc =
                kn_fail(err, KN_EINPUT,
                        "field 'pnr': a correction keeps the record's "
                        "person; delete the record and register it for the other person");
        }
    }
    if (rc == 0)
        rc = note_change(s, k, before, fields[0], lens[0], fields[1], lens[1], "correct",
                         old, actor, at, NULL, false, err);
    if (rc == 0 && before > 0)
        rc = person_pseudonym(s, before, res->pseudonym, err);
    if (rc == 0 && check != NULL)
        rc = check(ctx, res->pseudonym, &res->col, err);
    json_decref(old);
    struct kn_error fin = KN_ERROR_INIT;
    int rc2 = reg_import_finish(im, rc == 0, "form", k->name, "form", &fin);
    if (rc == 0 && rc2 != 0) {
        *err = fin;
        rc = rc2;
    }
    if (rc != 0) {
        res->pseudonym[0] = '\0';
        pnr_mask(err->msg, strlen(err->msg));
    }
    return rc;
}

int reg_entry_delete(struct store *s, const struct reg_kind *k, const char *system,
                     const char *id, const char *reason, const char *actor, kn_time at,
                     reg_entry_check *check, void *ctx, struct reg_entry_result *res,
                     struct kn_error *err)
{
    memset(res, 0, sizeof *res);
    res->col = -1;
    if (reason == NULL || reason[0] == '\0')
        return kn_fail(err, KN_EINPUT, "a deletion needs a reason");
    json_t *old = NULL;
    int64_t pid = 0;
    int rc = store_begin(s, err);
    if (rc != 0)
        return rc;
    rc = reg_export_record(s, k, system, id, &old, err);
    if (rc == KN_ENOTFOUND) {
        res->col = 1;
        rc = kn_fail(err, KN_ENOTFOUND,
                     "field 'source_id': no record of this kind has "
                     "this id in this source system");
    }
    if (rc == 0) {
        pid = record_person(s, k, system, strlen(system), id, strlen(id), err);
        rc = pid < 0 ? (int)pid : 0;
    }
    if (rc == 0 && pid > 0)
        rc = person_pseudonym(s, pid, res->pseudonym, err);
    if (rc == 0) {
        char sql[160];
        struct store_stmt *q = NULL;
        snprintf(sql, sizeof sql,
                 "DELETE FROM %s WHERE source_system = $1 AND source_id = $2", k->table);
        rc = store_prepare(s, sql, &q, err);
        if (rc == 0) {
            store_bind_text(q, 1, system, strlen(system));
            store_bind_text(q, 2, id, strlen(id));
            rc = store_step(q, err);
            rc = rc < 0 ? rc : 0;
        }
        store_finalize(q);
        if (rc == KN_EINPUT) /* a foreign key: other records refer to it */
            rc = kn_fail(err, KN_EINPUT,
                         "other records refer to this one; delete or "
                         "correct them first");
    }
    if (rc == 0)
        rc = note_change(s, k, pid, system, strlen(system), id, strlen(id), "delete", old,
                         actor, at, reason, true, err);
    if (rc == 0 && check != NULL)
        rc = check(ctx, res->pseudonym, &res->col, err);
    json_decref(old);
    if (rc == 0)
        rc = store_commit(s, err);
    if (rc != 0) {
        store_rollback(s);
        res->pseudonym[0] = '\0';
        pnr_mask(err->msg, strlen(err->msg));
    }
    return rc;
}

int reg_entry_history(struct store *s, const char *pseudonym, json_t **out,
                      struct kn_error *err)
{
    struct store_stmt *q = NULL;
    json_t *list = json_array();
    *out = NULL;
    if (list == NULL)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    int rc = store_prepare(s,
                           "SELECT h.kind, h.source_system, h.source_id, h.action, "
                           "h.old_values, h.changed_by, h.changed_at, h.reason "
                           "FROM record_history h JOIN person p ON p.id = h.person_id "
                           "WHERE p.pseudonym = $1 ORDER BY h.id",
                           &q, err);
    if (rc != 0) {
        json_decref(list);
        return rc;
    }
    store_bind_text(q, 1, pseudonym, strlen(pseudonym));
    while ((rc = store_step(q, err)) == STORE_ROW) {
        char when[20];
        time_format(store_col_int(q, 6), when);
        json_t *old = json_loads(store_col_text(q, 4, NULL), 0, NULL);
        json_t *e = json_pack(
            "{s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s?}", "kind",
            store_col_text(q, 0, NULL), "source_system", store_col_text(q, 1, NULL),
            "source_id", store_col_text(q, 2, NULL), "action", store_col_text(q, 3, NULL),
            "old", old ? old : json_object(), "by", store_col_text(q, 5, NULL), "at",
            when, "reason", store_col_is_null(q, 7) ? NULL : store_col_text(q, 7, NULL));
        if (e == NULL || json_array_append_new(list, e) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
    }
    store_finalize(q);
    if (rc < 0) {
        json_decref(list);
        return rc;
    }
    *out = list;
    return 0;
}
