/* tests/unit/registry/test_reg_fhir.c: src/registry/reg_fhir.c,
 * reg_fhir_doc.c and reg_fhir_map.c.
 *
 * Fixtures in tests/data/fhir/: examples.json, a collection Bundle holding
 * the same care data as data/examples (in a shuffled order: contacts
 * before their persons and units, a measure before the one it extends),
 * and bulk/, a small Bulk Data export with one NDJSON file per type.
 * Each test gets a fresh store with the geography and a new key; today is
 * fixed at 2026-11-23.
 *
 * The oracles: the CSV import of the same data (every table compared, with
 * references compared by the referenced record's key); values written out
 * by hand from the fixtures (times converted to Swedish civil time by
 * reading the calendar: +01:00 in winter, +02:00 in summer); the raw bytes
 * of the store, the reject files and every message searched for every
 * form of every personnummer used.
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
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "domain/geo.h"
#include "domain/pseudo.h"
#include "registry/reg_csv.h"
#include "registry/reg_fhir.h"
#include "registry/reg_geo.h"
#include "registry/reg_import.h"
#include "registry/reg_import_impl.h"
#include "store/store.h"

static kn_day today(void)
{
    return date_from_ymd(2026, 11, 23);
}

/* ---- personnummer ---- */

static const char *const known_pnr[] = {"200607092384", "200306062381", "200802122390",
                                        "201701012393"};

/* The first written form of a known number in buf[0..len), or NULL: the
 * ten digits (inside the twelve too), and YYMMDD-NNNC / YYMMDD+NNNC (inside
 * YYYYMMDD-NNNC too). */
static const char *leaked(const void *buf, size_t len)
{
    static char form[16];
    for (size_t i = 0; i < sizeof known_pnr / sizeof known_pnr[0]; i++) {
        const char *d = known_pnr[i];
        snprintf(form, sizeof form, "%s", d + 2);
        if (memmem(buf, len, form, 10) != NULL)
            return form;
        for (int sep = 0; sep < 2; sep++) {
            snprintf(form, sizeof form, "%.6s%c%s", d + 2, sep ? '+' : '-', d + 8);
            if (memmem(buf, len, form, 11) != NULL)
                return form;
        }
    }
    return NULL;
}

/* ---- fixture ---- */

struct fx {
    char dir[64];
    struct store *s;
    struct pseudo_key key;
};

