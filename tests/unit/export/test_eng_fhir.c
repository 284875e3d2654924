/* tests/unit/export/test_eng_fhir.c: the FHIR and Kolada exports
 * (src/export/eng_fhir*.c, eng_kolada.c) on a store small enough to know
 * every number: 10 women in Danderyd (0162) and 2 men in Stockholm (0180),
 * one self-harm act each in March 2024, disclosure control with
 * min_count 5. The men's 2 are hidden (count), the women's 10 with them
 * (complementary), the total 12 stays. Also: the Measure of a definition
 * that is not shipped (its criteria fall back to the description), `valid`
 * as effectivePeriod, quarters as report periods and their absence from
 * Kolada, and that the streamed Bundle is byte for byte the tree's dump.
 * (tests/integration/cli_indicators_fhir.sh checks the whole catalogue
 * against the CSV.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "export/eng_fhir.h"
#include "export/eng_kolada.h"
#include "disclosure/sup.h"

/* The fixture is header-only and this test needs only part of it. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "eng_fixture.h"
#pragma GCC diagnostic pop

static const char defs[] =
    EFX_HDR("t-fhir") "from act\nperiod year of start\nyears 2024-2024\ngeo person\n"
                      "valid 2020-01-01 .. 2030-01-01\n"
                      "breakdown region, municipality, sex\nmeasure acts count events\n"
                      "measure persons count persons\ntarget <= 3 for persons\n"
    EFX_HDR("t-quarter") "from act\nperiod quarter of start\nyears 2024-2024\n"
                         "breakdown region\nmeasure acts count events\n"
    /* 2025 holds none of the data (the acts are in March 2024) */
    EFX_HDR("t-rate") "from act\nperiod year of start\nyears 2024-2025\ngeo person\n"
                      "breakdown region, sex\n"
                      "measure rate count events per 100000 population\n";

static void build(struct efx *f, struct eng_run *run)
{
    for (int i = 1; i <= 12; i++) {
        efx_person(f, i, 2006, i <= 10 ? 'F' : 'M', i <= 10 ? "0162" : "0180", NULL);
        efx_act(f, i, T(2024, 3, i, 12, 0, 0));
    }
    efx_parse(f, defs);
    efx_run(f, run);
    struct sup_rules rules = { 5, 10 };
    sup_apply(run, &rules);
}

static json_t *get(json_t *o, const char *path)
{
    /* "a.0.b": object keys and array indexes */
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *tok = strtok(buf, "."); o && tok; tok = strtok(NULL, "."))
        o = json_is_array(o) ? json_array_get(o, strtoul(tok, NULL, 10))
                             : json_object_get(o, tok);
    return o;
}

static const char *str(json_t *o, const char *path)
{
    const char *s = json_string_value(get(o, path));
    return s ? s : "(none)";
}

/* The stratum of stratifier `code` whose (first) value has `value`. */
static json_t *stratum(json_t *group, const char *code, const char *value)
{
    json_t *s, *st;
    size_t i, j;
    json_array_foreach(json_object_get(group, "stratifier"), i, s)
    {
        if (strcmp(str(s, "code.0.coding.0.code"), code) != 0)
            continue;
        json_array_foreach(json_object_get(s, "stratum"), j, st)
        if (strcmp(str(st, "value.coding.0.code"), value) == 0)
            return st;
    }
    fail_msg("no stratum %s = %s", code, value);
    return NULL;
}

#define DAR "http://hl7.org/fhir/StructureDefinition/data-absent-reason"

/* The data-absent-reason on population pop's count, or "(none)". */
static const char *absent(json_t *o, const char *pop)
{
    json_t *p;
    size_t i;
    json_array_foreach(json_object_get(o, "population"), i, p)
    if (strcmp(str(p, "code.coding.0.code"), pop) == 0) {
        if (strcmp(str(p, "_count.extension.0.url"), DAR) != 0)
            return "(none)";
        return str(p, "_count.extension.0.valueCode");
    }
    return "(none)";
}

static size_t result_of(const struct eng_run *run, const char *id)
{
    size_t q = 0;
    while (q < run->n && strcmp(run->results[q].def->id, id) != 0)
        q++;
    assert_true(q < run->n);
    return q;
}

static json_int_t count(json_t *o, const char *pop)
{
    json_t *p;
    size_t i;
    json_array_foreach(json_object_get(o, "population"), i, p)
    if (strcmp(str(p, "code.coding.0.code"), pop) == 0) {
        json_t *c = json_object_get(p, "count");
        return c ? json_integer_value(c) : -1;
    }
    return -2;
}

