/* tests/unit/registry/test_reg_import_retry.c: a repeated record in a file
 * loaded in bulk (src/registry/reg_bulk.c, reg_import_attempt).
 *
 * Into an empty table the session inserts without the unique indexes and
 * rebuilds them at the end (or when a row must look a record of the table
 * up); a repeat (a source key twice, or a person under two source ids)
 * makes the rebuild fail, and the file runs again with the upsert. Each
 * case imports the same file into two stores with the same pseudonym key:
 * one whose table is empty (bulk, then the retry) and a twin whose table
 * already holds an unrelated record (source_id 'zz': the upsert from the
 * first row). The table's records, the stats and the reject file must be
 * equal. A repeat with equal contents is counted as repeated; with other
 * contents it is a conflict, and the first row of the record stands.
 * The fixture is reg_import_fixture.h.
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
#include "registry/reg_import_impl.h"

/* ---- two stores, one key ---- */

struct got {
    struct result r;
    char *content; /* of the kind's table */
    char *rejects; /* the reject file, or NULL */
};

static void release(struct got *g)
{
    free(g->content);
    free(g->rejects);
    g->content = g->rejects = NULL;
}

struct twins {
    struct fx *f; /* the table is empty: bulk */
    struct fx *g; /* the table holds 'zz': upsert */
    struct got a, b; /* the last import into each (freed by the teardown) */
};

static int setup_twins(void **state)
{
    struct twins *t = calloc(1, sizeof *t);
    void *a = NULL, *b = NULL;
    if (t == NULL || setup(&a) != 0 || setup(&b) != 0)
        return -1;
    t->f = a;
    t->g = b;
    t->g->key = t->f->key; /* the same pseudonyms in both */
    *state = t;
    return 0;
}

static int teardown_twins(void **state)
{
    struct twins *t = *state;
    void *a = t->f, *b = t->g;
    int rc = teardown(&a) | teardown(&b);
    release(&t->a);
    release(&t->b);
    free(t);
    return rc;
}

/* Every record of kind's table but 'zz', without ids, references by the
 * referenced record's key (pseudonym, unit code, source id), sorted. */
static char *content(struct fx *f, const char *kind)
{
    const struct reg_kind *k = reg_kind_find(kind);
    assert_non_null(k);
    struct strbuf q = STRBUF_INIT;
    sb_addstr(&q, "SELECT t.source_system, t.source_id");
    for (size_t n = 0; k->db_cols[n] != NULL; n++) {
        const char *c = k->db_cols[n];
        if (strcmp(c, "person_id") == 0)
            sb_addstr(&q, ", (SELECT pseudonym FROM person x WHERE x.id = t.person_id)");
        else if (strcmp(c, "unit_id") == 0)
            sb_addstr(&q, ", (SELECT code FROM care_unit x WHERE x.id = t.unit_id)");
        else if (strcmp(c, "stay_id") == 0 || strcmp(c, "contact_id") == 0)
            sb_addf(&q, ", (SELECT source_id FROM contact x WHERE x.id = t.%s)", c);
        else if (strcmp(c, "extends_id") == 0)
            sb_addstr(&q, ", (SELECT source_id FROM coercive_measure x "
                          "WHERE x.id = t.extends_id)");
        else
            sb_addf(&q, ", t.%s", c);
    }
    sb_addf(&q, " FROM %s t WHERE t.source_id <> 'zz' ORDER BY 1, 2", k->table);
    struct strbuf out = STRBUF_INIT;
    append_rows(f, q.buf, &out);
    sb_release(&q);
    return sb_detach(&out, NULL);
}

/* Import texts[i] as kinds[i] ("<kind>.csv") into f in one session;
 * with_rejects: write the rejected rows to rejects.csv. out->content holds
 * every kind's table. */
