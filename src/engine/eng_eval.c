/* src/engine/eng_eval.c: one person's timeline through every definition.
 *
 * For each definition: the events of its `from` kinds are the candidate
 * anchors; each gets its period (by start or end) and age, must pass the
 * `where` conditions and the `pick`, and then adds to the accumulator
 * cell of its period, place, sex and band for every measure. Relations
 * look along the same timeline with a binary search for the window's
 * start (events are sorted by start time). */
#include <stdlib.h>
#include <string.h>

#include "engine/eng_impl.h"

/* The person's events by kind: positions kpos[kstart[k] .. kstart[k + 1]),
 * in time order. */
struct by_kind {
    uint32_t kstart[IND_EV_COUNT + 1];
    const uint8_t *pos8; /* the snapshot's positions, or NULL: kpos */
    uint32_t *kpos;
    size_t cap;
};

/* The position (from the person's first event) of the j-th event in kind order. */
static inline size_t kind_pos(const struct by_kind *bk, size_t j)
{
    return bk->pos8 ? bk->pos8[j] : bk->kpos[j];
}

static bool in_ranges(const struct ind_range *r, size_t n, int v)
{
    for (size_t i = 0; i < n; i++)
        if (v >= r[i].lo && v <= r[i].hi)
            return true;
    return false;
}

static bool field_ok(const struct eng_ctx *c, const struct eng_field *f, uint32_t p,
                     size_t i, int age)
{
    const struct snap *s = c->s;
    uint16_t u;
    switch (f->id) {
    case IND_F_AGE:
        return in_ranges(f->ranges, f->nranges, age);
    case IND_F_SEX:
        return f->mask & (1ull << s->sex[p]);
    case IND_F_REGION: {
        int r = s->slot_region[s->geo_slot[p]];
        return r >= 0 && (f->mask & (1ull << c->region_code[r]));
    }
    case IND_F_UNIT_REGION:
        u = s->unit[i];
        return u != SNAP_NONE && (f->mask & (1ull << c->region_code[s->units[u].region]));
    case IND_F_CAUSE:
        return s->code[i] != SNAP_NONE && f->dict[s->code[i]];
    case IND_F_DIAGNOSIS:
        return s->diag[i] != SNAP_NONE && f->dict[s->diag[i]];
    case IND_F_INTENT:
        return f->mask & (1ull << ((s->flags[i] & SNAP_F_UNDET) != 0));
    case IND_F_LINKED:
        return f->mask & (1ull << ((s->flags[i] & SNAP_F_LINKED) != 0));
    case IND_F_TYPE:
    case IND_F_MODE:
        return f->mask & (1ull << s->sub[i]);
    case IND_F_UNIT_KIND:
        u = s->unit[i];
        return u != SNAP_NONE && (f->mask & (1ull << s->units[u].kind));
    case IND_F_SETTING:
        u = s->unit[i];
        return u != SNAP_NONE && (f->mask & (1ull << s->units[u].setting));
    case IND_F_LEGAL:
        return f->mask & (1ull << (s->flags[i] & SNAP_F_LEGAL));
    case IND_F_BRIEF:
        return f->mask & (1ull << ((s->flags[i] & SNAP_F_BRIEF) != 0));
    case IND_F_PATHWAY:
        return f->mask & (1ull << ((s->flags[i] & SNAP_F_CHILD) != 0));
    case IND_F_STEP:
        return f->dict[s->sub[i]];
    case IND_F_SUICIDE:
        return f->mask & (1ull << ((s->flags[i] & SNAP_F_SUICIDE) != 0));
    }
    return false;
}

static int age_at(const struct snap *s, uint32_t p, int32_t t)
{
    return snap_month_fast(s, t) / 12 - s->birth_year[p];
}

