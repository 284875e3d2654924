/* src/engine/eng_due.c: the care-pathway worklist and the units' coverage
 * (eng_due.h), from the pathway indicators' own definitions.
 *
 * One pass over the snapshot's persons: each clock's definition walks the
 * person's anchors (eng_eval_clocks, the engine's own `where` and relation
 * code), and each anchor either closes, opens an item, or counts towards
 * its unit's coverage. A worklist is a region's or a unit's persons: a few
 * thousand items at most, sorted at the end. */
#include <stdlib.h>
#include <string.h>

#include "engine/eng_due.h"
#include "engine/eng_impl.h"

const struct eng_due_clock eng_due_clocks[ENG_DUE_NCLOCKS] = {
    { ENG_DUE_ASSESSMENT, "adult", "vf-adult-assess-7d" },
    { ENG_DUE_CARE_PLAN, "adult", "vf-adult-care-plan-30d" },
    { ENG_DUE_TREATMENT, "adult", "vf-adult-treatment-90d" },
    { ENG_DUE_ASSESSMENT, "child", "vf-child-assess-7d" },
    { ENG_DUE_CARE_PLAN, "child", "vf-child-care-plan-30d" },
    { ENG_DUE_SIP, "child", "vf-child-sip-30d" },
    { ENG_DUE_TREATMENT, "child", "vf-child-treatment-90d" },
    { ENG_DUE_FOLLOWUP, "", "vf-followup-7d" },
};

const char *eng_due_step_name(enum eng_due_step s)
{
    static const char *const names[ENG_DUE_NSTEPS] = { "assessment", "care_plan", "sip",
                                                       "treatment", "followup" };
    return (unsigned)s < ENG_DUE_NSTEPS ? names[s] : "";
}

static bool is_contact(uint8_t kind)
{
    return (IND_MASK_CONTACT & IND_MASK(kind)) != 0;
}

void eng_due_scope_of(const struct snap *s, const char *region, const char *unit,
                      struct eng_due_scope *out)
{
    out->kind = ENG_DUE_NATION;
    out->index = 0;
    if (unit) {
        out->kind = ENG_DUE_UNIT;
        out->index = -1;
        for (size_t u = 0; u < s->nunits; u++)
            if (strcmp(s->units[u].code, unit) == 0)
                out->index = (int)u;
    } else if (region) {
        out->kind = ENG_DUE_REGION;
        out->index = -1;
        for (size_t r = 0; r < s->geo->nregions; r++)
            if (strcmp(s->geo->regions[r].code, region) == 0)
                out->index = (int)r;
    }
}

struct walk {
    const struct snap *s;
    const struct eng_due_scope *scope;
    int64_t as_of;        /* snapshot time: the end of the day */
    kn_day day;
    int horizon;
    unsigned clock;
    bool in_scope;        /* the current person */
    bool dead;            /* by as_of */
    struct eng_due_item *items;
    size_t n, cap;
    int32_t *unit_slot;   /* snapshot unit -> index into units, -1 outside the scope */
    struct eng_due_unit *units;
};

static bool person_in_scope(const struct snap *s, const struct eng_due_scope *sc, uint32_t p)
{
    if (sc->kind == ENG_DUE_NATION)
        return true;
    if (sc->index < 0)
        return false;
    if (sc->kind == ENG_DUE_REGION && s->slot_region[s->geo_slot[p]] == sc->index)
        return true;
    for (size_t i = s->ev_off[p]; i < s->ev_end[p]; i++) {
        if (!is_contact(s->kind[i]) || s->unit[i] == SNAP_NONE)
            continue;
        if (sc->kind == ENG_DUE_UNIT ? s->unit[i] == sc->index
                                     : s->units[s->unit[i]].region == sc->index)
            return true;
    }
    return false;
}

/* The unit of anchor i (eng_due.h). */
static uint16_t anchor_unit(const struct snap *s, uint32_t p, size_t i)
{
    if (is_contact(s->kind[i]) && s->unit[i] != SNAP_NONE)
        return s->unit[i];
    uint16_t before = SNAP_NONE, after = SNAP_NONE;
    for (size_t j = s->ev_off[p]; j < s->ev_end[p]; j++) {
        if (!is_contact(s->kind[j]) || s->unit[j] == SNAP_NONE)
            continue;
        if (s->t[j] <= s->t[i])
            before = s->unit[j]; /* in time order: the latest wins */
        else if (after == SNAP_NONE)
            after = s->unit[j];
    }
    return before != SNAP_NONE ? before : after;
}