static void run_session(struct fx *f, size_t n, const char *const *kinds,
                        const char *const *texts, bool keep_valid, bool with_rejects,
                        struct got *out)
{
    char rej[128], names[4][64], paths[4][128];
    const char *pp[4];
    assert_true(n <= 4);
    for (size_t i = 0; i < n; i++) {
        snprintf(names[i], sizeof names[i], "%s.csv", kinds[i]);
        write_file(f, names[i], texts[i], paths[i], sizeof paths[i]);
        pp[i] = paths[i];
    }
    path_in(f, "rejects.csv", rej, sizeof rej);
    unlink(rej); /* only this import's reject file counts */
    struct imp o = { keep_valid, with_rejects ? rej : NULL };
    release(out);
    import_paths(f, n, kinds, pp, &o, &out->r);
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        char *c = content(f, kinds[i]);
        sb_addstr(&sb, c);
        free(c);
    }
    out->content = sb_detach(&sb, NULL);
    size_t len = 0;
    out->rejects = with_rejects ? read_all(rej, &len) : NULL;
    if (with_rejects)
        assert_non_null(out->rejects);
}

static void run(struct fx *f, const char *kind, const char *text, bool keep_valid,
                bool with_rejects, struct got *out)
{
    run_session(f, 1, &kind, &text, keep_valid, with_rejects, out);
}

/* The bulk import a and the upsert import b had the same outcome. */
static void assert_same(const struct got *a, const struct got *b)
{
    assert_int_equal(a->r.csv_rc, b->r.csv_rc);
    assert_int_equal(a->r.rc, b->r.rc);
    assert_int_equal(a->r.st.rows, b->r.st.rows);
    assert_int_equal(a->r.st.stored, b->r.st.stored);
    assert_int_equal(a->r.st.unchanged, b->r.st.unchanged);
    assert_int_equal(a->r.st.rejected, b->r.st.rejected);
    assert_string_equal(a->content, b->content);
    assert_true((a->rejects == NULL) == (b->rejects == NULL));
    if (a->rejects != NULL)
        assert_string_equal(a->rejects, b->rejects);
}

/* The unique indexes of table are all back after the import. */
static void assert_indexed(struct fx *f, const char *kind)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
             "AND tbl_name = '%s' AND name IN ('%s_source', 'person_pseudonym')",
             reg_kind_table(reg_kind_find(kind)), reg_kind_table(reg_kind_find(kind)));
    assert_int_equal(scalar(f, sql), strcmp(kind, "persons") == 0 ? 2 : 1);
}

static int64_t t_of(const char *text)
{
    kn_time t;
    struct kn_error err = KN_ERROR_INIT;
    if (time_parse(text, strlen(text), &t, &err) != 0)
        fail_msg("%s: %s", text, err.msg);
    return t;
}

static const char plan_header[] = "source_system,source_id,pnr,time,plan_type\n";

/* The base data in both stores, and care plan 'zz' in the twin. */
static void plans_prepare(struct twins *t)
{
    load_base(t->f);
    load_base(t->g);
    import_ok(t->g, "care_plans", "source_system,source_id,pnr,time,plan_type\n"
                                  "t,zz," P2 ",2024-01-01,sip\n");
}

/* ---- (a) a repeat and a rejected row, keeping the valid rows ---- */