static bool filter_ok(const struct eng_ctx *c, const struct eng_filter *fl, uint32_t p,
                      size_t i)
{
    int age = -1;
    for (size_t k = 0; k < fl->n; k++) {
        if (fl->f[k].id == IND_F_AGE && age < 0)
            age = age_at(c->s, p, c->s->t[i]);
        if (!field_ok(c, &fl->f[k], p, i, age))
            return false;
    }
    return true;
}

/* Matching events around reference time r, up to `need`; *first gets
 * the time of the earliest. */
static int rel_scan(const struct eng_ctx *c, const struct eng_rel *rel, uint32_t p,
                    size_t b, size_t e, const struct by_kind *bk, size_t anchor, int64_t r,
                    int need, int32_t *first)
{
    const struct snap *s = c->s;
    int64_t lo = r + rel->lo, hi = r + rel->hi;
    if ((rel->kinds & (rel->kinds - 1)) == 0) {
        /* one kind: search only its events (their positions, in time order) */
        int k = __builtin_ctz(rel->kinds);
        size_t k0 = bk->kstart[k], n = bk->kstart[k + 1] - k0, L = 0, H = n;
        while (L < H) {
            size_t m = L + (H - L) / 2;
            if (s->t[b + kind_pos(bk, k0 + m)] < lo)
                L = m + 1;
            else
                H = m;
        }
        int count = 0;
        for (size_t q = L; q < n && s->t[b + kind_pos(bk, k0 + q)] <= hi; q++) {
            size_t j = b + kind_pos(bk, k0 + q);
            if (j == anchor || (rel->filter.n && !filter_ok(c, &rel->filter, p, j)))
                continue;
            if (count == 0 && first)
                *first = s->t[j];
            if (++count >= need)
                break;
        }
        return count;
    }
    size_t L = b, H = e;
    while (L < H) {
        size_t m = L + (H - L) / 2;
        if (s->t[m] < lo)
            L = m + 1;
        else
            H = m;
    }
    int count = 0;
    for (size_t j = L; j < e && s->t[j] <= hi; j++) {
        if (j == anchor || !(rel->kinds & (1u << s->kind[j])))
            continue;
        if (rel->filter.n && !filter_ok(c, &rel->filter, p, j))
            continue;
        if (count == 0 && first)
            *first = s->t[j];
        if (++count >= need)
            break;
    }
    return count;
}

/* The anchor time a relation is measured from; false if it has no end. */
static bool ref_time(const struct snap *s, size_t i, bool at_end, int64_t *r)
{
    if (!at_end) {
        *r = s->t[i];
        return true;
    }
    if (s->dur[i] == SNAP_NO_END)
        return false;
    *r = (int64_t)s->t[i] + s->dur[i];
    return true;
}

static bool rel_ok(const struct eng_ctx *c, const struct eng_rel *rel, uint32_t p, size_t b,
                   size_t e, const struct by_kind *bk, size_t i)
{
    int64_t r;
    if (rel->during) {
        /* from the anchor's start to its end, or to the data's end while it
         * goes on: a window of the anchor's own length */
        const struct snap *s = c->s;
        struct eng_rel w = *rel;
        w.lo = 0;
        w.hi = s->dur[i] == SNAP_NO_END ? (int64_t)s->t_last - s->t[i] : (int64_t)s->dur[i];
        int n = rel_scan(c, &w, p, b, e, bk, i, s->t[i], w.min_count, NULL);
        return w.negate ? n < w.min_count : n >= w.min_count;
    }
    if (!ref_time(c->s, i, rel->at_end, &r))
        return false;
    int n = rel_scan(c, rel, p, b, e, bk, i, r, rel->min_count, NULL);
    return rel->negate ? n < rel->min_count : n >= rel->min_count;
}

/* The anchor's duration against a `duration OP D` condition; an anchor
 * without an end has no duration and never meets one. */
