/* tests/unit/registry/test_reg_fhir_bundle.c: the FHIR import
 * (src/registry/reg_fhir.c, reg_fhir_doc.c, reg_fhir_map.c) of the
 * example Bundle and the Bulk Data export (reg_fhir_fixture.h).
 *
 * The oracles: the CSV import of the same data (every table compared, with
 * references compared by the referenced record's key); values written out
 * by hand from the fixtures (times converted to Swedish civil time by
 * reading the calendar: +01:00 in winter, +02:00 in summer); a second
 * import changes nothing, a changed resource one row; NDJSON files import
 * as one.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reg_fhir_fixture.h"

/* ---- the example bundle ---- */

static void test_bundle_values(void **state)
{
    struct fx *f = *state;
    struct result r;
    import_fixture(f, "tests/data/fhir/examples.json", NULL, &r);
    if (r.rc != 0)
        fail_msg("%s (%s: %s)", r.err.msg, r.n ? r.where[0] : "", r.n ? r.reason[0] : "");
    assert_int_equal(r.n, 0);
    assert_int_equal(r.fs.resources, 37);
    assert_int_equal(r.fs.records, 30);
    assert_int_equal(r.fs.merged, 5);  /* d1, d2, d3, d5 and the one without id */
    assert_int_equal(r.fs.skipped, 2); /* d7 (no contact), the blood pressure */
    assert_int_equal(r.fs.unknown_type, 1);
    assert_string_equal(r.fs.unknown_names, "Practitioner");
    assert_int_equal(r.st.stored, 30);

    const char *tables[] = {
        "care_unit",  "person",    "contact",   "self_harm_act", "coercive_measure",
        "assessment", "care_plan", "treatment", "follow_up",     "pathway_step"};
    const int64_t want[] = {4, 4, 5, 3, 3, 2, 2, 2, 2, 3};
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(count_of(f->s, tables[i]), want[i]);
    assert_fk_ok(f->s);

    /* Units: HSA-id, name, region extension, type codings. */
    assert_string_equal(text_of(f->s,
                                "SELECT code || '|' || name || '|' || region_code || '|'"
                                " || unit_type || '|' || setting FROM care_unit WHERE "
                                "source_id = 'u2'"),
                        "SE2321000230-EX02|BUP heldygnsvård Uppsala|03|bup|inpatient");
    /* Persons: birth and sex from the number, municipality from the extension. */
    assert_string_equal(text_of(f->s,
                                "SELECT birth_year || '-' || birth_month || '-' || "
                                "birth_day || sex || municipality || region_code FROM "
                                "person WHERE source_id = 'p3'"),
                        "2003-6-6F030503");
    /* c1: ranked diagnoses, the cause from the self-harm Condition. */
    assert_string_equal(text_of(f->s,
                                "SELECT contact_type || '|' || main_diagnosis || '|' || "
                                "other_diagnoses || '|' || cause_code || '|' || "
                                "legal_basis || brief_admission FROM contact WHERE "
                                "source_id = 'c1'"),
                        "emergency|T42.4|F32.1|X61|voluntary0");
    assert_int_equal(
        scalar(f->s, "SELECT start_time FROM contact WHERE source_id = 'c1'"),
        t_of("2023-03-04T22:10"));
    /* c2: LPT from the extension, the diagnosis by Condition.encounter. */
    assert_string_equal(text_of(f->s,
                                "SELECT contact_type || legal_basis || brief_admission "
                                "|| main_diagnosis FROM contact WHERE source_id = 'c2'"),
                        "inpatientLPT0F32.1");
    /* c3: a contained Condition. */
    assert_string_equal(text_of(f->s, "SELECT main_diagnosis || cause_code FROM contact "
                                      "WHERE source_id = 'c3'"),
                        "S51.8X78");
    /* c4: UTC times in winter are one hour behind Swedish time. */
    assert_int_equal(
        scalar(f->s, "SELECT start_time FROM contact WHERE source_id = 'c4'"),
        t_of("2024-02-01T10:00"));
    assert_int_equal(scalar(f->s, "SELECT end_time FROM contact WHERE source_id = 'c4'"),
                     t_of("2024-02-03T10:00"));
    assert_string_equal(text_of(f->s,
                                "SELECT legal_basis || brief_admission || "
                                "main_diagnosis FROM contact WHERE source_id = 'c4'"),
                        "voluntary1F60.3");
    /* c5: summer, two hours; the diagnosis by a urn:uuid fullUrl. */
    assert_int_equal(
        scalar(f->s, "SELECT start_time FROM contact WHERE source_id = 'c5'"),
        t_of("2024-05-14T09:00"));
    assert_string_equal(text_of(f->s, "SELECT contact_type || main_diagnosis || "
                                      "coalesce(cause_code, '-') FROM contact WHERE "
                                      "source_id = 'c5'"),
                        "outpatientF32.1-");
    /* Self-harm acts: intent and method from the code; the contact by reference. */
    assert_string_equal(text_of(f->s,
                                "SELECT a.cause_code || a.intent || a.method || "
                                "c.source_id FROM self_harm_act a JOIN contact c ON "
                                "c.id = a.contact_id WHERE a.source_id = 'a1'"),
                        "X61intentionalpoisoningc1");
    assert_int_equal(
        scalar(f->s, "SELECT act_time FROM self_harm_act WHERE source_id = 'a1'"),
        t_of("2023-03-04T21:30"));
    assert_string_equal(text_of(f->s, "SELECT intent || coalesce(contact_id, '-') FROM "
                                      "self_harm_act WHERE source_id = 'a3'"),
                        "undetermined-");
    /* The measure that extends another was listed before it. */
    assert_string_equal(
        text_of(f->s, "SELECT e.source_id || s.source_id || m.measure_type "
                      "|| m.legal_basis FROM coercive_measure m JOIN "
                      "coercive_measure e ON e.id = m.extends_id JOIN contact s "
                      "ON s.id = m.stay_id WHERE m.source_id = 'm2'"),
        "m1c2fastspanningLPT");
    assert_int_equal(scalar(f->s, "SELECT decision_time FROM coercive_measure WHERE "
                                  "source_id = 'm2'"),
                     t_of("2023-03-06T15:00"));
    assert_int_equal(scalar(f->s, "SELECT decision_time FROM coercive_measure WHERE "
                                  "source_id = 'm3'"),
                     -1);
    assert_string_equal(text_of(f->s,
                                "SELECT assessment_type || c.source_id FROM assessment a "
                                "JOIN contact c ON c.id = a.contact_id WHERE "
                                "a.source_id = 's1'"),
                        "suicide_riskc1");
    assert_string_equal(text_of(f->s,
                                "SELECT group_concat(plan_type || '@' || source_id, ' ') "
                                "FROM (SELECT * FROM care_plan ORDER BY source_id)"),
                        "crisis_plan@k1 sip@k2");
    assert_int_equal(
        scalar(f->s, "SELECT end_time FROM treatment WHERE source_id = 't2'"), -1);
    assert_string_equal(text_of(f->s,
                                "SELECT f.mode || s.source_id FROM follow_up f JOIN "
                                "contact s ON s.id = f.stay_id WHERE f.source_id = 'f2'"),
                        "phonec4");
    /* Pathway steps: one per extension, the source id is episode:step. */
    assert_string_equal(text_of(f->s,
                                "SELECT group_concat(source_id || '=' || pathway || '/' "
                                "|| step, ' ') FROM (SELECT * FROM pathway_step ORDER "
                                "BY source_id)"),
                        "e1:1_first_contact=child/1_first_contact e1:2_assessment=child/"
                        "2_assessment e2:1_first_contact=adult/1_first_contact");
    assert_string_equal(text_of(f->s, "SELECT DISTINCT source_system FROM contact"),
                        "example");
}

