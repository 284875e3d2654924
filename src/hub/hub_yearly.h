/* src/hub/hub_yearly.h: the yearly review of published documents and who
 * it falls to.
 *
 * Publishing a document sets its next review a year ahead (hub.h). When
 * the day comes the document's owner reviews whether it needs revising:
 * if so, the workflow's published -> revision step (hub_move) starts the
 * next version; if not, hub_yearly_reviewed_in() records that, and the
 * next review is due a year after the day of the review.
 *
 * Who owns a document: its owner is the free text of its front matter
 * ("Nationella arbetsgruppen"). A user owns the documents whose owner is
 * the user's name exactly, and those whose owner an administrator has
 * linked to the user (hub_owner_link; table hub_owner_user, migration
 * 0022). Names are compared exactly, case and spaces included. The rule
 * lives here, in hub_yearly_owns() and the user filter of
 * hub_yearly_due(), and nowhere else.
 *
 * Sizes: tens to a few hundred documents and a handful of links; lists
 * are read whole into the caller's arena.
 */
#ifndef KNOD_HUB_HUB_YEARLY_H
#define KNOD_HUB_HUB_YEARLY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"
#include "hub/hub.h"
#include "store/store.h"

/* The days between two yearly reviews. */
#define HUB_REVIEW_DAYS 365

/* Link owner (a document's owner text: 1-200 bytes of UTF-8 on one line,
 * no personnummer-shaped number) to the user named user, recorded as done
 * by `by` at now. KN_EINPUT for a bad owner, KN_ENOTFOUND for an unknown
 * user, KN_EEXIST if already linked. */
int hub_owner_link(struct store *st, const char *owner, const char *user, const char *by,
                   kn_time now, struct kn_error *err);

/* Remove the link. KN_ENOTFOUND if there is none. */
int hub_owner_unlink(struct store *st, const char *owner, const char *user,
                     struct kn_error *err);

struct hub_owner_row {
    const char *owner, *user, *linked_by;
    kn_time linked;
    int documents; /* documents (not archived) with this owner */
};

/* Every link, by owner and user. */
int hub_owner_links(struct store *st, struct hub_owner_row **out, size_t *n,
                    struct arena *a, struct kn_error *err);

/* Does the user named user own document slug (the rule above)? 0 with
 * *owns, or KN_ENOTFOUND when there is no document slug. */
int hub_yearly_owns(struct store *st, const char *slug, const char *user, bool *owns,
                    struct kn_error *err);

/* Published documents whose yearly review is due on or before until, by
 * due date then slug, each as its current (published) version. owner
 * non-NULL: only documents with exactly that owner text; user non-NULL:
 * only documents the user named user owns. Strings live in a. */
int hub_yearly_due(struct store *st, kn_day until, const char *owner, const char *user,
                   struct hub_version **out, size_t *n, struct arena *a,
                   struct kn_error *err);

/* Record that the yearly review of slug, done by actor at now, found no
 * need to revise it: the workflow's rule (hub_flow_may, HUB_ACT_YEARLY)
 * allows it only while the document is published; the next review is due
 * HUB_REVIEW_DAYS after the day of now (*due), and the workflow history
 * gets an entry published -> published with the note ("yearly review: no
 * revision needed", and note if non-empty: one line, at most 500 bytes,
 * no personnummer-shaped number). Runs in the caller's transaction, so
 * that the caller can audit it in the same one. KN_ENOTFOUND, KN_EINPUT. */
int hub_yearly_reviewed_in(struct store *st, const char *slug, const char *note,
                           const char *actor, kn_time now, kn_day *due,
                           struct kn_error *err);

#endif /* KNOD_HUB_HUB_YEARLY_H */
