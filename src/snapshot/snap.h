/* src/snapshot/snap.h: the snapshot, person timelines in memory.
 *
 * The indicator engine never queries the store: it reads a snapshot, built
 * from the store in one scan of each table. Every event of every person
 * (acts, contacts, coercive measures, assessments, plans, treatments,
 * follow-ups, pathway steps, and the death) is one entry of a set of
 * columns, each person's events together and in start time order, so a
 * person's timeline is the slice ev_off[p] .. ev_end[p]. Columns are small
 * integers:
 *
 *   kind  u8   enum ind_ev
 *   sub   u8   the type within the kind (ind_*_types, step dictionary index)
 *   flags u8   SNAP_F_*
 *   t     i32  start, seconds since SNAP_EPOCH (1932 .. 2068)
 *   dur   u32  end - start in seconds, SNAP_NO_END if there is no end
 *   unit  u16  care unit index (a measure: its stay's unit), SNAP_NONE
 *   code  u16  ICD-10 cause code (dictionary index), SNAP_NONE
 *   diag  u16  main diagnosis (dictionary index), SNAP_NONE
 *
 * 17 bytes per event, plus 1 for the per-kind order below, plus 33 bytes
 * per person (37 in a patched snapshot: ev_end of its own). A snapshot is
 * immutable once built and lives in its own arena; snap_free() releases
 * it. The columns live in a reference-counted block (struct snap_cols)
 * that a patched snapshot shares with the one it was made from: the
 * untouched persons' slices are the old ones, the touched persons'
 * timelines are appended after the old snapshot's events (snap_patch()).
 * A built snapshot's slices lie in person order (ev_end is ev_off + 1); a
 * patched one's need not, and the block may hold events of no person of
 * it (the touched persons' old slices).
 */
#ifndef KNOD_STATS_SNAP_H
#define KNOD_STATS_SNAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"
#include "domain/geo.h"
#include "store/store.h"

#define SNAP_EPOCH 946684800 /* 2000-01-01T00:00:00 as a kn_time */
#define SNAP_NO_END UINT32_MAX
#define SNAP_NONE UINT16_MAX
#define SNAP_KINDS1 12 /* IND_EV_COUNT + 1 kind offsets per person */
#define SNAP_TABLES 8 /* the event tables read */
#define SNAP_T_MIN (-(int64_t)86400 * 24857) /* a midnight before INT32_MIN: day_month[0] */

enum {
    SNAP_F_LEGAL = 3,    /* two bits: index into ind_legal_words */
    SNAP_F_BRIEF = 4,    /* brief admission by self-referral */
    SNAP_F_LINKED = 8,   /* act linked to a contact */
    SNAP_F_SUICIDE = 16, /* death by suicide */
    SNAP_F_CHILD = 32,   /* pathway step of the child pathway */
    SNAP_F_UNDET = 64,   /* act of undetermined intent (Y10-Y34) */
};

struct snap_unit {
    const char *code;
    const char *name;
    uint8_t kind;    /* index into ind_unit_kinds */
    uint8_t setting; /* index into ind_settings */
    uint8_t region;  /* region index */
};

struct snap_cols; /* the columns' block (snap_impl.h) */
/* A consultation in an individual case (consult/consult.h), as the
 * indicators `from consultation` read it: the days it was asked and
 * answered, and the asking region. */
struct snap_consult {
    kn_day asked;
    kn_day answered;  /* SNAP_CONSULT_OPEN while not answered */
    int8_t region;    /* region index, -1 for a code geo does not know */
};
#define SNAP_CONSULT_OPEN INT32_MIN

struct snap {
    struct arena arena;
    struct arena arena2;  /* the second reader's strings */
    const struct geo *geo;

    uint32_t npersons;
    uint32_t *ev_off;     /* npersons (+ 1 when built): each person's first event */
    uint32_t *ev_end;     /* npersons: one past each person's last (built: ev_off + 1) */
    uint16_t *birth_year;
    uint8_t *sex;         /* 0 F, 1 M */
    uint16_t *geo_slot;   /* see snap_slot_* */
    int64_t *person_id;   /* the store's person.id (the engine never reads it;
                             person-level lists such as eng_due.h name persons by it) */

    size_t nevents;       /* the persons' events (the columns may hold more) */
    struct snap_cols *cols; /* where the columns below live, shared */
    size_t cols_end;      /* the block's positions up to here are this snapshot's */
    size_t dead;          /* of those, positions of no person's (old slices) */
    uint8_t *kind, *sub, *flags;
    int32_t *t;
    uint32_t *dur;
    uint16_t *unit, *code, *diag;

    const char **codes; /* ICD-10 dictionary (cause and diagnosis) */
    size_t ncodes;
    const char **steps; /* pathway step codes */
    size_t nsteps;
    struct snap_unit *units;
    size_t nunits;

