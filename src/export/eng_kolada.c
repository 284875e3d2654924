/* src/export/eng_kolada.c: headline results as Kolada-shaped JSON
 * (eng_kolada.h). One entry per indicator, place and year; a few thousand
 * entries for the whole catalogue, built in memory and written at once. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "export/eng_kolada.h"
#include "disclosure/sup.h"

static int set(json_t *o, const char *k, json_t *v)
{
    return json_object_set_new(o, k, v) != 0;
}

/* Kolada's id of place g, or false when it has none. */
static bool place_id(const struct eng_run *run, const struct eng_result *r, size_t g,
                     char out[8])
{
    const char *code = eng_geo_code(r, run->snap, g);
    switch (eng_geo_level(r, g)) {
    case ENG_GEO_NATION:
        snprintf(out, 8, "0000");
        return true;
    case ENG_GEO_REGION:
        snprintf(out, 8, "00%.2s", code);
        return strlen(code) == 2;
    case ENG_GEO_FINE:
        if (r->def->geo_unit)
            return false;
        snprintf(out, 8, "%.4s", code);
        return strlen(code) == 4;
    case ENG_GEO_HC:
        return false;
    }
    return false;
}

static json_t *number(double v)
{
    if (v == floor(v) && fabs(v) < 9007199254740992.0)
        return json_integer((json_int_t)v);
    return json_real(v);
}

/* A value as Kolada gives it: rounded to ENG_KOLADA_DECIMALS decimals,
 * half away from zero (the full value is in the CSV, JSON and FHIR). */
static double rounded(double v)
{
    double k = pow(10, ENG_KOLADA_DECIMALS);
    return round(v * k) / k;
}

/* The value of cell c for sex; nodata: the period holds none of the data
 * (eng_period_has_data), so the cell's zeros are no counts. */
static json_t *value(const struct eng_result *r, const struct eng_cell *c, int sex,
                     bool nodata)
{
    static const char *const gender[] = {"T", "K", "M"};
    enum ind_measure_kind k = r->def->measures[r->measure].kind;
    bool den = k == IND_M_MEDIAN_TO || k == IND_M_MEDIAN_DUR || k == IND_M_SUM ||
               !(c->flags & ENG_HAS_NUM);
    bool has_count = den ? (c->flags & ENG_HAS_DEN) : (c->flags & ENG_HAS_NUM);
    bool h = sup_hidden(c) && !nodata, has_value = (c->flags & ENG_HAS_VALUE) && !nodata;
    has_count = has_count && !nodata;
    json_t *o = json_object();
    int bad = set(o, "gender", json_string(gender[sex]));
    bad |= set(o, "value", !h && has_value ? json_real(rounded(c->value)) : json_null());
    bad |= set(o, "count", !h && has_count ? number(den ? c->den : c->num) : json_null());
    bad |= set(o, "status", h ? json_sprintf("suppressed:%s", sup_reason(c))
                              : json_string(has_value ? "" : "missing"));
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The entry of result r, period p, place g; NULL with *bad unset when no
 * cell of it is published. */
static json_t *entry(const struct eng_run *run, const struct eng_result *r, int p,
                     size_t g, const struct eng_out_options *o, int *bad)
{
    char id[8];
    if (!place_id(run, r, g, id))
        return NULL;
    json_t *vals = json_array();
    bool nodata = !eng_period_has_data(r, run->snap, p);
    for (int so = 0; so < 3; so++)
        if (eng_row_shown(r, o, p, g, so, 0))
            *bad |= json_array_append_new(
                        vals, value(r, eng_cell(r, p, g, so, 0), so, nodata)) != 0;
    if (json_array_size(vals) == 0) {
        json_decref(vals);
        return NULL;
    }
    int year = (r->first_month + p * r->months_per_period) / 12;
    char kpi[96];
    snprintf(kpi, sizeof kpi, "%s%s", run->suppressed ? "" : ENG_KOLADA_UNSUPPRESSED,
             r->def->id);
    json_t *e = json_pack("{s:s, s:s, s:i, s:o}", "kpi", kpi, "municipality", id, "period",
                          year, "values", vals);
    *bad |= e == NULL;
    return e;
}

json_t *eng_kolada_values(const struct eng_run *run, const struct eng_out_options *o,
                          size_t *skipped)
{
    json_t *values = json_array();
    int bad = values == NULL;
    size_t skip = 0;
    for (size_t i = 0; i < run->n && !bad; i++) {
        const struct eng_result *r = &run->results[i];
        if (r->measure != r->def->target_measure)
            continue;
        if (r->period != PERIOD_YEAR) {
            skip++;
            continue;
        }
        for (int p = 0; p < r->nperiods && !bad; p++)
            for (size_t g = 0; g < r->ngeo && !bad; g++) {
                json_t *e = entry(run, r, p, g, o, &bad);
                if (e)
                    bad |= json_array_append_new(values, e) != 0;
            }
    }
    if (skipped)
        *skipped = skip;
    json_t *doc = json_object();
    if (!run->suppressed) /* not for publication: said first */
        bad |= set(doc, "disclosure_control", json_string("none"));
    size_t n = json_array_size(values);
    bad |= set(doc, "values", values);
    bad |= set(doc, "count", json_integer((json_int_t)n)); /* Kolada's order */
    if (bad) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

int eng_kolada_write(FILE *f, const struct eng_run *run, const struct eng_out_options *o,
                     size_t *skipped, struct kn_error *err)
{
    json_t *doc = eng_kolada_values(run, o, skipped);
    if (!doc)
        return kn_fail(err, KN_ENOMEM, "out of memory building the Kolada values");
    /* 15 significant digits: a rounded value prints as it is (12.3, not
     * 12.300000000000001) */
    int rc = json_dumpf(doc, f, JSON_INDENT(1) | JSON_REAL_PRECISION(15)) != 0 ||
             fputc('\n', f) == EOF;
    json_decref(doc);
    return rc ? kn_fail(err, KN_EIO, "cannot write the Kolada values") : 0;
}
