/* src/engine/eng_final.c: from accumulators to result cubes.
 *
 * Sums roll up from the finest cells (place, sex, band) to every coarser
 * one; medians and Kaplan-Meier curves are computed per output cell from
 * the observations of the finest cells under it. Then each cell gets its
 * value and intervals (stat.h). Distinct persons by care unit are counted
 * at every level directly (a person may visit units of several regions),
 * so only their sex and band roll up. A patched generation (eng_inc.c)
 * starts from the last generation's cubes and computes again only the
 * cells its changed accumulator cells reach. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "engine/eng_impl.h"
#include "stats/stat.h"

/* Halland lies in two healthcare regions; population exists by region
 * only, so its population is split by the 2025 municipal populations of
 * its two parts (data/SOURCES.md): Västra 203 113, Södra 142 974. The
 * same shares split every population year (docs/indicators.md). */
#define HALLAND "13"
#define HALLAND_VASTRA (203113.0 / 346087.0)
#define HALLAND_SODRA (142974.0 / 346087.0)

struct fin {
    const struct eng_ctx *c;
    const struct snap *s;
    int *years;                          /* population years held, ascending */
    size_t nyears;
    double (*pop)[2][GEO_AGE_OPEN + 1]; /* [year * nregions + region][sex][age] */
    int *period_year;                    /* the indicator's periods -> index into years */
    int halland, vastra, sodra;          /* indexes, -1 if absent */
    size_t *kids;                        /* fine children of each output place */
    size_t *kid_off;                     /* ngeo + 1 */
    double *pop_cache;                   /* [year][place below fine][sex][band], NAN
                                            unknown */
    struct stat_ci exact[2][STAT_BYAR_FROM]; /* Poisson limits of small counts */
};

/* The count interval of stat_poisson(), with the exact limits of small
 * counts computed once. */
static struct stat_ci pois(const struct fin *f, double o, int level998)
{
    if (o >= 0 && o < STAT_BYAR_FROM && o == (int)o)
        return f->exact[level998][(int)o];
    return stat_poisson(o, level998 ? 0.998 : 0.95);
}

static int fine_region(const struct fin *f, const struct eng_ind *e, size_t fine)
{
    if (e->d->geo_unit)
        return f->s->units[fine].region;
    return f->s->slot_region[fine];
}

static int fine_hc(const struct fin *f, const struct eng_ind *e, size_t fine)
{
    if (e->d->geo_unit)
        return f->s->region_hc[f->s->units[fine].region];
    return f->s->slot_hc[fine];
}

/* The places an observation in fine place g adds to: itself, its region,
 * its healthcare region, the nation. */
static size_t targets(const struct fin *f, const struct eng_ind *e, size_t g, size_t out[4])
{
    size_t n = 0, fine = g - e->fine_base;
    out[n++] = g;
    int r = fine_region(f, e, fine), h = fine_hc(f, e, fine);
    if (r >= 0)
        out[n++] = 1 + f->s->geo->nhregions + (size_t)r;
    if (h >= 0)
        out[n++] = 1 + (size_t)h;
    out[n++] = 0;
    return n;
}

static int build_kids(struct fin *f, const struct eng_ind *e)
{
    free(f->kids);
    free(f->kid_off);
    f->kid_off = calloc(e->ngeo + 1, sizeof *f->kid_off);
    f->kids = malloc(e->nfine * 4 * sizeof *f->kids + 1);
    if (!f->kids || !f->kid_off)
        return KN_ENOMEM;
    size_t t[4];
    for (size_t g = e->fine_base; g < e->ngeo; g++) {
        size_t n = targets(f, e, g, t);
        for (size_t k = 0; k < n; k++)
            f->kid_off[t[k] + 1]++;
    }
    for (size_t g = 0; g < e->ngeo; g++)
        f->kid_off[g + 1] += f->kid_off[g];
    size_t *fill = malloc((e->ngeo + 1) * sizeof *fill);
    if (!fill)
        return KN_ENOMEM;
    memcpy(fill, f->kid_off, (e->ngeo + 1) * sizeof *fill);
    for (size_t g = e->fine_base; g < e->ngeo; g++) {
        size_t n = targets(f, e, g, t);
        for (size_t k = 0; k < n; k++)
            f->kids[fill[t[k]]++] = g;
    }
    free(fill);
    return 0;
}

/* The index into years[0..n-1] (ascending) of the population year of a
 * period in `year`: that year, else the latest before it, else the
 * earliest. */
static size_t pop_year_index(const int *years, size_t n, int year)
{
    size_t k = 0;
    while (k + 1 < n && years[k + 1] <= year)
        k++;
    return k;
}

int eng_pop_year(const int *years, size_t n, int year)
{
    return n ? years[pop_year_index(years, n, year)] : 0;
}