    /* Person geography: slot s < nmunicipalities is municipality s; then one
     * slot per region (home region known, municipality not); then the
     * last slot for persons without a home region. */
    size_t nslots;
    int8_t *slot_region; /* region index, -1 for the unknown slot */
    int8_t *slot_hc;     /* healthcare region index, -1 likewise */
    int8_t *region_hc;   /* region index -> healthcare region index */

    /* Each person's events by kind (persons with fewer than 256 events):
     * kind k's events are at ev_off[p] + kind_pos[ev_off[p] + j] for j in
     * kind_start[p * SNAP_KINDS1 + k] .. kind_start[p * SNAP_KINDS1 + k + 1],
     * in time order. Built once here instead of in every evaluation. */
    uint8_t *kind_start;  /* npersons * SNAP_KINDS1 */
    uint8_t *kind_pos;    /* nevents */
    int32_t t_last;       /* the latest start or end of any event: the data's end */
    int32_t t_first;      /* the earliest start (INT32_MAX: none) */
    int year_min, year_max; /* years holding events (not deaths) */
    size_t bytes;         /* resident bytes of the columns */
    int16_t *day_month;   /* day since SNAP_T_MIN -> year * 12 + month - 1 */

    /* The population rates are computed over: the store's population table
     * (every year held, by year, region, sex and age), read in the same
     * read transaction as the events; geo's shipped table when the store
     * has none. */
    const struct geo_population *pop;
    size_t npop;

    /* The consultations (asked order), read with the events; the day they
     * were read (an open consultation's working days run to it); and the
     * years they were asked in (0, 0 when there are none). */
    struct snap_consult *consults;
    size_t nconsults;
    kn_day consult_today;
    int consult_year_min, consult_year_max;

    /* Where the store stood when this snapshot was read, for snap_patch():
     * the highest id of each event table (snap_impl.h, enum snap_table),
     * of the persons and of the units, snap_edit's count of edits
     * (-1: a store without it, which is never patched), and the last entry
     * of snap_person_edit's log of changed person rows (0: none, or a store
     * without it, where a changed person row counts among the edits). */
    int64_t max_id[SNAP_TABLES];
    int64_t max_person, max_unit;
    int64_t edits;
    int64_t person_edits;
    uint32_t *pidx;       /* person id 0 .. max_person -> index + 1 (0: none) */
    uint32_t *uidx;       /* unit id 0 .. max_unit -> index + 1 */
    bool patched;         /* made by snap_patch() */

    /* For the engine's generations after a patch (eng_inc.h): every
     * snapshot made in this process has its own serial; a patched one
     * names the snapshot it was made from and lists the persons whose
     * timelines the patch changed or added (indices, ascending). */
    uint64_t serial;
    uint64_t base_serial; /* 0: built from the whole store */
    uint32_t *touched;
    size_t ntouched;
};

/* Build a snapshot of the store. geo must outlive the snapshot. The store
 * is read in read transactions, which do not hold imports up. */
int snap_build(struct snap **out, struct store *st, const struct geo *geo,
               struct kn_error *err);

/* The same, reading on two connections of the same store at once (st2 may
 * be NULL): about twice as fast on two cores. */
int snap_build2(struct snap **out, struct store *st, struct store *st2, const struct geo *geo,
                struct kn_error *err);

void snap_free(struct snap *s);

/* A snapshot of st as snap_build() would make it, made from old and only
 * the rows added to the store since old was read (persons, units and
 * events with ids above old's) and the person rows changed since (logged
 * in snap_person_edit: their place, birth year and sex are read again,
 * and their death): the timelines of the persons they touch
 * are merged again and appended to old's column block, the others' slices
 * shared with old (the block is copied whole, dropping the old slices of
 * touched persons, when another snapshot appended there first, when it is
 * full, or when such dead events pass an eighth of it). Exactly equal to
 * a full build, person by person:
 * the same persons in the same order, the same events in the same order,
 * the same units and data's end (dictionary indices of codes and steps
 * may differ; they are looked up by text). When the store changed in a
 * way a patch cannot follow (an edit or delete of an event, unit or
 * population row or a deleted person, counted by snap_edit; a store
 * without it; a smaller id), or changed more person rows than an eighth
 * of the persons, *out is NULL and the caller builds
 * the whole snapshot. old is only read. */
int snap_patch(struct snap **out, const struct snap *old, struct store *st,
               struct kn_error *err);

/* Seconds since SNAP_EPOCH of a kn_time, and back. */
static inline int32_t snap_time(kn_time t)
{
    return (int32_t)(t - SNAP_EPOCH);
}
static inline kn_time snap_kn_time(int32_t t)
{
    return (kn_time)t + SNAP_EPOCH;
}

/* The calendar month of a snapshot time: year * 12 + (month - 1). */
int snap_month(int32_t t);

/* The same from the snapshot's table of days (the hot path). */
static inline int snap_month_fast(const struct snap *s, int32_t t)
{
    int64_t d = ((int64_t)t - SNAP_T_MIN) / 86400;
    return s->day_month[d];
}

#endif /* KNOD_STATS_SNAP_H */
