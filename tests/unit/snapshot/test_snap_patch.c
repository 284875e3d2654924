/* tests/unit/snapshot/test_snap_patch.c: a snapshot patched with the rows of
 * each import equals a snapshot built from the whole store, column by
 * column, and so do the engine's results over the shipped catalogue; an
 * edit of a stored row is not patched.
 *
 * A synthetic country (seed 1) is imported and built; then, one import at
 * a time, a second country's files (seed 2, another source system: new
 * persons and their events, file by file), the first country's acts and
 * contacts again under another source system (new events of old persons,
 * each tied in time, kind and type with an old one), and a new unit with a
 * contact at it. After each import the last snapshot is patched and
 * compared with a full build, person by person, and so is a second patch
 * of the same snapshot (which must not write where the first one appended);
 * the first snapshot stays alive throughout and must still equal a build
 * of its time (the patches share its columns). Finally a person's
 * municipality is corrected: the patch declines, and the cache builds the
 * whole store. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/arena.h"
#include "domain/geo.h"
#include "domain/pseudo.h"
#include "registry/reg_csv.h"
#include "registry/reg_geo.h"
#include "registry/reg_import.h"
#include "registry/reg_synth.h"
#include "engine/eng.h"
#include "lang/ind.h"
#include "snapshot/snap_cache.h"
#include "store/store.h"
#include "testutil.h"

struct fx {
    struct store *s;
    struct pseudo_key key;
    struct arena a;
    struct geo g;
    struct ind_catalogue cat;
    const struct ind_def **defs;
    char dir[256];
};

static void import_file(struct fx *f, const char *kind, const char *path)
{
    struct reg_import_options io = { .today = date_from_ymd(2026, 11, 23) };
    struct reg_import *im = NULL;
    struct kn_error err = KN_ERROR_INIT;
    if (reg_import_begin(f->s, &f->key, &io, &im, &err) != 0)
        fail_msg("reg_import_begin: %s", err.msg);
    struct reg_csv_options co = { 0 };
    const struct reg_kind *k = reg_kind_find(kind);
    assert_non_null(k);
    int rc = reg_csv_import(im, k, path, &co, &err);
    if (rc != 0)
        fail_msg("%s: %s", path, err.msg);
    uint64_t rejected = reg_import_get_stats(im)->rejected;
    if (reg_import_finish(im, true, path, kind, "csv", &err) != 0)
        fail_msg("%s: %" PRIu64 " rejected: %s", path, rejected, err.msg);
}

/* Copy src to dst with "from," at a line's start made "to,"; keep only
 * the header and the first `rows` data rows when rows > 0. */
static void rewrite(const char *src, const char *dst, const char *from, const char *to,
                    int rows, const char *was, const char *now)
{
    FILE *in = fopen(src, "r"), *out = fopen(dst, "w");
    assert_non_null(in);
    assert_non_null(out);
    char line[4096];
    int n = -1;
    size_t fl = strlen(from);
    while (fgets(line, sizeof line, in) && (rows <= 0 || n < rows)) {
        char *at = was ? strstr(line, was) : NULL;
        if (at)
            memcpy(at, now, strlen(now));
        if (strncmp(line, from, fl) == 0 && line[fl] == ',')
            fprintf(out, "%s%s", to, line + fl);
        else
            fputs(line, out);
        n++;
    }
    fclose(in);
    fclose(out);
}

static void write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static bool same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static const char *code_text(const struct snap *s, uint16_t c)
{
    return c == SNAP_NONE ? "(none)" : s->codes[c];
}

/* p, patched, against b, built from the whole store: the same persons,
 * each with the same timeline (a patched snapshot's slices may lie
 * anywhere in its columns). */