/* Population of an output cell in population year y (an index): ages in
 * every `age` condition and in the band (0: all ages). */
static double population_sum(const struct fin *f, const struct eng_ind *e, size_t y, size_t g,
                             int so, size_t bo)
{
    const struct ind_def *d = e->d;
    const struct geo *geo = f->s->geo;
    double total = 0;
    for (int a = 0; a <= GEO_AGE_OPEN; a++) {
        bool ok = bo == 0 || (a >= d->bands[bo - 1].lo && a <= d->bands[bo - 1].hi);
        for (size_t k = 0; ok && k < d->nwhere; k++) {
            const struct ind_condition *w = &d->where[k];
            if (w->is_relation || w->is_observed || w->is_duration ||
                w->field.id != IND_F_AGE)
                continue;
            bool in = false;
            for (size_t q = 0; q < w->field.n; q++)
                in |= a >= w->field.ranges[q].lo && a <= w->field.ranges[q].hi;
            ok = in;
        }
        if (!ok)
            continue;
        for (size_t r = 0; r < geo->nregions; r++) {
            double share;
            if (g == 0)
                share = 1;
            else if (g <= geo->nhregions) {
                int h = (int)g - 1;
                if ((int)r == f->halland && (h == f->vastra || h == f->sodra))
                    share = h == f->vastra ? HALLAND_VASTRA : HALLAND_SODRA;
                else
                    share = f->s->region_hc[r] == h;
            } else {
                share = g - 1 - geo->nhregions == r;
            }
            if (share == 0)
                continue;
            for (int sx = 0; sx < 2; sx++)
                if (so == 0 || so - 1 == sx)
                    total += share * f->pop[y * geo->nregions + r][sx][a];
        }
    }
    return total;
}

static double population(const struct fin *f, const struct eng_ind *e, int p, size_t g,
                         int so, size_t bo)
{
    size_t y = (size_t)f->period_year[p];
    double *slot = &f->pop_cache[((y * e->fine_base + g) * 3 + (size_t)so) * e->nbslot + bo];
    if (isnan(*slot))
        *slot = population_sum(f, e, y, g, so, bo);
    return *slot;
}

static void count_stats(const struct fin *f, struct eng_cell *c)
{
    struct stat_ci a = pois(f, c->num, 0), b = pois(f, c->num, 1);
    c->value = c->num;
    c->lo95 = a.lower, c->hi95 = a.upper, c->lo998 = b.lower, c->hi998 = b.upper;
    c->flags |= ENG_HAS_VALUE | ENG_HAS_CI;
}

static void rate_stats(const struct fin *f, struct eng_cell *c, double per)
{
    struct stat_ci a = pois(f, c->num, 0), b = pois(f, c->num, 1);
    double k = per / c->den;
    c->value = c->num * k;
    c->lo95 = a.lower * k, c->hi95 = a.upper * k, c->lo998 = b.lower * k, c->hi998 = b.upper * k;
    c->flags |= ENG_HAS_VALUE | ENG_HAS_CI;
}

/* Sort n 64-bit keys (tmp: room for n more): insertion sort for a few,
 * else an LSD radix sort by 11-bit digits, skipping digits all keys share. */
static void radix_sort(uint64_t *k, uint64_t *tmp, size_t n)
{
    if (n < 64) {
        for (size_t i = 1; i < n; i++) {
            uint64_t x = k[i];
            size_t j = i;
            for (; j > 0 && k[j - 1] > x; j--)
                k[j] = k[j - 1];
            k[j] = x;
        }
        return;
    }
    for (int shift = 0; shift < 64; shift += 11) {
        size_t count[2049] = { 0 };
        for (size_t i = 0; i < n; i++)
            count[((k[i] >> shift) & 0x7ff) + 1]++;
        if (count[((k[0] >> shift) & 0x7ff) + 1] == n)
            continue; /* every key has this digit */
        for (size_t d = 0; d < 2048; d++)
            count[d + 1] += count[d];
        for (size_t i = 0; i < n; i++)
            tmp[count[(k[i] >> shift) & 0x7ff]++] = k[i];
        memcpy(k, tmp, n * sizeof *k);
    }
}

/* Whole seconds as a key that orders as they do (the sign bit flipped). */
static uint32_t secs_key(int32_t secs)
{
    return (uint32_t)secs ^ 0x80000000u;
}

static int32_t key_secs(uint32_t key)
{
    return (int32_t)(key ^ 0x80000000u);
}

/* A survival observation as a sort key: its time's key and, below, 0 for
 * an event and 1 for a censoring, so that events come first among equal
 * times. */
static uint64_t obs_key(const struct eng_obs *o)
{
    return (uint64_t)secs_key(o->secs) << 1 | (o->event ? 0u : 1u);
}


