/* src/registry/reg_synth_care.c: the care that follows a made-up act.
 *
 * Stays (psychiatric, somatic, brief admissions, NHV) with their coercive
 * measures and follow-ups, pathway episodes with plans, visits and
 * treatments, and the visits of persons without self-harm. Called from
 * reg_synth_gen.c, whose header tells the shares and durations. Every
 * row goes through syn_push(); every time through syn_seen(), so that a
 * death can be put after the person's last event.
 */
#include "registry/reg_synth_impl.h"

const char *const syn_step_codes[] = {
    "1_first_contact", "2_assessment", "3_care_plan", "4_treatment", "5_exit",
};
enum { STEP_FIRST, STEP_ASSESS, STEP_PLAN, STEP_TREAT, STEP_EXIT };

/* ---- stays, measures, follow-ups --------------------------------------- */

/* One measure episode of `minutes`, from start, split into decisions of
 * at most `per` minutes (0: one decision), none past lim. */
static kn_time measure_chain(struct syn_ctx *x, int32_t stay, uint8_t type, kn_time start,
                             int minutes, int per, kn_time lim, kn_time stay_start)
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
        struct syn_row *m = syn_push(x, REG_SYNTH_COERCIVE_MEASURES, &idx);
        m->ref = stay;
        m->type = type;
        m->legal = SYN_LPT;
        m->t0 = s;
        m->t1 = e;
        kn_time d = s - (prev < 0 ? (kn_time)syn_below(x->r, 10) * 60
                                  : (kn_time)syn_below(x->r, 6) * 60);
        m->t2 = d < stay_start ? stay_start : d;
        m->ext = prev;
        syn_seen(x, e);
        prev = idx;
        s = e;
    }
    return end;
}

/* Measures in an LPT stay, one after another (they never overlap). */
static void measures(struct syn_ctx *x, int32_t stay, kn_time start, kn_time end)
{
    if (!syn_chance(x->r, 0.65))
        return;
    kn_time lim = end == SYN_NONE ? x->w->t_end : end;
    int n = 1;
    while (n < 8 && syn_chance(x->r, 0.45))
        n++;
    kn_time cursor = start + 1800;
    for (int i = 0; i < n; i++) {
        kn_time span = (lim - cursor) / (n - i);
        if (span <= 600)
            return;
        kn_time s = cursor + (kn_time)(syn_u01(x->r) * (double)span);
        bool child = syn_is_child(x, s);
        uint32_t u = syn_below(x->r, 100);
        uint8_t type;
        int min, per = 0;
        if (u < (child ? 25u : 30u)) {
            type = SYN_FASTSPANNING;
            min = child ? (int)syn_range(x->r, 20, 240) : (int)syn_range(x->r, 30, 480);
            per = child ? 60 : 0;
        } else if (u < (child ? 45u : 50u)) {
            type = SYN_AVSKILJNING;
            min = child ? (int)syn_range(x->r, 30, 480) : (int)syn_range(x->r, 60, 1440);
            per = child ? 120 : 480;
        } else if (u < (child ? 75u : 90u)) {
            type = SYN_TVANGSMED;
            min = (int)syn_range(x->r, 15, 30);
        } else if (u < (child ? 100u : 97u)) {
            type = SYN_FASTHALLANDE;
            min = (int)syn_range(x->r, 15, 45);
        } else {
            type = SYN_MEASURE_OTHER;
            min = (int)syn_range(x->r, 60, 360);
        }
        cursor = measure_chain(x, stay, type, s, min, per, lim, start) + 900;
    }
}

void syn_follow_up(struct syn_ctx *x, int32_t stay, kn_time end, double share)
{
    kn_time t;
    if (syn_chance(x->r, share))
        t = end + (kn_time)syn_range(x->r, 2 * SYN_HOUR, 7 * SYN_DAY - 2 * SYN_HOUR);
    else if (syn_chance(x->r, 0.5))
        t = end + (kn_time)syn_range(x->r, 8 * SYN_DAY, 45 * SYN_DAY);
    else
        return;
    if (!syn_in_period(x, t))
        return;
    struct syn_row *f = syn_push(x, REG_SYNTH_FOLLOW_UPS, NULL);
    uint32_t u = syn_below(x->r, 100);
    f->type = u < 55 ? SYN_VISIT : u < 90 ? SYN_PHONE : SYN_VIDEO;
    f->t0 = t;
    f->ref = stay;
    syn_seen(x, t);
}

