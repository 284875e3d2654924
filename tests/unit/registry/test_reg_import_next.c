/* tests/unit/registry/test_reg_import_next.c: one session over several
 * files (reg_import_next), as a folder import runs it. What a committed
 * file loaded stays usable; what a rolled-back file loaded must not. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "testutil.h"

#include "registry/reg_csv.h"
#include "registry/reg_geo.h"

static struct store *open_store(struct pseudo_key *key)
{
    char path[128];
    struct kn_error err = KN_ERROR_INIT;
    struct store *s = NULL;
    struct store_options opt = { STORE_CREATE, 0 };
    tu_path(path, sizeof path, "knod.db");
    assert_int_equal(store_open(path, &opt, &s, &err), 0);
    struct arena a;
    arena_init(&a);
    struct geo g;
    assert_int_equal(geo_load(&g, &a, &err), 0);
    assert_int_equal(reg_geo_install(s, &g, &err), 0);
    arena_release(&a);
    tu_path(path, sizeof path, "knod.key");
    assert_int_equal(pseudo_key_create(path, &err), 0);
    assert_int_equal(pseudo_key_load(path, key, &err), 0);
    return s;
}

static void write_file(const char *name, const char *text)
{
    char path[128];
    tu_path(path, sizeof path, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int import(struct reg_import *im, const char *kind, const char *name)
{
    char path[128];
    struct kn_error err = KN_ERROR_INIT;
    tu_path(path, sizeof path, name);
    int rc = reg_csv_import(im, reg_kind_find(kind), path, NULL, &err);
    assert_int_equal(rc, 0);
    return reg_import_next(im, true, path, kind, "csv", &err);
}

static int64_t count(struct store *s, const char *table)
{
    char sql[96];
    struct kn_error err = KN_ERROR_INIT;
    struct store_stmt *st = NULL;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    assert_int_equal(store_prepare(s, sql, &st, &err), 0);
    assert_int_equal(store_step(st, &err), STORE_ROW);
    int64_t n = store_col_int(st, 0);
    store_finalize(st);
    return n;
}

static const char units[] =
    "source_system,source_id,code,name,region_code,unit_type,setting\n"
    "t,u1,U1,Akuten,03,emergency,outpatient\n";
static const char persons_ok[] =
    "source_system,source_id,pnr,municipality\n"
    "t,p1,20060709-2384,0380\n";
static const char persons_bad[] = /* the second row rejects the file */
    "source_system,source_id,pnr,municipality\n"
    "t,p2,200306062381,0380\n"
    "t,p3,200306062381X,0380\n";
static const char contacts_p1[] =
    "source_system,source_id,pnr,unit,contact_type,start\n"
    "t,c1,20060709-2384,U1,emergency,2023-03-04T22:10\n";
static const char contacts_p2[] =
    "source_system,source_id,pnr,unit,contact_type,start\n"
    "t,c2,200306062381,U1,emergency,2024-01-20T17:45\n";

static void test_files_share_a_session(void **state)
{
    (void)state;
    struct pseudo_key key;
    struct store *s = open_store(&key);
    struct kn_error err = KN_ERROR_INIT;
    struct reg_import *im = NULL;
    struct reg_import_options opt = { .keep_valid = false,
                                      .today = date_from_ymd(2026, 11, 23) };
    opt.persons = (enum reg_persons_load)tu_persons_load();
    write_file("units.csv", units);
    write_file("p_ok.csv", persons_ok);
    write_file("p_bad.csv", persons_bad);
    write_file("c1.csv", contacts_p1);
    write_file("c2.csv", contacts_p2);

    assert_int_equal(reg_import_begin(s, &key, &opt, &im, &err), 0);
    assert_int_equal(import(im, "units", "units.csv"), 0);
    assert_int_equal(import(im, "persons", "p_ok.csv"), 0);
    /* Committed persons serve the next file of the same session. */
    assert_int_equal(import(im, "contacts", "c1.csv"), 0);
    assert_int_equal(count(s, "contact"), 1);
    /* A rejected persons file rolls back, and its first (valid) person must
     * not linger in the session's map... */
    assert_int_equal(import(im, "persons", "p_bad.csv"), KN_EINPUT);
    assert_int_equal(count(s, "person"), 1);
    /* ...so a contact of that person is rejected, not stored dangling. */
    assert_int_equal(import(im, "contacts", "c2.csv"), KN_EINPUT);
    assert_int_equal(count(s, "contact"), 1);
    assert_int_equal(reg_import_finish(im, false, NULL, NULL, NULL, NULL), 0);

    /* Stats restart per file, and the runs were recorded per file. */
    assert_int_equal(count(s, "import_run"), 3);
    store_close(s);
    pseudo_key_wipe(&key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_files_share_a_session, tu_tmpdir_setup,
                                        tu_tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
