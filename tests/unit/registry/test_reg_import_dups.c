/* tests/unit/registry/test_reg_import_dups.c: rows that meet other rows
 * in the import (src/registry/reg_import.c, reg_kinds.c): duplicates within
 * one file (a repeat with other contents is a conflict, persons in bulk), references to rows of the
 * same file, and conflicts with the store reported as row errors. The
 * fixture is reg_import_fixture.h.
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

/* ---- duplicates and references within one file ---- */

/* A record repeated within one file: with equal contents the later row is
 * counted as repeated (not stored twice), with different contents it is a
 * conflict, rejected with both line numbers, and the earlier row stands.
 * On the bulk path (an empty table) the rebuilt index finds the repeat and
 * the rows run again; on the upsert path the file's keys are noted. A
 * re-import of the same file stores nothing. */
static void test_repeats_within_a_file(void **state)
{
    struct fx *f = *state;
    load_base(f);
    static const char plans[] =
        "source_system,source_id,pnr,time,plan_type\n"
        "t,k1," P1 ",2023-03-10,crisis_plan\n"
        "t,k2," P1 ",2023-03-20,sip\n"
        "t,k1," P1 ",2023-03-11,care_plan\n" /* differs from line 2 */
        "t,k3," P2 ",2024-03-20,sip\n"
        "t,k2," P1 ",2023-03-20,sip\n"; /* equal to line 3 */
    const struct imp keep = { true, NULL };
    struct result r;
    /* without --keep-valid the conflict rejects the file */
    import_text(f, "care_plans", "care_plans.csv", plans, NULL, &r);
    assert_int_equal(r.rc, KN_EINPUT);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.where[0], "care_plans.csv:4");
    assert_non_null(strstr(r.reason[0], "record 'k1' repeats line 2 with different contents"));
    assert_non_null(strstr(r.reason[0], "lines 2 and 4"));
    assert_int_equal(count_of(f, "care_plan"), 0);

    /* empty table: the bulk path */
    import_text(f, "care_plans", "care_plans.csv", plans, &keep, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.where[0], "care_plans.csv:4");
    assert_int_equal(r.st.rows, 5);
    assert_int_equal(r.st.stored, 3);
    assert_int_equal(r.st.unchanged, 0);
    assert_int_equal(r.st.repeated, 1);
    assert_int_equal(r.st.rejected, 1);
    assert_int_equal(count_of(f, "care_plan"), 3);
    char buf[64];
    assert_string_equal(text_of(f, "SELECT plan_type FROM care_plan WHERE source_id = 'k1'",
                                buf, sizeof buf), "crisis_plan");
    /* the same file again: nothing is stored, the repeats are told again */
    import_text(f, "care_plans", "care_plans.csv", plans, &keep, &r);
    assert_int_equal(r.st.stored, 0);
    assert_int_equal(r.st.unchanged, 3);
    assert_int_equal(r.st.repeated, 1);
    assert_int_equal(r.st.rejected, 1);
    assert_string_equal(r.where[0], "care_plans.csv:4");

    /* non-empty table: the upsert path */
    static const char more[] =
        "source_system,source_id,pnr,time,plan_type\n"
        "t,k3," P2 ",2024-03-20,crisis_plan\n" /* changes the stored k3 */
        "t,k4," P2 ",2024-03-21,sip\n"
        "t,k3," P2 ",2024-03-20,care_plan\n" /* differs from line 2 */
        "t,k4," P2 ",2024-03-21,sip\n";      /* equal to line 3 */
    import_text(f, "care_plans", "care_plans.csv", more, &keep, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.st.stored, 2);
    assert_int_equal(r.st.unchanged, 0);
    assert_int_equal(r.st.repeated, 1);
    assert_int_equal(r.st.rejected, 1);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.where[0], "care_plans.csv:4");
    assert_non_null(strstr(r.reason[0], "record 'k3' repeats line 2"));
    assert_int_equal(count_of(f, "care_plan"), 4);
    assert_string_equal(text_of(f, "SELECT plan_type FROM care_plan WHERE source_id = 'k3'",
                                buf, sizeof buf), "crisis_plan");
    import_text(f, "care_plans", "care_plans.csv", more, &keep, &r);
    assert_int_equal(r.st.stored, 0);
    assert_int_equal(r.st.unchanged, 2);
    assert_int_equal(r.st.repeated, 1);
    assert_int_equal(r.st.rejected, 1);
    /* The same source_id in another source system is another record. */
    import_text(f, "care_plans", "care_plans.csv",
                "source_system,source_id,pnr,time,plan_type\n"
                "u,k3," P2 ",2024-03-20,sip\n",
                NULL, &r);
    assert_int_equal(r.st.stored, 1);
    assert_int_equal(count_of(f, "care_plan"), 5);

    assert_fk_ok(f);
}

