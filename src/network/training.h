/* src/network/training.h: trainings and their participants.
 *
 * A training (TRAINING_KINDS: a course in attitude and approach, a web
 * training, a film, a DBT training, a conference) has a title, dates
 * (inclusive), a format (TRAINING_FORMATS), target groups
 * (TRAINING_TARGETS: care, social services, school health, police, youth
 * clinics, BRIS, ...) and an organiser. Its participants are counts per
 * region, organisation and profession (TRAINING_PROFESSIONS), loaded from
 * a CSV file; no names are kept. Statistics sum them over the trainings
 * that start in a period, by region, profession, organisation or kind.
 * Tens of trainings a year, hundreds of participant rows each.
 *
 * Strings in results live in the caller's arena.
 */
#ifndef KNOD_NETWORK_TRAINING_H
#define KNOD_NETWORK_TRAINING_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"
#include "network/net_rows.h"
#include "store/store.h"

extern const char *const TRAINING_KINDS[];   /* attitude-course, web-training, film,
                                                dbt, conference, other */
extern const char *const TRAINING_FORMATS[]; /* on-site, digital, hybrid, self-paced */
extern const char *const TRAINING_TARGETS[]; /* care, social-services, school-health,
                                                police, youth-clinic, bris,
                                                municipality, other */
extern const char *const TRAINING_PROFESSIONS[]; /* the group professions plus
                                                    assistant-nurse, school-nurse,
                                                    police-officer, ... */

struct training {
    const char *kind, *title, *format, *target_groups, *organiser;
    kn_day starts, ends;
};

/* Store a training; *id gets its number. KN_EINPUT naming the option
 * (--kind, --title, --mode, --targets, --organiser, --end). */
int training_add(struct store *st, const struct training *t, int64_t *id,
                 struct kn_error *err);

#define TRAINING_DAY_UNSET INT32_MIN /* training_update: starts or ends kept */

/* Training id as stored, its strings in a. KN_ENOTFOUND. */
int training_get(struct store *st, int64_t id, struct training *t, struct arena *a,
                 struct kn_error *err);

/* Change training id: each field of t given (a string not NULL, a day not
 * TRAINING_DAY_UNSET) replaces the stored one, and the merged training is
 * checked as training_add checks a new one (KN_EINPUT naming the option:
 * --kind, --title, --mode, --targets, --organiser, --end). KN_ENOTFOUND
 * for no such training. One statement: it may run in the caller's
 * transaction. The participants are training_participants_load's. */
int training_update(struct store *st, int64_t id, const struct training *t,
                    struct arena *a, struct kn_error *err);

/* Replace the participants of training id with those of the CSV read
 * from fd (name for messages): the columns region, organisation,
 * profession, participants (a header row, in any order; other columns
 * are refused). A row repeating another's region, organisation and
 * profession is refused. KN_EINPUT "NAME:LINE: column: reason" for bad
 * input, and then nothing changes; KN_ENOTFOUND for no such training.
 * *rows and *total get the rows and the participants loaded. */
int training_participants_load(struct store *st, int64_t id, int fd, const char *name,
                               int *rows, int64_t *total, struct kn_error *err);

/* The regions a user may load participants of (the portal's scope). */
struct training_scope {
    bool (*has)(const void *ctx, const char *region);
    const void *ctx;
};

/* training_participants_load inside the caller's transaction (on failure
 * the caller rolls back), limited to scope when it is not NULL: a row of a
 * region outside it is refused ("NAME:LINE: region: 03 is outside your
 * scope"), and only the rows of the regions within it are replaced; the
 * other regions' rows stay. */
int training_participants_load_in(struct store *st, int64_t id, int fd, const char *name,
                                  const struct training_scope *scope, int *rows,
                                  int64_t *total, struct kn_error *err);

/* The trainings that start in [from, to], by start: id, kind, title,
 * starts, ends, mode, target_groups, organiser, participants. */
int training_list(struct store *st, kn_day from, kn_day to, struct net_rows *out,
                  struct arena *a, struct kn_error *err);

/* Participants of the trainings that start in [from, to], summed by
 * "region", "profession", "organisation" or "kind": the key, trainings
 * (how many had participants with that key), participants; by key. A
 * last row "total" sums all. KN_EINPUT for another by. */
int training_stats(struct store *st, kn_day from, kn_day to, const char *by,
                   struct net_rows *out, struct arena *a, struct kn_error *err);

#endif /* KNOD_NETWORK_TRAINING_H */
