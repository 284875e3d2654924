/* tests/unit/registry/test_reg_import_cmap.c: references to contacts the
 * import session stored itself (src/registry/reg_cmap.c; reg_field.c
 * find_own_contact, reg_kinds.c contact_post).
 *
 * A contact a session inserts into an empty table is noted in memory (id,
 * stay or not, start, end) on its person's list; self-harm acts,
 * assessments, follow-ups and coercive measures of the session find their
 * contact there, and only what is not there goes to the store, which also
 * gives the errors; a changed stored contact switches the map off. Each
 * case imports its files together in one session and each file alone
 * (every reference through the store): the outcomes must be equal, and
 * are checked against what the rows say (the rules with the noted times,
 * another person's contact, a missing one, another source system, an
 * earlier session's contacts, a contact changed in the session). One case
 * reads the map itself. The fixture is reg_import_twins.h.
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
#include "domain/pnr.h"

/* ---- (0) what the session notes ---- */

/* The entry of (sys, id) on the list of the person with number pnr, checked
 * against the stored contact (end NULL: open); or, with stay < 0, none. */
static void assert_noted(struct fx *f, const struct reg_import *im, const char *pnr,
                         const char *sys, const char *id, int stay, const char *start,
                         const char *end)
{
    struct pnr p;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(pnr_parse(pnr, strlen(pnr), today(), &p, &err), 0);
    unsigned char raw[PSEUDO_BYTES];
    pseudo_derive_raw(im->key, &p, raw);
    pnr_wipe(&p);
    const struct reg_person *person = reg_pmap_find(&im->persons, raw);
    assert_non_null(person);
    uint64_t key = reg_cmap_key(&im->contacts, sys, strlen(sys), id, strlen(id));
    const struct reg_cmap_entry *e = reg_cmap_find(&im->contacts, person, key);
    if (stay < 0) {
        assert_null(e);
        return;
    }
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT id FROM contact WHERE source_system = '%s' AND "
             "source_id = '%s'", sys, id);
    assert_non_null(e);
    assert_int_equal(e->id, scalar(f, sql));
    assert_int_equal(reg_cmap_is_stay(e), stay);
    assert_int_equal(e->start, t_of(start));
    assert_int_equal(e->end, end != NULL ? t_of(end) : INT64_MAX);
}

static void test_noted_entries(void **state)
{
    struct twins *t = *state;
    struct fx *f = t->f;
    sess_begin(&t->a, f, false, false);
    sess_feed(&t->a, f, &contacts);
    const struct reg_import *im = t->a.im;
    assert_noted(f, im, P1, "t", "s1", 1, "2023-03-05T03:00", "2023-03-12T11:00");
    assert_noted(f, im, P1, "t", "e1", 0, "2023-03-04T22:10", "2023-03-05T02:30");
    assert_noted(f, im, P1, "t", "s3", 1, "2024-06-01T08:00", NULL);
    assert_noted(f, im, P1, "u", "e1", 1, "2025-01-10T08:00", "2025-01-20T08:00");
    assert_noted(f, im, P2, "t", "s2", 1, "2024-02-01T10:00", "2024-02-03T10:00");
    assert_noted(f, im, P3, "t", "o1", 0, "2024-05-14T09:00", "2024-05-14T10:00");
    assert_noted(f, im, P1, "t", "s2", -1, NULL, NULL); /* another person's */
    assert_noted(f, im, P2, "t", "e1", -1, NULL, NULL);
    assert_noted(f, im, P1, "v", "e1", -1, NULL, NULL); /* another source system */
    assert_noted(f, im, P1, "ts", "1", -1, NULL, NULL); /* not ("t", "s1") */
    assert_int_equal(reg_import_finish(t->a.im, false, NULL, NULL, NULL, NULL), 0);
    t->a.im = NULL;
}

/* ---- (1) the session's own contacts, and the rules with their times ---- */

