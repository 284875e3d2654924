/* src/lang/ind_check.c: checks of a whole definition and of a catalogue,
 * and the shipped catalogue (data/indicators, embedded). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/embed.h"
#include "lang/ind_impl.h"

#define ENDED_KINDS IND_MASK_ENDED
#define UNIT_KINDS (IND_MASK_CONTACT | IND_MASK(IND_EV_MEASURE))

static int dfail(const struct ind_def *d, struct kn_error *err, const char *what)
{
    return kn_fail(err, KN_EINPUT, "%s:%d:1: indicator %s: %s", d->file, d->line,
                   d->id ? d->id : "?", what);
}

static int mfail(const struct ind_def *d, const struct ind_measure *m, struct kn_error *err,
                 const char *what)
{
    return kn_fail(err, KN_EINPUT, "%s:%d:1: measure %s: %s", d->file, m->line, m->name,
                   what);
}

static bool esp_bands(const struct ind_def *d)
{
    for (size_t i = 0; i < d->nbands; i++)
        if (d->bands[i].lo % 5 != 0 || d->bands[i].hi != d->bands[i].lo + 4 ||
            d->bands[i].hi > 94)
            return false;
    return d->nbands > 0;
}

static int check_measure(const struct ind_def *d, const struct ind_measure *m,
                         struct kn_error *err)
{
    switch (m->kind) {
    case IND_M_COUNT:
        if (m->per && d->geo_unit)
            return mfail(d, m, err, "a rate per population needs 'geo person' (the "
                         "population is the persons' home region's)");
        if (m->standardised && !esp_bands(d))
            return mfail(d, m, err, "a standardised rate needs 'bands' of ESP2013's "
                         "five-year groups (such as 10-14, 15-19, 20-24)");
        if (m->standardised && !(d->dims & IND_DIM_BAND))
            return mfail(d, m, err, "a standardised rate needs 'band' in the breakdown");
        break;
    case IND_M_SUM:
    case IND_M_MEDIAN_DUR:
        if (d->from & ~ENDED_KINDS)
            return mfail(d, m, err, "only events with an end (contacts, measures, "
                         "treatments) have a duration");
        break;
    case IND_M_MEDIAN_TO:
    case IND_M_SURVIVAL:
        if (m->rel.rel.during)
            return mfail(d, m, err, "'during' is for 'where' and 'proportion'; a median or "
                         "survival needs a window 'in start|end [...]'");
        if (m->rel.rel.at == IND_AT_END && (d->from & ~ENDED_KINDS))
            return mfail(d, m, err, "'in end' needs anchors with an end");
        if (m->kind == IND_M_SURVIVAL && m->rel.rel.min_count != 1)
            return mfail(d, m, err, "survival counts the first event; drop 'count'");
        if (m->kind == IND_M_SURVIVAL && m->rel.rel.lo < 0)
            return mfail(d, m, err, "survival looks forward: the window must start at 0 or "
                         "later");
        break;
    case IND_M_PROPORTION:
        if (m->rel.is_relation && m->rel.rel.during && (d->from & ~ENDED_KINDS))
            return mfail(d, m, err, "'during' needs anchors with an end");
        if (m->rel.is_relation && m->rel.rel.at == IND_AT_END && (d->from & ~ENDED_KINDS))
            return mfail(d, m, err, "'in end' needs anchors with an end");
        break;
    case IND_M_RATIO: {
        bool found = false;
        for (size_t i = 0; i < d->nmeasures; i++)
            if (&d->measures[i] != m && strcmp(d->measures[i].name, m->ratio_a) == 0)
                found = d->measures[i].kind != IND_M_RATIO;
        if (!found)
            return mfail(d, m, err, "the numerator must be another measure of this "
                         "indicator (not a ratio)");
        if (!m->ratio_b_ind) {
            found = false;
            for (size_t i = 0; i < d->nmeasures; i++)
                if (&d->measures[i] != m && strcmp(d->measures[i].name, m->ratio_b) == 0)
                    found = d->measures[i].kind != IND_M_RATIO;
            if (!found)
                return mfail(d, m, err, "the denominator must be another measure of this "
                             "indicator, or ID:MEASURE");
        }
        break;
    }
    }
    return 0;
}

int ind_def_finish(struct ind_def *d, struct kn_error *err)
{
    if (!d->version)
        return dfail(d, err, "'version N' is missing");
    if (!d->title_sv || !d->title_en)
        return dfail(d, err, "a title in both sv and en is needed");
    if (!d->desc_sv || !d->desc_en)
        return dfail(d, err, "a description in both sv and en is needed");
    if (!d->owner)
        return dfail(d, err, "'owner \"...\"' is missing");
    if ((unsigned)d->goal > IND_GOAL_NETWORK)
        return dfail(d, err, "'goal G' is missing");
    if (!d->from)
        return dfail(d, err, "'from KIND' is missing");
    if (!d->nmeasures)
        return dfail(d, err, "at least one 'measure' is needed");
    if (!d->has_direction)
        return dfail(d, err, "'direction lower|higher' is missing");
    if (d->target_measure < 0)
        d->target_measure = 0;
    if (d->period_at == IND_AT_END && (d->from & ~ENDED_KINDS))
        return dfail(d, err, "'period ... of end' needs events with an end (contacts, "
                     "measures, treatments)");
    if (d->geo_unit && (d->from & ~UNIT_KINDS))
        return dfail(d, err, "'geo unit' needs events at a care unit (contacts, measures)");
    if ((d->dims & IND_DIM_MUNICIPALITY) && d->geo_unit)
        return dfail(d, err, "the municipality breakdown needs 'geo person'");
    if ((d->dims & IND_DIM_UNIT) && !d->geo_unit)
        return dfail(d, err, "the unit breakdown needs 'geo unit'");
    if ((d->dims & IND_DIM_BAND) && !d->nbands)
        return dfail(d, err, "the band breakdown needs 'bands'");
    if (d->nbands && !(d->dims & IND_DIM_BAND))
        return dfail(d, err, "'bands' are given but 'band' is not in the breakdown");
    if ((d->dims & (IND_DIM_MUNICIPALITY | IND_DIM_UNIT)) && !(d->dims & IND_DIM_REGION))
        d->dims |= IND_DIM_REGION;
    if (d->from == IND_FROM_CONSULT && (d->dims & ~IND_DIM_REGION))
        return dfail(d, err, "consultations are broken down by the asking region only "
                     "('breakdown region')");
    if (d->from == IND_FROM_CONSULT && d->pick != IND_PICK_ALL)
        return dfail(d, err, "'pick' does not apply to consultations");
    for (size_t i = 0; i < d->nmeasures; i++)
        if ((d->from == IND_FROM_CONSULT) != (d->measures[i].workdays > 0))
            return mfail(d, &d->measures[i], err,
                         d->from == IND_FROM_CONSULT
                             ? "consultations are measured by 'proportion answered "
                               "within N workdays'"
                             : "'answered within' is for 'from consultation'");
    for (size_t i = 0; i < d->nmeasures; i++) {
        int rc = check_measure(d, &d->measures[i], err);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int ind_catalogue_check(const struct ind_catalogue *cat, struct kn_error *err)
{
    for (size_t i = 0; i < cat->n; i++) {
        const struct ind_def *d = &cat->defs[i];
        for (size_t j = 0; j < i; j++) {
            const struct ind_def *e = &cat->defs[j];
            if (strcmp(d->id, e->id) != 0)
                continue;
            if (d->version == e->version)
                return dfail(d, err, "this version is defined twice (also at "
                             "an earlier line or file)");
            if (d->valid_from < e->valid_to && e->valid_from < d->valid_to)
                return dfail(d, err, "the validity of two versions overlaps; end the older "
                             "one with 'valid FROM .. TO'");
        }
        for (size_t k = 0; k < d->nmeasures; k++) {
            const struct ind_measure *m = &d->measures[k];
            if (m->kind != IND_M_RATIO || !m->ratio_b_ind)
                continue;
            const struct ind_def *o = ind_find(cat, m->ratio_b_ind);
            bool ok = false;
            for (size_t q = 0; o && q < o->nmeasures; q++)
                ok |= strcmp(o->measures[q].name, m->ratio_b) == 0 &&
                      o->measures[q].kind != IND_M_RATIO;
            if (!ok)
                return mfail(d, m, err, "the denominator ID:MEASURE is not in the catalogue");
            if (o->period != d->period || o->period_at != d->period_at ||
                o->geo_unit != d->geo_unit || o->dims != d->dims ||
                o->nbands != d->nbands ||
                memcmp(o->bands, d->bands, d->nbands * sizeof d->bands[0]) != 0)
                return mfail(d, m, err, "the denominator's indicator must have the same "
                             "period, geo, bands and breakdown");
        }
    }
    return 0;
}

size_t ind_with_operands(const struct ind_catalogue *cat, const struct ind_def **v, size_t n)
{
    for (size_t i = 0; i < n; i++) /* n grows: operands of operands too */
        for (size_t k = 0; k < v[i]->nmeasures; k++) {
            const struct ind_measure *m = &v[i]->measures[k];
            if (m->kind != IND_M_RATIO || !m->ratio_b_ind)
                continue;
            for (size_t j = 0; j < cat->n; j++) {
                bool seen = strcmp(cat->defs[j].id, m->ratio_b_ind) != 0;
                for (size_t q = 0; !seen && q < n; q++)
                    seen = v[q] == &cat->defs[j];
                if (!seen)
                    v[n++] = &cat->defs[j];
            }
        }
    return n;
}

