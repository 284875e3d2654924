/* src/network/unit.h: the inventory of care units and municipal services
 * and their resources, with history.
 *
 * A unit is the registry's care_unit (registry/reg_kinds.c: code, name,
 * region, type, setting); the inventory links to it by code rather than
 * keeping units twice. A unit the registry lacks (a municipal service, an
 * NHV clinic not yet reporting) is added to care_unit with source_system
 * "network" and source_id its code.
 *
 * Its resources are versioned: each version holds the age group served,
 * the staff and how many are trained in attitude and approach (bemötande)
 * and in DBT, whether brief admission (självvald inläggning) is offered,
 * the treatment offers (UNIT_OFFERS), the waiting time to a first visit in
 * days and a note, and for an NHV clinic (type "nhv") its catchment
 * (regions), what it offers (UNIT_NHV_OFFERS) and whether placed children
 * and young people (in out-of-home care; in the national board of
 * institutional care's SiS homes) have access. A version is valid from its
 * day until the next version's day; unit_update() closes the current
 * version and adds one, carrying over what it does not change, so any
 * day's inventory can be read back (unit_list's on). Hundreds of units, a
 * few versions each.
 *
 * Strings in results live in the caller's arena.
 */
#ifndef KNOD_NETWORK_UNIT_H
#define KNOD_NETWORK_UNIT_H

#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"
#include "network/net_rows.h"
#include "store/store.h"

extern const char *const UNIT_OFFERS[];     /* dbt, mbt, cbt, family-therapy,
                                               group-therapy, medication,
                                               crisis-support, school-support,
                                               other */
extern const char *const UNIT_NHV_OFFERS[]; /* consultation, assessment, treatment */
extern const char *const UNIT_TYPES[];      /* bup, adult_psychiatry, emergency, somatic,
                                               primary_care, nhv, municipal */
extern const char *const UNIT_SETTINGS[];   /* inpatient, outpatient */

#define UNIT_UNSET (-1) /* an int field not given (update: carried over) */

struct unit_res {
    const char *code; /* the care unit's code */
    /* Only for a unit the registry lacks (unit_add): */
    const char *name, *region, *type, *setting;
    kn_day as_of; /* the version's first day */
    /* The resources; UNIT_UNSET or NULL: not given. */
    int age_from, age_to;
    int staff, trained_bemotande, trained_dbt;
    int brief_admission; /* 0 or 1; UNIT_UNSET: not stated (stored NULL) */
    const char *offers;  /* comma-separated UNIT_OFFERS, "" for none */
    int waiting_days;
    const char *catchment;         /* NHV: region codes, comma-separated */
    const char *nhv_offers;        /* NHV: comma-separated UNIT_NHV_OFFERS */
    int placed_access, sis_access; /* NHV: 0, 1 or UNIT_UNSET (not stated) */
    const char *note;
};

/* The first version of a unit's resources. The ages are required; a unit
 * unknown to the registry needs name, region, type and setting. KN_EINPUT
 * naming the option (--ages, --staff, --trained-dbt, --offers,
 * --catchment, ...), KN_EEXIST if the unit has resources already (use
 * unit_update). One transaction. */
int unit_add(struct store *st, const struct unit_res *r, struct kn_error *err);

/* A new version from r->as_of, which must be after the current version's
 * first day; fields not given are carried over. KN_ENOTFOUND if the unit
 * has no resources yet. One transaction. */
int unit_update(struct store *st, const struct unit_res *r, struct kn_error *err);

/* unit_add and unit_update inside the caller's transaction (store_begin),
 * so that the caller can check and audit in the same one (the portal's
 * form); on failure the caller rolls back. */
int unit_add_in(struct store *st, const struct unit_res *r, struct kn_error *err);
int unit_update_in(struct store *st, const struct unit_res *r, struct kn_error *err);

/* The fields of a unit as text, as `knod unit` takes them (--name, ...)
 * and the portal's form posts them: UNIT_FIELDS[f] is field f's option
 * name without "--" ("as-of", "trained-bemotande", ...). */
enum unit_field {
    UNIT_F_NAME,
    UNIT_F_REGION,
    UNIT_F_TYPE,
    UNIT_F_SETTING,
    UNIT_F_AS_OF,
    UNIT_F_AGES,
    UNIT_F_STAFF,
    UNIT_F_TRAINED_BEMOTANDE,
    UNIT_F_TRAINED_DBT,
    UNIT_F_BRIEF_ADMISSION,
    UNIT_F_OFFERS,
    UNIT_F_WAITING_DAYS,
    UNIT_F_CATCHMENT,
    UNIT_F_NHV_OFFERS,
    UNIT_F_PLACED_ACCESS,
    UNIT_F_SIS_ACCESS,
    UNIT_F_NOTE,
    UNIT_F_N
};
extern const char *const UNIT_FIELDS[]; /* UNIT_F_N names, NULL-terminated */

/* r from the text values v[UNIT_F_N] (NULL: not given; strings point into
 * v, r->code is left alone): ages "FROM-TO", counts 0 to 100000, "yes" or
 * "no", the as-of day YYYY-MM-DD (not given: as_of). KN_EINPUT naming the
 * option ("--staff: ..."); the checks of unit_add and unit_update follow. */
int unit_res_parse(const char *const *v, kn_day as_of, struct unit_res *r,
                   struct kn_error *err);

/* The field an error message of this module names by its option
 * ("--trained-dbt: more than --staff (4)" is UNIT_F_TRAINED_DBT: the
 * first option named), or -1. */
int unit_field_of(const char *msg);

/* The inventory as of day on, by region then code, optionally only region
 * and/or type (NULL: all): code, name, region, type, setting, since,
 * until (the next version's first day, NULL for the current), age_from, age_to, staff,
 * trained_bemotande, trained_dbt, brief_admission, offers, waiting_days, catchment,
 * nhv_offers, placed_access, sis_access, note. A resource never given is
 * NULL (the counts, waiting_days and the yes/no columns brief_admission,
 * placed_access and sis_access: 1 yes, 0 a stated no). */
int unit_list(struct store *st, kn_day on, const char *region, const char *type,
              struct net_rows *out, struct arena *a, struct kn_error *err);

/* Every version of unit code, oldest first, with the columns of
 * unit_list. KN_ENOTFOUND if it has none. */
int unit_history(struct store *st, const char *code, struct net_rows *out,
                 struct arena *a, struct kn_error *err);

#endif /* KNOD_NETWORK_UNIT_H */
