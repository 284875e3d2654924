/* src/web/network/web_net_edit.h: the network's editing forms in the
 * portal (issue 15): nodes, groups, members and trainings, added and
 * changed as `knod node|group|member|training add|update` do, and a
 * training's participants uploaded as `knod training participants` loads
 * them.
 *
 * Every form is one of the form layer (web_net_form.h, included here):
 * it posts the command's options by their names ("name", "regions",
 * "healthcare-region", ...), and every POST calls the same function of
 * src/network as the command. The change and its audit entry (node-add,
 * node-change, group-add,
 * group-change, member-add, member-change, training-add,
 * training-change, training-participants) are one transaction; then 303
 * to the object's page. CSRF is the dispatcher's, as for every POST.
 *
 * Who may is the route table's (web_router.c, the network's editing
 * block; docs/network.md, Editing the network in the portal): nodes and
 * new groups an administrator; a group, its members and a member's term
 * the coordinator of the region hosting the group's node, or an
 * administrator (rules @group and @member, web_net_edit_allows); trainings
 * a coordinator or an administrator, a coordinator's participant rows
 * limited to the coordinator's regions.
 */
#ifndef KNOD_WEB_NETWORK_WEB_NET_EDIT_H
#define KNOD_WEB_NETWORK_WEB_NET_EDIT_H

#include <stdbool.h>

#include "access/access_user.h"
#include "web/network/web_net_form.h"
#include "web/web_req.h"

/* The rules @group and @member of the route table: u may edit group
 * {code} (or, with member, the group of member {id}) when u is an
 * administrator or the group's knowledge node is hosted by a region within
 * u's scope (a national group: administrators only). 0 allowed, 403, 404
 * (no such group or member, rq->error set) or 500. */
int web_net_edit_allows(struct web_req *rq, const struct access_user *u, bool member);

/* Handlers (routes in web_router.c, the network's editing block). */
int web_net_node_new(struct web_req *rq); /* web_net_edit_node.c */
int web_net_node_new_post(struct web_req *rq);
int web_net_node_change(struct web_req *rq);
int web_net_node_change_post(struct web_req *rq);
int web_net_node(struct web_req *rq);      /* GET /api/v1/nodes/{code} */
int web_net_group_new(struct web_req *rq); /* web_net_edit_group.c */
int web_net_group_new_post(struct web_req *rq);
int web_net_group_change(struct web_req *rq);
int web_net_group_change_post(struct web_req *rq);
int web_net_member_new(struct web_req *rq); /* web_net_edit_member.c */
int web_net_member_new_post(struct web_req *rq);
int web_net_member_change(struct web_req *rq);
int web_net_member_change_post(struct web_req *rq);
int web_net_member(struct web_req *rq);       /* GET /api/v1/members/{id} */
int web_net_training_new(struct web_req *rq); /* web_net_edit_training.c */
int web_net_training_new_post(struct web_req *rq);
int web_net_training_change(struct web_req *rq);
int web_net_training_change_post(struct web_req *rq);
int web_net_training(struct web_req *rq);     /* GET /api/v1/trainings/{id} */
int web_net_participants(struct web_req *rq); /* web_net_edit_participants.c */
int web_net_participants_post(struct web_req *rq);

#endif /* KNOD_WEB_NETWORK_WEB_NET_EDIT_H */