static struct store *new_store(const struct fx *f, const char *name)
{
    char path[128];
    struct kn_error err = KN_ERROR_INIT;
    struct store_options opt = {STORE_CREATE, 0};
    struct store *s = NULL;
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    if (store_open(path, &opt, &s, &err) != 0)
        fail_msg("store_open: %s", err.msg);
    struct arena a;
    arena_init(&a);
    struct geo g;
    int rc = geo_load(&g, &a, &err);
    if (rc == 0)
        rc = reg_geo_install(s, &g, &err);
    arena_release(&a);
    if (rc != 0)
        fail_msg("geography: %s", err.msg);
    return s;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/knod-test-fhir-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    f->s = new_store(f, "knod.db");
    char path[128];
    struct kn_error err = KN_ERROR_INIT;
    snprintf(path, sizeof path, "%s/knod.key", f->dir);
    if (pseudo_key_create(path, &err) != 0 || pseudo_key_load(path, &f->key, &err) != 0) {
        print_error("key: %s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_close(f->s);
    pseudo_key_wipe(&f->key);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        *len = 0;
        return NULL;
    }
    struct strbuf sb = STRBUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        assert_int_equal(sb_add(&sb, chunk, n), 0);
    fclose(fp);
    return sb_detach(&sb, len);
}

static void src_path(const char *rel, char *out, size_t cap)
{
    const char *src = getenv("SRCDIR");
    if (src == NULL) {
        fail_msg("SRCDIR is not set (tests/meson.build sets it)");
        abort(); /* fail_msg does not return; tell the compiler too */
    }
    snprintf(out, cap, "%s/%s", src, rel);
}

/* The text of a fixture with the first `from` replaced by `to`. */
static char *fixture_with(const char *rel, const char *from, const char *to)
{
    char path[512];
    size_t len;
    src_path(rel, path, sizeof path);
    char *text = read_all(path, &len);
    assert_non_null(text);
    if (from == NULL)
        return text;
    char *at = strstr(text, from);
    if (at == NULL)
        fail_msg("'%s' is not in %s", from, rel);
    struct strbuf sb = STRBUF_INIT;
    sb_add(&sb, text, (size_t)(at - text));
    sb_addstr(&sb, to);
    sb_addstr(&sb, at + strlen(from));
    free(text);
    return sb_detach(&sb, NULL);
}

/* ---- importing ---- */

#define MAX_CAUGHT 32

struct result {
    int frc; /* of reg_fhir_import*() */
    int rc;  /* of reg_import_finish() */
    struct reg_fhir_stats fs;
    struct reg_import_stats st;
    struct kn_error err;
    int n; /* rejects reported */
    char where[MAX_CAUGHT][256];
    char reason[MAX_CAUGHT][KN_ERROR_MAX];
};

static void on_reject(void *ctx, const char *where, const char *reason)
{
    struct result *r = ctx;
    const char *l = leaked(where, strlen(where));
    if (l == NULL)
        l = leaked(reason, strlen(reason));
    if (l != NULL)
        fail_msg("a message holds the personnummer %s: %s: %s", l, where, reason);
    if (r->n < MAX_CAUGHT) {
        snprintf(r->where[r->n], sizeof r->where[0], "%s", where);
        snprintf(r->reason[r->n], sizeof r->reason[0], "%s", reason);
    }
    r->n++;
}

struct how {
    bool keep_valid;
    const char *rejects;
    const char *source; /* NULL: "example", as in data/examples */
    size_t max_document;
    size_t max_line;
    int max_depth;
};

/* Import the files at paths (or, if text is set, text named name) in one
 * session, the way `knod import` does. */
static void run_import(struct store *s, const struct pseudo_key *key,
                       const char *const *paths, size_t n, const char *name,
                       const char *text, const struct how *how, struct result *r)
{
    static const struct how plain = {0};
    if (how == NULL)
        how = &plain;
    memset(r, 0, sizeof *r);
    struct reg_import_options io = {how->keep_valid, today()};
    struct reg_fhir_options fo = {how->source ? how->source : "example",
                                  how->rejects,
                                  how->max_document,
                                  how->max_line,
                                  how->max_depth,
                                  on_reject,
                                  r};
    struct reg_import *im = NULL;
    if (reg_import_begin(s, key, &io, &im, &r->err) != 0)
        fail_msg("begin: %s", r->err.msg);
    r->frc = text != NULL
                 ? reg_fhir_import_mem(im, name, text, strlen(text), &fo, &r->fs, &r->err)
                 : reg_fhir_import(im, paths, n, &fo, &r->fs, &r->err);
    r->st = *reg_import_get_stats(im);
    if (r->frc != 0) {
        reg_import_finish(im, false, NULL, NULL, NULL, NULL);
        r->rc = r->frc;
    } else {
        r->rc =
            reg_import_finish(im, true, name ? name : paths[0], "fhir", "fhir", &r->err);
    }
    const char *l = leaked(r->err.msg, strlen(r->err.msg));
    if (l != NULL)
        fail_msg("the error holds the personnummer %s: %s", l, r->err.msg);
}

static void import_fixture(struct fx *f, const char *rel, const struct how *how,
                           struct result *r)
{
    char path[512];
    src_path(rel, path, sizeof path);
    const char *paths[] = {path};
    run_import(f->s, &f->key, paths, 1, NULL, NULL, how, r);
}

static void import_text(struct fx *f, const char *name, const char *text,
                        const struct how *how, struct result *r)
{
    run_import(f->s, &f->key, NULL, 0, name, text, how, r);
}

/* ---- the store ---- */

static int64_t scalar(struct store *s, const char *sql)
{
    struct kn_error err = KN_ERROR_INIT;
    struct store_stmt *st = NULL;
    if (store_prepare(s, sql, &st, &err) != 0)
        fail_msg("%s: %s", sql, err.msg);
    int rc = store_step(st, &err);
    if (rc != STORE_ROW)
        fail_msg("%s: no row (%s)", sql, err.msg);
    int64_t v = store_col_is_null(st, 0) ? -1 : store_col_int(st, 0);
    store_finalize(st);
    return v;
}

/* The first column of the first row as text ("NULL" for null). */
static const char *text_of(struct store *s, const char *sql)
{
    static char buf[512];
    struct kn_error err = KN_ERROR_INIT;
    struct store_stmt *st = NULL;
    if (store_prepare(s, sql, &st, &err) != 0)
        fail_msg("%s: %s", sql, err.msg);
    if (store_step(st, &err) != STORE_ROW)
        fail_msg("%s: no row (%s)", sql, err.msg);
    snprintf(buf, sizeof buf, "%s",
             store_col_is_null(st, 0) ? "NULL" : store_col_text(st, 0, NULL));
    store_finalize(st);
    return buf;
}

static int64_t count_of(struct store *s, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    return scalar(s, sql);
}

static int64_t t_of(const char *text)
{
    kn_time t;
    struct kn_error err = KN_ERROR_INIT;
    if (time_parse(text, strlen(text), &t, &err) != 0)
        fail_msg("%s: %s", text, err.msg);
    return t;
}

static void assert_fk_ok(struct store *s)
{
    struct kn_error err = KN_ERROR_INIT;
    struct store_stmt *st = NULL;
    assert_int_equal(store_prepare(s, "PRAGMA foreign_key_check", &st, &err), 0);
    assert_int_equal(store_step(st, &err), STORE_DONE);
    store_finalize(st);
}

/* Every record of a kind's table, without its id and source columns, with
 * references as the referenced record's key (pseudonym, unit code, source
 * id), sorted: equal dumps mean equal data whatever the row ids. */
static char *dump_kind(struct store *s, const struct reg_kind *k, bool with_source)
{
    struct strbuf q = STRBUF_INIT, out = STRBUF_INIT;
    sb_addstr(&q, "SELECT ");
    size_t n = 0;
    for (; k->db_cols[n] != NULL; n++) {
        const char *c = k->db_cols[n];
        sb_addstr(&q, n ? ", " : "");
        if (strcmp(c, "person_id") == 0)
            sb_addstr(&q, "(SELECT pseudonym FROM person x WHERE x.id = t.person_id)");
        else if (strcmp(c, "unit_id") == 0)
            sb_addstr(&q, "(SELECT code FROM care_unit x WHERE x.id = t.unit_id)");
        else if (strcmp(c, "stay_id") == 0 || strcmp(c, "contact_id") == 0)
            sb_addf(&q, "(SELECT source_id FROM contact x WHERE x.id = t.%s)", c);
        else if (strcmp(c, "extends_id") == 0)
            sb_addstr(
                &q,
                "(SELECT source_id FROM coercive_measure x WHERE x.id = t.extends_id)");
        else
            sb_addf(&q, "t.%s", c);
    }
    if (with_source) {
        sb_addstr(&q, ", t.source_system, t.source_id");
        n += 2;
    }
    sb_addf(&q, " FROM %s t ORDER BY ", k->table);
    for (size_t i = 1; i <= n; i++)
        sb_addf(&q, "%s%zu", i > 1 ? ", " : "", i);
    struct kn_error err = KN_ERROR_INIT;
    struct store_stmt *st = NULL;
    if (store_prepare(s, q.buf, &st, &err) != 0)
        fail_msg("%s: %s", q.buf, err.msg);
    sb_addf(&out, "## %s\n", k->table);
    while (store_step(st, &err) == STORE_ROW) {
        for (size_t i = 0; i < n; i++)
            sb_addf(&out, "%s%s", i ? "|" : "",
                    store_col_is_null(st, (int)i) ? "NULL"
                                                  : store_col_text(st, (int)i, NULL));
        sb_addch(&out, '\n');
    }
    store_finalize(st);
    sb_release(&q);
    return sb_detach(&out, NULL);
}

static char *dump_all(struct store *s, bool with_source)
{
    struct strbuf all = STRBUF_INIT;
    for (size_t i = 0; i < reg_kind_count(); i++) {
        char *d = dump_kind(s, reg_kind_at(i), with_source);
        sb_addstr(&all, d);
        free(d);
    }
    return sb_detach(&all, NULL);
}

/* ---- the example bundle ---- */

static void test_bundle_values(void **state)
{
    struct fx *f = *state;
    struct result r;
    import_fixture(f, "tests/data/fhir/examples.json", NULL, &r);
    if (r.rc != 0)
        fail_msg("%s (%s: %s)", r.err.msg, r.n ? r.where[0] : "", r.n ? r.reason[0] : "");
    assert_int_equal(r.n, 0);
    assert_int_equal(r.fs.resources, 37);
    assert_int_equal(r.fs.records, 30);
    assert_int_equal(r.fs.merged, 5);  /* d1, d2, d3, d5 and the one without id */
    assert_int_equal(r.fs.skipped, 2); /* d7 (no contact), the blood pressure */
    assert_int_equal(r.fs.unknown_type, 1);
    assert_string_equal(r.fs.unknown_names, "Practitioner");
    assert_int_equal(r.st.stored, 30);

    const char *tables[] = {
        "care_unit",  "person",    "contact",   "self_harm_act", "coercive_measure",
        "assessment", "care_plan", "treatment", "follow_up",     "pathway_step"};
    const int64_t want[] = {4, 4, 5, 3, 3, 2, 2, 2, 2, 3};
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(count_of(f->s, tables[i]), want[i]);
    assert_fk_ok(f->s);

    /* Units: HSA-id, name, region extension, type codings. */
    assert_string_equal(text_of(f->s,
                                "SELECT code || '|' || name || '|' || region_code || '|'"
                                " || unit_type || '|' || setting FROM care_unit WHERE "
                                "source_id = 'u2'"),
                        "SE2321000230-EX02|BUP heldygnsvård Uppsala|03|bup|inpatient");
    /* Persons: birth and sex from the number, municipality from the extension. */
    assert_string_equal(text_of(f->s,
                                "SELECT birth_year || '-' || birth_month || '-' || "
                                "birth_day || sex || municipality || region_code FROM "
                                "person WHERE source_id = 'p3'"),
                        "2003-6-6F030503");
    /* c1: ranked diagnoses, the cause from the self-harm Condition. */
    assert_string_equal(text_of(f->s,
                                "SELECT contact_type || '|' || main_diagnosis || '|' || "
                                "other_diagnoses || '|' || cause_code || '|' || "
                                "legal_basis || brief_admission FROM contact WHERE "
                                "source_id = 'c1'"),
                        "emergency|T42.4|F32.1|X61|voluntary0");
    assert_int_equal(
        scalar(f->s, "SELECT start_time FROM contact WHERE source_id = 'c1'"),
        t_of("2023-03-04T22:10"));
    /* c2: LPT from the extension, the diagnosis by Condition.encounter. */
    assert_string_equal(text_of(f->s,
                                "SELECT contact_type || legal_basis || brief_admission "
                                "|| main_diagnosis FROM contact WHERE source_id = 'c2'"),
                        "inpatientLPT0F32.1");
    /* c3: a contained Condition. */
    assert_string_equal(text_of(f->s, "SELECT main_diagnosis || cause_code FROM contact "
                                      "WHERE source_id = 'c3'"),
                        "S51.8X78");
    /* c4: UTC times in winter are one hour behind Swedish time. */
    assert_int_equal(
        scalar(f->s, "SELECT start_time FROM contact WHERE source_id = 'c4'"),
        t_of("2024-02-01T10:00"));
    assert_int_equal(scalar(f->s, "SELECT end_time FROM contact WHERE source_id = 'c4'"),
                     t_of("2024-02-03T10:00"));
    assert_string_equal(text_of(f->s,
                                "SELECT legal_basis || brief_admission || "
                                "main_diagnosis FROM contact WHERE source_id = 'c4'"),
                        "voluntary1F60.3");
    /* c5: summer, two hours; the diagnosis by a urn:uuid fullUrl. */
    assert_int_equal(
        scalar(f->s, "SELECT start_time FROM contact WHERE source_id = 'c5'"),
        t_of("2024-05-14T09:00"));
    assert_string_equal(text_of(f->s, "SELECT contact_type || main_diagnosis || "
                                      "coalesce(cause_code, '-') FROM contact WHERE "
                                      "source_id = 'c5'"),
                        "outpatientF32.1-");
    /* Self-harm acts: intent and method from the code; the contact by reference. */
    assert_string_equal(text_of(f->s,
                                "SELECT a.cause_code || a.intent || a.method || "
                                "c.source_id FROM self_harm_act a JOIN contact c ON "
                                "c.id = a.contact_id WHERE a.source_id = 'a1'"),
                        "X61intentionalpoisoningc1");
    assert_int_equal(
        scalar(f->s, "SELECT act_time FROM self_harm_act WHERE source_id = 'a1'"),
        t_of("2023-03-04T21:30"));
    assert_string_equal(text_of(f->s, "SELECT intent || coalesce(contact_id, '-') FROM "
                                      "self_harm_act WHERE source_id = 'a3'"),
                        "undetermined-");
    /* The measure that extends another was listed before it. */
    assert_string_equal(
        text_of(f->s, "SELECT e.source_id || s.source_id || m.measure_type "
                      "|| m.legal_basis FROM coercive_measure m JOIN "
                      "coercive_measure e ON e.id = m.extends_id JOIN contact s "
                      "ON s.id = m.stay_id WHERE m.source_id = 'm2'"),
        "m1c2fastspanningLPT");
    assert_int_equal(scalar(f->s, "SELECT decision_time FROM coercive_measure WHERE "
                                  "source_id = 'm2'"),
                     t_of("2023-03-06T15:00"));
    assert_int_equal(scalar(f->s, "SELECT decision_time FROM coercive_measure WHERE "
                                  "source_id = 'm3'"),
                     -1);
    assert_string_equal(text_of(f->s,
                                "SELECT assessment_type || c.source_id FROM assessment a "
                                "JOIN contact c ON c.id = a.contact_id WHERE "
                                "a.source_id = 's1'"),
                        "suicide_riskc1");
    assert_string_equal(text_of(f->s,
                                "SELECT group_concat(plan_type || '@' || source_id, ' ') "
                                "FROM (SELECT * FROM care_plan ORDER BY source_id)"),
                        "crisis_plan@k1 sip@k2");
    assert_int_equal(
        scalar(f->s, "SELECT end_time FROM treatment WHERE source_id = 't2'"), -1);
    assert_string_equal(text_of(f->s,
                                "SELECT f.mode || s.source_id FROM follow_up f JOIN "
                                "contact s ON s.id = f.stay_id WHERE f.source_id = 'f2'"),
                        "phonec4");
    /* Pathway steps: one per extension, the source id is episode:step. */
    assert_string_equal(text_of(f->s,
                                "SELECT group_concat(source_id || '=' || pathway || '/' "
                                "|| step, ' ') FROM (SELECT * FROM pathway_step ORDER "
                                "BY source_id)"),
                        "e1:1_first_contact=child/1_first_contact e1:2_assessment=child/"
                        "2_assessment e2:1_first_contact=adult/1_first_contact");
    assert_string_equal(text_of(f->s, "SELECT DISTINCT source_system FROM contact"),
                        "example");
}

static void import_csv_examples(struct store *s, const struct pseudo_key *key)
{
    for (size_t i = 0; i < reg_kind_count(); i++) {
        const struct reg_kind *k = reg_kind_at(i);
        char rel[128], path[512];
        snprintf(rel, sizeof rel, "data/examples/%s.csv", reg_kind_name(k));
        src_path(rel, path, sizeof path);
        struct reg_import_options io = {false, today()};
        struct reg_import *im = NULL;
        struct kn_error err = KN_ERROR_INIT;
        assert_int_equal(reg_import_begin(s, key, &io, &im, &err), 0);
        int rc = reg_csv_import(im, k, path, NULL, &err);
        int rc2 = reg_import_finish(im, rc == 0, path, reg_kind_name(k), "csv", &err);
        if (rc != 0 || rc2 != 0)
            fail_msg("%s: %s", path, err.msg);
    }
}

/* The oracle: the CSV examples give the same records. */
static void test_bundle_equals_csv(void **state)
{
    struct fx *f = *state;
    struct result r;
    import_fixture(f, "tests/data/fhir/examples.json", NULL, &r);
    assert_int_equal(r.rc, 0);
    struct store *csv = new_store(f, "csv.db");
    import_csv_examples(csv, &f->key);
    assert_fk_ok(csv);

    char *a = dump_all(f->s, false), *b = dump_all(csv, false);
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* With the same source system the source ids agree too, except for the
     * pathway steps, whose ids the EpisodeOfCare makes. */
    for (size_t i = 0; i + 1 < reg_kind_count(); i++) {
        a = dump_kind(f->s, reg_kind_at(i), true);
        b = dump_kind(csv, reg_kind_at(i), true);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    store_close(csv);
}

static void test_reimport_changes_nothing(void **state)
{
    struct fx *f = *state;
    struct result r;
    import_fixture(f, "tests/data/fhir/examples.json", NULL, &r);
    assert_int_equal(r.rc, 0);
    char *before = dump_all(f->s, true);
    import_fixture(f, "tests/data/fhir/examples.json", NULL, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.st.stored, 0);
    assert_int_equal(r.st.unchanged, 30);
    assert_int_equal(r.st.rejected, 0);
    char *after = dump_all(f->s, true);
    assert_string_equal(before, after);
    free(before);
    free(after);
    assert_int_equal(count_of(f->s, "import_run"), 2);
}

/* A changed resource updates its record; nothing else changes. */
static void test_reimport_changed(void **state)
{
    struct fx *f = *state;
    struct result r;
    import_fixture(f, "tests/data/fhir/examples.json", NULL, &r);
    assert_int_equal(r.rc, 0);
    char *text =
        fixture_with("tests/data/fhir/examples.json", "\"2024-05-14T10:00:00+02:00\"",
                     "\"2024-05-14T10:30:00+02:00\"");
    import_text(f, "examples.json", text, NULL, &r);
    free(text);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.st.stored, 1);
    assert_int_equal(r.st.unchanged, 29);
    assert_int_equal(scalar(f->s, "SELECT end_time FROM contact WHERE source_id = 'c5'"),
                     t_of("2024-05-14T10:30"));
}

/* ---- NDJSON, several files as one import ---- */

static void bulk_paths(char paths[5][512], const char *order[5])
{
    for (int i = 0; i < 5; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, "tests/data/fhir/bulk/%s.ndjson", order[i]);
        src_path(rel, paths[i], 512);
    }
}

