/* src/web/care/web_care.h: the person-level care pages (issue 13):
 * registration forms, the care-pathway worklists and (other files of this
 * folder) uploads. Handlers of the route table (web_router.c), as
 * web_pages.h; each page is scoped by the signed-in user's scope.
 */
#ifndef KNOD_WEB_CARE_WEB_CARE_H
#define KNOD_WEB_CARE_WEB_CARE_H

#include <stdbool.h>

#include <jansson.h>

#include "registry/reg_import.h"
#include "web/web_req.h"

/* Registration forms (web_care_register.c, docs/registration.md):
 * GET /register lists the kinds; GET /register/{kind} is the form of one
 * kind; POST /register/{kind} stores the record through the import's
 * rules (registry/reg_entry.h) and answers 303 to the form with the
 * stored record's pseudonym, or the form again with its errors. */
int web_care_register_index(struct web_req *rq);
int web_care_register_form(struct web_req *rq);
int web_care_register_post(struct web_req *rq);

/* Corrections and deletions (web_care_change.c): the routes name the
 * person ({pseudonym}, "@person" in the route table) and the record by
 * ?kind=&system=&id= (GET) or the form's fields (POST).
 * GET /persons/{pseudonym}/correct is the record's form filled with its
 * values; POST stores the correction (reg_entry_correct) and answers 303
 * to the person. GET /persons/{pseudonym}/delete asks for the reason;
 * POST deletes (reg_entry_delete). Audited "correct" and "delete"; the
 * forms are person-level views (the purpose first, audited). */
int web_care_correct_form(struct web_req *rq);
int web_care_correct_post(struct web_req *rq);
int web_care_delete_form(struct web_req *rq);
int web_care_delete_post(struct web_req *rq);

/* ---- shared by the files of src/web/care ---- */

/* The kind of a form by name (the persons and the care records), or NULL. */
const struct reg_kind *web_care_kind(const char *name);

/* How web_care_form() renders the form of a kind. */
struct web_care_form_opts {
    const char *action;    /* where it posts */
    const char *title;     /* the heading before the kind's name */
    const json_t *prefill; /* values by column (a correction), or NULL: the posted
                            * form on a POST, else the defaults */
    bool correct;          /* the source key is shown read-only */
    const char *pseudonym; /* the person (a correction), or NULL */
};

/* The form's model (template care_register) with errors[col] at the fields
 * (NULL: none) and the summary [{field, text}] (taken over, may be NULL).
 * A personnummer is never filled in; other values are shown masked. */
int web_care_form(struct web_req *rq, const struct reg_kind *k,
                  const struct web_care_form_opts *o, const char *const *errors,
                  json_t *summary);

/* The words of a rejected row for the form: the field's label and the
 * import's reason (without "field 'x': "), in rq's arena. */
const char *web_care_field_error(struct web_req *rq, const struct reg_kind *k, int col,
                                 const char *msg);

/* reg_entry_check for the forms: the person (a new person's home region)
 * within the user's scope (KN_EPERM if not), then the audit entry action
 * with the kind, source key and reason (if any) as detail. */
struct web_care_check_ctx {
    struct web_req *rq;
    const struct reg_kind *k;
    const char *source_system, *source_id;
    const char *action; /* "register", "correct", "delete" */
    const char *reason; /* a deletion's, or NULL */
};
int web_care_check(void *arg, const char *pseudonym, int *col, struct kn_error *err);
/* Uploads (web_care_upload.c, docs/registration.md, Uploads): GET
 * /upload is the form and the user's recent uploads; POST /upload takes
 * the streamed file (web_req.upload), queues its import and answers 303
 * to GET /upload/{id}, the status page (refreshing itself while the
 * import runs; also /api/v1/uploads/{id}), whose reject report
 * GET /upload/{id}/rejects.csv gives whole. */
int web_care_upload_form(struct web_req *rq);
int web_care_upload_post(struct web_req *rq);
int web_care_upload_status(struct web_req *rq);
int web_care_upload_rejects(struct web_req *rq);

/* GET /worklist and /api/v1/worklist[?as_of=YYYY-MM-DD]: the persons of
 * the user's scope whose next pathway step is due or overdue, most
 * overdue first (engine/eng_due.h), each linked to the audited person page. */
int web_page_worklist(struct web_req *rq);

/* GET /worklist/units and /api/v1/worklist/units[?as_of=]: the same per
 * unit of the scope (due, overdue, by step) and the units whose reporting
 * is late or incomplete. */
int web_page_worklist_units(struct web_req *rq);

#endif /* KNOD_WEB_CARE_WEB_CARE_H */
