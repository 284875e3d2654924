/* src/lang/ind_parse.c: statements of the indicator language
 * (docs/indicators.md) into struct ind_def. One statement per line; a
 * definition runs from its `indicator` line to the next one or the end of
 * the file, and is checked as a whole when it ends (ind_check.c). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "lang/ind_impl.h"

static const char *const ev_names[] = { "act", "emergency", "outpatient", "stay",
                                        "measure", "assessment", "plan", "treatment",
                                        "followup", "step", "death" };

const char *ind_ev_name(enum ind_ev k)
{
    return (unsigned)k < IND_EV_COUNT ? ev_names[k] : "?";
}

static const char *const goal_names[] = { "self-harm", "admissions", "coercion",
                                          "pathway", "quality", "network", NULL };

const char *ind_goal_name(enum ind_goal g)
{
    return goal_names[g];
}

/* A KIND word: a mask of event kinds; `death` only where allowed. */
static int parse_kind(struct ind_line *ln, bool allow_death, uint32_t *out,
                      struct kn_error *err)
{
    const struct ind_tok *t = ind_next(ln);
    if (ind_is(t, "contact")) {
        *out = IND_MASK_CONTACT;
        return 0;
    }
    for (int k = 0; k < IND_EV_COUNT; k++) {
        if (ind_is(t, ev_names[k]) && (k != IND_EV_DEATH || allow_death)) {
            *out = IND_MASK(k);
            return 0;
        }
    }
    return ind_fail(ln, t, err, "expected a kind of event (act, contact, emergency, "
                    "outpatient, stay, measure, assessment, plan, treatment, followup, "
                    "step%s)", allow_death ? ", death" : "");
}

static int add_field(struct ind_filter *fl, const struct ind_field *f, struct arena *a,
                     struct kn_error *err)
{
    struct ind_field *n = arena_alloc(a, (fl->n + 1) * sizeof *n);
    if (!n)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    if (fl->n)
        memcpy(n, fl->fields, fl->n * sizeof *n);
    n[fl->n++] = *f;
    fl->fields = n;
    return 0;
}

/* [ "count" ">=" INT ] after a relation */
static int parse_count(struct ind_line *ln, struct ind_related *r, struct kn_error *err)
{
    if (!ind_is(ind_peek(ln), "count"))
        return 0;
    ind_next(ln);
    long n;
    int rc = ind_expect(ln, ">=", err);
    if (rc == 0)
        rc = ind_int(ln, 1, 10000, "the count", &n, err);
    if (rc == 0)
        r->min_count = (int)n;
    return rc;
}

/* related = KIND [ "(" FIELD values { ";" FIELD values } ")" ]
 *           ( "in" start|end window | "during" ) [ "count" ">=" INT ] */
static int parse_related(struct ind_line *ln, struct ind_related *r, struct arena *a,
                         struct kn_error *err)
{
    memset(r, 0, sizeof *r);
    r->min_count = 1;
    int rc = parse_kind(ln, true, &r->kinds, err);
    if (rc == 0 && ind_is_punct(ind_peek(ln), '(')) {
        ind_next(ln);
        for (;;) {
            const struct ind_tok *name = ind_next(ln);
            if (!name || name->type != IND_T_WORD)
                return ind_fail(ln, name, err, "expected a field");
            struct ind_field f;
            rc = ind_field_values(ln, name, r->kinds, &f, a, err);
            if (rc == 0)
                rc = add_field(&r->filter, &f, a, err);
            if (rc != 0)
                return rc;
            const struct ind_tok *t = ind_next(ln);
            if (ind_is_punct(t, ')'))
                break;
            if (!ind_is_punct(t, ';'))
                return ind_fail(ln, t, err, "expected ';' or ')' after the field's values");
        }
    }
    if (rc == 0 && ind_is(ind_peek(ln), "during")) {
        ind_next(ln);
        r->during = true;
        return parse_count(ln, r, err);
    }
    if (rc == 0)
        rc = ind_expect(ln, "in", err);
    if (rc != 0)
        return rc;
    const struct ind_tok *t = ind_next(ln);
    if (ind_is(t, "start"))
        r->at = IND_AT_START;
    else if (ind_is(t, "end"))
        r->at = IND_AT_END;
    else
        return ind_fail(ln, t, err, "expected 'start' or 'end' (the anchor's time the "
                        "window is measured from)");
    const struct ind_tok *open = ind_next(ln);
    if (!ind_is_punct(open, '[') && !ind_is_punct(open, '('))
        return ind_fail(ln, open, err, "expected a window such as [0d, 7d] or (0d, 365d]");
    r->lo_open = ind_is_punct(open, '(');
    rc = ind_duration(ln, &r->lo, err);
    if (rc == 0)
        rc = ind_expect_punct(ln, ',', err);
    if (rc == 0)
        rc = ind_duration(ln, &r->hi, err);
    if (rc != 0)
        return rc;
    const struct ind_tok *close = ind_next(ln);
    if (!ind_is_punct(close, ']') && !ind_is_punct(close, ')'))
        return ind_fail(ln, close, err, "expected ']' or ')' to close the window");
    r->hi_open = ind_is_punct(close, ')');
    if (r->lo > r->hi || (r->lo == r->hi && (r->lo_open || r->hi_open)))
        return ind_fail(ln, open, err, "the window is empty");
    return parse_count(ln, r, err);
}