static void test_own_contacts_and_rules(void **state)
{
    struct twins *t = *state;
    const struct file x[] = {
        contacts,
        { "self_harm.csv", "self_harm", SH
          "t,a1," P1 ",2023-03-04T21:30,X61,e1\n"
          "t,a2," P1 ",2023-03-06T10:00,X60,s1\n"
          "t,a3," P3 ",2024-05-14T09:30,X78,o1\n"
          "t,a4," P1 ",2024-01-01T12:00,Y10,\n"
          "t,a5," P2 ",2024-02-02T10:00,X61,s2\n" },
        { "assessments.csv", "assessments", AS
          "t,q1," P1 ",2023-03-04T23:00,suicide_risk,e1\n"
          "t,q2," P2 ",2024-02-02T12:00,psychosocial,s2\n"
          "t,q3," P1 ",2024-06-02T09:00,other,s3\n" },
        { "follow_ups.csv", "follow_ups", FU
          "t,f1," P1 ",2023-03-16T10:00,visit,s1\n"
          "t,f2," P1 ",2023-03-05T02:59,phone,s1\n" /* a minute before admission */
          "t,f3," P1 ",2023-03-05T03:00,phone,s1\n" /* at admission */
          "t,f4," P1 ",2023-03-06T10:00,visit,e1\n" /* not a stay */
          "t,f5," P2 ",2024-02-10T10:00,video,s2\n"
          "t,f6," P1 ",2026-11-01T10:00,visit,s3\n" },
        { "measures.csv", "coercive_measures", CM
          "t,m1," P1 ",s1,fastspanning,LPT,2023-03-06T14:05,2023-03-06T15:05,\n"
          "t,m2," P1 ",s1,avskiljning,LPT,2023-03-05T02:00,,\n"
          "t,m3," P1 ",s1,avskiljning,LPT,2023-03-12T10:00,2023-03-12T12:00,\n"
          "t,m4," P1 ",s1,avskiljning,LPT,2023-03-12T11:30,,\n"
          "t,m5," P1 ",e1,fasthallande,LPT,2023-03-04T23:00,,\n"
          "t,m6," P1 ",s3,avskiljning,LPT,2026-11-20T08:00,2026-11-20T09:00,\n" /* open */
          "t,m7," P1 ",s1,fastspanning,LPT,2023-03-06T15:05,2023-03-06T16:00,m1\n"
          "t,m8," P1 ",s3,fastspanning,LPT,2024-06-02T08:00,,m1\n"
          "t,m9," P1 ",s1,other,LPT,2023-03-12T11:00,,\n" }, /* at discharge */
    };
    run_both(t, 5, x, false, peek_noted);
    assert_string_equal(t->a.told.buf,
        "follow_ups.csv:3: field 'time': lies before the stay's admission\n"
        "follow_ups.csv:5: field 'stay_id': is not an inpatient stay\n"
        "measures.csv:3: field 'start': lies before the stay's admission\n"
        "measures.csv:4: field 'end': lies after the stay's discharge\n"
        "measures.csv:5: field 'start': lies after the stay's discharge\n"
        "measures.csv:6: field 'stay_id': is not an inpatient stay\n"
        "measures.csv:9: field 'extends_id': extends a measure of another stay\n");
    assert_links(t->f, "self_harm_act", "contact_id",
                 "t/a1>t/e1 t/a2>t/s1 t/a3>t/o1 t/a4>- t/a5>t/s2");
    assert_links(t->f, "assessment", "contact_id", "t/q1>t/e1 t/q2>t/s2 t/q3>t/s3");
    assert_links(t->f, "follow_up", "stay_id", "t/f1>t/s1 t/f3>t/s1 t/f5>t/s2 t/f6>t/s3");
    assert_links(t->f, "coercive_measure", "stay_id",
                 "t/m1>t/s1 t/m6>t/s3 t/m7>t/s1 t/m9>t/s1");
    assert_int_equal(scalar(t->f, "SELECT count(*) FROM coercive_measure a JOIN "
                                  "coercive_measure b ON b.id = a.extends_id WHERE "
                                  "a.source_id = 'm7' AND b.source_id = 'm1'"), 1);
}

/* ---- (2) another person's contact ---- */

static void test_another_persons_contact(void **state)
{
    struct twins *t = *state;
    const struct file x[] = {
        contacts,
        { "self_harm.csv", "self_harm", SH
          "t,b1," P2 ",2024-02-02T10:00,X61,e1\n"
          "t,b2," P3 ",2024-05-14T09:30,X78,s1\n"
          "t,b3," P2 ",2024-02-02T11:00,X61,s2\n" },
        { "assessments.csv", "assessments", AS
          "t,b4," P3 ",2024-05-14T09:30,other,s2\n"
          "t,b5," P3 ",2024-05-14T09:40,other,o1\n" },
        { "follow_ups.csv", "follow_ups", FU
          "t,b6," P2 ",2024-02-10T10:00,visit,s1\n"
          "t,b7," P1 ",2024-05-20T10:00,visit,o1\n" },
        { "measures.csv", "coercive_measures", CM
          "t,b8," P2 ",s3,avskiljning,LPT,2024-06-02T08:00,,\n"
          "t,b9," P2 ",s2,avskiljning,LPT,2024-02-01T12:00,2024-02-01T13:00,\n" },
    };
    run_both(t, 5, x, false, peek_noted);
    assert_string_equal(t->a.told.buf,
        "self_harm.csv:2: field 'contact_id': belongs to another person\n"
        "self_harm.csv:3: field 'contact_id': belongs to another person\n"
        "assessments.csv:2: field 'contact_id': belongs to another person\n"
        "follow_ups.csv:2: field 'stay_id': belongs to another person\n"
        "follow_ups.csv:3: field 'stay_id': belongs to another person\n"
        "measures.csv:2: field 'stay_id': belongs to another person\n");
    assert_links(t->f, "self_harm_act", "contact_id", "t/b3>t/s2");
    assert_links(t->f, "assessment", "contact_id", "t/b5>t/o1");
    assert_int_equal(count_of(t->f, "follow_up"), 0);
    assert_links(t->f, "coercive_measure", "stay_id", "t/b9>t/s2");
}