static void test_repeat_with_reject_kept(void **state)
{
    struct twins *t = *state;
    plans_prepare(t);
    static const char text[] =
        "source_system,source_id,pnr,time,plan_type\n"
        "t,k1," P1 ",2023-03-10,crisis_plan\n"
        "t,k2," P2 ",2024-03-20,sip\n"
        "t,k3," P1 ",2023-03-12,nonsense\n"   /* line 4: rejected */
        "t,k1," P1 ",2023-03-11,care_plan\n"  /* k1 again, changed */
        "t,k4," P3 ",2024-01-01,sip\n";
    struct got *a = &t->a, *b = &t->b;
    run(t->f, "care_plans", text, true, true, a);
    run(t->g, "care_plans", text, true, true, b);
    assert_same(a, b);

    assert_int_equal(a->r.csv_rc, 0);
    assert_int_equal(a->r.rc, 0);
    /* k1 again with other contents is a conflict: rejected, the first stands */
    assert_int_equal(a->r.st.rows, 5);
    assert_int_equal(a->r.st.stored, 3);
    assert_int_equal(a->r.st.unchanged, 0);
    assert_int_equal(a->r.st.rejected, 2);
    assert_int_equal(count_of(t->f, "care_plan"), 3);
    char buf[64];
    assert_string_equal(text_of(t->f, "SELECT plan_type FROM care_plan WHERE source_id = 'k1'",
                                buf, sizeof buf), "crisis_plan");
    assert_int_equal(scalar(t->f, "SELECT plan_time FROM care_plan WHERE source_id = 'k1'"),
                     t_of("2023-03-10"));
    assert_int_equal(scalar(t->f, "SELECT count(*) FROM care_plan c JOIN person p ON "
                                  "p.id = c.person_id WHERE (c.source_id, p.source_id) IN "
                                  "(VALUES ('k1', 'p1'), ('k2', 'p2'), ('k4', 'p3'))"), 3);
    assert_indexed(t->f, "care_plans");
    assert_fk_ok(t->f);

    /* The reject file: its header and lines 4 and 5, once, without the number. */
    assert_true(a->r.n >= 2);
    assert_string_equal(a->r.where[0], "care_plans.csv:4");
    assert_non_null(strstr(a->r.reason[0], "field 'plan_type'"));
    assert_string_equal(a->r.where[1], "care_plans.csv:5");
    assert_non_null(strstr(a->r.reason[1], "record 'k1' repeats line 2 with different"));
    struct strbuf want = STRBUF_INIT;
    sb_addstr(&want, "_line,_error,source_system,source_id,pnr,time,plan_type\n4");
    add_field(&want, a->r.reason[0], false);
    sb_addstr(&want, ",t,k3,,2023-03-12,nonsense\n5");
    add_field(&want, a->r.reason[1], false);
    sb_addstr(&want, ",t,k1,,2023-03-11,care_plan\n");
    assert_string_equal(a->rejects, want.buf);
    sb_release(&want);

    /* Each row was rejected once, so it is reported once. Fails while
     * reg_import_attempt() runs the file a second time and csv_pass()
     * reports the row's error on both runs. */
    assert_int_equal(b->r.n, 2);
    assert_int_equal(a->r.n, 2);
}

/* ---- (b) a repeat and a bad row, without keep_valid ---- */

static void test_repeat_with_reject_dropped(void **state)
{
    struct twins *t = *state;
    plans_prepare(t);
    static const char text[] =
        "source_system,source_id,pnr,time,plan_type\n"
        "t,k1," P1 ",2023-03-10,crisis_plan\n"
        "t,k2," P2 ",2024-03-20,sip\n"
        "t,k1," P1 ",2023-03-11,care_plan\n"  /* k1 again, changed */
        "t,k3," P1 ",2023-03-12,nonsense\n"   /* line 5: rejected */
        "t,k4," P3 ",2024-01-01,sip\n";
    char *before_f = dump(t->f), *before_g = dump(t->g);
    struct got *a = &t->a, *b = &t->b;
    run(t->f, "care_plans", text, false, false, a);
    run(t->g, "care_plans", text, false, false, b);
    assert_same(a, b);

    assert_int_equal(a->r.csv_rc, 0);
    assert_int_equal(a->r.rc, KN_EINPUT);
    assert_non_null(strstr(a->r.err.msg, "2 of 5 rows were rejected; nothing was stored"));
    assert_int_equal(a->r.st.rows, 5);
    assert_int_equal(a->r.st.rejected, 2);
    assert_int_equal(a->r.n, 2);
    /* The bad row is told on the first run; the conflict, which the rebuilt
     * index finds, on the second. */
    assert_true((strcmp(a->r.where[0], "care_plans.csv:5") == 0
                 && strcmp(a->r.where[1], "care_plans.csv:4") == 0)
                || (strcmp(a->r.where[0], "care_plans.csv:4") == 0
                    && strcmp(a->r.where[1], "care_plans.csv:5") == 0));
    assert_int_equal(count_of(t->f, "care_plan"), 0);
    char *after_f = dump(t->f), *after_g = dump(t->g);
    assert_string_equal(before_f, after_f); /* indexes included */
    assert_string_equal(before_g, after_g);
    free(before_f);
    free(after_f);
    free(before_g);
    free(after_g);

    /* Nothing of it stays behind: the table is empty again (bulk), takes
     * the file without its bad row, and the indexes are back. */
    static const char good[] =
        "source_system,source_id,pnr,time,plan_type\n"
        "t,k1," P1 ",2023-03-10,crisis_plan\n"
        "t,k1," P1 ",2023-03-10,crisis_plan\n";
    run(t->f, "care_plans", good, false, false, a);
    assert_int_equal(a->r.rc, 0);
    assert_int_equal(a->r.st.stored, 1);
    assert_int_equal(a->r.st.repeated, 1);
    assert_int_equal(count_of(t->f, "care_plan"), 1);
    assert_indexed(t->f, "care_plans");
}

