/* src/registry/reg_synth_care.c: the care that follows a made-up act.
 *
 * Stays (psychiatric, somatic, brief admissions, NHV) with their coercive
 * measures and follow-ups, pathway episodes with plans, visits and
 * treatments, and the visits of persons without self-harm. Called from
 * reg_synth_gen.c, whose header tells the shares and durations. Every
 * row goes through reg_syn_push(); every time through reg_syn_seen(), so that a
 * death can be put after the person's last event.
 */
#include "registry/reg_synth_impl.h"

const char *const reg_syn_step_codes[] = {
    "1_first_contact", "2_assessment", "3_care_plan", "4_treatment", "5_exit", NULL,
};
enum { STEP_FIRST, STEP_ASSESS, STEP_PLAN, STEP_TREAT, STEP_EXIT };

/* An office time lo .. hi days after t (see reg_syn_office_time()). */
static kn_time office_after(struct reg_syn_ctx *x, kn_time t, int lo, int hi)
{
    return reg_syn_office_time(x, t + reg_syn_range(x->r, (int64_t)lo * SYN_DAY,
                                                    (int64_t)hi * SYN_DAY));
}

/* ---- stays, measures, follow-ups --------------------------------------- */

/* One measure episode of `minutes`, from start, split into decisions of
 * at most `per` minutes (0: one decision), none past lim. */
static kn_time measure_chain(struct reg_syn_ctx *x, int32_t stay, uint8_t type,
                             kn_time start, int minutes, int per, kn_time lim,
                             kn_time stay_start)
{
    kn_time end = start + (kn_time)minutes * 60;
    if (end > lim)
        end = lim;
    if (end - start < 300)
        return start;
    int32_t prev = -1;
    kn_time s = start;
    while (s < end) {
        kn_time e = per > 0 && s + (kn_time)per * 60 < end ? s + (kn_time)per * 60 : end;
        int32_t idx;
        struct reg_syn_row *m = reg_syn_push(x, REG_SYNTH_COERCIVE_MEASURES, &idx);
        m->ref = stay;
        m->type = type;
        m->legal = SYN_LPT;
        m->t0 = s;
        m->t1 = e;
        kn_time d = s - (prev < 0 ? (kn_time)reg_syn_below(x->r, 10) * 60
                                  : (kn_time)reg_syn_below(x->r, 6) * 60);
        m->t2 = d < stay_start ? stay_start : d;
        m->ext = prev;
        reg_syn_seen(x, e);
        prev = idx;
        s = e;
    }
    return end;
}

/* Measures in an LPT stay, one after another (they never overlap). */
static void measures(struct reg_syn_ctx *x, int32_t stay, kn_time start, kn_time end)
{
    if (!reg_syn_chance(x->r, 0.65))
        return;
    kn_time lim = end == SYN_NONE ? x->w->t_end : end;
    int n = 1;
    while (n < 8 && reg_syn_chance(x->r, 0.45))
        n++;
    kn_time cursor = start + 1800;
    for (int i = 0; i < n; i++) {
        kn_time span = (lim - cursor) / (n - i);
        if (span <= 600)
            return;
        kn_time s = cursor + (kn_time)(reg_syn_u01(x->r) * (double)span);
        bool child = reg_syn_is_child(x, s);
        uint32_t u = reg_syn_below(x->r, 100);
        uint8_t type;
        int min, per = 0;
        if (u < (child ? 25u : 30u)) {
            type = SYN_FASTSPANNING;
            min = child ? (int)reg_syn_range(x->r, 20, 240)
                        : (int)reg_syn_range(x->r, 30, 480);
            per = child ? 60 : 0;
        } else if (u < (child ? 45u : 50u)) {
            type = SYN_AVSKILJNING;
            min = child ? (int)reg_syn_range(x->r, 30, 480)
                        : (int)reg_syn_range(x->r, 60, 1440);
            per = child ? 120 : 480;
        } else if (u < (child ? 75u : 90u)) {
            type = SYN_TVANGSMED;
            min = (int)reg_syn_range(x->r, 15, 30);
        } else if (u < (child ? 100u : 97u)) {
            type = SYN_FASTHALLANDE;
            min = (int)reg_syn_range(x->r, 15, 45);
        } else {
            type = SYN_MEASURE_OTHER;
            min = (int)reg_syn_range(x->r, 60, 360);
        }
        cursor = measure_chain(x, stay, type, s, min, per, lim, start) + 900;
    }
}