static void test_ndjson_files_as_one(void **state)
{
    struct fx *f = *state;
    /* Dependents first: the files refer to each other in any order. */
    const char *order[5] = {"Procedure", "Encounter", "Condition", "Patient",
                            "Organization"};
    char p[5][512];
    bulk_paths(p, order);
    const char *paths[5] = {p[0], p[1], p[2], p[3], p[4]};
    struct result r;
    run_import(f->s, &f->key, paths, 5, NULL, NULL, NULL, &r);
    if (r.rc != 0)
        fail_msg("%s (%s: %s)", r.err.msg, r.n ? r.where[0] : "", r.n ? r.reason[0] : "");
    assert_int_equal(r.fs.resources, 12);
    assert_int_equal(r.fs.records, 11);
    assert_int_equal(r.fs.merged, 1);
    assert_fk_ok(f->s);
    /* meta.source without its "#request" part is the source system. */
    assert_string_equal(text_of(f->s, "SELECT DISTINCT source_system FROM contact"),
                        "https://journal.region-uppsala.example/fhir");
    /* Over the switch to summer time (2024-03-31 02:00 -> 03:00). */
    assert_int_equal(
        scalar(f->s, "SELECT start_time FROM contact WHERE source_id = 'b-e1'"),
        t_of("2024-03-30T23:40"));
    assert_int_equal(
        scalar(f->s, "SELECT end_time FROM contact WHERE source_id = 'b-e1'"),
        t_of("2024-03-31T04:15"));
    assert_string_equal(text_of(f->s, "SELECT main_diagnosis || cause_code FROM contact "
                                      "WHERE source_id = 'b-e1'"),
                        "T39.1X60");
    /* Death, its date in Swedish time, by suicide. */
    assert_string_equal(
        text_of(f->s, "SELECT death_date || '/' || death_by_suicide FROM person "
                      "WHERE source_id = 'b3'"),
        "19815/1"); /* 2024-04-02 */
    assert_int_equal(date_from_ymd(2024, 4, 2), 19815);
    assert_string_equal(text_of(f->s,
                                "SELECT method FROM self_harm_act WHERE source_id = "
                                "'b-a2'"),
                        "hanging");
    assert_int_equal(scalar(f->s, "SELECT decision_time FROM coercive_measure"),
                     t_of("2024-03-31T06:00"));
}