/* condition = FIELD values | ("has" | "no") related */
static int parse_condition(struct ind_line *ln, uint32_t kinds, struct ind_condition *c,
                           struct arena *a, struct kn_error *err)
{
    memset(c, 0, sizeof *c);
    const struct ind_tok *t = ind_next(ln);
    if (!t || t->type != IND_T_WORD)
        return ind_fail(ln, t, err, "expected a field, 'has' or 'no'");
    if (ind_is(t, "has") || ind_is(t, "no")) {
        c->is_relation = true;
        c->negate = ind_is(t, "no");
        return parse_related(ln, &c->rel, a, err);
    }
    return ind_field_values(ln, t, kinds, &c->field, a, err);
}

static int parse_unit(struct ind_line *ln, double *secs, struct kn_error *err)
{
    const struct ind_tok *t = ind_next(ln);
    if (ind_is(t, "days"))
        *secs = 86400;
    else if (ind_is(t, "hours"))
        *secs = 3600;
    else
        return ind_fail(ln, t, err, "expected 'days' or 'hours'");
    return 0;
}

static const char *name_copy(const struct ind_tok *t, struct arena *a)
{
    return arena_strndup(a, t->s, t->len);
}

static bool valid_name(const struct ind_tok *t, bool id)
{
    if (!t || t->type != IND_T_WORD || t->len == 0 || t->len > 48 || t->s[0] < 'a' ||
        t->s[0] > 'z')
        return false;
    for (size_t i = 0; i < t->len; i++) {
        char c = t->s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  (id ? c == '-' : c == '_');
        if (!ok)
            return false;
    }
    return true;
}

