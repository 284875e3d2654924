/* src/lang/ind.h: indicator definitions, parsed from the indicator language.
 *
 * The language is documented in docs/indicators.md. ind_parse() turns one
 * file into definitions (one per `indicator` line); the engine (eng.h)
 * evaluates them over a snapshot (snap.h). A definition holds no pointers
 * into the parsed text: every string is copied into the caller's arena.
 *
 * Code lists (`cause X60-X84`) are kept as text ranges here and compiled
 * against the snapshot's code dictionary by the engine.
 */
#ifndef KNOD_STATS_IND_H
#define KNOD_STATS_IND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/period.h"

/* Event kinds of the snapshot; a selector is a mask of (1u << kind). */
enum ind_ev {
    IND_EV_ACT,
    IND_EV_EMERGENCY,
    IND_EV_OUTPATIENT,
    IND_EV_STAY,
    IND_EV_MEASURE,
    IND_EV_ASSESSMENT,
    IND_EV_PLAN,
    IND_EV_TREATMENT,
    IND_EV_FOLLOWUP,
    IND_EV_STEP,
    IND_EV_DEATH,
    IND_EV_COUNT
};
#define IND_MASK(k) (1u << (k))
#define IND_MASK_CONTACT \
    (IND_MASK(IND_EV_EMERGENCY) | IND_MASK(IND_EV_OUTPATIENT) | IND_MASK(IND_EV_STAY))
/* `from consultation`: the network's consultations in individual cases
 * (consult/consult.h), not events of a person's timeline. No event has
 * this bit; the engine fills such a definition's cube from the
 * snapshot's consultations (eng_consult.c). */
#define IND_FROM_CONSULT (1u << 24)

/* Fields of conditions (docs/indicators.md, "Fields"). */
enum ind_field_id {
    IND_F_AGE,
    IND_F_SEX,
    IND_F_REGION,
    IND_F_UNIT_REGION,
    IND_F_CAUSE,
    IND_F_DIAGNOSIS,
    IND_F_INTENT,
    IND_F_LINKED,
    IND_F_TYPE,
    IND_F_UNIT_KIND,
    IND_F_SETTING,
    IND_F_LEGAL,
    IND_F_BRIEF,
    IND_F_MODE,
    IND_F_PATHWAY,
    IND_F_STEP,
    IND_F_SUICIDE,
};

struct ind_range {
    int lo, hi; /* inclusive */
};

/* One code or code range of ICD-10: lo..hi compared on the first three
 * characters ("X60".."X84"); a single code has lo == hi. */
struct ind_code_range {
    char lo[4];
    char hi[4];
};

/* field values: one of the value representations, by field. */
struct ind_field {
    enum ind_field_id id;
    int line, col;               /* for messages */
    uint64_t mask;               /* enumerated values: bit per value index */
    struct ind_range *ranges;    /* age */
    struct ind_code_range *codes; /* cause, diagnosis */
    const char **words;          /* step codes (compiled by the engine) */
    size_t n;                    /* ranges, codes or words */
};

struct ind_filter {
    struct ind_field *fields;
    size_t n;
};

enum ind_anchor_time { IND_AT_START, IND_AT_END };

/* A related event along the same person's timeline (a relation). */
struct ind_related {
    uint32_t kinds;              /* mask of IND_EV_* */
    struct ind_filter filter;
    bool during;                 /* `during`: the event starts within the anchor, from
                                    its start to its end (to the data's end while it
                                    goes on); at, lo, hi unused */
    enum ind_anchor_time at;     /* the window is relative to the anchor's start or end */
    int64_t lo, hi;              /* window in seconds */
    bool lo_open, hi_open;
    int min_count;               /* at least this many (1 by default) */
};

/* A comparison of `duration OP DURATION`. */
enum ind_cmp { IND_CMP_GT, IND_CMP_GE, IND_CMP_LT, IND_CMP_LE };

