/* src/hub/hub_pathway.h: the care pathways (vårdförlopp) as data.
 *
 * A pathway (the national one for self-harm in adults, its extension for
 * children and young people) is phases and steps in order, read from
 * three CSV files (data/pathways, embedded; docs/pathways.md):
 *   pathways.csv  code,version,title_sv,title_en,summary_sv,summary_en,
 *                 entry_sv,entry_en,exit_sv,exit_en,source,assumption
 *   phases.csv    pathway,code,title_sv,title_en
 *   steps.csv     pathway,code,phase,title_sv,title_en,actor_sv,actor_en,
 *                 entry_sv,entry_en,limit,limit_from,indicator,
 *                 indicators_more,recorded_as,assumption,patient_sv,
 *                 patient_en,relative_sv,relative_en
 * A pathway's code is the registry's (pathway_steps.pathway: adult,
 * child); a step registered as a pathway event (recorded_as "step") has
 * the registry's step code, so that the indicators' lead times belong to
 * a step. Other steps are recorded as other events (assessment, plan,
 * treatment, followup) or not at all (empty). A time limit is N h or N d
 * from limit_from: an earlier step's code, "emergency-visit" or
 * "discharge". `assumption` says what the data assume where the
 * published pathway gives no detail (empty: from the sources).
 *
 * hub_pathways_parse() checks each file on its own (columns, codes, values,
 * references between the files) and hub_pathways_check() the data against
 * the indicator catalogue and the registry: every step's indicator exists,
 * a step's time limit equals the upper end of its indicator's window, and
 * every registry step code (reg_synth.h) is a step of every pathway.
 * Errors are KN_EINPUT "FILE:LINE: 'FIELD': reason". No text may hold a
 * personnummer-shaped number (refused without echoing it).
 *
 * Everything lives in the caller's arena; a parsed set is read-only and
 * may be shared by threads.
 */
#ifndef KNOD_HUB_HUB_PATHWAY_H
#define KNOD_HUB_HUB_PATHWAY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "lang/ind.h"

/* Texts in two languages: [0] Swedish, [1] English. */
struct hub_step {
    const char *code, *phase;
    const char *title[2], *actor[2], *entry[2], *patient[2], *relative[2];
    const char *limit_text;      /* "7d", "24h", or "" */
    int64_t limit;               /* seconds; 0: no time limit */
    const char *limit_from;      /* a step code, "emergency-visit", "discharge", "" */
    const char *indicator;       /* id whose window is the limit, or "" */
    const char *indicators_more; /* more ids, space-separated, or "" */
    const char *recorded_as;     /* step, assessment, plan, treatment, followup, "" */
    const char *assumption;      /* "" when from the sources */
    int line;                    /* of steps.csv */
};

struct hub_phase {
    const char *code;
    const char *title[2];
    int line;
};

struct hub_pathway {
    const char *code;
    int version;
    const char *title[2], *summary[2], *entry[2], *exit[2];
    const char *source, *assumption;
    struct hub_phase *phases;
    size_t nphases;
    struct hub_step *steps; /* in the order of steps.csv */
    size_t nsteps;
    int line;               /* of pathways.csv */
};

struct hub_pathways {
    struct hub_pathway *p;
    size_t n;
    const char *files[3]; /* the names used in messages */
};

/* The three files' texts (NUL-terminated) and their names for messages.
 * 0, or KN_EINPUT naming file, line and field; KN_ENOMEM. */
int hub_pathways_parse(struct hub_pathways *out, const char *const names[3],
                       const char *const texts[3], struct arena *a, struct kn_error *err);

/* The shipped pathways (data/pathways, embedded), parsed. */
int hub_pathways_shipped(struct hub_pathways *out, struct arena *a, struct kn_error *err);

/* Check ps against the catalogue cat and the registry's step codes (see
 * above). 0 or KN_EINPUT naming file, line and field. */
int hub_pathways_check(const struct hub_pathways *ps, const struct ind_catalogue *cat,
                       struct kn_error *err);

/* The pathway called code, or NULL. */
const struct hub_pathway *hub_pathway_find(const struct hub_pathways *ps, const char *code);

/* The phase of p called code, or NULL. */
const struct hub_phase *hub_pathway_phase(const struct hub_pathway *p, const char *code);

/* The whole pathway as JSON, both languages (a new reference, NULL when
 * out of memory): {"code", "version", "title": {"sv", "en"}, ..., "phases":
 * [{"code", "title", "steps": [{"code", ..., "limit", "limit_from",
 * "indicator", "indicators_more": [...], ...}]}]}. */
json_t *hub_pathway_json(const struct hub_pathway *p);

#endif /* KNOD_HUB_HUB_PATHWAY_H */
