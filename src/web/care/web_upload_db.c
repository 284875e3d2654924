/* src/web/care/web_upload_db.c: the store's record of uploads
 * (web_upload_db.h). SQL with bound parameters only. */
#include <string.h>

#include "base/csv_write.h"
#include "web/care/web_upload_db.h"

#define COLS "id, file_name, format, kind, bytes, state, rows_total, rows_read, " \
             "rows_stored, rows_unchanged, rows_rejected, rows_warned, message, " \
             "created_at, finished_at, user_name"

/* One statement: prepare, bind by the callback's order, step to done. */
static int exec1(struct store *st, const char *sql, const char *const *texts, size_t nt,
                 const int64_t *ints, size_t ni, struct kn_error *err)
{
    struct store_stmt *q;
    int rc = store_prepare(st, sql, &q, err);
    if (rc != 0)
        return rc;
    int i = 1;
    for (size_t k = 0; k < nt; k++, i++)
        store_bind_text(q, i, texts[k], strlen(texts[k]));
    for (size_t k = 0; k < ni; k++, i++)
        store_bind_int(q, i, ints[k]);
    rc = store_step(q, err);
    store_finalize(q);
    return rc < 0 ? rc : 0;
}

int web_upload_db_add(struct store *st, int64_t user_id, const char *user_name,
                      const char *file_name, const char *format, const char *kind,
                      uint64_t bytes, uint64_t rows_total, kn_time now, int64_t *id,
                      struct kn_error *err)
{
    const char *t[] = { user_name, file_name, format, kind };
    const int64_t n[] = { user_id, (int64_t)bytes, (int64_t)rows_total, now };
    int rc = exec1(st,
                   "INSERT INTO upload (user_name, file_name, format, kind, user_id, bytes, "
                   "rows_total, created_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued')",
                   t, 4, n, 4, err);
    if (rc == 0)
        *id = store_last_insert_id(st);
    return rc;
}

int web_upload_db_running(struct store *st, int64_t id, uint64_t rows_total,
                          struct kn_error *err)
{
    const int64_t v[] = { (int64_t)rows_total, id };
    return exec1(st, "UPDATE upload SET state = 'running', rows_total = ? WHERE id = ?", NULL,
                 0, v, 2, err);
}

int web_upload_db_finish(struct store *st, int64_t id, const struct web_upload_outcome *o,
                         const struct web_upload_reject *rejects, size_t n, kn_time now,
                         struct kn_error *err)
{
    int rc = store_begin(st, err);
    if (rc != 0)
        return rc;
    const char *t[] = { o->state, o->message ? o->message : "" };
    const int64_t v[] = { (int64_t)o->rows_read, (int64_t)o->stored, (int64_t)o->unchanged,
                          (int64_t)o->rejected, (int64_t)o->warned, now, id };
    rc = exec1(st,
               "UPDATE upload SET state = ?, message = ?, rows_read = ?, rows_stored = ?, "
               "rows_unchanged = ?, rows_rejected = ?, rows_warned = ?, finished_at = ? "
               "WHERE id = ?",
               t, 2, v, 7, err);
    struct store_stmt *q = NULL;
    if (rc == 0)
        rc = store_prepare(st,
                           "INSERT INTO upload_reject (upload_id, seq, line, place, field, "
                           "reason, warning) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           &q, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const struct web_upload_reject *r = &rejects[i];
        store_bind_int(q, 1, id);
        store_bind_int(q, 2, (int64_t)i + 1);
        store_bind_int(q, 3, r->line);
        store_bind_text(q, 4, r->place, strlen(r->place));
        store_bind_text(q, 5, r->field, strlen(r->field));
        store_bind_text(q, 6, r->reason, strlen(r->reason));
        store_bind_int(q, 7, r->warning);
        rc = store_step(q, err);
        rc = rc < 0 ? rc : 0;
        store_reset(q);
    }
    store_finalize(q);
    if (rc == 0)
        return store_commit(st, err);
    store_rollback(st);
    return rc;
}

int web_upload_db_interrupted(struct store *st, const char *message, kn_time now,
                              int64_t *n, struct kn_error *err)
{
    const char *t[] = { message };
    int rc = exec1(st,
                   "UPDATE upload SET state = 'failed', message = ?, finished_at = ? "
                   "WHERE state IN ('queued', 'running')",
                   t, 1, &now, 1, err);
    *n = rc == 0 ? store_changes(st) : 0;
    return rc;
}

int web_upload_db_owner(struct store *st, int64_t id, int64_t *user_id, struct kn_error *err)
{
    struct store_stmt *q;
    int rc = store_prepare(st, "SELECT user_id FROM upload WHERE id = ?", &q, err);
    if (rc != 0)
        return rc;
    store_bind_int(q, 1, id);
    rc = store_step(q, err);
    if (rc == STORE_ROW)
        *user_id = store_col_int(q, 0);
    store_finalize(q);
    if (rc == STORE_DONE)
        return kn_fail(err, KN_ENOTFOUND, "no upload %lld", (long long)id);
    return rc < 0 ? rc : 0;
}