/* An inpatient stay from start of the given length; returns its index
 * and puts the discharge, or SYN_NONE if it goes on, in *end. */
int32_t syn_stay(struct syn_ctx *x, uint16_t unit, kn_time start, kn_time len,
                    uint8_t legal, bool brief, uint8_t cause, uint8_t diag, kn_time *end)
{
    int32_t idx;
    struct syn_row *s = syn_push(x, REG_SYNTH_CONTACTS, &idx);
    s->unit = unit;
    s->type = SYN_INPATIENT;
    s->t0 = start;
    s->t1 = syn_end_or_open(x, start + len);
    s->legal = legal;
    s->brief = brief;
    s->cause = cause;
    s->diag = diag;
    *end = s->t1;
    syn_seen(x, start);
    syn_seen(x, s->t1);
    return idx;
}

/* True if [start, end] overlaps a stay of the person. */
static bool overlaps_stay(const struct syn_ctx *x, kn_time start, kn_time end)
{
    const struct syn_vec *v = &x->c->rows[REG_SYNTH_CONTACTS];
    for (size_t i = x->contacts0; i < v->n; i++) {
        const struct syn_row *s = &v->v[i];
        if (s->type != SYN_INPATIENT)
            continue;
        kn_time e = s->t1 == SYN_NONE ? x->w->t_end : s->t1;
        if (start <= e && s->t0 <= end)
            return true;
    }
    return false;
}

/* A psychiatric admission after an act; returns the discharge or SYN_NONE. */
kn_time syn_psych_stay(struct syn_ctx *x, kn_time start, uint8_t cause)
{
    bool lpt = syn_chance(x->r, x->reg->lpt * (x->z == 3 ? 1.5 : 1.0));
    double h = syn_lognormal(x->r, 84.0, 1.0) * (lpt ? 1.8 : 1.0);
    if (h < 6)
        h = 6 + syn_u01(x->r) * 6;
    if (h > 70 * 24)
        h = 70 * 24 - syn_u01(x->r) * 240;
    uint16_t unit = syn_psych_unit(x, start, true);
    kn_time end;
    int32_t idx = syn_stay(x, unit, start, (kn_time)(h * SYN_HOUR), lpt ? SYN_LPT : SYN_VOLUNTARY, false, cause,
                       x->diag, &end);
    if (idx < 0)
        return end;
    x->busy = end == SYN_NONE ? x->w->t_end : end;
    if (lpt)
        measures(x, idx, start, end);
    if (end != SYN_NONE)
        syn_follow_up(x, idx, end, x->reg->fu7);
    return end;
}

/* ---- pathway episodes -------------------------------------------------- */

static void step(struct syn_ctx *x, uint8_t pathway, int code, kn_time t)
{
    if (!syn_in_period(x, t))
        return;
    struct syn_row *s = syn_push(x, REG_SYNTH_PATHWAY_STEPS, NULL);
    s->type = pathway;
    s->diag = (uint8_t)code;
    s->t0 = t;
    syn_seen(x, t);
}

static kn_time plan(struct syn_ctx *x, uint8_t type, kn_time t)
{
    if (!syn_in_period(x, t))
        return SYN_NONE;
    struct syn_row *p = syn_push(x, REG_SYNTH_CARE_PLANS, NULL);
    p->type = type;
    p->t0 = t;
    syn_seen(x, t);
    return t;
}