static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* stat_median() at 95 % and 99.8 % of n seconds keys, in units of `unit`
 * seconds, at the ranks of stat_median_rank(). The six ranks lie within a
 * few sqrt(n) of each other, so a histogram of the keys (at most 65,536
 * bins between their minimum and maximum) finds the bins that hold them,
 * and only those bins' keys are sorted. cnt has room for 65,536 counts and
 * w for n keys. Few keys are simply sorted. */
static void median_keys(uint32_t *v, size_t n, double unit, uint32_t *cnt, uint32_t *w,
                        struct stat_ci *a, struct stat_ci *b)
{
    size_t j95 = stat_median_rank(n, 0.95), j998 = stat_median_rank(n, 0.998);
    size_t r[6] = { j998 ? j998 - 1 : 0, j95 ? j95 - 1 : 0, n % 2 ? n / 2 : n / 2 - 1, n / 2,
                    j95 ? n - j95 : n - 1, j998 ? n - j998 : n - 1 };
    const uint32_t *sorted = v;
    size_t base = 0;
    if (n < 4096) {
        qsort(v, n, sizeof *v, u32_cmp);
    } else {
        uint32_t mn = v[0], mx = v[0];
        for (size_t i = 1; i < n; i++) {
            mn = v[i] < mn ? v[i] : mn;
            mx = v[i] > mx ? v[i] : mx;
        }
        /* about n / 8 bins (at most 65,536): few to clear, few keys a bin */
        uint64_t bins = n / 8 < 65536 ? n / 8 : 65536;
        int shift = 0;
        while (((uint64_t)(mx - mn) >> shift) >= bins)
            shift++;
        size_t nb = ((size_t)(mx - mn) >> shift) + 1;
        memset(cnt, 0, nb * sizeof *cnt);
        for (size_t i = 0; i < n; i++)
            cnt[(v[i] - mn) >> shift]++;
        size_t b0 = 0, below = 0;
        while (below + cnt[b0] <= r[0])
            below += cnt[b0++];
        size_t b5 = b0, upto = below + cnt[b0];
        while (upto <= r[5])
            upto += cnt[++b5];
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            size_t bin = (v[i] - mn) >> shift;
            if (bin >= b0 && bin <= b5)
                w[m++] = v[i];
        }
        qsort(w, m, sizeof *w, u32_cmp);
        sorted = w;
        base = below;
    }
    double x[6];
    for (int i = 0; i < 6; i++)
        x[i] = key_secs(sorted[r[i] - base]) / unit;
    double med = (x[2] + x[3]) / 2;
    *a = (struct stat_ci){ med, x[1], x[4] };
    *b = (struct stat_ci){ med, x[0], x[5] };
}

/* Median or Kaplan-Meier of the n values gathered for one cell: for a
 * median, seconds keys (uint32, secs_key) in v, with buf room for n keys
 * and kt for 65,536 counts; for survival, sort keys (obs_key) in v, and
 * buf, ev, kt, ks, kse room for n each (kt and ks for 2n keys). */
static void list_stats(struct eng_cell *c, const struct ind_measure *im,
                       const struct eng_rel *rel, uint64_t *v, size_t n, double *buf,
                       bool *ev, double *kt, double *ks, double *kse)
{
    if (n == 0)
        return;
    if (im->kind != IND_M_SURVIVAL) {
        struct stat_ci a, b;
        median_keys((uint32_t *)(void *)v, n, im->unit_seconds, (uint32_t *)(void *)kt,
                    (uint32_t *)(void *)buf, &a, &b);
        c->den = (double)n;
        c->value = a.value;
        c->lo95 = a.lower, c->hi95 = a.upper, c->lo998 = b.lower, c->hi998 = b.upper;
        c->flags |= ENG_HAS_DEN | ENG_HAS_VALUE | ENG_HAS_CI;
        return;
    }
    radix_sort(v, (uint64_t *)(void *)kt, n);
    for (size_t i = 0; i < n; i++) {
        buf[i] = key_secs((uint32_t)(v[i] >> 1)) / 86400.0;
        ev[i] = (v[i] & 1) == 0;
    }
    size_t k = stat_kaplan_meier(buf, ev, n, kt, ks, kse);
    double horizon = (double)rel->hi / 86400.0, s = 1, se = 0;
    for (size_t i = 0; i < k && kt[i] <= horizon; i++) {
        s = ks[i];
        se = kse[i];
    }
    double z95 = stat_z(0.95), z998 = stat_z(0.998), ci = 1 - s;
    c->value = 100 * ci;
    c->lo95 = 100 * fmax(0, ci - z95 * se), c->hi95 = 100 * fmin(1, ci + z95 * se);
    c->lo998 = 100 * fmax(0, ci - z998 * se), c->hi998 = 100 * fmin(1, ci + z998 * se);
    if (ci == 0) {
        /* no event by the window's end: Greenwood's interval is [0, 0]; the
         * upper limit is the exact binomial one for no event among those
         * followed for the whole window (censored at its end) */
        size_t whole = 0;
        for (size_t i = 0; i < n; i++)
            whole += buf[i] >= horizon;
        c->hi95 = 100 * stat_zero_upper((double)whole, 0.95);
        c->hi998 = 100 * stat_zero_upper((double)whole, 0.998);
    }
    c->flags |= ENG_HAS_VALUE | ENG_HAS_CI;
}