static void compare_snap(const struct snap *p, const struct snap *b)
{
    assert_false(b->patched);
    assert_int_equal(p->npersons, b->npersons);
    assert_int_equal(p->nevents, b->nevents);
    assert_memory_equal(p->birth_year, b->birth_year, p->npersons * sizeof *p->birth_year);
    assert_memory_equal(p->sex, b->sex, p->npersons);
    assert_memory_equal(p->geo_slot, b->geo_slot, p->npersons * sizeof *p->geo_slot);
    assert_memory_equal(p->person_id, b->person_id, p->npersons * sizeof *p->person_id);
    size_t total = 0;
    for (size_t q = 0; q < p->npersons; q++) {
        size_t pb = p->ev_off[q], bb = b->ev_off[q], n = p->ev_end[q] - pb;
        assert_int_equal(n, b->ev_end[q] - bb);
        assert_true(p->ev_end[q] <= p->cols_end);
        total += n;
        for (size_t j = 0; j < n; j++) {
            size_t i = pb + j, k = bb + j;
            if (p->kind[i] != b->kind[k] || p->flags[i] != b->flags[k] || p->t[i] != b->t[k] ||
                p->dur[i] != b->dur[k] || p->unit[i] != b->unit[k] ||
                strcmp(code_text(p, p->code[i]), code_text(b, b->code[k])) != 0 ||
                strcmp(code_text(p, p->diag[i]), code_text(b, b->diag[k])) != 0)
                fail_msg("person %zu event %zu differs: kind %d/%d t %d/%d unit %d/%d "
                         "code %s/%s", q, j, p->kind[i], b->kind[k], p->t[i], b->t[k],
                         p->unit[i], b->unit[k], code_text(p, p->code[i]),
                         code_text(b, b->code[k]));
            if (p->kind[i] == IND_EV_STEP)
                assert_string_equal(p->steps[p->sub[i]], b->steps[b->sub[k]]);
            else
                assert_int_equal(p->sub[i], b->sub[k]);
        }
        if (n >= 256)
            continue;
        assert_memory_equal(p->kind_start + q * SNAP_KINDS1, b->kind_start + q * SNAP_KINDS1,
                            SNAP_KINDS1);
        if (n)
            assert_memory_equal(p->kind_pos + pb, b->kind_pos + bb, n);
    }
    assert_int_equal(total, b->nevents);
    assert_int_equal(p->nunits, b->nunits);
    for (size_t u = 0; u < p->nunits; u++) {
        assert_string_equal(p->units[u].code, b->units[u].code);
        assert_string_equal(p->units[u].name, b->units[u].name);
        assert_int_equal(p->units[u].kind, b->units[u].kind);
        assert_int_equal(p->units[u].setting, b->units[u].setting);
        assert_int_equal(p->units[u].region, b->units[u].region);
    }
    assert_int_equal(p->t_last, b->t_last);
    assert_int_equal(p->year_min, b->year_min);
    assert_int_equal(p->year_max, b->year_max);
    assert_int_equal(p->npop, b->npop);
    assert_memory_equal(p->pop, b->pop, p->npop * sizeof *p->pop);
    assert_int_equal(p->max_person, b->max_person);
    assert_int_equal(p->max_unit, b->max_unit);
    assert_int_equal(p->edits, b->edits);
    assert_int_equal(p->person_edits, b->person_edits);
    assert_memory_equal(p->max_id, b->max_id, sizeof p->max_id);
    assert_memory_equal(p->pidx, b->pidx, ((size_t)p->max_person + 1) * sizeof *p->pidx);
}

/* The engine's cells over the whole catalogue, from p and from b. */
static void compare_results(struct fx *f, const struct snap *p, const struct snap *b)
{
    struct kn_error err = KN_ERROR_INIT;
    struct eng_run rp, rb;
    struct eng_options eo = { 0 };
    if (eng_run(&rp, p, f->defs, f->cat.n, &eo, &err) != 0 ||
        eng_run(&rb, b, f->defs, f->cat.n, &eo, &err) != 0)
        fail_msg("eng_run: %s", err.msg);
    assert_int_equal(rp.n, rb.n);
    size_t cells = 0;
    for (size_t i = 0; i < rp.n; i++) {
        const struct eng_result *x = &rp.results[i], *y = &rb.results[i];
        assert_int_equal(x->nperiods, y->nperiods);
        assert_int_equal(x->first_month, y->first_month);
        assert_int_equal(x->ngeo, y->ngeo);
        size_t n = (size_t)x->nperiods * x->ngeo * 3 * x->nband;
        for (size_t c = 0; c < n; c++, cells++) {
            const struct eng_cell *u = &x->cells[c], *v = &y->cells[c];
            if (!same_double(u->num, v->num) || !same_double(u->den, v->den) ||
                !same_double(u->value, v->value) || !same_double(u->lo95, v->lo95) ||
                !same_double(u->hi95, v->hi95) || !same_double(u->lo998, v->lo998) ||
                !same_double(u->hi998, v->hi998) || !same_double(u->f_lo95, v->f_lo95) ||
                !same_double(u->f_hi998, v->f_hi998) || u->flags != v->flags)
                fail_msg("%s measure %d cell %zu: %g/%g patched, %g/%g built", x->def->id,
                         x->measure, c, u->num, u->den, v->num, v->den);
        }
    }
    assert_true(cells > 0);
    eng_run_free(&rp);
    eng_run_free(&rb);
}

