/* src/disclosure/sup_nest.c: nested populations in disclosure control (see
 * sup_impl.h and docs/indicators.md, "Nested populations").
 *
 * adm-sh-1324 counts stays of X60-X84 at ages 13-24, adm-sh-young those
 * of X60-X84 and Y10-Y34 at ages 10-24: every stay of the first is one of
 * the second, so in a cell both publish the second's count minus the
 * first's is a count of its own (ages 10-12, or undetermined intent only)
 * that no indicator publishes, and it may be 1 to 4. The nesting is read
 * from the compiled definitions (sup_nested), not from a list: the same
 * events (`from`, `pick all`, `period`, `geo`) and every condition of the
 * outer one in the inner one, the same or narrower.
 *
 * The differences of a pair, band pair and count form a cube of their own
 * over periods, places and sexes: a difference is hidden where either of
 * its cells is (or the outer one is not published there). A small
 * difference of two shown cells hides the inner cell; a group of places or
 * sexes with exactly one hidden difference (counting a small residual, as
 * sup.c does) hides the inner cell of the smallest shown difference. The
 * inner definition's own suppression then runs again (sup_apply's loop).
 * Only the inner cells are hidden here: the outer indicator is usually the
 * broader, more read one.
 *
 * The workload: a handful of pairs in the catalogue, each a few thousand
 * cells per period; the groups come from sup_groups().
 */
#include <stdlib.h>
#include <string.h>

#include "disclosure/sup_impl.h"

/* ---- detection ---- */

/* Ages as a set: bit a of 256. */
struct ages {
    uint64_t w[4];
};

static void ages_add(struct ages *s, int lo, int hi)
{
    for (int a = lo < 0 ? 0 : lo; a <= hi && a < 256; a++)
        s->w[a / 64] |= 1ull << (a % 64);
}

static void ages_and(struct ages *s, const struct ages *t)
{
    for (int i = 0; i < 4; i++)
        s->w[i] &= t->w[i];
}

static bool ages_empty(const struct ages *s)
{
    return !(s->w[0] | s->w[1] | s->w[2] | s->w[3]);
}

static bool ages_within(const struct ages *s, const struct ages *t)
{
    for (int i = 0; i < 4; i++)
        if (s->w[i] & ~t->w[i])
            return false;
    return true;
}

/* The ages a definition counts: every `where age` condition met. */
static struct ages def_ages(const struct ind_def *d)
{
    struct ages s = {{~0ull, ~0ull, ~0ull, ~0ull}};
    for (size_t i = 0; i < d->nwhere; i++) {
        const struct ind_condition *c = &d->where[i];
        if (c->is_relation || c->is_observed || c->is_duration || c->negate ||
            c->field.id != IND_F_AGE)
            continue;
        struct ages t = {{0}};
        for (size_t k = 0; k < c->field.n; k++)
            ages_add(&t, c->field.ranges[k].lo, c->field.ranges[k].hi);
        ages_and(&s, &t);
    }
    return s;
}

static bool plain_field(const struct ind_condition *c)
{
    return !c->is_relation && !c->is_observed && !c->is_duration && !c->negate;
}

/* Are the values of field a among those of field b (same field)? */
static bool values_within(const struct ind_field *a, const struct ind_field *b)
{
    if (a->mask & ~b->mask)
        return false;
    if (a->codes || b->codes) {
        if (!a->codes || !b->codes)
            return false;
        for (size_t i = 0; i < a->n; i++) {
            bool in = false;
            for (size_t k = 0; k < b->n && !in; k++)
                in = strcmp(a->codes[i].lo, b->codes[k].lo) >= 0 &&
                     strcmp(a->codes[i].hi, b->codes[k].hi) <= 0;
            if (!in)
                return false;
        }
    }
    if (a->words || b->words) {
        if (!a->words || !b->words)
            return false;
        for (size_t i = 0; i < a->n; i++) {
            bool in = false;
            for (size_t k = 0; k < b->n && !in; k++)
                in = strcmp(a->words[i], b->words[k]) == 0;
            if (!in)
                return false;
        }
    }
    return true;
}

/* Does duration condition x keep only events that duration condition c
 * keeps (`duration > 2h` within `duration > 1h`)? A measure without an end
 * meets neither. */
