/* src/engine/eng_target.c: a cell's value against its target, decided on
 * the counts (eng_target.h). */
#include <math.h>
#include <stdint.h>

#include "engine/eng_target.h"

__extension__ typedef __int128 i128;

/* A value as the quotient a / b of doubles; whole says both are whole
 * numbers below 2^53 (b > 0), so that the quotient is exact. */
struct frac {
    double a, b;
    bool whole;
};

static bool is_whole(double x)
{
    return x == floor(x) && fabs(x) < 9007199254740992.0;
}

static struct frac cell_frac(const struct eng_result *r, const struct eng_cell *c, size_t bo)
{
    const struct ind_measure *im = &r->def->measures[r->measure];
    struct frac f = { c->value, 1, false };
    switch (im->kind) {
    case IND_M_COUNT:
        if (!im->per)
            f = (struct frac){ c->num, 1, true };
        else if (!(im->standardised && bo == 0) && c->den > 0)
            f = (struct frac){ c->num * (double)im->per, c->den, true };
        break;
    case IND_M_PROPORTION:
        if (c->den > 0)
            f = (struct frac){ 100 * c->num, c->den, true };
        break;
    case IND_M_MEDIAN_TO:
    case IND_M_MEDIAN_DUR: {
        /* (x + y) / 2 seconds in units: the two middle values' sum is whole */
        double twice = 2 * im->unit_seconds, s = round(c->value * twice);
        if (fabs(c->value * twice - s) < 1e-6)
            f = (struct frac){ s, twice, true };
        break;
    }
    default:
        break;
    }
    f.whole = f.whole && is_whole(f.a) && is_whole(f.b) && f.b > 0;
    return f;
}

/* The target t as tk / 10^k with tk whole, k <= 6 (the decimals it was
 * written with); false if it has more. */
static bool target_scaled(double t, int64_t *tk, int64_t *pow10)
{
    int64_t p = 1;
    for (int k = 0; k <= 6; k++, p *= 10) {
        double x = t * (double)p, rx = round(x);
        if (fabs(x - rx) <= 1e-9 * fmax(1, fabs(x)) && fabs(rx) < 1e15) {
            *tk = (int64_t)rx;
            *pow10 = p;
            return true;
        }
    }
    return false;
}

/* sign of x * y - u * v over whole numbers, or 2 if it overflows */
static int cross(i128 x, i128 y, i128 u, i128 v)
{
    i128 l, r;
    if (__builtin_mul_overflow(x, y, &l) || __builtin_mul_overflow(u, v, &r))
        return 2;
    return (l > r) - (l < r);
}

bool eng_target_met(const struct eng_result *r, const struct eng_cell *c, size_t bo,
                    const struct eng_cell *base)
{
    const struct ind_def *d = r->def;
    struct frac v = cell_frac(r, c, bo);
    struct frac b0 = base ? cell_frac(r, base, bo) : (struct frac){ 1, 1, true };
    int64_t tk, p10;
    bool scaled = target_scaled(d->target, &tk, &p10);
    /* compare L = lx * ly with R = rx * ry: the value's side and the level's */
    int sign = 2;
    long double lx, ly, rx, ry;
    if (base) { /* a1 * 100 * 10^k * b0  vs  a0 * (100 * 10^k + tk) * b1 */
        int64_t hundred = 100 * p10, change = 100 * p10 + tk;
        if (scaled && v.whole && b0.whole) {
            i128 x, u;
            if (!__builtin_mul_overflow((i128)v.a, (i128)hundred, &x) &&
                !__builtin_mul_overflow((i128)b0.a, (i128)change, &u))
                sign = cross(x, (i128)b0.b, u, (i128)v.b);
        }
        lx = (long double)v.a * (long double)(scaled ? hundred : 100);
        ly = (long double)b0.b;
        rx = (long double)b0.a * (scaled ? (long double)change : 100 + (long double)d->target);
        ry = (long double)v.b;
    } else { /* a * 10^k  vs  tk * b */
        if (scaled && v.whole)
            sign = cross((i128)v.a, (i128)p10, (i128)tk, (i128)v.b);
        lx = (long double)v.a * (long double)(scaled ? p10 : 1);
        ly = 1;
        rx = scaled ? (long double)tk : (long double)d->target;
        ry = (long double)v.b;
    }
    if (sign == 2) {
        long double l = lx * ly, rr = rx * ry;
        sign = (l > rr) - (l < rr);
    }
    return d->target_le ? sign <= 0 : sign >= 0;
}
