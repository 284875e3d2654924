/* src/engine/eng_obs.c: the observations of median and survival measures
 * kept in cell order between generations (eng_impl.h, eng_obs_vec).
 *
 * Workload: a full run buckets each measure's observations once (a
 * counting sort by accumulator cell, millions at 1 M persons); a patched
 * generation then takes out and adds the touched persons' few with one
 * sequential copy of the unchanged cells' runs, instead of bucketing
 * every observation again. */
#include <stdlib.h>
#include <string.h>

#include "engine/eng_impl.h"

static int obs_cmp(const void *a, const void *b)
{
    const struct eng_obs *x = a, *y = b;
    if (x->cell != y->cell)
        return x->cell < y->cell ? -1 : 1;
    if (x->secs != y->secs)
        return x->secs < y->secs ? -1 : 1;
    return (x->event > y->event) - (x->event < y->event);
}

/* Room for n in v->spare. */
static int spare_room(struct eng_obs_vec *v, size_t n)
{
    if (n <= v->spare_cap && v->spare)
        return 0;
    size_t cap = n + n / 8 + 1024;
    struct eng_obs *o = realloc(v->spare, cap * sizeof *o);
    if (!o)
        return KN_ENOMEM;
    v->spare = o;
    v->spare_cap = cap;
    return 0;
}

int eng_obs_bucket(struct eng_obs_vec *v, size_t ncells)
{
    size_t *off = calloc(ncells + 2, sizeof *off);
    if (!off || spare_room(v, v->n) != 0) {
        free(off);
        return KN_ENOMEM;
    }
    for (size_t i = 0; i < v->n; i++)
        off[v->v[i].cell + 2]++;
    for (size_t c = 0; c < ncells; c++)
        off[c + 2] += off[c + 1];
    /* off[c + 1] is where cell c's next goes; afterwards off[c] is its start */
    struct eng_obs *dst = v->spare;
    for (size_t i = 0; i < v->n; i++)
        dst[off[v->v[i].cell + 1]++] = v->v[i];
    free(v->off);
    v->off = off;
    size_t cap = v->cap;
    v->spare = v->v;
    v->v = dst;
    v->cap = v->spare_cap;
    v->spare_cap = cap;
    return 0;
}

/* The first of minus[lo, hi) equal to o and not yet taken, or hi. */
static size_t find(const struct eng_obs *minus, const uint8_t *taken, size_t lo, size_t hi,
                   const struct eng_obs *o)
{
    size_t a = lo, b = hi;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (obs_cmp(&minus[mid], o) < 0)
            a = mid + 1;
        else
            b = mid;
    }
    while (a < hi && taken[a] && obs_cmp(&minus[a], o) == 0)
        a++;
    return a < hi && obs_cmp(&minus[a], o) == 0 ? a : hi;
}

int eng_obs_update(struct eng_obs_vec *v, struct eng_obs_vec *minus,
                   struct eng_obs_vec *plus, size_t ncells, bool *ok)
{
    *ok = true;
    if (minus->n == 0 && plus->n == 0)
        return 0;
    if (!v->off && eng_obs_bucket(v, ncells) != 0)
        return KN_ENOMEM;
    if (minus->n > 1)
        qsort(minus->v, minus->n, sizeof *minus->v, obs_cmp);
    if (plus->n > 1)
        qsort(plus->v, plus->n, sizeof *plus->v, obs_cmp);
    if ((minus->n && minus->v[minus->n - 1].cell >= ncells) ||
        (plus->n && plus->v[plus->n - 1].cell >= ncells) || minus->n > v->n) {
        *ok = false;
        return 0;
    }
    uint8_t *taken = calloc(minus->n + 1, 1);
    if (!taken || spare_room(v, v->n + plus->n) != 0) {
        free(taken);
        return KN_ENOMEM;
    }
    const struct eng_obs *src = v->v;
    struct eng_obs *dst = v->spare;
    /* w: where the next goes; the unchanged cells since `run` (in src) are
     * copied in one piece to wrun when a changed cell comes */
    size_t w = 0, run = 0, wrun = 0, a = 0, im = 0, ip = 0, ntaken = 0;
    for (size_t c = 0; c < ncells; c++) {
        size_t b = v->off[c + 1];
        v->off[c] = w;
        bool hit = (im < minus->n && minus->v[im].cell == c) ||
                   (ip < plus->n && plus->v[ip].cell == c);
        if (!hit) {
            w += b - a;
            a = b;
            continue;
        }
        memcpy(dst + wrun, src + run, (a - run) * sizeof *dst);
        size_t m0 = im;
        while (im < minus->n && minus->v[im].cell == c)
            im++;
        for (size_t i = a; i < b; i++) {
            size_t at = m0 < im ? find(minus->v, taken, m0, im, &src[i]) : im;
            if (at < im) {
                taken[at] = 1;
                ntaken++;
                continue;
            }
            dst[w++] = src[i];
        }
        while (ip < plus->n && plus->v[ip].cell == c)
            dst[w++] = plus->v[ip++];
        a = run = b;
        wrun = w;
    }
    memcpy(dst + wrun, src + run, (v->n - run) * sizeof *dst);
    w = wrun + (v->n - run);
    v->off[ncells] = w;
    free(taken);
    *ok = ntaken == minus->n;
    size_t cap = v->cap;
    v->spare = v->v;
    v->v = dst;
    v->cap = v->spare_cap;
    v->spare_cap = cap;
    v->n = w;
    return 0;
}

void eng_obs_free(struct eng_obs_vec *v)
{
    free(v->v);
    free(v->off);
    free(v->spare);
    *v = (struct eng_obs_vec){ 0 };
}
