/* src/export/eng_fhir_report.c: result cubes as FHIR R4 MeasureReports in a
 * Bundle (eng_fhir.h).
 *
 * One MeasureReport per definition and valid period; one group per measure
 * with the nation's figures; one stratifier per combination of breakdowns
 * (eng_fhir_strats) with one stratum per published cell. The whole
 * catalogue over five years is some 70 000 strata, 120 MB of indented
 * JSON: eng_fhir_write_bundle() holds one MeasureReport at a time.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "export/eng_fhir_impl.h"
#include "disclosure/sup.h"

/* An element's data-absent-reason: {"extension":[{url, valueCode why}]}.
 * On a population it stands as "_count" (count is a primitive), on the
 * measureScore as the Quantity's only content. */
static json_t *absent(const char *why)
{
    return json_pack("{s:[{s:s, s:s}]}", "extension", "url", EF_EXT_ABSENT, "valueCode",
                     why);
}

/* Why cell c has no number for a population or score that has none
 * (docs/indicators.md, "Hidden and missing numbers"): masked when
 * disclosure control hides it; unknown when the period holds no data, or
 * knod has no such number for the cell; not-applicable when there is
 * nobody to take it over (a proportion, median or rate over none). */
static const char *why_absent(const struct eng_cell *c, bool nodata)
{
    if (nodata)
        return "unknown";
    if (sup_hidden(c))
        return "masked";
    if ((c->flags & ENG_HAS_DEN) && c->den == 0)
        return "not-applicable";
    return "unknown";
}

/* One population of cell c: its code, and its count unless the cell is
 * hidden or has no such number (then a data-absent-reason). A number that
 * is not a whole count (a ratio of care days) goes into
 * ENG_FHIR_EXT_AMOUNT instead, since population.count is an integer. */