static int parse_measure(struct ind_line *ln, struct ind_def *d, struct arena *a,
                         struct kn_error *err)
{
    if (d->nmeasures == IND_MAX_MEASURES)
        return ind_fail(ln, NULL, err, "at most %d measures", IND_MAX_MEASURES);
    struct ind_measure *m = &d->measures[d->nmeasures];
    memset(m, 0, sizeof *m);
    m->line = ln->line;
    const struct ind_tok *name = ind_next(ln);
    if (!valid_name(name, false))
        return ind_fail(ln, name, err, "expected a measure name (lower-case letters, digits "
                        "and _)");
    for (size_t i = 0; i < d->nmeasures; i++)
        if (ind_is(name, d->measures[i].name))
            return ind_fail(ln, name, err, "measure '%s' is defined twice",
                            d->measures[i].name);
    m->name = name_copy(name, a);
    const struct ind_tok *t = ind_next(ln);
    int rc = 0;
    if (ind_is(t, "count")) {
        m->kind = IND_M_COUNT;
        const struct ind_tok *w = ind_next(ln);
        if (!ind_is(w, "events") && !ind_is(w, "persons"))
            return ind_fail(ln, w, err, "expected 'events' or 'persons'");
        m->persons = ind_is(w, "persons");
        if (ind_is(ind_peek(ln), "per")) {
            ind_next(ln);
            long per;
            rc = ind_int(ln, 1, 1000000000L, "the multiplier", &per, err);
            if (rc == 0)
                rc = ind_expect(ln, "population", err);
            m->per = per;
            if (rc == 0 && ind_is(ind_peek(ln), "standardised")) {
                ind_next(ln);
                m->standardised = true;
            }
        }
    } else if (ind_is(t, "sum")) {
        m->kind = IND_M_SUM;
        rc = parse_unit(ln, &m->unit_seconds, err);
        if (rc == 0 && ind_is(ind_peek(ln), "merged")) {
            /* overlapping intervals of a person count once */
            ind_next(ln);
            m->merged = true;
        }
    } else if (ind_is(t, "proportion") && d->from == IND_FROM_CONSULT) {
        /* the share of consultations answered within N working days */
        m->kind = IND_M_PROPORTION;
        long days = 0;
        rc = ind_expect(ln, "answered", err);
        if (rc == 0)
            rc = ind_expect(ln, "within", err);
        if (rc == 0)
            rc = ind_int(ln, 1, 365, "the working days", &days, err);
        if (rc == 0)
            rc = ind_expect(ln, "workdays", err);
        m->workdays = (int)days;
    } else if (ind_is(t, "proportion")) {
        m->kind = IND_M_PROPORTION;
        /* the share of anchors meeting a relation or a field condition */
        rc = parse_condition(ln, d->from, &m->rel, a, err);
    } else if (ind_is(t, "median")) {
        rc = parse_unit(ln, &m->unit_seconds, err);
        const struct ind_tok *w = ind_next(ln);
        if (rc == 0 && ind_is(w, "of")) {
            m->kind = IND_M_MEDIAN_DUR;
            rc = ind_expect(ln, "duration", err);
        } else if (rc == 0 && ind_is(w, "to")) {
            m->kind = IND_M_MEDIAN_TO;
            rc = ind_expect(ln, "first", err);
            m->rel.is_relation = true;
            if (rc == 0)
                rc = parse_related(ln, &m->rel.rel, a, err);
        } else if (rc == 0) {
            return ind_fail(ln, w, err, "expected 'of duration' or 'to first ...'");
        }
    } else if (ind_is(t, "survival")) {
        m->kind = IND_M_SURVIVAL;
        m->rel.is_relation = true;
        rc = parse_related(ln, &m->rel.rel, a, err);
        if (rc == 0 && ind_is(ind_peek(ln), "censor")) {
            ind_next(ln);
            rc = ind_expect(ln, "death", err);
            m->censor_death = true;
        }
    } else if (ind_is(t, "ratio")) {
        m->kind = IND_M_RATIO;
        const struct ind_tok *na = ind_next(ln);
        if (!valid_name(na, false))
            return ind_fail(ln, na, err, "expected the name of a measure");
        m->ratio_a = name_copy(na, a);
        rc = ind_expect(ln, "/", err);
        const struct ind_tok *nb = rc == 0 ? ind_next(ln) : NULL;
        if (rc != 0)
            return rc;
        const char *colon = nb && nb->type == IND_T_WORD ? memchr(nb->s, ':', nb->len) : NULL;
        struct ind_tok bn = nb ? *nb : (struct ind_tok){ 0 };
        if (colon) {
            struct ind_tok bi = bn;
            bi.len = (size_t)(colon - nb->s);
            bn.s = colon + 1;
            bn.len = nb->len - bi.len - 1;
            if (!valid_name(&bi, true))
                return ind_fail(ln, nb, err, "expected ID:MEASURE");
            m->ratio_b_ind = name_copy(&bi, a);
        }
        if (!valid_name(&bn, false))
            return ind_fail(ln, nb, err, "expected the name of a measure, or ID:MEASURE");
        m->ratio_b = name_copy(&bn, a);
        long per;
        rc = ind_expect(ln, "per", err);
        if (rc == 0)
            rc = ind_int(ln, 1, 1000000000L, "the multiplier", &per, err);
        m->per = per;
    } else {
        return ind_fail(ln, t, err, "expected a measure: count, sum, proportion, median, "
                        "survival or ratio");
    }
    if (rc == 0)
        rc = ind_end(ln, err);
    if (rc == 0)
        d->nmeasures++;
    return rc;
}