static void test_report(void **state)
{
    struct efx *f = *state;
    struct eng_run run;
    build(f, &run);
    struct eng_out_options o = { .geo_level = -1 };
    json_t *mr = eng_fhir_report(&run, 0, 0, &o);
    assert_non_null(mr);
    assert_string_equal(str(mr, "resourceType"), "MeasureReport");
    assert_string_equal(str(mr, "id"), "t-fhir-v1-2024");
    assert_string_equal(str(mr, "measure"), "https://knod.se/fhir/Measure/t-fhir|1");
    assert_string_equal(str(mr, "period.start"), "2024-01-01");
    assert_string_equal(str(mr, "period.end"), "2024-12-31");
    assert_int_equal(json_array_size(json_object_get(mr, "group")), 2);
    json_t *g = get(mr, "group.0");
    assert_string_equal(str(g, "code.text"), "acts");
    assert_int_equal(count(g, "initial-population"), 12);
    assert_true(json_real_value(get(g, "measureScore.value")) == 12.0);
    /* men: 2, hidden; women: 10, hidden with them; no number at all */
    json_t *m = stratum(g, "sex", "male"), *w = stratum(g, "sex", "female");
    assert_string_equal(str(m, "extension.0.valueCode"), "count");
    assert_string_equal(str(w, "extension.0.valueCode"), "complementary");
    assert_int_equal(count(m, "initial-population"), -1);
    assert_int_equal(count(w, "initial-population"), -1);
    /* ... but a data-absent-reason, masked, on the count and the score */
    assert_string_equal(absent(m, "initial-population"), "masked");
    assert_string_equal(absent(w, "initial-population"), "masked");
    assert_string_equal(str(m, "measureScore.extension.0.url"), DAR);
    assert_string_equal(str(m, "measureScore.extension.0.valueCode"), "masked");
    assert_null(get(m, "measureScore.value"));
    assert_null(get(w, "measureScore.value"));
    /* places: region 01 (12 shown), municipality 0180 hidden */
    json_t *r01 = stratum(g, "region", "01");
    assert_int_equal(count(r01, "initial-population"), 12);
    assert_string_equal(str(r01, "value.coding.0.system"),
                        "https://knod.se/fhir/CodeSystem/region");
    assert_string_equal(str(stratum(g, "municipality", "0180"), "extension.0.valueCode"),
                        "count");
    json_decref(mr);

    /* quarters: the report of Q1 */
    size_t q = 0;
    while (q < run.n && strcmp(run.results[q].def->id, "t-quarter") != 0)
        q++;
    assert_true(q < run.n && run.results[q].nperiods == 4);
    mr = eng_fhir_report(&run, q, 0, &o);
    assert_string_equal(str(mr, "id"), "t-quarter-v1-2024-Q1");
    assert_string_equal(str(mr, "period.end"), "2024-03-31");
    json_decref(mr);

    /* without disclosure control the men's 2 are there */
    struct eng_run raw;
    efx_run(f, &raw);
    mr = eng_fhir_report(&raw, 0, 0, &o);
    m = stratum(get(mr, "group.0"), "sex", "male");
    assert_int_equal(count(m, "initial-population"), 2);
    assert_null(json_object_get(m, "extension"));
    json_decref(mr);
    eng_run_free(&raw);
    eng_run_free(&run);
}

static void test_bundle_stream(void **state)
{
    struct efx *f = *state;
    struct eng_run run;
    build(f, &run);
    struct eng_out_options o = { .geo_level = -1 };
    char *streamed = NULL;
    size_t len = 0;
    FILE *mf = open_memstream(&streamed, &len);
    assert_non_null(mf);
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(eng_fhir_write_bundle(mf, &run, &o, &err), 0);
    fclose(mf);
    json_t *b = eng_fhir_bundle(&run, &o);
    /* 1 year of t-fhir + 4 quarters of t-quarter + 2 years of t-rate */
    assert_int_equal(json_array_size(json_object_get(b, "entry")), 7);
    assert_string_equal(str(b, "entry.0.fullUrl"),
                        "https://knod.se/fhir/MeasureReport/t-fhir-v1-2024");
    char *tree = json_dumps(b, JSON_INDENT(1));
    assert_non_null(tree);
    assert_int_equal(len, strlen(tree) + 1);
    assert_memory_equal(streamed, tree, strlen(tree));
    free(tree);
    free(streamed);
    json_decref(b);
    eng_run_free(&run);
}