static int appended, copied;

/* Patch *last after an import and compare with a full build; the patched
 * one becomes *last (the old one is freed unless it is keep). A second
 * patch of the same snapshot (a branch) must not write where the first
 * one's events are: it copies the columns, and both equal the build. */
static void step(struct fx *f, struct snap **last, const struct snap *keep, const char *what)
{
    struct kn_error err = KN_ERROR_INIT;
    struct snap *p = NULL, *p2 = NULL, *b = NULL;
    if (snap_patch(&p, *last, f->s, &err) != 0)
        fail_msg("%s: snap_patch: %s", what, err.msg);
    if (!p)
        fail_msg("%s: the patch declined an import that only adds", what);
    assert_true(p->patched);
    if (snap_patch(&p2, *last, f->s, &err) != 0 || !p2)
        fail_msg("%s: the second snap_patch: %s", what, err.msg);
    if (snap_build(&b, f->s, &f->g, &err) != 0)
        fail_msg("%s: snap_build: %s", what, err.msg);
    /* (a changed person row may take a death away) */
    assert_true(p->nevents >= (*last)->nevents ||
                p->person_edits > (*last)->person_edits);
    if (p->cols == (*last)->cols) {
        appended++;
        /* (when the first appended nothing, the second may share too) */
        assert_true(p2->cols != p->cols || p->cols_end == (*last)->cols_end);
    } else {
        copied++;
    }
    compare_snap(p, b);
    compare_snap(p2, b);
    snap_free(p2);
    compare_results(f, p, b);
    snap_free(b);
    if (*last != keep)
        snap_free(*last);
    *last = p;
}

static void synth(struct fx *f, const char *name, long persons, uint64_t seed)
{
    char out[300];
    snprintf(out, sizeof out, "%s/%s", f->dir, name);
    struct reg_synth_options o = { .persons = persons, .years = 3, .end_year = 2024,
                                   .seed = seed, .out_dir = out, .threads = 1 };
    struct kn_error err = KN_ERROR_INIT;
    if (reg_synth_write(&o, &f->g, NULL, &err) != 0)
        fail_msg("synth: %s", err.msg);
}

static const char *const kinds[] = { "units", "persons", "contacts", "self_harm",
                                     "coercive_measures", "assessments", "care_plans",
                                     "treatments", "follow_ups", "pathway_steps" };

