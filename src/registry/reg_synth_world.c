/* src/registry/reg_synth_world.c: the regions, units and persons of a
 * synthetic data set, drawn on one thread from stream 0 of the seed.
 *
 * Regions get invented parameters (incidence, repetition, assessment,
 * follow-up, admission and LPT shares), each spread evenly over its range
 * and dealt out in a seeded order. Units: about nine per region (emergency
 * departments by size, somatic, BUP and adult psychiatry in- and
 * outpatient, primary care, school health) plus the NHV units of
 * Stockholm, Skåne and Västra Götaland. Persons: region and sex by the
 * population aged 10-24, birth year by cohort size, a municipality, and a
 * valid personnummer, unique through a bitmap of used birth numbers per
 * birth day (2 MB for the 19 birth years of a 5-year period).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/reg_synth_impl.h"

/* n (<= 64) evenly spaced values lo..hi into v, in a seeded order: each
 * region parameter spans its whole range whatever the seed, and which
 * region gets which value is the seed's choice. */
static void spread(struct reg_syn_rng *r, size_t n, double lo, double hi, double *v)
{
    size_t perm[64];
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = reg_syn_below(r, (uint32_t)i);
        size_t tmp = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = tmp;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = n > 1 ? lo + (hi - lo) * (double)perm[i] / (double)(n - 1) : lo;
}

static int add_unit(struct reg_syn_world *w, size_t cap, size_t region, int type,
                    bool inpatient, const char *name, uint16_t *idx)
{
    if (w->nunits >= cap)
        return KN_ENOMEM;
    struct reg_syn_unit *u = &w->units[w->nunits];
    snprintf(u->code, sizeof u->code, "SE23210000%.2s-U%04u",
             w->regions[region].geo->code, (unsigned)(w->nunits + 1));
    snprintf(u->name, sizeof u->name, "%s", name);
    u->region = (uint8_t)region;
    u->type = (uint8_t)type;
    u->inpatient = inpatient;
    *idx = (uint16_t)w->nunits++;
    return 0;
}

static int make_units(struct reg_syn_world *w)
{
    const struct geo *g = w->g;
    size_t cap = w->nregions * 16;
    w->units = calloc(cap, sizeof *w->units);
    if (w->units == NULL)
        return KN_ENOMEM;
    char name[128];
    int rc = 0;
    for (size_t i = 0; i < w->nregions && rc == 0; i++) {
        struct reg_syn_region *r = &w->regions[i];
        const char *rn = r->geo->name;
        /* The region's towns (municipality codes xx80..xx89) in code
         * order; xx80 is the county seat. */
        const char *towns[4] = { NULL, NULL, NULL, NULL };
        int ntowns = 0;
        for (size_t m = 0; m < g->nmunicipalities && ntowns < 4; m++) {
            const struct geo_municipality *mu = &g->municipalities[m];
            if (strcmp(mu->region_code, r->geo->code) == 0 && mu->code[2] == '8')
                towns[ntowns++] = mu->name;
        }
        const char *seat = ntowns > 0 ? towns[0] : r->geo->short_name;
        int64_t young = geo_population_sum(g, r->geo->code, 0, 10, 24);
        r->nemerg = young >= 150000 ? 3 : young >= 60000 ? 2 : 1;
        if (r->nemerg > ntowns && ntowns > 0)
            r->nemerg = ntowns;
        for (int e = 0; e < r->nemerg && rc == 0; e++) {
            if (r->nemerg == 1)
                snprintf(name, sizeof name, "Akutmottagningen %s", rn);
            else
                snprintf(name, sizeof name, "Akutmottagningen %s (%s)", rn, towns[e]);
            rc = add_unit(w, cap, i, SYN_U_EMERGENCY, false, name, &r->emerg[e]);
        }
#define UNIT(field, type, inpat, ...) \
    do { \
        snprintf(name, sizeof name, __VA_ARGS__); \
        if (rc == 0) \
            rc = add_unit(w, cap, i, type, inpat, name, &r->field); \
    } while (0)
        UNIT(somatic, SYN_U_SOMATIC, true, "Medicinsk akutvårdsavdelning %s", rn);
        UNIT(bup_in, SYN_U_BUP, true, "BUP heldygnsvård %s", rn);
        UNIT(bup_out, SYN_U_BUP, false, "BUP öppenvård %s", rn);
        UNIT(adult_in, SYN_U_ADULT, true, "Vuxenpsykiatri heldygnsvård %s", rn);
        UNIT(adult_out, SYN_U_ADULT, false, "Vuxenpsykiatri öppenvård %s", rn);
        UNIT(primary, SYN_U_PRIMARY, false, "Vårdcentralen %s", seat);
        UNIT(municipal, SYN_U_MUNICIPAL, false, "Elevhälsan i %s", seat);
#undef UNIT
        r->nhv_in = r->nhv_out = -1;
        const char *code = r->geo->code;
        if (strcmp(code, "01") == 0 || strcmp(code, "12") == 0 ||
            strcmp(code, "14") == 0) {
            uint16_t a = 0, b = 0;
            snprintf(name, sizeof name,
                     "NHV svårbehandlat självskadebeteende heldygnsvård %s", rn);
            if (rc == 0)
                rc = add_unit(w, cap, i, SYN_U_NHV, true, name, &a);
            snprintf(name, sizeof name,
                     "NHV svårbehandlat självskadebeteende konsultation %s", rn);
            if (rc == 0)
                rc = add_unit(w, cap, i, SYN_U_NHV, false, name, &b);
            r->nhv_in = a;
            r->nhv_out = b;
        }
    }
    return rc;
}

