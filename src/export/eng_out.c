/* src/export/eng_out.c: result cubes as rows (CSV, JSON lines, a table). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "export/eng_out.h"
#include "engine/eng_target.h"
#include "disclosure/sup.h"

static const char *const sex_text[] = { "T", "F", "M" };

/* The definition's version covers period p, and it lies in the years asked for. */
static bool period_shown(const struct eng_result *r, const struct eng_out_options *o, int p)
{
    int year = (r->first_month + p * r->months_per_period) / 12;
    return r->period_valid[p] && (!o->year_from || (year >= o->year_from && year <= o->year_to));
}

static bool row_shown(const struct eng_result *r, const struct eng_out_options *o, int p,
                      size_t g, int so, size_t bo)
{
    /* Never a breakdown the definition does not have: its cells were not
     * computed and would show as empty, unsuppressed ones. */
    unsigned dims = o->dims ? o->dims & r->def->dims : r->def->dims;
    if (!period_shown(r, o, p))
        return false;
    if (!eng_geo_shown(r, g))
        return false;
    enum eng_geo_level lv = eng_geo_level(r, g);
    if (lv != ENG_GEO_NATION && !(dims & IND_DIM_REGION))
        return false;
    if (lv == ENG_GEO_FINE && !(dims & (IND_DIM_MUNICIPALITY | IND_DIM_UNIT)))
        return false;
    if (o->geo_level >= 0 && (int)lv != o->geo_level)
        return false;
    if (so && !(dims & IND_DIM_SEX))
        return false;
    if (bo && !(dims & IND_DIM_BAND))
        return false;
    return true;
}

bool eng_period_shown(const struct eng_result *r, const struct eng_out_options *o, int p)
{
    return period_shown(r, o, p);
}

bool eng_row_shown(const struct eng_result *r, const struct eng_out_options *o, int p,
                   size_t g, int sex, size_t band)
{
    return row_shown(r, o, p, g, sex, band);
}

const char *eng_estimate(const struct eng_result *r, size_t band)
{
    const struct ind_measure *im = &r->def->measures[r->measure];
    if (im->kind != IND_M_COUNT || !im->per)
        return "";
    return im->standardised && band == 0 ? "standardised" : "crude";
}

const char *eng_status(const struct eng_result *r, int p, size_t g, int so, size_t bo)
{
    const struct ind_def *d = r->def;
    const struct eng_cell *c = eng_cell(r, p, g, so, bo);
    if (!d->has_target || d->target_measure != r->measure)
        return "";
    if (!(c->flags & ENG_HAS_VALUE) || c->sup_value)
        return "";
    const struct eng_cell *base = NULL;
    if (d->target_base_year) {
        /* the same place and period of the base year */
        int per_year = 12 / r->months_per_period;
        int bp = p - (r->first_month / 12 + p / per_year - d->target_base_year) * per_year;
        if (bp < 0 || bp >= r->nperiods || bp == p)
            return "";
        base = eng_cell(r, bp, g, so, bo);
        if (!(base->flags & ENG_HAS_VALUE) || base->sup_value) /* hidden stays hidden */
            return "";
    }
    return eng_target_met(r, c, bo, base) ? "met" : "not_met"; /* on the counts */
}

static void num(FILE *f, bool has, bool hidden, double v)
{
    if (has && !hidden)
        fprintf(f, "%.17g", v);
}

static void band_text(const struct eng_result *r, size_t bo, char *buf, size_t cap)
{
    if (bo == 0)
        snprintf(buf, cap, "all");
    else
        snprintf(buf, cap, "%d-%d", r->def->bands[bo - 1].lo, r->def->bands[bo - 1].hi);
}

