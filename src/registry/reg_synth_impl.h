/* src/registry/reg_synth_impl.h: what the reg_synth*.c files share.
 *
 * Not an API: reg_synth.h is. reg_synth_rng.c is the random source,
 * reg_synth_world.c draws the regions' parameters, the units and the
 * persons, reg_synth_gen.c decides when each person self-harms and
 * reg_synth_care.c what care follows (both as struct reg_syn_row), and
 * reg_synth.c runs the chunks on threads and writes the CSV text.
 */
#ifndef KNOD_REGISTRY_REG_SYNTH_IMPL_H
#define KNOD_REGISTRY_REG_SYNTH_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "domain/geo.h"
#include "registry/reg_synth.h"

/* ---- random numbers (reg_synth_rng.c) ---------------------------------- */

/* xoshiro256** state; seeded by splitmix64 from (seed, stream), so that
 * each chunk of persons has its own stream, independent of the others. */
struct reg_syn_rng {
    uint64_t s[4];
};

void reg_syn_rng_seed(struct reg_syn_rng *r, uint64_t seed, uint64_t stream);
uint64_t reg_syn_next(struct reg_syn_rng *r);
double reg_syn_u01(struct reg_syn_rng *r);                  /* [0, 1), 53 bits */
uint32_t reg_syn_below(struct reg_syn_rng *r, uint32_t n); /* 0 .. n-1, unbiased; n > 0 */
int64_t reg_syn_range(struct reg_syn_rng *r, int64_t lo, int64_t hi); /* lo .. hi */
bool reg_syn_chance(struct reg_syn_rng *r, double p);
double reg_syn_normal(struct reg_syn_rng *r);               /* N(0, 1) */
double reg_syn_lognormal(struct reg_syn_rng *r, double median, double sigma);

/* exp and natural log from + - * / only (plus exact frexp/ldexp), so that
 * the output does not depend on the C library's libm. */
double reg_syn_exp(double x);
double reg_syn_log(double x); /* x > 0 */

/* ---- the world: read-only while chunks are generated -------------------- */

#define SYN_NONE INT64_MIN /* "no time" in a row's t1 / t2 */
#define SYN_HOUR 3600
#define SYN_DAY  86400

enum reg_syn_unit_type {
    SYN_U_EMERGENCY,
    SYN_U_SOMATIC,
    SYN_U_BUP,
    SYN_U_ADULT,
    SYN_U_PRIMARY,
    SYN_U_MUNICIPAL,
    SYN_U_NHV,
};

struct reg_syn_unit {
    char code[32];  /* "SE2321000001-U0001" */
    char name[128];
    uint8_t region; /* index into world.regions */
    uint8_t type;   /* enum reg_syn_unit_type */
    uint8_t inpatient;
};

/* One region: its invented parameters (see reg_synth_gen.c) and units. */
struct reg_syn_region {
    const struct geo_region *geo;
    double inc;      /* self-harm incidence factor, 0.6 .. 1.5 */
    double rep;      /* chance that an act is repeated within a year */
    double assess;   /* share of emergency visits with a suicide risk assessment */
    double assess_h; /* median hours from visit to that assessment */
    double fu7;      /* share of discharges followed up within 7 days */
    double admit;    /* factor on psychiatric admission after an act */
    double lpt;      /* share of admissions under LPT */
    uint16_t emerg[3];
    int nemerg;
    uint16_t somatic, bup_in, bup_out, adult_in, adult_out, primary, municipal;
    int nhv_in, nhv_out; /* this region's NHV units, -1 if it has none */
};

/* A person as drawn before the events (the personnummer is made here). */
struct reg_syn_person {
    char digits[12];  /* YYYYMMDDNNNC, day + 60 for a samordningsnummer */
    int32_t birth;    /* kn_day */
    uint16_t muni;    /* index into geo.municipalities */
    uint8_t region;   /* index into world.regions */
    uint8_t female;
    uint8_t form;     /* 0 YYYYMMDD-NNNC, 1 YYYYMMDDNNNC, 2 YYMMDD-NNNC */
    uint8_t nhv;      /* index into world.regions of the NHV region to use */
    uint8_t short_ok; /* may be written YYMMDD-NNNC (see reg_syn_push()) */
};

