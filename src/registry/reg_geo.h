/* src/registry/reg_geo.h: the reference geography in the store.
 *
 * `knod init` writes the embedded reference data (domain/geo.h) into the
 * store's reference tables (migration 0001) with reg_geo_install(); the
 * rest of knod reads it back from the store, which is the truth once a
 * store exists.
 */
#ifndef KNOD_REGISTRY_REG_GEO_H
#define KNOD_REGISTRY_REG_GEO_H

#include <stddef.h>

#include "base/arena.h"
#include "base/error.h"
#include "domain/geo.h"
#include "store/store.h"

/* Write g into the empty reference tables, in one transaction: either all
 * of it is stored or nothing is. KN_EEXIST if they already hold data. */
int reg_geo_install(struct store *s, const struct geo *g, struct kn_error *err);

/* One region as listed by reg_geo_regions(), with its population. */
struct reg_region_row {
    const char *code, *name, *short_name, *county_name, *healthcare_region;
    int64_t population;       /* all ages, latest year */
    int64_t population_10_24; /* "young people" as the indicators count them */
    int municipalities;
};

struct reg_municipality_row {
    const char *code, *name, *region_code, *healthcare_region;
};

/* All regions ordered by code; rows live in a. */
int reg_geo_regions(struct store *s, struct arena *a, struct reg_region_row **rows,
                    size_t *n, struct kn_error *err);

/* Municipalities ordered by code, of one region (region_code) or all
 * (NULL); rows live in a. KN_ENOTFOUND for an unknown region code. */
int reg_geo_municipalities(struct store *s, const char *region_code, struct arena *a,
                           struct reg_municipality_row **rows, size_t *n,
                           struct kn_error *err);

#endif /* KNOD_REGISTRY_REG_GEO_H */