static bool duration_within(const struct ind_condition *x, const struct ind_condition *c)
{
    if (!x->is_duration || !c->is_duration || x->negate || c->negate)
        return false;
    bool xlow = x->dur_op == IND_CMP_GT || x->dur_op == IND_CMP_GE;
    bool clow = c->dur_op == IND_CMP_GT || c->dur_op == IND_CMP_GE;
    bool xstrict = x->dur_op == IND_CMP_GT || x->dur_op == IND_CMP_LT;
    bool cstrict = c->dur_op == IND_CMP_GT || c->dur_op == IND_CMP_LT;
    int64_t a = x->dur_len, b = c->dur_len;
    if (xlow != clow)
        return false;
    if (cstrict && !xstrict) /* >= a within > b needs a > b */
        return xlow ? a > b : a < b;
    return xlow ? a >= b : a <= b;
}

/* Does inner have a condition that keeps only events that condition c of
 * outer keeps? Ages are compared apart (def_ages). */
static bool has_within(const struct ind_def *inner, const struct ind_condition *c)
{
    uint64_t h = sup_condition(c);
    for (size_t i = 0; i < inner->nwhere; i++) {
        const struct ind_condition *x = &inner->where[i];
        if (sup_condition(x) == h || duration_within(x, c))
            return true;
        if (plain_field(c) && plain_field(x) && x->field.id == c->field.id &&
            c->field.id != IND_F_AGE && values_within(&x->field, &c->field))
            return true;
    }
    return false;
}

/* The ages of band b of d (0: all ages), cut to the definition's. */
static struct ages band_ages(const struct ind_def *d, const struct ages *all, size_t b)
{
    struct ages s = *all;
    if (b > 0) {
        struct ages t = {{0}};
        ages_add(&t, d->bands[b - 1].lo, d->bands[b - 1].hi);
        ages_and(&s, &t);
    }
    return s;
}

bool sup_nested(const struct ind_def *inner, const struct ind_def *outer,
                struct sup_nest *n)
{
    if (inner == outer || inner->from != outer->from || inner->pick != IND_PICK_ALL ||
        outer->pick != IND_PICK_ALL || inner->period != outer->period ||
        inner->period_at != outer->period_at || inner->geo_unit != outer->geo_unit ||
        sup_population(inner) == sup_population(outer))
        return false;
    for (size_t i = 0; i < outer->nwhere; i++) {
        const struct ind_condition *c = &outer->where[i];
        if (plain_field(c) && c->field.id == IND_F_AGE)
            continue;
        if (!has_within(inner, c))
            return false;
    }
    struct ages ai = def_ages(inner), ao = def_ages(outer);
    n->npairs = 0;
    for (size_t ia = 0; ia <= inner->nbands; ia++) {
        struct ages s = band_ages(inner, &ai, ia);
        ages_and(&s, &ao); /* the inner events the outer counts too */
        if (ages_empty(&s))
            continue;
        for (size_t ib = 0; ib <= outer->nbands; ib++) {
            struct ages t = band_ages(outer, &ao, ib);
            if (ages_within(&s, &t) && n->npairs < SUP_MAX_BAND_PAIRS) {
                n->ia[n->npairs] = (uint8_t)ia;
                n->ib[n->npairs++] = (uint8_t)ib;
            }
        }
    }
    return n->npairs > 0;
}

/* ---- the cube of differences ---- */

struct diff {
    struct joint *a;                  /* inner */
    const struct joint *b;            /* outer */
    const struct eng_result *ra, *rb; /* the paired count measures */
    size_t ia, ib;                    /* the band pair */
    int pa, pb;                       /* the period pair */
    bool changed;
};

/* The outer cell of inner cell x (same period pair, place and sex; band
 * ib), or SIZE_MAX where the outer does not publish it. */
static size_t outer_cell(const struct diff *d, size_t x)
{
    const struct eng_result *ra = d->ra, *rb = d->rb;
    size_t so = (x / ra->nband) % 3, g = (x / ra->nband / 3) % ra->ngeo;
    if (!sup_shown(rb, d->pb, g, (int)so, d->ib))
        return SIZE_MAX;
    return (size_t)(eng_cell(rb, d->pb, g, (int)so, d->ib) - rb->cells);
}

/* The difference at inner cell x, and whether it is hidden. */
static bool diff_at(const struct diff *d, size_t x, double *v)
{
    size_t y = outer_cell(d, x);
    *v = y == SIZE_MAX ? 0 : d->rb->cells[y].num - d->ra->cells[x].num;
    return y == SIZE_MAX || d->a->hid[x] || d->b->hid[y];
}