/* ---- (3) a missing source_id; a source_id under another system ---- */

static void test_missing_and_other_system(void **state)
{
    struct twins *t = *state;
    const struct file x[] = {
        contacts,
        { "self_harm.csv", "self_harm", SH
          "t,x1," P1 ",2023-03-06T10:00,X60,nope\n"
          "v,x2," P1 ",2023-03-06T10:00,X60,e1\n"
          "u,x3," P1 ",2025-01-12T12:00,X61,e1\n"
          "t,x4," P1 ",2023-03-04T21:30,X61,e1\n"
          "ts,x5," P1 ",2023-03-06T10:00,X60,1\n" /* not ("t", "s1") */
          "t,x6," P1 ",2023-03-06T10:00,X60,S1\n" },
        { "follow_ups.csv", "follow_ups", FU
          "u,y1," P1 ",2025-01-21T10:00,visit,e1\n" /* u/e1 is a stay */
          "t,y2," P1 ",2025-01-21T10:00,visit,e1\n" /* t/e1 is not */
          "u,y3," P1 ",2025-01-09T10:00,visit,e1\n"
          "v,y4," P1 ",2023-03-16T10:00,visit,s1\n" },
        { "measures.csv", "coercive_measures", CM
          "u,z1," P1 ",e1,avskiljning,LPT,2025-01-11T08:00,,\n"
          "t,z2," P1 ",e1,avskiljning,LPT,2023-03-04T23:00,,\n"
          "v,z3," P1 ",s1,avskiljning,LPT,2023-03-06T08:00,,\n" },
    };
    run_both(t, 4, x, false, peek_noted);
    assert_string_equal(t->a.told.buf,
        "self_harm.csv:2: field 'contact_id': " NO("nope", "t")
        "self_harm.csv:3: field 'contact_id': " NO("e1", "v")
        "self_harm.csv:6: field 'contact_id': " NO("1", "ts")
        "self_harm.csv:7: field 'contact_id': " NO("S1", "t")
        "follow_ups.csv:3: field 'stay_id': is not an inpatient stay\n"
        "follow_ups.csv:4: field 'time': lies before the stay's admission\n"
        "follow_ups.csv:5: field 'stay_id': " NO("s1", "v")
        "measures.csv:3: field 'stay_id': is not an inpatient stay\n"
        "measures.csv:4: field 'stay_id': " NO("s1", "v"));
    assert_links(t->f, "self_harm_act", "contact_id", "u/x3>u/e1 t/x4>t/e1");
    assert_links(t->f, "follow_up", "stay_id", "u/y1>u/e1");
    assert_links(t->f, "coercive_measure", "stay_id", "u/z1>u/e1");
}

/* ---- (4) contacts of an earlier session and of this one ---- */

/* The premise: contacts into a table that was not empty are not noted. */
static void peek_not_noted(const struct reg_import *im, size_t i)
{
    if (i == 0)
        assert_int_equal(im->contacts.n, 0);
}

