/* src/network/group.h: the national working group, the networks, their
 * members and meetings, and the gaps to fill.
 *
 * A group is the national working group (NAG, kind "working-group") or a
 * network such as the municipal suicide-prevention network (kind
 * "network"), national or tied to a knowledge node. It states the
 * professions it wants (GROUP_PROFESSIONS). A member holds one role
 * (GROUP_ROLES) for a term of days, with a share of working time in
 * percent (by default 20 for the chair, 10 for everyone else, 0 for
 * partners), a healthcare region (required for the chair, the process
 * leader and members) and a profession (required for members). A network
 * keeps its meetings: a day, a theme and a place.
 *
 * Gaps (group_gaps), as of a day, among the members whose term covers it:
 *   - "healthcare-region": one of the six healthcare regions without a
 *     chair, process leader or member;
 *   - "profession": a wanted profession no one holds;
 *   - "role": a working group without a chair, a process leader or the
 *     patient organisation's seat.
 * Each gap comes with the wanted profile: what a person filling it should
 * bring (the professions the group lacks, for a region's seat; the regions
 * without a member, for a profession), and the usual share of time.
 *
 * Free text is screened for personnummer-shaped numbers (net_text.h).
 * Strings in results live in the caller's arena.
 */
#ifndef KNOD_NETWORK_GROUP_H
#define KNOD_NETWORK_GROUP_H

#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"
#include "network/net_rows.h"
#include "store/store.h"

extern const char *const GROUP_KINDS[];       /* working-group, network */
extern const char *const GROUP_ROLES[];       /* chair, process-leader, member,
                                                 patient-organisation, partner,
                                                 international-partner */
extern const char *const GROUP_PROFESSIONS[]; /* psychiatrist, physician,
                                                 psychologist, nurse, social-worker,
                                                 counsellor, occupational-therapist,
                                                 teacher, researcher, manager,
                                                 peer-expert, other */

struct group_def {
    const char *code, *name, *kind;
    const char *node;        /* node code, or NULL for a national group */
    const char *professions; /* comma-separated, may be NULL */
    const char *purpose;     /* may be NULL */
};

/* Store a group. KN_EINPUT naming the option (--code, --name, --kind,
 * --node, --professions, --purpose), KN_EEXIST for a code in use,
 * KN_ENOTFOUND for an unknown node. */
int group_add(struct store *st, const struct group_def *d, struct kn_error *err);

/* Change group d->code: a field given (not NULL) replaces the stored one;
 * d->node "" makes the group national. A group keeps its kind (d->kind
 * given is refused). The checks are group_add's: KN_EINPUT naming the
 * option (--name, --professions, --purpose, --kind), KN_ENOTFOUND for no
 * such group or (prefixed --node) node. One statement: it may run in the
 * caller's transaction. */
int group_update(struct store *st, const struct group_def *d, struct kn_error *err);

/* The groups by code: code, name, kind, node, professions, purpose,
 * members (whose term covers day on). */
int group_list(struct store *st, kn_day on, struct net_rows *out, struct arena *a,
               struct kn_error *err);

struct group_member {
    const char *group; /* group code */
    const char *name, *role, *organisation;
    const char *healthcare_region; /* code or NULL */
    const char *profession;        /* or NULL */
    int share;                     /* percent, or -1 for the role's default */
    kn_day from, to;               /* the term, inclusive */
};

/* Add a member; *id gets its number. KN_EINPUT naming the option (--name,
 * --role, --organisation, --healthcare-region, --profession, --share,
 * --to), KN_ENOTFOUND for an unknown group. */
int group_member_add(struct store *st, struct group_member *m, int64_t *id,
                     struct kn_error *err);

/* Member id as stored, its strings in a (profession NULL when none).
 * KN_ENOTFOUND. */
int group_member_get(struct store *st, int64_t id, struct group_member *m,
                     struct arena *a, struct kn_error *err);

/* A change to a member: NULL (share -1, to_given false) keeps a field; ""
 * clears the healthcare region or the profession. */
struct group_member_patch {
    const char *role, *organisation, *healthcare_region, *profession;
    int share;     /* percent, or -1 */
    bool to_given; /* to replaces the term's last day */
    kn_day to;
    kn_day on; /* a new role: its first day */
};

/* Change member id. The merged member is checked as group_member_add
 * checks a new one (KN_EINPUT naming the option). A member holds one role
 * for a term, so a change of role keeps the history: the current term ends
 * the day before p->on (which must fall after its first day and within
 * the term) and a new member row holds the new role from p->on to the
 * term's end (or p->to), with the share given or the new role's default;
 * *new_id gets its number (id itself for any other change, which corrects
 * the row in place). KN_ENOTFOUND for no such member. Several statements:
 * run it in a transaction (store_begin) of the caller's. */
int group_member_update(struct store *st, int64_t id, const struct group_member_patch *p,
                        int64_t *new_id, struct arena *a, struct kn_error *err);

/* End member id's term on day (inclusive). KN_ENOTFOUND, or KN_EINPUT if
 * day is before the term begins. */
int group_member_end(struct store *st, int64_t id, kn_day day, struct kn_error *err);

/* The members of group (code) whose term covers day on, by role then
 * healthcare region then name: id, name, role, organisation,
 * healthcare_region, profession, share, from, to. */
int group_members(struct store *st, const char *group, kn_day on, struct net_rows *out,
                  struct arena *a, struct kn_error *err);

/* The gaps of group as of day on (see above): gap, what, wanted. */
int group_gaps(struct store *st, const char *group, kn_day on, struct net_rows *out,
               struct arena *a, struct kn_error *err);

/* Record a meeting of group on day with theme (required) and place. */
int group_meeting_add(struct store *st, const char *group, kn_day day, const char *theme,
                      const char *place, struct kn_error *err);

/* The meetings of group, by day: date, theme, place. */
int group_meetings(struct store *st, const char *group, struct net_rows *out,
                   struct arena *a, struct kn_error *err);

#endif /* KNOD_NETWORK_GROUP_H */