static void import_csv_examples(struct store *s, const struct pseudo_key *key)
{
    for (size_t i = 0; i < reg_kind_count(); i++) {
        const struct reg_kind *k = reg_kind_at(i);
        char rel[128], path[512];
        snprintf(rel, sizeof rel, "data/examples/%s.csv", reg_kind_name(k));
        src_path(rel, path, sizeof path);
        struct reg_import_options io = { .keep_valid = false, .today = today() };
        io.persons = (enum reg_persons_load)tu_persons_load();
        struct reg_import *im = NULL;
        struct kn_error err = KN_ERROR_INIT;
        assert_int_equal(reg_import_begin(s, key, &io, &im, &err), 0);
        int rc = reg_csv_import(im, k, path, NULL, &err);
        int rc2 = reg_import_finish(im, rc == 0, path, reg_kind_name(k), "csv", &err);
        if (rc != 0 || rc2 != 0)
            fail_msg("%s: %s", path, err.msg);
    }
}

/* The oracle: the CSV examples give the same records. */
static void test_bundle_equals_csv(void **state)
{
    struct fx *f = *state;
    struct result r;
    import_fixture(f, "tests/data/fhir/examples.json", NULL, &r);
    assert_int_equal(r.rc, 0);
    struct store *csv = new_store(f, "csv.db");
    import_csv_examples(csv, &f->key);
    assert_fk_ok(csv);

    char *a = dump_all(f->s, false), *b = dump_all(csv, false);
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* With the same source system the source ids agree too, except for the
     * pathway steps, whose ids the EpisodeOfCare makes. */
    for (size_t i = 0; i + 1 < reg_kind_count(); i++) {
        a = dump_kind(f->s, reg_kind_at(i), true);
        b = dump_kind(csv, reg_kind_at(i), true);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    store_close(csv);
}

static void test_reimport_changes_nothing(void **state)
{
    struct fx *f = *state;
    struct result r;
    import_fixture(f, "tests/data/fhir/examples.json", NULL, &r);
    assert_int_equal(r.rc, 0);
    char *before = dump_all(f->s, true);
    import_fixture(f, "tests/data/fhir/examples.json", NULL, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.st.stored, 0);
    assert_int_equal(r.st.unchanged, 30);
    assert_int_equal(r.st.rejected, 0);
    char *after = dump_all(f->s, true);
    assert_string_equal(before, after);
    free(before);
    free(after);
    assert_int_equal(count_of(f->s, "import_run"), 2);
}

/* A changed resource updates its record; nothing else changes. */
static void test_reimport_changed(void **state)
{
    struct fx *f = *state;
    struct result r;
    import_fixture(f, "tests/data/fhir/examples.json", NULL, &r);
    assert_int_equal(r.rc, 0);
    char *text =
        fixture_with("tests/data/fhir/examples.json", "\"2024-05-14T10:00:00+02:00\"",
                     "\"2024-05-14T10:30:00+02:00\"");
    import_text(f, "examples.json", text, NULL, &r);
    free(text);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.st.stored, 1);
    assert_int_equal(r.st.unchanged, 29);
    assert_int_equal(scalar(f->s, "SELECT end_time FROM contact WHERE source_id = 'c5'"),
                     t_of("2024-05-14T10:30"));
}