static void test_earlier_and_this_session(void **state)
{
    struct twins *t = *state;
    const struct file old = { "old.csv", "contacts", CH
        "t,s1," P1 ",IN,inpatient,2023-03-05T03:00,2023-03-12T11:00\n"
        "t,e1," P1 ",EM,emergency,2023-03-04T22:10,2023-03-05T02:30\n"
        "t,s2," P2 ",IN,inpatient,2024-02-01T10:00,2024-02-03T10:00\n" };
    apart(t->f, 1, &old, false, &t->a);
    apart(t->g, 1, &old, false, &t->b);
    const struct file x[] = {
        { "new.csv", "contacts", CH
          "t,s1," P1 ",IN,inpatient,2023-03-05T03:00,2023-03-12T11:00\n" /* unchanged */
          "t,n1," P1 ",IN,inpatient,2025-03-01T08:00,2025-03-05T08:00\n"
          "t,n2," P3 ",OUT,outpatient,2025-04-01T09:00,2025-04-01T10:00\n" },
        { "self_harm.csv", "self_harm", SH
          "t,a1," P1 ",2023-03-04T21:30,X61,e1\n"
          "t,a2," P1 ",2025-03-02T10:00,X60,n1\n"
          "t,a3," P3 ",2025-04-01T09:30,X78,n2\n"
          "t,a4," P2 ",2025-03-02T10:00,X60,n1\n"
          "t,a5," P2 ",2024-02-02T10:00,X61,s2\n" },
        { "follow_ups.csv", "follow_ups", FU
          "t,f1," P1 ",2025-03-01T07:59,visit,n1\n"
          "t,f2," P1 ",2025-03-10T10:00,visit,n1\n"
          "t,f3," P1 ",2023-03-16T10:00,visit,s1\n"
          "t,f4," P3 ",2025-04-02T10:00,visit,n2\n" },
    };
    run_both(t, 3, x, false, peek_not_noted);
    assert_string_equal(t->a.told.buf,
        "self_harm.csv:5: field 'contact_id': belongs to another person\n"
        "follow_ups.csv:2: field 'time': lies before the stay's admission\n"
        "follow_ups.csv:5: field 'stay_id': is not an inpatient stay\n");
    assert_links(t->f, "self_harm_act", "contact_id",
                 "t/a1>t/e1 t/a2>t/n1 t/a3>t/n2 t/a5>t/s2");
    assert_links(t->f, "follow_up", "stay_id", "t/f2>t/n1 t/f3>t/s1");
}

/* ---- (5) a changed stored contact switches the map off ---- */

static void peek_changed(const struct reg_import *im, size_t i)
{
    peek_noted(im, i);
    if (i == 1)
        assert_true(im->contacts.off);
}

static void test_changed_contact(void **state)
{
    struct twins *t = *state;
    const struct file x[] = {
        contacts,
        /* s1 admitted earlier, s3 later, e1 now a stay, o1 now P1's */
        { "contacts2.csv", "contacts", CH
          "t,s2," P2 ",IN,inpatient,2024-02-01T10:00,2024-02-03T10:00\n" /* unchanged */
          "t,s1," P1 ",IN,inpatient,2023-03-04T20:00,2023-03-12T11:00\n"
          "t,s3," P1 ",IN,inpatient,2024-06-05T08:00,\n"
          "t,e1," P1 ",IN,inpatient,2023-03-04T22:10,2023-03-05T02:30\n"
          "t,o1," P1 ",OUT,outpatient,2024-05-14T09:00,2024-05-14T10:00\n" },
        { "follow_ups.csv", "follow_ups", FU
          "t,g1," P1 ",2023-03-04T21:00,visit,s1\n" /* valid only after the change */
          "t,g2," P1 ",2024-06-03T10:00,visit,s3\n" /* valid only before it */
          "t,g3," P1 ",2023-03-05T01:00,phone,e1\n" },
        { "measures.csv", "coercive_measures", CM
          "t,g4," P1 ",s1,avskiljning,LPT,2023-03-04T21:00,2023-03-04T22:00,\n"
          "t,g5," P1 ",s3,avskiljning,LPT,2024-06-02T08:00,,\n" },
        { "self_harm.csv", "self_harm", SH
          "t,g6," P3 ",2024-05-14T09:30,X78,o1\n"
          "t,g7," P1 ",2024-05-14T09:30,X78,o1\n" },
    };
    run_both(t, 5, x, false, peek_changed);
    assert_string_equal(t->a.told.buf,
        "follow_ups.csv:3: field 'time': lies before the stay's admission\n"
        "measures.csv:3: field 'start': lies before the stay's admission\n"
        "self_harm.csv:2: field 'contact_id': belongs to another person\n");
    assert_links(t->f, "follow_up", "stay_id", "t/g1>t/s1 t/g3>t/e1");
    assert_links(t->f, "coercive_measure", "stay_id", "t/g4>t/s1");
    assert_links(t->f, "self_harm_act", "contact_id", "t/g7>t/o1");
}

#define CASE(fn) cmocka_unit_test_setup_teardown(fn, setup_twins, teardown_twins)

int main(void)
{
    const struct CMUnitTest tests[] = {
        CASE(test_noted_entries),
        CASE(test_own_contacts_and_rules),
        CASE(test_another_persons_contact),
        CASE(test_missing_and_other_system),
        CASE(test_earlier_and_this_session),
        CASE(test_changed_contact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
