/* tests/unit/registry/test_reg_import_files.c: whole files in the import
 * (src/registry/reg_import.c, reg_csv.c): faults of the header and the
 * field count with their line numbers, atomicity (a bad row stores
 * nothing, dumps of every table compared before and after; one session is
 * one transaction), and files larger than one batch. The fixture is
 * reg_import_fixture.h.
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

#include "reg_import_fixture.h"
#include "reg_import_data.h"

/* ---- file-level faults and line numbers ---- */

static void expect_file_error(struct fx *f, const char *kind, const char *text,
                              const char *msg)
{
    struct result r;
    char name[64];
    snprintf(name, sizeof name, "%s-bad.csv", kind);
    import_text(f, kind, name, text, NULL, &r);
    assert_int_equal(r.csv_rc, KN_EINPUT);
    if (strstr(r.err.msg, msg) == NULL)
        fail_msg("expected '%s' in '%s'", msg, r.err.msg);
}

static void test_header_faults(void **state)
{
    struct fx *f = *state;
    load_base(f);
    char *before = dump(f);
    expect_file_error(f, "care_plans",
                      "source_system,source_id,pnr,time,plan_type,colour\n"
                      "t,k1," P1 ",2023-03-10,sip,red\n",
                      "care_plans-bad.csv:1: unknown column 'colour' for kind 'care_plans'");
    expect_file_error(f, "care_plans",
                      "source_system,source_id,pnr,Time,plan_type\n"
                      "t,k1," P1 ",2023-03-10,sip\n",
                      "care_plans-bad.csv:1: unknown column 'Time'");
    expect_file_error(f, "care_plans",
                      "source_system,source_id,pnr,plan_type\n"
                      "t,k1," P1 ",sip\n",
                      "care_plans-bad.csv:1: required column 'time' is missing");
    expect_file_error(f, "contacts",
                      "source_system,source_id,pnr,unit,contact_type,end\n"
                      "t,k1," P1 ",OUT,outpatient,\n",
                      "contacts-bad.csv:1: required column 'start' is missing");
    expect_file_error(f, "care_plans",
                      "source_system,source_id,pnr,time,plan_type,time\n"
                      "t,k1," P1 ",2023-03-10,sip,2023-03-10\n",
                      "care_plans-bad.csv:1: column 'time' appears twice");
    expect_file_error(f, "care_plans", "", "the file is empty");
    expect_file_error(f, "care_plans",
                      "source_system,source_id,pnr,time,plan_type\n"
                      "t,k1," P1 ",2023-03-10,sip\n"
                      "t,k\xe5," P1 ",2023-03-10,sip\n",
                      "care_plans-bad.csv:3:2: invalid UTF-8");
    /* A CSV syntax fault fails the file, naming its line. */
    expect_file_error(f, "care_plans",
                      "source_system,source_id,pnr,time,plan_type\n"
                      "t,k1," P1 ",2023-03-10,sip\n"
                      "t,k\"2," P1 ",2023-03-10,sip\n",
                      "care_plans-bad.csv:3:");
    char *after = dump(f);
    assert_string_equal(before, after);
    free(before);
    free(after);

    /* Optional columns may be left out, in any order; a BOM and CRLF are fine. */
    struct result r;
    import_text(f, "contacts", "contacts-short.csv",
                "\xef\xbb\xbf" "contact_type,start,unit,pnr,source_id,source_system\r\n"
                "outpatient,2024-05-14T09:00,OUT," P1 ",k1,t\r\n"
                "emergency,2024-05-15T09:00,EM," P1 ",k2,t\r\n",
                NULL, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.st.stored, 2);
    assert_int_equal(scalar(f, "SELECT count(*) FROM contact WHERE source_id IN ('k1','k2') "
                               "AND end_time IS NULL AND legal_basis = 'voluntary' "
                               "AND brief_admission = 0 AND main_diagnosis IS NULL"), 2);
}

/* A personnummer in a file's name is masked wherever the name goes: the
 * messages, and import_run in the store (issue 10, item 1). A file without
 * a header row has its first data row taken for the header: the unknown
 * "column" is quoted masked (issue 10, item 2). */
