/* src/registry/reg_entry.h: one care record typed into a form.
 *
 * The portal's registration forms (src/web/care) store one record at a
 * time through the very same import session as `knod import`
 * (reg_import.h): the form's fields are the kind's CSV columns, the row
 * goes through reg_import_row(), so every rule of docs/import-format.md
 * holds for a form exactly as for a file, and a personnummer is validated
 * and replaced by its pseudonym the same way. There is no second copy of
 * any rule here; this module only adds what a form needs around the row:
 *  - a record that exists already (same source_system and source_id, or
 *    for persons the same person) is refused instead of updated, since a
 *    change to a stored record is a correction with its own history;
 *  - the caller's check (the user's scope, the audit entry) runs inside
 *    the session's transaction once the row is in, and may refuse it;
 *  - the column a rejection names is given back, so the form can put the
 *    error next to its field.
 * The session records an import run (file name "form", format "form"), the
 * store's change stamp, so the portal's results move on as after an import.
 *
 * Cost: reg_import_begin() loads the store's units into memory, and the
 * row's person is looked up by its pseudonym (reg_persons.c); a form is one
 * such session.
 */
#ifndef KNOD_REGISTRY_REG_ENTRY_H
#define KNOD_REGISTRY_REG_ENTRY_H

#include <stddef.h>

#include <jansson.h>

#include "base/date.h"
#include "base/error.h"
#include "domain/pseudo.h"
#include "registry/reg_import.h"
#include "store/store.h"

/* What a stored or refused entry gives back. */
struct reg_entry_result {
    int col;                            /* the column the error names, or -1 */
    char pseudonym[PSEUDO_HEX_LEN + 1]; /* the record's person ("" for units) */
    char warning[KN_ERROR_MAX];         /* the first warning of a stored row, or "" */
};

/* Called inside the transaction with the stored record's person (the
 * pseudonym, "" for units). Return 0 to commit, or a negative code with
 * err filled (and *col set to the column at fault, or left at -1) to roll
 * everything back. */
typedef int reg_entry_check(void *ctx, const char *pseudonym, int *col,
                            struct kn_error *err);

/* Store one row of kind k (fields[i]/lens[i] as reg_import_row(): column i
 * of the kind, NULL for absent). Returns 0 when stored; KN_EINPUT when the
 * import's rules refuse it; KN_EEXIST when the record is stored already;
 * whatever check returned; or a store error. res is always filled; err
 * never holds a personnummer. */
int reg_entry_add(struct store *s, const struct pseudo_key *key, const struct reg_kind *k,
                  const char *const *fields, const size_t *lens, reg_entry_check *check,
                  void *ctx, struct reg_entry_result *res, struct kn_error *err);

/* Correcting and deleting a stored record (reg_entry_change.c). Both
 * keep what the record held before in record_history (its export's
 * columns, reg_export_record(): the person by pseudonym, never a
 * personnummer), with actor and at, and record an import run, so the
 * results follow; check runs inside the transaction as for
 * reg_entry_add(). Both return KN_ENOTFOUND (res->col 1) when no record of
 * k has the source key.
 *
 * reg_entry_correct(): fields are a whole row as for reg_entry_add(), its
 * source key that of the record; the row goes through reg_import_row(),
 * which updates the record, under every rule of the import. KN_EINPUT also
 * when the row would change nothing, or would move the record to another
 * person (delete it and register it anew).
 *
 * reg_entry_delete(): reason must not be empty (the caller checks what
 * else a reason needs); KN_EINPUT when other records refer to this one
 * (a contact with its acts or measures: delete or correct those first). */
int reg_entry_correct(struct store *s, const struct pseudo_key *key,
                      const struct reg_kind *k, const char *const *fields,
                      const size_t *lens, const char *actor, kn_time at,
                      reg_entry_check *check, void *ctx, struct reg_entry_result *res,
                      struct kn_error *err);
int reg_entry_delete(struct store *s, const struct reg_kind *k, const char *system,
                     const char *id, const char *reason, const char *actor, kn_time at,
                     reg_entry_check *check, void *ctx, struct reg_entry_result *res,
                     struct kn_error *err);

/* The history of the person of pseudonym, oldest first: [{"kind",
 * "source_system", "source_id", "action", "old" (an object), "by", "at",
 * "reason"}] (*out new). */
int reg_entry_history(struct store *s, const char *pseudonym, json_t **out,
                      struct kn_error *err);

/* The column of k a row error names ("field 'end': ..."), or -1. */
int reg_entry_error_col(const struct reg_kind *k, const char *msg);

/* How a column of k is typed, for a form: "id", "text", "code", "time",
 * "date", "bool", "pnr", "icd10", "icd10_list", "municipality", "region",
 * "unit", "contact", "measure" or "step". */
const char *reg_kind_col_format(const struct reg_kind *k, size_t i);

/* The codes a "code" column takes (NULL-terminated), or NULL. */
const char *const *reg_kind_col_codes(const struct reg_kind *k, size_t i);

#endif /* KNOD_REGISTRY_REG_ENTRY_H */
