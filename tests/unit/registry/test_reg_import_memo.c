/* tests/unit/registry/test_reg_import_memo.c: the person of an event row
 * when the row before had the same number (src/registry/reg_field.c
 * find_person, reg_parse_ctx; reg_csv.c producer).
 *
 * The CSV producer thread keeps the last event row's personnummer text
 * with its pseudonym and person, and reuses them for a row with the same
 * text. These tests import event files whose rows change person, change
 * the written form of one person's number, carry bad numbers and other
 * bad fields next to good ones, and run across the producer's batches
 * (2048 rows), and check that every stored row is its own person's
 * (joined by source ids) and every rejected row has its own error. The
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

/* "<record>:<person>" of every record of table (care_plan, contact) by
 * source ids, one a line, in the order they were stored. */
static char *pairs(struct fx *f, const char *table)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT t.source_id || ':' || p.source_id FROM %s t "
             "JOIN person p ON p.id = t.person_id ORDER BY t.id", table);
    struct kn_error err = KN_ERROR_INIT;
    struct store_stmt *st = NULL;
    if (store_prepare(f->s, sql, &st, &err) != 0)
        fail_msg("%s: %s", sql, err.msg);
    struct strbuf sb = STRBUF_INIT;
    int rc;
    while ((rc = store_step(st, &err)) == STORE_ROW)
        sb_addf(&sb, "%s\n", store_col_text(st, 0, NULL));
    store_finalize(st);
    assert_int_equal(rc, STORE_DONE);
    return sb_detach(&sb, NULL);
}

/* got equals want; else fail at the first line that differs. */
static void assert_lines(const char *got, const char *want)
{
    if (strcmp(got, want) == 0)
        return;
    size_t line = 1, i = 0;
    for (; got[i] != '\0' && got[i] == want[i]; i++)
        line += got[i] == '\n';
    while (i > 0 && got[i - 1] != '\n')
        i--;
    fail_msg("line %zu: got '%.40s', want '%.40s'", line, got + i, want + i);
}

static void load_people(struct fx *f)
{
    import_ok(f, "units", units_csv);
    import_ok(f, "persons", persons_csv); /* p1 = P1, p2 = P2, p3 = P3 */
}

/* Every written form of the three persons' numbers. */
static const char *const forms[3][4] = {
    { "20060709-2384", "200607092384", "060709-2384", "0607092384" },
    { "20030606-2381", "200306062381", "030606-2381", "0306062381" },
    { "20080212-2390", "200802122390", "080212-2390", "0802122390" },
};

/* ---- persons changing from row to row ---- */

static void test_alternating_persons(void **state)
{
    struct fx *f = *state;
    load_people(f);
    static const int who[] = { 1, 1, 2, 2, 1, 3, 1, 1, 3, 2, 1, 2, 3, 3, 3, 1 };
    size_t n = sizeof who / sizeof who[0];
    struct strbuf plans = STRBUF_INIT, contacts = STRBUF_INIT;
    sb_addstr(&plans, "source_system,source_id,pnr,time,plan_type\n");
    sb_addstr(&contacts, "source_system,source_id,pnr,unit,contact_type,start\n");
    for (size_t i = 0; i < n; i++) {
        const char *pnr = forms[who[i] - 1][0];
        sb_addf(&plans, "t,k%zu,%s,2024-01-%02zu,sip\n", i, pnr, i + 1);
        sb_addf(&contacts, "t,c%zu,%s,OUT,outpatient,2024-02-%02zuT10:00\n", i, pnr, i + 1);
    }
    import_ok(f, "care_plans", plans.buf);
    import_ok(f, "contacts", contacts.buf);
    char *got_plans = pairs(f, "care_plan"), *got_contacts = pairs(f, "contact");
    struct strbuf want_k = STRBUF_INIT, want_c = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        sb_addf(&want_k, "k%zu:p%d\n", i, who[i]);
        sb_addf(&want_c, "c%zu:p%d\n", i, who[i]);
    }
    assert_lines(got_plans, want_k.buf);
    assert_lines(got_contacts, want_c.buf);
    assert_fk_ok(f);
    free(got_plans);
    free(got_contacts);
    sb_release(&plans);
    sb_release(&contacts);
    sb_release(&want_k);
    sb_release(&want_c);
}