static void test_pnr_in_file_name_and_header(void **state)
{
    struct fx *f = *state;
    load_base(f);
    struct result r;
    import_text(f, "care_plans", "care_plans_20070505-5556.csv",
                "source_system,source_id,pnr,time,plan_type\n"
                "t,k1," P1 ",2023-03-10,sip\n", NULL, &r);
    assert_int_equal(r.rc, 0);
    char buf[512];
    text_of(f, "SELECT file_name FROM import_run ORDER BY id DESC LIMIT 1", buf, sizeof buf);
    if (strstr(buf, "/care_plans_XXXXXXXX-XXXX.csv") == NULL)
        fail_msg("import_run.file_name is '%s'", buf);

    /* No header: the first row is read as one. */
    import_text(f, "persons", "200706066669.csv",
                "t,p9,20070101-1116,0380,,\n", NULL, &r);
    assert_int_equal(r.csv_rc, KN_EINPUT);
    if (strstr(r.err.msg, "XXXXXXXXXXXX.csv:1: unknown column 't'") == NULL)
        fail_msg("unexpected message: %s", r.err.msg);
    import_text(f, "persons", "persons-nohdr.csv",
                "20070101-1116,t,p9,0380,,\n", NULL, &r);
    assert_int_equal(r.csv_rc, KN_EINPUT);
    assert_string_equal(r.err.msg, "persons-nohdr.csv:1: unknown column 'XXXXXXXX-XXXX' "
                                   "for kind 'persons' (see docs/import-format.md)");
    /* A file that cannot be opened is named masked too. */
    const char *kinds[] = { "persons" };
    const char *paths[] = { "/nonexistent/persons_0705055556.csv" };
    import_paths(f, 1, kinds, paths, NULL, &r);
    assert_int_equal(r.csv_rc, KN_ENOTFOUND);
    if (strstr(r.err.msg, "persons_XXXXXXXXXX.csv") == NULL)
        fail_msg("unexpected message: %s", r.err.msg);
}

static void test_wrong_field_count_and_lines(void **state)
{
    struct fx *f = *state;
    load_base(f);
    struct result r;
    /* Physical lines: a quoted line break and a blank line count. */
    import_text(f, "units", "units-lines.csv",
                "source_system,source_id,code,name,region_code,unit_type,setting\n"
                "t,v1,V1,\"Avdelning\n3\",03,bup,inpatient\n"   /* lines 2-3 */
                "t,v2,V2,Kort,03,bup\n"                         /* line 4: 6 fields */
                "\n"                                            /* line 5 */
                "t,v3,V3,Lång,03,bup,inpatient,extra\n"         /* line 6: 8 fields */
                "t,v4,V4,Bra,03,bup,inpatient\n"                /* line 7 */
                "t,v5,V5,Fel,99,bup,inpatient\n",               /* line 8 */
                NULL, &r);
    assert_int_equal(r.csv_rc, 0);
    assert_int_equal(r.rc, KN_EINPUT);
    assert_int_equal(r.st.rows, 5);
    assert_int_equal(r.st.rejected, 4);
    assert_int_equal(r.n, 4);
    /* a name is one line of text: the line break is a control character */
    assert_string_equal(r.where[0], "units-lines.csv:2");
    assert_string_equal(r.reason[0], "field 'name': holds a control character");
    assert_string_equal(r.where[1], "units-lines.csv:4");
    assert_string_equal(r.reason[1], "the row has 6 fields; the header has 7");
    assert_string_equal(r.where[2], "units-lines.csv:6");
    assert_string_equal(r.reason[2], "the row has 8 fields; the header has 7");
    assert_string_equal(r.where[3], "units-lines.csv:8");
    assert_non_null(strstr(r.reason[3], "field 'region_code': '99' is not a region code"));
    assert_int_equal(count_of(f, "care_unit"), 3);
    /* The finish error sums it up. */
    assert_non_null(strstr(r.err.msg, "4 of 5 rows were rejected"));

    /* Every bad row is reported, not only the first. */
    import_text(f, "care_plans", "care_plans-many.csv",
                "source_system,source_id,pnr,time,plan_type\n"
                "t,k1," P1 ",2023-03-10,sip\n"
                "t,k2," P1 ",2023-03-10,nope\n"
                "t,k3," P1 ",2023-03-32,sip\n"
                "t,k4," P1 ",2023-03-10,sip\n"
                "t,k5,@,2023-03-10,sip\n"
                ",k6," P1 ",2023-03-10,sip\n",
                NULL, &r);
    assert_int_equal(r.rc, KN_EINPUT);
    assert_int_equal(r.n, 4);
    assert_string_equal(r.where[0], "care_plans-many.csv:3");
    assert_non_null(strstr(r.reason[0], "field 'plan_type':"));
    assert_string_equal(r.where[1], "care_plans-many.csv:4");
    assert_non_null(strstr(r.reason[1], "field 'time':"));
    assert_string_equal(r.where[2], "care_plans-many.csv:6");
    assert_non_null(strstr(r.reason[2], "field 'pnr':"));
    assert_string_equal(r.where[3], "care_plans-many.csv:7");
    assert_non_null(strstr(r.reason[3], "field 'source_system': is empty but required"));
    assert_int_equal(count_of(f, "care_plan"), 0);
}