static bool duration_ok(const struct snap *s, const struct eng_cond *w, size_t i)
{
    if (s->dur[i] == SNAP_NO_END)
        return false;
    int64_t d = s->dur[i];
    switch (w->dur_op) {
    case IND_CMP_GT: return d > w->dur_len;
    case IND_CMP_GE: return d >= w->dur_len;
    case IND_CMP_LT: return d < w->dur_len;
    case IND_CMP_LE: return d <= w->dur_len;
    }
    return false;
}

/* observed: whether `observed` conditions count (not for clocks). */
static bool where_ok(const struct eng_ctx *c, const struct eng_ind *e, uint32_t p,
                     size_t b, size_t end, const struct by_kind *bk, size_t i, int age,
                     bool observed)
{
    for (size_t k = 0; k < e->nwhere; k++) {
        const struct eng_cond *w = &e->where[k];
        int64_t r;
        bool ok = w->is_observed ? !observed || (ref_time(c->s, i, w->obs_end, &r) &&
                                                 r + w->obs_len <= c->s->t_last)
                  : w->is_duration ? duration_ok(c->s, w, i)
                  : w->is_rel    ? rel_ok(c, &w->rel, p, b, end, bk, i)
                                 : field_ok(c, &w->field, p, i, age);
        if (!ok)
            return false;
    }
    return true;
}

static int push_obs(struct eng_obs_vec *v, uint32_t cell, int64_t secs, uint32_t event)
{
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 4096;
        struct eng_obs *o = realloc(v->v, nc * sizeof *o);
        if (!o)
            return KN_ENOMEM;
        v->v = o;
        v->cap = nc;
    }
    /* a duration or lead time beyond 68 years cannot occur in 1932-2068 */
    v->v[v->n++] = (struct eng_obs){ cell, (int32_t)(secs > INT32_MAX   ? INT32_MAX
                                                     : secs < -INT32_MAX ? -INT32_MAX
                                                                         : secs),
                                     event };
    return 0;
}

static int32_t death_time(const struct snap *s, size_t b, size_t e)
{
    for (size_t j = e; j > b; j--)
        if (s->kind[j - 1] == IND_EV_DEATH)
            return s->t[j - 1];
    return INT32_MAX;
}