/* ---- (c) a repeat found when a row looks its table up mid-file ---- */

static void measures_case(struct twins *t, const char *text)
{
    struct fx *both[] = { t->f, t->g };
    for (int i = 0; i < 2; i++) {
        struct fx *x = both[i];
        import_ok(x, "units", units_csv);
        import_ok(x, "persons", persons_csv);
        import_ok(x, "contacts", contacts_csv);
    }
    import_ok(t->g, "coercive_measures",
              "source_system,source_id,pnr,stay_id,measure_type,legal_basis,start\n"
              "t,zz," P1 ",s3,other,LPT,2024-06-03T08:00\n");
    struct got *a = &t->a, *b = &t->b;
    run(t->f, "coercive_measures", text, false, false, a);
    run(t->g, "coercive_measures", text, false, false, b);
    assert_same(a, b);

    if (a->r.rc != 0)
        fail_msg("%s %s", a->r.err.msg, a->r.n ? a->r.reason[0] : "");
    assert_int_equal(a->r.st.rows, 6);
    assert_int_equal(a->r.st.stored, 5);
    assert_int_equal(a->r.st.repeated, 1);
    assert_int_equal(a->r.st.rejected, 0);
    assert_int_equal(count_of(t->f, "coercive_measure"), 5);
    assert_int_equal(scalar(t->f, "SELECT end_time FROM coercive_measure "
                                  "WHERE source_id = 'm1'"), t_of("2023-03-06T18:05"));
    assert_int_equal(scalar(t->f, "SELECT count(*) FROM coercive_measure a "
                                  "JOIN coercive_measure b ON b.id = a.extends_id "
                                  "WHERE (a.source_id, b.source_id) IN "
                                  "(VALUES ('m3', 'm1'), ('m5', 'm3'))"), 2);
    assert_int_equal(scalar(t->f, "SELECT count(*) FROM coercive_measure "
                                  "WHERE extends_id IS NOT NULL"), 2);
    assert_int_equal(scalar(t->f, "SELECT count(*) FROM coercive_measure m JOIN contact c "
                                  "ON c.id = m.stay_id WHERE c.source_id = 's1'"), 4);
    assert_indexed(t->f, "coercive_measures");
    assert_fk_ok(t->f);
}

static const char measures_header[] =
    "source_system,source_id,pnr,stay_id,measure_type,legal_basis,decided,start,end,"
    "extends_id\n";

/* The repeat comes before the row with extends_id: the rebuild it asks for
 * fails, and the file runs again. */
static void test_measures_repeat_then_extension(void **state)
{
    struct strbuf sb = STRBUF_INIT;
    sb_addstr(&sb, measures_header);
    sb_addstr(&sb,
              "t,m1," P1 ",s1,fastspanning,LPT,,2023-03-06T14:05,2023-03-06T18:05,\n"
              "t,m2," P1 ",s1,avskiljning,LPT,,2023-03-07T08:00,2023-03-07T09:00,\n"
              "t,m1," P1 ",s1,fastspanning,LPT,,2023-03-06T14:05,2023-03-06T18:05,\n"
              "t,m3," P1 ",s1,fastspanning,LPT,,2023-03-06T18:35,2023-03-06T22:05,m1\n"
              "t,m4," P1 ",s3,avskiljning,LPT,,2024-06-02T08:00,,\n"
              "t,m5," P1 ",s1,fastspanning,LPT,,2023-03-06T22:05,2023-03-07T02:05,m3\n");
    measures_case(*state, sb.buf);
    sb_release(&sb);
}

