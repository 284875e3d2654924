/* tests/unit/registry/test_reg_import_persons.c: how a session finds the
 * stored persons (reg_persons.c). Preloaded, looked up one by one, or
 * decided by the input's size (enum reg_persons_load), the same imports
 * give the same store, the same messages and the same counts; a small
 * input into a larger store looks up only the persons its rows name, and
 * a large one (a file by its size, rows one by one by their count) loads
 * them all. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "reg_import_data.h"
#include "registry/reg_import_impl.h"

/* ---- the same imports in each mode ---- */

static const char self_harm_csv[] =
    "source_system,source_id,pnr,time,cause_code,contact_id\n"
    "t,a1," P1 ",2023-03-04T21:40,X61,e1\n" /* a contact of the same session */
    "t,a2," P2 ",2024-02-01T09:00,X78,\n"
    "t,a3,@unknown,2024-02-01T09:00,X78,\n" /* no such person */
    "t,a4," P2 ",2024-02-01T09:00,X78,e1\n" /* P1's contact */
    "t,a5," P3 ",2001-01-01T09:00,X78,\n"   /* before the birth */
    "t,a2," P2 ",2024-02-01T09:00,X78,\n"   /* repeats a2 */
    "t,a6," P1 ",2024-06-03T10:00,X60,s3\n";

static const char self_harm_later_csv[] =
    "source_system,source_id,pnr,time,cause_code,contact_id\n"
    "t,a7," P3 ",2024-06-02T08:52:22,X78,\n"
    "t,a2," P2 ",2024-02-01T09:30,X78,\n"     /* changes a stored act */
    "t,a8," P4 ",2024-06-02T08:52:22,X78,\n"; /* a person of this session */

static const char persons_later_csv[] =
    "source_system,source_id,pnr,municipality,death_date,death_by_suicide\n"
    "t,p4," P4 ",0380,,\n"
    "t,p1," P1 ",0305,,\n"; /* moved */

static const char ext_persons_csv[] =
    "source_system,source_id,ext_id,municipality,death_date,death_by_suicide,birth,sex\n"
    "x,q1,A-17,0380,,,2009-04,F\n";

static const char ext_acts_csv[] =
    "source_system,source_id,ext_id,time,cause_code,contact_id\n"
    "x,b1,A-17,2024-05-01T10:00,X60,\n"
    "x,b2,A-18,2024-05-01T10:00,X60,\n"; /* no such person */

struct step {
    const char *kind, *name; /* name: the file in tu_dir; NULL ends a session */
};

/* Three sessions, one file each or several. */
static const struct step steps[] = {
    {"units", "units.csv"},
    {"persons", "persons.csv"},
    {"contacts", "contacts.csv"},
    {"self_harm", "self_harm.csv"},
    {NULL, NULL},
    {"self_harm", "self_harm_later.csv"}, /* P4 unknown: rejected whole */
    {NULL, NULL},
    {"persons", "persons_later.csv"},
    {"self_harm", "self_harm_later.csv"},
    {"persons", "ext_persons.csv"},
    {"self_harm", "ext_acts.csv"},
    {NULL, NULL},
};

static void put_file(struct fx *f, const char *name, const char *text)
{
    char path[128];
    struct strbuf sb = STRBUF_INIT;
    char buf[14];
    /* @placeholders as the fixture's rows have them */
    for (const char *s = text; *s != '\0';) {
        if (*s == '@') {
            size_t n = strcspn(s, ",\n");
            char ph[16];
            snprintf(ph, sizeof ph, "%.*s", (int)n, s);
            sb_addstr(&sb, subst_pnr(ph, buf));
            s += n;
        } else {
            sb_addch(&sb, *s++);
        }
    }
    write_file(f, name, sb.buf, path, sizeof path);
    sb_release(&sb);
}

static void put_files(struct fx *f)
{
    put_file(f, "units.csv", units_csv);
    put_file(f, "persons.csv", persons_csv);
    put_file(f, "contacts.csv", contacts_csv);
    put_file(f, "self_harm.csv", self_harm_csv);
    put_file(f, "self_harm_later.csv", self_harm_later_csv);
    put_file(f, "persons_later.csv", persons_later_csv);
    put_file(f, "ext_persons.csv", ext_persons_csv);
    put_file(f, "ext_acts.csv", ext_acts_csv);
}

static void told(void *ctx, const char *where, const char *reason)
{
    struct strbuf *sb = ctx;
    const char *base = strrchr(where, '/') ? strrchr(where, '/') + 1 : where;
    sb_addf(sb, "%s: %s\n", base, reason);
}