static void test_ndjson_missing_patient(void **state)
{
    struct fx *f = *state;
    const char *order[5] = {"Encounter", "Encounter", "Encounter", "Encounter",
                            "Encounter"};
    char p[5][512];
    bulk_paths(p, order);
    const char *paths[1] = {p[0]};
    struct result r;
    run_import(f->s, &f->key, paths, 1, NULL, NULL, NULL, &r);
    assert_int_equal(r.frc, 0);
    assert_int_equal(r.rc, KN_EINPUT);
    assert_int_equal(r.n, 3);
    assert_string_equal(r.where[0], "Encounter.ndjson:1: Encounter/b-e1 (subject)");
    assert_non_null(strstr(r.reason[0], "'Patient/b1' is not in the input"));
    assert_int_equal(count_of(f->s, "contact"), 0);
}

/* ---- rejects ---- */

/* c2 with a month 13: it and everything that refers to it fail. */
#define BAD_FROM "\"2023-03-05T03:00:00+01:00\""
#define BAD_TO   "\"2023-13-05T03:00:00+01:00\""

static void test_bad_resource_rejects_file(void **state)
{
    struct fx *f = *state;
    char *text = fixture_with("tests/data/fhir/examples.json", BAD_FROM, BAD_TO);
    struct result r;
    import_text(f, "bundle.json", text, NULL, &r);
    free(text);
    assert_int_equal(r.frc, 0);
    assert_int_equal(r.rc, KN_EINPUT);
    for (int i = 0; i < 10; i++) {
        static const char *const t[] = {
            "care_unit",  "person",    "contact",   "self_harm_act", "coercive_measure",
            "assessment", "care_plan", "treatment", "follow_up",     "pathway_step"};
        assert_int_equal(count_of(f->s, t[i]), 0);
    }
    assert_int_equal(count_of(f->s, "import_run"), 0);
    /* The entry, resource, path, then the session's field reason. */
    assert_true(r.n >= 1);
    assert_string_equal(r.where[0], "bundle.json: entry[1] Encounter/c2 (period.start)");
    assert_true(strncmp(r.reason[0], "field 'start': ", 15) == 0);
    /* Then the measures and the follow-up of the stay that is not there. */
    assert_int_equal(r.n, 5);
    assert_string_equal(r.where[1], "bundle.json: entry[20] Procedure/m1 (encounter)");
    assert_non_null(
        strstr(r.reason[1], "field 'stay_id': no contact with source_id 'c2'"));
    assert_int_equal(r.fs.rejected, 5);
    assert_int_equal(r.st.rejected, 5);
}