static void test_kolada(void **state)
{
    struct efx *f = *state;
    struct eng_run run;
    build(f, &run);
    struct eng_out_options o = { .geo_level = -1 };
    size_t skipped = 0;
    json_t *doc = eng_kolada_values(&run, &o, &skipped);
    assert_non_null(doc);
    assert_int_equal(skipped, 1); /* t-quarter */
    json_t *e, *nation = NULL, *r01 = NULL, *m0180 = NULL;
    size_t i;
    json_array_foreach(json_object_get(doc, "values"), i, e)
    {
        if (strcmp(str(e, "kpi"), "t-rate") == 0)
            continue;
        assert_string_equal(str(e, "kpi"), "t-fhir");
        assert_int_equal(json_integer_value(get(e, "period")), 2024);
        const char *id = str(e, "municipality");
        assert_int_equal(strlen(id), 4);
        if (strcmp(id, "0000") == 0)
            nation = e;
        else if (strcmp(id, "0001") == 0)
            r01 = e;
        else if (strcmp(id, "0180") == 0)
            m0180 = e;
    }
    assert_non_null(nation);
    assert_non_null(r01);
    assert_non_null(m0180);
    /* headline = persons (the target's measure): T 12, K and M hidden */
    assert_string_equal(str(nation, "values.0.gender"), "T");
    assert_int_equal(json_integer_value(get(nation, "values.0.count")), 12);
    assert_true(json_number_value(get(nation, "values.0.value")) == 12.0);
    assert_string_equal(str(nation, "values.0.status"), "");
    assert_string_equal(str(nation, "values.1.gender"), "K");
    assert_true(json_is_null(get(nation, "values.1.value")));
    assert_true(json_is_null(get(nation, "values.1.count")));
    assert_string_equal(str(nation, "values.1.status"), "suppressed:complementary");
    assert_string_equal(str(nation, "values.2.gender"), "M");
    assert_string_equal(str(nation, "values.2.status"), "suppressed:count");
    assert_string_equal(str(m0180, "values.0.status"), "suppressed:count");
    json_decref(doc);
    eng_run_free(&run);
}

static void test_measure(void **state)
{
    struct efx *f = *state;
    efx_parse(f, defs);
    json_t *m = eng_fhir_measure(&f->cat.defs[0], NULL);
    assert_non_null(m);
    assert_string_equal(str(m, "id"), "t-fhir-v1");
    assert_string_equal(str(m, "name"), "TFhir");
    assert_string_equal(str(m, "status"), "active");
    assert_string_equal(str(m, "effectivePeriod.start"), "2020-01-01");
    assert_string_equal(str(m, "effectivePeriod.end"), "2029-12-31");
    assert_string_equal(str(m, "scoring.coding.0.code"), "cohort");
    assert_string_equal(str(m, "improvementNotation.coding.0.code"), "decrease");
    /* not shipped: the description stands in for the statements */
    assert_string_equal(str(m, "group.0.population.0.criteria.language"), "text/plain");
    assert_string_equal(str(m, "group.0.population.0.criteria.expression"), "t");
    /* the target is on the persons group */
    assert_null(get(m, "group.0.extension.1"));
    assert_string_equal(str(m, "group.1.extension.1.url"),
                        "https://knod.se/fhir/StructureDefinition/target");
    assert_string_equal(str(m, "group.1.extension.1.extension.0.valueCode"), "<=");
    /* stratifiers: sex; region, region+sex; healthcare region ...; municipality */
    assert_string_equal(str(m, "group.0.stratifier.0.code.coding.0.code"), "sex");
    assert_string_equal(str(m, "group.0.stratifier.0.id"), "sex");
    json_t *s;
    size_t i, n = 0;
    json_array_foreach(get(m, "group.0.stratifier"), i, s)
    {
        n += strcmp(str(s, "id"), "municipality+sex") == 0 &&
             json_array_size(json_object_get(s, "component")) == 2;
        /* mea-1: a single criteria (with its code) xor components */
        bool one = get(s, "code") || get(s, "criteria") || get(s, "description");
        assert_true(one != (get(s, "component") != NULL));
    }
    assert_int_equal(n, 1);
    json_decref(m);
    /* no `valid`: no effectivePeriod */
    m = eng_fhir_measure(&f->cat.defs[1], NULL);
    assert_null(json_object_get(m, "effectivePeriod"));
    json_decref(m);
}

