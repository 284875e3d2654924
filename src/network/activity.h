/* src/network/activity.h: development activities and their funding.
 *
 * An activity (a region's or a knowledge node's development work, or a
 * national one) has a title, a goal, a status (ACTIVITY_STATUSES), who is
 * responsible, its days (the end open while it runs), and the indicators
 * (catalogue ids) and documents (knowledge-hub ids) it is linked to. Its
 * funding is kept per source (ACTIVITY_SOURCES) and year in whole kronor:
 * allocated, and spent so far; recording a source and year again replaces
 * its figures.
 *
 * activity_funding() sets, per region for one year, what was allocated to
 * the region's activities and what they spent against the region's part
 * of a national grant divided by population share (network/fund.h, the
 * same division as `knod funding allocate`, from the store's population
 * of that year). Tens of activities per region.
 *
 * Free text is screened for personnummer-shaped numbers (net_text.h).
 * Strings in results live in the caller's arena.
 */
#ifndef KNOD_NETWORK_ACTIVITY_H
#define KNOD_NETWORK_ACTIVITY_H

#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"
#include "network/net_rows.h"
#include "store/store.h"

extern const char *const ACTIVITY_STATUSES[]; /* planned, ongoing, done, stopped */
extern const char *const ACTIVITY_SOURCES[];  /* national-grant, region,
                                                 municipality, other */

struct activity {
    const char *region; /* region code, or NULL: national */
    const char *node;   /* node code, or NULL */
    const char *title, *goal, *status, *responsible;
    kn_day starts;
    kn_day ends;            /* ACTIVITY_OPEN: open */
    const char *indicators; /* comma-separated ids, or NULL */
    const char *documents;  /* comma-separated ids, or NULL */
};

#define ACTIVITY_OPEN INT32_MIN

struct ind_catalogue;

/* Store an activity; *id gets its number. KN_EINPUT naming the option
 * (--region, --title, --goal, --status, --responsible, --end,
 * --indicators, --documents), KN_ENOTFOUND for an unknown --node. The
 * links are checked by activity_links_check(st, cat, ...). Not a
 * transaction of its own: the caller's, if it holds one. */
int activity_add(struct store *st, const struct activity *t,
                 const struct ind_catalogue *cat, int64_t *id, struct kn_error *err);

/* Each id of the comma-separated indicators a definition of cat (NULL:
 * not looked up), each of documents a knowledge-hub document's id (its
 * slug). KN_EINPUT naming --indicators or --documents and the unknown id. */
int activity_links_check(struct store *st, const struct ind_catalogue *cat,
                         const char *indicators, const char *documents,
                         struct kn_error *err);

/* Activity id into *out (strings in a; NULL region and node when it has
 * none, NULL indicators and documents for none). KN_ENOTFOUND if none. */
int activity_get(struct store *st, int64_t id, struct activity *out, struct arena *a,
                 struct kn_error *err);

/* Change activity id to t: its title, goal, status, responsible, days,
 * indicators and documents (its region and node stay: they are whose it
 * is), checked as activity_add checks them (t->region and t->node are not
 * read). KN_ENOTFOUND for no such activity. Not a transaction of its own
 * (the caller's: `knod activity update` and the portal audit in it). */
int activity_update(struct store *st, int64_t id, const struct activity *t,
                    const struct ind_catalogue *cat, struct kn_error *err);

/* The region an activity belongs to for access: its region, else its
 * node's host region ("" for a national activity), into buf.
 * KN_ENOTFOUND for no such activity. */
int activity_owner_region(struct store *st, int64_t id, char buf[16],
                          struct kn_error *err);

/* Record (or replace) activity id's funding from source in year:
 * allocated and spent kronor (0 .. 10^15). KN_ENOTFOUND for no such
 * activity. */
int activity_fund(struct store *st, int64_t id, const char *source, int year,
                  int64_t allocated, int64_t spent, struct kn_error *err);

/* Activity id's funding per source and year, by year then source:
 * source, year, allocated, spent. */
int activity_fund_list(struct store *st, int64_t id, struct net_rows *out,
                       struct arena *a, struct kn_error *err);

/* The activities, of region only if not NULL, by region (national first)
 * then start: id, region, node, title, goal, status, responsible, starts,
 * ends, indicators, documents, allocated, spent (all sources and years). */
int activity_list(struct store *st, const char *region, struct net_rows *out,
                  struct arena *a, struct kn_error *err);

/* Per region (code order) and a last row "total", for year: allocated and
 * spent by the region's activities from every source, of them from the
 * national grant, and, when grant >= 0, the region's part of a grant of
 * that many kronor divided by the region's population in year (all ages;
 * KN_EINPUT if the store has no population for year): region, allocated,
 * spent, grant_allocated, grant_spent, population_part, unspent_part
 * (population_part - grant_spent). Without a grant the last two are NULL. */
int activity_funding(struct store *st, int year, int64_t grant, struct net_rows *out,
                     struct arena *a, struct kn_error *err);

/* The regions in code order with their population in year (all ages, 0
 * when the store has none for year): code, population, name. The weights
 * of activity_funding's division and of the portal's /funding. */
int activity_population(struct store *st, int year, struct net_rows *out, struct arena *a,
                        struct kn_error *err);

#endif /* KNOD_NETWORK_ACTIVITY_H */