/* Only published cells get values (eng_geo_shown, and F/M and the bands
 * only with those breakdowns). */
static bool needed(const struct eng_result *r, size_t g, int so, size_t bo)
{
    unsigned dims = r->def->dims;
    return eng_geo_shown(r, g) && (so == 0 || (dims & IND_DIM_SEX)) &&
           (bo == 0 || (dims & IND_DIM_BAND));
}

/* The observations of one list measure, bucketed by accumulator cell,
 * and the periods one thread computes (p = first, first + step, ...). */
struct list_job {
    const struct fin *f;
    const struct eng_ind *e;
    const struct ind_measure *im;
    const struct eng_rel *rel;
    struct eng_result *r;
    const size_t *off;
    const struct eng_obs *obs; /* in cell order: cell c's at off[c] .. off[c + 1] */
    bool surv;
    size_t n1;
    atomic_size_t *next;    /* the next cell to take: threads share the work */
    const uint8_t *dirty;   /* only these cells (NULL: every one) */
    int rc;
};

static void *list_periods(void *arg)
{
    struct list_job *j = arg;
    const struct eng_ind *e = j->e;
    const struct fin *f = j->f;
    size_t n1 = j->n1;
    /* work space: the gathered keys; Kaplan-Meier's times, events and
     * curve, or for medians a histogram (65,536 counts) and the keys of
     * its middle bins */
    uint64_t *gather = malloc(n1 * (j->surv ? sizeof(uint64_t) : sizeof(uint32_t)));
    uint32_t *gather32 = (uint32_t *)(void *)gather;
    double *buf = malloc((j->surv ? n1 * 4 : n1 / 2 + 1 + 65536 / 2) * sizeof *buf);
    bool *ev = malloc(j->surv ? n1 : 1);
    if (!gather || !buf || !ev) {
        j->rc = KN_ENOMEM;
        goto done;
    }
    double *kt = buf + (j->surv ? n1 : n1 / 2 + 1), *ks = j->surv ? kt + (n1 - 1) : buf,
           *kse = j->surv ? ks + (n1 - 1) : buf;
    /* cells in order period, place, sex, band; each thread takes the next
     * one not yet taken, so a big cell (the nation) does not hold the
     * others up */
    size_t ncell = (size_t)e->nperiods * e->ngeo * 3 * e->nbslot;
    for (size_t ci = atomic_fetch_add(j->next, 1); ci < ncell;
         ci = atomic_fetch_add(j->next, 1)) {
        size_t bo = ci % e->nbslot, rest = ci / e->nbslot;
        int so = (int)(rest % 3);
        size_t g = rest / 3 % e->ngeo;
        int p = (int)(rest / 3 / e->ngeo);
        if ((j->dirty && !j->dirty[ci]) || !needed(j->r, g, so, bo))
            continue;
        size_t n = 0;
        for (size_t k = f->kid_off[g]; k < f->kid_off[g + 1]; k++)
            for (int sx = 0; sx < 2; sx++) {
                if (so && so - 1 != sx)
                    continue;
                for (size_t b = 0; b < e->nbslot; b++) {
                    if (bo && b != bo)
                        continue;
                    size_t ac = eng_acc_cell(e, p, f->kids[k], sx, b);
                    const struct eng_obs *o = j->obs + j->off[ac], *end = j->obs + j->off[ac + 1];
                    if (j->surv)
                        for (; o < end; o++)
                            gather[n++] = obs_key(o);
                    else
                        for (; o < end; o++)
                            gather32[n++] = secs_key(o->secs);
                }
            }
        list_stats(eng_cell(j->r, p, g, so, bo), j->im, j->rel,
                   j->surv ? gather : (uint64_t *)(void *)gather32, n, buf, ev, kt, ks, kse);
    }
done:
    free(gather);
    free(buf);
    free(ev);
    return NULL;
}

/* Medians and Kaplan-Meier curves of every published cell, on two threads
 * that take cells one at a time (each cell is written by one thread). */
