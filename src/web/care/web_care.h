/* src/web/care/web_care.h: the person-level care pages (issue 13):
 * registration forms, and (other files of this folder) worklists and
 * uploads. Handlers of the route table (web_router.c), as web_pages.h.
 */
#ifndef KNOD_WEB_CARE_WEB_CARE_H
#define KNOD_WEB_CARE_WEB_CARE_H

#include "web/web_req.h"

/* Registration forms (web_care_register.c, docs/registration.md):
 * GET /register lists the kinds; GET /register/{kind} is the form of one
 * kind; POST /register/{kind} stores the record through the import's
 * rules (registry/reg_entry.h) and answers 303 to the form with the
 * stored record's pseudonym, or the form again with its errors. */
int web_care_register_index(struct web_req *rq);
int web_care_register_form(struct web_req *rq);
int web_care_register_post(struct web_req *rq);

#endif /* KNOD_WEB_CARE_WEB_CARE_H */