static json_t *population(const struct ef_pop *p, const struct eng_cell *c, bool nodata)
{
    json_t *o = json_object();
    int bad = ef_set(o, "code", eng_fhir_cc(EF_CS_POPULATION, p->code, NULL, NULL));
    bool has = p->src == EF_NUM ? (c->flags & ENG_HAS_NUM) : (c->flags & ENG_HAS_DEN);
    double v = p->src == EF_NUM ? c->num : c->den;
    if (has && !sup_hidden(c) && !nodata) {
        if (v == floor(v) && fabs(v) <= 2147483647.0)
            bad |= ef_set(o, "count", json_integer((json_int_t)v));
        else
            bad |= ef_set(
                o, "extension",
                json_pack("[{s:s, s:f}]", "url", ENG_FHIR_EXT_AMOUNT, "valueDecimal", v));
    } else {
        bad |= ef_set(o, "_count", absent(nodata || sup_hidden(c) ? why_absent(c, nodata)
                                                                   : "unknown"));
    }
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The figures of cell c into o (a group or a stratum): the suppression
 * extension, the populations and the measureScore; nodata: the period
 * holds no data (eng_period_has_data), so nothing is a count. */
static int figures(json_t *o, const struct ind_measure *m, const struct eng_cell *c,
                   bool nodata)
{
    int bad = 0;
    if (sup_hidden(c) && !nodata)
        bad |= ef_set(o, "extension",
                      json_pack("[{s:s, s:s}]", "url", ENG_FHIR_EXT_SUPPRESSED,
                                "valueCode", sup_reason(c)));
    struct ef_pop p[EF_MAX_POPS];
    size_t np = eng_fhir_pops(m, p);
    json_t *pops = json_array();
    for (size_t i = 0; i < np; i++)
        if (p[i].src != EF_NONE)
            bad |= ef_push(pops, population(&p[i], c, nodata));
    bad |= ef_set(o, "population", pops);
    if (!sup_hidden(c) && !nodata && (c->flags & ENG_HAS_VALUE))
        bad |= ef_set(o, "measureScore", eng_fhir_quantity(m, c->value));
    else
        bad |= ef_set(o, "measureScore", absent(why_absent(c, nodata)));
    return bad;
}

static json_t *dim_value(const struct eng_run *run, const struct eng_result *r,
                         const char *dim, size_t g, int so, size_t bo)
{
    if (strcmp(dim, "sex") == 0)
        return so == 1 ? eng_fhir_cc(EF_CS_GENDER, "female", "Female", "F")
                       : eng_fhir_cc(EF_CS_GENDER, "male", "Male", "M");
    char sys[96], band[24];
    snprintf(sys, sizeof sys, "%s/CodeSystem/%s", ENG_FHIR_BASE, dim);
    if (strcmp(dim, "age-band") == 0) {
        snprintf(band, sizeof band, "%d-%d", r->def->bands[bo - 1].lo,
                 r->def->bands[bo - 1].hi);
        return eng_fhir_cc(sys, band, NULL, band);
    }
    return eng_fhir_cc(sys, eng_geo_code(r, run->snap, g), eng_geo_name(r, run->snap, g),
                       NULL);
}

static json_t *stratum(const struct eng_run *run, const struct eng_result *r,
                       struct ef_strat st, int p, size_t g, int so, size_t bo)
{
    const struct ind_measure *m = &r->def->measures[r->measure];
    const char *dims[3];
    size_t n = eng_fhir_strat_dims(r->def, st, dims);
    json_t *s = json_object();
    int bad = 0;
    if (n == 1) {
        bad |= ef_set(s, "value", dim_value(run, r, dims[0], g, so, bo));
    } else {
        json_t *comps = json_array();
        for (size_t i = 0; i < n; i++)
            bad |=
                ef_push(comps, json_pack("{s:o, s:o}", "code", eng_fhir_dim_code(dims[i]),
                                         "value", dim_value(run, r, dims[i], g, so, bo)));
        bad |= ef_set(s, "component", comps);
    }
    bad |= figures(s, m, eng_cell(r, p, g, so, bo), false);
    if (bad) {
        json_decref(s);
        return NULL;
    }
    return s;
}

/* The strata of stratifier st in period p: an array, empty when no cell
 * of that shape is published. */
static json_t *strata(const struct eng_run *run, const struct eng_result *r,
                      struct ef_strat st, int p, const struct eng_out_options *o)
{
    json_t *a = json_array();
    int bad = 0;
    for (size_t g = 0; g < r->ngeo; g++) {
        if ((int)eng_geo_level(r, g) != st.level)
            continue;
        for (int so = st.sex ? 1 : 0; so <= (st.sex ? 2 : 0); so++)
            for (size_t bo = st.band ? 1 : 0; bo < (st.band ? r->nband : 1); bo++)
                if (eng_row_shown(r, o, p, g, so, bo))
                    bad |= ef_push(a, stratum(run, r, st, p, g, so, bo));
    }
    if (bad) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static json_t *group(const struct eng_run *run, const struct eng_result *r, int p,
                     const struct eng_out_options *o)
{
    const struct ind_measure *m = &r->def->measures[r->measure];
    json_t *g = json_object();
    int bad = ef_set(g, "code", eng_fhir_group_code(m));
    /* a period without data: the nation's figures unknown, and no strata */
    bool nodata = !eng_period_has_data(r, run->snap, p);
    bad |= figures(g, m, eng_cell(r, p, 0, 0, 0), nodata);
    /* figures() may have put "extension" after "code"; FHIR does not mind. */
    if (!bad && !nodata && r->pop_year && r->pop_year[p]) {
        /* a rate: the year of the population it is over */
        json_t *ext = json_object_get(g, "extension");
        if (!ext)
            bad |= ef_set(g, "extension", ext = json_array());
        bad |= !ext || ef_push(ext, json_pack("{s:s, s:i}", "url", ENG_FHIR_EXT_POP_YEAR,
                                             "valuePositiveInt", r->pop_year[p]));
    }
    struct ef_strat st[EF_MAX_STRATS];
    size_t ns = nodata ? 0 : eng_fhir_strats(r->def, o->dims & r->def->dims, st);
    json_t *strats = json_array();
    for (size_t i = 0; i < ns; i++) {
        json_t *a = strata(run, r, st[i], p, o);
        if (a && json_array_size(a) == 0) {
            json_decref(a);
            continue;
        }
        bad |= ef_push(strats, json_pack("{s:o, s:o}", "code",
                                         eng_fhir_strat_codes(r->def, st[i]), "stratum", a));
    }
    if (json_array_size(strats))
        bad |= ef_set(g, "stratifier", strats);
    else
        json_decref(strats);
    if (bad) {
        json_decref(g);
        return NULL;
    }
    return g;
}

/* The first and last day of period p as "YYYY-MM-DD". */
static void report_days(const struct eng_result *r, int p, char start[11], char end[11])
{
    int m0 = r->first_month + p * r->months_per_period;
    int m1 = m0 + r->months_per_period; /* the next period's first month */
    date_format(date_from_ymd(m0 / 12, m0 % 12 + 1, 1), start);
    date_format(date_from_ymd(m1 / 12, m1 % 12 + 1, 1) - 1, end);
}

json_t *eng_fhir_report(const struct eng_run *run, size_t result_index, int p,
                        const struct eng_out_options *o)
{
    assert(result_index < run->n);
    const struct eng_result *r0 = &run->results[result_index];
    const struct ind_def *d = r0->def;
    assert(p >= 0 && p < r0->nperiods && r0->period_valid[p]);
    char id[160], per[16], canon[192], url[160], start[11], end[11];
    eng_period_text(r0, p, per);
    /* figures without disclosure control get ids of their own, so that a
     * system updating by id never takes them for the published ones */
    size_t l = (size_t)snprintf(id, sizeof id, "%s",
                                run->suppressed ? "" : ENG_FHIR_UNSUPPRESSED);
    eng_fhir_id(d, id + l, sizeof id - l);
    l = strlen(id);
    snprintf(id + l, sizeof id - l, "-%s", per);
    eng_fhir_url(o->fhir_base, d->id, url, sizeof url);
    snprintf(canon, sizeof canon, "%s|%d", url, d->version);
    report_days(r0, p, start, end);
    json_t *mr =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "resourceType",
                  "MeasureReport", "id", id, "status", "complete", "type", "summary",
                  "measure", canon, "period", "start", start, "end", end);
    int bad = mr == NULL;
    if (!run->suppressed)
        bad |= ef_set(mr, "meta", eng_fhir_restricted());
    if (o->fhir_date)
        bad |= ef_set(mr, "date", json_string(o->fhir_date));
    /* who reports: the indicator's owner, the Measure's publisher */
    bad |= ef_set(mr, "reporter", json_pack("{s:s, s:s}", "type", "Organization",
                                            "display", d->owner));
    bad |= ef_set(mr, "improvementNotation",
                  eng_fhir_cc(EF_CS_IMPROVEMENT,
                              d->lower_is_better ? "decrease" : "increase", NULL, NULL));
    json_t *groups = json_array();
    for (size_t j = 0; j < run->n; j++) {
        const struct eng_result *r = &run->results[j];
        if (r->def != d || (o->headline_only && r->measure != d->target_measure))
            continue;
        if (p < r->nperiods && r->period_valid[p])
            bad |= ef_push(groups, group(run, r, p, o));
    }
    bad |= ef_set(mr, "group", groups);
    if (bad) {
        json_decref(mr);
        return NULL;
    }
    return mr;
}

/* The Bundle entry of the report of results[i] in period p. */
static json_t *entry(const struct eng_run *run, size_t i, int p,
                     const struct eng_out_options *o)
{
    json_t *mr = eng_fhir_report(run, i, p, o);
    char full[256];
    snprintf(full, sizeof full, "%s/MeasureReport/%s",
             o->fhir_base ? o->fhir_base : ENG_FHIR_BASE,
             mr ? json_string_value(json_object_get(mr, "id")) : "");
    return json_pack("{s:s, s:o}", "fullUrl", full, "resource", mr);
}

/* The Bundle entry of definition d's Measure (o->fhir_measures), so that
 * its reports' `measure` resolves inside the Bundle. */
static json_t *measure_entry(const struct ind_def *d, const struct eng_out_options *o)
{
    json_t *m = eng_fhir_measure(d, o->fhir_base);
    char full[256];
    snprintf(full, sizeof full, "%s/Measure/%s", o->fhir_base ? o->fhir_base : ENG_FHIR_BASE,
             m ? json_string_value(json_object_get(m, "id")) : "");
    return json_pack("{s:s, s:o}", "fullUrl", full, "resource", m);
}

json_t *eng_fhir_bundle(const struct eng_run *run, const struct eng_out_options *o)
{
    json_t *b = json_pack("{s:s, s:s}", "resourceType", "Bundle", "type", "collection");
    json_t *entries = json_array();
    int bad = b == NULL;
    if (!run->suppressed)
        bad |= ef_set(b, "meta", eng_fhir_restricted());
    for (size_t i = 0; i < run->n && !bad; i++) {
        const struct eng_result *r = &run->results[i];
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen |= run->results[j].def == r->def;
        if (!seen && o->fhir_measures)
            bad |= ef_push(entries, measure_entry(r->def, o));
        for (int p = 0; !seen && p < r->nperiods && !bad; p++)
            if (eng_period_shown(r, o, p))
                bad |= ef_push(entries, entry(run, i, p, o));
    }
    bad |= ef_set(b, "entry", entries);
    if (bad) {
        json_decref(b);
        return NULL;
    }
    return b;
}

/* json_dump_callback() sink that indents every line by two more spaces, so
 * that an entry dumped on its own reads as it would inside the Bundle. */
struct sink {
    FILE *f;
};

static int indented(const char *buf, size_t size, void *data)
{
    FILE *f = ((struct sink *)data)->f;
    for (size_t i = 0; i < size; i++)
        if (fputc(buf[i], f) == EOF || (buf[i] == '\n' && fputs("  ", f) == EOF))
            return -1;
    return 0;
}

/* The same, by one space: a member of the Bundle's frame. */
static int indented1(const char *buf, size_t size, void *data)
{
    FILE *f = ((struct sink *)data)->f;
    for (size_t i = 0; i < size; i++)
        if (fputc(buf[i], f) == EOF || (buf[i] == '\n' && fputc(' ', f) == EOF))
            return -1;
    return 0;
}

json_t *eng_fhir_restricted(void)
{
    return json_pack("{s:[{s:s, s:s, s:s}]}", "security", "system",
                     "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code", "R",
                     "display", "restricted");
}

/* The Bundle is written one entry at a time: the whole catalogue is some
 * 120 MB of JSON, and a jansson tree of it ten times that. The frame is
 * fixed text; every entry is jansson's, indented as json_dumpf() would
 * indent the whole eng_fhir_bundle(), so the bytes are the same. */
int eng_fhir_write_bundle(FILE *f, const struct eng_run *run,
                          const struct eng_out_options *o, struct kn_error *err)
{
    struct sink sink = {f};
    bool first = true;
    int bad =
        fputs("{\n \"resourceType\": \"Bundle\",\n \"type\": \"collection\",\n", f) == EOF;
    if (!bad && !run->suppressed) {
        json_t *meta = eng_fhir_restricted();
        bad = !meta || fputs(" \"meta\": ", f) == EOF ||
              json_dump_callback(meta, indented1, &sink, JSON_INDENT(1)) != 0 ||
              fputs(",\n", f) == EOF;
        json_decref(meta);
    }
    bad = bad || fputs(" \"entry\": [", f) == EOF;
    for (size_t i = 0; i < run->n && !bad; i++) {
        const struct eng_result *r = &run->results[i];
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen |= run->results[j].def == r->def;
        /* p = -1: the definition's Measure, with o->fhir_measures */
        for (int p = o->fhir_measures ? -1 : 0; !seen && p < r->nperiods && !bad; p++) {
            if (p >= 0 && !eng_period_shown(r, o, p))
                continue;
            json_t *e = p < 0 ? measure_entry(r->def, o) : entry(run, i, p, o);
            if (!e)
                return kn_fail(err, KN_ENOMEM, "out of memory building the FHIR Bundle");
            bad = fputs(first ? "\n  " : ",\n  ", f) == EOF ||
                  json_dump_callback(e, indented, &sink, JSON_INDENT(1)) != 0;
            json_decref(e);
            first = false;
        }
    }
    if (!bad)
        bad = fputs(first ? "]\n}\n" : "\n ]\n}\n", f) == EOF;
    return bad ? kn_fail(err, KN_EIO, "cannot write the FHIR Bundle") : 0;
}
