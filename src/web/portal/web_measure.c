/* src/web/portal/web_measure.c: a measure of a definition named in words
 * (web_measure.h). */
#include <string.h>

#include "web/portal/web_measure.h"
#include "web/web_model.h"

/* The message key naming the events a definition counts: one kind of event,
 * care contacts (emergency, outpatient and inpatient), the network's
 * consultations, or events in general for any other mix. */
static const char *events_key(const struct ind_def *d)
{
    static const char *const keys[IND_EV_COUNT] = {
        [IND_EV_ACT] = "mw_ev_act",
        [IND_EV_EMERGENCY] = "mw_ev_emergency",
        [IND_EV_OUTPATIENT] = "mw_ev_outpatient",
        [IND_EV_STAY] = "mw_ev_stay",
        [IND_EV_MEASURE] = "mw_ev_measure",
        [IND_EV_ASSESSMENT] = "mw_ev_assessment",
        [IND_EV_PLAN] = "mw_ev_plan",
        [IND_EV_TREATMENT] = "mw_ev_treatment",
        [IND_EV_FOLLOWUP] = "mw_ev_followup",
        [IND_EV_STEP] = "mw_ev_step",
        [IND_EV_DEATH] = "mw_ev_death",
    };
    if (d->from == IND_FROM_CONSULT)
        return "mw_ev_consultation";
    if (d->from == IND_MASK_CONTACT)
        return "mw_ev_contact";
    for (int k = 0; k < IND_EV_COUNT; k++)
        if (d->from == IND_MASK(k))
            return keys[k];
    return "mw_ev_events";
}

/* What a count or a sum of d counts, in words ("vårdtillfällen", "care
 * days"). */
static const char *counted(struct web_req *rq, const struct ind_def *d,
                           const struct ind_measure *m)
{
    if (m->kind == IND_M_SUM) {
        if (m->unit_seconds != 86400)
            return web_t(rq, "mw_hours");
        return web_t(rq, d->from == IND_MASK(IND_EV_STAY) ? "mw_care_days" : "mw_days");
    }
    return web_t(rq, m->persons ? "mw_persons" : events_key(d));
}

/* The other operand of a ratio (the same definition or another one). */
static const struct ind_measure *ratio_b(struct web_req *rq, const struct ind_def *d,
                                         const struct ind_measure *m,
                                         const struct ind_def **bd)
{
    *bd = m->ratio_b_ind ? ind_find(rq->app->cat, m->ratio_b_ind) : d;
    for (size_t i = 0; *bd && i < (*bd)->nmeasures; i++)
        if (strcmp((*bd)->measures[i].name, m->ratio_b) == 0)
            return &(*bd)->measures[i];
    return NULL;
}

static const struct ind_measure *ratio_a(const struct ind_def *d,
                                         const struct ind_measure *m)
{
    for (size_t i = 0; i < d->nmeasures; i++)
        if (strcmp(d->measures[i].name, m->ratio_a) == 0)
            return &d->measures[i];
    return NULL;
}

const char *web_measure_label(struct web_req *rq, const struct ind_def *d,
                              const struct ind_measure *m)
{
    const char *unit = web_unit(rq, m), *s = NULL;
    switch (m->kind) {
    case IND_M_COUNT:
        s = arena_printf(rq->arena, "%s %s%s%s", web_t(rq, "mw_number_of"),
                         counted(rq, d, m), m->per ? " " : "", m->per ? unit : "");
        break;
    case IND_M_SUM:
        s = arena_printf(rq->arena, "%s %s", web_t(rq, "mw_number_of"),
                         counted(rq, d, m));
        break;
    case IND_M_MEDIAN_DUR:
        s = arena_printf(rq->arena, "%s %s", web_t(rq, "mw_median_length"), unit);
        break;
    case IND_M_MEDIAN_TO:
        s = arena_printf(rq->arena, "%s %s", web_t(rq, "mw_median_time"), unit);
        break;
    case IND_M_PROPORTION:
        s = web_t(rq, "mw_share");
        break;
    case IND_M_SURVIVAL:
        s = web_t(rq, "mw_survival");
        break;
    case IND_M_RATIO: {
        const struct ind_def *bd = NULL;
        const struct ind_measure *a = ratio_a(d, m), *b = ratio_b(rq, d, m, &bd);
        if (a && b && a->kind != IND_M_RATIO && b->kind != IND_M_RATIO)
            s = arena_printf(rq->arena, "%s %s %s %s", web_t(rq, "mw_number_of"),
                             counted(rq, d, a), unit, counted(rq, bd, b));
        else
            s = arena_printf(rq->arena, "%s %s", web_t(rq, "mw_ratio"), unit);
        break;
    }
    }
    return s ? s : "";
}
