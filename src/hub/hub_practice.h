/* src/hub/hub_practice.h: local practice, what regions and units do
 * (migration 0019, docs/hub-references.md).
 *
 * A practice is a region's unit's way of working against self-harm among
 * young people, at one of three levels (HUB_PRACTICE_LEVELS: preventive,
 * early, or for the most severely ill), with its target group, the role to
 * contact (a role such as "enhetschef", never a person's name), its start,
 * how far it is evaluated (HUB_PRACTICE_EVALUATIONS) and the references
 * (hub_ref_store.h) and indicators (the catalogue's ids) it rests on. Every
 * link must exist when the practice is added: a reference by its number or
 * DOI, an indicator in the catalogue given. Free text is screened for
 * personnummer-shaped numbers and refused without being echoed.
 *
 * Tens to hundreds of practices. Strings read live in the caller's arena.
 */
#ifndef KNOD_HUB_HUB_PRACTICE_H
#define KNOD_HUB_HUB_PRACTICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"
#include "network/net_rows.h"
#include "lang/ind.h"
#include "store/store.h"

extern const char *const HUB_PRACTICE_LEVELS[];      /* preventive, early, severe */
extern const char *const HUB_PRACTICE_EVALUATIONS[]; /* not-evaluated, ongoing,
                                                        evaluated, published */

struct hub_practice {
    int64_t id; /* 0 before it is stored */
    const char *title, *region, *unit, *level, *target_group, *contact_role;
    kn_day starts;
    const char *evaluation, *description; /* description: NULL or "" for none */
    const char *references;               /* comma-separated numbers or DOIs, or NULL */
    const char *indicators;               /* comma-separated catalogue ids, or NULL */
    bool is_public;
    const char *steps; /* comma-separated PATHWAY/STEP (adult/2_assessment), or NULL */
};

struct hub_pathways;

/* Check p, resolve its links (references in st, indicators in cat, the
 * steps it serves in ps: hub_links.h) and store it; *id gets its number.
 * KN_EINPUT naming the option (--title, --region, --unit, --level,
 * --target-group, --contact-role, --evaluation, --description,
 * --indicators, --steps), KN_ENOTFOUND for a reference or indicator that
 * does not exist (named). One transaction. */
int hub_practice_add(struct store *st, const struct hub_practice *p,
                     const struct ind_catalogue *cat, const struct hub_pathways *ps,
                     kn_time now, int64_t *id, struct kn_error *err);

/* The practices (of region and at level when not NULL; only public ones
 * when public_only), by region, level and start: id, title, region, unit,
 * level, target_group, contact_role, starts, evaluation, description,
 * references (their numbers, comma-separated), indicators, public, steps
 * (PATHWAY/STEP, comma-separated). */
int hub_practice_list(struct store *st, const char *region, const char *level,
                      bool public_only, struct net_rows *out, struct arena *a,
                      struct kn_error *err);

/* Keep only the rows of rows (from hub_practice_list) whose title, unit,
 * target group and description hold every word of query, in order: each
 * word's Swedish stem (hub_search.h) as a part of the Swedish stems of that
 * text, so "skador" finds "skadan" and "självskada" finds
 * "självskadebeteende". A query without words keeps every row. Tens to
 * hundreds of practices, so it is a scan, not an index. 0 or KN_ENOMEM. */
int hub_practice_match(struct net_rows *rows, const char *query, struct kn_error *err);

/* Practice id as one row of the columns above; KN_ENOTFOUND if none (or
 * not public when public_only). */
int hub_practice_get(struct store *st, int64_t id, bool public_only, struct net_rows *out,
                     struct arena *a, struct kn_error *err);

#endif /* KNOD_HUB_HUB_PRACTICE_H */
