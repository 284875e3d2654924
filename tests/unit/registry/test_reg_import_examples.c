/* tests/unit/registry/test_reg_import_examples.c: src/registry/reg_import.c,
 * reg_kinds.c and reg_csv.c, through their public headers only
 * (reg_import.h, reg_csv.h), on the example files of data/examples: they
 * import, import again unchanged, give the values docs/import-format.md
 * describes, store a changed row once; and the raw bytes of the store hold
 * no form of any personnummer used. The fixture is reg_import_fixture.h.
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

#include "reg_import_fixture.h"
#include "reg_import_data.h"

static void test_examples_import_and_reimport(void **state)
{
    struct fx *f = *state;
    assert_int_equal(reg_kind_count(), 10);
    import_examples(f, false);
    assert_fk_ok(f);
    assert_int_equal(count_of(f, "import_run"), 10);
    char *before = dump(f);

    import_examples(f, true); /* everything unchanged */
    assert_fk_ok(f);
    assert_int_equal(count_of(f, "import_run"), 20);
    char *after = dump(f);
    /* Equal apart from the ten new import_run rows. */
    char *b_run = strstr(before, "## SELECT * FROM import_run");
    char *a_run = strstr(after, "## SELECT * FROM import_run");
    assert_non_null(b_run);
    assert_non_null(a_run);
    assert_int_equal(b_run - before, a_run - after);
    assert_memory_equal(before, after, (size_t)(b_run - before));
    free(before);
    free(after);
}

static void test_examples_values(void **state)
{
    struct fx *f = *state;
    char buf[256], sql[512];
    import_examples(f, false);

    /* The person is its pseudonym, birth data and sex; never the number. */
    struct pnr p;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(pnr_parse(P1, strlen(P1), today(), &p, &err), 0);
    char hex[PSEUDO_HEX_LEN + 1];
    pseudo_derive(&f->key, &p, hex);
    pnr_wipe(&p);
    snprintf(sql, sizeof sql, "SELECT birth_year || '-' || birth_month || '-' || birth_day "
             "|| ' ' || sex || ' ' || id_kind || ' ' || municipality || ' ' || region_code "
             "FROM person WHERE pseudonym = '%s'", hex);
    assert_string_equal(text_of(f, sql, buf, sizeof buf), "2006-7-9 F personnummer 0380 03");
    assert_string_equal(text_of(f, "SELECT sex FROM person WHERE source_id = 'p1'", buf,
                                sizeof buf), "M"); /* 20080212-2390: 9 is odd */
    assert_string_equal(text_of(f, "SELECT region_code FROM person WHERE source_id = 'p3'",
                                buf, sizeof buf), "03");
    assert_string_equal(text_of(f, "SELECT death_date FROM person WHERE source_id = 'p3'",
                                buf, sizeof buf), "NULL");

    /* Contacts: defaults, times, references by id. */
    kn_time t;
    assert_int_equal(time_parse("2023-03-05T03:00", 16, &t, &err), 0);
    assert_int_equal(scalar(f, "SELECT start_time FROM contact WHERE source_id = 'c2'"), t);
    assert_string_equal(text_of(f, "SELECT legal_basis || ' ' || brief_admission || ' ' || "
                                   "other_diagnoses || ' ' || cause_code FROM contact "
                                   "WHERE source_id = 'c1'", buf, sizeof buf),
                        "voluntary 0 F32.1 X61");
    assert_string_equal(text_of(f, "SELECT main_diagnosis FROM contact WHERE source_id = 'c3'",
                                buf, sizeof buf), "S51.8");
    assert_int_equal(scalar(f, "SELECT count(*) FROM contact c JOIN care_unit u "
                               "ON u.id = c.unit_id WHERE c.source_id = 'c4' "
                               "AND u.code = 'SE2321000230-EX04' AND c.brief_admission = 1"), 1);

    /* Self-harm acts: intent and method from the cause code. */
    assert_string_equal(text_of(f, "SELECT intent || ' ' || method FROM self_harm_act "
                                   "WHERE source_id = 'a1'", buf, sizeof buf),
                        "intentional poisoning");
    assert_string_equal(text_of(f, "SELECT intent || ' ' || method FROM self_harm_act "
                                   "WHERE source_id = 'a2'", buf, sizeof buf),
                        "intentional sharp_object");
    assert_string_equal(text_of(f, "SELECT intent || ' ' || method || ' ' || "
                                   "ifnull(contact_id, 'none') FROM self_harm_act "
                                   "WHERE source_id = 'a3'", buf, sizeof buf),
                        "undetermined poisoning none");
    assert_int_equal(scalar(f, "SELECT count(*) FROM self_harm_act a JOIN contact c "
                               "ON c.id = a.contact_id WHERE a.source_id = 'a1' "
                               "AND c.source_id = 'c1' AND a.person_id = c.person_id"), 1);

    /* Measures: the stay and the extended measure, by id. */
    assert_int_equal(scalar(f, "SELECT count(*) FROM coercive_measure m2 "
                               "JOIN coercive_measure m1 ON m1.id = m2.extends_id "
                               "JOIN contact c ON c.id = m2.stay_id "
                               "WHERE m2.source_id = 'm2' AND m1.source_id = 'm1' "
                               "AND c.source_id = 'c2'"), 1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM coercive_measure "
                               "WHERE source_id = 'm3' AND decision_time IS NULL"), 1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM follow_up f JOIN contact c "
                               "ON c.id = f.stay_id WHERE f.source_id = 'f2' "
                               "AND c.source_id = 'c4' AND f.mode = 'phone'"), 1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM treatment WHERE source_id = 't2' "
                               "AND end_time IS NULL"), 1);
    assert_string_equal(text_of(f, "SELECT step FROM pathway_step WHERE source_id = 'w2'",
                                buf, sizeof buf), "2_assessment");
}