/* A treatment from start; returns its end or SYN_NONE. */
static kn_time treatment(struct syn_ctx *x, kn_time start, bool repeat)
{
    bool child = syn_is_child(x, start);
    int age = (int)((syn_day_of(start) - syn_day_of(x->birth)) / 365);
    uint8_t type;
    int days;
    if (repeat && syn_chance(x->r, x->z == 3 ? 0.6 : 0.4)) {
        type = SYN_DBT;
        days = (int)syn_range(x->r, 300, 420);
    } else {
        uint32_t u = syn_below(x->r, 100);
        if (u < 45) {
            type = SYN_CBT;
            days = (int)syn_range(x->r, 60, 180);
        } else if (u < 60 && child && age >= 13) {
            type = SYN_ERITA;
            days = (int)syn_range(x->r, 70, 100);
        } else if (u < 70 && !child) {
            type = SYN_ERGT;
            days = (int)syn_range(x->r, 90, 110);
        } else if (u < 76 && !child) {
            type = SYN_MBT;
            days = (int)syn_range(x->r, 360, 540);
        } else {
            type = SYN_TREAT_OTHER;
            days = (int)syn_range(x->r, 30, 180);
        }
    }
    if (syn_chance(x->r, 0.15)) /* ended early */
        days = days / 4 + (int)syn_below(x->r, (uint32_t)(days / 2 + 1));
    struct syn_row *t = syn_push(x, REG_SYNTH_TREATMENTS, NULL);
    t->type = type;
    t->t0 = start;
    t->t1 = syn_end_or_open(x, syn_office_time(x, start + (kn_time)days * SYN_DAY));
    syn_seen(x, start);
    syn_seen(x, t->t1);
    if (type == SYN_DBT)
        x->ndbt++;
    return t->t1;
}

void syn_outpatient(struct syn_ctx *x, uint16_t unit, kn_time t, int minutes,
                       uint8_t cause)
{
    struct syn_row *v = syn_push(x, REG_SYNTH_CONTACTS, NULL);
    v->unit = unit;
    v->type = SYN_OUTPATIENT;
    v->t0 = t;
    v->t1 = syn_end_or_open(x, t + (kn_time)minutes * 60);
    v->diag = x->diag;
    v->cause = cause;
    syn_seen(x, t);
    syn_seen(x, v->t1);
}

/* The care that follows the first act of an episode seen at `first`. */
void syn_episode(struct syn_ctx *x, kn_time first, kn_time assessed, bool repeat)
{
    uint8_t pw = syn_is_child(x, first) ? SYN_CHILD : SYN_ADULT;
    x->episode = first;
    step(x, pw, STEP_FIRST, first);
    if (assessed != SYN_NONE)
        step(x, pw, STEP_ASSESS, assessed);
    kn_time planned = SYN_NONE;
    if (syn_chance(x->r, repeat ? 0.7 : 0.55)) {
        kn_time t = syn_office_time(x, first + (kn_time)syn_range(x->r, SYN_DAY, 21 * SYN_DAY));
        planned = plan(x, syn_chance(x->r, 0.7) ? SYN_CARE_PLAN : SYN_CRISIS_PLAN, t);
        if (planned != SYN_NONE)
            step(x, pw, STEP_PLAN, planned);
    }
    if (repeat && syn_chance(x->r, 0.3))
        plan(x, SYN_CRISIS_PLAN,
             syn_office_time(x, first + (kn_time)syn_range(x->r, 2 * SYN_DAY, 30 * SYN_DAY)));
    if (pw == SYN_CHILD && syn_chance(x->r, 0.25))
        plan(x, SYN_SIP,
             syn_office_time(x, first + (kn_time)syn_range(x->r, 2 * SYN_DAY, 30 * SYN_DAY)));

    kn_time tv = syn_office_time(x, first + (kn_time)syn_range(x->r, 3 * SYN_DAY, 21 * SYN_DAY));
    int nv = 1 + (int)syn_below(x->r, 5);
    for (int i = 0; i < nv && syn_in_period(x, tv); i++) {
        syn_outpatient(x, syn_psych_unit(x, tv, false), tv, 45 + 15 * (int)syn_below(x->r, 2), 0);
        tv = syn_office_time(x, tv + (kn_time)syn_range(x->r, 7 * SYN_DAY, 35 * SYN_DAY));
    }

    kn_time end = SYN_NONE;
    bool treated = false;
    if (syn_chance(x->r, repeat ? 0.75 : 0.45)) {
        kn_time ts = syn_office_time(x, first + (kn_time)syn_range(x->r, 14 * SYN_DAY,
                                                                120 * SYN_DAY));
        if (syn_in_period(x, ts)) {
            end = treatment(x, ts, repeat);
            step(x, pw, STEP_TREAT, ts);
            treated = true;
        }
    }
    if (treated && end != SYN_NONE && syn_chance(x->r, 0.6))
        step(x, pw, STEP_EXIT,
             syn_office_time(x, end + (kn_time)syn_range(x->r, 0, 30 * SYN_DAY)));
    else if (!treated && syn_chance(x->r, 0.4))
        step(x, pw, STEP_EXIT,
             syn_office_time(x, first + (kn_time)syn_range(x->r, 60 * SYN_DAY, 200 * SYN_DAY)));
}

