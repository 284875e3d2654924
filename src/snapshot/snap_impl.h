/* src/snapshot/snap_impl.h: the snapshot builder, shared by snap.c (reading
 * the tables) and snap_build.c (putting the timelines together, on one or
 * two connections), and the import-run stamp snap_cache.c also reads.
 * Internal to src/snapshot/snap*.c. */
#ifndef KNOD_STATS_SNAP_IMPL_H
#define KNOD_STATS_SNAP_IMPL_H

#include <stdatomic.h>

#include "snapshot/snap.h"

/* One event as read, before it is sorted into the columns. */
struct stage {
    uint32_t person;
    int32_t t;
    uint32_t dur;
    uint16_t unit, code, diag;
    uint8_t kind, sub, flags;
};

/* One reader: its connection, its staged events and its dictionaries. Two
 * readers share the snapshot's persons and units (read before they start). */
struct builder {
    struct snap *s;
    struct store *st;
    struct kn_error *err;
    struct arena *strings;   /* where this reader's dictionary strings go */
    struct stage *ev;
    size_t n, cap;
    uint32_t *pidx;          /* person id -> index + 1 (0: unknown) */
    int64_t max_pid;
    uint32_t *uidx;          /* unit id -> index + 1 */
    int64_t max_uid;
    const char **codes;      /* ICD-10 dictionary, open addressing in hash */
    size_t ncodes, codes_cap;
    uint16_t *hash;
    size_t hcap;
    const char **steps;      /* pathway step codes */
    size_t nsteps, steps_cap;
    /* Read only the rows with ids above these (0: every row): a patch
     * (snap_patch.c). after[] is indexed by enum snap_table. */
    int64_t after[SNAP_TABLES];
    int64_t after_person, after_unit;
    /* snap_read_persons: instead, only the persons with ids up to
     * edits_max whose rows snap_person_edit logged in (edits_from,
     * edits_to] (a patch's changed persons); edits_to 0: off. */
    int64_t edits_from, edits_to, edits_max;
};

/* The columns of one or more snapshots (snap.h): one allocation of room
 * for cap events, the column arrays in it. A snapshot holds a reference;
 * `used` is the end of the positions some snapshot has claimed: a patch
 * appends only when it moves `used` from its old snapshot's cols_end
 * (so that two patches of one snapshot never write the same positions,
 * and no patch writes where a living snapshot reads). */
struct snap_cols {
    atomic_size_t refs;
    atomic_size_t used;
    size_t cap;
    void *mem;
    int32_t *t;
    uint32_t *dur;
    uint16_t *unit, *code, *diag;
    uint8_t *kind, *sub, *flags, *kind_pos;
};

/* A block with room for cap events (nothing used, no reference yet:
 * attach it to a snapshot at once), or NULL. */
struct snap_cols *snap_cols_new(size_t cap);

/* Point s's column pointers into c and take a reference (s has none
 * yet); s->cols_end is the caller's to set. */
void snap_cols_attach(struct snap *s, struct snap_cols *c);

/* Drop a reference; the last one frees the block. */
void snap_cols_unref(struct snap_cols *c);

/* Claim n positions after `from` for appending: true when nobody has
 * claimed beyond `from` and they fit. */
bool snap_cols_claim(struct snap_cols *c, size_t from, size_t n);

/* The room to give a block for n events: some to append to. */
size_t snap_cols_room(size_t n);

enum snap_table { T_ACT, T_CONTACT, T_MEASURE, T_ASSESS, T_PLAN, T_TREAT, T_FOLLOW, T_STEP };

/* snap.c: the care units, the persons (with their deaths as events, and
 * renumbered by place), one event table. 0 or a negative KN_E*. */
int snap_read_units(struct builder *b);
int snap_read_persons(struct builder *b);
int snap_read_table(struct builder *b, enum snap_table tb);

/* The dictionary index of an ICD-10 code (SNAP_NONE for NULL). */
int snap_intern_code(struct builder *b, const char *s, size_t n, uint16_t *out);

/* Where the store stands, in the read transaction open on st: the
 * highest ids and the edit count into s (snap.h). 0 or a negative KN_E*. */
int snap_read_marks(struct snap *s, struct store *st, struct kn_error *err);

/* The store's import-run stamp: out[0] the number of import runs, out[1]
 * the last one's id (0 for none); it moves with every import, so a
 * snapshot built at one stamp is current while the stamp stands. */
int snap_read_stamp(struct store *st, int64_t out[2], struct kn_error *err);

/* The consultations into s (snap.h: consults, consult_today and their
 * years), from st's net_consultation (none in a store without it). 0 or a
 * negative KN_E*. */
int snap_read_consults(struct snap *s, struct store *st, struct kn_error *err);

/* Sort one person's staged events by time, kind and type, keeping the
 * order they come in among equals (snap_build.c). Overwrites the person
 * fields. */
void snap_sort_slice(struct stage *v, size_t n);

/* Person p's events by kind (kind_start, kind_pos; snap.h), from the
 * columns of its slice. */
void snap_kind_index(struct snap *s, size_t p);

/* The earliest start and the data's end (t_first, t_last) from every
 * event of the columns (a build's). */
void snap_scan_ends(struct snap *s);

/* The serial, the years, the table of months and the size, from t_first
 * and t_last (the last steps of a build or patch). 0 or KN_ENOMEM. */
int snap_finish(struct snap *s, struct kn_error *err);

/* A new staged event (zeroed, no end, no unit or codes), or NULL. */
struct stage *snap_push(struct builder *b);

#endif /* KNOD_STATS_SNAP_IMPL_H */
