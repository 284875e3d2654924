/* src/web/web_model.c: cells, series and texts for page models
 * (web_model.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/eng_out.h"
#include "disclosure/sup.h"
#include "web/web_model.h"

bool web_set(json_t *obj, const char *key, json_t *v)
{
    return v && json_object_set_new(obj, key, v) == 0;
}

bool web_sets(json_t *obj, const char *key, const char *s)
{
    return web_set(obj, key, json_string(s ? s : ""));
}

static int by_month(const void *a, const void *b)
{
    const struct web_point *x = a, *y = b;
    return (x->month > y->month) - (x->month < y->month);
}

size_t web_series(const struct web_view *v, const char *id, const char *measure,
                  struct arena *a, struct web_point **out)
{
    size_t n = 0, cap = 0;
    struct web_point *pts = NULL;
    for (size_t i = 0; i < v->run.n; i++) {
        const struct eng_result *r = &v->run.results[i];
        if (strcmp(r->def->id, id) != 0)
            continue;
        if (measure ? strcmp(r->def->measures[r->measure].name, measure) != 0
                    : r->measure != r->def->target_measure)
            continue;
        for (int p = 0; p < r->nperiods; p++) {
            if (!r->period_valid[p])
                continue;
            if (arena_grow(a, &pts, n, &cap, sizeof *pts) != 0)
                return 0;
            struct web_point *pt = &pts[n++];
            pt->r = r;
            pt->p = p;
            pt->month = r->first_month + p * r->months_per_period;
            eng_period_text(r, p, pt->text);
        }
    }
    if (n)
        qsort(pts, n, sizeof *pts, by_month);
    *out = pts;
    return n;
}

long web_geo_find(const struct eng_result *r, const struct snap *s, enum eng_geo_level level,
                  const char *code)
{
    for (size_t g = 0; g < r->ngeo; g++)
        if (eng_geo_level(r, g) == level && strcmp(eng_geo_code(r, s, g), code) == 0)
            return (long)g;
    return -1;
}

void web_fmt(const struct web_req *rq, double v, int decimals, char *buf, size_t cap)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v) < 5e-324 ? 0.0 : v);
    bool sv = rq->lang == WEB_SV;
    const char *group = sv ? "\xc2\xa0" : ","; /* no-break space in Swedish */
    const char *point = sv ? "," : ".";
    const char *digits = raw[0] == '-' ? raw + 1 : raw;
    size_t intlen = strcspn(digits, ".");
    size_t o = 0;
    if (raw[0] == '-' && o + 4 < cap) /* a real minus sign */
        o += (size_t)snprintf(buf + o, cap - o, "\xe2\x88\x92");
    for (size_t i = 0; i < intlen && o + 4 < cap; i++) {
        if (i && (intlen - i) % 3 == 0)
            o += (size_t)snprintf(buf + o, cap - o, "%s", group);
        buf[o++] = digits[i];
    }
    if (digits[intlen] == '.' && o + 2 + strlen(digits + intlen) < cap)
        o += (size_t)snprintf(buf + o, cap - o, "%s%s", point, digits + intlen + 1);
    buf[o < cap ? o : cap - 1] = '\0';
}

int web_decimals(const struct eng_result *r)
{
    return web_comparable(r) ? 1 : 0;
}

bool web_comparable(const struct eng_result *r)
{
    const struct ind_measure *m = &r->def->measures[r->measure];
    return !((m->kind == IND_M_COUNT && !m->per) || m->kind == IND_M_SUM);
}

static json_t *num_or_null(bool shown, double v)
{
    return shown && isfinite(v) ? json_real(v) : json_null();
}

json_t *web_cell(const struct web_req *rq, const struct eng_result *r, const struct eng_cell *c,
                 bool level998)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    bool hv = (c->flags & ENG_HAS_VALUE) && !c->sup_value && isfinite(c->value);
    bool hc = (c->flags & ENG_HAS_CI) && !c->sup_value;
    double lo = level998 ? c->lo998 : c->lo95, hi = level998 ? c->hi998 : c->hi95;
    char vt[64] = "", ct[160] = "";
    int dec = web_decimals(r);
    if (hv)
        web_fmt(rq, c->value, dec, vt, sizeof vt);
    if (hc && isfinite(lo) && isfinite(hi)) {
        char a[64], b[64];
        web_fmt(rq, lo, dec, a, sizeof a);
        web_fmt(rq, hi, dec, b, sizeof b);
        snprintf(ct, sizeof ct, "%s\xe2\x80\x93%s", a, b);
    }
    const char *reason = sup_reason(c);
    const char *rt = "";
    if (reason[0]) {
        char key[48];
        snprintf(key, sizeof key, "sup_%s", reason);
        rt = web_t(rq, key);
    } else if (!hv) {
        rt = web_t(rq, "no_value");
    }
    bool ok = web_set(o, "value", num_or_null(hv, c->value)) &&
              web_set(o, "lo", num_or_null(hc, lo)) && web_set(o, "hi", num_or_null(hc, hi)) &&
              web_set(o, "numerator", num_or_null((c->flags & ENG_HAS_NUM) && !c->sup_num,
                                                  c->num)) &&
              web_set(o, "denominator", num_or_null((c->flags & ENG_HAS_DEN) && !c->sup_den,
                                                    c->den)) &&
              web_sets(o, "value_text", vt) && web_sets(o, "ci_text", ct) &&
              web_set(o, "suppressed", json_boolean(sup_hidden(c))) &&
              web_sets(o, "reason", reason) && web_sets(o, "reason_text", rt);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

