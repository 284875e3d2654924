/* tests/unit/eng_fixture.h: small stores for the engine and
 * disclosure tests (engine/test_eng_*.c, disclosure/test_sup*.c,
 * export/test_eng_fhir.c), beside testutil.h since three folders use it.
 *
 * Each test gets a fresh store in a temp dir with the reference geography
 * installed (store_open + geo_load + reg_geo_install, as the registry
 * tests do), rows inserted with plain SQL, a snapshot (snap_build), and
 * definitions parsed from text (ind_parse). efx_run() evaluates with one
 * thread and again with two and fails unless both give the same cells.
 *
 * The engine tests (test_eng_relations.c, _periods.c, _measures.c,
 * _rates.c, _places.c) check the engine against docs/indicators.md, the
 * specification: each builds a small store by hand, evaluates a few
 * definitions written for the test with one thread and with two (the cells
 * must be identical), and checks cells against figures computed by hand in
 * the comments. The statistics themselves (Wilson, Poisson, medians, DSR)
 * are checked in stats/test_stat.c; there they only serve as the oracle of a
 * cell's interval once its numerator and denominator are pinned.
 * test_eng_reference.c compares a few hundred random timelines cell by cell
 * with a naive evaluator written from the specification. Where the engine
 * disagrees with the specification a test keeps the documented expectation
 * under `#if 0` with a comment `ENGINE-BUG:`.
 *
 * Header-only (static inline functions) so that each test stays one source
 * file.
 */
#ifndef KNOD_TESTS_ENG_FIXTURE_H
#define KNOD_TESTS_ENG_FIXTURE_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/date.h"
#include "domain/geo.h"
#include "registry/reg_geo.h"
#include "engine/eng.h"
#include "lang/ind.h"
#include "snapshot/snap.h"
#include "store/store.h"

#define DAY 86400LL
#define HOUR 3600LL
#define NO_END (-1LL)

/* The header every test definition needs; the body follows it. */
#define EFX_HDR(id)                                                                      \
    "indicator " id "\nversion 1\ntitle sv \"t\"\ntitle en \"t\"\n"                     \
    "description sv \"t\"\ndescription en \"t\"\nowner \"t\"\ngoal self-harm\n"         \
    "direction lower\n"