/* The repeat comes after it: the rebuild succeeds, and the repeat, a
 * failed plain insert into the table the file found empty, runs the file
 * again. */
static void test_measures_extension_then_repeat(void **state)
{
    struct strbuf sb = STRBUF_INIT;
    sb_addstr(&sb, measures_header);
    sb_addstr(&sb,
              "t,m1," P1 ",s1,fastspanning,LPT,,2023-03-06T14:05,2023-03-06T18:05,\n"
              "t,m2," P1 ",s1,avskiljning,LPT,,2023-03-07T08:00,2023-03-07T09:00,\n"
              "t,m3," P1 ",s1,fastspanning,LPT,,2023-03-06T18:35,2023-03-06T22:05,m1\n"
              "t,m1," P1 ",s1,fastspanning,LPT,,2023-03-06T14:05,2023-03-06T18:05,\n"
              "t,m4," P1 ",s3,avskiljning,LPT,,2024-06-02T08:00,,\n"
              "t,m5," P1 ",s1,fastspanning,LPT,,2023-03-06T22:05,2023-03-07T02:05,m3\n");
    measures_case(*state, sb.buf);
    sb_release(&sb);
}

/* ---- (d) one person under two source ids ---- */

static const char two_ids[] =
    "source_system,source_id,pnr,municipality,death_date,death_by_suicide\n"
    "t,p1,20060709-2384,0380,,\n"
    "t,p2," P2 ",0305,,\n"
    "t,p9,0607092384,0180,,\n" /* p1's number, 10 digits, no separator */
    "t,p3," P3 ",0380,,\n";

/* Contacts that find those persons by other forms of their numbers. */
static const char two_ids_contacts[] =
    "source_system,source_id,pnr,unit,contact_type,start\n"
    "t,c1,060709-2384,OUT,outpatient,2024-01-01\n"
    "t,c2,200607092384,OUT,outpatient,2024-01-02\n"
    "t,c3," P3 ",OUT,outpatient,2024-01-03\n";

static void two_ids_prepare(struct twins *t)
{
    import_ok(t->f, "units", units_csv);
    import_ok(t->g, "units", units_csv);
    import_ok(t->g, "persons", "source_system,source_id,pnr,municipality\n"
                               "t,zz," P4 ",0180\n");
}

