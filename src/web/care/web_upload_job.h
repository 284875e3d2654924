/* src/web/care/web_upload_job.h: the uploads' worker, one background
 * thread that imports uploaded files one at a time.
 *
 * POST /upload records the upload (web_upload_db.h, "queued") and hands
 * its temporary file here; the worker marks it "running", imports it as
 * `knod import` imports one file (registry/reg_import.h: ONE transaction,
 * the whole file stored or, with any rejected row, nothing of it), with
 * every row limited to the uploader's scope (reg_import_options.scope,
 * access_scope.h), then records the outcome and the reject report, audits
 * it ("upload-done") and removes the file. The import records an import
 * run like the command does, so the portal's results follow at their next
 * refresh.
 *
 * While an upload is queued or running, web_uploads_progress() tells how
 * far it is (rows read, and the rows counted in the file beforehand); the
 * store has the rest. The worker uses its own store connection
 * (web_db.h). Thread-safe.
 */
#ifndef KNOD_WEB_CARE_WEB_UPLOAD_JOB_H
#define KNOD_WEB_CARE_WEB_UPLOAD_JOB_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "access/access_user.h"
#include "base/error.h"

struct web_app;
struct web_uploads;

/* An upload to import: the uploader as signed in, and the file. */
struct web_upload_job {
    int64_t id;              /* the upload's row */
    char path[PATH_MAX];     /* the temporary file; the worker removes it */
    char file_name[256];     /* as shown (masked) */
    char format[8];          /* "csv" or "fhir" */
    char kind[32];           /* CSV: the kind's name */
    int64_t user_id;
    char user_name[128];
    enum access_role role;
    enum access_scope scope;
    char scope_code[72];     /* "" for the nation */
};

/* Start the worker for app (whose db and audit key it uses). Uploads left
 * queued or running by a server that stopped are marked failed first. */
int web_uploads_new(struct web_uploads **out, const struct web_app *app,
                    struct kn_error *err);

/* Queue job (copied). The worker owns job->path from now on, also when
 * this fails (KN_ENOMEM: the file is removed). */
int web_uploads_submit(struct web_uploads *u, const struct web_upload_job *job,
                       struct kn_error *err);

/* How far upload id is: true while it is queued or running, with *running,
 * *rows_read and *rows_total (0 if not known); false when the worker has
 * no such upload (done, or never here: read the store). */
bool web_uploads_progress(struct web_uploads *u, int64_t id, bool *running,
                          uint64_t *rows_read, uint64_t *rows_total);

/* Wait for the running import, drop the queued ones (their files are
 * removed; the next start marks them failed), stop the thread, free u.
 * NULL is fine. */
void web_uploads_free(struct web_uploads *u);

#endif /* KNOD_WEB_CARE_WEB_UPLOAD_JOB_H */
