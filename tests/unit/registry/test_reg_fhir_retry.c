/* tests/unit/registry/test_reg_fhir_retry.c: a FHIR resource that comes
 * twice in one import into empty tables (src/registry/reg_fhir.c run_pass
 * under reg_import_attempt, reg_bulk.c).
 *
 * The Bulk Data export of tests/data/fhir/bulk/ plus a sixth NDJSON file
 * with Encounter/b-e3 again, changed. Into an empty store the session
 * loads in bulk; the repeated contact makes the rebuilt unique index fail
 * (when the self-harm act of b-a2 looks its contact up), and the import
 * runs again with the upsert, which rejects the changed copy as a conflict
 * (the same rule as in a CSV file). The oracle is a twin store with the same key
 * whose tables already hold unrelated records (source system 'z'; the
 * upsert from the first row): the same records (compared by key, the 'z'
 * records removed), the same session and FHIR stats. The fixture is
 * reg_fhir_fixture.h.
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

struct twins {
    struct fx *f;       /* empty: bulk */
    struct store *twin; /* holds the 'z' records: upsert */
};

static int setup_twins(void **state)
{
    struct twins *t = calloc(1, sizeof *t);
    void *a = NULL;
    if (t == NULL || setup(&a) != 0)
        return -1;
    t->f = a;
    t->twin = new_store(t->f, "twin.db");
    *state = t;
    return 0;
}

static int teardown_twins(void **state)
{
    struct twins *t = *state;
    store_close(t->twin);
    void *a = t->f;
    int rc = teardown(&a);
    free(t);
    return rc;
}

/* A unit, a person (P3's number, not in the export) and a contact of
 * another source system. */
static const char unrelated[] =
    "{\"resourceType\":\"Organization\",\"id\":\"zu\",\"extension\":[{\"url\":"
    "\"https://knod.se/fhir/StructureDefinition/region\",\"valueCode\":\"03\"}],"
    "\"identifier\":[{\"system\":\"urn:oid:1.2.752.129.2.1.4.1\",\"value\":"
    "\"SE2321000230-Z001\"}],\"active\":true,\"type\":[{\"coding\":[{\"system\":"
    "\"https://knod.se/fhir/CodeSystem/unit-type\",\"code\":\"emergency\"}]},{\"coding\":"
    "[{\"system\":\"https://knod.se/fhir/CodeSystem/care-setting\",\"code\":"
    "\"outpatient\"}]}],\"name\":\"Z\"}\n"
    "{\"resourceType\":\"Patient\",\"id\":\"zp\",\"extension\":[{\"url\":"
    "\"https://knod.se/fhir/StructureDefinition/municipality\",\"valueCode\":\"0380\"}],"
    "\"identifier\":[{\"system\":\"http://electronichealth.se/identifier/personnummer\","
    "\"value\":\"200802122390\"}]}\n"
    "{\"resourceType\":\"Encounter\",\"id\":\"ze\",\"status\":\"finished\",\"class\":"
    "{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"EMER\"},"
    "\"subject\":{\"reference\":\"Patient/zp\"},\"period\":{\"start\":"
    "\"2024-01-01T10:00:00+01:00\",\"end\":\"2024-01-01T12:00:00+01:00\"},"
    "\"serviceProvider\":{\"reference\":\"Organization/zu\"}}\n";

static void remove_unrelated(struct store *s)
{
    struct kn_error err = KN_ERROR_INIT;
    if (store_exec(s, "DELETE FROM contact WHERE source_system = 'z'", &err) != 0
        || store_exec(s, "DELETE FROM person WHERE source_system = 'z'", &err) != 0
        || store_exec(s, "DELETE FROM care_unit WHERE source_system = 'z'", &err) != 0)
        fail_msg("removing the 'z' records: %s", err.msg);
}

/* The five export files and, last, extra (a file in f's folder). */
static void six_paths(struct fx *f, const char *extra, char paths[6][512],
                      const char *pp[6])
{
    const char *order[5] = { "Organization", "Patient", "Encounter", "Condition",
                             "Procedure" };
    bulk_paths(paths, order);
    char *text = fixture_with("tests/data/fhir/bulk/Encounter.ndjson", NULL, NULL);
    char *line = strstr(text, "{\"resourceType\":\"Encounter\",\"id\":\"b-e3\"");
    assert_non_null(line);
    char *nl = strchr(line, '\n');
    if (nl != NULL)
        nl[1] = '\0';
    /* b-e3 again, ending later */
    char *end = strstr(line, "2024-04-01T23:30:00+02:00");
    assert_non_null(end);
    memcpy(end, "2024-04-01T23:55:00+02:00", 25);
    snprintf(paths[5], 512, "%s/%s", f->dir, extra);
    FILE *fp = fopen(paths[5], "w");
    assert_non_null(fp);
    assert_true(fputs(line, fp) >= 0);
    assert_int_equal(fclose(fp), 0);
    free(text);
    for (int i = 0; i < 6; i++)
        pp[i] = paths[i];
}

