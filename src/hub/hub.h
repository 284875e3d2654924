/* src/hub/hub.h: knowledge-support documents in the store.
 *
 * hub_import() brings in a parsed document (hub_doc.h): a new one starts
 * as a draft, or as published when its front matter says it was already
 * decided elsewhere (the migration of existing knowledge support); a known
 * one changes its current version only while the workflow allows editing
 * (draft, revision), and a published document given again with a later
 * decision date gets a new published version. hub_move() takes a document
 * one step through the workflow (hub_flow.h), recording who, when, the
 * decision and the note; publishing freezes the version, sets the yearly
 * review date and indexes it for search; leaving published for revision
 * starts a new version as a copy. Each call is one transaction.
 *
 * Publishing a public document (hub_lint.h: for patients, relatives or the
 * vårdgrannar), by a move or by importing it as already published, first
 * runs the safe-messaging lint with rules (NULL: the shipped ones) and is
 * refused (KN_EINPUT) on any finding, naming the rule and the line.
 */
#ifndef KNOD_HUB_HUB_H
#define KNOD_HUB_HUB_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"
#include "hub/hub_doc.h"
#include "hub/hub_flow.h"
#include "hub/hub_lint.h"
#include "store/store.h"

enum hub_outcome { HUB_CREATED, HUB_UPDATED, HUB_NEW_VERSION, HUB_UNCHANGED };

int hub_import(struct store *st, const struct hub_doc *d, const char *actor, kn_time now,
               const struct hub_lint_rules *rules, enum hub_outcome *outcome,
               struct kn_error *err);

/* hub_import() in the caller's transaction (the portal audits it in the
 * same one). */
int hub_import_in(struct store *st, const struct hub_doc *d, const char *actor, kn_time now,
                  const struct hub_lint_rules *rules, enum hub_outcome *outcome,
                  struct kn_error *err);

int hub_move(struct store *st, const char *slug, enum hub_state to, const char *decision,
             const char *note, const char *actor, kn_time now,
             const struct hub_lint_rules *rules, struct kn_error *err);

/* hub_move() in the caller's transaction (so that the caller can write the
 * audit log in the same one); *from gets the state it left. */
int hub_move_in(struct store *st, const char *slug, enum hub_state to, const char *decision,
                const char *note, const char *actor, kn_time now,
                const struct hub_lint_rules *rules, enum hub_state *from,
                struct kn_error *err);

/* One version of a document (the current one unless asked). */
struct hub_version {
    const char *slug, *state, *owner;
    int version, current_version;
    const char *title, *summary, *language, *audience, *topics, *body;
    kn_day published;  /* 0 if this version was never published */
    kn_day review_due; /* 0 if none */
    const char *indicators, *steps; /* "id1,id2", "code1,code2"; "" if none */
    const char *practices;          /* practice numbers "2,5"; "" if none */
};

/* The documents, by slug; state may be NULL for all. */
int hub_list(struct store *st, const char *state, struct hub_version **out, size_t *n,
             struct arena *a, struct kn_error *err);

/* One document's version (0: the current one). KN_ENOTFOUND if none. */
int hub_get(struct store *st, const char *slug, int version, struct hub_version *out,
            struct arena *a, struct kn_error *err);

struct hub_event {
    kn_time at;
    const char *actor, *from_state, *to_state, *decision, *note;
};

/* The workflow history of a document, oldest first. */
int hub_history(struct store *st, const char *slug, struct hub_event **out, size_t *n,
                struct arena *a, struct kn_error *err);

#endif /* KNOD_HUB_HUB_H */