void reg_syn_follow_up(struct reg_syn_ctx *x, int32_t stay, kn_time end, double share)
{
    kn_time t;
    if (reg_syn_chance(x->r, share))
        t = end + (kn_time)reg_syn_range(x->r, 2 * SYN_HOUR, 7 * SYN_DAY - 2 * SYN_HOUR);
    else if (reg_syn_chance(x->r, 0.5))
        t = end + (kn_time)reg_syn_range(x->r, 8 * SYN_DAY, 45 * SYN_DAY);
    else
        return;
    if (!reg_syn_in_period(x, t))
        return;
    struct reg_syn_row *f = reg_syn_push(x, REG_SYNTH_FOLLOW_UPS, NULL);
    uint32_t u = reg_syn_below(x->r, 100);
    f->type = u < 55 ? SYN_VISIT : u < 90 ? SYN_PHONE : SYN_VIDEO;
    f->t0 = t;
    f->ref = stay;
    reg_syn_seen(x, t);
}

/* An inpatient stay from start of the given length; returns its index
 * and puts the discharge, or SYN_NONE if it goes on, in *end. */
int32_t reg_syn_stay(struct reg_syn_ctx *x, uint16_t unit, kn_time start, kn_time len,
                     uint8_t legal, bool brief, uint8_t cause, uint8_t diag, kn_time *end)
{
    int32_t idx;
    struct reg_syn_row *s = reg_syn_push(x, REG_SYNTH_CONTACTS, &idx);
    s->unit = unit;
    s->type = SYN_INPATIENT;
    s->t0 = start;
    s->t1 = reg_syn_end_or_open(x, start + len);
    s->legal = legal;
    s->brief = brief;
    s->cause = cause;
    s->diag = diag;
    *end = s->t1;
    reg_syn_seen(x, start);
    reg_syn_seen(x, s->t1);
    return idx;
}

/* True if [start, end] overlaps a stay of the person. */
static bool overlaps_stay(const struct reg_syn_ctx *x, kn_time start, kn_time end)
{
    const struct reg_syn_vec *v = &x->c->rows[REG_SYNTH_CONTACTS];
    for (size_t i = x->contacts0; i < v->n; i++) {
        const struct reg_syn_row *s = &v->v[i];
        if (s->type != SYN_INPATIENT)
            continue;
        kn_time e = s->t1 == SYN_NONE ? x->w->t_end : s->t1;
        if (start <= e && s->t0 <= end)
            return true;
    }
    return false;
}

/* A psychiatric admission after an act; returns the discharge or SYN_NONE. */
kn_time reg_syn_psych_stay(struct reg_syn_ctx *x, kn_time start, uint8_t cause)
{
    bool lpt = reg_syn_chance(x->r, x->reg->lpt * (x->z == 3 ? 1.5 : 1.0));
    double h = reg_syn_lognormal(x->r, 84.0, 1.0) * (lpt ? 1.8 : 1.0);
    if (h < 6)
        h = 6 + reg_syn_u01(x->r) * 6;
    if (h > 70 * 24)
        h = 70 * 24 - reg_syn_u01(x->r) * 240;
    uint16_t unit = reg_syn_psych_unit(x, start, true);
    kn_time end;
    int32_t idx = reg_syn_stay(x, unit, start, (kn_time)(h * SYN_HOUR),
                           lpt ? SYN_LPT : SYN_VOLUNTARY, false, cause, x->diag, &end);
    if (idx < 0)
        return end;
    x->busy = end == SYN_NONE ? x->w->t_end : end;
    if (lpt)
        measures(x, idx, start, end);
    if (end != SYN_NONE)
        reg_syn_follow_up(x, idx, end, x->reg->fu7);
    return end;
}

/* ---- pathway episodes -------------------------------------------------- */

static void step(struct reg_syn_ctx *x, uint8_t pathway, int code, kn_time t)
{
    if (!reg_syn_in_period(x, t))
        return;
    struct reg_syn_row *s = reg_syn_push(x, REG_SYNTH_PATHWAY_STEPS, NULL);
    s->type = pathway;
    s->diag = (uint8_t)code;
    s->t0 = t;
    reg_syn_seen(x, t);
}