/* A store in f->dir/<name> with the geography, under f's key. */
static struct store *open_named(struct fx *f, const char *name)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s.db", f->dir, name);
    struct store *s = NULL;
    struct kn_error err = KN_ERROR_INIT;
    struct store_options opt = {STORE_CREATE, 0};
    assert_int_equal(store_open(path, &opt, &s, &err), 0);
    /* a test's store: no waiting for the disk at each commit */
    assert_int_equal(store_exec(s, "PRAGMA synchronous=OFF", &err), 0);
    struct arena a;
    arena_init(&a);
    struct geo g;
    assert_int_equal(geo_load(&g, &a, &err), 0);
    assert_int_equal(reg_geo_install(s, &g, &err), 0);
    arena_release(&a);
    return s;
}

/* Run steps into a new store in mode how: every message, count and stored
 * row as text (the import log without its times). */
static char *run_steps(struct fx *f, const char *name, enum reg_persons_load how)
{
    struct store *s = open_named(f, name);
    struct strbuf out = STRBUF_INIT;
    size_t i = 0;
    while (i < sizeof steps / sizeof steps[0]) {
        struct reg_import_options io = {
            .keep_valid = false, .today = today(), .persons = how};
        struct reg_import *im = NULL;
        struct kn_error err = KN_ERROR_INIT;
        assert_int_equal(reg_import_begin(s, &f->key, &io, &im, &err), 0);
        struct reg_csv_options co = {NULL, told, NULL, &out, false, told};
        for (; steps[i].kind != NULL; i++) {
            char path[128];
            path_in(f, steps[i].name, path, sizeof path);
            int rc = reg_csv_import(im, reg_kind_find(steps[i].kind), path, &co, &err);
            const struct reg_import_stats *st = reg_import_get_stats(im);
            sb_addf(&out,
                    "%s: rc %d %s; rows %llu stored %llu unchanged %llu repeated %llu "
                    "rejected %llu\n",
                    steps[i].name, rc, rc != 0 ? err.msg : "",
                    (unsigned long long)st->rows, (unsigned long long)st->stored,
                    (unsigned long long)st->unchanged, (unsigned long long)st->repeated,
                    (unsigned long long)st->rejected);
            rc = reg_import_next(im, rc == 0, steps[i].name, steps[i].kind, "csv", &err);
            sb_addf(&out, "  next: %d %s\n", rc, rc != 0 ? err.msg : "");
        }
        i++;
        assert_int_equal(reg_import_finish(im, false, NULL, NULL, NULL, &err), 0);
    }
    struct fx view = *f;
    view.s = s;
    struct strbuf sql = STRBUF_INIT;
    for (size_t k = 0; k < reg_kind_count(); k++) {
        sb_reset(&sql);
        sb_addf(&sql, "SELECT * FROM %s ORDER BY id", reg_kind_table(reg_kind_at(k)));
        append_rows(&view, sql.buf, &out);
    }
    append_rows(&view,
                "SELECT id, file_name, kind, rows_read, rows_stored, rows_rejected "
                "FROM import_run ORDER BY id",
                &out);
    sb_release(&sql);
    store_close(s);
    return sb_detach(&out, NULL);
}

static void test_modes_agree(void **state)
{
    struct fx *f = *state;
    put_files(f);
    char *pre = run_steps(f, "preload", REG_PERSONS_PRELOAD);
    char *look = run_steps(f, "lookup", REG_PERSONS_LOOKUP);
    char *aut = run_steps(f, "auto", REG_PERSONS_AUTO);
    /* the steps did what they are for */
    assert_non_null(strstr(pre, "no stored person has this number"));
    assert_non_null(strstr(pre, "belongs to another person"));
    assert_non_null(strstr(pre, "no stored person has this external pseudonym"));
    assert_non_null(strstr(pre, "self_harm.csv: rc 0 ; rows 7 stored 3 unchanged 0 "
                                "repeated 1 rejected 3"));
    /* P4 unknown: the file rolls back; stored after persons_later.csv */
    assert_non_null(strstr(pre, "self_harm_later.csv: rc 0 ; rows 3 stored 2 unchanged 0 "
                                "repeated 0 rejected 1"));
    assert_non_null(strstr(pre, "self_harm_later.csv: rc 0 ; rows 3 stored 3"));
    assert_non_null(strstr(pre, "3|4|1717318342|X78|intentional|sharp_object|\\N|t|a8"));
    assert_string_equal(look, pre);
    assert_string_equal(aut, pre);
    free(pre);
    free(look);
    free(aut);
}

/* ---- what a small and a large input load ---- */

#define MANY 200

/* A persons file of MANY persons born in 2005 (none of P1..P4). */
static void put_many(struct fx *f)
{
    struct strbuf sb = STRBUF_INIT;
    sb_addstr(&sb,
              "source_system,source_id,pnr,municipality,death_date,death_by_suicide\n");
    for (int i = 0; i < MANY; i++) {
        char pat[14], pnr[14];
        snprintf(pat, sizeof pat, "2005%02d%02d-%03dC", 1 + i / 28, 1 + i % 28, 100 + i);
        build_pnr(pat, pnr);
        sb_addf(&sb, "t,m%d,%s,0380,,\n", i, pnr);
    }
    char path[128];
    write_file(f, "many.csv", sb.buf, path, sizeof path);
    sb_release(&sb);
    import_ok(f, "units", units_csv);
    import_ok(f, "persons", persons_csv);
    struct result r;
    const char *kind = "persons";
    const char *paths[] = {path};
    import_paths(f, 1, &kind, paths, NULL, &r);
    assert_int_equal(r.st.stored, MANY);
}