static kn_day day_of(int64_t snap_t)
{
    return time_to_day((kn_time)snap_t + SNAP_EPOCH);
}

static int on_clock(void *arg, uint32_t p, size_t i, int64_t from, int64_t due, int64_t done)
{
    struct walk *w = arg;
    const struct snap *s = w->s;
    uint16_t u = anchor_unit(s, p, i);
    int32_t ui = u != SNAP_NONE ? w->unit_slot[u] : -1;
    enum eng_due_step step = eng_due_clocks[w->clock].step;
    if (step == ENG_DUE_FOLLOWUP && ui >= 0 && due <= w->as_of &&
        due > w->as_of - (int64_t)ENG_DUE_BEFORE_DAYS * KN_DAY_SECONDS) {
        w->units[ui].fu_clocks++;
        if (done == INT64_MIN)
            w->units[ui].fu_missing++;
    }
    if (done != INT64_MIN || !w->in_scope || w->dead)
        return 0;
    int over = (int)(w->day - day_of(due));
    if (over > w->horizon)
        return 0;
    if (w->n == w->cap) {
        size_t nc = w->cap ? w->cap * 2 : 64;
        struct eng_due_item *v = realloc(w->items, nc * sizeof *v);
        if (!v)
            return KN_ENOMEM;
        w->items = v;
        w->cap = nc;
    }
    w->items[w->n++] = (struct eng_due_item){
        .person = p,
        .person_id = s->person_id[p],
        .clock = w->clock,
        .started = (kn_time)from + SNAP_EPOCH,
        .due = (kn_time)due + SNAP_EPOCH,
        .days_overdue = over,
        .unit = u,
    };
    if (ui >= 0) {
        if (over > 0)
            w->units[ui].overdue++;
        else
            w->units[ui].due++;
        w->units[ui].by_step[step]++;
    }
    return 0;
}

static int item_cmp(const void *pa, const void *pb)
{
    const struct eng_due_item *a = pa, *b = pb;
    if (a->days_overdue != b->days_overdue)
        return a->days_overdue > b->days_overdue ? -1 : 1;
    if (a->due != b->due)
        return a->due < b->due ? -1 : 1;
    if (a->person_id != b->person_id)
        return a->person_id < b->person_id ? -1 : 1;
    return (a->clock > b->clock) - (a->clock < b->clock);
}

static int unit_cmp(const void *pa, const void *pb)
{
    const struct eng_due_unit *a = pa, *b = pb;
    return strcmp(a->code, b->code);
}

/* The units of the scope, and their contacts up to as_of. */
static int scope_units(struct walk *w)
{
    const struct snap *s = w->s;
    const struct eng_due_scope *sc = w->scope;
    size_t n = 0;
    w->unit_slot = malloc((s->nunits + 1) * sizeof *w->unit_slot);
    w->units = calloc(s->nunits + 1, sizeof *w->units);
    if (!w->unit_slot || !w->units)
        return KN_ENOMEM;
    for (size_t u = 0; u < s->nunits; u++) {
        bool in = sc->kind == ENG_DUE_NATION ||
                  (sc->kind == ENG_DUE_REGION && s->units[u].region == sc->index) ||
                  (sc->kind == ENG_DUE_UNIT && (int)u == sc->index);
        if (in) {
            w->units[n].unit = (uint16_t)u;
            w->units[n++].code = s->units[u].code;
        }
    }
    if (n > 1)
        qsort(w->units, n, sizeof *w->units, unit_cmp);
    for (size_t u = 0; u < s->nunits; u++)
        w->unit_slot[u] = -1;
    for (size_t k = 0; k < n; k++)
        w->unit_slot[w->units[k].unit] = (int32_t)k;
    int64_t recent = w->as_of - (int64_t)ENG_DUE_RECENT_DAYS * KN_DAY_SECONDS;
    int64_t before = recent - (int64_t)ENG_DUE_BEFORE_DAYS * KN_DAY_SECONDS;
    for (uint32_t p = 0; p < s->npersons; p++)
        for (size_t i = s->ev_off[p]; i < s->ev_end[p]; i++) {
            if (!is_contact(s->kind[i]) || s->unit[i] == SNAP_NONE || s->t[i] > w->as_of ||
                w->unit_slot[s->unit[i]] < 0)
                continue;
            struct eng_due_unit *eu = &w->units[w->unit_slot[s->unit[i]]];
            kn_time t = (kn_time)s->t[i] + SNAP_EPOCH;
            if (t > eu->last_contact)
                eu->last_contact = t;
            if (s->t[i] > recent)
                eu->recent++;
            else if (s->t[i] > before)
                eu->before++;
        }
    return (int)n;
}

