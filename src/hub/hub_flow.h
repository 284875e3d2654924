/* src/hub/hub_flow.h: the workflow of a knowledge-support document, the
 * national knowledge-management process, decided in this one place.
 *
 *   draft ──► review ──► consultation ──► revision ──► published ──► archived
 *     ▲         │  (NPO decision)   (remiss)   │ (NPO decision)  │
 *     └─────────┘                              │                 │
 *   review ◄───────────────────────────────────┘   published ──► revision
 *                                                   (yearly review: revise)
 *
 * - draft → review: the author hands it to named reviewers.
 * - review → draft: sent back; review → consultation: the programme area
 *   (NPO) decides it is ready for consultation (a decision is required).
 * - consultation → revision: the consultation round is closed.
 * - revision → review: another round of internal review.
 * - revision → published: NPO decides to publish (a decision is required).
 * - published → revision: the yearly review found a need to revise; the
 *   published version stays as it is and a new version is written.
 * - draft, review, revision, published → archived: withdrawn (a reason as
 *   the note is required); archived is final.
 * Text may change only in draft and revision; a published version never
 * changes (the store refuses it as well).
 *
 * What may be recorded against a document depends on its state too
 * (hub_flow_may): reviewers' comments per section only in review; the
 * organisations invited to the consultation round in review (preparing
 * the remiss) and consultation; their answers only in consultation; the
 * impact assessment (konsekvensbeskrivning) in review, consultation and
 * revision; the reviewers named for the internal review in draft, review
 * and revision (hub_reviewer_in); the yearly review's finding that no revision is needed (the
 * document stays published, its next review a year on: hub_yearly.h) in
 * published only.
 */
#ifndef KNOD_HUB_HUB_FLOW_H
#define KNOD_HUB_HUB_FLOW_H

#include <stdbool.h>

#include "base/error.h"

enum hub_state {
    HUB_DRAFT,
    HUB_REVIEW,
    HUB_CONSULTATION,
    HUB_REVISION,
    HUB_PUBLISHED,
    HUB_ARCHIVED,
    HUB_NSTATES,
};

/* "draft", ...; and back (-1 for an unknown name). */
const char *hub_state_name(enum hub_state s);
int hub_state_parse(const char *name);

/* May a document in state from move to state to, resting on decision
 * (may be "" or NULL) with note? 0, or KN_EINPUT with the rule broken
 * ("review -> published: not a step of the workflow (from review: draft,
 * consultation, archived)"; "revision -> published needs the NPO's
 * decision (--decision)"). */
int hub_flow_check(enum hub_state from, enum hub_state to, const char *decision,
                   const char *note, struct kn_error *err);

/* What may be recorded against a document (hub_review.h). */
enum hub_act {
    HUB_ACT_COMMENT, /* a reviewer's comment on a section */
    HUB_ACT_INVITE,  /* an organisation invited to the consultation */
    HUB_ACT_ANSWER,  /* an invited organisation's consultation answer */
    HUB_ACT_IMPACT,  /* the impact assessment (konsekvensbeskrivning) */
    HUB_ACT_YEARLY,  /* the yearly review found no need to revise */
    HUB_ACT_REVIEWER, /* a reviewer named (or no longer) for the internal review */
};

/* May act be recorded in state s? 0, or KN_EINPUT naming the states where
 * it may ("a comment is recorded in review only; the document is in
 * draft"). */
int hub_flow_may(enum hub_state s, enum hub_act act, struct kn_error *err);

/* May the text of a document in state s be changed? */
bool hub_flow_editable(enum hub_state s);

#endif /* KNOD_HUB_HUB_FLOW_H */