static void test_keep_valid_and_reject_file(void **state)
{
    struct fx *f = *state;
    /* c2 as above, and p4 with a municipality that does not exist. */
    char *t1 = fixture_with("tests/data/fhir/examples.json", BAD_FROM, BAD_TO);
    char *t2 = strstr(t1, "\"id\": \"p4\"");
    assert_non_null(t2);
    char *muni = strstr(t2, "\"valueCode\": \"0380\"");
    assert_non_null(muni);
    memcpy(muni + strlen("\"valueCode\": \""), "9999", 4);
    char rejects[128];
    snprintf(rejects, sizeof rejects, "%s/rejects.ndjson", f->dir);
    struct how how = {.keep_valid = true, .rejects = rejects};
    struct result r;
    import_text(f, "bundle.json", t1, &how, &r);
    free(t1);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.fs.rejected, 6);
    assert_int_equal(count_of(f->s, "person"), 3);
    assert_int_equal(count_of(f->s, "contact"), 4);
    assert_int_equal(count_of(f->s, "coercive_measure"), 0);
    assert_int_equal(count_of(f->s, "follow_up"), 1);
    assert_int_equal(count_of(f->s, "self_harm_act"), 3);
    assert_fk_ok(f->s);
    bool saw_p4 = false;
    for (int i = 0; i < r.n && i < MAX_CAUGHT; i++)
        if (strcmp(r.where[i],
                   "bundle.json: entry[9] Patient/p4 (extension(municipality))") == 0) {
            saw_p4 = true;
            assert_non_null(strstr(r.reason[i], "field 'municipality': '9999' is not"));
        }
    assert_true(saw_p4);

    /* The reject file: one JSON object per rejected resource, with _error,
     * and not one personnummer. */
    size_t len;
    char *text = read_all(rejects, &len);
    assert_non_null(text);
    const char *l = leaked(text, len);
    if (l != NULL)
        fail_msg("the reject file holds %s", l);
    int lines = 0;
    bool patient = false;
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        json_error_t je;
        json_t *o = json_loads(line, 0, &je);
        if (o == NULL)
            fail_msg("reject line %d: %s", lines + 1, je.text);
        assert_true(json_is_string(json_object_get(o, "_error")));
        const char *rt = json_string_value(json_object_get(o, "resourceType"));
        assert_non_null(rt);
        if (strcmp(rt, "Patient") == 0) {
            patient = true;
            json_t *id = json_array_get(json_object_get(o, "identifier"), 0);
            assert_non_null(id); /* kept, without its value */
            assert_null(json_object_get(id, "value"));
            assert_non_null(strstr(json_string_value(json_object_get(o, "_error")),
                                   "Patient/p4 (extension(municipality)): field "
                                   "'municipality'"));
        }
        if (strcmp(rt, "Encounter") == 0 &&
            strcmp(json_string_value(json_object_get(o, "id")), "c2") == 0)
            assert_non_null(
                strstr(json_string_value(json_object_get(o, "_error")),
                       "entry[1] Encounter/c2 (period.start): field 'start'"));
        json_decref(o);
        lines++;
    }
    assert_int_equal(lines, 6);
    assert_true(patient);
    free(text);
}