static int lists(struct fin *f, const struct eng_ind *e, size_t m, struct eng_obs_vec *v,
                 struct eng_result *r, const uint8_t *dirty)
{
    const struct ind_measure *im = &e->d->measures[m];
    bool surv = im->kind == IND_M_SURVIVAL;
    size_t n1 = v->n + 1;
    /* the observations in cell order: bucketed once, then kept so by
     * eng_obs_update() between generations; each cell's are gathered as
     * sort keys (seconds for a median, 4 bytes; seconds and event for
     * survival, 8) */
    if (!v->off && eng_obs_bucket(v, e->ncells) != 0)
        return KN_ENOMEM;
    int nthreads = v->n > 100000 ? 2 : 1;
    atomic_size_t next = 0;
    struct list_job job[2];
    for (int t = 0; t < nthreads; t++)
        job[t] = (struct list_job){ f, e, im, &e->mrel[m], r, v->off, v->v, surv,
                                    n1, &next, dirty, 0 };
    pthread_t th;
    bool started = nthreads == 2 && pthread_create(&th, NULL, list_periods, &job[1]) == 0;
    list_periods(&job[0]);
    if (started)
        pthread_join(th, NULL);
    else if (nthreads == 2)
        list_periods(&job[1]);
    return job[0].rc ? job[0].rc : nthreads == 2 ? job[1].rc : 0;
}

/* Sums of the accumulators into the output cells. */
static void roll_sums(struct fin *f, const struct eng_ind *e, size_t m,
                      const struct eng_acc *a, struct eng_result *r)
{
    size_t t[4];
    for (int p = 0; p < e->nperiods; p++)
        for (size_t g = e->persons_direct[m] ? 0 : e->fine_base; g < e->ngeo; g++) {
            size_t nt = e->persons_direct[m] ? 1 : targets(f, e, g, t);
            if (e->persons_direct[m])
                t[0] = g;
            for (int sx = 0; sx < 2; sx++)
                for (size_t b = 0; b < e->nbslot; b++) {
                    size_t ac = eng_acc_cell(e, p, g, sx, b);
                    double num = a->num[m][ac], den = a->den[m][ac];
                    if (num == 0 && den == 0)
                        continue;
                    const int sos[2] = { 0, sx + 1 };
                    const size_t bos[2] = { 0, b };
                    for (size_t k = 0; k < nt; k++)
                        for (int i = 0; i < 2; i++)
                            for (int j = 0; j < (b ? 2 : 1); j++) {
                                struct eng_cell *c = eng_cell(r, p, t[k], sos[i], bos[j]);
                                c->num += num;
                                c->den += den;
                            }
                }
        }
}

/* One output cell's sums from the accumulators, as roll_sums() adds
 * them up (whole numbers: the same in any order); the cell starts empty. */
static void cell_sums(const struct fin *f, const struct eng_ind *e, size_t m,
                      const struct eng_acc *a, struct eng_result *r, int p, size_t g, int so,
                      size_t bo)
{
    struct eng_cell *c = eng_cell(r, p, g, so, bo);
    memset(c, 0, sizeof *c);
    size_t k0 = e->persons_direct[m] ? 0 : f->kid_off[g];
    size_t k1 = e->persons_direct[m] ? 1 : f->kid_off[g + 1];
    for (size_t k = k0; k < k1; k++) {
        size_t kid = e->persons_direct[m] ? g : f->kids[k];
        for (int sx = 0; sx < 2; sx++) {
            if (so && so - 1 != sx)
                continue;
            for (size_t b = bo ? bo : 0; b < (bo ? bo + 1 : e->nbslot); b++) {
                size_t ac = eng_acc_cell(e, p, kid, sx, b);
                c->num += a->num[m][ac];
                c->den += a->den[m][ac];
            }
        }
    }
}

/* The output cells (period, place, sex, band) that the accumulator cells
 * marked in ad reach, into od (zeroed here). */
static void dirty_cells(const struct fin *f, const struct eng_ind *e, const uint8_t *ad,
                        uint8_t *od)
{
    size_t nout = (size_t)e->nperiods * e->ngeo * 3 * e->nbslot;
    memset(od, 0, nout);
    for (size_t i = 0; i < e->ncells; i++) {
        if (!ad[i])
            continue;
        size_t b = i % e->nbslot, rest = i / e->nbslot;
        int sx = (int)(rest % 2);
        size_t g = rest / 2 % e->ngeo;
        int p = (int)(rest / 2 / e->ngeo);
        size_t t[4], nt = 1;
        t[0] = g;
        if (g >= e->fine_base)
            nt = targets(f, e, g, t);
        for (size_t k = 0; k < nt; k++)
            for (int so = 0; so < 3; so += sx + 1)
                for (size_t bo = 0; bo <= b; bo += b ? b : 1)
                    od[(((size_t)p * e->ngeo + t[k]) * 3 + (size_t)so) * e->nbslot + bo] = 1;
    }
}

