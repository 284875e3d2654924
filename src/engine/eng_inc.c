/* src/engine/eng_inc.c: a generation from the last one's accumulators and
 * the persons an import touched (eng_inc.h).
 *
 * Workload: one call per import in the portal's results thread. A full
 * run walks every timeline; a patched generation walks the touched
 * persons twice (over the old snapshot and the new, on two threads), plus
 * the persons near the data's end when it moved, and then finishes the
 * cubes from the kept accumulators (eng_finish reads them, whole). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "engine/eng_impl.h"
#include "engine/eng_inc.h"
#include "engine/eng_late.h"

/* The cells of one definition's accumulators, which must not change
 * between the generations that share them. */
struct layout {
    int nperiods, first_month;
    size_t ngeo, nbslot, ncells;
};

struct eng_inc {
    const struct ind_def *const *defs;
    size_t n;
    struct eng_options opt;
    bool have;               /* acc, lay and late are those of snapshot `serial` */
    uint64_t serial;
    struct eng_acc *acc;     /* n, merged over the persons of that snapshot */
    struct layout *lay;      /* n */
    struct eng_late late;    /* the persons by their latest time */
    int64_t *horizon;        /* n: on the data's end, -1 none (eng_late_rules) */
};

static int oom(struct kn_error *err)
{
    return kn_fail(err, KN_ENOMEM, "indicators: out of memory");
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int eng_inc_new(struct eng_inc **out, const struct ind_def *const *defs, size_t n,
                const struct eng_options *opt, struct kn_error *err)
{
    struct eng_inc *inc = calloc(1, sizeof *inc);
    if (!inc || !(inc->horizon = calloc(n + 1, sizeof *inc->horizon))) {
        free(inc);
        return oom(err);
    }
    inc->defs = defs;
    inc->n = n;
    if (opt)
        inc->opt = *opt;
    eng_late_rules(&inc->late, defs, n, inc->horizon);
    *out = inc;
    return 0;
}

static void drop(struct eng_inc *inc)
{
    for (size_t k = 0; inc->acc && k < inc->n; k++)
        eng_acc_free(&inc->acc[k]);
    free(inc->acc);
    free(inc->lay);
    inc->acc = NULL;
    inc->lay = NULL;
    eng_late_clear(&inc->late);
    inc->have = false;
}

void eng_inc_free(struct eng_inc *inc)
{
    if (!inc)
        return;
    drop(inc);
    free(inc->horizon);
    free(inc);
}

static void layout_of(const struct eng_ind *e, struct layout *l)
{
    *l = (struct layout){ e->nperiods, e->first_month, e->ngeo, e->nbslot, e->ncells };
}

static bool layout_same(const struct layout *a, const struct layout *b)
{
    return a->nperiods == b->nperiods && a->first_month == b->first_month &&
           a->ngeo == b->ngeo && a->nbslot == b->nbslot && a->ncells == b->ncells;
}

/* A full run, keeping its accumulators and the index of latest times. */
static int full(struct eng_inc *inc, struct eng_run *out, const struct snap *s,
                struct eng_inc_stat *st, struct kn_error *err)
{
    drop(inc);
    struct eng_acc *acc = NULL;
    int rc = eng_run_acc(out, s, inc->defs, inc->n, &inc->opt, &acc, err);
    if (rc != 0)
        return rc;
    inc->acc = acc;
    inc->lay = calloc(inc->n + 1, sizeof *inc->lay);
    struct arena a;
    arena_init(&a);
    struct eng_ind e;
    for (size_t k = 0; rc == 0 && k < inc->n; k++) {
        rc = inc->lay ? eng_prepare_opt(s, inc->defs[k], &inc->opt, &e, &a, err) : oom(err);
        if (rc == 0)
            layout_of(&e, &inc->lay[k]);
    }
    arena_release(&a);
    double t0 = now_ms();
    if (rc == 0)
        rc = eng_late_build(&inc->late, s) == 0 ? 0 : oom(err);
    st->index_ms = now_ms() - t0;
    if (rc != 0) {
        eng_run_free(out);
        drop(inc);
        return rc;
    }
    inc->have = true;
    inc->serial = s->serial;
    return 0;
}

/* One side of a patched generation: the persons' parts over one snapshot. */
struct side {
    struct eng_ctx c;
    struct eng_acc *acc;       /* n, zeroed */
    uint32_t *all;             /* evaluated for every definition */
    size_t nall;
    uint32_t *late;            /* definition k's others: late[late_off[k] .. late_off[k + 1]) */
    size_t *late_off;          /* n + 1 */
    uint8_t *only;             /* n: one definition at a time */
    int rc;
};

static void *side_eval(void *arg)
{
    struct side *sd = arg;
    sd->rc = eng_eval_list(&sd->c, sd->acc, sd->all, sd->nall, NULL);
    for (size_t k = 0; sd->rc == 0 && sd->late_off && k < sd->c.n; k++) {
        size_t b = sd->late_off[k], e = sd->late_off[k + 1];
        if (b == e)
            continue;
        sd->only[k] = 1;
        sd->rc = eng_eval_list(&sd->c, sd->acc, sd->late + b, e - b, sd->only);
        sd->only[k] = 0;
    }
    return NULL;
}

static int side_init(struct side *sd, const struct eng_inc *inc, const struct snap *s,
                     struct arena *a, struct kn_error *err)
{
    int rc = eng_ctx_init(&sd->c, s, a, err);
    sd->c.n = inc->n;
    sd->c.inds = rc == 0 ? arena_calloc(a, inc->n + 1, sizeof *sd->c.inds) : NULL;
    sd->acc = rc == 0 ? calloc(inc->n + 1, sizeof *sd->acc) : NULL;
    sd->only = rc == 0 ? calloc(inc->n + 1, 1) : NULL;
    if (rc == 0 && (!sd->c.inds || !sd->acc || !sd->only))
        rc = oom(err);
    for (size_t k = 0; rc == 0 && k < inc->n; k++)
        rc = eng_prepare_opt(s, inc->defs[k], &inc->opt, &sd->c.inds[k], a, err);
    for (size_t k = 0; rc == 0 && k < inc->n; k++)
        if (eng_acc_alloc(&sd->c.inds[k], &sd->acc[k]) != 0)
            rc = oom(err);
    return rc;
}

static void side_free(struct side *sd, size_t n)
{
    for (size_t k = 0; sd->acc && k < n; k++)
        eng_acc_free(&sd->acc[k]);
    free(sd->acc);
    free(sd->all);
    free(sd->late);
    free(sd->late_off);
    free(sd->only);
}

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* kept -= minus, kept += plus, for every definition and measure, and
 * the accumulator cells either side added to marked in changed[k]. *ok
 * is false when a sum would go below zero or an observation is missing. */
static int apply(struct eng_inc *inc, struct side *old, struct side *now, uint8_t **changed,
                 bool *ok)
{
    *ok = true;
    for (size_t k = 0; k < inc->n && *ok; k++) {
        const struct ind_def *d = inc->defs[k];
        size_t nc = inc->lay[k].ncells;
        struct eng_acc *a = &inc->acc[k], *m = &old->acc[k], *p = &now->acc[k];
        uint8_t *ch = changed[k];
        for (size_t q = 0; q < d->nmeasures && *ok; q++) {
            for (size_t i = 0; i < nc; i++) {
                if (m->num[q][i] == 0 && m->den[q][i] == 0 && p->num[q][i] == 0 &&
                    p->den[q][i] == 0)
                    continue;
                ch[i] = 1;
                a->num[q][i] = a->num[q][i] - m->num[q][i] + p->num[q][i];
                a->den[q][i] = a->den[q][i] - m->den[q][i] + p->den[q][i];
                if (a->num[q][i] < 0 || a->den[q][i] < 0)
                    *ok = false;
            }
            for (size_t i = 0; i < m->obs[q].n; i++)
                ch[m->obs[q].v[i].cell] = 1;
            for (size_t i = 0; i < p->obs[q].n; i++)
                ch[p->obs[q].v[i].cell] = 1;
            bool found = true;
            int rc = eng_obs_update(&a->obs[q], &m->obs[q], &p->obs[q], nc, &found);
            if (rc != 0)
                return rc;
            *ok = *ok && found;
        }
    }
    return 0;
}

/* The persons to evaluate again, in both snapshots' indices: the touched
 * ones for every definition, and for each definition that reads the data's
 * end, when it moved, the others within its horizon of the old end.
 * *work: person-definitions on one side. */
static int persons(struct eng_inc *inc, const struct snap *prev, const struct snap *s,
                   struct side *old, struct side *now, size_t *work, struct kn_error *err)
{
    size_t nt = s->ntouched;
    uint8_t *seen = calloc((size_t)s->max_person + 2, 1);
    old->all = malloc((nt + 1) * sizeof *old->all);
    now->all = malloc((nt + 1) * sizeof *now->all);
    if (!seen || !old->all || !now->all) {
        free(seen);
        return oom(err);
    }
    for (size_t i = 0; i < nt; i++) {
        uint32_t p = s->touched[i];
        int64_t id = s->person_id[p];
        now->all[now->nall++] = p;
        seen[id] = 1;
        if (id <= prev->max_person && prev->pidx[id])
            old->all[old->nall++] = prev->pidx[id] - 1;
    }
    qsort(old->all, old->nall, sizeof *old->all, u32_cmp);
    *work = now->nall * inc->n;
    int rc = 0;
    if (s->t_last != prev->t_last && inc->late.any) {
        size_t total = 0;
        for (size_t k = 0; k < inc->n; k++)
            if (inc->horizon[k] >= 0)
                total += eng_late_since(&inc->late, (int64_t)prev->t_last - inc->horizon[k]);
        old->late = malloc((total + 1) * sizeof *old->late);
        now->late = malloc((total + 1) * sizeof *now->late);
        old->late_off = calloc(inc->n + 1, sizeof *old->late_off);
        now->late_off = calloc(inc->n + 1, sizeof *now->late_off);
        if (!old->late || !now->late || !old->late_off || !now->late_off)
            rc = oom(err);
        size_t at = 0;
        for (size_t k = 0; rc == 0 && k < inc->n; k++) {
            size_t b = at;
            size_t nl = inc->horizon[k] < 0 ? 0
                        : eng_late_since(&inc->late, (int64_t)prev->t_last - inc->horizon[k]);
            for (size_t i = 0; i < nl; i++) {
                int64_t id = inc->late.e[i].id;
                if (id > s->max_person || seen[id] || id > prev->max_person ||
                    !prev->pidx[id] || !s->pidx[id])
                    continue;
                old->late[at] = prev->pidx[id] - 1;
                now->late[at++] = s->pidx[id] - 1;
            }
            /* in index order: the columns are read in order */
            qsort(old->late + b, at - b, sizeof *old->late, u32_cmp);
            qsort(now->late + b, at - b, sizeof *now->late, u32_cmp);
            old->late_off[k + 1] = now->late_off[k + 1] = at;
        }
        *work += at;
    }
    free(seen);
    return rc;
}

/* Why s cannot be had from the kept generation, or NULL. */
static const char *why_full(const struct eng_inc *inc, const struct snap *prev,
                            const struct snap *s)
{
    if (!inc->have || !prev)
        return "first generation";
    if (prev->serial != inc->serial)
        return "the last generation was of another snapshot";
    if (s->base_serial == 0)
        return "the snapshot was built whole";
    if (s->base_serial != prev->serial)
        return "the snapshot was patched from another one";
    if (s->t_last < prev->t_last)
        return "the data's end moved back";
    return NULL;
}

/* The last generation's cubes, when they are whole and of prev (else
 * NULL: every cell is finished again). */
static const struct eng_result *last_cubes(const struct eng_inc *inc,
                                           const struct eng_run *last,
                                           const struct snap *prev)
{
    size_t nres = 0;
    for (size_t k = 0; k < inc->n; k++)
        nres += inc->defs[k]->nmeasures;
    if (!last || last->snap != prev || last->n != nres || !last->results)
        return NULL;
    for (size_t k = 0, i = 0; k < inc->n; k++)
        for (size_t m = 0; m < inc->defs[k]->nmeasures; m++, i++)
            if (last->results[i].def != inc->defs[k] || last->results[i].measure != (int)m)
                return NULL;
    return last->results;
}

static int delta(struct eng_inc *inc, struct eng_run *out, const struct eng_run *last,
                 const struct snap *prev, const struct snap *s, struct eng_inc_stat *st,
                 const char **why, struct kn_error *err)
{
    uint8_t **changed = calloc(inc->n + 1, sizeof *changed);
    if (!changed)
        return oom(err);
    double t0 = now_ms();
    struct arena a;
    arena_init(&a);
    struct side old = { 0 }, now = { 0 };
    int rc = side_init(&old, inc, prev, &a, err);
    if (rc == 0)
        rc = side_init(&now, inc, s, &a, err);
    for (size_t k = 0; rc == 0 && k < inc->n && !*why; k++) {
        struct layout l;
        layout_of(&now.c.inds[k], &l);
        if (!layout_same(&l, &inc->lay[k]))
            *why = inc->defs[k]->geo_unit && l.ngeo != inc->lay[k].ngeo
                       ? "a new care unit changed the places"
                       : "the periods changed (the data's years)";
    }
    size_t work = 0;
    if (rc == 0 && !*why)
        rc = persons(inc, prev, s, &old, &now, &work, err);
    if (rc == 0 && !*why) {
        st->touched = now.nall;
        st->late = now.late_off ? now.late_off[inc->n] : 0;
        /* each side on its own thread: beyond a third of a full pass (two
         * threads over every person and definition) it no longer pays */
        if (work * 3 > (size_t)s->npersons * inc->n)
            *why = "more than a third of a full pass to evaluate again";
    }
    if (rc == 0 && !*why) {
        pthread_t th;
        bool started = pthread_create(&th, NULL, side_eval, &old) == 0;
        side_eval(&now);
        if (started)
            pthread_join(th, NULL);
        else
            side_eval(&old);
        rc = old.rc ? old.rc : now.rc;
        if (rc != 0)
            rc = oom(err);
    }
    out->pass_ms = now_ms() - t0;
    bool ok = true;
    for (size_t k = 0; rc == 0 && !*why && k < inc->n; k++)
        if (!(changed[k] = calloc(inc->lay[k].ncells + 1, 1)))
            rc = oom(err);
    if (rc == 0 && !*why) {
        rc = apply(inc, &old, &now, changed, &ok) == 0 ? 0 : oom(err);
        if (rc == 0 && !ok) {
            log_warn("indicators: the kept accumulators did not match the snapshot");
            *why = "the kept accumulators did not match";
        }
    }
    /* the consultations are few: their cubes are filled again whole */
    for (size_t k = 0; rc == 0 && !*why && k < inc->n; k++)
        if (inc->defs[k]->from == IND_FROM_CONSULT) {
            eng_consult_fill(&now.c.inds[k], s, &inc->acc[k]);
            memset(changed[k], 1, inc->lay[k].ncells);
        }
    if (rc == 0 && !*why) {
        double t1 = now_ms();
        rc = eng_late_update(&inc->late, s) == 0 ? 0 : oom(err);
        st->index_ms = now_ms() - t1;
    }
    if (rc == 0 && !*why) {
        out->snap = s;
        const struct eng_result *cubes = last_cubes(inc, last, prev);
        st->cells_again = cubes != NULL;
        rc = eng_run_results(out, &now.c, inc->acc, cubes, cubes ? changed : NULL, err);
    }
    for (size_t k = 0; k < inc->n; k++)
        free(changed[k]);
    free(changed);
    side_free(&old, inc->n);
    side_free(&now, inc->n);
    arena_release(&a);
    out->eval_ms = now_ms() - t0;
    return rc;
}

int eng_inc_run(struct eng_inc *inc, struct eng_run *out, const struct eng_run *last,
                const struct snap *prev, const struct snap *s, struct eng_inc_stat *st,
                struct kn_error *err)
{
    struct eng_inc_stat dummy;
    if (!st)
        st = &dummy;
    memset(st, 0, sizeof *st);
    memset(out, 0, sizeof *out);
    const char *why = why_full(inc, prev, s);
    int rc = 0;
    if (!why) {
        rc = delta(inc, out, last, prev, s, st, &why, err);
        if (rc != 0 || why) {
            /* the kept accumulators may be half changed: start again */
            eng_run_free(out);
            drop(inc);
        }
    }
    if (rc == 0 && why) {
        snprintf(st->why, sizeof st->why, "%s", why);
        st->touched = st->late = 0;
        return full(inc, out, s, st, err);
    }
    if (rc != 0) {
        drop(inc);
        return rc;
    }
    st->delta = true;
    inc->serial = s->serial;
    return 0;
}