/* ---- malformed input, limits ---- */

static void test_malformed_json(void **state)
{
    struct fx *f = *state;
    struct result r;
    import_text(f, "bad.json",
                "{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"collection\"\n"
                "  \"entry\": []\n}\n",
                NULL, &r);
    assert_int_equal(r.frc, KN_EINPUT);
    assert_true(strncmp(r.err.msg, "bad.json:4:", 11) == 0);
    assert_non_null(strstr(r.err.msg, "malformed JSON"));

    /* NDJSON: the bad line is one rejected resource, named by its line. */
    import_text(
        f, "bad.ndjson",
        "{\"resourceType\":\"Organization\",\"id\":\"u1\",\"identifier\":[{\"value\":"
        "\"X1\"}],\"name\":\"A\",\"extension\":[{\"url\":\"https://knod.se/fhir/"
        "StructureDefinition/region\",\"valueCode\":\"03\"}],\"type\":[{\"coding\":"
        "[{\"system\":\"https://knod.se/fhir/CodeSystem/unit-type\",\"code\":\"bup\"},"
        "{\"system\":\"https://knod.se/fhir/CodeSystem/care-setting\",\"code\":"
        "\"outpatient\"}]}]}\n"
        "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"identifier\":[{\"value\":"
        "200607092384x}]}\n\n",
        &(struct how){.keep_valid = true}, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.where[0], "bad.ndjson:2");
    assert_non_null(strstr(r.reason[0], "malformed JSON"));
    assert_true(strncmp(r.reason[0], "column ", 7) == 0);
    assert_int_equal(count_of(f->s, "care_unit"), 1);
    assert_int_equal(r.st.rejected, 1);

    /* Not a FHIR resource. */
    import_text(f, "x.json", "[1, 2]", NULL, &r);
    assert_int_equal(r.frc, KN_EINPUT);
    assert_non_null(strstr(r.err.msg, "x.json: expected a FHIR Bundle or resource"));
    import_text(f, "h.json",
                "{\"resourceType\":\"Bundle\",\"type\":\"history\",\"entry\":[]}", NULL,
                &r);
    assert_int_equal(r.frc, KN_EINPUT);
    assert_non_null(strstr(r.err.msg, "type 'history' is not imported"));
    import_text(f, "d.json", "{\"resourceType\":\"Patient\",\"id\":\"a\",\"id\":\"b\"}",
                NULL, &r);
    assert_int_equal(r.frc, KN_EINPUT); /* duplicate keys are ambiguous */
}