/* A person's record repeated with other contents is a conflict; the same
 * person under another source id is another record of that person. */
static void test_duplicate_persons_bulk(void **state)
{
    struct fx *f = *state;
    import_ok(f, "units", units_csv);
    const struct imp keep = { true, NULL };
    struct result r;
    import_text(f, "persons", "persons.csv",
                "source_system,source_id,pnr,municipality,death_date,death_by_suicide\n"
                "t,p1," P1 ",0380,,\n"
                "t,p2," P2 ",0305,,\n"
                "t,p9,060709-2384,0380,,\n" /* same person under another id */
                "t,p1," P1 ",0180,,\n"      /* same record, moved: a conflict */
                "t,p3," P3 ",0380,,\n",
                &keep, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.st.rows, 5);
    assert_int_equal(count_of(f, "person"), 3);
    assert_int_equal(r.st.stored, 3);
    assert_int_equal(r.st.unchanged, 1);
    assert_int_equal(r.st.repeated, 0);
    assert_int_equal(r.st.rejected, 1);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.where[0], "persons.csv:5");
    assert_non_null(strstr(r.reason[0], "record 'p1' repeats line 2 with different"));
    assert_int_equal(scalar(f, "SELECT count(*) FROM person WHERE municipality = '0380' "
                               "AND region_code = '03' AND birth_year = 2006"), 1);
    /* Events find each person once, by any form of the number. */
    import_ok(f, "contacts",
              "source_system,source_id,pnr,unit,contact_type,start\n"
              "t,c1,0607092384,OUT,outpatient,2024-01-01\n"
              "t,c2," P3 ",OUT,outpatient,2024-01-01\n");
    assert_int_equal(scalar(f, "SELECT count(DISTINCT person_id) FROM contact"), 2);
    assert_int_equal(scalar(f, "SELECT count(*) FROM contact c JOIN person p ON p.id = "
                               "c.person_id WHERE (c.source_id, p.source_id) IN "
                               "(VALUES ('c1', 'p1'), ('c2', 'p3'))"), 2);
    assert_fk_ok(f);
}

/* Coercive measures that extend each other: the table leaves bulk mode in
 * the middle of the file (extends_id is looked up), and a later row that
 * repeats an earlier one is still found and told with both lines. */
static void test_repeat_after_bulk_ends(void **state)
{
    struct fx *f = *state;
    import_ok(f, "units", units_csv);
    import_ok(f, "persons", persons_csv);
    import_ok(f, "contacts", contacts_csv);
    const struct imp keep = { true, NULL };
    struct result r;
    import_text(f, "coercive_measures", "measures.csv",
                "source_system,source_id,pnr,stay_id,measure_type,legal_basis,decided,start,"
                "end,extends_id\n"
                "t,m1," P1 ",s1,fastspanning,LPT,,2023-03-06T14:05,2023-03-06T18:05,\n"
                "t,m2," P1 ",s1,fastspanning,LPT,,2023-03-06T18:05,2023-03-06T22:05,m1\n"
                "t,m1," P1 ",s1,fastspanning,LPT,,2023-03-06T14:05,2023-03-06T19:05,\n"
                "t,m2," P1 ",s1,fastspanning,LPT,,2023-03-06T18:05,2023-03-06T22:05,m1\n",
                &keep, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.st.stored, 2);
    assert_int_equal(r.st.repeated, 1);
    assert_int_equal(r.st.rejected, 1);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.where[0], "measures.csv:4");
    assert_non_null(strstr(r.reason[0], "record 'm1' repeats line 2"));
    assert_int_equal(count_of(f, "coercive_measure"), 2);
    kn_time t;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(time_parse("2023-03-06T18:05", 16, &t, &err), 0);
    assert_int_equal(scalar(f, "SELECT end_time FROM coercive_measure WHERE source_id = 'm1'"),
                     t);
    assert_fk_ok(f);
}