struct ind_condition {
    bool is_relation;
    bool negate;                 /* `no ...` */
    struct ind_field field;      /* neither relation nor observed */
    struct ind_related rel;      /* is_relation */
    bool is_observed;            /* `observed start|end DURATION` */
    enum ind_anchor_time obs_at;
    int64_t obs_len;             /* seconds the data must reach past it */
    bool is_duration;            /* `duration OP DURATION`: the anchor's end - start */
    enum ind_cmp dur_op;
    int64_t dur_len;             /* seconds */
};

enum ind_pick { IND_PICK_ALL, IND_PICK_FIRST, IND_PICK_LAST, IND_PICK_NTH };

enum ind_measure_kind {
    IND_M_COUNT,      /* count events|persons [per N population [standardised]] */
    IND_M_SUM,        /* sum days|hours of durations */
    IND_M_PROPORTION, /* proportion has|no related */
    IND_M_MEDIAN_TO,  /* median days|hours to first related */
    IND_M_MEDIAN_DUR, /* median days|hours of duration */
    IND_M_SURVIVAL,   /* Kaplan-Meier cumulative incidence */
    IND_M_RATIO,      /* A / [ID:]B per N */
};

struct ind_measure {
    const char *name;
    enum ind_measure_kind kind;
    int line;
    bool persons;          /* count persons (else events) */
    int64_t per;           /* rate multiplier (0: no rate) / ratio multiplier */
    bool standardised;     /* DSR to ESP2013 over the bands */
    double unit_seconds;   /* sum/median: 86400 (days) or 3600 (hours) */
    bool merged;           /* sum: a person's overlapping intervals count once */
    struct ind_condition rel; /* proportion / median_to / survival */
    bool censor_death;     /* survival */
    const char *ratio_a;   /* measure name of this indicator */
    const char *ratio_b_ind; /* NULL: this indicator */
    const char *ratio_b;
    int workdays;          /* `proportion answered within N workdays` (from
                              consultation): N; 0 for every other measure */
};

enum ind_goal { IND_GOAL_SELF_HARM, IND_GOAL_ADMISSIONS, IND_GOAL_COERCION,
                IND_GOAL_PATHWAY, IND_GOAL_QUALITY, IND_GOAL_NETWORK };

enum ind_dim { IND_DIM_REGION = 1, IND_DIM_MUNICIPALITY = 2, IND_DIM_UNIT = 4,
               IND_DIM_SEX = 8, IND_DIM_BAND = 16 };

#define IND_MAX_BANDS 16
#define IND_MAX_MEASURES 8
#define IND_MAX_WHERE 64 /* conditions per definition (each copies the list) */

struct ind_def {
    const char *id;
    int version;
    const char *file;       /* where it was defined */
    int line;
    kn_day valid_from;      /* INT32_MIN: always */
    kn_day valid_to;        /* exclusive; INT32_MAX: open */
    const char *title_sv, *title_en;
    const char *desc_sv, *desc_en;
    const char *owner;
    enum ind_goal goal;
    uint32_t from;          /* mask of IND_EV_* */
    struct ind_condition *where;
    size_t nwhere;
    enum ind_pick pick;
    int pick_n;             /* nth */
    bool pick_ever;         /* per person over the timeline (else per period) */
    enum period_kind period;
    enum ind_anchor_time period_at;
    int year_from, year_to; /* 0: the data's years */
    bool geo_unit;
    struct ind_range bands[IND_MAX_BANDS];
    size_t nbands;
    unsigned dims;          /* IND_DIM_* */
    struct ind_measure measures[IND_MAX_MEASURES];
    size_t nmeasures;
    bool has_target;
    bool target_le;         /* target <= x (else >= x) */
    double target;          /* the level, or with a base year the change in per cent */
    int target_base_year;   /* 0: a level; else the value must change by target per cent
                               from the same place's value in this year */
    int target_measure;     /* index into measures */
    bool lower_is_better;
    bool has_direction;
    char fingerprint[17];   /* hex of a hash of the definition's statements */
};