#define NEAR(a, b, tol)                                                                 \
    do {                                                                                \
        double a_ = (a), b_ = (b);                                                      \
        if (!(fabs(a_ - b_) <= (tol)))                                                  \
            fail_msg("%s = %.12g, expected %.12g (tol %g)", #a, a_, b_, (double)(tol)); \
    } while (0)

struct efx {
    char dir[64];
    struct store *st;
    struct arena a; /* geography, definitions */
    struct geo geo;
    struct snap *snap;
    struct ind_catalogue cat;
    int src; /* source ids */
};

static inline int efx_setup(void **state)
{
    struct efx *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/knod-test-eng-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    char path[128];
    snprintf(path, sizeof path, "%s/knod.db", f->dir);
    struct kn_error err = KN_ERROR_INIT;
    struct store_options opt = { STORE_CREATE, 0 };
    if (store_open(path, &opt, &f->st, &err) != 0) {
        print_error("store_open: %s\n", err.msg);
        return -1;
    }
    arena_init(&f->a);
    int rc = geo_load(&f->geo, &f->a, &err);
    if (rc == 0)
        rc = reg_geo_install(f->st, &f->geo, &err);
    if (rc != 0) {
        print_error("setup: %s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static inline int efx_teardown(void **state)
{
    struct efx *f = *state;
    snap_free(f->snap);
    store_close(f->st);
    arena_release(&f->a);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

static inline void efx_sql(struct efx *f, const char *fmt, ...)
{
    char sql[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    struct kn_error err = KN_ERROR_INIT;
    if (store_exec(f->st, sql, &err) != 0)
        fail_msg("%s: %s", sql, err.msg);
}

/* Civil time of a date and clock time. */
static inline kn_time T(int y, int mo, int d, int h, int mi, int s)
{
    return time_from_day(date_from_ymd(y, mo, d)) + h * HOUR + mi * 60 + s;
}

static inline kn_day D(int y, int mo, int d)
{
    return date_from_ymd(y, mo, d);
}

static inline void efx_unit(struct efx *f, int id, const char *region, const char *kind,
                     const char *setting)
{
    efx_sql(f, "INSERT INTO care_unit (id, code, name, region_code, unit_type, setting, "
               "source_system, source_id) VALUES (%d, 'U%d', 'Unit %d', '%s', '%s', '%s', "
               "'t', 'u%d')", id, id, id, region, kind, setting, id);
}

/* A person; muni and region may be NULL (region defaults to the
 * municipality's). */
static inline void efx_person(struct efx *f, int id, int birth_year, char sex, const char *muni,
                       const char *region)
{
    char reg[8] = "NULL", mun[8] = "NULL";
    if (muni)
        snprintf(mun, sizeof mun, "'%s'", muni);
    if (region)
        snprintf(reg, sizeof reg, "'%s'", region);
    else if (muni)
        snprintf(reg, sizeof reg, "'%.2s'", muni);
    efx_sql(f, "INSERT INTO person (id, pseudonym, id_kind, birth_year, sex, municipality, "
               "region_code, source_system, source_id) VALUES (%d, '%032d', 'personnummer', "
               "%d, '%c', %s, %s, 't', 'p%d')", id, id, birth_year, sex, mun, reg, id);
}

static inline void efx_death(struct efx *f, int person, kn_day day, int suicide)
{
    efx_sql(f, "UPDATE person SET death_date = %d, death_by_suicide = %d WHERE id = %d",
            (int)day, suicide, person);
}

static inline void efx_act(struct efx *f, int person, kn_time t)
{
    efx_sql(f, "INSERT INTO self_harm_act (person_id, act_time, cause_code, intent, method, "
               "source_system, source_id) VALUES (%d, %lld, 'X60', 'intentional', 'poison', "
               "'t', 'a%d')", person, (long long)t, ++f->src);
}

/* A contact (type emergency, outpatient, inpatient); end NO_END for none.
 * Returns its id. */
static inline int efx_contact(struct efx *f, int person, int unit, const char *type, kn_time start,
                       kn_time end)
{
    char e[32] = "NULL";
    if (end != NO_END)
        snprintf(e, sizeof e, "%lld", (long long)end);
    int id = ++f->src;
    efx_sql(f, "INSERT INTO contact (id, person_id, unit_id, contact_type, start_time, "
               "end_time, legal_basis, brief_admission, source_system, source_id) VALUES "
               "(%d, %d, %d, '%s', %lld, %s, 'voluntary', 0, 't', 'c%d')",
            id, person, unit, type, (long long)start, e, id);
    return id;
}

static inline int efx_stay(struct efx *f, int person, int unit, kn_time start, kn_time end)
{
    return efx_contact(f, person, unit, "inpatient", start, end);
}

static inline void efx_assessment(struct efx *f, int person, kn_time t, const char *type)
{
    efx_sql(f, "INSERT INTO assessment (person_id, assessment_time, assessment_type, "
               "source_system, source_id) VALUES (%d, %lld, '%s', 't', 's%d')",
            person, (long long)t, type, ++f->src);
}

static inline void efx_followup(struct efx *f, int person, kn_time t)
{
    efx_sql(f, "INSERT INTO follow_up (person_id, follow_up_time, mode, source_system, "
               "source_id) VALUES (%d, %lld, 'visit', 't', 'f%d')",
            person, (long long)t, ++f->src);
}

static inline void efx_measure(struct efx *f, int person, int stay, kn_time start, kn_time end)
{
    efx_sql(f, "INSERT INTO coercive_measure (person_id, stay_id, measure_type, legal_basis, "
               "start_time, end_time, source_system, source_id) VALUES (%d, %d, "
               "'fastspanning', 'LPT', %lld, %lld, 't', 'm%d')",
            person, stay, (long long)start, (long long)end, ++f->src);
}

/* Two snapshots hold the same timelines: every column equal, codes and
 * steps compared as text (the dictionaries may be numbered differently). */
static inline void efx_same_snap(const struct snap *a, const struct snap *b)
{
    assert_int_equal(a->npersons, b->npersons);
    assert_int_equal(a->nevents, b->nevents);
    assert_int_equal(a->t_last, b->t_last);
    assert_int_equal(a->year_min, b->year_min);
    assert_int_equal(a->year_max, b->year_max);
    for (uint32_t p = 0; p < a->npersons; p++) {
        assert_int_equal(a->birth_year[p], b->birth_year[p]);
        assert_int_equal(a->sex[p], b->sex[p]);
        assert_int_equal(a->geo_slot[p], b->geo_slot[p]);
        assert_int_equal(a->person_id[p], b->person_id[p]);
        assert_int_equal(a->ev_end[p] - a->ev_off[p], b->ev_end[p] - b->ev_off[p]);
    }
    for (uint32_t p = 0; p < a->npersons; p++)
        for (size_t j = 0; j < a->ev_end[p] - a->ev_off[p]; j++) {
            size_t i = a->ev_off[p] + j, k = b->ev_off[p] + j;
            assert_int_equal(a->kind[i], b->kind[k]);
            assert_int_equal(a->flags[i], b->flags[k]);
            assert_int_equal(a->t[i], b->t[k]);
            assert_int_equal(a->dur[i], b->dur[k]);
            assert_int_equal(a->unit[i], b->unit[k]);
            if (a->kind[i] == IND_EV_STEP)
                assert_string_equal(a->steps[a->sub[i]], b->steps[b->sub[k]]);
            else
                assert_int_equal(a->sub[i], b->sub[k]);
            assert_int_equal(a->code[i] == SNAP_NONE, b->code[k] == SNAP_NONE);
            if (a->code[i] != SNAP_NONE)
                assert_string_equal(a->codes[a->code[i]], b->codes[b->code[k]]);
            assert_int_equal(a->diag[i] == SNAP_NONE, b->diag[k] == SNAP_NONE);
            if (a->diag[i] != SNAP_NONE)
                assert_string_equal(a->codes[a->diag[i]], b->codes[b->diag[k]]);
        }
}

/* The snapshot, built on one connection and on two (snap_build2): they must
 * be the same; the tests then use the one read on two. */
static inline void efx_snap(struct efx *f)
{
    struct kn_error err = KN_ERROR_INIT;
    snap_free(f->snap);
    f->snap = NULL;
    struct snap *one = NULL;
    if (snap_build(&one, f->st, &f->geo, &err) != 0)
        fail_msg("snap_build: %s", err.msg);
    char path[128];
    snprintf(path, sizeof path, "%s/knod.db", f->dir);
    struct store_options ro = { STORE_READONLY, 0 };
    struct store *st2 = NULL;
    if (store_open(path, &ro, &st2, &err) != 0)
        fail_msg("second connection: %s", err.msg);
    if (snap_build2(&f->snap, f->st, st2, &f->geo, &err) != 0)
        fail_msg("snap_build2: %s", err.msg);
    store_close(st2);
    efx_same_snap(one, f->snap);
    snap_free(one);
}

/* Parse text into a fresh catalogue; the definitions are f->cat.defs. */
static inline void efx_parse(struct efx *f, const char *text)
{
    struct kn_error err = KN_ERROR_INIT;
    memset(&f->cat, 0, sizeof f->cat);
    if (ind_parse(&f->cat, "test.ind", text, strlen(text), &f->a, &err) != 0)
        fail_msg("ind_parse: %s\n%s", err.msg, text);
}

static inline void efx_compare(const struct eng_run *a, const struct eng_run *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        const struct eng_result *x = &a->results[i], *y = &b->results[i];
        assert_int_equal(x->nperiods, y->nperiods);
        assert_int_equal(x->ngeo, y->ngeo);
        assert_int_equal(x->nband, y->nband);
        size_t n = (size_t)x->nperiods * x->ngeo * 3 * x->nband;
        for (size_t k = 0; k < n; k++) {
            const struct eng_cell *c = &x->cells[k], *d = &y->cells[k];
            bool same = c->flags == d->flags && c->num == d->num && c->den == d->den &&
                        (c->value == d->value || (isnan(c->value) && isnan(d->value))) &&
                        c->lo95 == d->lo95 && c->hi95 == d->hi95 && c->lo998 == d->lo998 &&
                        c->hi998 == d->hi998;
            if (!same)
                fail_msg("result %zu (%s:%s) cell %zu differs between 1 and 2 threads: "
                         "num %g/%g den %g/%g value %g/%g",
                         i, x->def->id, x->def->measures[x->measure].name, k, c->num, d->num,
                         c->den, d->den, c->value, d->value);
        }
    }
}

/* Run defs[0..n-1] (all of the catalogue if defs is NULL) with 1 and 2
 * threads; out gets the 1-thread run. */
static inline void efx_run_opt(struct efx *f, const struct ind_def *const *defs, size_t n,
                        int year_from, int year_to, struct eng_run *out)
{
    const struct ind_def *all[16];
    if (!defs) {
        assert_true(f->cat.n <= 16);
        for (size_t i = 0; i < f->cat.n; i++)
            all[i] = &f->cat.defs[i];
        defs = all;
        n = f->cat.n;
    }
    if (!f->snap)
        efx_snap(f);
    struct kn_error err = KN_ERROR_INIT;
    struct eng_options o1 = { year_from, year_to, 1 }, o2 = { year_from, year_to, 2 };
    struct eng_run two;
    if (eng_run(out, f->snap, defs, n, &o1, &err) != 0)
        fail_msg("eng_run: %s", err.msg);
    if (eng_run(&two, f->snap, defs, n, &o2, &err) != 0)
        fail_msg("eng_run (2 threads): %s", err.msg);
    efx_compare(out, &two);
    eng_run_free(&two);
}

static inline void efx_run(struct efx *f, struct eng_run *out)
{
    efx_run_opt(f, NULL, 0, 0, 0, out);
}

/* The result of definition id's measure name. */
static inline const struct eng_result *efx_res(const struct eng_run *r, const char *id,
                                        const char *measure)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct eng_result *q = &r->results[i];
        if (strcmp(q->def->id, id) == 0 &&
            strcmp(q->def->measures[q->measure].name, measure) == 0)
            return q;
    }
    fail_msg("no result %s:%s", id, measure);
    abort(); /* fail_msg does not return; tell the optimiser */
}

/* Place indexes of a result (eng.h): healthcare region by code, region by
 * code, municipality by code, care unit by its index in the snapshot. */
static inline size_t efx_hc(const struct efx *f, const char *code)
{
    for (size_t i = 0; i < f->geo.nhregions; i++)
        if (strcmp(f->geo.hregions[i].code, code) == 0)
            return 1 + i;
    fail_msg("no healthcare region %s", code);
    return 0;
}

static inline size_t efx_reg(const struct efx *f, const char *code)
{
    for (size_t i = 0; i < f->geo.nregions; i++)
        if (strcmp(f->geo.regions[i].code, code) == 0)
            return 1 + f->geo.nhregions + i;
    fail_msg("no region %s", code);
    return 0;
}

static inline size_t efx_muni(const struct efx *f, const char *code)
{
    for (size_t i = 0; i < f->geo.nmunicipalities; i++)
        if (strcmp(f->geo.municipalities[i].code, code) == 0)
            return 1 + f->geo.nhregions + f->geo.nregions + i;
    fail_msg("no municipality %s", code);
    return 0;
}

static inline size_t efx_unit_geo(const struct efx *f, const char *unit_code)
{
    for (size_t i = 0; i < f->snap->nunits; i++)
        if (strcmp(f->snap->units[i].code, unit_code) == 0)
            return 1 + f->geo.nhregions + f->geo.nregions + i;
    fail_msg("no unit %s", unit_code);
    return 0;
}

#define SEX_ALL 0
#define SEX_F 1
#define SEX_M 2

static inline const struct eng_cell *efx_cell(const struct eng_result *r, int period, size_t geo,
                                       int sex, size_t band)
{
    assert_true(period >= 0 && period < r->nperiods);
    assert_true(geo < r->ngeo);
    assert_true(band < r->nband);
    return eng_cell(r, period, geo, sex, band);
}

static inline double efx_num(const struct eng_result *r, int period, size_t geo, int sex,
                      size_t band)
{
    const struct eng_cell *c = efx_cell(r, period, geo, sex, band);
    assert_true(c->flags & ENG_HAS_NUM);
    return c->num;
}

/* A count cell: its numerator must be want exactly. */
#define CNT_(r, p, g, s, b, want) NEAR(efx_num((r), (p), (g), (s), (b)), (want), 0)
#define CNT(...) CNT_(__VA_ARGS__)

/* The nation, both sexes, all ages. */
#define NAT 0, SEX_ALL, 0

/* A person living in Stockholm (0180). */
static inline void person0180(struct efx *f, int id, int birth_year, char sex)
{
    efx_person(f, id, birth_year, sex, "0180", NULL);
}

#endif /* KNOD_TESTS_ENG_FIXTURE_H */