static void cell_stats(struct fin *f, const struct eng_ind *e, const struct ind_measure *im,
                       struct eng_result *r, int p, size_t g, int so, size_t bo)
{
    struct eng_cell *c = eng_cell(r, p, g, so, bo);
    switch (im->kind) {
    case IND_M_COUNT:
        c->flags |= ENG_HAS_NUM;
        if (!im->per) {
            c->den = 0;
            count_stats(f, c);
            break;
        }
        c->den = eng_geo_level(r, g) == ENG_GEO_FINE ? 0 : population(f, e, p, g, so, bo);
        if (c->den <= 0)
            break;
        c->flags |= ENG_HAS_DEN;
        if (!im->standardised || bo != 0) {
            rate_stats(f, c, (double)im->per);
            break;
        }
        {
            struct stat_stratum st[IND_MAX_BANDS];
            size_t ns = 0;
            const struct geo *geo = f->s->geo;
            for (size_t b = 1; b <= e->d->nbands; b++) {
                double w = 0;
                for (size_t q = 0; q < geo->nesp2013; q++)
                    if (geo->esp2013[q].age_from == e->d->bands[b - 1].lo)
                        w = geo->esp2013[q].weight;
                double pb = population(f, e, p, g, so, b);
                if (w <= 0 || pb <= 0)
                    return;
                st[ns++] = (struct stat_stratum){ eng_cell(r, p, g, so, b)->num, pb, w };
            }
            struct stat_ci a, b2;
            if (stat_dsr(st, ns, (double)im->per, 0.95, &a) &&
                stat_dsr(st, ns, (double)im->per, 0.998, &b2)) {
                c->value = a.value;
                c->lo95 = a.lower, c->hi95 = a.upper, c->lo998 = b2.lower, c->hi998 = b2.upper;
                c->flags |= ENG_HAS_VALUE | ENG_HAS_CI;
            }
        }
        break;
    case IND_M_SUM:
        c->num /= im->unit_seconds; /* summed in whole seconds */
        c->value = c->num;
        c->flags |= ENG_HAS_NUM | ENG_HAS_DEN | ENG_HAS_VALUE;
        break;
    case IND_M_PROPORTION:
        c->flags |= ENG_HAS_NUM | ENG_HAS_DEN;
        if (c->den > 0) {
            struct stat_ci a = stat_wilson(c->num, c->den, 0.95);
            struct stat_ci b = stat_wilson(c->num, c->den, 0.998);
            c->value = 100 * a.value;
            c->lo95 = 100 * a.lower, c->hi95 = 100 * a.upper;
            c->lo998 = 100 * b.lower, c->hi998 = 100 * b.upper;
            c->flags |= ENG_HAS_VALUE | ENG_HAS_CI;
        }
        break;
    case IND_M_MEDIAN_TO:
    case IND_M_MEDIAN_DUR:
        c->flags |= ENG_HAS_DEN; /* value set by lists() */
        break;
    case IND_M_SURVIVAL:
        c->flags |= ENG_HAS_NUM | ENG_HAS_DEN;
        break;
    case IND_M_RATIO:
        break;
    }
}

/* Per period of r, finished from the last generation's cube pr with only
 * the cells dk[] computed again: does a cell differ from pr's in what
 * disclosure control reads (numerator, denominator, flags)? NULL when out
 * of memory. */
static uint8_t *period_changes(const struct eng_result *r, const struct eng_result *pr,
                               const uint8_t *dk)
{
    uint8_t *ch = calloc((size_t)r->nperiods + 1, 1);
    size_t per = r->ngeo * 3 * r->nband;
    for (int p = 0; ch && p < r->nperiods; p++)
        for (size_t i = (size_t)p * per; i < (size_t)(p + 1) * per && !ch[p]; i++) {
            const struct eng_cell *a = &r->cells[i], *b = &pr->cells[i];
            ch[p] = dk[i] && (a->num != b->num || a->den != b->den || a->flags != b->flags);
        }
    return ch;
}