struct ind_catalogue {
    struct ind_def *defs;
    size_t n, cap;
};

/* Parse text (len bytes; need not be NUL-terminated) named `file` and append
 * its definitions to cat, allocating in a. KN_EINPUT with
 * "file:line:col: message" on the first error; cat is then unchanged. */
int ind_parse(struct ind_catalogue *cat, const char *file, const char *text,
              size_t len, struct arena *a, struct kn_error *err);

/* Check the catalogue as a whole: ids and versions unique, versions of one id
 * with disjoint validity, ratio references resolvable. KN_EINPUT otherwise. */
int ind_catalogue_check(const struct ind_catalogue *cat, struct kn_error *err);

/* Load the shipped catalogue (data/indicators, embedded in the binary). */
int ind_catalogue_shipped(struct ind_catalogue *cat, struct arena *a,
                          struct kn_error *err);

/* Check the catalogue against a lock file (data/indicators/catalogue.lock):
 * lines "ID VERSION FINGERPRINT" of released versions, which must still be
 * there with the same fingerprint. KN_EINPUT naming the lock line. */
int ind_lock_check(const struct ind_catalogue *cat, const char *name, const char *text,
                   size_t len, struct kn_error *err);
int ind_lock_check_shipped(const struct ind_catalogue *cat, struct kn_error *err);

/* Append to v[0..n-1] (room for cat->n definitions) every definition of
 * cat that a ratio among them reads as its denominator (`ratio A /
 * ID:B`), every version of that id, and those their ratios read; each
 * definition at most once. Returns the new count. The engine computes a
 * ratio only where its operand is computed alongside: run these too, and
 * show only the first n (eng_run_keep). */
size_t ind_with_operands(const struct ind_catalogue *cat, const struct ind_def **v, size_t n);

/* The definition of id valid for the newest version, or NULL. */
const struct ind_def *ind_find(const struct ind_catalogue *cat, const char *id);

/* The value words of the enumerated fields, in bit order (a field's mask
 * has bit i for words[i]); NULL-terminated. The snapshot codes its events
 * with the same indexes. */
extern const char *const ind_sex_words[];         /* F M */
extern const char *const ind_contact_types[];     /* emergency outpatient inpatient */
extern const char *const ind_measure_types[];
extern const char *const ind_assessment_types[];
extern const char *const ind_plan_types[];
extern const char *const ind_treatment_types[];
extern const char *const ind_unit_kinds[];
extern const char *const ind_settings[];          /* inpatient outpatient */
extern const char *const ind_legal_words[];       /* voluntary LPT LRV LVU */
extern const char *const ind_modes[];             /* visit phone video */
extern const char *const ind_pathways[];          /* adult child */
extern const char *const ind_intents[];           /* intentional undetermined */
extern const char *const ind_yes_no[];            /* no yes */

/* Index of word in a NULL-terminated list, or -1. */
int ind_word_index(const char *const *words, const char *w, size_t len);

/* The unit of a measure's value, in Swedish or English: "per 100 000
 * invånare", "personer", "dagar", "procent", ... */
void ind_measure_unit(const struct ind_measure *m, bool sv, char *buf, size_t cap);

/* The target as text: "<=150", ">=90", "<=-10% from 2020". */
void ind_target_text(const struct ind_def *d, char *buf, size_t cap);

/* The target in words, in Swedish or English, for people: "högst 150 per
 * 100 000 invånare", "at least 80 per cent", "minst 10 % lägre än 2020",
 * "at least 10% lower than in 2020" ("" without a target). The pages, the
 * newsletter and the follow-up report say it so; ind_target_text is the
 * definition's own notation for files and the API. */
void ind_target_words(const struct ind_def *d, bool sv, char *buf, size_t cap);

/* Names for output. */
const char *ind_goal_name(enum ind_goal g);
const char *ind_ev_name(enum ind_ev k);

#endif /* KNOD_STATS_IND_H */
