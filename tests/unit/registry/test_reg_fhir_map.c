/* tests/unit/registry/test_reg_fhir_map.c: the FHIR mapping alone
 * (src/registry/reg_fhir_map.c, reg_fhir_doc.c), without a store: times
 * in any zone to Swedish civil time across both switches, and diagnoses.
 * The helpers are in reg_fhir_fixture.h.
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

/* ---- the mapping alone ---- */

struct caught_records {
    int n;
    char text[16][REG_FHIR_MAX_COLS][64];
    const struct reg_kind *kind[16];
};

static int on_record(void *ctx, const struct reg_fhir_record *rec)
{
    struct caught_records *c = ctx;
    if (c->n >= 16)
        return 0;
    c->kind[c->n] = rec->kind;
    for (size_t i = 0; i < reg_kind_ncols(rec->kind); i++)
        snprintf(c->text[c->n][i], 64, "%s", rec->fields[i] ? rec->fields[i] : "(none)");
    c->n++;
    return 0;
}

static const char *field(const struct caught_records *c, int i, const char *col)
{
    int k = reg_kind_col_index(c->kind[i], col);
    assert_true(k >= 0);
    return c->text[i][k];
}

/* Times: zones to Swedish civil time across both switches, fractions cut,
 * partial dates passed on for the session to refuse. */
static void test_times(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"2024-10-27T00:59:59Z", "2024-10-27T02:59:59"}, /* last second of summer */
        {"2024-10-27T01:00:00Z", "2024-10-27T02:00:00"}, /* winter again */
        {"2024-03-31T00:59:00Z", "2024-03-31T01:59:00"},
        {"2024-03-31T01:00:00Z", "2024-03-31T03:00:00"},
        {"1995-09-24T00:30:00Z", "1995-09-24T02:30:00"}, /* 1995: ended in September */
        {"1995-10-01T12:00:00Z", "1995-10-01T13:00:00"},
        {"1979-07-01T12:00:00Z", "1979-07-01T13:00:00"}, /* no summer time then */
        {"2023-12-31T23:30:00-05:00", "2024-01-01T05:30:00"},
        {"2023-03-04T22:10:00.123+01:00", "2023-03-04T22:10:00"},
        {"2023-03-04", "2023-03-04"},
        {"2023-03", "2023-03"},
        {"2023-02-30T10:00:00Z", "2023-02-30T10:00:00Z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char json[512];
        snprintf(json, sizeof json,
                 "{\"resourceType\":\"Encounter\",\"id\":\"e\",\"status\":\"finished\","
                 "\"class\":{\"code\":\"AMB\"},\"subject\":{\"identifier\":{\"system\":"
                 "\"urn:oid:1.2.752.129.2.1.3.1\",\"value\":\"200607092384\"}},"
                 "\"serviceProvider\":{\"identifier\":{\"value\":\"U1\"}},"
                 "\"period\":{\"start\":\"%s\"}}",
                 cases[i][0]);
        struct caught_records c = {0};
        struct kn_error err = KN_ERROR_INIT;
        assert_int_equal(reg_fhir_map_mem("t.json", json, strlen(json), NULL, on_record,
                                          &c, NULL, &err),
                         0);
        assert_int_equal(c.n, 1);
        if (strcmp(field(&c, 0, "start"), cases[i][1]) != 0)
            fail_msg("%s: got %s, want %s", cases[i][0], field(&c, 0, "start"),
                     cases[i][1]);
        assert_string_equal(field(&c, 0, "contact_type"), "outpatient");
        assert_string_equal(field(&c, 0, "unit"), "U1");
        assert_string_equal(field(&c, 0, "source_system"), "fhir");
    }
}

