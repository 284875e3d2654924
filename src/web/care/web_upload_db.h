/* src/web/care/web_upload_db.h: the store's record of uploads (tables
 * upload and upload_reject, migration 0023).
 *
 * An upload is written when its file has arrived (state "queued"), marked
 * "running" when the worker starts it, and finished once, with its counts,
 * its outcome in words and its reject report (line, place, field, reason:
 * the import's words, a personnummer masked), in one transaction. The status page, its CSV
 * report and the API read it from here, so they survive a restart; a
 * server that stops in the middle of an import leaves it "failed" at the
 * next start (web_upload_db_interrupted), since the import's transaction
 * was rolled back.
 */
#ifndef KNOD_WEB_CARE_WEB_UPLOAD_DB_H
#define KNOD_WEB_CARE_WEB_UPLOAD_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/date.h"
#include "base/error.h"
#include "base/strbuf.h"
#include "store/store.h"

/* One line of a reject report. */
struct web_upload_reject {
    int64_t line;      /* 0 when the source has none (a bundle's entry) */
    char *place;       /* FHIR: "entry[3] Encounter/abc (period.start)", or "" */
    char *field;       /* the column, or "" */
    char *reason;
    bool warning;      /* a stored row's warning, not a rejection */
};

/* What an upload became. */
struct web_upload_outcome {
    const char *state; /* "stored", "rejected" or "failed" */
    uint64_t rows_read, stored, unchanged, rejected, warned;
    const char *message;
};

/* A new upload, queued: *id. */
int web_upload_db_add(struct store *st, int64_t user_id, const char *user_name,
                      const char *file_name, const char *format, const char *kind,
                      uint64_t bytes, uint64_t rows_total, kn_time now, int64_t *id,
                      struct kn_error *err);

/* Mark id running, with the rows counted in its file (0: unknown). */
int web_upload_db_running(struct store *st, int64_t id, uint64_t rows_total,
                          struct kn_error *err);

/* Finish id with o and its n rejects, in one transaction. */
int web_upload_db_finish(struct store *st, int64_t id, const struct web_upload_outcome *o,
                         const struct web_upload_reject *rejects, size_t n, kn_time now,
                         struct kn_error *err);

/* Every upload still queued or running (a server stopped in its middle)
 * becomes failed with message; *n how many. */
int web_upload_db_interrupted(struct store *st, const char *message, kn_time now,
                              int64_t *n, struct kn_error *err);

/* The uploader of id: 0 and *user_id; KN_ENOTFOUND. */
int web_upload_db_owner(struct store *st, int64_t id, int64_t *user_id,
                        struct kn_error *err);

/* id as a JSON object {id, file_name, format, kind, bytes, state, rows_total,
 * rows_read, stored, unchanged, rejected, warnings, message, created_at,
 * finished_at, user} and with max_rejects > 0 "rejects": [{line, place,
 * field, reason, warning}] (at most max_rejects) and "rejects_total".
 * *out new; KN_ENOTFOUND. */
int web_upload_db_get(struct store *st, int64_t id, size_t max_rejects, json_t **out,
                      struct kn_error *err);

/* The user's latest uploads, newest first, at most limit, as objects of
 * web_upload_db_get() without rejects (*out a new array). */
int web_upload_db_list(struct store *st, int64_t user_id, size_t limit, json_t **out,
                       struct kn_error *err);

/* The reject report of id as CSV: line,place,field,reason,warning. */
int web_upload_db_rejects_csv(struct store *st, int64_t id, struct strbuf *out,
                              struct kn_error *err);

#endif /* KNOD_WEB_CARE_WEB_UPLOAD_DB_H */
