/* tests/unit/registry/test_reg_fhir_rejects.c: what the FHIR import
 * (src/registry/reg_fhir.c, reg_fhir_doc.c, reg_fhir_map.c) refuses: a bad
 * resource fails the file or, with keep_valid, goes to the reject file;
 * malformed JSON, the limits, unknown resource types; and personnummer:
 * the raw bytes of the store, the reject files and every message are
 * searched for every form of every number used, and an id shaped like one
 * is refused. The fixture is reg_fhir_fixture.h.
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
#include <sys/stat.h>
#include <cmocka.h>
#include <jansson.h>

#include "domain/pnr_shape.h"
#include "reg_fhir_fixture.h"

/* ---- rejects ---- */

/* c2 with a month 13: it and everything that refers to it fail. */
#define BAD_FROM "\"2023-03-05T03:00:00+01:00\""
#define BAD_TO   "\"2023-13-05T03:00:00+01:00\""

static void test_bad_resource_rejects_file(void **state)
{
    struct fx *f = *state;
    char *text = fixture_with("tests/data/fhir/examples.json", BAD_FROM, BAD_TO);
    struct result r;
    import_text(f, "bundle.json", text, NULL, &r);
    free(text);
    assert_int_equal(r.frc, 0);
    assert_int_equal(r.rc, KN_EINPUT);
    for (int i = 0; i < 10; i++) {
        static const char *const t[] = {
            "care_unit",  "person",    "contact",   "self_harm_act", "coercive_measure",
            "assessment", "care_plan", "treatment", "follow_up",     "pathway_step"};
        assert_int_equal(count_of(f->s, t[i]), 0);
    }
    assert_int_equal(count_of(f->s, "import_run"), 0);
    /* The entry, resource, path, then the session's field reason. */
    assert_true(r.n >= 1);
    assert_string_equal(r.where[0], "bundle.json: entry[1] Encounter/c2 (period.start)");
    assert_true(strncmp(r.reason[0], "field 'start': ", 15) == 0);
    /* Then the measures and the follow-up of the stay that is not there. */
    assert_int_equal(r.n, 5);
    assert_string_equal(r.where[1], "bundle.json: entry[20] Procedure/m1 (encounter)");
    assert_non_null(
        strstr(r.reason[1], "field 'stay_id': no contact with source_id 'c2'"));
    assert_int_equal(r.fs.rejected, 5);
    assert_int_equal(r.st.rejected, 5);
}

static void test_keep_valid_and_reject_file(void **state)
{
    struct fx *f = *state;
    /* c2 as above, and p4 with a municipality that does not exist. */
    char *t1 = fixture_with("tests/data/fhir/examples.json", BAD_FROM, BAD_TO);
    char *t2 = strstr(t1, "\"id\": \"p4\"");
    assert_non_null(t2);
    char *muni = strstr(t2, "\"valueCode\": \"0380\"");
    assert_non_null(muni);
    memcpy(muni + strlen("\"valueCode\": \""), "9999", 4);
    char rejects[128];
    snprintf(rejects, sizeof rejects, "%s/rejects.ndjson", f->dir);
    struct how how = {.keep_valid = true, .rejects = rejects};
    struct result r;
    import_text(f, "bundle.json", t1, &how, &r);
    free(t1);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.fs.rejected, 6);
    assert_int_equal(count_of(f->s, "person"), 3);
    assert_int_equal(count_of(f->s, "contact"), 4);
    assert_int_equal(count_of(f->s, "coercive_measure"), 0);
    assert_int_equal(count_of(f->s, "follow_up"), 1);
    assert_int_equal(count_of(f->s, "self_harm_act"), 3);
    assert_fk_ok(f->s);
    bool saw_p4 = false;
    for (int i = 0; i < r.n && i < MAX_CAUGHT; i++)
        if (strcmp(r.where[i],
                   "bundle.json: entry[9] Patient/p4 (extension(municipality))") == 0) {
            saw_p4 = true;
            assert_non_null(strstr(r.reason[i], "field 'municipality': '9999' is not"));
        }
    assert_true(saw_p4);

    /* The reject file: one JSON object per rejected resource, with _error,
     * and not one personnummer. */
    size_t len;
    char *text = read_all(rejects, &len);
    assert_non_null(text);
    const char *l = leaked(text, len);
    if (l != NULL)
        fail_msg("the reject file holds %s", l);
    int lines = 0;
    bool patient = false;
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        json_error_t je;
        json_t *o = json_loads(line, 0, &je);
        if (o == NULL)
            fail_msg("reject line %d: %s", lines + 1, je.text);
        assert_true(json_is_string(json_object_get(o, "_error")));
        const char *rt = json_string_value(json_object_get(o, "resourceType"));
        assert_non_null(rt);
        if (strcmp(rt, "Patient") == 0) {
            patient = true;
            json_t *id = json_array_get(json_object_get(o, "identifier"), 0);
            assert_non_null(id); /* kept, without its value */
            assert_null(json_object_get(id, "value"));
            assert_non_null(strstr(json_string_value(json_object_get(o, "_error")),
                                   "Patient/p4 (extension(municipality)): field "
                                   "'municipality'"));
        }
        if (strcmp(rt, "Encounter") == 0 &&
            strcmp(json_string_value(json_object_get(o, "id")), "c2") == 0)
            assert_non_null(
                strstr(json_string_value(json_object_get(o, "_error")),
                       "entry[1] Encounter/c2 (period.start): field 'start'"));
        json_decref(o);
        lines++;
    }
    assert_int_equal(lines, 6);
    assert_true(patient);
    free(text);
}