static void assert_same_stats(const struct result *a, const struct result *b)
{
    assert_int_equal(a->frc, b->frc);
    assert_int_equal(a->rc, b->rc);
    assert_int_equal(a->fs.resources, b->fs.resources);
    assert_int_equal(a->fs.records, b->fs.records);
    assert_int_equal(a->fs.merged, b->fs.merged);
    assert_int_equal(a->fs.skipped, b->fs.skipped);
    assert_int_equal(a->fs.unknown_type, b->fs.unknown_type);
    assert_int_equal(a->fs.rejected, b->fs.rejected);
    assert_int_equal(a->st.rows, b->st.rows);
    assert_int_equal(a->st.stored, b->st.stored);
    assert_int_equal(a->st.unchanged, b->st.unchanged);
    assert_int_equal(a->st.rejected, b->st.rejected);
    assert_int_equal(a->n, b->n);
}

static void test_encounter_in_two_files(void **state)
{
    struct twins *t = *state;
    struct fx *f = t->f;
    struct how z = { .source = "z" };
    struct result r, u;
    run_import(t->twin, &f->key, NULL, 0, "z.ndjson", unrelated, &z, &u);
    assert_int_equal(u.rc, 0);
    assert_int_equal(count_of(t->twin, "contact"), 1);

    char paths[6][512];
    const char *pp[6];
    six_paths(f, "Encounter-later.ndjson", paths, pp);
    run_import(f->s, &f->key, pp, 6, NULL, NULL, NULL, &r);
    run_import(t->twin, &f->key, pp, 6, NULL, NULL, NULL, &u);
    assert_same_stats(&r, &u);

    /* The export's 12 resources and b-e3 again, ending later: one import
     * holding one record with two contents is a conflict (as in a CSV
     * file), found by the rebuilt index (f) and by the noted keys (twin). */
    assert_int_equal(r.rc, KN_EINPUT);
    assert_int_equal(r.n, 1);
    assert_non_null(strstr(r.where[0], "Encounter-later.ndjson:1"));
    assert_non_null(strstr(r.reason[0], "record 'b-e3' repeats an earlier record of the "
                                        "import with different contents"));
    assert_int_equal(r.fs.resources, 13);
    assert_int_equal(r.fs.records, 12);
    assert_int_equal(r.st.rows, 12);
    assert_int_equal(r.st.stored, 11);
    assert_int_equal(r.st.rejected, 1);
    assert_int_equal(count_of(f->s, "contact"), 0); /* rolled back */
    assert_int_equal(scalar(f->s, "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
                                  "AND name IN ('contact_source', 'person_source', "
                                  "'person_pseudonym', 'self_harm_act_source')"), 4);
    assert_fk_ok(f->s);

    remove_unrelated(t->twin);
    char *mine = dump_all(f->s, true), *theirs = dump_all(t->twin, true);
    assert_string_equal(mine, theirs);
    free(mine);
    free(theirs);
}

/* The same without the changed copy: the export alone into the empty
 * store is stored whole, needs no second run and gives the same stats as the twin. */
static void test_export_alone(void **state)
{
    struct twins *t = *state;
    struct fx *f = t->f;
    struct how z = { .source = "z" };
    struct result r, u;
    run_import(t->twin, &f->key, NULL, 0, "z.ndjson", unrelated, &z, &u);
    assert_int_equal(u.rc, 0);
    char paths[6][512];
    const char *pp[6];
    six_paths(f, "unused.ndjson", paths, pp);
    run_import(f->s, &f->key, pp, 5, NULL, NULL, NULL, &r);
    run_import(t->twin, &f->key, pp, 5, NULL, NULL, NULL, &u);
    assert_int_equal(r.rc, 0);
    assert_same_stats(&r, &u);
    assert_int_equal(r.fs.records, 11);
    assert_int_equal(r.st.stored, 11);
    assert_int_equal(scalar(f->s, "SELECT end_time FROM contact WHERE source_id = 'b-e3'"),
                     t_of("2024-04-01T23:30"));
    remove_unrelated(t->twin);
    char *mine = dump_all(f->s, true), *theirs = dump_all(t->twin, true);
    assert_string_equal(mine, theirs);
    free(mine);
    free(theirs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_encounter_in_two_files, setup_twins,
                                        teardown_twins),
        cmocka_unit_test_setup_teardown(test_export_alone, setup_twins, teardown_twins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