static json_t *row_json(struct store_stmt *q)
{
    static const char *const names[] = { "id", "file_name", "format", "kind", "bytes",
                                         "state", "rows_total", "rows_read", "stored",
                                         "unchanged", "rejected", "warnings", "message",
                                         "created_at", "finished_at", "user" };
    json_t *o = json_object();
    for (int i = 0; o && i < 16; i++) {
        json_t *v;
        if (store_col_is_null(q, i)) {
            v = json_null();
        } else if (i == 1 || i == 2 || i == 3 || i == 5 || i == 12 || i == 15) {
            v = json_string(store_col_text(q, i, NULL));
        } else if (i == 13 || i == 14) {
            char buf[20];
            time_format(store_col_int(q, i), buf);
            v = json_string(buf);
        } else {
            v = json_integer(store_col_int(q, i));
        }
        if (json_object_set_new(o, names[i], v) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

static int add_rejects(struct store *st, int64_t id, size_t max, json_t *o,
                       struct kn_error *err)
{
    struct store_stmt *q;
    json_t *list = json_array();
    int rc = list ? store_prepare(st,
                                  "SELECT line, place, field, reason, warning FROM "
                                  "upload_reject WHERE upload_id = ? ORDER BY seq LIMIT ?",
                                  &q, err)
                  : kn_fail(err, KN_ENOMEM, "out of memory");
    if (rc != 0) {
        json_decref(list);
        return rc;
    }
    json_object_set_new(o, "rejects", list);
    store_bind_int(q, 1, id);
    store_bind_int(q, 2, (int64_t)max);
    while ((rc = store_step(q, err)) == STORE_ROW) {
        json_t *r = json_pack("{s:I, s:s, s:s, s:s, s:b}", "line",
                              (json_int_t)store_col_int(q, 0), "place",
                              store_col_text(q, 1, NULL), "field", store_col_text(q, 2, NULL),
                              "reason", store_col_text(q, 3, NULL), "warning",
                              store_col_int(q, 4) != 0);
        if (!r || json_array_append_new(list, r) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
    }
    store_finalize(q);
    if (rc < 0)
        return rc;
    rc = store_prepare(st, "SELECT count(*) FROM upload_reject WHERE upload_id = ?", &q, err);
    if (rc != 0)
        return rc;
    store_bind_int(q, 1, id);
    rc = store_step(q, err);
    if (rc == STORE_ROW)
        json_object_set_new(o, "rejects_total", json_integer(store_col_int(q, 0)));
    store_finalize(q);
    return rc < 0 ? rc : 0;
}

int web_upload_db_get(struct store *st, int64_t id, size_t max_rejects, json_t **out,
                      struct kn_error *err)
{
    struct store_stmt *q;
    int rc = store_prepare(st, "SELECT " COLS " FROM upload WHERE id = ?", &q, err);
    if (rc != 0)
        return rc;
    store_bind_int(q, 1, id);
    rc = store_step(q, err);
    json_t *o = rc == STORE_ROW ? row_json(q) : NULL;
    store_finalize(q);
    if (rc == STORE_DONE)
        return kn_fail(err, KN_ENOTFOUND, "no upload %lld", (long long)id);
    if (rc < 0)
        return rc;
    if (!o)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    if (max_rejects > 0 && (rc = add_rejects(st, id, max_rejects, o, err)) != 0) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}

int web_upload_db_list(struct store *st, int64_t user_id, size_t limit, json_t **out,
                       struct kn_error *err)
{
    struct store_stmt *q;
    json_t *list = json_array();
    if (!list)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    int rc = store_prepare(st,
                           "SELECT " COLS " FROM upload WHERE user_id = ? "
                           "ORDER BY id DESC LIMIT ?",
                           &q, err);
    if (rc != 0) {
        json_decref(list);
        return rc;
    }
    store_bind_int(q, 1, user_id);
    store_bind_int(q, 2, (int64_t)limit);
    while ((rc = store_step(q, err)) == STORE_ROW) {
        json_t *o = row_json(q);
        if (!o || json_array_append_new(list, o) != 0) {
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

int web_upload_db_rejects_csv(struct store *st, int64_t id, struct strbuf *out,
                              struct kn_error *err)
{
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "SELECT line, place, field, reason, warning FROM upload_reject "
                           "WHERE upload_id = ? ORDER BY seq",
                           &q, err);
    if (rc != 0)
        return rc;
    sb_addstr(out, "line,place,field,reason,warning\n");
    store_bind_int(q, 1, id);
    while ((rc = store_step(q, err)) == STORE_ROW) {
        size_t l1, l2, l3;
        const char *place = store_col_text(q, 1, &l1), *field = store_col_text(q, 2, &l2),
                   *reason = store_col_text(q, 3, &l3);
        if (csvw_int(out, store_col_int(q, 0), 1) != 0 || csvw_text(out, place, l1, 0) != 0 ||
            csvw_text(out, field, l2, 0) != 0 || csvw_text(out, reason, l3, 0) != 0 ||
            csvw_int(out, store_col_int(q, 4), 0) != 0 || csvw_end(out) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
    }
    store_finalize(q);
    return rc < 0 ? rc : 0;
}