/* ---- malformed input, limits ---- */

static void test_malformed_json(void **state)
{
    struct fx *f = *state;
    struct result r;
    import_text(f, "bad.json",
                "{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"collection\"\n"
                "  \"entry\": []\n}\n",
                NULL, &r);
    assert_int_equal(r.frc, KN_EINPUT);
    assert_true(strncmp(r.err.msg, "bad.json:4:", 11) == 0);
    assert_non_null(strstr(r.err.msg, "malformed JSON"));

    /* NDJSON: the bad line is one rejected resource, named by its line. */
    import_text(
        f, "bad.ndjson",
        "{\"resourceType\":\"Organization\",\"id\":\"u1\",\"identifier\":[{\"value\":"
        "\"X1\"}],\"name\":\"A\",\"extension\":[{\"url\":\"https://knod.se/fhir/"
        "StructureDefinition/region\",\"valueCode\":\"03\"}],\"type\":[{\"coding\":"
        "[{\"system\":\"https://knod.se/fhir/CodeSystem/unit-type\",\"code\":\"bup\"},"
        "{\"system\":\"https://knod.se/fhir/CodeSystem/care-setting\",\"code\":"
        "\"outpatient\"}]}]}\n"
        "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"identifier\":[{\"value\":"
        "200607092384x}]}\n\n",
        &(struct how){.keep_valid = true}, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.where[0], "bad.ndjson:2");
    assert_non_null(strstr(r.reason[0], "malformed JSON"));
    assert_true(strncmp(r.reason[0], "column ", 7) == 0);
    assert_int_equal(count_of(f->s, "care_unit"), 1);
    assert_int_equal(r.st.rejected, 1);

    /* Not a FHIR resource. */
    import_text(f, "x.json", "[1, 2]", NULL, &r);
    assert_int_equal(r.frc, KN_EINPUT);
    assert_non_null(strstr(r.err.msg, "x.json: expected a FHIR Bundle or resource"));
    import_text(f, "h.json",
                "{\"resourceType\":\"Bundle\",\"type\":\"history\",\"entry\":[]}", NULL,
                &r);
    assert_int_equal(r.frc, KN_EINPUT);
    assert_non_null(strstr(r.err.msg, "type 'history' is not imported"));
    import_text(f, "d.json", "{\"resourceType\":\"Patient\",\"id\":\"a\",\"id\":\"b\"}",
                NULL, &r);
    assert_int_equal(r.frc, KN_EINPUT); /* duplicate keys are ambiguous */
}

