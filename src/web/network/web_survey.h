/* src/web/network/web_survey.h: the surveys' portal pages (issue 15,
 * docs/network.md "Surveys"). Handlers of the route table (web_router.c),
 * as web_pages.h.
 */
#ifndef KNOD_WEB_NETWORK_WEB_SURVEY_H
#define KNOD_WEB_NETWORK_WEB_SURVEY_H

#include "web/web_req.h"

/* Answering (web_survey_answer.c), public: the token in the path is the
 * credential. GET /s/{token} is the questionnaire as a form (one fieldset
 * and legend per question, sv or en), or a page saying that the survey is
 * closed or the invitation used; an unknown token is 404. POST
 * /s/{token} (CSRF-checked by the dispatcher) stores the answer and
 * answers 303 to GET /s/{token}?answered=1, or the form again with the
 * GOV.UK error pattern (a summary linking to each question, the error at
 * the question, the values kept). */
int web_survey_form(struct web_req *rq);
int web_survey_post(struct web_req *rq);

/* The results (web_survey_report.c), coordinators and admins: GET
 * /surveys and /api/v1/surveys list the surveys; GET /surveys/{id} and
 * /api/v1/surveys/{id} give one survey's results per question under the
 * disclosure rule (survey/survey_report.h), a bar chart per question with
 * its table, the free text, and the change from the survey before it. */
int web_survey_list(struct web_req *rq);
int web_survey_report(struct web_req *rq);

#endif /* KNOD_WEB_NETWORK_WEB_SURVEY_H */