/* ---- atomicity ---- */

static void expect_unchanged(struct fx *f, const char *kind, const char *name,
                             const char *text, int bad_line)
{
    char *before = dump(f);
    struct result r;
    import_text(f, kind, name, text, NULL, &r);
    assert_int_equal(r.csv_rc, 0);
    assert_int_equal(r.rc, KN_EINPUT);
    assert_int_equal(r.n, 1);
    char where[96];
    snprintf(where, sizeof where, "%s:%d", name, bad_line);
    assert_string_equal(r.where[0], where);
    char *after = dump(f);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void test_bad_row_stores_nothing(void **state)
{
    struct fx *f = *state;
    import_ok(f, "units", units_csv);

    /* persons into an empty table (the bulk path) */
    expect_unchanged(f, "persons", "persons.csv",
                     "source_system,source_id,pnr,municipality,death_date,death_by_suicide\n"
                     "t,p1," P1 ",0380,,\n"
                     "t,p2," P2 ",0305,,\n"
                     "t,p3," P3 ",9999,,\n"
                     "t,p4," P4 ",0180,,\n",
                     4);
    assert_int_equal(count_of(f, "person"), 0);
    import_ok(f, "persons", persons_csv);

    /* contacts into an empty table (bulk), bad row in the middle */
    const char *contacts_bad =
        "source_system,source_id,pnr,unit,contact_type,start,end\n"
        "t,s1," P1 ",IN,inpatient,2023-03-05T03:00,2023-03-12T11:00\n"
        "t,s2," P2 ",IN,inpatient,2024-02-01T10:00,2024-02-03T10:00\n"
        "t,s2," P2 ",IN,inpatient,2024-02-01T10:00,2024-02-03T10:00\n" /* repeat */
        "t,e1," P1 ",EM,emergency,2023-03-04T22:10,2023-03-04T22:00\n" /* bad */
        "t,s3," P1 ",IN,inpatient,2024-06-01T08:00,\n"
        "t,s4," P3 ",OUT,outpatient,2024-06-01T08:00,\n";
    expect_unchanged(f, "contacts", "contacts.csv", contacts_bad, 5);
    assert_int_equal(count_of(f, "contact"), 0);

    /* The rollback left the schema whole: a good file now imports, twice. */
    import_ok(f, "contacts", contacts_csv);
    struct result r;
    import_text(f, "contacts", "contacts.csv", contacts_csv, NULL, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.st.unchanged, 4);

    /* contacts into a non-empty table (upsert): a changed row, a new row,
     * a bad row, a bad first row and a bad last row */
    expect_unchanged(f, "contacts", "contacts.csv",
                     "source_system,source_id,pnr,unit,contact_type,start,end\n"
                     "t,s1," P1 ",IN,inpatient,2023-03-05T03:00,2023-03-13T11:00\n"
                     "t,s9," P2 ",IN,inpatient,2024-03-01T10:00,\n"
                     "t,e1," P1 ",NOPE,emergency,2023-03-04T22:10,\n"
                     "t,s3," P1 ",IN,inpatient,2024-06-01T08:00,2024-06-09T08:00\n",
                     4);
    expect_unchanged(f, "contacts", "contacts.csv",
                     "source_system,source_id,pnr,unit,contact_type,start,end\n"
                     "t,s1,19900101,IN,inpatient,2023-03-05T03:00,2023-03-13T11:00\n"
                     "t,s9," P2 ",IN,inpatient,2024-03-01T10:00,\n",
                     2);
    expect_unchanged(f, "contacts", "contacts.csv",
                     "source_system,source_id,pnr,unit,contact_type,start,end\n"
                     "t,s9," P2 ",IN,inpatient,2024-03-01T10:00,\n"
                     "t,s1," P1 ",IN,inpatient,2023-03-05T03:00,2026-12-01\n",
                     3);

    /* measures: bulk, with an extension of a row in the same file */
    expect_unchanged(f, "coercive_measures", "coercive_measures.csv",
                     "source_system,source_id,pnr,stay_id,measure_type,legal_basis,start,"
                     "extends_id\n"
                     "t,m1," P1 ",s1,fastspanning,LPT,2023-03-06T14:05,\n"
                     "t,m2," P1 ",s1,fastspanning,LPT,2023-03-06T15:05,m1\n"
                     "t,m3," P1 ",s1,fastspanning,LPT,2023-03-16T15:05,m2\n",
                     4);
    assert_int_equal(count_of(f, "coercive_measure"), 0);
    /* persons, now non-empty (upsert) */
    expect_unchanged(f, "persons", "persons.csv",
                     "source_system,source_id,pnr,municipality,death_date,death_by_suicide\n"
                     "t,p1," P1 ",0180,,\n"
                     "t,p4," P4 ",0180,,\n"
                     "t,p3," P3 ",0380,2025-01-01,maybe\n",
                     4);
    assert_fk_ok(f);
}

/* One session over several files is one transaction too. */
static void test_session_is_one_transaction(void **state)
{
    struct fx *f = *state;
    char p[4][128];
    write_file(f, "units.csv", units_csv, p[0], sizeof p[0]);
    write_file(f, "persons.csv", persons_csv, p[1], sizeof p[1]);
    write_file(f, "contacts.csv", contacts_csv, p[2], sizeof p[2]);
    write_file(f, "self_harm.csv",
               "source_system,source_id,pnr,time,cause_code,contact_id\n"
               "t,a1," P1 ",2023-03-04T21:30,X61,e1\n"
               "t,a2," P2 ",2024-02-01T09:00,X78,e1\n", /* e1 is P1's */
               p[3], sizeof p[3]);
    const char *kinds[] = { "units", "persons", "contacts", "self_harm" };
    const char *paths[] = { p[0], p[1], p[2], p[3] };
    char *before = dump(f);
    struct result r;
    import_paths(f, 4, kinds, paths, NULL, &r);
    assert_int_equal(r.rc, KN_EINPUT);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.where[0], "self_harm.csv:3");
    assert_non_null(strstr(r.reason[0], "field 'contact_id': belongs to another person"));
    char *after = dump(f);
    assert_string_equal(before, after);
    free(before);
    free(after);

    /* Without the bad row, everything lands, the references resolved
     * within the session. */
    write_file(f, "self_harm.csv",
               "source_system,source_id,pnr,time,cause_code,contact_id\n"
               "t,a1," P1 ",2023-03-04T21:30,X61,e1\n",
               p[3], sizeof p[3]);
    import_paths(f, 4, kinds, paths, NULL, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.st.rows, 3 + 3 + 4 + 1);
    assert_int_equal(r.st.stored, 11);
    assert_int_equal(count_of(f, "care_unit"), 3);
    assert_int_equal(count_of(f, "person"), 3);
    assert_int_equal(count_of(f, "contact"), 4);
    assert_int_equal(scalar(f, "SELECT count(*) FROM self_harm_act a JOIN contact c "
                               "ON c.id = a.contact_id WHERE c.source_id = 'e1'"), 1);
    /* Each event belongs to the person of its number: the ids the session
     * kept for persons it had just inserted are the stored ones. */
    assert_int_equal(scalar(f, "SELECT count(*) FROM contact c JOIN person p "
                               "ON p.id = c.person_id WHERE (c.source_id, p.source_id) IN "
                               "(VALUES ('s1', 'p1'), ('s2', 'p2'), ('e1', 'p1'), "
                               "('s3', 'p1'))"), 4);
    assert_int_equal(scalar(f, "SELECT count(*) FROM self_harm_act a JOIN person p "
                               "ON p.id = a.person_id WHERE p.source_id = 'p1'"), 1);
    assert_fk_ok(f);
}

