/* src/engine/eng_late.c: the persons by their latest time (eng_late.h).
 * A build is one pass over the events and a sort of the persons; an
 * update is one pass over the entries. */
#include <stdlib.h>
#include <string.h>

#include "engine/eng_late.h"

/* Horizons beyond this are every person's (and avoid an overflow). */
#define LATE_MAX_HORIZON ((int64_t)86400 * 366 * 200)

void eng_late_rules(struct eng_late *l, const struct ind_def *const *defs, size_t n,
                    int64_t *horizon)
{
    memset(l, 0, sizeof *l);
    for (size_t k = 0; k < n; k++) {
        const struct ind_def *d = defs[k];
        int64_t h = -1;
        for (size_t w = 0; w < d->nwhere; w++) {
            const struct ind_condition *c = &d->where[w];
            if (c->is_observed) {
                h = c->obs_len > h ? c->obs_len : h;
            } else if (c->is_relation && c->rel.during) {
                h = h < 0 ? 0 : h;
                l->open_kinds |= d->from;
            }
        }
        for (size_t m = 0; m < d->nmeasures; m++) {
            const struct ind_measure *im = &d->measures[m];
            if (im->rel.is_relation && im->rel.rel.during) {
                h = h < 0 ? 0 : h;
                l->open_kinds |= d->from;
            }
            if (im->kind == IND_M_SURVIVAL)
                h = im->rel.rel.hi > h ? im->rel.rel.hi : h;
        }
        horizon[k] = h > LATE_MAX_HORIZON ? LATE_MAX_HORIZON : h;
        l->any |= h >= 0;
    }
}

/* Person p's latest time, INT32_MIN without events. */
static int32_t latest(const struct eng_late *l, const struct snap *s, uint32_t p)
{
    int32_t t = INT32_MIN;
    for (size_t i = s->ev_off[p]; i < s->ev_end[p]; i++) {
        int64_t x = s->t[i];
        if (s->dur[i] == SNAP_NO_END)
            x = l->open_kinds & (1u << s->kind[i]) ? INT32_MAX : x;
        else
            x += s->dur[i];
        if (x > INT32_MAX)
            x = INT32_MAX;
        if (x > t)
            t = (int32_t)x;
    }
    return t;
}

static int ent_cmp(const void *a, const void *b)
{
    const struct eng_late_ent *x = a, *y = b;
    if (x->t != y->t)
        return x->t > y->t ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

void eng_late_clear(struct eng_late *l)
{
    free(l->e);
    l->e = NULL;
    l->n = 0;
}

int eng_late_build(struct eng_late *l, const struct snap *s)
{
    eng_late_clear(l);
    if (!l->any)
        return 0;
    l->e = malloc(((size_t)s->npersons + 1) * sizeof *l->e);
    if (!l->e)
        return KN_ENOMEM;
    for (uint32_t p = 0; p < s->npersons; p++)
        if (s->ev_end[p] > s->ev_off[p])
            l->e[l->n++] = (struct eng_late_ent){ latest(l, s, p), s->person_id[p] };
    qsort(l->e, l->n, sizeof *l->e, ent_cmp);
    return 0;
}

int eng_late_update(struct eng_late *l, const struct snap *s)
{
    if (!l->any)
        return 0;
    size_t nt = s->ntouched;
    uint8_t *mark = calloc((size_t)s->max_person + 2, 1);
    struct eng_late_ent *fresh = malloc((nt + 1) * sizeof *fresh);
    struct eng_late_ent *e = malloc((l->n + nt + 1) * sizeof *e);
    if (!mark || !fresh || !e) {
        free(mark);
        free(fresh);
        free(e);
        eng_late_clear(l);
        return KN_ENOMEM;
    }
    size_t nf = 0;
    for (size_t i = 0; i < nt; i++) {
        uint32_t p = s->touched[i];
        mark[s->person_id[p]] = 1;
        if (s->ev_end[p] > s->ev_off[p])
            fresh[nf++] = (struct eng_late_ent){ latest(l, s, p), s->person_id[p] };
    }
    qsort(fresh, nf, sizeof *fresh, ent_cmp);
    size_t n = 0, i = 0, j = 0;
    while (i < l->n || j < nf) {
        if (i < l->n && mark[l->e[i].id]) {
            i++;
            continue;
        }
        if (j >= nf || (i < l->n && ent_cmp(&l->e[i], &fresh[j]) <= 0))
            e[n++] = l->e[i++];
        else
            e[n++] = fresh[j++];
    }
    free(mark);
    free(fresh);
    free(l->e);
    l->e = e;
    l->n = n;
    return 0;
}

size_t eng_late_since(const struct eng_late *l, int64_t t)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->e[mid].t >= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