/* A period that holds none of the data (2025: the acts are in March 2024)
 * is no complete zero: every number of the nation's group is "unknown",
 * there are no strata, and Kolada says "missing" with value and count
 * null. 2024 has its counts. */
static void test_period_without_data(void **state)
{
    struct efx *f = *state;
    struct eng_run run;
    build(f, &run);
    size_t q = result_of(&run, "t-rate");
    assert_int_equal(run.results[q].nperiods, 2);
    assert_true(eng_period_has_data(&run.results[q], run.snap, 0));
    assert_false(eng_period_has_data(&run.results[q], run.snap, 1));
    struct eng_out_options o = { .geo_level = -1 };
    json_t *mr = eng_fhir_report(&run, q, 1, &o);
    assert_string_equal(str(mr, "id"), "t-rate-v1-2025");
    json_t *g = get(mr, "group.0");
    assert_int_equal(count(g, "initial-population"), -1);
    assert_string_equal(absent(g, "initial-population"), "unknown");
    assert_string_equal(absent(g, "numerator"), "unknown");
    assert_string_equal(absent(g, "denominator"), "unknown");
    assert_string_equal(str(g, "measureScore.extension.0.valueCode"), "unknown");
    assert_null(get(g, "measureScore.value"));
    assert_null(json_object_get(g, "stratifier"));
    assert_null(json_object_get(g, "extension")); /* not "suppressed" */
    json_decref(mr);
    mr = eng_fhir_report(&run, q, 0, &o); /* 2024: 12 acts */
    assert_int_equal(count(get(mr, "group.0"), "initial-population"), 12);
    assert_non_null(get(mr, "group.0.measureScore.value"));
    json_decref(mr);

    json_t *doc = eng_kolada_values(&run, &o, NULL), *e;
    size_t i, n2025 = 0;
    json_array_foreach(json_object_get(doc, "values"), i, e)
    {
        if (strcmp(str(e, "kpi"), "t-rate") != 0 || json_integer_value(get(e, "period")) != 2025)
            continue;
        n2025++;
        json_t *v;
        size_t j;
        json_array_foreach(json_object_get(e, "values"), j, v)
        {
            assert_true(json_is_null(json_object_get(v, "value")));
            assert_true(json_is_null(json_object_get(v, "count")));
            assert_string_equal(str(v, "status"), "missing");
        }
    }
    assert_true(n2025 > 0);
    json_decref(doc);
    eng_run_free(&run);
}

/* Kolada: the top-level count is the number of entries, as in Kolada's
 * API v2; values are rounded to one decimal, half away from zero. */
static void test_kolada_count_and_rounding(void **state)
{
    struct efx *f = *state;
    struct eng_run run;
    build(f, &run);
    struct eng_out_options o = { .geo_level = -1 };
    json_t *doc = eng_kolada_values(&run, &o, NULL);
    assert_non_null(doc);
    assert_true(json_is_integer(json_object_get(doc, "count")));
    assert_int_equal(json_integer_value(json_object_get(doc, "count")),
                     json_array_size(json_object_get(doc, "values")));
    const struct eng_result *r = &run.results[result_of(&run, "t-rate")];
    double raw = eng_cell(r, 0, 0, 0, 0)->value;
    assert_true(raw * 10 != round(raw * 10)); /* the raw rate has more digits */
    json_t *e;
    size_t i, seen = 0;
    json_array_foreach(json_object_get(doc, "values"), i, e)
    if (strcmp(str(e, "kpi"), "t-rate") == 0 && strcmp(str(e, "municipality"), "0000") == 0 &&
        json_integer_value(get(e, "period")) == 2024) {
        seen++;
        assert_true(json_real_value(get(e, "values.0.value")) == round(raw * 10) / 10);
    }
    assert_int_equal(seen, 1);
    /* written with 15 digits: "x.y", not x.y00000000000001 */
    char *text = NULL;
    size_t len = 0;
    FILE *mf = open_memstream(&text, &len);
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(eng_kolada_write(mf, &run, &o, NULL, &err), 0);
    fclose(mf);
    char want[64];
    snprintf(want, sizeof want, "\"value\": %.1f,", round(raw * 10) / 10);
    if (!strstr(text, want))
        fail_msg("'%s' not in the Kolada text", want);
    free(text);
    json_decref(doc);
    eng_run_free(&run);
}

/* The canonical base (knod.ini [fhir] canonical_base) moves the Measure's
 * url, the report's measure and the fullUrls, not knod's own code systems;
 * reports carry date and reporter; with fhir_measures the Bundle holds the
 * Measure before its reports, so that `measure` resolves inside it. */