static int parse_years(struct ind_line *ln, struct ind_def *d, struct kn_error *err)
{
    const struct ind_tok *t = ind_peek(ln);
    char w[24];
    int rc = ind_word(ln, w, sizeof w, "years such as 2020-2024", err);
    int used = 0;
    if (rc == 0 && (sscanf(w, "%d-%d%n", &d->year_from, &d->year_to, &used) != 2 ||
                    (size_t)used != strlen(w) || d->year_from < 1900 ||
                    d->year_to > 2200 || d->year_from > d->year_to))
        return ind_fail(ln, t, err, "expected years such as 2020-2024, not '%s'", w);
    return rc;
}

static int parse_valid(struct ind_line *ln, struct ind_def *d, struct kn_error *err)
{
    /* "FROM ..", "FROM .. TO", or "FROM..TO" as one word */
    char w[40];
    const struct ind_tok *t = ind_peek(ln);
    int rc = ind_word(ln, w, sizeof w, "a date", err);
    if (rc != 0)
        return rc;
    char *dots = strstr(w, "..");
    char to[24] = "";
    if (dots) {
        snprintf(to, sizeof to, "%s", dots + 2);
        *dots = '\0';
        if (!to[0] && ind_peek(ln) && (rc = ind_word(ln, to, sizeof to, "a date", err)) != 0)
            return rc;
    } else {
        rc = ind_expect(ln, "..", err);
        if (rc == 0 && ind_peek(ln))
            rc = ind_word(ln, to, sizeof to, "a date", err);
        if (rc != 0)
            return rc;
    }
    struct kn_error e2;
    kn_day from;
    if (date_parse(w, strlen(w), &from, &e2) != 0)
        return ind_fail(ln, t, err, "valid: %s", e2.msg);
    d->valid_from = from;
    if (to[0]) {
        kn_day until;
        if (date_parse(to, strlen(to), &until, &e2) != 0)
            return ind_fail(ln, t, err, "valid: %s", e2.msg);
        if (until <= from)
            return ind_fail(ln, t, err, "valid: the end must come after the start");
        d->valid_to = until;
    }
    return 0;
}

static int parse_breakdown(struct ind_line *ln, struct ind_def *d, struct kn_error *err)
{
    static const char *const dims[] = { "region", "municipality", "unit", "sex", "band",
                                        NULL };
    d->dims = 0;
    for (;;) {
        const struct ind_tok *t = ind_next(ln);
        int i = t && t->type == IND_T_WORD ? ind_word_index(dims, t->s, t->len) : -1;
        if (i < 0)
            return ind_fail(ln, t, err, "expected a breakdown: region, municipality, unit, "
                            "sex or band");
        d->dims |= 1u << i;
        if (!ind_is_punct(ind_peek(ln), ','))
            return ind_end(ln, err);
        ind_next(ln);
    }
}

static int parse_bands(struct ind_line *ln, struct ind_def *d, struct kn_error *err)
{
    d->nbands = 0;
    for (;;) {
        const struct ind_tok *t = ind_peek(ln);
        char w[16];
        int lo, hi, used = 0;
        int rc = ind_word(ln, w, sizeof w, "an age band such as 10-14", err);
        if (rc != 0)
            return rc;
        if (sscanf(w, "%d-%d%n", &lo, &hi, &used) != 2 || (size_t)used != strlen(w) ||
            lo < 0 || hi < lo || hi > 150)
            return ind_fail(ln, t, err, "expected an age band such as 10-14, not '%s'", w);
        if (d->nbands == IND_MAX_BANDS)
            return ind_fail(ln, t, err, "at most %d bands", IND_MAX_BANDS);
        if (d->nbands && lo <= d->bands[d->nbands - 1].hi)
            return ind_fail(ln, t, err, "bands must be in order and must not overlap");
        d->bands[d->nbands++] = (struct ind_range){ lo, hi };
        if (!ind_is_punct(ind_peek(ln), ','))
            return ind_end(ln, err);
        ind_next(ln);
    }
}