static void assert_two_ids_persons(struct fx *f)
{
    assert_int_equal(count_of(f, "person"), 3);
    /* the person keeps its first source id and takes the later municipality */
    assert_int_equal(scalar(f, "SELECT count(*) FROM person WHERE birth_year = 2006 "
                               "AND source_id = 'p1' AND municipality = '0180' "
                               "AND region_code = '01'"), 1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM person WHERE source_id = 'p9'"), 0);
    assert_indexed(f, "persons");
}

static void assert_two_ids_contacts(struct fx *f)
{
    assert_int_equal(count_of(f, "contact"), 3);
    assert_int_equal(scalar(f, "SELECT count(*) FROM contact c JOIN person p ON "
                               "p.id = c.person_id WHERE (c.source_id, p.source_id) IN "
                               "(VALUES ('c1', 'p1'), ('c2', 'p1'), ('c3', 'p3'))"), 3);
    assert_fk_ok(f);
}

static void test_person_under_two_ids(void **state)
{
    struct twins *t = *state;
    two_ids_prepare(t);
    struct got *a = &t->a, *b = &t->b;
    run(t->f, "persons", two_ids, false, false, a);
    run(t->g, "persons", two_ids, false, false, b);
    assert_same(a, b);
    assert_int_equal(a->r.rc, 0);
    assert_int_equal(a->r.st.rows, 4);
    assert_int_equal(a->r.st.stored, 4);
    assert_int_equal(a->r.st.rejected, 0);
    assert_two_ids_persons(t->f);

    /* A later file finds that person by a third form of the number. */
    run(t->f, "contacts", two_ids_contacts, false, false, a);
    run(t->g, "contacts", two_ids_contacts, false, false, b);
    assert_same(a, b);
    assert_int_equal(a->r.rc, 0);
    assert_int_equal(a->r.st.stored, 3);
    assert_two_ids_contacts(t->f);
}

/* The same with both files in one session, as a folder import runs them:
 * the contacts find the persons the retry stored, not the undone ones. */
static void test_person_under_two_ids_one_session(void **state)
{
    struct twins *t = *state;
    two_ids_prepare(t);
    const char *kinds[] = { "persons", "contacts" };
    const char *texts[] = { two_ids, two_ids_contacts };
    struct got *a = &t->a, *b = &t->b;
    run_session(t->f, 2, kinds, texts, false, false, a);
    run_session(t->g, 2, kinds, texts, false, false, b);
    assert_same(a, b);
    assert_int_equal(a->r.rc, 0);
    assert_int_equal(a->r.st.rows, 7);
    assert_int_equal(a->r.st.stored, 7);
    assert_int_equal(a->r.st.rejected, 0);
    assert_two_ids_persons(t->f);
    assert_two_ids_contacts(t->f);
}

/* ---- (e) a repeat far into a larger file ---- */

#define BIG_ROWS 5000

static const char *const plan_types[] = { "care_plan", "crisis_plan", "sip" };
static const char *const plan_pnr[] = { P1, P2, P3 };

static void test_repeat_far_into_file(void **state)
{
    struct twins *t = *state;
    plans_prepare(t);
    struct strbuf sb = STRBUF_INIT;
    sb_addstr(&sb, plan_header);
    for (int i = 1; i <= BIG_ROWS; i++) {
        /* row 4000 is record k10 again, with another type and time */
        int id = i == 4000 ? 10 : i;
        int type = i == 4000 ? (10 + 1) % 3 : i % 3;
        sb_addf(&sb, "t,k%d,%s,2024-%02d-%02dT%02d:%02d,%s\n", id, plan_pnr[id % 3],
                1 + i % 12, 1 + i % 28, i % 24, i % 60, plan_types[type]);
    }
    struct got *a = &t->a, *b = &t->b;
    run(t->f, "care_plans", sb.buf, false, false, a);
    run(t->g, "care_plans", sb.buf, false, false, b);
    sb_release(&sb);
    assert_same(a, b);

    /* The repeat with other contents is a conflict that rejects the file. */
    assert_int_equal(a->r.rc, KN_EINPUT);
    assert_int_equal(a->r.st.rows, BIG_ROWS);
    assert_int_equal(a->r.st.rejected, 1);
    assert_int_equal(a->r.n, 1);
    assert_string_equal(a->r.where[0], "care_plans.csv:4001");
    assert_non_null(strstr(a->r.reason[0], "record 'k10' repeats line 11 with different"));
    assert_int_equal(count_of(t->f, "care_plan"), 0);
    assert_indexed(t->f, "care_plans");
    assert_fk_ok(t->f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_repeat_with_reject_kept, setup_twins,
                                        teardown_twins),
        cmocka_unit_test_setup_teardown(test_repeat_with_reject_dropped, setup_twins,
                                        teardown_twins),
        cmocka_unit_test_setup_teardown(test_measures_repeat_then_extension, setup_twins,
                                        teardown_twins),
        cmocka_unit_test_setup_teardown(test_measures_extension_then_repeat, setup_twins,
                                        teardown_twins),
        cmocka_unit_test_setup_teardown(test_person_under_two_ids, setup_twins,
                                        teardown_twins),
        cmocka_unit_test_setup_teardown(test_person_under_two_ids_one_session, setup_twins,
                                        teardown_twins),
        cmocka_unit_test_setup_teardown(test_repeat_far_into_file, setup_twins,
                                        teardown_twins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
