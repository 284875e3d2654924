/* src/web/network/web_survey_edit.h: surveys built, sent, closed and
 * linked in the portal (issue 15; docs/network.md, "Surveys in the
 * portal"), without JavaScript, one form post a step, on the network's form
 * layer (web_net_edit.h: the GOV.UK error pattern, the change and its audit
 * entry in one transaction).
 *
 *   /surveys/new, /surveys/new/file, /surveys/new/example
 *       a new survey in draft: from nothing (code, title, intro,
 *       anonymous), from a questionnaire file as `knod survey create` takes
 *       it, or from one of the shipped examples (data/examples/surveys).
 *       Audited survey-add. /surveys/{id}/change: its title, intro and
 *       anonymity while unsent, audited survey-change. (web_survey_new.c)
 *   /surveys/{id}/edit, /api/v1/surveys/{id}/edit
 *       the survey's page: its questions with the steps that change them,
 *       and the ways on (preview, send, close, link, results); the JSON is
 *       the questionnaire as a file. (web_survey_draft.c)
 *   /surveys/{id}/questions/new, /surveys/{id}/questions/{n}/change,
 *   /surveys/{id}/questions/{n}/move, /surveys/{id}/questions/{n}/remove
 *       a question added, changed, moved up or down, removed (n from 1).
 *       Audited survey-change. (web_survey_question.c)
 *   /surveys/{id}/preview
 *       the form as a respondent sees it (web_survey_answer.c's model).
 *   /surveys/{id}/send, /surveys/{id}/links.csv
 *       invitations to units, a region or a training: the links shown once
 *       in the POST's answer, and the same links as CSV from the page's
 *       own form (the server keeps no token). Audited survey-send.
 *       (web_survey_send.c)
 *   /surveys/{id}/close, /surveys/{id}/link
 *       closing (confirmed) and the survey before (pre/post). Audited
 *       survey-close, survey-link. (web_survey_close.c)
 *
 * Who may (web_router.c, the surveys' block): coordinators and
 * administrators make surveys; the rule @survey lets the survey's maker
 * (survey_creator) or an administrator change, send, close and link it;
 * a coordinator sends only to units and a region within the scope.
 */
#ifndef KNOD_WEB_NETWORK_WEB_SURVEY_EDIT_H
#define KNOD_WEB_NETWORK_WEB_SURVEY_EDIT_H

#include <stdint.h>

#include "access/access_user.h"
#include "survey/survey.h"
#include "web/network/web_net_edit.h"
#include "web/web_req.h"

/* The rule @survey: u made survey {id} in the portal, or u is an
 * administrator. 0, 403, 404 (rq->error set) or 500. */
int web_survey_allows(struct web_req *rq, const struct access_user *u);

/* The route's survey {id}: *si in rq's arena; 0, 404 or 500. */
int web_survey_load(struct web_req *rq, struct survey_info *si);

/* A refusal of the questionnaire's reader ("NAME: questions[2].text.sv:
 * reason", "NAME: code: ...") at its form field ("q-text-sv",
 * "survey-code"), else at the form's first field with the whole message. */
void web_survey_refused(struct web_req *rq, struct ne_form *fm, const char *name,
                        const char *msg);

/* err->msg becomes "--FIELD: reason" (reason may be err->msg itself), as
 * ne_refused takes it: a library's refusal put at a form's field. */
struct kn_error;
void web_survey_field_msg(struct kn_error *err, const char *field, const char *reason);

/* Store the questionnaire q (a JSON object; stolen) of survey id as a step
 * of the form fm, audited survey-change with detail. 0 stored, 1 refused
 * (fm has the errors), 500. */
int web_survey_store(struct web_req *rq, struct ne_form *fm, int64_t id, json_t *q,
                     const char *detail);

/* The questions of si as the answering form shows them (rq->model gets
 * them, as web_survey_form's: "questions", "title", "intro", ...). */
int web_survey_preview_model(struct web_req *rq, const struct survey_info *si);

int web_survey_new(struct web_req *rq); /* web_survey_new.c */
int web_survey_new_post(struct web_req *rq);
int web_survey_new_file(struct web_req *rq);
int web_survey_new_file_post(struct web_req *rq);
int web_survey_new_example(struct web_req *rq);
int web_survey_new_example_post(struct web_req *rq);
int web_survey_change(struct web_req *rq);
int web_survey_change_post(struct web_req *rq);
int web_survey_edit(struct web_req *rq); /* web_survey_draft.c */
int web_survey_preview(struct web_req *rq);
int web_survey_question_new(struct web_req *rq); /* web_survey_question.c */
int web_survey_question_new_post(struct web_req *rq);
int web_survey_question_change(struct web_req *rq);
int web_survey_question_change_post(struct web_req *rq);
int web_survey_question_move(struct web_req *rq);
int web_survey_question_remove(struct web_req *rq);
int web_survey_send(struct web_req *rq); /* web_survey_send.c */
int web_survey_send_post(struct web_req *rq);
int web_survey_links_csv(struct web_req *rq);
int web_survey_close(struct web_req *rq); /* web_survey_close.c */
int web_survey_close_post(struct web_req *rq);
int web_survey_link(struct web_req *rq);
int web_survey_link_post(struct web_req *rq);

#endif /* KNOD_WEB_NETWORK_WEB_SURVEY_EDIT_H */