struct reg_syn_world {
    const struct geo *g;
    uint64_t seed;
    int start_year, end_year;
    kn_time t_start, t_end; /* first and last second of the period */
    struct reg_syn_region *regions;
    size_t nregions;
    struct reg_syn_unit *units;
    size_t nunits;
    struct reg_syn_person *persons;
    size_t npersons;
};

/* reg_synth_world.c: check nothing (reg_synth_write() did), draw the world
 * for o from g. 0, KN_EINPUT (too many persons for the birth dates) or
 * KN_ENOMEM; release *w in any case. */
int reg_syn_world_make(struct reg_syn_world *w, const struct reg_synth_options *o,
                       const struct geo *g, struct kn_error *err);
void reg_syn_world_release(struct reg_syn_world *w);

/* ---- chunks: the rows of a run of persons (reg_synth_gen.c) ------------- */

enum reg_syn_contact_type { SYN_EMERGENCY, SYN_OUTPATIENT, SYN_INPATIENT };
enum reg_syn_legal { SYN_VOLUNTARY, SYN_LPT, SYN_LRV };
enum reg_syn_measure {
    SYN_FASTSPANNING, SYN_AVSKILJNING, SYN_TVANGSMED, SYN_FASTHALLANDE, SYN_MEASURE_OTHER
};
enum reg_syn_assessment { SYN_SUICIDE_RISK, SYN_PSYCHOSOCIAL, SYN_ASSESS_OTHER };
enum reg_syn_plan { SYN_CARE_PLAN, SYN_CRISIS_PLAN, SYN_SIP };
enum reg_syn_treatment { SYN_DBT, SYN_MBT, SYN_ERGT, SYN_ERITA, SYN_CBT, SYN_TREAT_OTHER };
enum reg_syn_mode { SYN_VISIT, SYN_PHONE, SYN_VIDEO };
enum reg_syn_pathway { SYN_ADULT, SYN_CHILD };

/* One row of any event kind; which fields count depends on the kind. */
struct reg_syn_row {
    kn_time t0;       /* time, or start */
    kn_time t1;       /* end, or SYN_NONE */
    kn_time t2;       /* decided (measures), or SYN_NONE */
    int32_t person;   /* index in the chunk */
    int32_t ref;      /* contact_id / stay_id: index in the chunk's contacts, -1 */
    int32_t ext;      /* extends_id: index in the chunk's measures, -1 */
    uint16_t unit;    /* contacts: index into world.units */
    uint8_t type;     /* contact type, measure type, ..., pathway */
    uint8_t legal;    /* contacts and measures: enum reg_syn_legal */
    uint8_t brief;    /* contacts: brief admission */
    uint8_t cause;    /* 0 none, 1..25 X60..X84, 26..50 Y10..Y34 */
    uint8_t diag;     /* contacts: main diagnosis (index into reg_syn_diag_codes);
                       * pathway steps: the step (index into reg_syn_step_codes) */
    uint8_t other[2]; /* contacts: other diagnoses, 0 for none */
    uint8_t form;     /* how this row writes the personnummer */
};

struct reg_syn_vec {
    struct reg_syn_row *v;
    size_t n, cap;
};

struct reg_syn_chunk {
    size_t first, n;                           /* persons first .. first + n - 1 */
    struct reg_syn_vec rows[REG_SYNTH_NKINDS]; /* the event kinds only */
    int32_t *death;                            /* per person: kn_day, or INT32_MIN */
    uint8_t *suicide;                          /* per person: 1 if death by suicide */
    size_t cap_persons;
    bool oom;                                  /* a row could not be stored */
    struct reg_syn_row scratch;                /* takes rows when memory ran out */
};

extern const char *const reg_syn_diag_codes[];

void reg_syn_chunk_init(struct reg_syn_chunk *c);
void reg_syn_chunk_release(struct reg_syn_chunk *c);

/* Generate the rows of persons first .. first + n - 1 into c (emptied
 * first). Depends only on the world and `first`. 0 or KN_ENOMEM. */
int reg_syn_gen_chunk(const struct reg_syn_world *w, size_t first, size_t n,
                      struct reg_syn_chunk *c);

