/* src/engine/eng.c: preparing definitions for a snapshot, running the pass
 * over the timelines on several threads, and the places of a cube. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "engine/eng_impl.h"

static int oom(struct kn_error *err)
{
    return kn_fail(err, KN_ENOMEM, "indicators: out of memory");
}

static bool code_in(const char *code, const struct ind_code_range *r, size_t n)
{
    if (strlen(code) < 3)
        return false;
    for (size_t i = 0; i < n; i++)
        if (strncmp(code, r[i].lo, 3) >= 0 && strncmp(code, r[i].hi, 3) <= 0)
            return true;
    return false;
}

static int compile_field(const struct snap *s, const struct ind_field *in,
                         struct eng_field *out, struct arena *a, struct kn_error *err)
{
    memset(out, 0, sizeof *out);
    out->id = in->id;
    out->mask = in->mask;
    out->ranges = in->ranges;
    out->nranges = in->n;
    if (in->id == IND_F_CAUSE || in->id == IND_F_DIAGNOSIS) {
        uint8_t *dict = arena_calloc(a, s->ncodes + 1, 1);
        if (!dict)
            return oom(err);
        for (size_t k = 0; k < s->ncodes; k++)
            dict[k] = code_in(s->codes[k], in->codes, in->n);
        out->dict = dict;
    } else if (in->id == IND_F_STEP) {
        uint8_t *dict = arena_calloc(a, 256, 1);
        if (!dict)
            return oom(err);
        for (size_t k = 0; k < s->nsteps; k++)
            for (size_t w = 0; w < in->n; w++)
                dict[k] |= strcmp(s->steps[k], in->words[w]) == 0;
        out->dict = dict;
    }
    return 0;
}

static int compile_rel(const struct snap *s, const struct ind_condition *c,
                       struct eng_rel *out, struct arena *a, struct kn_error *err)
{
    const struct ind_related *r = &c->rel;
    memset(out, 0, sizeof *out);
    out->kinds = r->kinds;
    out->at_end = r->at == IND_AT_END && !r->during;
    out->during = r->during;
    out->lo = r->lo + (r->lo_open ? 1 : 0);
    out->hi = r->hi - (r->hi_open ? 1 : 0);
    out->min_count = r->min_count;
    out->negate = c->negate;
    out->filter.n = r->filter.n;
    out->filter.f = arena_calloc(a, r->filter.n + 1, sizeof *out->filter.f);
    if (!out->filter.f)
        return oom(err);
    for (size_t k = 0; k < r->filter.n; k++) {
        int rc = compile_field(s, &r->filter.fields[k], &out->filter.f[k], a, err);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int months_per(enum period_kind k)
{
    return k == PERIOD_MONTH ? 1 : k == PERIOD_QUARTER ? 3 : k == PERIOD_TERTIAL ? 4 : 12;
}

static int prepare(const struct snap *s, const struct ind_def *d,
                   const struct eng_options *opt, struct eng_ind *e, struct arena *a,
                   struct kn_error *err)
{
    memset(e, 0, sizeof *e);
    e->d = d;
    bool consult = d->from == IND_FROM_CONSULT; /* the years consultations were asked */
    int y0 = d->year_from ? d->year_from : consult ? s->consult_year_min : s->year_min;
    int y1 = d->year_from ? d->year_to : consult ? s->consult_year_max : s->year_max;
    if (opt && opt->year_from) { /* cover the years asked for too */
        y0 = opt->year_from < y0 || y0 <= 0 ? opt->year_from : y0;
        y1 = opt->year_to > y1 ? opt->year_to : y1;
    }
    if (d->has_target && d->target_base_year && d->target_base_year < y0 && y0 > 0)
        y0 = d->target_base_year; /* a relative target compares with its base year */
    if (y1 < y0 || y0 <= 0) /* no data: one empty year */
        y0 = y1 = s->year_max > 0 ? s->year_max : 2024;
    e->mpp = months_per(d->period);
    e->first_month = y0 * 12;
    e->nperiods = (y1 - y0 + 1) * 12 / e->mpp;
    e->period_valid = arena_alloc(a, (size_t)e->nperiods * sizeof *e->period_valid);
    if (!e->period_valid)
        return oom(err);
    for (int p = 0; p < e->nperiods; p++) {
        int m = e->first_month + p * e->mpp;
        kn_day start = date_from_ymd(m / 12, m % 12 + 1, 1);
        e->period_valid[p] = start >= d->valid_from && start < d->valid_to;
    }
    e->nmonths = e->nperiods * e->mpp;
    e->month_period = arena_alloc(a, (size_t)e->nmonths * sizeof *e->month_period);
    if (!e->month_period)
        return oom(err);
    for (int m = 0; m < e->nmonths; m++)
        e->month_period[m] = (int16_t)(e->period_valid[m / e->mpp] ? m / e->mpp : -1);
    e->fine_base = 1 + s->geo->nhregions + s->geo->nregions;
    e->nfine = d->geo_unit ? s->nunits : s->nslots;
    e->ngeo = e->fine_base + e->nfine;
    e->nbslot = d->nbands + 1;
    e->ncells = (size_t)e->nperiods * e->ngeo * 2 * e->nbslot;
    e->nwhere = d->nwhere;
    e->where = arena_calloc(a, d->nwhere + 1, sizeof *e->where);
    if (!e->where)
        return oom(err);
    for (size_t k = 0; k < d->nwhere; k++) {
        const struct ind_condition *c = &d->where[k];
        e->where[k].is_rel = c->is_relation;
        e->where[k].is_observed = c->is_observed;
        e->where[k].obs_end = c->obs_at == IND_AT_END;
        e->where[k].obs_len = c->obs_len;
        e->where[k].is_duration = c->is_duration;
        e->where[k].dur_op = c->dur_op;
        e->where[k].dur_len = c->dur_len;
        int rc = c->is_observed || c->is_duration ? 0
                 : c->is_relation ? compile_rel(s, c, &e->where[k].rel, a, err)
                                  : compile_field(s, &c->field, &e->where[k].field, a, err);
        if (rc != 0)
            return rc;
    }
    for (size_t m = 0; m < d->nmeasures; m++) {
        const struct ind_measure *im = &d->measures[m];
        e->persons_direct[m] = im->kind == IND_M_COUNT && im->persons && d->geo_unit;
        int rc = 0;
        if (im->rel.is_relation)
            rc = compile_rel(s, &im->rel, &e->mrel[m], a, err);
        else if (im->kind == IND_M_PROPORTION)
            rc = compile_field(s, &im->rel.field, &e->mfield[m], a, err);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int eng_prepare(const struct snap *s, const struct ind_def *d, struct eng_ind *e,
                struct arena *a, struct kn_error *err)
{
    return prepare(s, d, NULL, e, a, err);
}

int eng_prepare_opt(const struct snap *s, const struct ind_def *d,
                    const struct eng_options *opt, struct eng_ind *e, struct arena *a,
                    struct kn_error *err)
{
    return prepare(s, d, opt, e, a, err);
}

int eng_ctx_init(struct eng_ctx *c, const struct snap *s, struct arena *a,
                 struct kn_error *err)
{
    memset(c, 0, sizeof *c);
    c->s = s;
    c->region_code = arena_calloc(a, s->geo->nregions + 1, 1);
    if (!c->region_code)
        return oom(err);
    for (size_t r = 0; r < s->geo->nregions; r++)
        c->region_code[r] = (int8_t)atoi(s->geo->regions[r].code);
    return 0;
}

int eng_acc_alloc(const struct eng_ind *e, struct eng_acc *acc)
{
    memset(acc, 0, sizeof *acc);
    const struct ind_def *d = e->d;
    for (size_t m = 0; m < d->nmeasures; m++) {
        acc->num[m] = calloc(e->ncells, sizeof(double));
        acc->den[m] = calloc(e->ncells, sizeof(double));
        size_t ns = (size_t)e->nperiods * (e->persons_direct[m] ? e->ngeo : 1);
        acc->stamp[m] = calloc(ns, sizeof(uint32_t));
        if (!acc->num[m] || !acc->den[m] || !acc->stamp[m])
            return KN_ENOMEM;
        if (d->measures[m].merged) {
            acc->mstamp[m] = calloc(e->ncells, sizeof(uint32_t));
            acc->mend[m] = calloc(e->ncells, sizeof(int64_t));
            if (!acc->mstamp[m] || !acc->mend[m])
                return KN_ENOMEM;
        }
    }
    size_t np = (size_t)e->nperiods;
    acc->pick_stamp = calloc(np, sizeof *acc->pick_stamp);
    acc->pick_count = calloc(np, sizeof *acc->pick_count);
    acc->last_ev = calloc(np, sizeof *acc->last_ev);
    return acc->pick_stamp && acc->pick_count && acc->last_ev ? 0 : KN_ENOMEM;
}

void eng_acc_free(struct eng_acc *acc)
{
    for (size_t m = 0; m < IND_MAX_MEASURES; m++) {
        free(acc->num[m]);
        free(acc->den[m]);
        free(acc->stamp[m]);
        free(acc->mstamp[m]);
        free(acc->mend[m]);
        eng_obs_free(&acc->obs[m]);
    }
    free(acc->pick_stamp);
    free(acc->pick_count);
    free(acc->last_ev);
}

/* Only the sums and observations of merged accumulators are read again
 * (eng_inc.c): the per-person stamps go, the observations fit. */
static void acc_trim(struct eng_acc *acc)
{
    for (size_t m = 0; m < IND_MAX_MEASURES; m++) {
        free(acc->stamp[m]);
        free(acc->mstamp[m]);
        free(acc->mend[m]);
        acc->stamp[m] = acc->mstamp[m] = NULL;
        acc->mend[m] = NULL;
        struct eng_obs_vec *v = &acc->obs[m];
        if (v->n && v->n < v->cap) {
            struct eng_obs *o = realloc(v->v, v->n * sizeof *o);
            if (o) {
                v->v = o;
                v->cap = v->n;
            }
        }
    }
    free(acc->pick_stamp);
    free(acc->pick_count);
    free(acc->last_ev);
    acc->pick_stamp = acc->pick_count = NULL;
    acc->last_ev = NULL;
}

struct worker {
    const struct eng_ctx *c;
    struct eng_acc *acc;
    uint32_t p0, p1;
    int rc;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    w->rc = eng_eval_persons(w->c, w->acc, w->p0, w->p1);
    return NULL;
}

/* Add thread t's accumulators into thread 0's. */
static int merge(const struct eng_ctx *c, struct eng_acc *into, struct eng_acc *from)
{
    for (size_t k = 0; k < c->n; k++) {
        const struct eng_ind *e = &c->inds[k];
        for (size_t m = 0; m < e->d->nmeasures; m++) {
            for (size_t i = 0; i < e->ncells; i++) {
                into[k].num[m][i] += from[k].num[m][i];
                into[k].den[m][i] += from[k].den[m][i];
            }
            struct eng_obs_vec *a = &into[k].obs[m], *b = &from[k].obs[m];
            if (b->n == 0)
                continue;
            if (a->n + b->n > a->cap) {
                struct eng_obs *v = realloc(a->v, (a->n + b->n) * sizeof *v);
                if (!v)
                    return KN_ENOMEM;
                a->v = v;
                a->cap = a->n + b->n;
            }
            memcpy(a->v + a->n, b->v, b->n * sizeof *b->v);
            a->n += b->n;
        }
    }
    return 0;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int eng_run_results(struct eng_run *out, const struct eng_ctx *c, struct eng_acc *acc,
                    const struct eng_result *prev, uint8_t *const *changed,
                    struct kn_error *err)
{
    size_t nres = 0;
    for (size_t k = 0; k < c->n; k++)
        nres += c->inds[k].d->nmeasures;
    free(out->results);
    out->n = 0;
    out->results = calloc(nres + 1, sizeof *out->results);
    if (!out->results)
        return oom(err);
    out->n = nres;
    return eng_finish(c, acc, out->results, prev, changed, err);
}

int eng_run(struct eng_run *out, const struct snap *s, const struct ind_def *const *defs,
            size_t n, const struct eng_options *opt, struct kn_error *err)
{
    return eng_run_acc(out, s, defs, n, opt, NULL, err);
}

int eng_run_acc(struct eng_run *out, const struct snap *s, const struct ind_def *const *defs,
                size_t n, const struct eng_options *opt, struct eng_acc **kept,
                struct kn_error *err)
{
    if (kept)
        *kept = NULL;
    memset(out, 0, sizeof *out);
    out->snap = s;
    double t0 = now_ms();
    int nthreads = opt && opt->threads > 0 ? opt->threads : 2;
    if (nthreads > 16)
        nthreads = 16;
    struct arena a;
    arena_init(&a);
    struct eng_ctx c = { .s = s, .n = n };
    c.inds = arena_calloc(&a, n + 1, sizeof *c.inds);
    c.region_code = arena_calloc(&a, s->geo->nregions + 1, 1);
    struct eng_acc *acc = calloc((size_t)nthreads * (n + 1), sizeof *acc);
    out->results = calloc(1, sizeof *out->results);
    int rc = c.inds && c.region_code && acc ? 0 : oom(err);
    for (size_t r = 0; rc == 0 && r < s->geo->nregions; r++)
        c.region_code[r] = (int8_t)atoi(s->geo->regions[r].code);
    for (size_t k = 0; rc == 0 && k < n; k++)
        rc = prepare(s, defs[k], opt, &c.inds[k], &a, err);
    for (int t = 0; rc == 0 && t < nthreads; t++)
        for (size_t k = 0; rc == 0 && k < n; k++)
            if (eng_acc_alloc(&c.inds[k], &acc[(size_t)t * n + k]) != 0)
                rc = oom(err);
    if (rc == 0) {
        /* Split the persons so that each thread gets about as many events. */
        struct worker w[16];
        pthread_t th[16];
        uint32_t p = 0;
        size_t seen = 0; /* events of the persons before p */
        for (int t = 0; t < nthreads; t++) {
            size_t target = s->nevents * (size_t)(t + 1) / (size_t)nthreads;
            uint32_t q = p;
            while (q < s->npersons && (t == nthreads - 1 || seen < target)) {
                seen += s->ev_end[q] - s->ev_off[q];
                q++;
            }
            w[t] = (struct worker){ &c, acc + (size_t)t * n, p, q, 0 };
            p = q;
        }
        double tw = now_ms();
        int started = 0;
        for (int t = 1; t < nthreads; t++, started++)
            if (pthread_create(&th[t], NULL, work, &w[t]) != 0)
                break;
        work(&w[0]);
        for (int t = 1; t <= started; t++)
            pthread_join(th[t], NULL);
        for (int t = started + 1; t < nthreads; t++) /* threads that did not start */
            work(&w[t]);
        for (int t = 0; t < nthreads; t++)
            if (w[t].rc != 0)
                rc = oom(err);
        log_debug("indicators: prepared in %.3f ms, the pass took %.3f ms", tw - t0,
                  now_ms() - tw);
        for (int t = 1; rc == 0 && t < nthreads; t++)
            if (merge(&c, acc, acc + (size_t)t * n) != 0)
                rc = oom(err);
        out->pass_ms = now_ms() - t0;
    }
    for (size_t k = 0; rc == 0 && k < n; k++)
        if (defs[k]->from == IND_FROM_CONSULT)
            eng_consult_fill(&c.inds[k], s, &acc[k]);
    if (rc == 0)
        rc = eng_run_results(out, &c, acc, NULL, NULL, err);
    if (rc == 0 && kept) {
        /* hand thread 0's merged accumulators over */
        *kept = calloc(n + 1, sizeof **kept);
        if (!*kept) {
            rc = oom(err);
        } else {
            memcpy(*kept, acc, n * sizeof *acc);
            memset(acc, 0, n * sizeof *acc);
            for (size_t k = 0; k < n; k++)
                acc_trim(&(*kept)[k]);
        }
    }
    for (int t = 0; acc && t < nthreads; t++)
        for (size_t k = 0; k < n; k++)
            eng_acc_free(&acc[(size_t)t * n + k]);
    free(acc);
    arena_release(&a);
    out->eval_ms = now_ms() - t0;
    if (rc != 0)
        eng_run_free(out);
    return rc;
}

/* Drop r's hold on its cells: the last holder frees them. */
static void cells_release(struct eng_result *r)
{
    if (!r->cells_refs || atomic_fetch_sub(r->cells_refs, 1) == 1) {
        free(r->cells);
        free(r->cells_refs);
    }
    r->cells = NULL;
    r->cells_refs = NULL;
}

int eng_result_own(struct eng_result *r)
{
    if (!r->cells_refs || atomic_load(r->cells_refs) == 1)
        return 0; /* only the results thread shares: no one else adds a holder */
    size_t n = (size_t)r->nperiods * r->ngeo * 3 * r->nband;
    struct eng_cell *c = malloc((n ? n : 1) * sizeof *c);
    atomic_uint *refs = malloc(sizeof *refs);
    if (!c || !refs) {
        free(c);
        free(refs);
        return -1;
    }
    memcpy(c, r->cells, n * sizeof *c);
    atomic_init(refs, 1);
    cells_release(r);
    r->cells = c;
    r->cells_refs = refs;
    return 0;
}

void eng_run_free(struct eng_run *r)
{
    for (size_t i = 0; r->results && i < r->n; i++) {
        cells_release(&r->results[i]);
        free(r->results[i].period_valid);
        free(r->results[i].fine_region);
        free(r->results[i].fine_hc);
        free(r->results[i].pop_year);
        free(r->results[i].period_changed);
    }
    free(r->results);
    r->results = NULL;
    r->n = 0;
}

void eng_run_keep(struct eng_run *r, const struct ind_def *const *defs, size_t n)
{
    size_t kept = 0;
    for (size_t i = 0; r->results && i < r->n; i++) {
        struct eng_result *x = &r->results[i];
        bool keep = false;
        for (size_t k = 0; k < n && !keep; k++)
            keep = defs[k] == x->def;
        if (keep) {
            r->results[kept++] = *x;
            continue;
        }
        cells_release(x);
        free(x->period_valid);
        free(x->fine_region);
        free(x->fine_hc);
        free(x->pop_year);
        free(x->period_changed);
    }
    r->n = kept;
}

enum eng_geo_level eng_geo_level(const struct eng_result *r, size_t geo)
{
    if (geo == 0)
        return ENG_GEO_NATION;
    if (geo <= r->nhc)
        return ENG_GEO_HC;
    if (geo <= r->nhc + r->nregion)
        return ENG_GEO_REGION;
    return ENG_GEO_FINE;
}

const char *eng_geo_code(const struct eng_result *r, const struct snap *s, size_t geo)
{
    size_t fine = geo - 1 - r->nhc - r->nregion;
    switch (eng_geo_level(r, geo)) {
    case ENG_GEO_NATION: return "SE";
    case ENG_GEO_HC: return s->geo->hregions[geo - 1].code;
    case ENG_GEO_REGION: return s->geo->regions[geo - 1 - r->nhc].code;
    case ENG_GEO_FINE:
        if (r->def->geo_unit)
            return s->units[fine].code;
        return fine < s->geo->nmunicipalities ? s->geo->municipalities[fine].code : "";
    }
    return "";
}

const char *eng_geo_name(const struct eng_result *r, const struct snap *s, size_t geo)
{
    size_t fine = geo - 1 - r->nhc - r->nregion;
    switch (eng_geo_level(r, geo)) {
    case ENG_GEO_NATION: return "Riket";
    case ENG_GEO_HC: return s->geo->hregions[geo - 1].name;
    case ENG_GEO_REGION: return s->geo->regions[geo - 1 - r->nhc].short_name;
    case ENG_GEO_FINE:
        if (r->def->geo_unit)
            return s->units[fine].name;
        return fine < s->geo->nmunicipalities ? s->geo->municipalities[fine].name : "";
    }
    return "";
}

bool eng_geo_shown(const struct eng_result *r, size_t geo)
{
    unsigned dims = r->def->dims;
    switch (eng_geo_level(r, geo)) {
    case ENG_GEO_NATION: return true;
    case ENG_GEO_HC:
    case ENG_GEO_REGION: return dims & IND_DIM_REGION;
    case ENG_GEO_FINE:
        return geo - 1 - r->nhc - r->nregion < r->nfine_shown &&
               (dims & (IND_DIM_UNIT | IND_DIM_MUNICIPALITY));
    }
    return false;
}

const struct eng_result *eng_ratio_operand(const struct eng_result *res, size_t n,
                                           const struct eng_result *r, int which, int p)
{
    const struct ind_measure *im = &r->def->measures[r->measure];
    const char *id = which && im->ratio_b_ind ? im->ratio_b_ind : r->def->id;
    const char *name = which ? im->ratio_b : im->ratio_a;
    for (size_t j = 0; j < n; j++) {
        const struct eng_result *q = &res[j];
        if (strcmp(q->def->id, id) != 0 || strcmp(q->def->measures[q->measure].name, name) != 0)
            continue;
        if (which == 0 && q->def != r->def)
            continue;
        if (q->nperiods != r->nperiods || q->first_month != r->first_month ||
            q->ngeo != r->ngeo || q->nband != r->nband || !q->period_valid[p])
            continue;
        return q;
    }
    return NULL;
}

bool eng_period_has_data(const struct eng_result *r, const struct snap *s, int i)
{
    int m0 = r->first_month + i * r->months_per_period;
    int m1 = m0 + r->months_per_period - 1; /* the period's last month */
    if (r->def->from == IND_FROM_CONSULT) /* the years consultations were asked in */
        return s->consult_year_min > 0 && m1 >= s->consult_year_min * 12 &&
               m0 <= s->consult_year_max * 12 + 11;
    if (s->year_min <= 0 || s->t_last == INT32_MIN)
        return false;
    return m1 >= s->year_min * 12 && m0 <= snap_month(s->t_last);
}

void eng_period_text(const struct eng_result *r, int i, char buf[16])
{
    int m = r->first_month + i * r->months_per_period;
    int y = m / 12, mo = m % 12;
    switch (r->period) {
    case PERIOD_MONTH: snprintf(buf, 16, "%04d-%02d", y, mo + 1); break;
    case PERIOD_QUARTER: snprintf(buf, 16, "%04d-Q%d", y, mo / 3 + 1); break;
    case PERIOD_TERTIAL: snprintf(buf, 16, "%04d-T%d", y, mo / 4 + 1); break;
    default: snprintf(buf, 16, "%04d", y); break;
    }
}