static int parse_pick(struct ind_line *ln, struct ind_def *d, struct kn_error *err)
{
    const struct ind_tok *t = ind_next(ln);
    int rc = 0;
    if (ind_is(t, "first")) {
        d->pick = IND_PICK_FIRST;
    } else if (ind_is(t, "last")) {
        d->pick = IND_PICK_LAST;
    } else if (ind_is(t, "nth")) {
        long n;
        d->pick = IND_PICK_NTH;
        rc = ind_int(ln, 1, 1000, "N", &n, err);
        d->pick_n = (int)n;
    } else {
        return ind_fail(ln, t, err, "expected 'first', 'last' or 'nth N'");
    }
    if (rc == 0)
        rc = ind_expect(ln, "per", err);
    if (rc == 0)
        rc = ind_expect(ln, "person", err);
    if (rc != 0)
        return rc;
    d->pick_ever = false;
    const struct ind_tok *w = ind_next(ln);
    if (ind_is(w, "ever"))
        d->pick_ever = true;
    else if (ind_is(w, "per"))
        rc = ind_expect(ln, "period", err);
    else if (w)
        return ind_fail(ln, w, err, "expected 'per period' or 'ever'");
    return rc == 0 ? ind_end(ln, err) : rc;
}

static int parse_text(struct ind_line *ln, const char **sv, const char **en,
                      struct kn_error *err)
{
    const struct ind_tok *lang = ind_next(ln);
    const char **dst = ind_is(lang, "sv") ? sv : ind_is(lang, "en") ? en : NULL;
    if (!dst)
        return ind_fail(ln, lang, err, "expected the language: sv or en");
    const struct ind_tok *s = ind_next(ln);
    if (!s || s->type != IND_T_STRING || s->len == 0)
        return ind_fail(ln, s, err, "expected a non-empty \"string\"");
    if (*dst)
        return ind_fail(ln, lang, err, "given twice");
    *dst = s->s;
    return ind_end(ln, err);
}

/* Statements that may stand once in a definition (bit i of `seen`). */
static const char *const single[] = { "version", "valid", "owner", "goal", "from", "pick",
                                      "period", "years", "geo", "bands", "breakdown",
                                      "target", "direction", NULL };