/* Diagnoses: by rank, then in order; duplicates once; causes apart. */
static void test_diagnoses(void **state)
{
    (void)state;
    const char *json =
        "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":["
        "{\"resource\":{\"resourceType\":\"Encounter\",\"id\":\"e\",\"class\":{\"code\":"
        "\"EMER\"},\"subject\":{\"reference\":\"Patient/p\"},\"serviceProvider\":{"
        "\"reference\":\"Organization/o\"},\"period\":{\"start\":\"2024-01-01\"},"
        "\"diagnosis\":[{\"condition\":{\"reference\":\"Condition/c3\"},\"rank\":3},"
        "{\"condition\":{\"reference\":\"Condition/c1\"},\"rank\":1},"
        "{\"condition\":{\"reference\":\"Condition/w\"}}]}},"
        "{\"resource\":{\"resourceType\":\"Condition\",\"id\":\"c1\",\"code\":{"
        "\"coding\":"
        "[{\"system\":\"http://hl7.org/fhir/sid/icd-10-se\",\"code\":\"F32.1\"}]}}},"
        "{\"resource\":{\"resourceType\":\"Condition\",\"id\":\"c3\",\"code\":{"
        "\"coding\":"
        "[{\"system\":\"http://snomed.info/sct\",\"code\":\"35489007\"},{\"system\":"
        "\"http://hl7.org/fhir/sid/icd-10\",\"code\":\"F41.1\"}]}}},"
        "{\"resource\":{\"resourceType\":\"Condition\",\"id\":\"c4\",\"code\":{"
        "\"coding\":"
        "[{\"system\":\"http://hl7.org/fhir/sid/icd-10\",\"code\":\"F41.1\"}]},"
        "\"encounter\":{\"reference\":\"Encounter/e\"}}},"
        "{\"resource\":{\"resourceType\":\"Condition\",\"id\":\"c5\",\"code\":{"
        "\"coding\":"
        "[{\"system\":\"http://hl7.org/fhir/sid/icd-10\",\"code\":\"Z91.5A\"}]},"
        "\"encounter\":{\"reference\":\"Encounter/e\"}}},"
        "{\"resource\":{\"resourceType\":\"Condition\",\"id\":\"w\",\"code\":{\"coding\":"
        "[{\"system\":\"http://hl7.org/fhir/sid/icd-10\",\"code\":\"W19\"}]}}},"
        "{\"resource\":{\"resourceType\":\"Condition\",\"id\":\"r\","
        "\"verificationStatus\":{"
        "\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/"
        "condition-ver-status\","
        "\"code\":\"refuted\"}]},\"code\":{\"coding\":[{\"system\":"
        "\"http://hl7.org/fhir/sid/"
        "icd-10\",\"code\":\"F20\"}]},\"encounter\":{\"reference\":"
        "\"Encounter/e\"}}},"
        "{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"p\",\"identifier\":[{"
        "\"system\":"
        "\"http://electronichealth.se/identifier/samordningsnummer\",\"value\":\"x\"},"
        "{\"system\":\"http://electronichealth.se/identifier/personnummer\",\"value\":"
        "\"200607092384\"}]}},"
        "{\"resource\":{\"resourceType\":\"Organization\",\"id\":\"o\",\"identifier\":["
        "{\"system\":\"urn:oid:2.5.4.97\",\"value\":\"232100-0230\"},{\"system\":"
        "\"urn:oid:1.2.752.129.2.1.4.1\",\"value\":\"SE2321000230-X\"}]}}]}";
    struct caught_records c = {0};
    struct reg_fhir_stats st;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(
        reg_fhir_map_mem("d.json", json, strlen(json), NULL, on_record, &c, &st, &err),
        0);
    assert_int_equal(c.n, 3); /* unit, person, contact */
    assert_string_equal(reg_kind_name(c.kind[0]), "units");
    assert_string_equal(field(&c, 0, "code"), "SE2321000230-X"); /* the HSA-id */
    assert_string_equal(field(&c, 1, "pnr"), "200607092384");    /* personnummer first */
    assert_string_equal(reg_kind_name(c.kind[2]), "contacts");
    assert_string_equal(field(&c, 2, "main_diagnosis"), "F32.1");
    assert_string_equal(field(&c, 2, "other_diagnoses"), "F41.1 Z91.5A");
    assert_string_equal(field(&c, 2, "cause_code"), "W19");
    assert_int_equal(st.merged, 5);  /* c1, c3, c4, c5, w */
    assert_int_equal(st.skipped, 1); /* r: refuted */
}

struct rejects {
    int n;
    char where[160], reason[240];
};

static void catch_reject(void *ctx, const char *where, const char *reason)
{
    struct rejects *r = ctx;
    if (r->n++ == 0) {
        snprintf(r->where, sizeof r->where, "%s", where);
        snprintf(r->reason, sizeof r->reason, "%s", reason);
    }
}

#define ENC_HEAD                                                                           \
    "{\"resourceType\":\"Encounter\",\"id\":\"e\",\"status\":\"finished\","               \
    "\"class\":{\"code\":\"IMP\"},\"subject\":{\"identifier\":{\"system\":"              \
    "\"urn:oid:1.2.752.129.2.1.3.1\",\"value\":\"200607092384\"}},"                        \
    "\"serviceProvider\":{\"identifier\":{\"value\":\"U1\"}},"

/* R4's times: a dateTime with a time SHALL have a zone, so one without is
 * refused, naming the element (it was taken as Swedish time before); a
 * Period's end given as a date means the whole day, so it becomes the
 * day's last second (it was its first: a discharge moved up to 24 h). */
static void test_times_r4(void **state)
{
    (void)state;
    static const char *const zoneless[] = {
        ENC_HEAD "\"period\":{\"start\":\"2024-03-05T10:00:00\"}}",
        ENC_HEAD "\"period\":{\"start\":\"2024-03-05T10:00:00+01:00\","
                 "\"end\":\"2024-03-06T10:00:00.5\"}}",
        ENC_HEAD "\"period\":{\"start\":\"2024-03-05T10:00\"}}",
    };
    static const char *const paths[] = { "period.start", "period.end", "period.start" };
    for (size_t i = 0; i < 3; i++) {
        struct caught_records c = {0};
        struct rejects rj = {0};
        struct reg_fhir_options opt = { .on_reject = catch_reject, .ctx = &rj };
        struct kn_error err = KN_ERROR_INIT;
        assert_int_equal(reg_fhir_map_mem("z.json", zoneless[i], strlen(zoneless[i]), &opt,
                                          on_record, &c, NULL, &err),
                         0);
        assert_int_equal(c.n, 0);
        assert_int_equal(rj.n, 1);
        if (!strstr(rj.where, paths[i]) || !strstr(rj.reason, "time zone"))
            fail_msg("case %zu: %s: %s", i, rj.where, rj.reason);
        assert_null(strstr(rj.reason, "200607092384"));
    }
    const char *json = ENC_HEAD "\"period\":{\"start\":\"2024-03-05\",\"end\":\"2024-03-06\"}}";
    struct caught_records c = {0};
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(
        reg_fhir_map_mem("d.json", json, strlen(json), NULL, on_record, &c, NULL, &err), 0);
    assert_int_equal(c.n, 1);
    assert_string_equal(field(&c, 0, "start"), "2024-03-05"); /* a start: its first second */
    assert_string_equal(field(&c, 0, "end"), "2024-03-06T23:59:59");
}

/* A Patient's gender or birthDate that contradicts the personnummer is
 * counted (the caller warns; the personnummer wins), and named by its
 * resource id, never by the number. 200607092384: a woman born 2006-07-09. */
static void test_patient_contradicts_pnr(void **state)
{
    (void)state;
    static const struct {
        const char *extra;
        int contradicted;
    } cases[] = {
        { ",\"gender\":\"female\",\"birthDate\":\"2006-07-09\"", 0 },
        { ",\"gender\":\"unknown\",\"birthDate\":\"2006\"", 0 },
        { ",\"gender\":\"male\"", 1 },
        { ",\"birthDate\":\"2006-07-10\"", 1 },
        { ",\"birthDate\":\"2005-07\"", 1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char json[512];
        snprintf(json, sizeof json,
                 "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"identifier\":[{"
                 "\"system\":\"http://electronichealth.se/identifier/personnummer\","
                 "\"value\":\"200607092384\"}]%s}",
                 cases[i].extra);
        struct caught_records c = {0};
        struct reg_fhir_stats st;
        struct kn_error err = KN_ERROR_INIT;
        assert_int_equal(
            reg_fhir_map_mem("p.json", json, strlen(json), NULL, on_record, &c, &st, &err),
            0);
        assert_int_equal(c.n, 1); /* stored all the same */
        if ((int)st.contradicted != cases[i].contradicted)
            fail_msg("case %zu: contradicted %llu", i, (unsigned long long)st.contradicted);
        if (cases[i].contradicted)
            assert_string_equal(st.contradicted_first, "Patient/p1");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_diagnoses),
        cmocka_unit_test(test_times_r4),
        cmocka_unit_test(test_patient_contradicts_pnr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
