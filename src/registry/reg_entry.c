/* src/registry/reg_entry.c: one record from a form, through the import
 * session (reg_entry.h). A handful of queries around one reg_import_row(). */
#include "registry/reg_entry.h"

#include <stdio.h>
#include <string.h>

#include "registry/reg_import_impl.h"

static const char *const formats[] = {
    [RT_ID] = "id",
    [RT_TEXT] = "text",
    [RT_CODE] = "code",
    [RT_TIME] = "time",
    [RT_DATE] = "date",
    [RT_BOOL] = "bool",
    [RT_PNR] = "pnr",
    [RT_ICD10] = "icd10",
    [RT_ICD10_LIST] = "icd10_list",
    [RT_MUNICIPALITY] = "municipality",
    [RT_REGION] = "region",
    [RT_UNIT] = "unit",
    [RT_CONTACT] = "contact",
    [RT_MEASURE] = "measure",
    [RT_STEP] = "step",
    [RT_MONTH] = "month",
};

const char *reg_kind_col_format(const struct reg_kind *k, size_t i)
{
    return formats[k->cols[i].type];
}

const char *const *reg_kind_col_codes(const struct reg_kind *k, size_t i)
{
    return k->cols[i].type == RT_CODE ? k->cols[i].codes : NULL;
}

int reg_entry_error_col(const struct reg_kind *k, const char *msg)
{
    /* reg_field_fail() writes "field 'NAME': ..." */
    if (strncmp(msg, "field '", 7) != 0)
        return -1;
    const char *name = msg + 7, *end = strchr(name, '\'');
    if (end == NULL)
        return -1;
    for (size_t i = 0; i < k->ncols; i++)
        if (strlen(k->cols[i].name) == (size_t)(end - name) &&
            memcmp(k->cols[i].name, name, (size_t)(end - name)) == 0)
            return (int)i;
    return -1;
}

/* One integer or text from a query with the row's source key bound. */
static int query_key(struct store *s, const char *sql, const char *const *fields,
                     const size_t *lens, char *text, size_t cap, int64_t *num,
                     struct kn_error *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, sql, &st, err);
    if (rc != 0)
        return rc;
    if (fields != NULL) {
        store_bind_text(st, 1, fields[0], lens[0]);
        store_bind_text(st, 2, fields[1], lens[1]);
    }
    rc = store_step(st, err);
    if (rc == STORE_ROW) {
        if (num != NULL)
            *num = store_col_int(st, 0);
        if (text != NULL) {
            size_t len = 0;
            const char *t = store_col_text(st, 0, &len);
            snprintf(text, cap, "%.*s", (int)len, t ? t : "");
        }
    }
    store_finalize(st);
    return rc < 0 ? rc : rc == STORE_ROW ? 1 : 0;
}

int reg_entry_add(struct store *s, const struct pseudo_key *key, const struct reg_kind *k,
                  const char *const *fields, const size_t *lens, reg_entry_check *check,
                  void *ctx, struct reg_entry_result *res, struct kn_error *err)
{
    memset(res, 0, sizeof *res);
    res->col = -1;
    bool person = strcmp(k->table, "person") == 0;
    bool has_person = reg_kind_pnr_col(k) >= 0;
    char sql[256];
    struct reg_import *im = NULL;
    struct reg_import_options opt = {0};
    int rc = reg_import_begin(s, key, &opt, &im, err);
    if (rc != 0)
        return rc;
    int64_t before = 0, after = 0;
    if (person) {
        rc = query_key(s, "SELECT count(*) FROM person", NULL, NULL, NULL, 0, &before,
                       err);
    } else if (fields[0] != NULL && fields[1] != NULL && lens[0] > 0 && lens[1] > 0) {
        /* table: a constant of the kinds table, never input */
        snprintf(sql, sizeof sql,
                 "SELECT 1 FROM %s WHERE source_system = $1 AND "
                 "source_id = $2",
                 k->table);
        rc = query_key(s, sql, fields, lens, NULL, 0, NULL, err);
        if (rc == 1) {
            res->col = 1;
            rc = kn_fail(err, KN_EEXIST,
                         "field 'source_id': a record with this id is "
                         "stored already; correct it instead of registering it again");
        }
    }
    if (rc >= 0) {
        struct kn_error row_err = KN_ERROR_INIT;
        rc = reg_import_row(im, k, fields, lens, &row_err);
        if (rc != 0) {
            res->col = reg_entry_error_col(k, row_err.msg);
            *err = row_err;
        }
    }
    if (rc == 0 && person) {
        rc =
            query_key(s, "SELECT count(*) FROM person", NULL, NULL, NULL, 0, &after, err);
        if (rc >= 0 && after <= before) {
            res->col = reg_kind_pnr_col(k);
            rc =
                kn_fail(err, KN_EEXIST, "field 'pnr': this person is registered already");
        }
    }
    if (rc >= 0 && has_person) {
        snprintf(sql, sizeof sql,
                 person
                     ? "SELECT pseudonym FROM person WHERE source_system = $1 AND "
                       "source_id = $2 ORDER BY id DESC LIMIT 1"
                     : "SELECT p.pseudonym FROM %s t JOIN person p ON p.id = t.person_id "
                       "WHERE t.source_system = $1 AND t.source_id = $2",
                 k->table);
        int q = query_key(s, sql, fields, lens, res->pseudonym, sizeof res->pseudonym,
                          NULL, err);
        rc = q < 0    ? q
             : q == 0 ? kn_fail(err, KN_ESTORE, "the stored record vanished")
                      : 0;
    }
    if (rc >= 0) {
        const char *w = reg_import_row_warning(im, 0);
        if (w != NULL)
            snprintf(res->warning, sizeof res->warning, "%s", w);
    }
    if (rc >= 0 && check != NULL)
        rc = check(ctx, res->pseudonym, &res->col, err);
    rc = rc > 0 ? 0 : rc;
    struct kn_error fin = KN_ERROR_INIT;
    int rc2 = reg_import_finish(im, rc == 0, "form", k->name, "form", &fin);
    if (rc == 0 && rc2 != 0) {
        *err = fin;
        rc = rc2;
    }
    if (rc != 0) {
        res->pseudonym[0] = '\0';
        res->warning[0] = '\0';
        pnr_mask(err->msg, strlen(err->msg));
    }
    return rc;
}
