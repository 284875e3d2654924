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

/* May the text of a document in state s be changed? */
bool hub_flow_editable(enum hub_state s);

#endif /* KNOD_HUB_HUB_FLOW_H */