/* ---- NDJSON, several files as one import ---- */

static void test_ndjson_files_as_one(void **state)
{
    struct fx *f = *state;
    /* Dependents first: the files refer to each other in any order. */
    const char *order[5] = {"Procedure", "Encounter", "Condition", "Patient",
                            "Organization"};
    char p[5][512];
    bulk_paths(p, order);
    const char *paths[5] = {p[0], p[1], p[2], p[3], p[4]};
    struct result r;
    run_import(f->s, &f->key, paths, 5, NULL, NULL, NULL, &r);
    if (r.rc != 0)
        fail_msg("%s (%s: %s)", r.err.msg, r.n ? r.where[0] : "", r.n ? r.reason[0] : "");
    assert_int_equal(r.fs.resources, 12);
    assert_int_equal(r.fs.records, 11);
    assert_int_equal(r.fs.merged, 1);
    assert_fk_ok(f->s);
    /* meta.source without its "#request" part is the source system. */
    assert_string_equal(text_of(f->s, "SELECT DISTINCT source_system FROM contact"),
                        "https://journal.region-uppsala.example/fhir");
    /* Over the switch to summer time (2024-03-31 02:00 -> 03:00). */
    assert_int_equal(
        scalar(f->s, "SELECT start_time FROM contact WHERE source_id = 'b-e1'"),
        t_of("2024-03-30T23:40"));
    assert_int_equal(
        scalar(f->s, "SELECT end_time FROM contact WHERE source_id = 'b-e1'"),
        t_of("2024-03-31T04:15"));
    assert_string_equal(text_of(f->s, "SELECT main_diagnosis || cause_code FROM contact "
                                      "WHERE source_id = 'b-e1'"),
                        "T39.1X60");
    /* Death, its date in Swedish time, by suicide. */
    assert_string_equal(
        text_of(f->s, "SELECT death_date || '/' || death_by_suicide FROM person "
                      "WHERE source_id = 'b3'"),
        "19815/1"); /* 2024-04-02 */
    assert_int_equal(date_from_ymd(2024, 4, 2), 19815);
    assert_string_equal(text_of(f->s,
                                "SELECT method FROM self_harm_act WHERE source_id = "
                                "'b-a2'"),
                        "hanging");
    assert_int_equal(scalar(f->s, "SELECT decision_time FROM coercive_measure"),
                     t_of("2024-03-31T06:00"));
}

static void test_ndjson_missing_patient(void **state)
{
    struct fx *f = *state;
    const char *order[5] = {"Encounter", "Encounter", "Encounter", "Encounter",
                            "Encounter"};
    char p[5][512];
    bulk_paths(p, order);
    const char *paths[1] = {p[0]};
    struct result r;
    run_import(f->s, &f->key, paths, 1, NULL, NULL, NULL, &r);
    assert_int_equal(r.frc, 0);
    assert_int_equal(r.rc, KN_EINPUT);
    assert_int_equal(r.n, 3);
    assert_string_equal(r.where[0], "Encounter.ndjson:1: Encounter/b-e1 (subject)");
    assert_non_null(strstr(r.reason[0], "'Patient/b1' is not in the input"));
    assert_int_equal(count_of(f->s, "contact"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bundle_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bundle_equals_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reimport_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reimport_changed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ndjson_files_as_one, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ndjson_missing_patient, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