const struct ind_def *ind_find(const struct ind_catalogue *cat, const char *id)
{
    const struct ind_def *best = NULL;
    for (size_t i = 0; i < cat->n; i++)
        if (strcmp(cat->defs[i].id, id) == 0 &&
            (!best || cat->defs[i].version > best->version))
            best = &cat->defs[i];
    return best;
}

int ind_catalogue_shipped(struct ind_catalogue *cat, struct arena *a, struct kn_error *err)
{
    static const char prefix[] = "indicators/";
    for (unsigned i = 0; i < embed_count; i++) {
        const struct embed_file *f = &embed_files[i];
        size_t n = strlen(f->name);
        if (strncmp(f->name, prefix, sizeof prefix - 1) != 0 || n < 4 ||
            strcmp(f->name + n - 4, ".ind") != 0)
            continue;
        char name[128];
        snprintf(name, sizeof name, "data/%s", f->name);
        int rc = ind_parse(cat, name, (const char *)f->data, f->len, a, err);
        if (rc != 0)
            return rc;
    }
    return ind_catalogue_check(cat, err);
}

int ind_lock_check(const struct ind_catalogue *cat, const char *name, const char *text,
                   size_t len, struct kn_error *err)
{
    const char *p = text, *end = text + len;
    for (int line = 1; p < end; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        char buf[160], id[64], fp[32];
        int version, used = 0;
        snprintf(buf, sizeof buf, "%.*s", (int)(n < sizeof buf - 1 ? n : sizeof buf - 1), p);
        p = nl ? nl + 1 : end;
        if (buf[0] == '#' || buf[0] == '\0')
            continue;
        if (sscanf(buf, "%63s %d %31s%n", id, &version, fp, &used) != 3 ||
            buf[used] != '\0' || strlen(fp) != 16)
            return kn_fail(err, KN_EINPUT, "%s:%d: expected 'ID VERSION FINGERPRINT'", name,
                           line);
        const struct ind_def *d = NULL;
        for (size_t i = 0; i < cat->n; i++)
            if (strcmp(cat->defs[i].id, id) == 0 && cat->defs[i].version == version)
                d = &cat->defs[i];
        if (!d)
            return kn_fail(err, KN_EINPUT, "%s:%d: released indicator %s version %d is "
                           "missing from the catalogue; a released version is never "
                           "removed (end it with 'valid FROM .. TO')", name, line, id, version);
        if (strcmp(d->fingerprint, fp) != 0)
            return kn_fail(err, KN_EINPUT, "%s:%d: indicator %s version %d (%s:%d) has "
                           "changed since it was released; give the changed definition a "
                           "new version", name, line, id, version, d->file, d->line);
    }
    return 0;
}

