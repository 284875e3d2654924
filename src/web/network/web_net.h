/* src/web/network/web_net.h: the network's pages and API (issue 15).
 *
 * One handler per page; each answers both its HTML route (through its
 * network_*.html template) and its /api/v1 route (the model as JSON), as
 * the public portal's pages do (web_pages.h). The models are built from
 * the network's own queries (src/network), never from SQL of their own:
 * the portal shows what `knod node list`, `knod unit list` and the others
 * print, turned into JSON by net_rows_json() as `--format json` is.
 *
 * Lists take ?format=csv or ?format=xlsx and answer the list as a
 * download instead (web_net_export); the columns are the CLI's.
 *
 * Access is the route table's (web_router.c, the network's section):
 * the inventory, events, trainings, activities and funding are public,
 * consultations are for their two parties only (docs/network.md, The
 * portal).
 */
#ifndef KNOD_WEB_NETWORK_WEB_NET_H
#define KNOD_WEB_NETWORK_WEB_NET_H

#include <jansson.h>

#include "base/date.h"
#include "network/net_rows.h"
#include "web/web_req.h"

/* ?format= of a list: absent, "" or "json" returns 0 (the caller builds
 * its model); "csv" or "xlsx" answers t as a download name.csv or
 * name.xlsx (text cells guarded against spreadsheet formulas) and returns
 * 200; anything else is a 400 naming format. 500 on failure. */
int web_net_export(struct web_req *rq, const struct net_rows *t, const char *name);

/* The day of query parameter name (YYYY-MM-DD), or def when it is absent
 * or empty. false after a 400 naming it (then *status is set). */
bool web_net_day(struct web_req *rq, const char *name, kn_day def, kn_day *out, int *status);

/* A failure rc of a network query as the answer: KN_ENOTFOUND a 404,
 * KN_EINPUT a 400 naming param with err's message (which never repeats a
 * personnummer), anything else a 500 (logged). Returns the status. */
int web_net_fail(struct web_req *rq, int rc, const struct kn_error *err, const char *param);

/* rq's model set to a new object holding t's rows under key; false when
 * out of memory. */
bool web_net_model(struct web_req *rq, const char *key, const struct net_rows *t);

/* Handlers (routes in web_router.c, the network's section). */
int web_net_nodes(struct web_req *rq);      /* web_net_inventory.c */
int web_net_groups(struct web_req *rq);     /* web_net_inventory.c */
int web_net_group(struct web_req *rq);      /* web_net_inventory.c */
int web_net_members(struct web_req *rq);    /* web_net_inventory.c */
int web_net_units(struct web_req *rq);      /* web_net_units.c */
int web_net_unit(struct web_req *rq);       /* web_net_units.c */
int web_net_trainings(struct web_req *rq);  /* web_net_programme.c */
int web_net_activities(struct web_req *rq); /* web_net_programme.c */
int web_net_funding(struct web_req *rq);    /* web_net_funding.c */
int web_net_events(struct web_req *rq);     /* web_net_events.c */
int web_net_event(struct web_req *rq);      /* web_net_events.c */
int web_net_event_register(struct web_req *rq); /* web_net_event_register.c */
int web_net_consultations(struct web_req *rq);  /* web_net_consult.c */
int web_net_consult_ask(struct web_req *rq);    /* web_net_consult.c */
int web_net_consultation(struct web_req *rq);   /* web_net_consult.c */
int web_net_consult_triage(struct web_req *rq); /* web_net_consult.c */
int web_net_consult_answer(struct web_req *rq); /* web_net_consult.c */
int web_net_consult_stats(struct web_req *rq);  /* web_net_consult_data.c */
/* The inventory's forms (web_net_unit_edit.c): GET/POST /units/new adds a
 * unit, GET/POST /units/{code}/change records a change as of a day, as
 * `knod unit add` and `knod unit update` (one set of rules, unit.h). */
int web_net_unit_new(struct web_req *rq);
int web_net_unit_new_post(struct web_req *rq);
int web_net_unit_change(struct web_req *rq);
int web_net_unit_change_post(struct web_req *rq);
int web_net_newsletter(struct web_req *rq);     /* web_net_newsletter.c */

#endif /* KNOD_WEB_NETWORK_WEB_NET_H */
