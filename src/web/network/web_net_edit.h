/* src/web/network/web_net_edit.h: the network's editing forms in the
 * portal (issue 15): nodes, groups, members and trainings, added and
 * changed as `knod node|group|member|training add|update` do, and a
 * training's participants uploaded as `knod training participants` loads
 * them.
 *
 * Every form posts the command's options by their names ("name",
 * "regions", "healthcare-region", ...), and every POST calls the same
 * function of src/network as the command, so the portal and the CLI obey
 * one set of rules: an error names its option ("--share: ..."), which
 * names the form's field. A refused form comes back in the GOV.UK error
 * pattern (a summary linking the fields, each error at its field) with
 * the values posted, anything shaped like a personnummer masked. The
 * change and its audit entry (node-add, node-change, group-add,
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

#include <jansson.h>
#include <stdbool.h>

#include "access/access_user.h"
#include "base/date.h"
#include "web/web_req.h"

/* One field of a form: its option name (without "--"), how it is shown,
 * and for a select or boxes its choices (NULL-terminated). The label is
 * the message "ne_f_NAME" ('-' as '_'), the hint "ne_h_NAME". */
enum ne_kind { NE_TEXT, NE_AREA, NE_SELECT, NE_CHECKS, NE_FILE };
struct ne_field {
    const char *name;
    enum ne_kind kind;
    const char *const *choices;
    bool required;
};

#define NE_MAX 12

/* A form's state: its fields, values ("" none) and errors. */
struct ne_form {
    const struct ne_field *fields;
    size_t n;
    const char *v[NE_MAX];
    const char *e[NE_MAX];
    json_t *summary; /* [{field, text}] */
    const char *action, *heading, *intro, *submit, *back;
};

/* fm with fields f[0..n) and every value "". */
void ne_init(struct ne_form *fm, const struct ne_field *f, size_t n);

/* The posted values into fm->v (a group of boxes as a comma list). */
void ne_read(struct web_req *rq, struct ne_form *fm);

/* The value of field name as the library takes it: NULL when empty. */
const char *ne_get(const struct ne_form *fm, const char *name);

/* An error at field name (the first one if there is no such field): at
 * the field and in the summary. */
void ne_error(struct web_req *rq, struct ne_form *fm, const char *name, const char *text);

/* A refusal of the library (KN_EINPUT, KN_EEXIST, KN_ENOTFOUND of a named
 * option): the field its message names ("--share: ..." is field share),
 * the error the field's label and the message's reason. */
void ne_refused(struct web_req *rq, struct ne_form *fm, const char *msg);

/* Run fn(st, arg, err) and rq's audit entry (action, *subject as it is
 * once fn has run, detail) in one transaction. 0 when stored; 1 when
 * refused (fm has errors already, or fn refused: its message goes to its
 * field by ne_refused, nothing stored); 500 on another failure. */
struct store;
struct kn_error;
int ne_store(struct web_req *rq, struct ne_form *fm,
             int (*fn)(struct store *, void *, struct kn_error *), void *arg,
             const char *action, const char *const *subject, const char *detail);

/* The fields given (not empty) as "--a, --b": an audit entry's detail. */
const char *ne_given(struct web_req *rq, const struct ne_form *fm);

/* rq's model: the form (template network_edit_form). Returns the
 * status. */
int ne_render(struct web_req *rq, struct ne_form *fm);

/* Is a day field given and valid (YYYY-MM-DD)? *out gets it; an empty
 * field gives dflt; a bad one sets the field's error and returns false. */
bool ne_day(struct web_req *rq, struct ne_form *fm, const char *name, kn_day dflt,
            kn_day *out);

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