static void test_limits(void **state)
{
    struct fx *f = *state;
    struct result r;
    import_text(f, "deep.json", "{\"resourceType\":\"Patient\",\n \"x\":[[[[[[1]]]]]]}",
                &(struct how){.max_depth = 5}, &r);
    assert_int_equal(r.frc, KN_EINPUT);
    assert_string_equal(r.err.msg, "deep.json:2:10: the JSON nests deeper than 5 levels");
    /* Brackets in strings do not count. */
    import_text(f, "s.json", "{\"resourceType\":\"Basic\",\"x\":\"[[[[[[[[\"}",
                &(struct how){.max_depth = 2}, &r);
    assert_int_equal(r.frc, 0);
    assert_int_equal(r.fs.unknown_type, 1);
    import_text(f, "big.json", "{\"resourceType\":\"Basic\", \"text\": \"0123456789\"}",
                &(struct how){.max_document = 20}, &r);
    assert_int_equal(r.frc, KN_EINPUT);
    assert_non_null(strstr(r.err.msg, "more than the 20 a JSON document may have"));
    import_text(
        f, "long.ndjson",
        "{\"resourceType\":\"Basic\"}\n{\"resourceType\":\"Basic\",\"x\":\"long\"}\n",
        &(struct how){.max_line = 30, .keep_valid = true}, &r);
    assert_int_equal(r.frc, 0);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.where[0], "long.ndjson:2");
    assert_non_null(strstr(r.reason[0], "more than the 30 allowed"));
    import_text(f, "empty.ndjson", "\n\n", NULL, &r);
    assert_int_equal(r.frc, KN_EINPUT);
    import_text(f, "empty.json", "", NULL, &r);
    assert_int_equal(r.frc, KN_EINPUT);
    assert_string_equal(r.err.msg, "empty.json: the file is empty");
}

