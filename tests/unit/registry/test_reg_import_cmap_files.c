/* tests/unit/registry/test_reg_import_cmap_files.c: the contacts an import
 * session noted in memory (src/registry/reg_cmap.c) across the files of a
 * session: a rolled-back file (reg_import_next, as a folder import), a
 * retried file (reg_import_attempt: a contact repeated in its file, or a
 * repeat in a later file), and thousands of rows over many persons, the
 * person map growing after the contacts. Each case imports its files
 * together in one session and each file alone (every reference through
 * the store): the outcomes must be equal, and are checked against what the
 * rows say. The fixture is reg_import_twins.h.
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
#include "reg_import_twins.h"

/* ---- (6) a rolled-back file, a retried file ---- */

static const struct file bad_contacts = { "bad.csv", "contacts", CH
    "t,s1," P1 ",IN,inpatient,2023-03-05T03:00,2023-03-12T11:00\n"
    "t,e1," P1 ",EM,emergency,2023-03-04T22:10,2023-03-05T02:30\n"
    "t,s2," P2 ",IN,nonsense,2024-02-01T10:00,2024-02-03T10:00\n"
    "t,s4," P2 ",IN,inpatient,2024-03-01T10:00,\n" };

#define BAD_TOLD                                                                   \
    "bad.csv:4: field 'contact_type': 'nonsense' is not one of: emergency, "       \
    "outpatient, inpatient\n"

/* After the rejected contacts file nothing of it is noted. */
static void peek_rollback(const struct reg_import *im, size_t i)
{
    if (i == 0)
        assert_int_equal(im->contacts.n, 0);
}

/* A folder import: the rejected file's contacts are in neither the store
 * nor the map. */
static void test_rolled_back_file(void **state)
{
    struct twins *t = *state;
    const struct file x[] = { bad_contacts, refs };
    together(t->f, 2, x, false, true, peek_rollback, &t->a);
    apart(t->g, 2, x, false, &t->b);
    assert_same(t);
    assert_int_equal(t->a.rc[0], KN_EINPUT);
    assert_int_equal(t->a.rc[1], KN_EINPUT);
    assert_string_equal(t->a.told.buf, BAD_TOLD
        "self_harm.csv:2: field 'contact_id': " NO("e1", "t")
        "self_harm.csv:3: field 'contact_id': " NO("s1", "t")
        "self_harm.csv:4: field 'contact_id': " NO("s2", "t"));
    assert_int_equal(count_of(t->f, "contact"), 0);
    assert_int_equal(count_of(t->f, "self_harm_act"), 0);
}

/* The same, then the contacts again into the table, empty again: noted
 * afresh, and the references find them. (reg_bulk_decide() once returned
 * the count query's STORE_ROW (1) when the kind's plain INSERT was kept
 * from the rolled-back file: the first row of contacts2.csv ended the file
 * with "contacts2.csv:2: " and no reason.) */
static void peek_again(const struct reg_import *im, size_t i)
{
    peek_rollback(im, i);
    if (i == 1)
        assert_int_equal(im->contacts.n, 3);
}

static void test_rolled_back_file_then_again(void **state)
{
    struct twins *t = *state;
    const struct file x[] = {
        bad_contacts,
        { "contacts2.csv", "contacts", CH
          "t,s2," P2 ",IN,inpatient,2024-02-01T10:00,2024-02-03T10:00\n"
          "t,s1," P1 ",IN,inpatient,2023-03-05T03:00,2023-03-12T11:00\n"
          "t,e1," P1 ",EM,emergency,2023-03-04T22:10,2023-03-05T02:30\n" },
        refs,
    };
    together(t->f, 3, x, false, true, peek_again, &t->a);
    apart(t->g, 3, x, false, &t->b);
    assert_same(t);
    assert_int_equal(t->a.rc[0], KN_EINPUT);
    assert_int_equal(t->a.rc[1], 0);
    assert_int_equal(t->a.rc[2], 0);
    assert_string_equal(t->a.told.buf, BAD_TOLD);
    assert_int_equal(scalar(t->f, "SELECT count(*) FROM contact WHERE source_id = 's4'"),
                     0);
    assert_links(t->f, "self_harm_act", "contact_id", "t/a1>t/e1 t/a2>t/s1 t/a3>t/s2");
}

/* A contact repeated (equal) in its file: the bulk load runs again with the
 * upsert, which switches the map off; the references find the stays in the
 * store. */
static void peek_retried(const struct reg_import *im, size_t i)
{
    if (i == 0)
        assert_true(im->contacts.off);
}