static void test_limits(void **state)
{
    struct fx *f = *state;
    struct result r;
    import_text(f, "deep.json", "{\"resourceType\":\"Patient\",\n \"x\":[[[[[[1]]]]]]}",
                &(struct how){.max_depth = 5}, &r);
    assert_int_equal(r.frc, KN_EINPUT);
    assert_string_equal(r.err.msg, "deep.json:2:10: the JSON nests deeper than 5 levels");
    /* Brackets in strings do not count. */
    import_text(f, "s.json", "{\"resourceType\":\"Basic\",\"x\":\"[[[[[[[[\"}",
                &(struct how){.max_depth = 2}, &r);
    assert_int_equal(r.frc, 0);
    assert_int_equal(r.fs.unknown_type, 1);
    import_text(f, "big.json", "{\"resourceType\":\"Basic\", \"text\": \"0123456789\"}",
                &(struct how){.max_document = 20}, &r);
    assert_int_equal(r.frc, KN_EINPUT);
    assert_non_null(strstr(r.err.msg, "more than the 20 a JSON document may have"));
    import_text(
        f, "long.ndjson",
        "{\"resourceType\":\"Basic\"}\n{\"resourceType\":\"Basic\",\"x\":\"long\"}\n",
        &(struct how){.max_line = 30, .keep_valid = true}, &r);
    assert_int_equal(r.frc, 0);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.where[0], "long.ndjson:2");
    assert_non_null(strstr(r.reason[0], "more than the 30 allowed"));
    import_text(f, "empty.ndjson", "\n\n", NULL, &r);
    assert_int_equal(r.frc, KN_EINPUT);
    import_text(f, "empty.json", "", NULL, &r);
    assert_int_equal(r.frc, KN_EINPUT);
    assert_string_equal(r.err.msg, "empty.json: the file is empty");
}

static void test_unknown_types_skipped(void **state)
{
    struct fx *f = *state;
    struct result r;
    import_text(
        f, "b.json",
        "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
        "{\"resource\":{\"resourceType\":\"Practitioner\",\"id\":\"x\"}},"
        "{\"resource\":{\"resourceType\":\"Medication\",\"id\":\"y\"}},"
        "{\"resource\":{\"resourceType\":\"Practitioner\",\"id\":\"z\"}},"
        "{\"request\":{\"method\":\"DELETE\",\"url\":\"Patient/q\"}},"
        "{\"fullUrl\":\"urn:uuid:11111111-2222-3333-4444-555555555555\","
        "\"resource\":{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":"
        "\"urn:oid:1.2.752.129.2.1.3.1\",\"value\":\"201701012393\"}],\"extension\":"
        "[{\"url\":\"https://knod.se/fhir/StructureDefinition/municipality\","
        "\"valueString\":\"0180\"}]},\"request\":{\"method\":\"POST\",\"url\":"
        "\"Patient\"}}]}",
        NULL, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.n, 0);
    assert_int_equal(r.fs.resources, 4);
    assert_int_equal(r.fs.unknown_type, 3);
    assert_string_equal(r.fs.unknown_names, "Practitioner, Medication");
    assert_int_equal(r.fs.records, 1);
    /* A resource without an id: its fullUrl's uuid is the source id. */
    assert_string_equal(text_of(f->s, "SELECT source_id || municipality FROM person"),
                        "11111111-2222-3333-4444-5555555555550180");
}

/* ---- personnummer ---- */

static void test_no_pnr_in_store(void **state)
{
    struct fx *f = *state;
    struct result r;
    import_fixture(f, "tests/data/fhir/examples.json", NULL, &r);
    assert_int_equal(r.rc, 0);
    const char *order[5] = {"Organization", "Patient", "Encounter", "Condition",
                            "Procedure"};
    char p[5][512];
    bulk_paths(p, order);
    const char *paths[5] = {p[0], p[1], p[2], p[3], p[4]};
    run_import(f->s, &f->key, paths, 5, NULL, NULL, NULL, &r);
    assert_int_equal(r.rc, 0);
    assert_true(count_of(f->s, "person") >= 4);
    const char *files[] = {"knod.db", "knod.db-wal"};
    for (size_t i = 0; i < 2; i++) {
        char path[128];
        size_t len;
        snprintf(path, sizeof path, "%s/%s", f->dir, files[i]);
        char *bytes = read_all(path, &len);
        const char *l = bytes ? leaked(bytes, len) : NULL;
        if (l != NULL)
            fail_msg("%s holds the personnummer %s", files[i], l);
        free(bytes);
    }
}