static bool dead_by(const struct snap *s, uint32_t p, int64_t as_of)
{
    for (size_t i = s->ev_end[p]; i > s->ev_off[p]; i--)
        if (s->kind[i - 1] == IND_EV_DEATH)
            return s->t[i - 1] <= as_of;
    return false;
}

int eng_due_run(const struct snap *s, const struct ind_catalogue *cat, kn_day as_of,
                int horizon_days, const struct eng_due_scope *scope,
                struct eng_due_list *out, struct kn_error *err)
{
    memset(out, 0, sizeof *out);
    out->as_of = as_of;
    out->horizon_days = horizon_days > 0 ? horizon_days : ENG_DUE_HORIZON_DAYS;
    struct arena a;
    arena_init(&a);
    struct eng_ctx c;
    struct eng_ind inds[ENG_DUE_NCLOCKS];
    int rc = eng_ctx_init(&c, s, &a, err);
    for (unsigned k = 0; rc == 0 && k < ENG_DUE_NCLOCKS; k++) {
        const struct ind_def *d = ind_find(cat, eng_due_clocks[k].indicator);
        if (!d || d->nmeasures == 0 || d->measures[0].kind != IND_M_PROPORTION ||
            !d->measures[0].rel.is_relation || d->measures[0].rel.negate ||
            d->measures[0].rel.rel.during)
            rc = kn_fail(err, KN_EINPUT,
                         "worklist: the indicator '%s' is missing or not a share of a step "
                         "within a window",
                         eng_due_clocks[k].indicator);
        else
            rc = eng_prepare(s, d, &inds[k], &a, err);
    }
    struct walk w = { .s = s, .scope = scope, .day = as_of,
                      .horizon = horizon_days > 0 ? horizon_days : ENG_DUE_HORIZON_DAYS };
    w.as_of = (int64_t)(time_from_day(as_of) + KN_DAY_SECONDS - 1) - SNAP_EPOCH;
    int nunits = rc == 0 ? scope_units(&w) : 0;
    if (nunits < 0)
        rc = kn_fail(err, KN_ENOMEM, "worklist: out of memory");
    for (uint32_t p = 0; rc == 0 && p < s->npersons; p++) {
        w.in_scope = person_in_scope(s, scope, p);
        w.dead = dead_by(s, p, w.as_of);
        for (unsigned k = 0; rc == 0 && k < ENG_DUE_NCLOCKS; k++) {
            w.clock = k;
            if (eng_eval_clocks(&c, &inds[k], p, w.as_of, on_clock, &w) != 0)
                rc = kn_fail(err, KN_ENOMEM, "worklist: out of memory");
        }
    }
    if (rc == 0) {
        for (int k = 0; k < nunits; k++) {
            struct eng_due_unit *u = &w.units[k];
            u->late = u->recent == 0 && u->before > 0;
            u->incomplete = u->fu_clocks >= ENG_DUE_MIN_CLOCKS && 2 * u->fu_missing >= u->fu_clocks;
        }
        if (w.n > 1)
            qsort(w.items, w.n, sizeof *w.items, item_cmp);
        out->items = w.items;
        out->n = w.n;
        out->units = w.units;
        out->nunits = (size_t)nunits;
        w.items = NULL;
        w.units = NULL;
    }
    free(w.items);
    free(w.units);
    free(w.unit_slot);
    arena_release(&a);
    return rc;
}

void eng_due_free(struct eng_due_list *l)
{
    free(l->items);
    free(l->units);
    memset(l, 0, sizeof *l);
}