int ind_lock_check_shipped(const struct ind_catalogue *cat, struct kn_error *err)
{
    const struct embed_file *f = embed_find("indicators/catalogue.lock");
    if (!f)
        return kn_fail(err, KN_ENOTFOUND, "data/indicators/catalogue.lock is not built in");
    return ind_lock_check(cat, "data/indicators/catalogue.lock", (const char *)f->data, f->len,
                          err);
}

void ind_target_text(const struct ind_def *d, char *buf, size_t cap)
{
    if (!d->has_target)
        snprintf(buf, cap, "%s", "");
    else if (d->target_base_year)
        snprintf(buf, cap, "%s%+g%% from %d", d->target_le ? "<=" : ">=", d->target,
                 d->target_base_year);
    else
        snprintf(buf, cap, "%s%g", d->target_le ? "<=" : ">=", d->target);
}

/* x as %g with a decimal comma in Swedish. */
static void plain_number(double x, bool sv, char *buf, size_t cap)
{
    snprintf(buf, cap, "%g", x);
    if (sv)
        for (char *p = buf; *p; p++)
            if (*p == '.')
                *p = ',';
}

void ind_target_words(const struct ind_def *d, bool sv, char *buf, size_t cap)
{
    char n[32];
    if (!d->has_target) {
        snprintf(buf, cap, "%s", "");
        return;
    }
    if (d->target_base_year) {
        /* a change from the base year: <= -10% is at least 10 % lower */
        double x = d->target;
        plain_number(fabs(x), sv, n, sizeof n);
        bool lower = x < 0, most = d->target_le ? !lower : lower;
        if (x == 0)
            snprintf(buf, cap, sv ? "inte %s än %d" : "no %s than in %d",
                     d->target_le ? (sv ? "högre" : "higher") : (sv ? "lägre" : "lower"),
                     d->target_base_year);
        else
            snprintf(buf, cap, sv ? "%s %s\xc2\xa0%% %s än %d" : "%s %s%% %s than in %d",
                     most ? (sv ? "högst" : "at most") : (sv ? "minst" : "at least"), n,
                     lower ? (sv ? "lägre" : "lower") : (sv ? "högre" : "higher"),
                     d->target_base_year);
        return;
    }
    char unit[96];
    ind_measure_unit(&d->measures[d->target_measure], sv, unit, sizeof unit);
    plain_number(d->target, sv, n, sizeof n);
    snprintf(buf, cap, "%s %s %s",
             d->target_le ? (sv ? "högst" : "at most") : (sv ? "minst" : "at least"), n, unit);
}

