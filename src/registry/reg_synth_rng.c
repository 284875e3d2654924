/* src/registry/reg_synth_rng.c: the random source of the synthetic data.
 *
 * xoshiro256** (Blackman and Vigna) for the stream, splitmix64 to spread
 * a (seed, stream) pair over its 256-bit state, both written here from
 * their published definitions. Distributions use only IEEE basic
 * operations and sqrt, which are correctly rounded everywhere, and their
 * own exp and log: the C library's libm may differ in the last bit, and
 * one bit can move a time by a second. About 100 draws per person; the
 * stream is never the bottleneck.
 */
#include <math.h>

#include "registry/reg_synth_impl.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void reg_syn_rng_seed(struct reg_syn_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed;
    /* Mix the stream in through a second splitmix step so that nearby
     * (seed, stream) pairs give unrelated states. */
    uint64_t y = splitmix64(&x) ^ (stream * 0xd1342543de82ef95u);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&y);
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0) /* the one bad state */
        r->s[0] = 1;
}

uint64_t reg_syn_next(struct reg_syn_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

double reg_syn_u01(struct reg_syn_rng *r)
{
    return (double)(reg_syn_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Multiply-and-shift with rejection of the few biased low products
 * (Lemire 2019). */
uint32_t reg_syn_below(struct reg_syn_rng *r, uint32_t n)
{
    uint64_t m = (reg_syn_next(r) >> 32) * (uint64_t)n;
    uint32_t low = (uint32_t)m;
    if (low < n) {
        uint32_t threshold = (uint32_t)(-n) % n;
        while (low < threshold) {
            m = (reg_syn_next(r) >> 32) * (uint64_t)n;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

int64_t reg_syn_range(struct reg_syn_rng *r, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    uint64_t span = (uint64_t)(hi - lo) + 1;
    if (span <= UINT32_MAX)
        return lo + (int64_t)reg_syn_below(r, (uint32_t)span);
    return lo + (int64_t)(reg_syn_next(r) % span); /* spans this wide are not used */
}

bool reg_syn_chance(struct reg_syn_rng *r, double p)
{
    return reg_syn_u01(r) < p;
}

/* e^x: x = k ln 2 + f with |f| <= ln2 / 2, e^f by its Taylor series to the
 * 14th power (error below 1e-16), then scaled by 2^k exactly. */
double reg_syn_exp(double x)
{
    static const double ln2_hi = 6.93147180369123816490e-01;
    static const double ln2_lo = 1.90821492927058770002e-10;
    if (x > 709.0)
        return HUGE_VAL;
    if (x < -745.0)
        return 0.0;
    double kd = x * 1.44269504088896338700;
    int k = (int)(kd < 0 ? kd - 0.5 : kd + 0.5);
    double f = (x - k * ln2_hi) - k * ln2_lo;
    double term = 1.0, sum = 1.0;
    for (int i = 1; i <= 14; i++) {
        term *= f / i;
        sum += term;
    }
    return ldexp(sum, k);
}

/* ln x: x = m 2^e with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(s) with
 * s = (m - 1) / (m + 1), |s| < 0.172, summed to s^25. */
double reg_syn_log(double x)
{
    int e;
    double m = frexp(x, &e); /* m in [0.5, 1) */
    if (m < 0.70710678118654752440) {
        m *= 2.0;
        e--;
    }
    double s = (m - 1.0) / (m + 1.0), s2 = s * s, pw = s, sum = 0.0;
    for (int i = 1; i <= 25; i += 2) {
        sum += pw / i;
        pw *= s2;
    }
    return 2.0 * sum + e * 0.69314718055994530942;
}

/* Marsaglia's polar method; the second variate is dropped to keep the
 * state to the stream alone. */
double reg_syn_normal(struct reg_syn_rng *r)
{
    double u, v, s;
    do {
        u = 2.0 * reg_syn_u01(r) - 1.0;
        v = 2.0 * reg_syn_u01(r) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    return u * sqrt(-2.0 * reg_syn_log(s) / s);
}

double reg_syn_lognormal(struct reg_syn_rng *r, double median, double sigma)
{
    return median * reg_syn_exp(sigma * reg_syn_normal(r));
}