static void csv_text(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

bool eng_series_break(const struct eng_run *run, const struct eng_result *r, int p)
{
    int first = 0;
    while (first < r->nperiods && !r->period_valid[first])
        first++;
    if (p != first)
        return false;
    const char *name = r->def->measures[r->measure].name;
    for (size_t i = 0; i < run->n; i++) {
        const struct eng_result *q = &run->results[i];
        if (q->def->version < r->def->version && strcmp(q->def->id, r->def->id) == 0 &&
            strcmp(q->def->measures[q->measure].name, name) == 0)
            return true;
    }
    return false;
}

/* Every published row of the run, in order: results, periods, places,
 * sexes, bands. */
struct row {
    const struct eng_result *r;
    int p;
    size_t g;
    int so;
    size_t bo;
    const struct eng_cell *c;
};

typedef void row_fn(FILE *f, const struct eng_run *run, const struct row *w);

static void each_row(FILE *f, const struct eng_run *run, const struct eng_out_options *o,
                     row_fn *fn)
{
    for (size_t i = 0; i < run->n; i++) {
        const struct eng_result *r = &run->results[i];
        for (int p = 0; p < r->nperiods; p++)
            for (size_t g = 0; g < r->ngeo; g++)
                for (int so = 0; so < 3; so++)
                    for (size_t bo = 0; bo < r->nband; bo++) {
                        if (!row_shown(r, o, p, g, so, bo))
                            continue;
                        struct row w = { r, p, g, so, bo, eng_cell(r, p, g, so, bo) };
                        fn(f, run, &w);
                    }
    }
}

static const char *level_text(const struct eng_result *r, size_t g)
{
    static const char *const lv[] = { "nation", "healthcare_region", "region", "fine" };
    enum eng_geo_level l = eng_geo_level(r, g);
    if (l == ENG_GEO_FINE)
        return r->def->geo_unit ? "unit" : "municipality";
    return lv[l];
}

const char *eng_funnel(const struct eng_cell *c)
{
    if (!(c->flags & ENG_HAS_FUNNEL) || !(c->flags & ENG_HAS_VALUE) || c->sup_value ||
        c->sup_den)
        return "";
    if (c->value > c->f_hi998)
        return "above_99_8";
    if (c->value < c->f_lo998)
        return "below_99_8";
    if (c->value > c->f_hi95)
        return "above_95";
    if (c->value < c->f_lo95)
        return "below_95";
    return "within";
}

/* The status column: ENG_OUT_MISSING for a period without data, else the
 * status against the target (eng_status). */
static const char *row_status(const struct eng_run *run, const struct eng_result *r, int p,
                              size_t g, int so, size_t bo)
{
    if (!eng_period_has_data(r, run->snap, p))
        return ENG_OUT_MISSING;
    return eng_status(r, p, g, so, bo);
}

static void csv_row(FILE *f, const struct eng_run *run, const struct row *w)
{
    const struct eng_result *r = w->r;
    const struct ind_def *d = r->def;
    const struct eng_cell *c = w->c;
    char per[16], band[24];
    eng_period_text(r, w->p, per);
    band_text(r, w->bo, band, sizeof band);
    if (!run->suppressed)
        fputs(ENG_OUT_UNSUPPRESSED ",", f);
    fprintf(f, "%s,%d,%s,%s,%s,", d->id, d->version, d->measures[r->measure].name, per,
            level_text(r, w->g));
    csv_text(f, eng_geo_code(r, run->snap, w->g));
    fputc(',', f);
    csv_text(f, eng_geo_name(r, run->snap, w->g));
    fprintf(f, ",%s,%s,", sex_text[w->so], band);
    /* a period without data: its zeros are no counts (eng_period_has_data) */
    bool data = eng_period_has_data(r, run->snap, w->p);
    bool hv = data && (c->flags & ENG_HAS_VALUE), hc = data && (c->flags & ENG_HAS_CI),
         hf = data && (c->flags & ENG_HAS_FUNNEL);
    const struct {
        bool has;
        uint8_t hidden;
        double v;
    } cols[] = {
        { data && (c->flags & ENG_HAS_NUM), c->sup_num, c->num },
        { data && (c->flags & ENG_HAS_DEN), c->sup_den, c->den },
        { hv, c->sup_value, c->value },
        { hc, c->sup_value, c->lo95 },
        { hc, c->sup_value, c->hi95 },
        { hc, c->sup_value, c->lo998 },
        { hc, c->sup_value, c->hi998 },
        /* the limits' width tells the denominator: hidden with it */
        { hf, c->sup_den, c->f_lo95 },
        { hf, c->sup_den, c->f_hi95 },
        { hf, c->sup_den, c->f_lo998 },
        { hf, c->sup_den, c->f_hi998 },
    };
    for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++) {
        num(f, cols[k].has, cols[k].hidden, cols[k].v);
        fputc(',', f);
    }
    fprintf(f, "%s,", data ? eng_funnel(c) : "");
    if (d->has_target && d->target_measure == r->measure) {
        char t[64];
        ind_target_text(d, t, sizeof t);
        fputs(t, f);
    }
    bool sup = data && sup_hidden(c);
    fprintf(f, ",%s,%d,%s,%d,%s,", row_status(run, r, w->p, w->g, w->so, w->bo), sup,
            data ? sup_reason(c) : "", eng_series_break(run, r, w->p), eng_estimate(r, w->bo));
    if (data && r->pop_year && r->pop_year[w->p])
        fprintf(f, "%d", r->pop_year[w->p]);
    fputc('\n', f);
}