/* ---- files larger than one batch ---- */

/* A contacts file of n rows for P1; the rows at the lines in bad[] get an
 * unknown unit, and the row at huge_line a main_diagnosis and an
 * other_diagnoses of 0.75 MiB each: a record larger than a batch's text
 * buffer (1 MiB today), each field within the CSV reader's 1 MiB limit. */
static char *big_contacts(int n, const int *bad, size_t nbad, int huge_line)
{
    struct strbuf sb = STRBUF_INIT;
    sb_addstr(&sb, "source_system,source_id,pnr,unit,contact_type,start,main_diagnosis,"
                   "other_diagnoses\n");
    kn_time t0 = time_from_day(date_from_ymd(2020, 1, 1));
    for (int line = 2; line <= n + 1; line++) {
        bool is_bad = false;
        for (size_t i = 0; i < nbad; i++)
            is_bad |= bad[i] == line;
        char when[20];
        time_format(t0 + (kn_time)line * 60, when);
        sb_addf(&sb, "t,b%d," P1 ",%s,outpatient,%s,", line, is_bad ? "NOPE" : "OUT", when);
        for (int half = 0; half < 2; half++) {
            if (line == huge_line)
                for (int i = 0; i < 768 * 1024 / 6; i++)
                    sb_addstr(&sb, "F32.1 ");
            sb_addstr(&sb, half == 0 ? "F41.1," : "F41.1\n");
        }
    }
    return sb_detach(&sb, NULL);
}

