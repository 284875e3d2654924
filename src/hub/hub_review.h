/* src/hub/hub_review.h: what is said about a document on its way to
 * publication: reviewers' comments per section during internal review, the
 * organisations invited to the consultation round (remiss) and their
 * answers, and the impact assessment (konsekvensbeskrivning).
 *
 * Each record belongs to the document's current version and is allowed
 * only in the states hub_flow_may() names (a comment in review, an answer
 * in consultation, ...). A comment names its section by the anchor of one
 * of the current version's headings (hub_outline.h); an unknown anchor is
 * refused with the anchors there are. An answer comes only from an invited
 * organisation, once per version. Every free text (names, the comment, the
 * answer, the assessment) is screened for personnummer-shaped numbers
 * (domain/pnr_shape) and refused without echoing them, naming the line
 * for multi-line text. Records are never changed or removed (the store's
 * triggers refuse it). Each call is one transaction; text is UTF-8.
 */
#ifndef KNOD_HUB_HUB_REVIEW_H
#define KNOD_HUB_HUB_REVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"
#include "store/store.h"

/* The kinds of invited organisation: "region", "municipality",
 * "organisation". */
int hub_org_kind_valid(const char *kind);

/* Record author's comment on section (an anchor) of slug. 0, KN_ENOTFOUND
 * (no such document), KN_EINPUT (state, section, text), KN_ESTORE. */
int hub_comment(struct store *st, const char *slug, const char *section, const char *author,
                const char *text, kn_time now, struct kn_error *err);

/* Invite org (of kind) to the consultation on slug's current version;
 * inviting it twice is KN_EEXIST. */
int hub_invite(struct store *st, const char *slug, const char *org, const char *kind,
               const char *actor, kn_time now, struct kn_error *err);

/* Record org's answer (Markdown, from the file named name in messages).
 * KN_EINPUT if org was not invited to this version or already answered. */
int hub_answer(struct store *st, const char *slug, const char *org, const char *body,
               const char *name, const char *actor, kn_time now, struct kn_error *err);

/* Attach the impact assessment (Markdown, from the file name) to the
 * current version; a newer one replaces it in force, the old stays. */
int hub_impact(struct store *st, const char *slug, const char *body, const char *name,
               const char *actor, kn_time now, struct kn_error *err);

/* The same four in the caller's transaction (store_begin), so that the
 * caller can write the audit log in the same one (the portal's forms,
 * src/web/hub/web_hub_work_post.c). */
int hub_comment_in(struct store *st, const char *slug, const char *section,
                   const char *author, const char *text, kn_time now, struct kn_error *err);
int hub_invite_in(struct store *st, const char *slug, const char *org, const char *kind,
                  const char *actor, kn_time now, struct kn_error *err);
int hub_answer_in(struct store *st, const char *slug, const char *org, const char *body,
                  const char *name, const char *actor, kn_time now, struct kn_error *err);
int hub_impact_in(struct store *st, const char *slug, const char *body, const char *name,
                  const char *actor, kn_time now, struct kn_error *err);

/* Name user (a user of the portal, access_user) as a reviewer of slug's
 * internal review, or with remove no longer; actor names or removes.
 * Allowed in draft, review and revision (hub_flow_may), in the caller's
 * transaction (the caller writes the audit entry). 0, KN_ENOTFOUND (no
 * such document), KN_EINPUT (the state; no such user, or a disabled one;
 * not named, for remove), KN_EEXIST (named already), KN_ESTORE. */
int hub_reviewer_in(struct store *st, const char *slug, const char *user, bool remove,
                    const char *actor, kn_time now, struct kn_error *err);

struct hub_reviewer_row {
    const char *user, *named_by;
    kn_time at;
    bool commented; /* on the current version */
};

struct hub_comment_row {
    int version;
    kn_time at;
    const char *section, *author, *body;
};

struct hub_invite_row {
    int version;
    kn_time at;
    const char *org, *kind, *invited_by;
    const char *answer;     /* NULL if not answered */
    kn_time answered;       /* with answer */
    const char *answered_by; /* NULL if not answered */
};

struct hub_impact_row {
    int version;
    kn_time at;
    const char *by, *body;
};

/* Everything recorded about slug, every version, oldest first; impacts
 * only the one in force per version. Lives in a. */
struct hub_review {
    struct hub_comment_row *comments;
    size_t ncomments;
    struct hub_invite_row *invites;
    size_t ninvites;
    struct hub_impact_row *impacts;
    size_t nimpacts;
    struct hub_reviewer_row *reviewers; /* named, by name */
    size_t nreviewers;
};

int hub_review_get(struct store *st, const char *slug, struct hub_review *out,
                   struct arena *a, struct kn_error *err);

#endif /* KNOD_HUB_HUB_REVIEW_H */