void eng_write_csv(FILE *f, const struct eng_run *run, const struct eng_out_options *o)
{
    if (!run->suppressed)
        fputs("disclosure_control,", f);
    fputs("indicator,version,measure,period,geo_level,geo,geo_name,sex,band,numerator,"
          "denominator,value,lower_95,upper_95,lower_99_8,upper_99_8,funnel_lower_95,"
          "funnel_upper_95,funnel_lower_99_8,funnel_upper_99_8,funnel,target,status,"
          "suppressed,reason,series_break,estimate,population_year\n", f);
    each_row(f, run, o, csv_row);
}

static json_t *jnum(bool has, uint8_t hidden, double v)
{
    return has && !hidden && isfinite(v) ? json_real(v) : json_null();
}

json_t *eng_row_json(const struct eng_run *run, const struct eng_result *r, int p, size_t g,
                     int so, size_t bo)
{
    const struct ind_def *d = r->def;
    const struct eng_cell *c = eng_cell(r, p, g, so, bo);
    char per[16], band[24], target[40] = "";
    eng_period_text(r, p, per);
    band_text(r, bo, band, sizeof band);
    if (d->has_target && d->target_measure == r->measure)
        ind_target_text(d, target, sizeof target);
    /* a period without data: its zeros are no counts (eng_period_has_data) */
    bool data = eng_period_has_data(r, run->snap, p);
    bool hv = data && (c->flags & ENG_HAS_VALUE), hc = data && (c->flags & ENG_HAS_CI),
         hf = data && (c->flags & ENG_HAS_FUNNEL), sup = data && sup_hidden(c);
    json_t *o = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "indicator", d->id,
                          "version", d->version, "measure", d->measures[r->measure].name,
                          "period", per, "geo_level", level_text(r, g), "geo",
                          eng_geo_code(r, run->snap, g), "geo_name",
                          eng_geo_name(r, run->snap, g), "sex", sex_text[so], "band", band);
    if (!o)
        return NULL;
    if (!run->suppressed) {
        /* first, as in the CSV */
        json_t *marked = json_pack("{s:s}", "disclosure_control", ENG_OUT_UNSUPPRESSED);
        if (!marked || json_object_update(marked, o) != 0) {
            json_decref(marked);
            json_decref(o);
            return NULL;
        }
        json_decref(o);
        o = marked;
    }
    bool hn = data && (c->flags & ENG_HAS_NUM), hd = data && (c->flags & ENG_HAS_DEN);
    json_object_set_new(o, "numerator", jnum(hn, c->sup_num, c->num));
    json_object_set_new(o, "denominator", jnum(hd, c->sup_den, c->den));
    json_object_set_new(o, "value", jnum(hv, c->sup_value, c->value));
    json_object_set_new(o, "lower_95", jnum(hc, c->sup_value, c->lo95));
    json_object_set_new(o, "upper_95", jnum(hc, c->sup_value, c->hi95));
    json_object_set_new(o, "lower_99_8", jnum(hc, c->sup_value, c->lo998));
    json_object_set_new(o, "upper_99_8", jnum(hc, c->sup_value, c->hi998));
    json_object_set_new(o, "funnel_lower_95", jnum(hf, c->sup_den, c->f_lo95));
    json_object_set_new(o, "funnel_upper_95", jnum(hf, c->sup_den, c->f_hi95));
    json_object_set_new(o, "funnel_lower_99_8", jnum(hf, c->sup_den, c->f_lo998));
    json_object_set_new(o, "funnel_upper_99_8", jnum(hf, c->sup_den, c->f_hi998));
    json_object_set_new(o, "funnel", json_string(data ? eng_funnel(c) : ""));
    json_object_set_new(o, "target", target[0] ? json_string(target) : json_null());
    json_object_set_new(o, "status", json_string(row_status(run, r, p, g, so, bo)));
    json_object_set_new(o, "suppressed", json_boolean(sup));
    json_object_set_new(o, "reason", json_string(data ? sup_reason(c) : ""));
    json_object_set_new(o, "series_break", json_boolean(eng_series_break(run, r, p)));
    json_object_set_new(o, "estimate", json_string(eng_estimate(r, bo)));
    json_object_set_new(o, "population_year", data && r->pop_year && r->pop_year[p]
                                                  ? json_integer(r->pop_year[p])
                                                  : json_null());
    return o;
}

static void json_row(FILE *f, const struct eng_run *run, const struct row *w)
{
    json_t *o = eng_row_json(run, w->r, w->p, w->g, w->so, w->bo);
    if (!o)
        return;
    json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    fputc('\n', f);
    json_decref(o);
}

void eng_write_json(FILE *f, const struct eng_run *run, const struct eng_out_options *o)
{
    each_row(f, run, o, json_row);
}