/* Anchor i of person p, in period `per`, adds to every measure. */
static int contribute(const struct eng_ctx *c, const struct eng_ind *e, struct eng_acc *a,
                      uint32_t p, size_t b, size_t end, const struct by_kind *bk, size_t i,
                      int per, int age)
{
    const struct snap *s = c->s;
    const struct ind_def *d = e->d;
    size_t geo;
    if (d->geo_unit) {
        if (s->unit[i] == SNAP_NONE)
            return 0;
        geo = e->fine_base + s->unit[i];
    } else {
        geo = e->fine_base + s->geo_slot[p];
    }
    size_t bslot = 0;
    for (size_t k = 0; k < d->nbands; k++)
        if (age >= d->bands[k].lo && age <= d->bands[k].hi)
            bslot = k + 1;
    int sex = s->sex[p];
    size_t cell = eng_acc_cell(e, per, geo, sex, bslot);
    for (size_t m = 0; m < d->nmeasures; m++) {
        const struct ind_measure *im = &d->measures[m];
        double *num = a->num[m], *den = a->den[m];
        switch (im->kind) {
        case IND_M_COUNT:
            if (!im->persons) {
                num[cell] += 1;
            } else if (!e->persons_direct[m]) {
                if (a->stamp[m][per] != p + 1) {
                    a->stamp[m][per] = p + 1;
                    num[cell] += 1;
                }
            } else {
                size_t u = s->unit[i];
                int reg = s->units[u].region;
                size_t levels[4] = { 0, 1 + (size_t)(s->region_hc[reg] < 0 ? 0 : s->region_hc[reg]),
                                     1 + s->geo->nhregions + (size_t)reg, geo };
                for (int l = 0; l < 4; l++) {
                    if (l == 1 && s->region_hc[reg] < 0)
                        continue;
                    size_t k = (size_t)per * e->ngeo + levels[l];
                    if (a->stamp[m][k] != p + 1) {
                        a->stamp[m][k] = p + 1;
                        num[eng_acc_cell(e, per, levels[l], sex, bslot)] += 1;
                    }
                }
            }
            break;
        case IND_M_SUM:
            if (s->dur[i] == SNAP_NO_END)
                break;
            den[cell] += 1;
            if (!im->merged) {
                num[cell] += s->dur[i]; /* whole seconds: exact in any order */
            } else {
                /* anchors come in order of start: what lies past the
                 * person's covered end so far is new time */
                int64_t t0 = s->t[i], t1 = t0 + s->dur[i];
                if (a->mstamp[m][cell] != p + 1) {
                    a->mstamp[m][cell] = p + 1;
                    a->mend[m][cell] = INT64_MIN;
                }
                int64_t from = t0 > a->mend[m][cell] ? t0 : a->mend[m][cell];
                if (t1 > from)
                    num[cell] += (double)(t1 - from);
                if (t1 > a->mend[m][cell])
                    a->mend[m][cell] = t1;
            }
            break;
        case IND_M_PROPORTION:
            den[cell] += 1;
            if (im->rel.is_relation ? rel_ok(c, &e->mrel[m], p, b, end, bk, i)
                                    : field_ok(c, &e->mfield[m], p, i, age))
                num[cell] += 1;
            break;
        case IND_M_MEDIAN_DUR:
            if (s->dur[i] != SNAP_NO_END &&
                push_obs(&a->obs[m], (uint32_t)cell, s->dur[i], 1) != 0)
                return KN_ENOMEM;
            break;
        case IND_M_MEDIAN_TO: {
            int64_t r;
            int32_t first;
            if (ref_time(s, i, e->mrel[m].at_end, &r) &&
                rel_scan(c, &e->mrel[m], p, b, end, bk, i, r, 1, &first) > 0 &&
                push_obs(&a->obs[m], (uint32_t)cell, first - r, 1) != 0)
                return KN_ENOMEM;
            break;
        }
        case IND_M_SURVIVAL: {
            int64_t r;
            int32_t first;
            if (!ref_time(s, i, e->mrel[m].at_end, &r))
                break;
            const struct eng_rel *rel = &e->mrel[m];
            int64_t cens = rel->hi;
            if ((int64_t)s->t_last - r < cens)
                cens = (int64_t)s->t_last - r;
            int32_t dt = im->censor_death ? death_time(s, b, end) : INT32_MAX;
            if (dt != INT32_MAX && dt - r < cens)
                cens = dt - r;
            if (cens < 0)
                cens = 0;
            bool hit = rel_scan(c, rel, p, b, end, bk, i, r, 1, &first) > 0 && first - r <= cens;
            den[cell] += 1;
            if (hit)
                num[cell] += 1;
            if (push_obs(&a->obs[m], (uint32_t)cell, hit ? first - r : cens, hit) != 0)
                return KN_ENOMEM;
            break;
        }
        case IND_M_RATIO:
            break;
        }
    }
    return 0;
}

/* The period index of anchor i, or -1 outside the reported periods. */
static int anchor_period(const struct eng_ind *e, const struct snap *s, size_t i, int *month)
{
    int32_t t = s->t[i];
    if (e->d->period_at == IND_AT_END) {
        if (s->dur[i] == SNAP_NO_END)
            return -2;
        int64_t te = (int64_t)t + s->dur[i];
        if (te > INT32_MAX)
            return -2;
        t = (int32_t)te;
    }
    int m = snap_month_fast(s, t);
    *month = m;
    unsigned k = (unsigned)(m - e->first_month);
    return k < (unsigned)e->nmonths ? e->month_period[k] : -1;
}

