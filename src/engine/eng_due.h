/* src/engine/eng_due.h: the care-pathway worklist, the steps that are due
 * or overdue, and the coverage of each unit's reporting.
 *
 * A clock is one pathway indicator of the shipped catalogue (eng_due_clocks:
 * vf-adult-assess-7d, ..., vf-followup-7d). Its anchors (a first contact of
 * the pathway, a discharge after self-harm) are the indicator's, with every
 * `where` condition except `observed`, and its step is the indicator's
 * headline relation: the window's end is when the step is due. The day
 * counts are read from the definitions (their newest version), never
 * written here, so the worklist and the indicators keep one definition.
 *
 * As of a day D (the end of it, 23:59:59), a clock is OPEN when its window
 * has started by then, no event of the relation has happened from the
 * window's start up to D (a late step closes the clock too: the worklist
 * asks what is still to do, the indicator whether it was done in time),
 * and the person is alive on D. An open clock is a worklist item: overdue
 * when D is after its due day (days_overdue > 0), else due (0 on the due
 * day, negative before it). Items overdue by more than the horizon (90
 * days unless set) are left out: the pathway has been left behind, and the
 * indicator records it.
 *
 * Scope: items of the persons within a user's scope, by the rule of
 * access/access_scope.h applied to the snapshot (the nation; a region: the
 * persons who live there or have a contact at one of its units; a unit: the
 * persons with a contact at it).
 *
 * Each item has a unit: the anchor's own unit (a discharge), else the unit
 * of the person's latest contact at or before the anchor (a pathway step
 * has none of its own), else of the first contact after it, else none.
 *
 * Coverage (per unit of the scope; docs/worklists.md): a unit is LATE
 * when it has no contact in the 56 days up to D but had one in the 365
 * days before those; INCOMPLETE when, of the follow-up clocks at the unit
 * that ended (due) in the 365 days up to D, at least 5 and at least half
 * have no follow-up record at all by D.
 */
#ifndef KNOD_STATS_ENG_DUE_H
#define KNOD_STATS_ENG_DUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/date.h"
#include "base/error.h"
#include "lang/ind.h"
#include "snapshot/snap.h"
#include "store/store.h"

#define ENG_DUE_HORIZON_DAYS 90
#define ENG_DUE_RECENT_DAYS 56     /* coverage: the recent weeks */
#define ENG_DUE_BEFORE_DAYS 365    /* coverage: the year before them */
#define ENG_DUE_MIN_CLOCKS 5       /* coverage: follow-up clocks to judge by */

/* The steps a clock stands for, in the order they are shown. */
enum eng_due_step {
    ENG_DUE_ASSESSMENT,
    ENG_DUE_CARE_PLAN,
    ENG_DUE_SIP,
    ENG_DUE_TREATMENT,
    ENG_DUE_FOLLOWUP,
    ENG_DUE_NSTEPS
};

struct eng_due_clock {
    enum eng_due_step step;
    const char *pathway;   /* "adult", "child", or "" (follow-up after discharge) */
    const char *indicator; /* the definition of the catalogue it runs on */
};

#define ENG_DUE_NCLOCKS 8
extern const struct eng_due_clock eng_due_clocks[ENG_DUE_NCLOCKS];

/* The step's code: "assessment", "care_plan", "sip", "treatment", "followup". */
const char *eng_due_step_name(enum eng_due_step s);

struct eng_due_item {
    uint32_t person;     /* snapshot index */
    int64_t person_id;   /* the store's person.id */
    unsigned clock;      /* index into eng_due_clocks */
    kn_time started;     /* the window's start (civil time) */
    kn_time due;         /* the window's end */
    int days_overdue;    /* D's day minus the due day: > 0 overdue */
    uint16_t unit;       /* snapshot unit index, or SNAP_NONE */
};

struct eng_due_unit {
    uint16_t unit;       /* snapshot unit index */
    const char *code;    /* its code (the snapshot's) */
    int due, overdue;    /* items at the unit */
    int by_step[ENG_DUE_NSTEPS]; /* items by step */
    kn_time last_contact; /* the latest contact start by D, or 0: none */
    int recent, before;  /* contacts in the recent days, and in the year before */
    int fu_clocks, fu_missing; /* follow-up clocks ended in the year up to D,
                                  and those without any follow-up record */
    bool late, incomplete;
};

/* Whose persons: the nation, a region (its index in the snapshot's
 * geography) or a unit (its snapshot index). */
struct eng_due_scope {
    enum { ENG_DUE_NATION, ENG_DUE_REGION, ENG_DUE_UNIT } kind;
    int index;
};

struct eng_due_list {
    struct eng_due_item *items; /* most overdue first (then by person, step) */
    size_t n;
    struct eng_due_unit *units; /* the units of the scope, by code */
    size_t nunits;
    kn_day as_of;
    int horizon_days;
};

/* The scope of a user, from their region or unit code; a region or unit
 * that the snapshot does not know gives a scope with no persons (index -1).
 * region and unit NULL: the nation. */
void eng_due_scope_of(const struct snap *s, const char *region, const char *unit,
                      struct eng_due_scope *out);

/* The worklist of the scope as of day as_of (horizon_days 0: the default),
 * over snapshot s and the clocks' definitions in cat. KN_EINPUT when a
 * clock's indicator is missing or is not a proportion of a relation;
 * KN_ENOMEM. out is freed with eng_due_free(). */
int eng_due_run(const struct snap *s, const struct ind_catalogue *cat, kn_day as_of,
                int horizon_days, const struct eng_due_scope *scope,
                struct eng_due_list *out, struct kn_error *err);

void eng_due_free(struct eng_due_list *l);

/* The list as a JSON object (src/engine/eng_due_model.c): {"as_of",
 * "horizon_days", "recent_days", "year_before_days", "min_followup_clocks",
 * "items": [{"pseudonym", "step", "pathway" (null for the follow-up),
 * "indicator", "started", "due" (YYYY-MM-DD HH:MM:SS), "due_date",
 * "days_overdue", "status" ("overdue" or "due"), "unit" ({"code", "name",
 * "region"} or null)}], "units": [{"unit", "due", "overdue", "by_step":
 * {STEP: n}, "last_contact" (date or null), "contacts_recent",
 * "contacts_year_before", "followup_clocks", "followup_missing", "late",
 * "incomplete"}]}. Pseudonyms are read from st by the persons' ids. */
int eng_due_model(const struct snap *s, struct store *st, const struct eng_due_list *l,
                  json_t **out, struct kn_error *err);

#endif /* KNOD_STATS_ENG_DUE_H */