/* N with a thin group separator: 100 000 (sv) or 100,000 (en). */
static void grouped(int64_t n, bool sv, char *buf, size_t cap)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%lld", (long long)n);
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < cap; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[o++] = sv ? ' ' : ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

void ind_measure_unit(const struct ind_measure *m, bool sv, char *buf, size_t cap)
{
    char n[32];
    grouped(m->per, sv, n, sizeof n);
    bool days = m->unit_seconds == 86400;
    switch (m->kind) {
    case IND_M_COUNT:
        if (m->per)
            snprintf(buf, cap, sv ? "per %s invånare%s" : "per %s population%s", n,
                     m->standardised ? (sv ? ", åldersstandardiserat" : ", age-standardised")
                                     : "");
        else
            snprintf(buf, cap, "%s", m->persons ? (sv ? "personer" : "persons")
                                                : (sv ? "händelser" : "events"));
        break;
    case IND_M_SUM:
    case IND_M_MEDIAN_TO:
    case IND_M_MEDIAN_DUR:
        snprintf(buf, cap, "%s", days ? (sv ? "dagar" : "days") : (sv ? "timmar" : "hours"));
        break;
    case IND_M_PROPORTION:
    case IND_M_SURVIVAL:
        snprintf(buf, cap, "%s", sv ? "procent" : "per cent");
        break;
    case IND_M_RATIO:
        snprintf(buf, cap, "per %s", n);
        break;
    }
}