static int eval_one(const struct eng_ctx *c, const struct eng_ind *e, struct eng_acc *a,
                    uint32_t p, size_t b, size_t end, const struct by_kind *bk)
{
    const struct snap *s = c->s;
    const struct ind_def *d = e->d;
    bool any_last = false;
    int picked = 0;
    if (d->from == IND_FROM_CONSULT)
        return 0; /* no person's events: eng_consult_fill() */
    /* one kind: walk its positions; several: the whole timeline */
    bool one = (d->from & (d->from - 1)) == 0;
    int kind = one ? __builtin_ctz(d->from) : 0;
    size_t n = one ? bk->kstart[kind + 1] - bk->kstart[kind] : end - b;
    size_t k0 = one ? bk->kstart[kind] : 0;
    for (size_t q = 0; q < n; q++) {
        size_t i = one ? b + kind_pos(bk, k0 + q) : b + q;
        if (!one && !(d->from & (1u << s->kind[i])))
            continue;
        int month = 0;
        int per = anchor_period(e, s, i, &month);
        if (per == -2)
            continue;
        int age = month / 12 - s->birth_year[p];
        if (!where_ok(c, e, p, b, end, bk, i, age, true))
            continue;
        if (d->pick_ever) {
            switch (d->pick) {
            case IND_PICK_FIRST:
                return per >= 0 ? contribute(c, e, a, p, b, end, bk, i, per, age) : 0;
            case IND_PICK_NTH:
                if (++picked == d->pick_n)
                    return per >= 0 ? contribute(c, e, a, p, b, end, bk, i, per, age) : 0;
                continue;
            case IND_PICK_LAST:
                a->last_ev[0] = (int32_t)i;
                any_last = true;
                continue;
            case IND_PICK_ALL:
                break;
            }
        }
        if (per < 0)
            continue;
        if (d->pick != IND_PICK_ALL && !d->pick_ever) {
            if (a->pick_stamp[per] != p + 1) {
                a->pick_stamp[per] = p + 1;
                a->pick_count[per] = 0;
                a->last_ev[per] = -1;
            }
            uint32_t k = ++a->pick_count[per];
            if (d->pick == IND_PICK_LAST) {
                a->last_ev[per] = (int32_t)i;
                any_last = true;
                continue;
            }
            if (k != (d->pick == IND_PICK_FIRST ? 1u : (uint32_t)d->pick_n))
                continue;
        }
        int rc = contribute(c, e, a, p, b, end, bk, i, per, age);
        if (rc != 0)
            return rc;
    }
    if (!any_last)
        return 0;
    /* pick last: the remembered anchors, per period or once */
    int nlast = d->pick_ever ? 1 : e->nperiods;
    for (int k = 0; k < nlast; k++) {
        if (!d->pick_ever && (a->pick_stamp[k] != p + 1 || a->last_ev[k] < 0))
            continue;
        size_t i = (size_t)a->last_ev[k];
        int month = 0;
        int per = anchor_period(e, s, i, &month);
        if (per < 0)
            continue;
        int rc = contribute(c, e, a, p, b, end, bk, i, per, month / 12 - s->birth_year[p]);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Person p's order of events by kind into bk (the snapshot's, or made
 * here for a long timeline); 0 or KN_ENOMEM. */
static int person_kinds(const struct snap *s, uint32_t p, struct by_kind *bk)
{
    size_t b = s->ev_off[p], end = s->ev_end[p];
    if (end - b < 256) {
        /* the snapshot has the person's order by kind */
        const uint8_t *ks = s->kind_start + (size_t)p * SNAP_KINDS1;
        for (int k = 0; k <= IND_EV_COUNT; k++)
            bk->kstart[k] = ks[k];
        bk->pos8 = s->kind_pos + b;
        return 0;
    }
    /* a long timeline: its order by kind here */
    if (end - b > bk->cap) {
        free(bk->kpos);
        bk->cap = (end - b) * 2;
        bk->kpos = malloc(bk->cap * sizeof *bk->kpos);
        if (!bk->kpos) {
            bk->cap = 0;
            return KN_ENOMEM;
        }
    }
    bk->pos8 = NULL;
    uint32_t fill[IND_EV_COUNT + 1] = { 0 };
    for (size_t i = b; i < end; i++)
        fill[s->kind[i] + 1]++;
    for (int k = 0; k < IND_EV_COUNT; k++)
        fill[k + 1] += fill[k];
    memcpy(bk->kstart, fill, sizeof fill);
    for (size_t i = b; i < end; i++)
        bk->kpos[fill[s->kind[i]]++] = (uint32_t)(i - b);
    return 0;
}

int eng_eval_persons(const struct eng_ctx *c, struct eng_acc *acc, uint32_t p0, uint32_t p1)
{
    const struct snap *s = c->s;
    struct by_kind bk = { { 0 }, NULL, NULL, 0 };
    int rc = 0;
    for (uint32_t p = p0; rc == 0 && p < p1; p++) {
        size_t b = s->ev_off[p], end = s->ev_end[p];
        if (b == end)
            continue;
        rc = person_kinds(s, p, &bk);
        for (size_t k = 0; rc == 0 && k < c->n; k++)
            rc = eval_one(c, &c->inds[k], &acc[k], p, b, end, &bk);
    }
    free(bk.kpos);
    return rc;
}

int eng_eval_list(const struct eng_ctx *c, struct eng_acc *acc, const uint32_t *ps,
                  size_t np, const uint8_t *only)
{
    const struct snap *s = c->s;
    struct by_kind bk = { { 0 }, NULL, NULL, 0 };
    int rc = 0;
    for (size_t q = 0; rc == 0 && q < np; q++) {
        uint32_t p = ps[q];
        size_t b = s->ev_off[p], end = s->ev_end[p];
        if (b == end)
            continue;
        rc = person_kinds(s, p, &bk);
        for (size_t k = 0; rc == 0 && k < c->n; k++)
            if (!only || only[k])
                rc = eval_one(c, &c->inds[k], &acc[k], p, b, end, &bk);
    }
    free(bk.kpos);
    return rc;
}

int eng_eval_clocks(const struct eng_ctx *c, const struct eng_ind *e, uint32_t p,
                    int64_t as_of, eng_clock_fn fn, void *arg)
{
    const struct snap *s = c->s;
    const struct ind_def *d = e->d;
    if (d->nmeasures == 0 || d->measures[0].kind != IND_M_PROPORTION ||
        !d->measures[0].rel.is_relation)
        return 0;
    const struct eng_rel *rel = &e->mrel[0];
    if (rel->negate || rel->during)
        return 0;
    size_t b = s->ev_off[p], end = s->ev_end[p];
    if (b == end)
        return 0;
    struct by_kind bk = { { 0 }, NULL, NULL, 0 };
    int rc = person_kinds(s, p, &bk);
    for (size_t i = b; rc == 0 && i < end; i++) {
        int64_t r, t;
        if (!(d->from & (1u << s->kind[i])) || !ref_time(s, i, rel->at_end, &r) ||
            r + rel->lo > as_of)
            continue;
        /* the age of the anchor's period, as the indicator counts it */
        if (!ref_time(s, i, d->period_at == IND_AT_END, &t) || t > INT32_MAX)
            continue;
        int age = snap_month_fast(s, (int32_t)t) / 12 - s->birth_year[p];
        if (!where_ok(c, e, p, b, end, &bk, i, age, false))
            continue;
        /* done: a matching event from the window's start up to as_of */
        struct eng_rel w = *rel;
        w.hi = as_of - r;
        int32_t first = 0;
        int n = rel_scan(c, &w, p, b, end, &bk, i, r, w.min_count, &first);
        rc = fn(arg, p, i, r + rel->lo, r + rel->hi, n >= w.min_count ? first : INT64_MIN);
    }
    free(bk.kpos);
    return rc;
}