/* The statement on ln, into d; seen: the single statements met so far. */
static int statement(struct ind_line *ln, struct ind_def *d, unsigned *seen,
                     struct arena *a, struct kn_error *err)
{
    const struct ind_tok *kw = ind_next(ln);
    long n;
    int rc = 0;
    int once = kw->type == IND_T_WORD ? ind_word_index(single, kw->s, kw->len) : -1;
    if (once >= 0 && (*seen & (1u << once)))
        return ind_fail(ln, kw, err, "'%s' is given twice in this definition", single[once]);
    if (once >= 0)
        *seen |= 1u << once;
    if (ind_is(kw, "version")) {
        rc = ind_int(ln, 1, 100000, "the version", &n, err);
        d->version = (int)n;
    } else if (ind_is(kw, "valid")) {
        rc = parse_valid(ln, d, err);
    } else if (ind_is(kw, "title")) {
        return parse_text(ln, &d->title_sv, &d->title_en, err);
    } else if (ind_is(kw, "description")) {
        return parse_text(ln, &d->desc_sv, &d->desc_en, err);
    } else if (ind_is(kw, "owner")) {
        const struct ind_tok *s = ind_next(ln);
        if (!s || s->type != IND_T_STRING || s->len == 0)
            return ind_fail(ln, s, err, "expected a non-empty \"string\"");
        d->owner = s->s;
    } else if (ind_is(kw, "goal")) {
        const struct ind_tok *t = ind_next(ln);
        int g = t && t->type == IND_T_WORD ? ind_word_index(goal_names, t->s, t->len) : -1;
        if (g < 0)
            return ind_fail(ln, t, err, "expected a goal: self-harm, admissions, coercion, "
                            "pathway or quality");
        d->goal = (enum ind_goal)g;
    } else if (ind_is(kw, "from")) {
        if (ind_is(ind_peek(ln), "consultation")) {
            ind_next(ln);
            d->from = IND_FROM_CONSULT;
        } else {
            rc = parse_kind(ln, false, &d->from, err);
        }
    } else if (ind_is(kw, "where")) {
        if (!d->from)
            return ind_fail(ln, kw, err, "'where' must follow 'from'");
        if (d->from == IND_FROM_CONSULT)
            return ind_fail(ln, kw, err, "'where' does not apply to consultations");
        if (d->nwhere == IND_MAX_WHERE)
            return ind_fail(ln, kw, err, "at most %d 'where' conditions", IND_MAX_WHERE);
        struct ind_condition *c = arena_alloc(a, (d->nwhere + 1) * sizeof *c);
        if (!c)
            return kn_fail(err, KN_ENOMEM, "out of memory");
        if (d->nwhere)
            memcpy(c, d->where, d->nwhere * sizeof *c);
        if (ind_is(ind_peek(ln), "observed")) {
            /* the data reach so far past the anchor's start or end */
            ind_next(ln);
            struct ind_condition *o = &c[d->nwhere];
            memset(o, 0, sizeof *o);
            o->is_observed = true;
            const struct ind_tok *at = ind_next(ln);
            if (!ind_is(at, "start") && !ind_is(at, "end"))
                return ind_fail(ln, at, err, "expected 'start' or 'end'");
            o->obs_at = ind_is(at, "end") ? IND_AT_END : IND_AT_START;
            if (o->obs_at == IND_AT_END && (d->from & ~IND_MASK_ENDED))
                return ind_fail(ln, at, err, "'observed end' needs anchors with an end "
                                "(contacts, measures, treatments)");
            const struct ind_tok *dt = ind_peek(ln);
            rc = ind_duration(ln, &o->obs_len, err);
            if (rc == 0 && o->obs_len < 0)
                return ind_fail(ln, dt, err, "'observed' looks forward: the duration must "
                                "not be negative");
        } else if (ind_is(ind_peek(ln), "duration")) {
            /* the anchor's own length: end - start, wall-clock */
            const struct ind_tok *kw2 = ind_next(ln);
            struct ind_condition *o = &c[d->nwhere];
            memset(o, 0, sizeof *o);
            o->is_duration = true;
            if (d->from & ~IND_MASK_ENDED)
                return ind_fail(ln, kw2, err, "'duration' needs anchors with an end "
                                "(contacts, measures, treatments)");
            static const char *const ops[] = { ">", ">=", "<", "<=" };
            const struct ind_tok *op = ind_next(ln);
            int k = 0;
            while (k < 4 && !ind_is(op, ops[k]))
                k++;
            if (k == 4)
                return ind_fail(ln, op ? op : kw2, err, "expected '>', '>=', '<' or '<=' "
                                "after 'duration'");
            o->dur_op = (enum ind_cmp)k;
            const struct ind_tok *dt = ind_peek(ln);
            rc = ind_duration(ln, &o->dur_len, err);
            if (rc == 0 && o->dur_len < 0)
                return ind_fail(ln, dt, err, "a duration is not negative");
            if (rc == 0)
                rc = ind_end(ln, err);
        } else {
            rc = parse_condition(ln, d->from, &c[d->nwhere], a, err);
        }
        d->where = c;
        if (rc == 0 && c[d->nwhere].is_relation && c[d->nwhere].rel.at == IND_AT_END &&
            !c[d->nwhere].rel.during && (d->from & ~IND_MASK_ENDED))
            return ind_fail(ln, kw, err, "'in end' needs anchors with an end (contacts, "
                            "measures, treatments)");
        if (rc == 0 && c[d->nwhere].is_relation && c[d->nwhere].rel.during &&
            (d->from & ~IND_MASK_ENDED))
            return ind_fail(ln, kw, err, "'during' needs anchors with an end (contacts, "
                            "measures, treatments)");
        if (rc == 0)
            d->nwhere++;
    } else if (ind_is(kw, "pick")) {
        return parse_pick(ln, d, err);
    } else if (ind_is(kw, "period")) {
        char w[16];
        const struct ind_tok *t = ind_peek(ln);
        rc = ind_word(ln, w, sizeof w, "a period", err);
        enum period_kind pk;
        if (rc == 0 && (period_kind_parse(w, &pk) != 0 || pk == PERIOD_DAY ||
                        pk == PERIOD_WEEK))
            return ind_fail(ln, t, err, "expected year, tertial, quarter or month");
        d->period = pk;
        if (rc == 0 && ind_peek(ln)) {
            rc = ind_expect(ln, "of", err);
            const struct ind_tok *at = rc == 0 ? ind_next(ln) : NULL;
            if (rc == 0 && !ind_is(at, "start") && !ind_is(at, "end"))
                return ind_fail(ln, at, err, "expected 'start' or 'end'");
            d->period_at = ind_is(at, "end") ? IND_AT_END : IND_AT_START;
        }
    } else if (ind_is(kw, "years")) {
        rc = parse_years(ln, d, err);
    } else if (ind_is(kw, "geo")) {
        const struct ind_tok *t = ind_next(ln);
        if (!ind_is(t, "person") && !ind_is(t, "unit"))
            return ind_fail(ln, t, err, "expected 'person' or 'unit'");
        d->geo_unit = ind_is(t, "unit");
    } else if (ind_is(kw, "bands")) {
        return parse_bands(ln, d, err);
    } else if (ind_is(kw, "breakdown")) {
        return parse_breakdown(ln, d, err);
    } else if (ind_is(kw, "measure")) {
        if (!d->from)
            return ind_fail(ln, kw, err, "'measure' must follow 'from'");
        return parse_measure(ln, d, a, err);
    } else if (ind_is(kw, "target")) {
        const struct ind_tok *op = ind_next(ln);
        if (!ind_is(op, "<=") && !ind_is(op, ">="))
            return ind_fail(ln, op, err, "expected '<=' or '>='");
        d->target_le = ind_is(op, "<=");
        char w[32];
        const struct ind_tok *t = ind_peek(ln);
        rc = ind_word(ln, w, sizeof w, "the target level", err);
        /* a level (150), or a change from a base year (-10% from 2020) */
        size_t wl = rc == 0 ? strlen(w) : 0;
        bool rel = wl > 1 && w[wl - 1] == '%';
        if (rel)
            w[--wl] = '\0';
        char *end;
        d->target = rc == 0 ? strtod(w, &end) : 0;
        if (rc == 0 && (*end || end == w || strspn(w, "+-.0123456789") != strlen(w)))
            return ind_fail(ln, t, err, "'%s%s' is not a number%s", w, rel ? "%" : "",
                            rel ? " of per cent" : "");
        d->target_base_year = 0;
        if (rc == 0 && rel) {
            long y;
            rc = ind_expect(ln, "from", err);
            if (rc == 0)
                rc = ind_int(ln, 1900, 2200, "the base year", &y, err);
            if (rc != 0)
                return rc;
            if (d->target <= -100)
                return ind_fail(ln, t, err, "a change of %g%% leaves nothing", d->target);
            d->target_base_year = (int)y;
        }
        d->has_target = true;
        d->target_measure = -1;
        if (rc == 0 && ind_is(ind_peek(ln), "for")) {
            ind_next(ln);
            const struct ind_tok *m = ind_next(ln);
            for (size_t i = 0; i < d->nmeasures; i++)
                if (ind_is(m, d->measures[i].name))
                    d->target_measure = (int)i;
            if (d->target_measure < 0)
                return ind_fail(ln, m, err, "no measure of that name above");
        }
    } else if (ind_is(kw, "direction")) {
        const struct ind_tok *t = ind_next(ln);
        if (!ind_is(t, "lower") && !ind_is(t, "higher"))
            return ind_fail(ln, t, err, "expected 'lower' or 'higher'");
        d->lower_is_better = ind_is(t, "lower");
        d->has_direction = true;
    } else if (ind_is(kw, "indicator")) {
        return ind_fail(ln, kw, err, "internal: indicator inside a statement");
    } else {
        return ind_fail(ln, kw, err, "unknown statement '%.*s'", kw ? (int)kw->len : 0,
                        kw ? kw->s : "");
    }
    return rc == 0 ? ind_end(ln, err) : rc;
}

