/* src/disclosure/sup_pop.c: the population fingerprint of a definition (sup.h). */
#include <string.h>

#include "base/hash.h"
#include "disclosure/sup_impl.h"

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    return kn_fnv1a(h, p, n);
}

#define MIX(h, x) mix((h), &(x), sizeof(x))

static uint64_t field(uint64_t h, const struct ind_field *f)
{
    int id = (int)f->id;
    h = MIX(h, id);
    h = MIX(h, f->mask);
    h = MIX(h, f->n);
    for (size_t i = 0; i < f->n; i++) {
        if (f->ranges)
            h = mix(h, &f->ranges[i], sizeof f->ranges[i]);
        if (f->codes)
            h = mix(h, &f->codes[i], sizeof f->codes[i]);
        if (f->words)
            h = mix(h, f->words[i], strlen(f->words[i]) + 1);
    }
    return h;
}

/* One condition, as compiled (field values, relation window, observation
 * rule, duration bound); the source line and column left out. */
uint64_t sup_condition(const struct ind_condition *c)
{
    uint64_t h = KN_FNV_SEED;
    bool rel = c->is_relation, neg = c->negate, obs = c->is_observed, dur = c->is_duration;
    h = MIX(h, rel);
    h = MIX(h, neg);
    h = MIX(h, obs);
    h = MIX(h, dur);
    if (dur) {
        int op = (int)c->dur_op;
        h = MIX(h, op);
        h = MIX(h, c->dur_len);
    } else if (obs) {
        int at = (int)c->obs_at;
        h = MIX(h, at);
        h = MIX(h, c->obs_len);
    } else if (rel) {
        const struct ind_related *r = &c->rel;
        int at = (int)r->at;
        h = MIX(h, r->kinds);
        h = MIX(h, r->during);
        h = MIX(h, at);
        h = MIX(h, r->lo);
        h = MIX(h, r->hi);
        h = MIX(h, r->lo_open);
        h = MIX(h, r->hi_open);
        h = MIX(h, r->min_count);
        h = MIX(h, r->filter.n);
        for (size_t i = 0; i < r->filter.n; i++)
            h = field(h, &r->filter.fields[i]);
    } else {
        h = field(h, &c->field);
    }
    /* a finaliser, so that the sum over conditions below mixes well */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

uint64_t sup_population(const struct ind_def *d)
{
    uint64_t h = KN_FNV_SEED, where = 0;
    for (size_t i = 0; i < d->nwhere; i++)
        where += sup_condition(&d->where[i]); /* the order of `where` lines is no matter */
    int pick = (int)d->pick, period = (int)d->period, at = (int)d->period_at;
    h = MIX(h, d->from);
    h = MIX(h, where);
    h = MIX(h, pick);
    h = MIX(h, d->pick_n);
    h = MIX(h, d->pick_ever);
    h = MIX(h, period);
    h = MIX(h, at);
    h = MIX(h, d->geo_unit);
    return h;
}