static void test_unknown_types_skipped(void **state)
{
    struct fx *f = *state;
    struct result r;
    import_text(
        f, "b.json",
        "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
        "{\"resource\":{\"resourceType\":\"Practitioner\",\"id\":\"x\"}},"
        "{\"resource\":{\"resourceType\":\"Medication\",\"id\":\"y\"}},"
        "{\"resource\":{\"resourceType\":\"Practitioner\",\"id\":\"z\"}},"
        "{\"request\":{\"method\":\"DELETE\",\"url\":\"Patient/q\"}},"
        "{\"fullUrl\":\"urn:uuid:11111111-2222-3333-4444-555555555555\","
        "\"resource\":{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":"
        "\"urn:oid:1.2.752.129.2.1.3.1\",\"value\":\"201701012393\"}],\"extension\":"
        "[{\"url\":\"https://knod.se/fhir/StructureDefinition/municipality\","
        "\"valueString\":\"0180\"}]},\"request\":{\"method\":\"POST\",\"url\":"
        "\"Patient\"}}]}",
        NULL, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.n, 0);
    assert_int_equal(r.fs.resources, 4);
    assert_int_equal(r.fs.unknown_type, 3);
    assert_string_equal(r.fs.unknown_names, "Practitioner, Medication");
    assert_int_equal(r.fs.records, 1);
    /* A resource without an id: its fullUrl's uuid is the source id. */
    assert_string_equal(text_of(f->s, "SELECT source_id || municipality FROM person"),
                        "11111111-2222-3333-4444-5555555555550180");
}

/* ---- personnummer ---- */

static void test_no_pnr_in_store(void **state)
{
    struct fx *f = *state;
    struct result r;
    import_fixture(f, "tests/data/fhir/examples.json", NULL, &r);
    assert_int_equal(r.rc, 0);
    const char *order[5] = {"Organization", "Patient", "Encounter", "Condition",
                            "Procedure"};
    char p[5][512];
    bulk_paths(p, order);
    const char *paths[5] = {p[0], p[1], p[2], p[3], p[4]};
    run_import(f->s, &f->key, paths, 5, NULL, NULL, NULL, &r);
    assert_int_equal(r.rc, 0);
    assert_true(count_of(f->s, "person") >= 4);
    const char *files[] = {"knod.db", "knod.db-wal"};
    for (size_t i = 0; i < 2; i++) {
        char path[128];
        size_t len;
        snprintf(path, sizeof path, "%s/%s", f->dir, files[i]);
        char *bytes = read_all(path, &len);
        const char *l = bytes ? leaked(bytes, len) : NULL;
        if (l != NULL)
            fail_msg("%s holds the personnummer %s", files[i], l);
        free(bytes);
    }
}

/* A resource id shaped like a personnummer would be stored as source_id:
 * it is refused, and the number is in no message. */
static void test_pnr_shaped_id_refused(void **state)
{
    struct fx *f = *state;
    struct result r;
    import_text(
        f, "p.json",
        "{\"resourceType\":\"Patient\",\"id\":\"200607092384\",\"identifier\":[{"
        "\"system\":\"http://electronichealth.se/identifier/personnummer\",\"value\":"
        "\"200607092384\"}],\"extension\":[{\"url\":\"https://knod.se/fhir/"
        "StructureDefinition/municipality\",\"valueCode\":\"0180\"}]}",
        NULL, &r);
    assert_int_equal(r.rc, KN_EINPUT);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.where[0], "p.json: Patient/XXXXXXXXXXXX (id)");
    assert_non_null(strstr(r.reason[0], "looks like a personnummer"));
    assert_int_equal(count_of(f->s, "person"), 0);

    /* An id that only looks like one (no valid check digit, birth number
     * 000: a timestamp) is an id like any other. */
    import_text(
        f, "t.json",
        "{\"resourceType\":\"Patient\",\"id\":\"202401150001\",\"identifier\":[{"
        "\"system\":\"http://electronichealth.se/identifier/personnummer\",\"value\":"
        "\"200607092384\"}],\"extension\":[{\"url\":\"https://knod.se/fhir/"
        "StructureDefinition/municipality\",\"valueCode\":\"0180\"}]}",
        NULL, &r);
    assert_int_equal(r.rc, 0);
    assert_string_equal(text_of(f->s, "SELECT source_id FROM person"), "202401150001");
    /* Control characters of an id do not reach the terminal. */
    import_text(
        f, "c.json",
        "{\"resourceType\":\"Patient\",\"id\":\"a\\u001b[31mb\",\"identifier\":[{"
        "\"system\":\"http://electronichealth.se/identifier/personnummer\",\"value\":"
        "\"200306062381\"}]}",
        NULL, &r);
    assert_int_equal(r.rc, KN_EINPUT);
    assert_string_equal(r.where[0], "c.json: Patient/a?[31mb (id)");
    assert_string_equal(r.reason[0], "field 'source_id': holds a control character");
}

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
        {"2023-03-04T22:10:00.5", "2023-03-04T22:10:00"},
        {"2023-03-04T22:10", "2023-03-04T22:10"},
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bundle_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bundle_equals_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reimport_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reimport_changed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ndjson_files_as_one, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ndjson_missing_patient, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_resource_rejects_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keep_valid_and_reject_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_types_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_pnr_in_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pnr_shaped_id_refused, setup, teardown),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_diagnoses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