static void hide(struct diff *d, size_t x)
{
    if (!d->a->hid[x]) {
        d->a->hid[x] = ENG_SUP_COMPLEMENTARY;
        d->changed = true;
    }
}

/* A group of sup_groups() over the inner cube: only the groups of places
 * and of sexes within band ia (a group of bands pairs with no one band of
 * the outer). */
static void protect_diff(struct eng_cell **v, size_t n, size_t ntotal, void *ctx)
{
    struct diff *d = ctx;
    const struct eng_cell *base = d->ra->cells; /* the groups are of ra's cube */
    size_t hidden = 0;
    double residual = 0;
    for (size_t i = 0; i < n; i++) {
        size_t x = (size_t)(v[i] - base);
        if (x % d->ra->nband != d->ia)
            return;
        double dv;
        hidden += diff_at(d, x, &dv);
        residual += (i < ntotal ? 1 : -1) * dv;
    }
    bool small = residual > 0.5 && residual < d->a->min_count;
    if (hidden + small != 1)
        return;
    size_t pick = SIZE_MAX;
    double best = 0;
    for (size_t i = ntotal; i < n; i++) {
        size_t x = (size_t)(v[i] - base);
        double dv;
        if (diff_at(d, x, &dv) || dv <= 0)
            continue;
        if (pick == SIZE_MAX || dv < best) {
            pick = x;
            best = dv;
        }
    }
    for (size_t i = ntotal; pick == SIZE_MAX && i < n; i++) {
        double dv;
        if (!diff_at(d, (size_t)(v[i] - base), &dv))
            pick = (size_t)(v[i] - base);
    }
    for (size_t i = 0; pick == SIZE_MAX && i < ntotal; i++) {
        double dv;
        if (!diff_at(d, (size_t)(v[i] - base), &dv))
            pick = (size_t)(v[i] - base);
    }
    if (pick != SIZE_MAX)
        hide(d, pick);
}

/* One band pair, count pair and period pair, until stable. */
static bool close_diff(struct diff *d)
{
    const struct eng_result *ra = d->ra;
    size_t per = ra->ngeo * 3 * ra->nband, first = (size_t)d->pa * per;
    for (size_t x = first; x < first + per; x++) {
        double dv;
        if (x % ra->nband == d->ia && !diff_at(d, x, &dv) && dv > 0.5 &&
            dv < d->a->min_count)
            hide(d, x); /* a small difference of two shown cells */
    }
    bool any = d->changed; /* each round below starts with changed false */
    for (int round = 0; round < 1000; round++) {
        d->changed = false;
        sup_groups(ra, d->pa, protect_diff, d);
        any |= d->changed;
        if (!d->changed)
            break;
    }
    return any;
}

/* The first count measure of persons (or of events) of a definition: its
 * other count measures of the same thing (a rate's numerator) count the
 * same, so one of each is enough. NULL if it has none. */
static const struct eng_result *count_of(const struct joint *j, bool persons)
{
    for (size_t k = 0; k < j->nm; k++) {
        const struct ind_measure *m = &j->m[k]->def->measures[j->m[k]->measure];
        if (m->kind == IND_M_COUNT && m->persons == persons)
            return j->m[k];
    }
    return NULL;
}

bool sup_nest_close(struct joint *inner, const struct joint *outer,
                    const struct sup_nest *n)
{
    const struct eng_result *ga = inner->geom, *gb = outer->geom;
    if (ga->ngeo != gb->ngeo || ga->nhc != gb->nhc || ga->nregion != gb->nregion ||
        ga->months_per_period != gb->months_per_period)
        return false; /* not the same places or periods */
    bool changed = false;
    for (int pb = 0; pb < gb->nperiods; pb++) {
        int pa = sup_same_period(ga, gb, pb);
        if (pa < 0 || !sup_redo(outer, pb))
            continue; /* a kept calendar period (inner's pa is the same one) */
        for (int persons = 0; persons < 2; persons++) {
            const struct eng_result *ra = count_of(inner, persons);
            const struct eng_result *rb = count_of(outer, persons);
            for (size_t q = 0; ra && rb && q < n->npairs; q++) {
                struct diff d = {inner, outer, ra, rb, n->ia[q], n->ib[q], pa, pb, false};
                changed |= close_diff(&d);
            }
        }
    }
    return changed;
}
