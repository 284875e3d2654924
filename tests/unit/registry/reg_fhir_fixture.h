/* tests/unit/registry/reg_fhir_fixture.h: what the FHIR import tests
 * (test_reg_fhir_*.c) share.
 *
 * Fixtures in tests/data/fhir/: examples.json, a collection Bundle holding
 * the same care data as data/examples (in a shuffled order: contacts
 * before their persons and units, a measure before the one it extends),
 * and bulk/, a small Bulk Data export with one NDJSON file per type.
 * Each test gets a fresh store with the geography and a new key
 * (setup/teardown, cmocka fixtures); today is fixed at 2026-11-23.
 * run_import() imports as `knod import` does; every row error and import
 * error is searched for every form of every personnummer used (leaked);
 * dump_kind()/dump_all() give tables as text, references by the
 * referenced record's key.
 *
 * Header-only (static inline functions) so that each test stays one source
 * file. Include it after <cmocka.h>, with _GNU_SOURCE defined before the
 * first system header (memmem).
 */
#ifndef KNOD_TESTS_REG_FHIR_FIXTURE_H
#define KNOD_TESTS_REG_FHIR_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "domain/geo.h"
#include "domain/pseudo.h"
#include "testutil.h"
#include "registry/reg_csv.h"
#include "registry/reg_fhir.h"
#include "registry/reg_geo.h"
#include "registry/reg_import.h"
#include "registry/reg_import_impl.h"
#include "store/store.h"

static inline kn_day today(void)
{
    return date_from_ymd(2026, 11, 23);
}

/* ---- personnummer ---- */

static const char *const known_pnr[] = {"200607092384", "200306062381", "200802122390",
                                        "201701012393"};

/* The first written form of a known number in buf[0..len), or NULL: the
 * ten digits (inside the twelve too), and YYMMDD-NNNC / YYMMDD+NNNC (inside
 * YYYYMMDD-NNNC too). */
static inline const char *leaked(const void *buf, size_t len)
{
    return tu_pnr_leaked(buf, len, known_pnr, sizeof known_pnr / sizeof known_pnr[0]);
}

/* ---- fixture ---- */

struct fx {
    char dir[64];
    struct store *s;
    struct pseudo_key key;
};

static inline struct store *new_store(const struct fx *f, const char *name)
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

static inline int setup(void **state)
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

static inline int teardown(void **state)
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

static inline char *read_all(const char *path, size_t *len)
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

static inline void src_path(const char *rel, char *out, size_t cap)
{
    const char *src = getenv("SRCDIR");
    if (src == NULL) {
        fail_msg("SRCDIR is not set (tests/meson.build sets it)");
        abort(); /* fail_msg does not return; tell the compiler too */
    }
    snprintf(out, cap, "%s/%s", src, rel);
}

/* The text of a fixture with the first `from` replaced by `to`. */
static inline char *fixture_with(const char *rel, const char *from, const char *to)
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

static inline void on_reject(void *ctx, const char *where, const char *reason)
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
static inline void run_import(struct store *s, const struct pseudo_key *key,
                              const char *const *paths, size_t n, const char *name,
                              const char *text, const struct how *how, struct result *r)
{
    static const struct how plain = {0};
    if (how == NULL)
        how = &plain;
    memset(r, 0, sizeof *r);
    struct reg_import_options io = { .keep_valid = how->keep_valid, .today = today() };
    io.persons = (enum reg_persons_load)tu_persons_load();
    struct reg_fhir_options fo = {how->source ? how->source : "example",
                                  how->rejects,
                                  how->max_document,
                                  how->max_line,
                                  how->max_depth,
                                  on_reject,
                                  r,
                                  true,
                                  NULL,
                                  NULL,
                                  NULL};
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

static inline void import_fixture(struct fx *f, const char *rel, const struct how *how,
                                  struct result *r)
{
    char path[512];
    src_path(rel, path, sizeof path);
    const char *paths[] = {path};
    run_import(f->s, &f->key, paths, 1, NULL, NULL, how, r);
}

static inline void import_text(struct fx *f, const char *name, const char *text,
                               const struct how *how, struct result *r)
{
    run_import(f->s, &f->key, NULL, 0, name, text, how, r);
}

/* ---- the store ---- */

static inline int64_t scalar(struct store *s, const char *sql)
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
static inline const char *text_of(struct store *s, const char *sql)
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

static inline int64_t count_of(struct store *s, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    return scalar(s, sql);
}

static inline int64_t t_of(const char *text)
{
    kn_time t;
    struct kn_error err = KN_ERROR_INIT;
    if (time_parse(text, strlen(text), &t, &err) != 0)
        fail_msg("%s: %s", text, err.msg);
    return t;
}

static inline void assert_fk_ok(struct store *s)
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
static inline char *dump_kind(struct store *s, const struct reg_kind *k, bool with_source)
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

static inline char *dump_all(struct store *s, bool with_source)
{
    struct strbuf all = STRBUF_INIT;
    for (size_t i = 0; i < reg_kind_count(); i++) {
        char *d = dump_kind(s, reg_kind_at(i), with_source);
        sb_addstr(&all, d);
        free(d);
    }
    return sb_detach(&all, NULL);
}

/* The five files of tests/data/fhir/bulk/ (an NDJSON Bulk Data export),
 * named in order[], as paths. */
static inline void bulk_paths(char paths[5][512], const char *order[5])
{
    for (int i = 0; i < 5; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, "tests/data/fhir/bulk/%s.ndjson", order[i]);
        src_path(rel, paths[i], 512);
    }
}

#endif /* KNOD_TESTS_REG_FHIR_FIXTURE_H */