static void test_changed_row_is_stored_once(void **state)
{
    struct fx *f = *state;
    import_examples(f, false);
    char path[512];
    example_path("contacts", path, sizeof path);
    size_t len = 0;
    char *text = read_all(path, &len);
    assert_non_null(text);
    /* c2 gets a new discharge time; c1 spells out the default basis. */
    char *c2 = strstr(text, "2023-03-12T11:00");
    assert_non_null(c2);
    memcpy(c2, "2023-03-12T12:30", 16);
    struct strbuf sb = STRBUF_INIT;
    char *c1 = strstr(text, "2023-03-05T02:30,,");
    assert_non_null(c1);
    sb_add(&sb, text, (size_t)(c1 - text) + 17);
    sb_addstr(&sb, "voluntary");
    sb_addstr(&sb, c1 + 17);
    free(text);

    struct result r;
    import_text(f, "contacts", "contacts-changed.csv", sb.buf, NULL, &r);
    sb_release(&sb);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.st.rows, 5);
    assert_int_equal(r.st.stored, 1);
    assert_int_equal(r.st.unchanged, 4);
    assert_int_equal(count_of(f, "contact"), 5);
    kn_time t;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(time_parse("2023-03-12T12:30", 16, &t, &err), 0);
    assert_int_equal(scalar(f, "SELECT end_time FROM contact WHERE source_id = 'c2'"), t);
    /* The same record: the measures still point at it. */
    assert_int_equal(scalar(f, "SELECT count(*) FROM coercive_measure m JOIN contact c "
                               "ON c.id = m.stay_id WHERE c.source_id = 'c2'"), 3);

    /* A person moves: municipality and region change, nothing else. */
    import_text(f, "persons", "persons-moved.csv",
                "source_system,source_id,pnr,municipality,death_date,death_by_suicide\n"
                "example,p1,20080212-2390,0180,,\n"
                "example,p2,20060709-2384,0380,,\n",
                NULL, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.st.stored, 1);
    assert_int_equal(r.st.unchanged, 1);
    assert_int_equal(count_of(f, "person"), 4);
    char buf[64];
    assert_string_equal(text_of(f, "SELECT municipality || region_code || birth_year FROM "
                                   "person WHERE source_id = 'p1'", buf, sizeof buf),
                        "0180012008");
    assert_fk_ok(f);
}

/* ---- privacy ---- */

static void assert_no_pnr_in(const char *path)
{
    size_t len = 0;
    char *bytes = read_all(path, &len);
    if (bytes == NULL)
        return; /* no such file (a -wal after close) */
    const char *l = leaked(bytes, len);
    if (l != NULL)
        fail_msg("'%s' holds the personnummer %s", path, l);
    free(bytes);
}

static void test_no_personnummer_in_store(void **state)
{
    struct fx *f = *state;
    import_examples(f, false);
    /* and rejected rows of every kind with numbers in them */
    load_base(f);
    struct result r;
    import_text(f, "persons", "persons-x.csv",
                "source_system,source_id,pnr,municipality,death_date,death_by_suicide\n"
                "x,p1," P4 ",0180,,\n"
                "x,p2,701063-2391,0180,,\n"
                "x,p3,20080212+2390,0180,,\n",
                NULL, &r);
    assert_int_equal(r.rc, KN_EINPUT);
    remember_pnr("197010632391");
    assert_int_equal(count_of(f, "person"), 4);
    assert_true(count_of(f, "contact") > 5);

    char db[128], wal[140];
    path_in(f, "knod.db", db, sizeof db);
    snprintf(wal, sizeof wal, "%s-wal", db);
    /* Sanity: the search finds a number where one is. */
    struct stat sb;
    assert_int_equal(stat(db, &sb), 0);
    assert_true(sb.st_size > 0);
    assert_non_null(leaked("x 0607092384 y", 14));
    assert_non_null(leaked("x 060709-2384 y", 15));
    assert_non_null(leaked("x 701063+2391 y", 15));
    assert_no_pnr_in(db);
    assert_no_pnr_in(wal);
    store_close(f->s);
    f->s = NULL;
    assert_no_pnr_in(db);
    assert_no_pnr_in(wal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_examples_import_and_reimport, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_examples_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_row_is_stored_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_personnummer_in_store, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