/* A resource id shaped like a personnummer would be stored as source_id:
 * it is refused, and the number is in no message. */
static void test_pnr_shaped_id_refused(void **state)
{
    struct fx *f = *state;
    struct result r;
    import_text(
        f, "p.json",
        "{\"resourceType\":\"Patient\",\"id\":\"200607092384\",\"identifier\":[{"
        "\"system\":\"http://electronichealth.se/identifier/personnummer\",\"value\":"
        "\"200607092384\"}],\"extension\":[{\"url\":\"https://knod.se/fhir/"
        "StructureDefinition/municipality\",\"valueCode\":\"0180\"}]}",
        NULL, &r);
    assert_int_equal(r.rc, KN_EINPUT);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.where[0], "p.json: Patient/XXXXXXXXXXXX (id)");
    assert_non_null(strstr(r.reason[0], "looks like a personnummer"));
    assert_int_equal(count_of(f->s, "person"), 0);

    /* An id that only looks like one (no valid check digit, birth number
     * 000: a timestamp) is an id like any other. */
    import_text(
        f, "t.json",
        "{\"resourceType\":\"Patient\",\"id\":\"202401150001\",\"identifier\":[{"
        "\"system\":\"http://electronichealth.se/identifier/personnummer\",\"value\":"
        "\"200607092384\"}],\"extension\":[{\"url\":\"https://knod.se/fhir/"
        "StructureDefinition/municipality\",\"valueCode\":\"0180\"}]}",
        NULL, &r);
    assert_int_equal(r.rc, 0);
    assert_string_equal(text_of(f->s, "SELECT source_id FROM person"), "202401150001");
    /* Control characters of an id do not reach the terminal. */
    import_text(
        f, "c.json",
        "{\"resourceType\":\"Patient\",\"id\":\"a\\u001b[31mb\",\"identifier\":[{"
        "\"system\":\"http://electronichealth.se/identifier/personnummer\",\"value\":"
        "\"200306062381\"}]}",
        NULL, &r);
    assert_int_equal(r.rc, KN_EINPUT);
    assert_string_equal(r.where[0], "c.json: Patient/a?[31mb (id)");
    assert_string_equal(r.reason[0], "field 'source_id': holds a control character");
}

/* An Organization's name is a unit's name: one holding a personnummer
 * rejects the resource, and neither the message nor the file's name
 * shows the number (issue 10, items 1 to 3). */
static void test_pnr_in_text_refused(void **state)
{
    struct fx *f = *state;
    struct result r;
    import_text(
        f, "org_20070505-5556.ndjson",
        "{\"resourceType\":\"Organization\",\"id\":\"u1\",\"identifier\":[{\"value\":"
        "\"X1\"}],\"name\":\"Patient 20070808-8885 room\",\"extension\":[{\"url\":"
        "\"https://knod.se/fhir/StructureDefinition/region\",\"valueCode\":\"03\"}],"
        "\"type\":[{\"coding\":[{\"system\":\"https://knod.se/fhir/CodeSystem/unit-type\","
        "\"code\":\"bup\"},{\"system\":\"https://knod.se/fhir/CodeSystem/care-setting\","
        "\"code\":\"outpatient\"}]}]}\n",
        NULL, &r);
    assert_int_equal(r.rc, KN_EINPUT);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.where[0], "org_XXXXXXXX-XXXX.ndjson:1: Organization/u1 (name)");
    assert_non_null(strstr(r.reason[0], "field 'name': holds what looks like a personnummer"));
    assert_false(pnr_find_shaped(r.reason[0], strlen(r.reason[0]), NULL, NULL));
    assert_int_equal(count_of(f->s, "care_unit"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bad_resource_rejects_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keep_valid_and_reject_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_types_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_pnr_in_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pnr_shaped_id_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pnr_in_text_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