static void test_references_within_one_file(void **state)
{
    struct fx *f = *state;
    import_ok(f, "units", units_csv);
    import_ok(f, "persons", persons_csv);
    /* contacts and measures both bulk-loaded in one session each */
    import_ok(f, "contacts", contacts_csv);
    static const char chain[] =
        "source_system,source_id,pnr,stay_id,measure_type,legal_basis,decided,start,end,"
        "extends_id\n"
        "t,m1," P1 ",s1,fastspanning,LPT,,2023-03-06T14:05,2023-03-06T18:05,\n"
        "t,m2," P1 ",s1,fastspanning,LPT,,2023-03-06T18:05,2023-03-06T22:05,m1\n"
        "t,m3," P1 ",s1,fastspanning,LPT,,2023-03-06T22:05,2023-03-07T02:05,m2\n"
        "t,m4," P1 ",s3,avskiljning,LPT,,2024-06-02T08:00,,\n";
    struct result r;
    import_text(f, "coercive_measures", "coercive_measures.csv", chain, NULL, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.st.stored, 4);
    assert_int_equal(count_of(f, "coercive_measure"), 4);
    assert_int_equal(scalar(f, "SELECT count(*) FROM coercive_measure a "
                               "JOIN coercive_measure b ON b.id = a.extends_id "
                               "WHERE (a.source_id, b.source_id) IN "
                               "(VALUES ('m2', 'm1'), ('m3', 'm2'))"), 2);
    import_text(f, "coercive_measures", "coercive_measures.csv", chain, NULL, &r);
    assert_int_equal(r.st.unchanged, 4);

    /* A reference to a row further down the file is not yet there. */
    import_text(f, "coercive_measures", "later.csv",
                "source_system,source_id,pnr,stay_id,measure_type,legal_basis,start,"
                "extends_id\n"
                "t,n1," P1 ",s1,other,LPT,2023-03-08T10:00,n2\n"
                "t,n2," P1 ",s1,other,LPT,2023-03-08T09:00,\n",
                NULL, &r);
    assert_int_equal(r.rc, KN_EINPUT);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.where[0], "later.csv:2");
    assert_non_null(strstr(r.reason[0], "field 'extends_id': no coercive measure with "
                                        "source_id 'n2'"));
    /* An extension in the same file must be of the same stay. */
    import_text(f, "coercive_measures", "other-stay.csv",
                "source_system,source_id,pnr,stay_id,measure_type,legal_basis,start,"
                "extends_id\n"
                "t,n1," P1 ",s1,other,LPT,2023-03-08T10:00,\n"
                "t,n2," P1 ",s3,other,LPT,2024-06-03T09:00,n1\n",
                NULL, &r);
    assert_int_equal(r.rc, KN_EINPUT);
    assert_string_equal(r.where[0], "other-stay.csv:3");
    assert_non_null(strstr(r.reason[0], "field 'extends_id': extends a measure of another"));
    assert_int_equal(count_of(f, "coercive_measure"), 4);

    /* contacts and the stays they hold, in one session of two files */
    char p1[128], p2[128];
    write_file(f, "contacts2.csv",
               "source_system,source_id,pnr,unit,contact_type,start,end\n"
               "u,s1," P2 ",IN,inpatient,2025-01-01T10:00,2025-01-09T10:00\n",
               p1, sizeof p1);
    write_file(f, "follow_ups.csv",
               "source_system,source_id,pnr,time,mode,stay_id\n"
               "u,f1," P2 ",2025-01-12T10:00,video,s1\n",
               p2, sizeof p2);
    const char *kinds[] = { "contacts", "follow_ups" };
    const char *paths[] = { p1, p2 };
    import_paths(f, 2, kinds, paths, NULL, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(scalar(f, "SELECT count(*) FROM follow_up f JOIN contact c "
                               "ON c.id = f.stay_id WHERE c.source_system = 'u'"), 1);
    assert_fk_ok(f);
}

/* A clash with a stored record that only the store notices is a row error
 * too, at the row's line. */
static void test_store_conflicts_are_row_errors(void **state)
{
    struct fx *f = *state;
    load_base(f);
    char *before = dump(f);
    struct result r;
    /* a unit code is unique: 'IN' belongs to u1 */
    import_text(f, "units", "units.csv",
                "source_system,source_id,code,name,region_code,unit_type,setting\n"
                "t,u8,NY,Ny,03,bup,inpatient\n"
                "t,u9,IN,Annan,03,bup,inpatient\n",
                NULL, &r);
    assert_int_equal(r.csv_rc, 0);
    assert_int_equal(r.rc, KN_EINPUT);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.where[0], "units.csv:3");
    assert_non_null(strstr(r.reason[0], "'u9'"));
    assert_non_null(strstr(r.reason[0], "code"));
    /* a person record that comes back with another number */
    import_text(f, "persons", "persons.csv",
                "source_system,source_id,pnr,municipality\n"
                "t,p1," P4 ",0380\n",
                NULL, &r);
    assert_int_equal(r.rc, KN_EINPUT);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.where[0], "persons.csv:2");
    char *after = dump(f);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_repeats_within_a_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_repeat_after_bulk_ends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_persons_bulk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_references_within_one_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_conflicts_are_row_errors, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