static void test_retried_contacts_file(void **state)
{
    struct twins *t = *state;
    const struct file x[] = {
        { "contacts.csv", "contacts", CH
          "t,s1," P1 ",IN,inpatient,2023-03-05T03:00,2023-03-12T11:00\n"
          "t,e1," P1 ",EM,emergency,2023-03-04T22:10,2023-03-05T02:30\n"
          "t,s1," P1 ",IN,inpatient,2023-03-05T03:00,2023-03-12T11:00\n"
          "t,s2," P2 ",IN,inpatient,2024-02-01T10:00,2024-02-03T10:00\n" },
        { "follow_ups.csv", "follow_ups", FU
          "t,f1," P1 ",2023-03-05T04:00,visit,s1\n"
          "t,f2," P1 ",2023-03-05T02:00,visit,s1\n" },
        refs,
    };
    run_both(t, 3, x, true, peek_retried);
    assert_string_equal(t->a.told.buf,
        "follow_ups.csv:3: field 'time': lies before the stay's admission\n");
    assert_int_equal(count_of(t->f, "contact"), 3);
    assert_int_equal(scalar(t->f, "SELECT start_time FROM contact "
                                  "WHERE source_id = 's1'"), t_of("2023-03-05T03:00"));
    assert_links(t->f, "follow_up", "stay_id", "t/f1>t/s1");
    assert_links(t->f, "self_harm_act", "contact_id", "t/a1>t/e1 t/a2>t/s1 t/a3>t/s2");
}

/* A repeat in a later file: its retry forgets the noted contacts (which
 * stay in the store), and the map stays on. */
static void peek_later_retry(const struct reg_import *im, size_t i)
{
    peek_noted(im, i);
    if (i == 1) {
        assert_int_equal(im->contacts.n, 0);
        assert_false(im->contacts.off);
    }
}

static void test_retry_of_a_later_file(void **state)
{
    struct twins *t = *state;
    const struct file x[] = {
        contacts,
        { "care_plans.csv", "care_plans", "source_system,source_id,pnr,time,plan_type\n"
          "t,k1," P1 ",2023-03-10,crisis_plan\n"
          "t,k1," P1 ",2023-03-10,crisis_plan\n" },
        refs,
        { "follow_ups.csv", "follow_ups", FU
          "t,f1," P1 ",2023-03-05T02:59,visit,s1\n"
          "t,f2," P1 ",2023-03-05T03:00,visit,s1\n"
          "t,f3," P2 ",2024-02-05T10:00,visit,s1\n" },
    };
    run_both(t, 4, x, true, peek_later_retry);
    assert_string_equal(t->a.told.buf,
        "follow_ups.csv:2: field 'time': lies before the stay's admission\n"
        "follow_ups.csv:4: field 'stay_id': belongs to another person\n");
    assert_int_equal(count_of(t->f, "care_plan"), 1);
    assert_links(t->f, "self_harm_act", "contact_id", "t/a1>t/e1 t/a2>t/s1 t/a3>t/s2");
    assert_links(t->f, "follow_up", "stay_id", "t/f2>t/s1");
}

/* ---- (7) many rows ---- */

#define NP 300  /* persons with contacts */
#define NQ 2000 /* persons without: the session's person map grows after the contacts */
#define NC 3000 /* contacts */
#define NA 3000 /* self-harm acts */
#define NF 1000 /* follow-ups */

static uint64_t lcg_state;

static uint32_t lcg(uint32_t n)
{
    lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(lcg_state >> 33) % n;
}

struct many {
    int person[NC];
    bool stay[NC];
    int first[NP + 1]; /* person p's contacts: by[first[p] .. first[p + 1]) */
    int by[NC];
    char pnr[NP + NQ][14];
};

/* A random contact of person p. */
static int contact_of(const struct many *m, int p)
{
    return m->by[m->first[p] + (int)lcg((uint32_t)(m->first[p + 1] - m->first[p]))];
}

/* The premise: the contacts are noted, and the persons file after them
 * grew the person map (moving the lists' heads with the entries). */
static void peek_many(const struct reg_import *im, size_t i)
{
    static size_t cap;
    if (i == 1) {
        assert_int_equal(im->contacts.n, NC);
        cap = im->persons.cap;
    }
    if (i == 2)
        assert_true(im->persons.cap > cap);
}