int eng_finish(const struct eng_ctx *c, struct eng_acc *acc, struct eng_result *res,
               const struct eng_result *prev, uint8_t *const *changed, struct kn_error *err)
{
    uint8_t *od = NULL; /* the output cells to compute again, with prev */
    const struct snap *s = c->s;
    const struct geo *geo = s->geo;
    struct fin f = { .c = c, .s = s, .halland = -1, .vastra = -1, .sodra = -1 };
    /* the population years held (the snapshot's rows are by year) */
    f.years = malloc((s->npop + 1) * sizeof *f.years);
    if (!f.years)
        return kn_fail(err, KN_ENOMEM, "indicators: out of memory");
    for (size_t i = 0; i < s->npop; i++)
        if (f.nyears == 0 || f.years[f.nyears - 1] != s->pop[i].year)
            f.years[f.nyears++] = s->pop[i].year;
    f.pop = calloc((f.nyears ? f.nyears : 1) * geo->nregions + 1, sizeof *f.pop);
    if (!f.pop) {
        free(f.years);
        return kn_fail(err, KN_ENOMEM, "indicators: out of memory");
    }
    for (int o = 0; o < STAT_BYAR_FROM; o++) {
        f.exact[0][o] = stat_poisson(o, 0.95);
        f.exact[1][o] = stat_poisson(o, 0.998);
    }
    for (size_t i = 0, y = 0; i < s->npop; i++) {
        const struct geo_population *gp = &s->pop[i];
        while (f.years[y] != gp->year)
            y++;
        for (size_t r = 0; r < geo->nregions; r++)
            if (memcmp(geo->regions[r].code, gp->region_code, 3) == 0)
                f.pop[y * geo->nregions + r][gp->sex == 'M'][gp->age] += (double)gp->population;
    }
    for (size_t r = 0; r < geo->nregions; r++)
        if (strcmp(geo->regions[r].code, HALLAND) == 0)
            f.halland = (int)r;
    for (size_t h = 0; h < geo->nhregions; h++) {
        if (strcmp(geo->hregions[h].code, "Västra") == 0)
            f.vastra = (int)h;
        if (strcmp(geo->hregions[h].code, "Södra") == 0)
            f.sodra = (int)h;
    }
    int rc = 0;
    size_t ri = 0;
    for (size_t k = 0; rc == 0 && k < c->n; k++) {
        const struct eng_ind *e = &c->inds[k];
        rc = build_kids(&f, e);
        size_t ny = f.nyears ? f.nyears : 1, ncache = ny * e->fine_base * 3 * e->nbslot;
        free(f.pop_cache);
        free(f.period_year);
        f.pop_cache = malloc(ncache * sizeof *f.pop_cache);
        f.period_year = malloc(((size_t)e->nperiods + 1) * sizeof *f.period_year);
        if (!f.pop_cache || !f.period_year)
            rc = KN_ENOMEM;
        for (size_t q = 0; rc == 0 && q < ncache; q++)
            f.pop_cache[q] = NAN;
        for (int p = 0; rc == 0 && p < e->nperiods; p++)
            f.period_year[p] = (int)pop_year_index(
                f.years, f.nyears, (e->first_month + p * e->mpp) / 12);
        free(od);
        od = NULL;
        if (rc == 0 && prev && changed) {
            od = malloc((size_t)e->nperiods * e->ngeo * 3 * e->nbslot + 1);
            if (!od)
                rc = KN_ENOMEM;
            else
                dirty_cells(&f, e, changed[k], od);
        }
        bool od_any = false; /* has a cell of definition k changed? */
        for (size_t i = 0; od && !od_any && i < (size_t)e->nperiods * e->ngeo * 3 * e->nbslot;
             i++)
            od_any = od[i];
        for (size_t m = 0; rc == 0 && m < e->d->nmeasures; m++, ri++) {
            struct timespec ts0, ts1;
            clock_gettime(CLOCK_MONOTONIC, &ts0);
            struct eng_result *r = &res[ri];
            r->def = e->d;
            r->measure = (int)m;
            r->period = e->d->period;
            r->nperiods = e->nperiods;
            r->first_month = e->first_month;
            r->months_per_period = e->mpp;
            r->ngeo = e->ngeo;
            r->nhc = geo->nhregions;
            r->nregion = geo->nregions;
            r->nfine = e->nfine;
            r->nfine_shown = e->d->geo_unit ? s->nunits : geo->nmunicipalities;
            r->nband = e->nbslot;
            size_t n = (size_t)e->nperiods * e->ngeo * 3 * e->nbslot;
            r->period_valid = malloc((size_t)e->nperiods * sizeof *r->period_valid);
            r->fine_region = malloc((e->nfine + 1) * sizeof *r->fine_region);
            r->fine_hc = malloc((e->nfine + 1) * sizeof *r->fine_hc);
            r->pop_year = malloc(((size_t)e->nperiods + 1) * sizeof *r->pop_year);
            if (!r->period_valid || !r->fine_region || !r->fine_hc || !r->pop_year) {
                rc = KN_ENOMEM;
                break;
            }
            memcpy(r->period_valid, e->period_valid, (size_t)e->nperiods * sizeof(bool));
            for (size_t q = 0; q < e->nfine; q++) {
                r->fine_region[q] = fine_region(&f, e, q);
                r->fine_hc[q] = fine_hc(&f, e, q);
            }
            const struct ind_measure *im = &e->d->measures[m];
            bool over_pop = im->kind == IND_M_COUNT && im->per && f.nyears;
            for (int p = 0; p < e->nperiods; p++)
                r->pop_year[p] = over_pop ? f.years[f.period_year[p]] : 0;
            /* with the last generation's cube: its cells, and only those the
             * changed accumulator cells reach computed again */
            const struct eng_result *pr = od ? &prev[ri] : NULL;
            if (pr && (pr->def != r->def || pr->measure != r->measure ||
                       pr->nperiods != r->nperiods || pr->first_month != r->first_month ||
                       pr->ngeo != r->ngeo || pr->nband != r->nband))
                pr = NULL;
            const uint8_t *dk = pr ? od : NULL;
            if (pr && !od_any && im->kind != IND_M_RATIO && pr->cells_refs) {
                /* none of its cells changed: the last generation's cube,
                 * shared (read-only; it keeps the last suppression, which
                 * sup_apply_from keeps or replaces, sup.h) */
                r->cells = pr->cells;
                r->cells_refs = pr->cells_refs;
                atomic_fetch_add(pr->cells_refs, 1);
                if (!(r->period_changed = calloc((size_t)r->nperiods + 1, 1)))
                    rc = KN_ENOMEM;
                continue;
            }
            r->cells = pr ? malloc(n * sizeof *r->cells) : calloc(n, sizeof *r->cells);
            r->cells_refs = malloc(sizeof *r->cells_refs);
            if (!r->cells || !r->cells_refs) {
                rc = KN_ENOMEM;
                break;
            }
            atomic_init(r->cells_refs, 1);
            if (pr) {
                memcpy(r->cells, pr->cells, n * sizeof *r->cells);
                for (size_t q = 0; q < n; q++)
                    r->cells[q].sup_num = r->cells[q].sup_den = r->cells[q].sup_value = 0;
            } else {
                roll_sums(&f, e, m, &acc[k], r);
            }
            /* the sums of every cell first: a standardised rate reads its bands' */
            size_t ci = 0;
            for (int p = 0; dk && p < e->nperiods; p++)
                for (size_t g = 0; g < e->ngeo; g++)
                    for (int so = 0; so < 3; so++)
                        for (size_t bo = 0; bo < e->nbslot; bo++, ci++)
                            if (dk[ci])
                                cell_sums(&f, e, m, &acc[k], r, p, g, so, bo);
            ci = 0;
            for (int p = 0; p < e->nperiods; p++)
                for (size_t g = 0; g < e->ngeo; g++)
                    for (int so = 0; so < 3; so++)
                        for (size_t bo = 0; bo < e->nbslot; bo++, ci++)
                            if ((!dk || dk[ci]) && needed(r, g, so, bo))
                                cell_stats(&f, e, im, r, p, g, so, bo);
            if (im->kind == IND_M_MEDIAN_TO || im->kind == IND_M_MEDIAN_DUR ||
                im->kind == IND_M_SURVIVAL)
                rc = lists(&f, e, m, &acc[k].obs[m], r, dk);
            ci = 0;
            for (int p = 0; p < e->nperiods; p++)
                for (size_t g = 0; g < e->ngeo; g++)
                    for (int so = 0; so < 3; so++)
                        for (size_t bo = 0; bo < e->nbslot; bo++, ci++) {
                            if (g == 0 || !needed(r, g, so, bo))
                                continue;
                            size_t nat = (((size_t)p * e->ngeo) * 3 + (size_t)so) *
                                         e->nbslot + bo;
                            if (dk && !dk[ci] && !dk[nat])
                                continue;
                            if (dk && !dk[ci]) { /* the nation changed: limits again */
                                struct eng_cell *x = eng_cell(r, p, g, so, bo);
                                x->f_lo95 = x->f_hi95 = x->f_lo998 = x->f_hi998 = 0;
                                x->flags &= (uint8_t)~ENG_HAS_FUNNEL;
                            }
                            eng_cell_funnel(im, r, p, g, so, bo);
                        }
            if (rc == 0 && dk && !(r->period_changed = period_changes(r, pr, dk)))
                rc = KN_ENOMEM;
            clock_gettime(CLOCK_MONOTONIC, &ts1);
            log_debug("indicators: %s:%s finished in %.3f ms", e->d->id, im->name,
                      (double)(ts1.tv_sec - ts0.tv_sec) * 1e3 +
                          (double)(ts1.tv_nsec - ts0.tv_nsec) / 1e6);
        }
    }
    if (rc == 0)
        eng_ratios(res, ri);
    free(od);
    free(f.pop);
    free(f.years);
    free(f.period_year);
    free(f.pop_cache);
    free(f.kids);
    free(f.kid_off);
    return rc == 0 ? 0 : kn_fail(err, KN_ENOMEM, "indicators: out of memory");
}
