/* src/web/web_pages.h: the handlers of the route table (web_router.c).
 *
 * One file per page or API resource (web_page_*.c, web_api_*.c); each
 * handler builds ONE model (web_req.h) and returns the HTTP status. The
 * same handler answers the HTML route (rendered through its template) and
 * the /api/v1 route (the model as JSON).
 */
#ifndef KNOD_WEB_WEB_PAGES_H
#define KNOD_WEB_WEB_PAGES_H

#include "web/web_req.h"

int web_page_start(struct web_req *rq);      /* portal/web_page_start.c */
int web_page_catalogue(struct web_req *rq);  /* portal/web_page_catalogue.c */
int web_page_indicator(struct web_req *rq);  /* portal/web_page_indicator.c */
int web_page_regions(struct web_req *rq);    /* portal/web_page_region.c */
int web_page_region(struct web_req *rq);     /* portal/web_page_region.c */
int web_api_municipalities(struct web_req *rq); /* portal/web_page_region.c */
int web_page_overview(struct web_req *rq);   /* portal/web_page_overview.c */
int web_page_about(struct web_req *rq);      /* portal/web_page_about.c */
int web_page_downloads(struct web_req *rq);  /* portal/web_page_about.c */
int web_api_results(struct web_req *rq);     /* portal/web_api_results.c */
int web_api_status(struct web_req *rq);      /* portal/web_api_results.c */
int web_api_openapi(struct web_req *rq);     /* web_static.c */
int web_static_file(struct web_req *rq);     /* web_static.c */
int web_page_events_ics(struct web_req *rq); /* network/web_page_events_ics.c */
/* sign-in, sessions, users and person-level pages (issue 13) */
int web_page_login(struct web_req *rq);       /* access/web_page_signin.c */
int web_page_login_post(struct web_req *rq);  /* access/web_page_signin.c */
int web_page_logout(struct web_req *rq);      /* access/web_page_signin.c */
int web_page_signout_all(struct web_req *rq); /* access/web_page_signin.c */
int web_page_oidc_start(struct web_req *rq);    /* access/web_page_oidc.c */
int web_page_oidc_callback(struct web_req *rq); /* access/web_page_oidc.c */
int web_page_account(struct web_req *rq);     /* access/web_page_account.c */
int web_page_admin_users(struct web_req *rq);   /* access/web_page_admin.c */
int web_page_admin_disable(struct web_req *rq); /* access/web_page_admin.c */
int web_page_admin_enable(struct web_req *rq);  /* access/web_page_admin.c */
int web_page_admin_audit(struct web_req *rq);   /* access/web_page_admin.c */
int web_page_person(struct web_req *rq);         /* care/web_page_person.c */
int web_page_purpose(struct web_req *rq);        /* care/web_page_person.c */
int web_page_emergency(struct web_req *rq);      /* care/web_page_person.c */
int web_page_emergency_post(struct web_req *rq); /* care/web_page_person.c */
int web_page_review(struct web_req *rq);         /* access/web_page_review.c */
int web_page_review_done(struct web_req *rq);    /* access/web_page_review.c */

#endif /* KNOD_WEB_WEB_PAGES_H */