static void test_canonical_base_and_measures(void **state)
{
    struct efx *f = *state;
    struct eng_run run;
    build(f, &run);
    struct eng_out_options o = { .geo_level = -1, .fhir_base = "https://stats.example.org/fhir",
                                 .fhir_date = "2025-02-03T04:05:06Z", .fhir_measures = true };
    json_t *mr = eng_fhir_report(&run, 0, 0, &o);
    assert_string_equal(str(mr, "measure"), "https://stats.example.org/fhir/Measure/t-fhir|1");
    assert_string_equal(str(mr, "date"), "2025-02-03T04:05:06Z");
    assert_string_equal(str(mr, "reporter.display"), "t"); /* the owner */
    assert_string_equal(str(mr, "reporter.type"), "Organization");
    assert_string_equal(str(mr, "group.0.code.coding.0.system"),
                        "https://knod.se/fhir/CodeSystem/indicator-measure");
    json_decref(mr);
    json_t *b = eng_fhir_bundle(&run, &o);
    /* t-fhir: Measure + 2024; t-quarter: Measure + 4; t-rate: Measure + 2 */
    assert_int_equal(json_array_size(json_object_get(b, "entry")), 10);
    assert_string_equal(str(b, "entry.0.resource.resourceType"), "Measure");
    assert_string_equal(str(b, "entry.0.resource.url"),
                        "https://stats.example.org/fhir/Measure/t-fhir");
    assert_string_equal(str(b, "entry.0.fullUrl"),
                        "https://stats.example.org/fhir/Measure/t-fhir-v1");
    assert_string_equal(str(b, "entry.1.fullUrl"),
                        "https://stats.example.org/fhir/MeasureReport/t-fhir-v1-2024");
    char canon[200];
    snprintf(canon, sizeof canon, "%s|%s", str(b, "entry.0.resource.url"),
             str(b, "entry.0.resource.version"));
    assert_string_equal(str(b, "entry.1.resource.measure"), canon);
    /* the stream is the tree, Measures included */
    char *streamed = NULL, *tree = json_dumps(b, JSON_INDENT(1));
    size_t len = 0;
    FILE *mf = open_memstream(&streamed, &len);
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(eng_fhir_write_bundle(mf, &run, &o, &err), 0);
    fclose(mf);
    assert_int_equal(len, strlen(tree) + 1);
    assert_memory_equal(streamed, tree, strlen(tree));
    free(tree);
    free(streamed);
    json_decref(b);
    /* the Measure alone: the same url under the same base */
    json_t *m = eng_fhir_measure(run.results[0].def, o.fhir_base);
    assert_string_equal(str(m, "url"), "https://stats.example.org/fhir/Measure/t-fhir");
    json_decref(m);
    eng_run_free(&run);
}

/* knod's extensions have StructureDefinitions, shipped with the binary. */
static void test_definitions(void **state)
{
    (void)state;
    json_t *b = eng_fhir_definitions();
    assert_non_null(b);
    assert_string_equal(str(b, "resourceType"), "Bundle");
    const char *want[] = { ENG_FHIR_EXT_AMOUNT, ENG_FHIR_EXT_POP_YEAR, ENG_FHIR_EXT_SUPPRESSED };
    assert_int_equal(json_array_size(json_object_get(b, "entry")), 3);
    for (size_t i = 0; i < 3; i++) {
        json_t *e = json_array_get(json_object_get(b, "entry"), i);
        assert_string_equal(str(e, "resource.resourceType"), "StructureDefinition");
        assert_string_equal(str(e, "resource.url"), want[i]);
        assert_string_equal(str(e, "fullUrl"), want[i]);
        assert_string_equal(str(e, "resource.type"), "Extension");
    }
    json_decref(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_report, efx_setup, efx_teardown),
        cmocka_unit_test_setup_teardown(test_bundle_stream, efx_setup, efx_teardown),
        cmocka_unit_test_setup_teardown(test_kolada, efx_setup, efx_teardown),
        cmocka_unit_test_setup_teardown(test_measure, efx_setup, efx_teardown),
        cmocka_unit_test_setup_teardown(test_period_without_data, efx_setup, efx_teardown),
        cmocka_unit_test_setup_teardown(test_kolada_count_and_rounding, efx_setup,
                                        efx_teardown),
        cmocka_unit_test_setup_teardown(test_canonical_base_and_measures, efx_setup,
                                        efx_teardown),
        cmocka_unit_test(test_definitions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
