/* src/engine/eng_final_ratio.c: the last steps of finishing the cubes:
 * funnel-plot limits against the nation and the ratios of two measures
 * (eng_final.c computes the cells they read). */
#include "engine/eng_impl.h"
#include "stats/stat.h"

bool eng_funnel_limits(const struct eng_result *r, size_t band, double centre, double n,
                       double level, double *lo, double *hi)
{
    const struct ind_measure *im = &r->def->measures[r->measure];
    struct stat_ci f;
    double scale;
    if (!(n > 0))
        return false;
    if (im->kind == IND_M_PROPORTION) {
        scale = 100;
        f = stat_funnel_proportion(centre / scale, n, level);
    } else if (im->kind == IND_M_COUNT && im->per && !(im->standardised && band == 0)) {
        scale = (double)im->per;
        f = stat_funnel_rate(centre / scale, n, level);
    } else {
        return false;
    }
    *lo = f.lower * scale;
    *hi = f.upper * scale;
    return true;
}

/* Funnel-plot control limits of place g against the nation (same period,
 * sex and band), eng_funnel_limits() around the nation's num / den.
 * (Spiegelhalter's normal approximations; the exact limits differ little
 * from n or E of about 30 upward.) */
void eng_cell_funnel(const struct ind_measure *im, struct eng_result *r, int p, size_t g,
                     int so, size_t bo)
{
    struct eng_cell *c = eng_cell(r, p, g, so, bo), *nat = eng_cell(r, p, 0, so, bo);
    if (g == 0 || !(nat->flags & ENG_HAS_VALUE) || c->den <= 0 || !(nat->den > 0))
        return;
    double centre = nat->num / nat->den * (im->kind == IND_M_PROPORTION ? 100 : (double)im->per);
    if (eng_funnel_limits(r, bo, centre, c->den, 0.95, &c->f_lo95, &c->f_hi95) &&
        eng_funnel_limits(r, bo, centre, c->den, 0.998, &c->f_lo998, &c->f_hi998))
        c->flags |= ENG_HAS_FUNNEL;
}

/* Ratios, once every other measure has its cells. */
void eng_ratios(struct eng_result *res, size_t nres)
{
    for (size_t i = 0; i < nres; i++) {
        struct eng_result *r = &res[i];
        const struct ind_measure *im = &r->def->measures[r->measure];
        if (im->kind != IND_M_RATIO)
            continue;
        size_t per_period = r->ngeo * 3 * r->nband;
        for (int p = 0; p < r->nperiods; p++) {
            const struct eng_result *A = eng_ratio_operand(res, nres, r, 0, p);
            const struct eng_result *B = eng_ratio_operand(res, nres, r, 1, p);
            if (!A || !B)
                continue; /* the denominator was not computed alongside: no values */
            for (size_t k = (size_t)p * per_period; k < (size_t)(p + 1) * per_period; k++) {
                struct eng_cell *x = &r->cells[k];
                x->num = A->cells[k].value;
                x->den = B->cells[k].value;
                x->flags = ENG_HAS_NUM | ENG_HAS_DEN;
                if ((A->cells[k].flags & ENG_HAS_VALUE) && (B->cells[k].flags & ENG_HAS_VALUE) &&
                    x->den > 0) {
                    x->value = x->num / x->den * (double)im->per;
                    x->flags |= ENG_HAS_VALUE;
                }
            }
        }
    }
}

