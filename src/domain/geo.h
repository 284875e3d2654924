/* src/domain/geo.h: Sweden's reference geography and code lists.
 *
 * The 21 regions (county codes) and their healthcare regions, the 290
 * municipalities, the population by region, sex and single year of age,
 * the ESP2013 standard population and the ICD-10 self-harm codes. They ship
 * in data/ (with data/SOURCES.md), are compiled into the binary, checked
 * when parsed here, and loaded into the store at `knod init`
 * (registry/reg_geo.c).
 *
 * Healthcare region: six co-operation regions. Region Halland (13) belongs
 * to two of them, so the municipality decides: Halmstad, Hylte and Laholm
 * are in Södra, the rest of Halland in Västra (SOURCES.md). Build
 * healthcare-region figures from municipalities, not from the region row.
 *
 * Everything in a struct geo lives in the arena given to geo_load().
 */
#ifndef KNOD_DOMAIN_GEO_H
#define KNOD_DOMAIN_GEO_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"

#define GEO_AGE_OPEN 100 /* population age 100 stands for "100 or older" */

struct geo_healthcare_region {
    const char *code; /* "Norra", "Mellansverige", "Stockholm-Gotland", ... */
    const char *name; /* "Norra sjukvårdsregionen", ... */
};

struct geo_region {
    char code[3];                  /* "01" .. "25" */
    const char *name;              /* "Region Stockholm" */
    const char *short_name;        /* "Stockholm" */
    const char *county_name;       /* "Stockholms län" */
    const char *healthcare_region; /* code; Halland: see above */
};

struct geo_municipality {
    char code[5];                  /* "0114"; first two digits = region */
    const char *name;
    char region_code[3];
    const char *healthcare_region; /* code */
};

struct geo_population {
    int year;
    char region_code[3];
    char sex;       /* 'F' or 'M' */
    int age;        /* 0..99, or GEO_AGE_OPEN for 100+ */
    int64_t population;
};

struct geo_std_band {
    const char *age_group; /* "0-4", ..., "95+" */
    int age_from;
    int age_to;            /* -1 for the open band */
    double weight;
};

struct geo_icd10 {
    const char *code;     /* "X60" */
    const char *title_sv; /* may be empty (see SOURCES.md) */
    const char *title_en;
    const char *category; /* intentional_self_harm, undetermined_intent, related, ... */
    const char *note;
};

struct geo {
    const struct geo_healthcare_region *hregions;
    size_t nhregions;
    const struct geo_region *regions;
    size_t nregions;
    const struct geo_municipality *municipalities;
    size_t nmunicipalities;
    const struct geo_population *population;
    size_t npopulation;
    const struct geo_std_band *esp2013;
    size_t nesp2013;
    const struct geo_icd10 *icd10;
    size_t nicd10;
};

/* Parse and check the embedded reference files. KN_EINPUT names file, line
 * and field of anything wrong (a broken build, or data edited badly). */
int geo_load(struct geo *g, struct arena *a, struct kn_error *err);

/* Lookups by code; NULL if unknown. */
const struct geo_region *geo_region(const struct geo *g, const char *code);
const struct geo_municipality *geo_municipality(const struct geo *g,
                                                const char *code);
const struct geo_healthcare_region *geo_healthcare_region(const struct geo *g,
                                                          const char *code);

/* Population of the latest year: region_code NULL for all Sweden, sex 0 for
 * both, ages age_from..age_to inclusive (GEO_AGE_OPEN for 100+). */
int64_t geo_population_sum(const struct geo *g, const char *region_code,
                           char sex, int age_from, int age_to);

#endif /* KNOD_DOMAIN_GEO_H */