static kn_time plan(struct reg_syn_ctx *x, uint8_t type, kn_time t)
{
    if (!reg_syn_in_period(x, t))
        return SYN_NONE;
    struct reg_syn_row *p = reg_syn_push(x, REG_SYNTH_CARE_PLANS, NULL);
    p->type = type;
    p->t0 = t;
    reg_syn_seen(x, t);
    return t;
}

/* A treatment from start; returns its end or SYN_NONE. */
static kn_time treatment(struct reg_syn_ctx *x, kn_time start, bool repeat)
{
    bool child = reg_syn_is_child(x, start);
    int age = (int)((reg_syn_day_of(start) - reg_syn_day_of(x->birth)) / 365);
    uint8_t type;
    int days;
    if (repeat && reg_syn_chance(x->r, x->z == 3 ? 0.6 : 0.4)) {
        type = SYN_DBT;
        days = (int)reg_syn_range(x->r, 300, 420);
    } else {
        uint32_t u = reg_syn_below(x->r, 100);
        if (u < 45) {
            type = SYN_CBT;
            days = (int)reg_syn_range(x->r, 60, 180);
        } else if (u < 60 && child && age >= 13) {
            type = SYN_ERITA;
            days = (int)reg_syn_range(x->r, 70, 100);
        } else if (u < 70 && !child) {
            type = SYN_ERGT;
            days = (int)reg_syn_range(x->r, 90, 110);
        } else if (u < 76 && !child) {
            type = SYN_MBT;
            days = (int)reg_syn_range(x->r, 360, 540);
        } else {
            type = SYN_TREAT_OTHER;
            days = (int)reg_syn_range(x->r, 30, 180);
        }
    }
    if (reg_syn_chance(x->r, 0.15)) /* ended early */
        days = days / 4 + (int)reg_syn_below(x->r, (uint32_t)(days / 2 + 1));
    struct reg_syn_row *t = reg_syn_push(x, REG_SYNTH_TREATMENTS, NULL);
    t->type = type;
    t->t0 = start;
    t->t1 =
        reg_syn_end_or_open(x, reg_syn_office_time(x, start + (kn_time)days * SYN_DAY));
    reg_syn_seen(x, start);
    reg_syn_seen(x, t->t1);
    if (type == SYN_DBT)
        x->ndbt++;
    return t->t1;
}

void reg_syn_outpatient(struct reg_syn_ctx *x, uint16_t unit, kn_time t, int minutes,
                        uint8_t cause)
{
    struct reg_syn_row *v = reg_syn_push(x, REG_SYNTH_CONTACTS, NULL);
    v->unit = unit;
    v->type = SYN_OUTPATIENT;
    v->t0 = t;
    v->t1 = reg_syn_end_or_open(x, t + (kn_time)minutes * 60);
    v->diag = x->diag;
    v->cause = cause;
    reg_syn_seen(x, t);
    reg_syn_seen(x, v->t1);
}

/* The care that follows the first act of an episode seen at `first`. */
void reg_syn_episode(struct reg_syn_ctx *x, kn_time first, kn_time assessed, bool repeat)
{
    uint8_t pw = reg_syn_is_child(x, first) ? SYN_CHILD : SYN_ADULT;
    x->episode = first;
    step(x, pw, STEP_FIRST, first);
    if (assessed != SYN_NONE)
        step(x, pw, STEP_ASSESS, assessed);
    kn_time planned = SYN_NONE;
    if (reg_syn_chance(x->r, repeat ? 0.7 : 0.55)) {
        kn_time t = office_after(x, first, 1, 21);
        planned = plan(x, reg_syn_chance(x->r, 0.7) ? SYN_CARE_PLAN : SYN_CRISIS_PLAN, t);
        if (planned != SYN_NONE)
            step(x, pw, STEP_PLAN, planned);
    }
    if (repeat && reg_syn_chance(x->r, 0.3))
        plan(x, SYN_CRISIS_PLAN, office_after(x, first, 2, 30));
    if (pw == SYN_CHILD && reg_syn_chance(x->r, 0.25))
        plan(x, SYN_SIP, office_after(x, first, 2, 30));

    kn_time tv = office_after(x, first, 3, 21);
    int nv = 1 + (int)reg_syn_below(x->r, 5);
    for (int i = 0; i < nv && reg_syn_in_period(x, tv); i++) {
        reg_syn_outpatient(x, reg_syn_psych_unit(x, tv, false), tv,
                           45 + 15 * (int)reg_syn_below(x->r, 2), 0);
        tv = office_after(x, tv, 7, 35);
    }

    kn_time end = SYN_NONE;
    bool treated = false;
    if (reg_syn_chance(x->r, repeat ? 0.75 : 0.45)) {
        kn_time ts = office_after(x, first, 14, 120);
        if (reg_syn_in_period(x, ts)) {
            end = treatment(x, ts, repeat);
            step(x, pw, STEP_TREAT, ts);
            treated = true;
        }
    }
    if (treated && end != SYN_NONE && reg_syn_chance(x->r, 0.6))
        step(x, pw, STEP_EXIT, office_after(x, end, 0, 30));
    else if (!treated && reg_syn_chance(x->r, 0.4))
        step(x, pw, STEP_EXIT, office_after(x, first, 60, 200));
}