/* FNV-1a over the tokens of the statements that define what is computed
 * (not the titles, descriptions, owner, goal or validity). */
static uint64_t fold(uint64_t h, const struct ind_line *ln)
{
    for (size_t i = 0; i < ln->n; i++) {
        const struct ind_tok *t = &ln->tok[i];
        for (size_t j = 0; j < t->len; j++)
            h = (h ^ (unsigned char)t->s[j]) * 1099511628211ull;
        h = (h ^ (t->type == IND_T_STRING ? 0x1f : 0x1e)) * 1099511628211ull;
    }
    return (h ^ 0x0a) * 1099511628211ull;
}

static bool semantic(const struct ind_line *ln)
{
    const struct ind_tok *k = &ln->tok[0];
    /* `valid` says when, not what: ending an old version's validity when
     * a new one takes over does not change the old definition */
    return !ind_is(k, "title") && !ind_is(k, "description") && !ind_is(k, "owner") &&
           !ind_is(k, "goal") && !ind_is(k, "valid");
}

static void def_start(struct ind_def *d, const char *file, int line)
{
    memset(d, 0, sizeof *d);
    d->file = file;
    d->line = line;
    d->valid_from = INT32_MIN;
    d->valid_to = INT32_MAX;
    d->period = PERIOD_YEAR;
    d->period_at = IND_AT_START;
    d->dims = IND_DIM_REGION | IND_DIM_SEX;
    d->target_measure = -1;
    d->goal = (enum ind_goal)-1; /* none yet: ind_def_finish() requires one */
}

