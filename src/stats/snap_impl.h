/* src/stats/snap_impl.h: the snapshot builder, shared by snap.c (reading
 * the tables) and snap_build.c (putting the timelines together, on one or
 * two connections). Internal to src/stats/snap*.c. */
#ifndef KNOD_STATS_SNAP_IMPL_H
#define KNOD_STATS_SNAP_IMPL_H

#include "stats/snap.h"

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
};

enum snap_table { T_ACT, T_CONTACT, T_MEASURE, T_ASSESS, T_PLAN, T_TREAT, T_FOLLOW, T_STEP };

/* snap.c: the care units, the persons (with their deaths as events, and
 * renumbered by place), one event table. 0 or a negative KN_E*. */
int snap_read_units(struct builder *b);
int snap_read_persons(struct builder *b);
int snap_read_table(struct builder *b, enum snap_table tb);

/* The dictionary index of an ICD-10 code (SNAP_NONE for NULL). */
int snap_intern_code(struct builder *b, const char *s, size_t n, uint16_t *out);

/* A new staged event (zeroed, no end, no unit or codes), or NULL. */
struct stage *snap_push(struct builder *b);

#endif /* KNOD_STATS_SNAP_IMPL_H */
