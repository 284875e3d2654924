/* src/web/access/web_page_account.c: "my account" (GET /account and
 * /api/v1/account): who is signed in, their role and scope, how and since
 * when, with sign-out and sign-out everywhere, and the reminders of the
 * yearly review of the documents the user owns (web_hub_review.c; the
 * page only: /api/v1/reviews has them as JSON). Route: signed-in. */
#include <stdio.h>

#include "access/access_session.h"
#include "web/web_csrf.h"
#include "web/web_model.h"
#include "web/hub/web_hub.h"
#include "web/web_pages.h"

int web_page_account(struct web_req *rq)
{
    const struct access_session *s = rq->session;
    const struct access_user *u = &s->user;
    char key[32], since[20];
    time_format(s->created, since);
    rq->model = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s}", "name", u->name, "role",
                          access_role_name(u->role), "scope", access_scope_name(u->scope),
                          "scope_code", u->scope_code, "via", s->via, "since", since);
    if (!rq->model)
        return 500;
    if (!rq->api) {
        const char *csrf = web_csrf_token(rq);
        snprintf(key, sizeof key, "role_%s", access_role_name(u->role));
        if (!csrf || !web_sets(rq->model, "role_text", web_t(rq, key)) ||
            !web_sets(rq->model, "csrf", csrf))
            return 500;
        snprintf(key, sizeof key, "scope_%s", access_scope_name(u->scope));
        if (!web_sets(rq->model, "scope_text", web_t(rq, key)))
            return 500;
        /* links to the pages of the role (their routes decide access) */
        if (!web_set(rq->model, "is_admin", json_boolean(u->role == ROLE_ADMIN)) ||
            !web_set(rq->model, "is_coordinator", json_boolean(u->role == ROLE_COORDINATOR)))
            return 500;
        snprintf(key, sizeof key, "account_via_%s", s->via);
        if (!web_sets(rq->model, "via_text", web_t(rq, key)))
            return 500;
        json_t *reviews;
        if (web_hub_reviews_model(rq, &reviews) != 200 || !web_set(rq->model, "reviews", reviews))
            return 500;
    }
    return 200;
}