void syn_brief_admissions(struct syn_ctx *x)
{
    kn_time t = x->second_act + (kn_time)syn_range(x->r, 30 * SYN_DAY, 120 * SYN_DAY);
    if (!syn_in_period(x, t) || syn_is_child(x, t))
        return;
    plan(x, SYN_CRISIS_PLAN, syn_office_time(x, t)); /* the agreement */
    kn_time stop = t + 365 * SYN_DAY;
    int n = 1 + (int)syn_below(x->r, 6);
    for (int i = 0; i < n; i++) {
        t += (kn_time)syn_range(x->r, 10 * SYN_DAY, 90 * SYN_DAY);
        if (t > stop || !syn_in_period(x, t))
            break;
        kn_time len = (kn_time)syn_range(x->r, 20 * SYN_HOUR, 72 * SYN_HOUR);
        if (overlaps_stay(x, t - SYN_DAY, t + len + SYN_DAY))
            continue;
        kn_time end;
        int32_t idx = syn_stay(x, x->reg->adult_in, t, len, SYN_VOLUNTARY, true, 0, x->diag, &end);
        if (idx >= 0 && end != SYN_NONE)
            syn_follow_up(x, idx, end, x->reg->fu7 * 0.6);
        t += len;
    }
}

void syn_nhv(struct syn_ctx *x)
{
    const struct syn_region *n = &x->w->regions[x->p->nhv];
    kn_time tc = syn_office_time(x, x->last + (kn_time)syn_range(x->r, 30 * SYN_DAY,
                                                              90 * SYN_DAY));
    if (!syn_in_period(x, tc) || n->nhv_out < 0)
        return;
    syn_outpatient(x, (uint16_t)n->nhv_out, tc, 60, 0); /* consultation */
    if (syn_is_child(x, tc) || n->nhv_in < 0 || !syn_chance(x->r, 0.6))
        return;
    kn_time ta = syn_office_time(x, tc + (kn_time)syn_range(x->r, 30 * SYN_DAY, 90 * SYN_DAY));
    if (!syn_in_period(x, ta))
        return;
    kn_time len = (kn_time)syn_range(x->r, 110 * SYN_DAY, 150 * SYN_DAY), end;
    int32_t idx = syn_stay(x, (uint16_t)n->nhv_in, ta, len, SYN_VOLUNTARY, false, 0, x->diag, &end);
    if (idx >= 0 && end != SYN_NONE)
        syn_follow_up(x, idx, end, 0.9);
}

/* Visits of a person without self-harm: psychiatry or primary care. */
void syn_other_care(struct syn_ctx *x)
{
    kn_time from = x->t18 - 8 * 365 * (kn_time)SYN_DAY; /* about age 10 */
    if (from < x->w->t_start)
        from = x->w->t_start;
    if (from > x->w->t_end - 30 * SYN_DAY)
        from = x->w->t_end - 30 * SYN_DAY;
    int n = 1 + (int)syn_below(x->r, 4);
    for (int i = 0; i < n; i++) {
        kn_time t = syn_office_time(x, syn_range(x->r, from, x->w->t_end - 2 * SYN_DAY));
        if (!syn_in_period(x, t) || t < x->birth)
            continue;
        uint16_t unit = syn_chance(x->r, 0.7) ? syn_psych_unit(x, t, false) : x->reg->primary;
        syn_outpatient(x, unit, t, 30 + 15 * (int)syn_below(x->r, 3), 0);
    }
}