void reg_syn_brief_admissions(struct reg_syn_ctx *x)
{
    kn_time t = x->second_act + (kn_time)reg_syn_range(x->r, 30 * SYN_DAY, 120 * SYN_DAY);
    if (!reg_syn_in_period(x, t) || reg_syn_is_child(x, t))
        return;
    plan(x, SYN_CRISIS_PLAN, reg_syn_office_time(x, t)); /* the agreement */
    kn_time stop = t + 365 * SYN_DAY;
    int n = 1 + (int)reg_syn_below(x->r, 6);
    for (int i = 0; i < n; i++) {
        t += (kn_time)reg_syn_range(x->r, 10 * SYN_DAY, 90 * SYN_DAY);
        if (t > stop || !reg_syn_in_period(x, t))
            break;
        kn_time len = (kn_time)reg_syn_range(x->r, 20 * SYN_HOUR, 72 * SYN_HOUR);
        if (overlaps_stay(x, t - SYN_DAY, t + len + SYN_DAY))
            continue;
        kn_time end;
        int32_t idx = reg_syn_stay(x, x->reg->adult_in, t, len, SYN_VOLUNTARY, true, 0,
                                   x->diag, &end);
        if (idx >= 0 && end != SYN_NONE)
            reg_syn_follow_up(x, idx, end, x->reg->fu7 * 0.6);
        t += len;
    }
}

void reg_syn_nhv(struct reg_syn_ctx *x)
{
    const struct reg_syn_region *n = &x->w->regions[x->p->nhv];
    kn_time tc = office_after(x, x->last, 30, 90);
    if (!reg_syn_in_period(x, tc) || n->nhv_out < 0)
        return;
    reg_syn_outpatient(x, (uint16_t)n->nhv_out, tc, 60, 0); /* consultation */
    if (reg_syn_is_child(x, tc) || n->nhv_in < 0 || !reg_syn_chance(x->r, 0.6))
        return;
    kn_time ta = office_after(x, tc, 30, 90);
    if (!reg_syn_in_period(x, ta))
        return;
    kn_time len = (kn_time)reg_syn_range(x->r, 110 * SYN_DAY, 150 * SYN_DAY), end;
    int32_t idx = reg_syn_stay(x, (uint16_t)n->nhv_in, ta, len, SYN_VOLUNTARY, false, 0,
                               x->diag, &end);
    if (idx >= 0 && end != SYN_NONE)
        reg_syn_follow_up(x, idx, end, 0.9);
}

/* Visits of a person without self-harm: psychiatry or primary care. */
void reg_syn_other_care(struct reg_syn_ctx *x)
{
    kn_time from = x->t18 - 8 * 365 * (kn_time)SYN_DAY; /* about age 10 */
    if (from < x->w->t_start)
        from = x->w->t_start;
    if (from > x->w->t_end - 30 * SYN_DAY)
        from = x->w->t_end - 30 * SYN_DAY;
    int n = 1 + (int)reg_syn_below(x->r, 4);
    for (int i = 0; i < n; i++) {
        kn_time t =
            reg_syn_office_time(x, reg_syn_range(x->r, from, x->w->t_end - 2 * SYN_DAY));
        if (!reg_syn_in_period(x, t) || t < x->birth)
            continue;
        uint16_t unit =
            reg_syn_chance(x->r, 0.7) ? reg_syn_psych_unit(x, t, false) : x->reg->primary;
        reg_syn_outpatient(x, unit, t, 30 + 15 * (int)reg_syn_below(x->r, 3), 0);
    }
}