static struct reg_import *begin(struct fx *f)
{
    struct reg_import_options io = {.keep_valid = false, .today = today()};
    struct reg_import *im = NULL;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(reg_import_begin(f->s, &f->key, &io, &im, &err), 0);
    return im;
}

static void test_small_file_looks_up(void **state)
{
    struct fx *f = *state;
    put_many(f);
    char path[128];
    write_file(f, "one.csv",
               "source_system,source_id,pnr,time,cause_code,contact_id\n"
               "t,o1," P3 ",2024-06-02T08:52:22,X78,\n"
               "t,o2," P3 ",2024-06-03T08:52:22,X78,\n",
               path, sizeof path);
    struct reg_import *im = begin(f);
    assert_false(im->persons_all);
    assert_int_equal(im->persons.n, 0);
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(reg_csv_import(im, reg_kind_find("self_harm"), path, NULL, &err), 0);
    assert_false(im->persons_all);
    assert_int_equal(im->persons.n, 1); /* P3, found once */
    assert_int_equal(im->persons_looked, 1);
    assert_int_equal(reg_import_finish(im, true, path, "self_harm", "csv", &err), 0);
    assert_int_equal(count_of(f, "self_harm_act"), 2);
}

static void test_large_file_preloads(void **state)
{
    struct fx *f = *state;
    put_many(f);
    /* (3 + MANY) / 16 rows of at least 32 bytes: every person at once */
    struct strbuf sb = STRBUF_INIT;
    sb_addstr(&sb, "source_system,source_id,pnr,time,cause_code,contact_id\n");
    for (int i = 0; i < (3 + MANY) / REG_PERSONS_LOOKUP_DIVISOR + 1; i++)
        sb_addf(&sb, "t,g%d," P3 ",2024-06-02T08:52:22,X78,\n", i);
    char path[128];
    write_file(f, "big.csv", sb.buf, path, sizeof path);
    sb_release(&sb);
    struct reg_import *im = begin(f);
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(reg_csv_import(im, reg_kind_find("self_harm"), path, NULL, &err), 0);
    assert_true(im->persons_all);
    assert_int_equal(im->persons.n, 3 + MANY);
    assert_int_equal(im->persons_looked, 0);
    assert_int_equal(reg_import_finish(im, true, path, "self_harm", "csv", &err), 0);
}

/* Rows one by one (FHIR, the portal's forms): preloaded once the persons
 * looked up reach the store's persons / REG_PERSONS_LOOKUP_DIVISOR. */
static void test_rows_preload_when_many(void **state)
{
    struct fx *f = *state;
    put_many(f);
    struct reg_import *im = begin(f);
    const struct reg_kind *k = reg_kind_find("self_harm");
    uint64_t limit = (3 + MANY) / REG_PERSONS_LOOKUP_DIVISOR; /* 12 */
    for (uint64_t i = 0; i <= limit; i++) {
        assert_false(im->persons_all);
        char pat[14], pnr[14], id[16];
        snprintf(pat, sizeof pat, "2005%02d%02d-%03dC", 1 + (int)i / 28, 1 + (int)i % 28,
                 100 + (int)i);
        build_pnr(pat, pnr);
        snprintf(id, sizeof id, "r%d", (int)i);
        const char *fields[] = {"t", id, pnr, "2024-06-02T08:52:22", "X78", ""};
        size_t lens[6];
        for (size_t c = 0; c < 6; c++)
            lens[c] = strlen(fields[c]);
        struct kn_error err = KN_ERROR_INIT;
        assert_int_equal(reg_import_row(im, k, fields, lens, &err), 0);
    }
    assert_int_equal(im->persons_looked, limit + 1);
    assert_false(im->persons_all); /* 13 * 16 = 208 > 203: the next row preloads */
    const char *fields[] = {"t", "last", P1, "2024-06-02T08:52:22", "X78", ""};
    size_t lens[6];
    for (size_t c = 0; c < 6; c++)
        lens[c] = strlen(fields[c]);
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(reg_import_row(im, k, fields, lens, &err), 0);
    assert_true(im->persons_all);
    assert_int_equal(im->persons.n, 3 + MANY);
    assert_int_equal(reg_import_finish(im, true, NULL, NULL, NULL, &err), 0);
    assert_int_equal(count_of(f, "self_harm_act"), limit + 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_modes_agree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_small_file_looks_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_file_preloads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rows_preload_when_many, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