static void test_file_of_several_batches(void **state)
{
    struct fx *f = *state;
    load_base(f);
    static const int bad[] = { 2, 2049, 2050, 2051, 4097, 6001 };
    const int huge = 3000, n = 6000;
    char *text = big_contacts(n, bad, sizeof bad / sizeof bad[0], huge);
    int64_t before = count_of(f, "contact");

    /* default: every bad row reported at its line, nothing stored */
    struct result r;
    import_text(f, "contacts", "big.csv", text, NULL, &r);
    if (r.csv_rc != 0)
        fail_msg("the file failed: %s", r.err.msg);
    assert_int_equal(r.rc, KN_EINPUT);
    assert_int_equal(r.st.rows, n);
    assert_int_equal(r.st.rejected, 7);
    assert_int_equal(r.n, 7);
    static const int want[] = { 2, 2049, 2050, 2051, 3000, 4097, 6001 };
    for (int i = 0; i < 7; i++) {
        char where[32];
        snprintf(where, sizeof where, "big.csv:%d", want[i]);
        assert_string_equal(r.where[i], where);
        assert_non_null(strstr(r.reason[i], want[i] == huge ? "field 'main_diagnosis': "
                                                            : "field 'unit': "));
    }
    assert_int_equal(count_of(f, "contact"), before);

    /* keep_valid: the others stored, the reject file in line order */
    char rej[128];
    path_in(f, "big.rejects.csv", rej, sizeof rej);
    struct imp o = { true, rej };
    import_text(f, "contacts", "big.csv", text, &o, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.st.stored, n - 7);
    assert_int_equal(count_of(f, "contact"), before + n - 7);
    size_t len = 0;
    char *got = read_all(rej, &len);
    assert_non_null(got);
    int lines = 0;
    for (char *p = got; (p = strchr(p, '\n')) != NULL; p++) {
        if (p[1] == '\0')
            break;
        lines++;
        if (lines <= 7 && atoi(p + 1) != want[lines - 1])
            fail_msg("reject file row %d has line %d, expected %d", lines, atoi(p + 1),
                     want[lines - 1]);
    }
    assert_int_equal(lines, 7);
    assert_true(len > 1536 * 1024); /* the huge row is written out whole */
    assert_non_null(strstr(got, "F32.1 F41.1,F32.1 F32.1 "));
    assert_null(leaked(got, len));
    free(got);

    /* again: all unchanged, across the batches */
    import_text(f, "contacts", "big.csv", text, &o, &r);
    assert_int_equal(r.st.unchanged, n - 7);
    assert_int_equal(r.st.stored, 0);
    free(text);
    assert_fk_ok(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_header_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pnr_in_file_name_and_header, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_field_count_and_lines, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_row_stores_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_is_one_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_of_several_batches, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