static void test_patch_equals_build(void **state)
{
    (void)state;
    struct fx fx = { 0 }, *f = &fx;
    struct kn_error err = KN_ERROR_INIT;
    snprintf(f->dir, sizeof f->dir, "%s", tu_dir);
    char p[400], q[400];
    snprintf(p, sizeof p, "%s/patch.db", f->dir);
    struct store_options opt = { STORE_CREATE, 0 };
    if (store_open(p, &opt, &f->s, &err) != 0)
        fail_msg("%s", err.msg);
    /* a test store: no waiting for the disk at each commit */
    assert_int_equal(store_exec(f->s, "PRAGMA synchronous=OFF", &err), 0);
    arena_init(&f->a);
    assert_int_equal(geo_load(&f->g, &f->a, &err), 0);
    assert_int_equal(reg_geo_install(f->s, &f->g, &err), 0);
    snprintf(p, sizeof p, "%s/knod.key", f->dir);
    assert_int_equal(pseudo_key_create(p, &err), 0);
    assert_int_equal(pseudo_key_load(p, &f->key, &err), 0);
    if (ind_catalogue_shipped(&f->cat, &f->a, &err) != 0)
        fail_msg("catalogue: %s", err.msg);
    f->defs = calloc(f->cat.n, sizeof *f->defs);
    assert_non_null(f->defs);
    for (size_t i = 0; i < f->cat.n; i++)
        f->defs[i] = &f->cat.defs[i];

    synth(f, "one", 150, 1);
    synth(f, "two", 100, 2);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        snprintf(p, sizeof p, "%s/one/%s.csv", f->dir, kinds[k]);
        import_file(f, kinds[k], p);
    }
    struct snap *last = NULL, *first = NULL, *first_b = NULL;
    assert_int_equal(snap_build(&last, f->s, &f->g, &err), 0);
    assert_true(last->edits >= 0);
    /* the first snapshot stays alive while the patches share its columns */
    first = last;
    assert_int_equal(snap_build(&first_b, f->s, &f->g, &err), 0);
    struct snap_cache *c = NULL;
    const struct snap *cs = NULL;
    bool rebuilt = false;
    assert_int_equal(snap_cache_new(&c, &f->g, &err), 0);
    assert_int_equal(snap_cache_get(c, f->s, &cs, &rebuilt, &err), 0);
    assert_true(rebuilt && !cs->patched);
    snap_cache_release(c, cs);

    /* new persons, then their events, one file (one import) at a time */
    for (size_t k = 1; k < sizeof kinds / sizeof kinds[0]; k++) {
        snprintf(p, sizeof p, "%s/two/%s.csv", f->dir, kinds[k]);
        snprintf(q, sizeof q, "%s/two-%s.csv", f->dir, kinds[k]);
        rewrite(p, q, "synth", "more", 0, NULL, NULL);
        import_file(f, kinds[k], q);
        step(f, &last, first, kinds[k]);
    }
    /* new events of old persons, tied with their old ones */
    snprintf(p, sizeof p, "%s/one/contacts.csv", f->dir);
    snprintf(q, sizeof q, "%s/again-contacts.csv", f->dir);
    rewrite(p, q, "synth", "again", 0, NULL, NULL);
    import_file(f, "contacts", q);
    step(f, &last, first, "contacts again");
    snprintf(p, sizeof p, "%s/one/self_harm.csv", f->dir);
    snprintf(q, sizeof q, "%s/again-self_harm.csv", f->dir);
    /* another cause (X6n -> X7n), so that the order of the tied acts shows */
    rewrite(p, q, "synth", "again", 0, ",X6", ",X7");
    import_file(f, "self_harm", q);
    step(f, &last, first, "acts again");

    /* a new unit and a contact at it (a person of the first country) */
    snprintf(p, sizeof p, "%s/unit.csv", f->dir);
    write_text(p, "source_system,source_id,code,name,region_code,unit_type,setting\n"
                  "new,u1,SE2321000099-U9999,Ny mottagning,03,bup,outpatient\n");
    import_file(f, "units", p);
    step(f, &last, first, "a new unit");
    char pnr[32] = "";
    snprintf(p, sizeof p, "%s/one/persons.csv", f->dir);
    FILE *fp = fopen(p, "r");
    char line[512];
    assert_non_null(fp);
    assert_non_null(fgets(line, sizeof line, fp));
    assert_non_null(fgets(line, sizeof line, fp));
    fclose(fp);
    assert_int_equal(sscanf(line, "synth,%*[^,],%31[^,]", pnr), 1);
    char text[600];
    snprintf(text, sizeof text,
             "source_system,source_id,pnr,unit,contact_type,start,end,legal_basis,"
             "brief_admission,main_diagnosis,other_diagnoses,cause_code\n"
             "new,c1,%s,SE2321000099-U9999,outpatient,2024-03-01T10:00:00,"
             "2024-03-01T11:00:00,,,F43.2,,\n", pnr);
    snprintf(p, sizeof p, "%s/new-contact.csv", f->dir);
    write_text(p, text);
    import_file(f, "contacts", p);
    step(f, &last, first, "a contact at the new unit");

    /* the patches appended to shared columns and also copied them; the
     * first snapshot, which the early ones shared columns with, still
     * holds what it held */
    assert_true(appended > 0 && copied > 0);
    compare_snap(first, first_b);
    snap_free(first_b);
    snap_free(first);

    /* the cache patches too */
    assert_int_equal(snap_cache_get(c, f->s, &cs, &rebuilt, &err), 0);
    assert_true(rebuilt && cs->patched);
    assert_int_equal(cs->nevents, last->nevents);
    snap_cache_release(c, cs);

    /* corrections of person rows: one person moves to another
     * municipality (and so to another place among the persons), another
     * dies; then both are undone. Each is patched and equals a build. */
    char muni[8] = "", line2[512];
    assert_int_equal(sscanf(line, "synth,%*[^,],%*[^,],%7[^,]", muni), 1);
    snprintf(p, sizeof p, "%s/one/persons.csv", f->dir);
    fp = fopen(p, "r");
    assert_non_null(fp);
    for (int k = 0; k < 3; k++) /* the header, the first person, the second */
        assert_non_null(fgets(line2, sizeof line2, fp));
    fclose(fp);
    char pnr2[32] = "", muni2[8] = "";
    assert_int_equal(sscanf(line2, "synth,%*[^,],%31[^,],%7[^,]", pnr2, muni2), 2);
    const char *moved = strcmp(muni, "0180") == 0 ? "1480" : "0180";
    const char *head = "source_system,source_id,pnr,municipality,death_date,"
                       "death_by_suicide\n";
    char id1[32] = "", id2[32] = "";
    assert_int_equal(sscanf(line, "synth,%31[^,]", id1), 1);
    assert_int_equal(sscanf(line2, "synth,%31[^,]", id2), 1);
    snprintf(text, sizeof text, "%ssynth,%s,%s,%s,,\nsynth,%s,%s,%s,2024-05-01,0\n", head,
             id1, pnr, moved, id2, pnr2, muni2);
    snprintf(p, sizeof p, "%s/correction.csv", f->dir);
    write_text(p, text);
    int64_t edits = last->edits;
    import_file(f, "persons", p);
    step(f, &last, NULL, "a move and a death");
    assert_int_equal(last->edits, edits);
    assert_true(last->ntouched >= 2);
    snprintf(text, sizeof text, "%ssynth,%s,%s,%s,,\nsynth,%s,%s,%s,,\n", head, id1, pnr,
             muni, id2, pnr2, muni2);
    snprintf(p, sizeof p, "%s/correction2.csv", f->dir);
    write_text(p, text);
    import_file(f, "persons", p);
    step(f, &last, NULL, "both undone");

    /* more changed persons than an eighth of them: built whole, not merged */
    snprintf(p, sizeof p, "%s/one/persons.csv", f->dir);
    fp = fopen(p, "r");
    assert_non_null(fp);
    assert_non_null(fgets(line2, sizeof line2, fp));
    snprintf(q, sizeof q, "%s/many.csv", f->dir);
    FILE *out = fopen(q, "w");
    assert_non_null(out);
    fputs(head, out);
    size_t many = last->npersons / 8 + 2;
    for (size_t k = 0; k < many; k++) {
        char sid[32], spnr[32], smuni[8];
        assert_non_null(fgets(line2, sizeof line2, fp));
        assert_int_equal(sscanf(line2, "synth,%31[^,],%31[^,],%7[^,]", sid, spnr, smuni),
                         3);
        fprintf(out, "synth,%s,%s,%s,,\n", sid, spnr,
                strcmp(smuni, "0180") == 0 ? "1480" : "0180");
    }
    fclose(fp);
    fclose(out);
    import_file(f, "persons", q);
    struct snap *whole = NULL;
    assert_int_equal(snap_patch(&whole, last, f->s, &err), 0);
    assert_null(whole);
    assert_int_equal(snap_build(&whole, f->s, &f->g, &err), 0);
    assert_true(whole->person_edits - last->person_edits >= (int64_t)many);
    snap_free(last);
    last = whole;

    /* a deleted person cannot be followed: a new person (no events) is
     * patched in, then deleted; no patch, the cache builds the whole */
    synth(f, "three", 1, 99);
    snprintf(p, sizeof p, "%s/three/persons.csv", f->dir);
    snprintf(q, sizeof q, "%s/three-persons.csv", f->dir);
    rewrite(p, q, "synth", "three", 0, NULL, NULL);
    import_file(f, "persons", q);
    step(f, &last, NULL, "a person without events");
    assert_int_equal(store_exec(f->s,
                                "DELETE FROM person WHERE id = (SELECT max(id) FROM "
                                "person)",
                                &err),
                     0);
    assert_int_equal(store_changes(f->s), 1);
    struct snap *none = NULL;
    assert_int_equal(snap_patch(&none, last, f->s, &err), 0);
    assert_null(none);
    assert_int_equal(snap_cache_get(c, f->s, &cs, &rebuilt, &err), 0);
    assert_true(rebuilt && !cs->patched);
    assert_true(cs->edits > last->edits);
    snap_cache_release(c, cs);

    snap_cache_free(c);
    snap_free(last);
    free(f->defs);
    pseudo_key_wipe(&f->key);
    store_close(f->s);
    arena_release(&f->a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patch_equals_build),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