static void table_value(FILE *f, const struct eng_cell *c, bool data)
{
    if (!data) {
        fprintf(f, "%10s  %-23s", "-", "(saknas)");
        return;
    }
    if (c->sup_value) {
        fprintf(f, "%10s  %-23s", "-", "(dolt)");
        return;
    }
    if (!(c->flags & ENG_HAS_VALUE)) {
        fprintf(f, "%10s  %-23s", "", "");
        return;
    }
    fprintf(f, "%10.1f  ", c->value);
    if (c->flags & ENG_HAS_CI) {
        char ci[48];
        snprintf(ci, sizeof ci, "(%.1f-%.1f)", c->lo95, c->hi95);
        fprintf(f, "%-23s", ci);
    } else {
        fprintf(f, "%-23s", "");
    }
}

void eng_write_table(FILE *f, const struct eng_run *run, const struct eng_out_options *o)
{
    if (!run->suppressed)
        fputs("EJ RÖJANDEKONTROLLERAT (--no-suppress): får inte publiceras, bara för arbete "
              "med uppgifter på personnivå\n", f);
    for (size_t i = 0; i < run->n; i++) {
        const struct eng_result *r = &run->results[i];
        const struct ind_def *d = r->def;
        if (o->headline_only && r->measure != d->target_measure)
            continue;
        for (int p = 0; p < r->nperiods; p++) {
            if (!period_shown(r, o, p))
                continue;
            char per[16];
            eng_period_text(r, p, per);
            char unit[64];
            ind_measure_unit(&d->measures[r->measure], true, unit, sizeof unit);
            fprintf(f, "\n%s\n  %s, %s (%s), %s; ", d->title_sv, d->id,
                    d->measures[r->measure].name, unit, per);
            if (d->has_target && d->target_measure == r->measure && d->target_base_year)
                fprintf(f, "målnivå %s%+g %% från %d; ", d->target_le ? "<=" : ">=", d->target,
                        d->target_base_year);
            else if (d->has_target && d->target_measure == r->measure)
                fprintf(f, "målnivå %s %g; ", d->target_le ? "<=" : ">=", d->target);
            fprintf(f, "%s är bättre\n", d->lower_is_better ? "lägre" : "högre");
            if (d->measures[r->measure].standardised && r->nband > 1)
                fputs("  alla åldrar åldersstandardiserat; åldersgrupperna ostandardiserade\n", f);
            if (eng_series_break(run, r, p))
                fprintf(f, "  version %d från %s: definitionen ändrades, serien bryts här\n",
                        d->version, per);
            fputs("  plats                  kön  ålder       värde  95 % KI                 "
                  "mot riket    status\n", f);
            for (size_t g = 0; g < r->ngeo; g++)
                for (int so = 0; so < 3; so++)
                    for (size_t bo = 0; bo < r->nband; bo++) {
                        if (!row_shown(r, o, p, g, so, bo))
                            continue;
                        const struct eng_cell *c = eng_cell(r, p, g, so, bo);
                        char band[24];
                        band_text(r, bo, band, sizeof band);
                        const char *st = row_status(run, r, p, g, so, bo);
                        fputs("  ", f);
                        /* pad by characters, not bytes (å, ä, ö) */
                        const char *name = eng_geo_name(r, run->snap, g);
                        int chars = 0;
                        for (const char *q = name; *q; q++)
                            chars += ((unsigned char)*q & 0xc0) != 0x80;
                        fprintf(f, "%s%*s %-4s %-6s ", name, chars < 22 ? 22 - chars : 0, "",
                                sex_text[so], band);
                        bool data = eng_period_has_data(r, run->snap, p);
                        table_value(f, c, data);
                        const char *fu = data ? eng_funnel(c) : "";
                        const char *cmp = strcmp(fu, "above_99_8") == 0   ? "över riket"
                                          : strcmp(fu, "below_99_8") == 0 ? "under riket"
                                          : strcmp(fu, "above_95") == 0   ? "(över)"
                                          : strcmp(fu, "below_95") == 0   ? "(under)"
                                                                          : "";
                        const char *stt = strcmp(st, "met") == 0       ? "uppnådd"
                                          : strcmp(st, "not_met") == 0 ? "ej uppnådd"
                                                                       : "";
                        /* pad by characters: the words hold å, ä, ö */
                        int w = 0;
                        for (const char *q = cmp; *q; q++)
                            w += ((unsigned char)*q & 0xc0) != 0x80;
                        fprintf(f, " %s%*s %s\n", cmp, w < 12 ? 12 - w : 0, "", stt);
                    }
        }
    }
}
