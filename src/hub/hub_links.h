/* src/hub/hub_links.h: the knowledge hub's links between documents,
 * references, local practices and pathway steps (issue 14, docs/hub.md,
 * Links).
 *
 * Where each link lives (the pathways are shipped data, data/pathways,
 * while references and practices live in the store, so every link is kept
 * in the store beside the item that makes it):
 *   - a document's version names references (front matter `references`,
 *     table hub_version_reference), practices (`practices`, the column
 *     hub_version.practices), indicators and steps (`indicators`, `steps`:
 *     a bare step code, linking to the step in each pathway having it);
 *   - a practice names the steps it serves, as PATHWAY/STEP (knod practice
 *     add --steps; table hub_practice_step);
 *   - a reference is linked to steps by knod refs link (audited; table
 *     hub_reference_step).
 * Every link is checked when it is made: a step against data/pathways, a
 * reference or practice against the store.
 *
 * The back links (hub_links_to_pathway, hub_links_of_ref,
 * hub_links_of_practice) read what links to a step, a reference or a
 * practice: only published documents (each as its newest published
 * version, archived ones never: hub_public.h), and with public_only only
 * public references and practices. Tens to hundreds of items: lists are
 * read whole into the caller's arena.
 */
#ifndef KNOD_HUB_HUB_LINKS_H
#define KNOD_HUB_HUB_LINKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "hub/hub_doc.h"
#include "hub/hub_pathway.h"
#include "store/store.h"

/* One linked item. */
struct hub_link {
    enum { HUB_LINK_DOCUMENT, HUB_LINK_REFERENCE, HUB_LINK_PRACTICE, HUB_LINK_STEP } kind;
    const char *id;      /* a document's slug, a reference's or practice's number */
    const char *title;   /* its title (a step's: NULL, the caller has the pathways) */
    const char *pathway; /* the step linked (to) */
    const char *step;
};

/* "PATHWAY/STEP" (len bytes at item) checked against ps: 0 with *pathway
 * and *step pointing into ps, or KN_EINPUT "FIELD: 'x' is not
 * PATHWAY/STEP", "FIELD: no pathway 'x' (knod pathways list)" or "FIELD:
 * pathway 'adult' has no step 'x' (knod pathways show adult)". */
int hub_step_parse(const struct hub_pathways *ps, const char *field, const char *item,
                   size_t len, const char **pathway, const char **step,
                   struct kn_error *err);

/* Check d's references (each a stored reference's number or DOI) and
 * practices (each a stored practice's number) against st: 0, or KN_EINPUT
 * "NAME:LINE: 'references': no reference with DOI 10.1/x" or "NAME:LINE:
 * 'practices': no practice '9'". */
int hub_doc_check_store_links(struct store *st, const struct hub_doc *d, const char *name,
                              struct kn_error *err);

/* Link reference ref to the step (link true) or remove the link; *changed
 * tells whether anything changed. KN_ENOTFOUND if there is no reference
 * ref. Runs in the caller's transaction if one is open. */
int hub_ref_step_set(struct store *st, int64_t ref, const char *pathway, const char *step,
                     bool link, bool *changed, struct kn_error *err);

/* The steps reference ref is linked to, by pathway and step: kind
 * HUB_LINK_STEP. */
int hub_ref_steps(struct store *st, int64_t ref, struct hub_link **out, size_t *n,
                  struct arena *a, struct kn_error *err);

/* The references version `version` of document slug links to, those
 * public_only allows, by number: kind HUB_LINK_REFERENCE. */
int hub_doc_refs(struct store *st, const char *slug, int version, bool public_only,
                 struct hub_link **out, size_t *n, struct arena *a, struct kn_error *err);

/* The practices of the comma list (a version's `practices`), those
 * public_only allows, in the list's order: kind HUB_LINK_PRACTICE. */
int hub_doc_practices(struct store *st, const char *list, bool public_only,
                      struct hub_link **out, size_t *n, struct arena *a,
                      struct kn_error *err);

/* What links to the steps of pathway p: published documents (their
 * `steps`), references and practices (public ones when public_only), each
 * with .step set; documents by title, then references, then practices. */
int hub_links_to_pathway(struct store *st, const struct hub_pathway *p, bool public_only,
                         struct hub_link **out, size_t *n, struct arena *a,
                         struct kn_error *err);

/* The published documents linking to reference ref (hub_version_reference
 * of their newest published version), by title. */
int hub_links_of_ref(struct store *st, int64_t ref, struct hub_link **out, size_t *n,
                     struct arena *a, struct kn_error *err);

/* The published documents linking to practice id (their `practices`), by
 * title. */
int hub_links_of_practice(struct store *st, int64_t id, struct hub_link **out, size_t *n,
                          struct arena *a, struct kn_error *err);

#endif /* KNOD_HUB_HUB_LINKS_H */