/* One person's number in several forms in a row: one person. */
static void test_written_forms_one_person(void **state)
{
    struct fx *f = *state;
    load_people(f);
    import_ok(f, "care_plans",
              "source_system,source_id,pnr,time,plan_type\n"
              "t,k1,20060709-2384,2024-01-01,sip\n"
              "t,k2,200607092384,2024-01-02,sip\n"
              "t,k3,060709-2384,2024-01-03,sip\n"
              "t,k4,0607092384,2024-01-04,sip\n"
              "t,k5,0607092384,2024-01-05,sip\n"
              "t,k6,200306062381,2024-01-06,sip\n"
              "t,k7,20030606-2381,2024-01-07,sip\n"
              "t,k8,060709-2384,2024-01-08,sip\n");
    char *got = pairs(f, "care_plan");
    assert_lines(got, "k1:p1\nk2:p1\nk3:p1\nk4:p1\nk5:p1\nk6:p2\nk7:p2\nk8:p1\n");
    free(got);
    assert_int_equal(count_of(f, "person"), 3);
    assert_fk_ok(f);
}

/* ---- bad rows next to good ones ---- */

static void test_bad_rows_between_good_ones(void **state)
{
    struct fx *f = *state;
    load_people(f);
    char unknown[14];
    subst_pnr("@unknown", unknown); /* valid, no stored person */
    struct strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "source_system,source_id,pnr,time,plan_type\n"
                 "t,k1," P1 ",2024-01-01,sip\n"          /* 2 */
                 "t,k2,20060709-2385,2024-01-02,sip\n"   /* 3: P1 with a wrong check digit */
                 "t,k3,20060709-2385,2024-01-03,sip\n"   /* 4: the same again */
                 "t,k4," P1 ",2024-01-04,sip\n"          /* 5 */
                 "t,k5," P1 ",2024-01-05,nonsense\n"     /* 6: same number, bad type */
                 "t,k6," P1 ",2005-01-06,sip\n"          /* 7: before P1's birth */
                 "t,k7," P1 ",2024-01-07,sip\n"          /* 8 */
                 "t,k8,%s,2024-01-08,sip\n"              /* 9: nobody's */
                 "t,k9,%s,2024-01-09,sip\n"              /* 10: the same again */
                 "t,k10," P2 ",2024-01-10,sip\n"         /* 11 */
                 "t,k11," P2 "\n"                        /* 12: too few fields */
                 "t,k12," P2 ",2024-01-12,sip\n"         /* 13 */
                 "t,k13,20030606-2381,2024-01-13,sip\n"  /* 14: P2, another form */
                 "t,k14,,2024-01-14,sip\n"               /* 15: no number */
                 "t,k15," P2 ",2024-01-15,sip\n"         /* 16 */
                 "t,k16," P1 ",2024-01-16,sip\n",        /* 17 */
           unknown, unknown);
    struct imp o = { true, NULL };
    struct result r;
    import_text(f, "care_plans", "care_plans.csv", sb.buf, &o, &r);
    sb_release(&sb);
    assert_int_equal(r.csv_rc, 0);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.st.rows, 16);
    assert_int_equal(r.st.rejected, 8);
    assert_int_equal(r.st.stored, 8);

    static const struct {
        const char *where, *reason;
    } want[] = {
        { "care_plans.csv:3", "field 'pnr': the check digit does not match" },
        { "care_plans.csv:4", "field 'pnr': the check digit does not match" },
        { "care_plans.csv:6", "field 'plan_type': 'nonsense' is not one of" },
        { "care_plans.csv:7", "field 'time': lies before the person's birth" },
        { "care_plans.csv:9", "field 'pnr': no stored person has this number" },
        { "care_plans.csv:10", "field 'pnr': no stored person has this number" },
        { "care_plans.csv:12", "the row has 3 fields; the header has 5" },
        { "care_plans.csv:15", "field 'pnr': is empty but required" },
    };
    assert_int_equal(r.n, 8);
    for (int i = 0; i < 8; i++) {
        assert_string_equal(r.where[i], want[i].where);
        if (strstr(r.reason[i], want[i].reason) == NULL)
            fail_msg("%s: '%s' is not in '%s'", r.where[i], want[i].reason, r.reason[i]);
        /* the bad number is no known one: look for its own digits */
        assert_null(strstr(r.reason[i], "2385"));
        assert_null(strstr(r.reason[i], "060709"));
    }
    char *got = pairs(f, "care_plan");
    assert_lines(got, "k1:p1\nk4:p1\nk7:p1\nk10:p2\nk12:p2\nk13:p2\nk15:p2\nk16:p1\n");
    free(got);
    assert_fk_ok(f);
}

