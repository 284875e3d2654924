/* src/registry/reg_synth.h: a synthetic, deterministic care data set.
 *
 * reg_synth_write() writes one CSV file per record kind of
 * docs/import-format.md into a directory: units, persons, contacts,
 * self_harm, coercive_measures, assessments, care_plans, treatments,
 * follow_ups and pathway_steps, for all 21 regions and the calendar years
 * end_year - years + 1 .. end_year. It feeds demos, benchmarks
 * (1,000,000 persons, about 10 million event rows) and the import and
 * indicator tests; no row describes a real person or a real region. The
 * personnummer are valid (date, birth number, Luhn digit) but drawn at
 * random, so some are numbers that real persons hold: the files are test
 * data, not for a production store.
 *
 * Determinism: the same options (persons, years, end_year, seed) give
 * byte-identical files whatever the number of threads: the generator has
 * its own PRNG (xoshiro256**, seeded by splitmix64 per chunk of persons)
 * and uses no clock, locale or rand(). It also has its own log and exp,
 * so the files do not depend on the C library either, only on IEEE double
 * arithmetic without fused multiply-adds (GCC with -std=c11, as built).
 *
 * Every row has source_system "synth" and a source_id unique in its file
 * ("p17", "c123456", ...). References (contact_id, stay_id, extends_id)
 * point at a row of the same person written earlier in the same file or
 * in a kind written before (the order above). All times lie within the
 * period, after the person's birth and before any death; a stay or
 * treatment still going on at the end of the period has an empty end.
 *
 * What the data looks like (how the distributions are shaped) is told at
 * the top of reg_synth_gen.c.
 */
#ifndef KNOD_REGISTRY_REG_SYNTH_H
#define KNOD_REGISTRY_REG_SYNTH_H

#include <stdint.h>

#include "base/error.h"
#include "domain/geo.h"

#define REG_SYNTH_MAX_PERSONS 5000000L
#define REG_SYNTH_MAX_YEARS   30

/* The pathway step codes of the registered steps (pathway_steps rows), in
 * the order of a pathway, NULL-terminated: "1_first_contact",
 * "2_assessment", "3_care_plan", "4_treatment", "5_exit". The synthetic
 * data writes them, data/examples uses them, and the indicators read
 * them; the pathways as data (data/pathways, hub_pathway.h) must give
 * each one a step. */
extern const char *const reg_syn_step_codes[];
#define REG_SYNTH_MIN_YEAR    2000 /* range of end_year */
#define REG_SYNTH_MAX_YEAR    2100

/* The files, in the order they must be imported. */
enum reg_synth_kind {
    REG_SYNTH_UNITS,
    REG_SYNTH_PERSONS,
    REG_SYNTH_CONTACTS,
    REG_SYNTH_SELF_HARM,
    REG_SYNTH_COERCIVE_MEASURES,
    REG_SYNTH_ASSESSMENTS,
    REG_SYNTH_CARE_PLANS,
    REG_SYNTH_TREATMENTS,
    REG_SYNTH_FOLLOW_UPS,
    REG_SYNTH_PATHWAY_STEPS,
    REG_SYNTH_NKINDS
};

struct reg_synth_options {
    long persons;        /* 1 .. REG_SYNTH_MAX_PERSONS */
    int years;           /* 1 .. REG_SYNTH_MAX_YEARS */
    int end_year;        /* last year of the period, REG_SYNTH_MIN_YEAR ..
                          * REG_SYNTH_MAX_YEAR */
    uint64_t seed;       /* any value */
    const char *out_dir; /* created (one level) if it does not exist */
    int threads;         /* worker threads; 0 = one per online CPU (at most 8).
                          * Does not change the output. */
};

struct reg_synth_stats {
    uint64_t rows[REG_SYNTH_NKINDS];  /* data rows, without the header */
    uint64_t bytes[REG_SYNTH_NKINDS]; /* file sizes */
};

/* "units.csv", ... for a kind. */
const char *reg_synth_file_name(enum reg_synth_kind kind);

/* Write the data set described above into o->out_dir, replacing files of
 * the same names; g is the loaded reference geography. Fills *stats (may
 * be NULL). Returns 0; KN_EINPUT for options out of range (the message
 * names the option); KN_EIO naming the path when the directory or a file
 * cannot be made or written (files already written are left); KN_ENOMEM.
 * Thread-safe as long as two calls do not share an out_dir. */
int reg_synth_write(const struct reg_synth_options *o, const struct geo *g,
                    struct reg_synth_stats *stats, struct kn_error *err);

#endif /* KNOD_REGISTRY_REG_SYNTH_H */