static void test_many_rows(void **state)
{
    struct twins *t = *state;
    struct many *m = calloc(1, sizeof *m);
    assert_non_null(m);
    struct strbuf pa = STRBUF_INIT, pb = STRBUF_INIT, c = STRBUF_INIT, a = STRBUF_INIT,
                  fu = STRBUF_INIT, want_a = STRBUF_INIT, want_f = STRBUF_INIT,
                  want_told = STRBUF_INIT;
    lcg_state = 20261123;
    sb_addstr(&pa, "source_system,source_id,pnr,municipality\n");
    sb_addstr(&pb, pa.buf);
    for (int i = 0; i < NP + NQ; i++) {
        char pat[32];
        snprintf(pat, sizeof pat, "%04d%02d%02d-123C", 1970 + i % 30, 1 + i / 30 % 12,
                 1 + i / 360);
        char p14[14]; /* "YYYYMMDD-NNNC" */
        memcpy(p14, pat, 13);
        p14[13] = '\0';
        build_pnr(p14, m->pnr[i]);
        sb_addf(i < NP ? &pa : &pb, "t,bp%d,%s,0180\n", i, m->pnr[i]);
    }
    sb_addstr(&c, CH);
    for (int i = 0; i < NC; i++) { /* at noon on a day of 2021 */
        m->person[i] = i < NP ? i : (int)lcg(NP);
        m->stay[i] = lcg(3) == 0;
        m->first[m->person[i] + 1]++;
        sb_addf(&c, "t,c%d,%s,%s,2021-%02d-%02dT12:00,\n", i, m->pnr[m->person[i]],
                m->stay[i] ? "IN,inpatient" : "OUT,outpatient", 1 + i % 12,
                1 + i / 12 % 28);
    }
    for (int p = 0; p < NP; p++)
        m->first[p + 1] += m->first[p];
    int fill[NP];
    memcpy(fill, m->first, sizeof fill);
    for (int i = 0; i < NC; i++)
        m->by[fill[m->person[i]]++] = i;

    sb_addstr(&a, SH);
    for (int j = 0; j < NA; j++) {
        int p = (int)lcg(NP);
        int ci = lcg(10) == 0 ? -1 : contact_of(m, p);
        char ref[16] = "";
        if (ci >= 0)
            snprintf(ref, sizeof ref, "c%d", ci);
        sb_addf(&a, "t,a%d,%s,2022-01-01T10:00,X6%d,%s\n", j, m->pnr[p], j % 10, ref);
        sb_addf(&want_a, "%st/a%d>%s%s", j ? " " : "", j, ci >= 0 ? "t/" : "-", ref);
    }
    sb_addstr(&fu, FU);
    for (int j = 0; j < NF; j++) { /* a minute before the contact's start, or at it */
        int p = (int)lcg(NP);
        int ci = contact_of(m, p);
        bool before = lcg(2) == 0;
        sb_addf(&fu, "t,f%d,%s,2021-%02d-%02dT%s,visit,c%d\n", j, m->pnr[p], 1 + ci % 12,
                1 + ci / 12 % 28, before ? "11:59" : "12:00", ci);
        if (!m->stay[ci])
            sb_addf(&want_told, "follow_ups.csv:%d: field 'stay_id': is not an inpatient "
                    "stay\n", j + 2);
        else if (before)
            sb_addf(&want_told, "follow_ups.csv:%d: field 'time': lies before the stay's "
                    "admission\n", j + 2);
        else
            sb_addf(&want_f, "%st/f%d>t/c%d", want_f.len ? " " : "", j, ci);
    }
    for (int p = 0; p < 4; p++)
        remember_pnr(m->pnr[p]); /* some of them in the leak check too */

    const struct file x[] = {
        { "persons.csv", "persons", pa.buf }, { "contacts.csv", "contacts", c.buf },
        { "persons2.csv", "persons", pb.buf }, { "self_harm.csv", "self_harm", a.buf },
        { "follow_ups.csv", "follow_ups", fu.buf },
    };
    run_both(t, 5, x, true, peek_many);
    assert_string_equal(t->a.told.buf, want_told.buf);
    assert_links(t->f, "self_harm_act", "contact_id", want_a.buf);
    assert_links(t->f, "follow_up", "stay_id", want_f.buf);
    assert_true(want_f.len > 0 && strstr(want_told.buf, "admission") != NULL
                && strstr(want_told.buf, "inpatient stay") != NULL);
    struct strbuf *all[] = { &pa, &pb, &c, &a, &fu, &want_a, &want_f, &want_told };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        sb_release(all[i]);
    free(m);
}

#define CASE(fn) cmocka_unit_test_setup_teardown(fn, setup_twins, teardown_twins)

int main(void)
{
    const struct CMUnitTest tests[] = {
        CASE(test_rolled_back_file),
        CASE(test_rolled_back_file_then_again),
        CASE(test_retried_contacts_file),
        CASE(test_retry_of_a_later_file),
        CASE(test_many_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