static int push(struct ind_def **list, size_t *n, size_t *cap, const struct ind_def *d,
                struct arena *a)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        struct ind_def *l = arena_alloc(a, nc * sizeof *l);
        if (!l)
            return KN_ENOMEM;
        if (*n)
            memcpy(l, *list, *n * sizeof *l);
        *list = l;
        *cap = nc;
    }
    (*list)[(*n)++] = *d;
    return 0;
}

int ind_parse(struct ind_catalogue *cat, const char *file, const char *text, size_t len,
              struct arena *a, struct kn_error *err)
{
    struct ind_line *ln = arena_alloc(a, sizeof *ln);
    const char *fname = arena_strdup(a, file);
    if (!ln || !fname)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    ln->file = fname;
    struct ind_def cur, *defs = NULL;
    size_t ndefs = 0, cap = 0;
    bool open = false;
    uint64_t h = 0;
    unsigned seen = 0;
    int rc = 0, lineno = 0;
    const char *p = text, *end = text + len;
    while (rc == 0 && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        ln->line = ++lineno;
        rc = ind_lex_line(ln, p, (size_t)(le - p), a, err);
        p = nl ? nl + 1 : end;
        if (rc != 0 || ln->n == 0)
            continue;
        const struct ind_tok *kw = &ln->tok[0];
        if (ind_is(kw, "indicator")) {
            if (open) {
                snprintf(cur.fingerprint, sizeof cur.fingerprint, "%016llx",
                         (unsigned long long)h);
                rc = ind_def_finish(&cur, err);
                if (rc == 0 && push(&defs, &ndefs, &cap, &cur, a) != 0)
                    rc = kn_fail(err, KN_ENOMEM, "out of memory");
                if (rc != 0)
                    break;
            }
            def_start(&cur, fname, lineno);
            open = true;
            seen = 0;
            h = 14695981039346656037ull;
            ln->i = 1;
            const struct ind_tok *id = ind_next(ln);
            if (!valid_name(id, true))
                rc = ind_fail(ln, id, err, "expected the indicator's id (lower-case letters, "
                              "digits and -), such as ref-a");
            else
                cur.id = name_copy(id, a);
            if (rc == 0)
                rc = ind_end(ln, err);
            continue;
        }
        if (!open) {
            rc = ind_fail(ln, kw, err, "expected 'indicator ID' first");
            break;
        }
        if (semantic(ln))
            h = fold(h, ln);
        rc = statement(ln, &cur, &seen, a, err);
    }
    if (rc == 0 && !open)
        rc = kn_fail(err, KN_EINPUT, "%s:1:1: no indicator in the file", fname);
    if (rc == 0) {
        ln->line = lineno + 1;
        ln->n = 0;
        snprintf(cur.fingerprint, sizeof cur.fingerprint, "%016llx", (unsigned long long)h);
        rc = ind_def_finish(&cur, err);
        if (rc == 0 && push(&defs, &ndefs, &cap, &cur, a) != 0)
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
    }
    for (size_t i = 0; rc == 0 && i < ndefs; i++)
        if (push(&cat->defs, &cat->n, &cat->cap, &defs[i], a) != 0)
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
    return rc;
}
