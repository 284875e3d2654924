/* src/web/hub/web_hub_work.h: the document workflow in the portal, for
 * signed-in staff (issue 14; docs/hub.md, "The workflow in the portal").
 *
 * What was `knod docs` only: draft -> review (comments per section) ->
 * the NPO's decision -> consultation (invitations, answers, the impact
 * assessment) -> revision -> the NPO's decision to publish -> published
 * -> yearly review -> archived. Every rule stays where the command has
 * it: the steps in hub_flow (hub_move_in), the records in hub_review
 * (hub_comment_in, ...), a new version's text in hub_doc_parse,
 * hub_doc_check_links, the safe-messaging lint and hub_import_in. Who may
 * post what is the route table's (src/web/web_router.c, the workflow's
 * block); each POST is audited in the same transaction as its change.
 *
 *   /documents/work, /api/v1/documents/work      the documents in process
 *       by state (draft, review, consultation, revision), each with its
 *       owner and reviewers (who commented on its current version), and
 *       the published documents whose yearly review is due within
 *       WEB_HUB_REVIEW_NOTICE_DAYS                 (web_hub_work.c)
 *   /documents/{id}/work, /api/v1/documents/{id}/work   one document: its
 *       state, history, the steps allowed from here, its text, comments
 *       per section, invitations and answers, impact assessment
 *   POST /documents/{id}/work/step     the owner's steps (to review, back
 *       to draft, to revision, archived); fields to, decision, note
 *   POST /documents/{id}/work/decide   the programme office's: the NPO's
 *       decisions (to consultation, to published) and closing the
 *       consultation round (to revision)
 *   POST /documents/{id}/work/comment  section, text (in review)
 *   POST /documents/{id}/work/invite   org, kind
 *   POST /documents/{id}/work/answer   org, text (Markdown)
 *   POST /documents/{id}/work/impact   text (Markdown)
 *   POST /documents/{id}/work/version  text: the whole file, front matter
 *       and Markdown, as `knod docs import` reads it (draft, revision)
 *                                                  (web_hub_work_post.c)
 * A refused form comes back as the page (200) with the error summary and
 * each error at its field, the values kept (masked where they hold
 * something shaped like a personnummer); a done one is 303 to the page.
 */
#ifndef KNOD_WEB_HUB_WEB_HUB_WORK_H
#define KNOD_WEB_HUB_WEB_HUB_WORK_H

#include <stdbool.h>

#include <jansson.h>

#include "web/web_req.h"

int web_hub_work(struct web_req *rq);      /* web_hub_work.c */
int web_hub_work_doc(struct web_req *rq);  /* web_hub_work.c */
int web_hub_work_step(struct web_req *rq); /* web_hub_work_post.c */
int web_hub_work_decide(struct web_req *rq);
int web_hub_work_comment(struct web_req *rq);
int web_hub_work_invite(struct web_req *rq);
int web_hub_work_answer(struct web_req *rq);
int web_hub_work_impact(struct web_req *rq);
int web_hub_work_version(struct web_req *rq);
/* POST /documents/{id}/work/reviewer: user named as a reviewer, or with
 * remove=1 no longer (hub_reviewer_in), audited (document-reviewer). */
int web_hub_work_reviewer(struct web_req *rq);

/* A refused form's errors and values for the document page. fields are
 * the form's field ids ("comment_text", "step_published_decision", ...):
 * errors {id: text}, values {id: value}; summary [{field, text}] links
 * them (field: "f-" and the id). */
struct web_hub_work_form {
    json_t *errors, *values, *summary;
};

/* rq's model: document {id}'s workflow page, with form's errors and
 * values when form is non-NULL. 200, 404 or 500. */
int web_hub_work_page(struct web_req *rq, const struct web_hub_work_form *form);

/* Is the step from -> to the programme office's (the NPO's decisions and
 * closing the consultation round), posted to /work/decide, rather than
 * the owner's (/work/step)? */
bool web_hub_work_is_decision(int from, int to);

#endif /* KNOD_WEB_HUB_WEB_HUB_WORK_H */