/* ---- one person being generated (reg_synth_gen.c, reg_synth_care.c) ------ */

/* The person being generated and what is known of them so far. */
struct reg_syn_ctx {
    const struct reg_syn_world *w;
    struct reg_syn_chunk *c;
    struct reg_syn_rng *r;
    const struct reg_syn_person *p;
    const struct reg_syn_region *reg;
    int32_t pi;          /* index in the chunk */
    int by;              /* birth year */
    kn_time birth;       /* midnight of the birth day */
    kn_time t18;         /* midnight of the 18th birthday */
    int z;               /* frailty 0, 1 or 3 */
    uint8_t diag;        /* psychiatric diagnosis (index into reg_syn_diag_codes) */
    uint16_t emerg;      /* usual emergency unit */
    kn_time last;        /* latest time written for the person */
    bool open;           /* something is still going on at the period's end */
    kn_time busy;        /* end of the latest stay after an act */
    kn_time episode;     /* start of the current pathway episode, or SYN_NONE */
    kn_time prev_act;    /* time of the previous act, or SYN_NONE */
    kn_time second_act;  /* time of the second act, or SYN_NONE */
    int nacts, ndbt;
    size_t contacts0;    /* the person's first row in the chunk's contacts */
};

/* The day a time falls on (floor, also before 1970). */
static inline int64_t reg_syn_day_of(kn_time t)
{
    return t >= 0 ? t / SYN_DAY : -((-t + SYN_DAY - 1) / SYN_DAY);
}

/* Note t as one of the person's times (for the death date). */
static inline void reg_syn_seen(struct reg_syn_ctx *x, kn_time t)
{
    if (t != SYN_NONE && t > x->last)
        x->last = t;
}

static inline bool reg_syn_in_period(const struct reg_syn_ctx *x, kn_time t)
{
    return t <= x->w->t_end;
}

/* An end time, or SYN_NONE (and the person open) past the period. */
static inline kn_time reg_syn_end_or_open(struct reg_syn_ctx *x, kn_time t)
{
    if (t > x->w->t_end) {
        x->open = true;
        return SYN_NONE;
    }
    return t;
}

static inline bool reg_syn_is_child(const struct reg_syn_ctx *x, kn_time t)
{
    return t < x->t18;
}

/* A psychiatric unit of the person's region for time t. */
static inline uint16_t reg_syn_psych_unit(const struct reg_syn_ctx *x, kn_time t,
                                          bool inpatient)
{
    if (reg_syn_is_child(x, t))
        return inpatient ? x->reg->bup_in : x->reg->bup_out;
    return inpatient ? x->reg->adult_in : x->reg->adult_out;
}

/* reg_synth_gen.c: append a row of kind k for the person, its index in
 * *idx (may be NULL; -1 when memory ran out: the row then goes to a
 * scratch row and the chunk is marked). Never NULL. */
struct reg_syn_row *reg_syn_push(struct reg_syn_ctx *x, int k, int32_t *idx);

/* reg_synth_gen.c: a time on a working day 08:00-16:55, not before t. */
kn_time reg_syn_office_time(struct reg_syn_ctx *x, kn_time t);

/* reg_synth_care.c: the care around and after the acts. */
int32_t reg_syn_stay(struct reg_syn_ctx *x, uint16_t unit, kn_time start, kn_time len,
                     uint8_t legal, bool brief, uint8_t cause, uint8_t diag,
                     kn_time *end);
kn_time reg_syn_psych_stay(struct reg_syn_ctx *x, kn_time start, uint8_t cause);
void reg_syn_follow_up(struct reg_syn_ctx *x, int32_t stay, kn_time end, double share);
void reg_syn_outpatient(struct reg_syn_ctx *x, uint16_t unit, kn_time t, int minutes,
                        uint8_t cause);
void reg_syn_episode(struct reg_syn_ctx *x, kn_time first, kn_time assessed, bool repeat);
void reg_syn_brief_admissions(struct reg_syn_ctx *x);
void reg_syn_nhv(struct reg_syn_ctx *x);
void reg_syn_other_care(struct reg_syn_ctx *x);

#endif /* KNOD_REGISTRY_REG_SYNTH_IMPL_H */