static size_t region_index(const struct reg_syn_world *w, const char *code)
{
    for (size_t i = 0; i < w->nregions; i++)
        if (strcmp(w->regions[i].geo->code, code) == 0)
            return i;
    return SIZE_MAX;
}

/* The Luhn digit of the nine digits YYMMDDNNN. */
static char luhn_digit(const char *nine)
{
    int sum = 0;
    for (int i = 0; i < 9; i++) {
        int v = (nine[i] - '0') * (i % 2 == 0 ? 2 : 1);
        sum += v > 9 ? v - 9 : v;
    }
    return (char)('0' + (10 - sum % 10) % 10);
}

static void put_digits(char *o, int v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        o[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

/* Pick from cumulative weights cum[0..n-1] (increasing, cum[n-1] > 0). */
static size_t pick_cum(struct reg_syn_rng *r, const double *cum, size_t n)
{
    double x = reg_syn_u01(r) * cum[n - 1];
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cum[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

struct person_tables {
    double cell[64 * 2];          /* cumulative over (region, sex) */
    double *birth;                /* [cell][birth year], cumulative per cell */
    double *muni;                 /* cumulative per region over its municipalities */
    size_t *muni_from, *muni_n;   /* per region */
    uint8_t *used;                /* birth-number bitmap: [day][coord][1000] */
};

static int make_persons(struct reg_syn_world *w, struct reg_syn_rng *r,
                        struct kn_error *err)
{
    const struct geo *g = w->g;
    size_t nr = w->nregions, nm = g->nmunicipalities;
    int by0 = w->start_year - 24, nby = w->end_year - 10 - by0 + 1;
    kn_day d0 = date_from_ymd(by0, 1, 1);
    int64_t ndays = date_from_ymd(w->end_year - 10, 12, 31) - d0 + 1;
    /* Each day has 999 birth numbers; a day that fills up passes its
     * persons on to the next, which stays cheap up to about 70 %. */
    long long most = (long long)(0.7 * 999.0 * (double)ndays);
    if ((long long)w->npersons > most)
        return kn_fail(err, KN_EINPUT,
                       "%zu persons do not fit the birth dates of %d birth years; "
                       "use at most %lld or more years", w->npersons, nby, most);
    int popyear = 0;
    for (size_t i = 0; i < g->npopulation; i++)
        if (g->population[i].year > popyear)
            popyear = g->population[i].year;

    struct person_tables t;
    memset(&t, 0, sizeof t);
    t.birth = calloc(nr * 2 * (size_t)nby, sizeof *t.birth);
    t.muni = calloc(nm, sizeof *t.muni);
    t.muni_from = calloc(nr, sizeof *t.muni_from);
    t.muni_n = calloc(nr, sizeof *t.muni_n);
    t.used = calloc((size_t)ndays * 2 * 1000 / 8, 1);
    w->persons = malloc(w->npersons * sizeof *w->persons);
    int rc = 0;
    if (t.birth == NULL || t.muni == NULL || t.muni_from == NULL || t.muni_n == NULL ||
        t.used == NULL || w->persons == NULL) {
        rc = kn_fail(err, KN_ENOMEM, "out of memory for %zu persons", w->npersons);
        goto out;
    }

    /* (region, sex) by the population aged 10-24; birth year by the size
     * of the cohort (population aged popyear - year). */
    double acc = 0;
    for (size_t i = 0; i < nr; i++) {
        for (int s = 0; s < 2; s++) {
            const char *code = w->regions[i].geo->code;
            char sex = s ? 'F' : 'M';
            acc += (double)geo_population_sum(g, code, sex, 10, 24);
            t.cell[i * 2 + (size_t)s] = acc;
            double *cb = &t.birth[(i * 2 + (size_t)s) * (size_t)nby];
            double b = 0;
            for (int y = 0; y < nby; y++) {
                int age = popyear - (by0 + y);
                age = age < 0 ? 0 : age > GEO_AGE_OPEN ? GEO_AGE_OPEN : age;
                int64_t pop = geo_population_sum(g, code, sex, age, age);
                b += pop > 0 ? (double)pop : 1.0;
                cb[y] = b;
            }
        }
    }
    /* Municipalities: no population per municipality in the reference
     * data, so weights by kind: the county seat (code xx80) 8, the other
     * towns (xx81..xx89) 3, the rest 1. */
    size_t *order = calloc(nm, sizeof *order);
    if (order == NULL) {
        rc = kn_fail(err, KN_ENOMEM, "out of memory");
        goto out;
    }
    size_t no = 0;
    for (size_t i = 0; i < nr; i++) {
        t.muni_from[i] = no;
        double m = 0;
        for (size_t k = 0; k < nm; k++) {
            const struct geo_municipality *mu = &g->municipalities[k];
            if (strcmp(mu->region_code, w->regions[i].geo->code) != 0)
                continue;
            m += mu->code[2] == '8' ? (mu->code[3] == '0' ? 8 : 3) : 1;
            t.muni[no] = m;
            order[no++] = k;
        }
        t.muni_n[i] = no - t.muni_from[i];
    }
    size_t nhv01 = region_index(w, "01"), nhv12 = region_index(w, "12"),
           nhv14 = region_index(w, "14");

    for (size_t i = 0; i < w->npersons; i++) {
        struct reg_syn_person *p = &w->persons[i];
        size_t cell = pick_cum(r, t.cell, nr * 2);
        size_t reg = cell / 2;
        p->region = (uint8_t)reg;
        p->female = (uint8_t)(cell % 2);
        size_t y = pick_cum(r, &t.birth[cell * (size_t)nby], (size_t)nby);
        int year = by0 + (int)y;
        kn_day day = date_from_ymd(year, 1, 1) +
                     (kn_day)reg_syn_below(r, date_is_leap(year) ? 366 : 365);
        if (t.muni_n[reg] == 0) {
            rc = kn_fail(err, KN_EINPUT, "region '%s' has no municipalities",
                         w->regions[reg].geo->code);
            free(order);
            goto out;
        }
        size_t mk = pick_cum(r, &t.muni[t.muni_from[reg]], t.muni_n[reg]);
        p->muni = (uint16_t)order[t.muni_from[reg] + mk];
        const char *hr = g->municipalities[p->muni].healthcare_region;
        size_t nhv = strcmp(hr, "Södra") == 0 || strcmp(hr, "Sydöstra") == 0 ? nhv12
                     : strcmp(hr, "Västra") == 0                            ? nhv14
                                                                            : nhv01;
        p->nhv = (uint8_t)(nhv == SIZE_MAX ? reg : nhv);
        bool coord = reg_syn_chance(r, 0.02);
        double uf = reg_syn_u01(r);
        p->form = uf < 0.75 ? 0 : uf < 0.90 ? 1 : 2;
        p->short_ok = year >= w->end_year - 40;
        if (!p->short_ok && p->form == 2)
            p->form = 0;

        /* A free birth number of the right parity (odd male, even female,
         * never 000); a full day moves the birth to the next day. */
        uint32_t cnt = p->female ? 499 : 500;
        uint32_t k = reg_syn_below(r, cnt);
        int nnn = -1;
        for (int64_t tries = 0; nnn < 0 && tries < ndays; tries++) {
            uint8_t *bits = t.used + ((size_t)(day - d0) * 2 + coord) * 1000 / 8;
            for (uint32_t j = 0; j < cnt; j++) {
                int cand =
                    (int)(p->female ? 2 + 2 * ((k + j) % cnt) : 1 + 2 * ((k + j) % cnt));
                if (!(bits[cand / 8] & (1u << (cand % 8)))) {
                    bits[cand / 8] |= (uint8_t)(1u << (cand % 8));
                    nnn = cand;
                    break;
                }
            }
            if (nnn < 0)
                day = day + 1 > d0 + ndays - 1 ? d0 : day + 1;
        }
        if (nnn < 0) { /* cannot happen below the limit checked above */
            rc = kn_fail(err, KN_EINPUT, "no free personnummer left");
            free(order);
            goto out;
        }
        struct kn_ymd b = date_to_ymd(day);
        p->birth = day;
        put_digits(p->digits, b.year, 4);
        put_digits(p->digits + 4, b.month, 2);
        put_digits(p->digits + 6, b.day + (coord ? 60 : 0), 2);
        put_digits(p->digits + 8, nnn, 3);
        p->digits[11] = luhn_digit(p->digits + 2);
    }
    free(order);
out:
    free(t.birth);
    free(t.muni);
    free(t.muni_from);
    free(t.muni_n);
    free(t.used);
    return rc;
}

int reg_syn_world_make(struct reg_syn_world *w, const struct reg_synth_options *o,
                       const struct geo *g, struct kn_error *err)
{
    memset(w, 0, sizeof *w);
    w->g = g;
    w->seed = o->seed;
    w->end_year = o->end_year;
    w->start_year = o->end_year - o->years + 1;
    w->t_start = time_from_day(date_from_ymd(w->start_year, 1, 1));
    w->t_end = time_from_day(date_from_ymd(w->end_year + 1, 1, 1)) - 1;
    w->nregions = g->nregions;
    w->npersons = (size_t)o->persons;
    if (w->nregions == 0 || w->nregions > 64)
        return kn_fail(err, KN_EINPUT, "the reference geography has %zu regions",
                       w->nregions);
    w->regions = calloc(w->nregions, sizeof *w->regions);
    if (w->regions == NULL)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    for (size_t i = 0; i < w->nregions; i++)
        w->regions[i].geo = &g->regions[i];

    struct reg_syn_rng r;
    reg_syn_rng_seed(&r, o->seed, 0);
    size_t n = w->nregions;
    double v[7][64];
    spread(&r, n, 0.6, 1.5, v[0]);
    spread(&r, n, 0.10, 0.30, v[1]);
    spread(&r, n, 0.55, 0.95, v[2]);
    spread(&r, n, 2.0, 30.0, v[3]);
    spread(&r, n, 0.45, 0.95, v[4]);
    spread(&r, n, 0.7, 1.3, v[5]);
    spread(&r, n, 0.06, 0.18, v[6]);
    for (size_t i = 0; i < n; i++) {
        struct reg_syn_region *rg = &w->regions[i];
        rg->inc = v[0][i];
        rg->rep = v[1][i];
        rg->assess = v[2][i];
        rg->assess_h = v[3][i];
        rg->fu7 = v[4][i];
        rg->admit = v[5][i];
        rg->lpt = v[6][i];
    }
    if (make_units(w) != 0)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    return make_persons(w, &r, err);
}

void reg_syn_world_release(struct reg_syn_world *w)
{
    free(w->regions);
    free(w->units);
    free(w->persons);
    memset(w, 0, sizeof *w);
}
