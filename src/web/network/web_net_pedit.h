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
 * The shared form model (web_net_pedit_form.c) renders every form through
 * network_pedit_form.html.
 */
#ifndef KNOD_WEB_NETWORK_WEB_NET_PEDIT_H
#define KNOD_WEB_NETWORK_WEB_NET_PEDIT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

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

/* The path's {id} as a positive number, or 0 when it is none. */
int64_t web_net_pedit_id(struct web_req *rq);

/* --- the shared form (web_net_pedit_form.c) --------------------------- */

#define PEDIT_MAX 16

enum pedit_kind { PEDIT_TEXT, PEDIT_AREA, PEDIT_SELECT, PEDIT_CHECK };

struct pedit_field {
    const char *name; /* the command's option without "--" */
    enum pedit_kind kind;
    bool required;
    const char *const *options; /* select: the values (NULL-terminated); NULL
                                   with region set: the user's regions */
    bool region;                /* select: the regions in the user's scope */
};

struct pedit_form {
    const char *form; /* "activity", "funding", "event": message keys */
    const struct pedit_field *fields;
    size_t n;
    const char *action;  /* where it posts */
    const char *heading; /* the page's heading (already in words) */
    const char *intro;
    const char *submit;
    const char *back;         /* a link back, or NULL */
    json_t *extra;            /* more of the model (borrowed), or NULL */
    const char *v[PEDIT_MAX]; /* the values shown or posted ("" none) */
    const char *e[PEDIT_MAX]; /* the error at each field, or NULL */
    json_t *summary;          /* [{field, text}] */
};

/* f with fields, every value "". */
void web_net_pedit_init(struct pedit_form *f, const char *form,
                        const struct pedit_field *fields, size_t n);

/* rq's model: the form, its values, errors and summary; 200 or 500. */
int web_net_pedit_render(struct web_req *rq, struct pedit_form *f);

/* The posted values into f->v ("" for a field not posted; a checkbox
 * "1" when ticked, else ""). */
void web_net_pedit_read(struct web_req *rq, struct pedit_form *f);

/* The index of field name, or -1. */
int web_net_pedit_field(const struct pedit_form *f, const char *name);

/* An error at field i (the first one stays): at the field and in the
 * summary, linking it. */
void web_net_pedit_error(struct web_req *rq, struct pedit_form *f, int i,
                         const char *text);

/* The error of a refused form from the message of a network function:
 * the field its option names ("--title: ..."; the first field if it names
 * none of the form's), in the portal's words (pedit_e_<field>, or
 * pedit_e_pnr when the value holds something shaped like a personnummer). */
void web_net_pedit_refused(struct web_req *rq, struct pedit_form *f, const char *msg);

/* f->v[i] or NULL when it is empty (an option not given). */
const char *web_net_pedit_given(const struct pedit_form *f, int i);

#endif /* KNOD_WEB_NETWORK_WEB_NET_PEDIT_H */