/* ---- runs of one person across the producer's batches ---- */

#define LONG_ROWS 5000

struct run_of {
    int person; /* 0..2: p1..p3 */
    int form;   /* forms[person][form] */
    int rows;
};

/* Batch boundaries fall before rows 2048 and 4096 (0-based); the run of p2
 * ends right at the first, the run of p3 crosses the second, the run of
 * p3 (form 2) crosses the first. */
static const struct run_of runs[] = {
    { 0, 0, 5 },    { 1, 0, 1 },    { 0, 0, 1 }, { 0, 1, 3 }, { 2, 2, 2030 },
    { 1, 3, 8 },    { 0, 2, 1000 }, { 2, 0, 1200 }, { 1, 1, 1 }, { 2, 0, 1 },
    { 0, 3, 750 },
};

static void test_runs_across_batches(void **state)
{
    struct fx *f = *state;
    load_people(f);
    struct strbuf text = STRBUF_INIT, want = STRBUF_INIT;
    sb_addstr(&text, "source_system,source_id,pnr,time,plan_type\n");
    int count[3] = { 0, 0, 0 }, row = 0;
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
        for (int i = 0; i < runs[r].rows; i++, row++) {
            sb_addf(&text, "t,k%d,%s,2024-%02d-%02dT%02d:%02d,sip\n", row,
                    forms[runs[r].person][runs[r].form], 1 + row % 12, 1 + row % 28,
                    row % 24, row % 60);
            sb_addf(&want, "k%d:p%d\n", row, runs[r].person + 1);
            count[runs[r].person]++;
        }
    }
    assert_int_equal(row, LONG_ROWS);
    struct result r;
    import_text(f, "care_plans", "care_plans.csv", text.buf, NULL, &r);
    sb_release(&text);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.st.rows, LONG_ROWS);
    assert_int_equal(r.st.stored, LONG_ROWS);
    assert_int_equal(r.st.rejected, 0);
    for (int p = 0; p < 3; p++) {
        char sql[200];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM care_plan c JOIN person p "
                 "ON p.id = c.person_id WHERE p.source_id = 'p%d'", p + 1);
        assert_int_equal(scalar(f, sql), count[p]);
    }
    char *got = pairs(f, "care_plan");
    assert_lines(got, want.buf);
    free(got);
    sb_release(&want);
    assert_fk_ok(f);
}

/* A file that runs twice (a repeat in bulk mode; the persons are loaded
 * again in between): the second run finds its persons afresh, though its
 * first row has the number text the first run ended with. */
static void test_runs_in_a_file_that_runs_twice(void **state)
{
    struct fx *f = *state;
    load_people(f);
    struct strbuf text = STRBUF_INIT, want = STRBUF_INIT;
    sb_addstr(&text, "source_system,source_id,pnr,time,plan_type\n");
    for (int row = 0; row < 3000; row++) {
        int person = row / 700 % 3; /* runs of 700 */
        sb_addf(&text, "t,k%d,%s,2024-%02d-%02d,sip\n", row, forms[person][row / 2100],
                1 + row % 12, 1 + row % 28);
        sb_addf(&want, "k%d:p%d\n", row, person + 1);
    }
    /* k0 again at the end, written as in the first row */
    sb_addf(&text, "t,k0,%s,2024-01-01,sip\n", forms[0][0]);
    struct result r;
    import_text(f, "care_plans", "care_plans.csv", text.buf, NULL, &r);
    sb_release(&text);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.st.rows, 3001);
    assert_int_equal(r.st.stored, 3000);
    assert_int_equal(r.st.repeated, 1);
    assert_int_equal(r.st.rejected, 0);
    assert_int_equal(count_of(f, "care_plan"), 3000);
    char buf[32];
    assert_string_equal(text_of(f, "SELECT plan_type FROM care_plan WHERE source_id = 'k0'",
                                buf, sizeof buf), "sip");
    char *got = pairs(f, "care_plan");
    assert_lines(got, want.buf);
    free(got);
    sb_release(&want);
    assert_fk_ok(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_alternating_persons, setup, teardown),
        cmocka_unit_test_setup_teardown(test_written_forms_one_person, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_rows_between_good_ones, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runs_across_batches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runs_in_a_file_that_runs_twice, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