const char *web_sig(const struct eng_result *r, const struct eng_cell *c,
                    const struct eng_cell *n, bool level998)
{
    if (sup_hidden(c))
        return "suppressed";
    if (!(c->flags & ENG_HAS_VALUE) || !web_comparable(r))
        return "none"; /* a count or a sum grows with the place: not comparable */
    int dir = 0; /* +1 above the nation, -1 below, 0 similar */
    const char *f = eng_funnel(c);
    if (f[0]) {
        if (strcmp(f, "above_99_8") == 0 || (!level998 && strcmp(f, "above_95") == 0))
            dir = 1;
        else if (strcmp(f, "below_99_8") == 0 || (!level998 && strcmp(f, "below_95") == 0))
            dir = -1;
    } else if ((c->flags & ENG_HAS_CI) && n && (n->flags & ENG_HAS_VALUE) && !n->sup_value) {
        double lo = level998 ? c->lo998 : c->lo95, hi = level998 ? c->hi998 : c->hi95;
        if (!isfinite(lo) || !isfinite(hi))
            return "none";
        dir = lo > n->value ? 1 : hi < n->value ? -1 : 0;
    } else {
        return "none";
    }
    if (dir == 0)
        return "similar";
    if (!r->def->has_direction)
        return dir > 0 ? "higher" : "lower";
    return (dir > 0) != r->def->lower_is_better ? "better" : "worse";
}

const char *web_sig_text(const struct web_req *rq, const char *sig)
{
    char key[48];
    snprintf(key, sizeof key, "sig_%s", sig);
    return web_t(rq, key);
}

const char *web_title(const struct web_req *rq, const struct ind_def *d)
{
    return rq->lang == WEB_EN && d->title_en ? d->title_en : d->title_sv;
}

const char *web_desc(const struct web_req *rq, const struct ind_def *d)
{
    const char *s = rq->lang == WEB_EN && d->desc_en ? d->desc_en : d->desc_sv;
    return s ? s : "";
}

const char *web_unit(const struct web_req *rq, const struct ind_measure *m)
{
    char buf[96];
    ind_measure_unit(m, rq->lang == WEB_SV, buf, sizeof buf);
    const char *s = arena_strdup(rq->arena, buf);
    return s ? s : "";
}

json_t *web_def_summary(const struct web_req *rq, const struct ind_def *d)
{
    json_t *o = json_object();
    char goal[48], target[64] = "", words[160] = "";
    snprintf(goal, sizeof goal, "goal_%s", ind_goal_name(d->goal));
    for (char *p = goal; *p; p++)
        if (*p == '-')
            *p = '_';
    if (d->has_target) {
        ind_target_text(d, target, sizeof target);
        ind_target_words(d, rq->lang == WEB_SV, words, sizeof words);
    }
    const char *dir = !d->has_direction ? "" : d->lower_is_better ? "lower" : "higher";
    char dkey[32];
    snprintf(dkey, sizeof dkey, "direction_%s", dir[0] ? dir : "none");
    const char *url = arena_printf(rq->arena, "/indicators/%s", d->id);
    if (!o || !web_sets(o, "id", d->id) || !web_set(o, "version", json_integer(d->version)) ||
        !web_sets(o, "title", web_title(rq, d)) || !web_sets(o, "goal", ind_goal_name(d->goal)) ||
        !web_sets(o, "goal_text", web_t(rq, goal)) ||
        !web_sets(o, "unit", web_unit(rq, &d->measures[d->target_measure])) ||
        !web_sets(o, "direction", dir) || !web_sets(o, "direction_text", web_t(rq, dkey)) ||
        !web_set(o, "target", target[0] ? json_string(target) : json_null()) ||
        !web_set(o, "target_text", words[0] ? json_string(words) : json_null()) ||
        !web_sets(o, "owner", d->owner) || !web_sets(o, "url", url)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int web_not_ready(struct web_req *rq)
{
    rq->error = web_t(rq, "err_computing");
    return 503;
}

bool web_level(struct web_req *rq, int *status)
{
    const char *l = web_query(rq, "level");
    *status = 0;
    if (!l || strcmp(l, "95") == 0)
        return false;
    if (strcmp(l, "99.8") == 0)
        return true;
    *status = web_bad_param(rq, "level", "level takes 95 or 99.8");
    return false;
}
