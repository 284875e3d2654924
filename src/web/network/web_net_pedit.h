/* src/web/network/web_net_pedit.h: the programme's objects edited in the
 * portal (issue 15): development activities, their funding, and events,
 * with an event's registrations for its organiser (docs/network.md, The
 * portal: who may edit what).
 *
 * Every form's fields are the options of the command that does the same
 * (`knod activity add|update|fund`, `knod events add|update`), named
 * alike ("title", "start", "allocated", ...), read into the same structs
 * and checked and stored by the same functions (network/activity.h,
 * network/event.h), so that a form and the command obey one set of rules.
 * An error of those functions names its option ("--title: ..."), which
 * names the form's field; a refused form comes back with the user's input
 * (masked where it holds something shaped like a personnummer), an error
 * at the field and a summary linking it (the GOV.UK error pattern). Each
 * change and its audit entry are one transaction.
 *
 * The forms are of the network's one form layer (web_net_form.h), in the
 * words of data/i18n/net_programme_edit.csv (keys "pedit", worded
 * refusals: "pedit_e_<form>_<field>", "pedit_e_<field>").
 */
#ifndef KNOD_WEB_NETWORK_WEB_NET_PEDIT_H
#define KNOD_WEB_NETWORK_WEB_NET_PEDIT_H

#include "access/access_session.h"
#include "web/web_req.h"

/* Handlers (routes in web_router.c, the network's section, the block of
 * the programme's editing). */
int web_net_pedit_activity(struct web_req *rq);          /* GET one activity (and JSON) */
int web_net_pedit_activity_new(struct web_req *rq);      /* GET /activities/new */
int web_net_pedit_activity_new_post(struct web_req *rq); /* POST /activities/new */
int web_net_pedit_activity_change(struct web_req *rq);   /* GET /activities/{id}/change */
int web_net_pedit_activity_change_post(struct web_req *rq);
int web_net_pedit_funding(struct web_req *rq); /* GET /activities/{id}/funding */
int web_net_pedit_funding_post(struct web_req *rq);
int web_net_pedit_event_new(struct web_req *rq); /* GET /events/new */
int web_net_pedit_event_new_post(struct web_req *rq);
int web_net_pedit_event_change(struct web_req *rq); /* GET /events/{id}/change */
int web_net_pedit_event_change_post(struct web_req *rq);
int web_net_pedit_registrations(
    struct web_req *rq); /* GET the registrations (and JSON) */

/* The route rules (web_router.c's @activity and @event): 0 when u may,
 * 403 when not, 404 (rq->error set) for no such object or an {id} that is
 * no number, 500 on a failure.
 * @activity: an administrator; a coordinator whose scope holds the
 * activity's region (its own, else its node's host region); a national
 * activity is an administrator's only.
 * @event: an administrator, or the user who added the event in the portal
 * (its organiser there). */
int web_net_pedit_activity_allows(struct web_req *rq, const struct access_user *u);
int web_net_pedit_event_allows(struct web_req *rq, const struct access_user *u);

#endif /* KNOD_WEB_NETWORK_WEB_NET_PEDIT_H */
