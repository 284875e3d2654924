/* tests/unit/engine/test_eng_inc.c: a generation made from the last one's
 * accumulators and the persons an import touched (eng_inc.h) equals a
 * fresh full run over the same snapshot in every cell of the whole
 * catalogue: numerator, denominator, value, both intervals, the funnel
 * limits, the flags and, after disclosure control on both, every
 * suppression reason.
 *
 * A synthetic country (seed 1) is imported and computed (a full run);
 * then, one import at a time: a second country's persons and then its
 * events file by file (another source system: new persons, new events),
 * new events of old persons (some of the first country's contacts and
 * acts again under another source system), a stay still going on at the
 * data's end with coercive measures during it, a contact that moves the
 * data's end (the persons near the end are evaluated again, for the
 * definitions that read it), a new year (the periods of a definition
 * over the data's years change: a full run), a new care unit (the places change: a full run), a correction
 * (the snapshot is built whole: a full run), and after it adds again.
 * Each generation says whether it was patched or full, and why. A
 * patched generation is given the last one's results (as the portal gives
 * them, once after disclosure control) and finishes only the cells the
 * import changed; once it is not given them and finishes every cell. */
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
#include "engine/eng_inc.h"
#include "lang/ind.h"
#include "disclosure/sup.h"
#include "store/store.h"
#include "testutil.h"

struct fx {
    struct store *s;
    struct pseudo_key key;
    struct arena a;
    struct geo g;
    struct ind_catalogue cat;
    const struct ind_def **defs;
    struct eng_inc *inc;
    struct snap *last;
    char dir[256];
    char pnr[32], pnr2[32]; /* two persons of the first country */
    char unit[64];          /* an inpatient unit of the first country */
    size_t patched, full;   /* generations of each kind */
    bool sup;               /* compare after disclosure control */
    struct eng_run last_run; /* the last generation's results */
    bool have_run, no_last; /* no_last: the next generation is not given them */
    struct sup_stat sst;    /* the last disclosure control's calendar periods */
    size_t shared;          /* the last generation's cubes it shared */
    bool keep_prev;         /* the next generation keeps the last one's results */
    struct eng_run prev_run; /* in prev_run */
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
    if (reg_csv_import(im, k, path, &co, &err) != 0)
        fail_msg("%s: %s", path, err.msg);
    uint64_t rejected = reg_import_get_stats(im)->rejected;
    if (reg_import_finish(im, true, path, kind, "csv", &err) != 0)
        fail_msg("%s: %" PRIu64 " rejected: %s", path, rejected, err.msg);
    assert_int_equal(rejected, 0);
}

/* Copy src to dst with "from," at a line's start made "to,", keeping the
 * header and the first `rows` data rows when rows > 0; `was` made `now`
 * (same length) where found. */
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

/* The first `rows` acts of src under source system `to`, with another
 * cause (X6n -> X7n, so that the order of tied acts shows) and no link
 * to a contact (the contacts are the first country's). */
static void rewrite_acts(const char *src, const char *dst, const char *to, int rows)
{
    FILE *in = fopen(src, "r"), *out = fopen(dst, "w");
    assert_non_null(in);
    assert_non_null(out);
    char line[4096];
    for (int n = -1; fgets(line, sizeof line, in) && n < rows; n++) {
        char *comma = strrchr(line, ',');
        assert_non_null(comma);
        if (n < 0) {
            fputs(line, out);
            continue;
        }
        strcpy(comma + 1, "\n");
        char *cause = strstr(line, ",X6");
        if (cause)
            cause[2] = '7';
        fprintf(out, "%s%s", to, strchr(line, ','));
    }
    fclose(in);
    fclose(out);
}

/* The first `rows` acts of src in `year` (the time starts "YYYY-"), under
 * source system `to`, as rewrite_acts() makes them. */
static void acts_of_year(const char *src, const char *dst, const char *to, const char *year,
                         int rows)
{
    FILE *in = fopen(src, "r"), *out = fopen(dst, "w");
    assert_non_null(in);
    assert_non_null(out);
    char line[4096];
    assert_non_null(fgets(line, sizeof line, in));
    fputs(line, out);
    for (int n = 0; n < rows && fgets(line, sizeof line, in);) {
        char *t = strchr(line, ','), *comma = strrchr(line, ',');
        for (int k = 0; t && k < 2; k++)
            t = strchr(t + 1, ','); /* the time: the fourth field */
        if (!t || strncmp(t + 1, year, 4) != 0 || t[5] != '-')
            continue;
        strcpy(comma + 1, "\n");
        char *cause = strstr(line, ",X6");
        if (cause)
            cause[2] = '7';
        fprintf(out, "%s%s", to, strchr(line, ','));
        n++;
    }
    fclose(in);
    fclose(out);
}

static void import_text(struct fx *f, const char *kind, const char *name, const char *text)
{
    char p[800];
    snprintf(p, sizeof p, "%s/%s", f->dir, name);
    FILE *fp = fopen(p, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    import_file(f, kind, p);
}

static bool same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* x, from the generations, against y, a fresh full run: every cell (the
 * suppression when sup: a cube shared with a suppressed last generation
 * keeps its flags until disclosure control, eng.h). */
static void compare_runs(const struct eng_run *x, const struct eng_run *y, const char *what,
                         bool sup)
{
    assert_int_equal(x->n, y->n);
    size_t cells = 0;
    for (size_t i = 0; i < x->n; i++) {
        const struct eng_result *a = &x->results[i], *b = &y->results[i];
        assert_ptr_equal(a->def, b->def);
        assert_int_equal(a->measure, b->measure);
        assert_int_equal(a->nperiods, b->nperiods);
        assert_int_equal(a->first_month, b->first_month);
        assert_int_equal(a->ngeo, b->ngeo);
        assert_int_equal(a->nband, b->nband);
        size_t n = (size_t)a->nperiods * a->ngeo * 3 * a->nband;
        for (size_t c = 0; c < n; c++, cells++) {
            const struct eng_cell *u = &a->cells[c], *v = &b->cells[c];
            if (!same_double(u->num, v->num) || !same_double(u->den, v->den) ||
                !same_double(u->value, v->value) || !same_double(u->lo95, v->lo95) ||
                !same_double(u->hi95, v->hi95) || !same_double(u->lo998, v->lo998) ||
                !same_double(u->hi998, v->hi998) || !same_double(u->f_lo95, v->f_lo95) ||
                !same_double(u->f_hi95, v->f_hi95) || !same_double(u->f_lo998, v->f_lo998) ||
                !same_double(u->f_hi998, v->f_hi998) || u->flags != v->flags ||
                (sup && (u->sup_num != v->sup_num || u->sup_den != v->sup_den ||
                         u->sup_value != v->sup_value)))
                fail_msg("%s: %s measure %d cell %zu: %g/%g=%g (sup %d%d%d) from the "
                         "generations, %g/%g=%g (sup %d%d%d) by a full run", what,
                         a->def->id, a->measure, c, u->num, u->den, u->value, u->sup_num,
                         u->sup_den, u->sup_value, v->num, v->den, v->value, v->sup_num,
                         v->sup_den, v->sup_value);
        }
    }
    assert_true(cells > 0);
}

/* One generation over s (prev: the last one's snapshot), compared with a
 * fresh full run; `want` says what it must have been: 'p' patched, or the
 * start of the reason of a full run. Disclosure control (slow under the
 * sanitizers, and a function of the cells compared) is applied to both
 * runs when f->sup is set. */
static struct eng_inc_stat generation(struct fx *f, const struct snap *prev,
                                      const struct snap *s, const char *what,
                                      const char *want)
{
    struct kn_error err = KN_ERROR_INIT;
    struct eng_run ri, rf;
    struct eng_inc_stat st;
    struct eng_options eo = { 0 };
    bool given = f->have_run && !f->no_last;
    if (eng_inc_run(f->inc, &ri, given ? &f->last_run : NULL, prev, s, &st, &err) != 0)
        fail_msg("%s: eng_inc_run: %s", what, err.msg);
    if (eng_run(&rf, s, f->defs, f->cat.n, &eo, &err) != 0)
        fail_msg("%s: eng_run: %s", what, err.msg);
    f->shared = 0;
    for (size_t i = 0; given && i < ri.n && i < f->last_run.n; i++)
        f->shared += ri.results[i].cells == f->last_run.results[i].cells;
    if (!given || !st.cells_again)
        assert_int_equal(f->shared, 0);
    struct sup_rules rules = { 5, 15 };
    if (f->sup) {
        /* the generation's by calendar period from the last one's, as the
         * portal does it; the fresh run's whole */
        sup_apply_from(&ri, &rules, given ? &f->last_run : NULL, &f->sst);
        sup_apply(&rf, &rules);
    }
    compare_runs(&ri, &rf, what, f->sup);
    if (strcmp(want, "p") == 0) {
        if (!st.delta)
            fail_msg("%s: a full run (%s), not a patched generation", what, st.why);
        /* given the last generation's cubes (of prev), only changed cells
         * are finished again */
        assert_int_equal(st.cells_again, given && prev && f->last_run.snap == prev);
        f->patched++;
    } else {
        if (st.delta)
            fail_msg("%s: a patched generation, not a full run (%s)", what, want);
        if (strncmp(st.why, want, strlen(want)) != 0)
            fail_msg("%s: a full run because '%s', not '%s'", what, st.why, want);
        f->full++;
    }
    if (f->have_run && f->keep_prev)
        f->prev_run = f->last_run;
    else if (f->have_run)
        eng_run_free(&f->last_run);
    f->last_run = ri; /* the next generation's last one (suppressed or not) */
    f->have_run = true;
    f->no_last = false;
    eng_run_free(&rf);
    return st;
}

static uint64_t calendar_period(const struct eng_result *r, int p)
{
    return (uint64_t)r->months_per_period << 32 |
           (uint32_t)(r->first_month + p * r->months_per_period);
}

static bool cell_moved(const struct eng_cell *a, const struct eng_cell *b)
{
    return !same_double(a->num, b->num) || !same_double(a->den, b->den) || a->flags != b->flags;
}

/* The cells whose suppression differs between the generations y (the
 * last) and x, all in calendar periods where a cell of some definition
 * changed (the closure decomposes by calendar period, sup.h). */
static size_t sup_moves(const struct eng_run *y, const struct eng_run *x, const char *what)
{
    uint64_t moved[4096];
    size_t nmoved = 0, n = 0;
    assert_int_equal(x->n, y->n);
    for (size_t i = 0; i < x->n; i++) {
        const struct eng_result *a = &x->results[i], *b = &y->results[i];
        size_t per = a->ngeo * 3 * a->nband;
        for (int p = 0; p < a->nperiods; p++)
            for (size_t c = (size_t)p * per; c < (size_t)(p + 1) * per; c++)
                if (cell_moved(&a->cells[c], &b->cells[c])) {
                    assert_true(nmoved < sizeof moved / sizeof moved[0]);
                    moved[nmoved++] = calendar_period(a, p);
                    break;
                }
    }
    for (size_t i = 0; i < x->n; i++) {
        const struct eng_result *a = &x->results[i], *b = &y->results[i];
        size_t per = a->ngeo * 3 * a->nband;
        for (size_t c = 0; c < (size_t)a->nperiods * per; c++) {
            const struct eng_cell *u = &a->cells[c], *v = &b->cells[c];
            if (u->sup_num == v->sup_num && u->sup_den == v->sup_den &&
                u->sup_value == v->sup_value)
                continue;
            n++;
            uint64_t key = calendar_period(a, (int)(c / per));
            bool in = false;
            for (size_t k = 0; k < nmoved && !in; k++)
                in = moved[k] == key;
            if (!in)
                fail_msg("%s: %s measure %d cell %zu: its suppression changed in a "
                         "calendar period where no cell did", what, a->def->id, a->measure, c);
        }
    }
    return n;
}

/* After an import: the last snapshot patched, one generation. */
static struct eng_inc_stat step(struct fx *f, const char *what, const char *want)
{
    struct kn_error err = KN_ERROR_INIT;
    struct snap *p = NULL;
    if (snap_patch(&p, f->last, f->s, &err) != 0)
        fail_msg("%s: snap_patch: %s", what, err.msg);
    if (!p)
        fail_msg("%s: the patch declined an import that only adds", what);
    struct eng_inc_stat st = generation(f, f->last, p, what, want);
    snap_free(f->last);
    f->last = p;
    return st;
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

static void setup_store(struct fx *f)
{
    struct kn_error err = KN_ERROR_INIT;
    char p[800];
    snprintf(f->dir, sizeof f->dir, "%s", tu_dir);
    snprintf(p, sizeof p, "%s/inc.db", f->dir);
    struct store_options opt = { STORE_CREATE, 0 };
    if (store_open(p, &opt, &f->s, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(store_exec(f->s, "PRAGMA synchronous=OFF", &err), 0);
    arena_init(&f->a);
    assert_int_equal(geo_load(&f->g, &f->a, &err), 0);
    assert_int_equal(reg_geo_install(f->s, &f->g, &err), 0);
    snprintf(p, sizeof p, "%s/knod.key", f->dir);
    assert_int_equal(pseudo_key_create(p, &err), 0);
    assert_int_equal(pseudo_key_load(p, &f->key, &err), 0);
    if (ind_catalogue_shipped(&f->cat, &f->a, &err) != 0)
        fail_msg("catalogue: %s", err.msg);
    /* the shipped definitions name their years; one over the data's years
     * (its periods change with a new year in the data) */
    static const char years[] =
        "indicator test-data-years\nversion 1\ntitle sv \"t\"\ntitle en \"t\"\n"
        "description sv \"t\"\ndescription en \"t\"\nowner \"t\"\ngoal self-harm\n"
        "direction lower\nfrom contact\nbreakdown region, sex\n"
        "measure contacts count events\n";
    if (ind_parse(&f->cat, "test-data-years.ind", years, sizeof years - 1, &f->a, &err) != 0)
        fail_msg("%s", err.msg);
    f->defs = calloc(f->cat.n, sizeof *f->defs);
    assert_non_null(f->defs);
    for (size_t i = 0; i < f->cat.n; i++)
        f->defs[i] = &f->cat.defs[i];
    struct eng_options eo = { 0 };
    assert_int_equal(eng_inc_new(&f->inc, f->defs, f->cat.n, &eo, &err), 0);
}

/* Two persons' personnummer and an inpatient unit's code of the first
 * country, read from its files. */
static void read_first(struct fx *f)
{
    char p[800], line[1024];
    snprintf(p, sizeof p, "%s/one/persons.csv", f->dir);
    FILE *fp = fopen(p, "r");
    assert_non_null(fp);
    assert_non_null(fgets(line, sizeof line, fp));
    assert_non_null(fgets(line, sizeof line, fp));
    assert_int_equal(sscanf(line, "synth,%*[^,],%31[^,]", f->pnr), 1);
    assert_non_null(fgets(line, sizeof line, fp));
    assert_int_equal(sscanf(line, "synth,%*[^,],%31[^,]", f->pnr2), 1);
    fclose(fp);
    snprintf(p, sizeof p, "%s/one/units.csv", f->dir);
    fp = fopen(p, "r");
    assert_non_null(fp);
    while (fgets(line, sizeof line, fp))
        if (strstr(line, ",inpatient") &&
            sscanf(line, "synth,%*[^,],%63[^,]", f->unit) == 1)
            break;
    fclose(fp);
    assert_true(f->unit[0] != '\0');
}

#define CONTACT_HEAD                                                                     \
    "source_system,source_id,pnr,unit,contact_type,start,end,legal_basis,"               \
    "brief_admission,main_diagnosis,other_diagnoses,cause_code\n"
#define MEASURE_HEAD                                                                     \
    "source_system,source_id,pnr,stay_id,measure_type,legal_basis,decided,start,end,"    \
    "extends_id\n"

static void test_generations_equal_full_runs(void **state)
{
    (void)state;
    struct fx fx = { 0 }, *f = &fx;
    struct kn_error err = KN_ERROR_INIT;
    char p[800], q[800], text[2048];
    setup_store(f);
    synth(f, "one", 200, 1);
    synth(f, "two", 40, 2);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        snprintf(p, sizeof p, "%s/one/%s.csv", f->dir, kinds[k]);
        import_file(f, kinds[k], p);
    }
    read_first(f);
    assert_int_equal(snap_build(&f->last, f->s, &f->g, &err), 0);
    generation(f, NULL, f->last, "the first generation", "first generation");

    /* new persons, then their events, one file (one import) at a time;
     * the last five files in one generation */
    for (size_t k = 1; k < sizeof kinds / sizeof kinds[0]; k++) {
        snprintf(p, sizeof p, "%s/two/%s.csv", f->dir, kinds[k]);
        snprintf(q, sizeof q, "%s/two-%s.csv", f->dir, kinds[k]);
        rewrite(p, q, "synth", "more", 0, NULL, NULL);
        import_file(f, kinds[k], q);
        if (k <= 4 || k + 1 == sizeof kinds / sizeof kinds[0])
            step(f, kinds[k], "p");
    }
    /* new events of old persons, tied with their old ones */
    snprintf(p, sizeof p, "%s/one/contacts.csv", f->dir);
    snprintf(q, sizeof q, "%s/again-contacts.csv", f->dir);
    rewrite(p, q, "synth", "again", 30, NULL, NULL);
    import_file(f, "contacts", q);
    f->no_last = true; /* every cell finished again, as with `serve --id` */
    step(f, "contacts again", "p");
    snprintf(p, sizeof p, "%s/one/self_harm.csv", f->dir);
    snprintf(q, sizeof q, "%s/again-self_harm.csv", f->dir);
    rewrite_acts(p, q, "again", 30);
    import_file(f, "self_harm", q);
    step(f, "acts again", "p");

    /* a stay still going on at the data's end, with four coercive
     * measures during it (a `during` relation reads the data's end) */
    snprintf(text, sizeof text, CONTACT_HEAD
             "open,s1,%s,%s,inpatient,2024-12-20T10:00:00,,LPT,0,F32.1,,\n", f->pnr, f->unit);
    import_text(f, "contacts", "open-stay.csv", text);
    snprintf(text, sizeof text, MEASURE_HEAD
             "open,m1,%s,s1,fastspanning,LPT,2024-12-20T12:00,2024-12-20T12:00,"
             "2024-12-20T13:00,\n"
             "open,m2,%s,s1,avskiljning,LPT,2024-12-21T12:00,2024-12-21T12:00,"
             "2024-12-21T13:00,\n"
             "open,m3,%s,s1,fastspanning,LPT,2024-12-22T12:00,2024-12-22T12:00,"
             "2024-12-22T13:00,\n",
             f->pnr, f->pnr, f->pnr);
    import_text(f, "coercive_measures", "open-measures.csv", text);
    step(f, "a stay going on, with measures", "p");

    /* the data's end moves (another person's contact ends later): the
     * stay going on now holds a fourth measure's time, survival is
     * censored later, more windows are observed */
    const struct snap *before = f->last;
    int32_t end0 = before->t_last;
    snprintf(text, sizeof text, MEASURE_HEAD
             "open,m4,%s,s1,avskiljning,LPT,2024-12-23T12:00,2024-12-23T12:00,"
             "2024-12-23T13:00,\n", f->pnr);
    import_text(f, "coercive_measures", "open-measure4.csv", text);
    step(f, "a fourth measure", "p");
    snprintf(text, sizeof text, CONTACT_HEAD
             "end,e1,%s,%s,outpatient,2024-12-31T20:00:00,2024-12-31T23:30:00,,,F43.2,,\n",
             f->pnr2, f->unit);
    import_text(f, "contacts", "end.csv", text);
    f->sup = true; /* the last generation unsuppressed: closed whole */
    struct eng_inc_stat st = step(f, "the data's end moves", "p");
    assert_int_equal(f->sst.closed, f->sst.periods);
    assert_true(f->last->t_last > end0);
    assert_int_equal(st.touched, 1);
    assert_true(st.late > 0); /* others near the end evaluated again */

    /* disclosure control by calendar period: from a suppressed generation,
     * forty acts of 2022 again (the data's end stays) closes again only the calendar
     * periods with a changed cell, keeps the others' suppression (every
     * period of another year where nothing changed), and equals the whole
     * closure of a fresh run in every cell; the cells it hides or shows
     * anew lie in the periods that changed */
    snprintf(p, sizeof p, "%s/one/self_harm.csv", f->dir);
    snprintf(q, sizeof q, "%s/acts-2022.csv", f->dir);
    acts_of_year(p, q, "yr", "2022", 40);
    import_file(f, "self_harm", q);
    f->keep_prev = true;
    step(f, "acts of 2022", "p");
    size_t moves = sup_moves(&f->prev_run, &f->last_run, "acts of 2022");
    eng_run_free(&f->prev_run);
    f->keep_prev = false;
    print_message("# acts of 2022: %zu of %zu calendar periods closed again, %zu "
                  "cells hidden or shown anew, %zu unchanged cubes shared\n", f->sst.closed,
                  f->sst.periods, moves, f->shared);
    assert_true(f->shared > 0); /* the definitions the acts do not reach */
    assert_true(moves > 0);
    assert_true(f->sst.closed > 0);
    assert_true(f->sst.closed < f->sst.periods);
    f->sup = false;

    /* a new year: the periods of the definition over the data's years
     * change */
    snprintf(text, sizeof text, CONTACT_HEAD
             "year,y1,%s,%s,outpatient,2025-02-03T10:00:00,2025-02-03T11:00:00,,,F43.2,,\n",
             f->pnr2, f->unit);
    import_text(f, "contacts", "year.csv", text);
    step(f, "a new year", "the periods changed");
    snprintf(text, sizeof text, CONTACT_HEAD
             "year,y2,%s,%s,outpatient,2025-03-03T10:00:00,2025-03-03T11:00:00,,,F43.2,,\n",
             f->pnr, f->unit);
    import_text(f, "contacts", "year2.csv", text);
    step(f, "after the new year", "p");

    /* a new unit and a contact at it: the places of unit definitions */
    import_text(f, "units", "unit.csv",
                "source_system,source_id,code,name,region_code,unit_type,setting\n"
                "new,u1,SE2321000099-U9999,Ny mottagning,03,bup,outpatient\n");
    step(f, "a new unit", "a new care unit");
    snprintf(text, sizeof text, CONTACT_HEAD
             "new,c1,%s,SE2321000099-U9999,outpatient,2025-03-01T10:00:00,"
             "2025-03-01T11:00:00,,,F43.2,,\n", f->pnr);
    import_text(f, "contacts", "new-contact.csv", text);
    step(f, "a contact at the new unit", "p");

    /* corrections of person rows (one with a self-harm act moves to
     * another municipality, another dies; then both undone): patched, the
     * persons evaluated again, and the move moves counts */
    char line[512], line2[512], muni[8] = "", muni2[8] = "", pnr1[32] = "", pnr2[32] = "";
    char id1[32] = "", id2[32] = "";
    snprintf(p, sizeof p, "%s/one/self_harm.csv", f->dir);
    FILE *fp = fopen(p, "r");
    assert_non_null(fp);
    assert_non_null(fgets(line, sizeof line, fp));
    assert_non_null(fgets(line, sizeof line, fp));
    fclose(fp);
    assert_int_equal(sscanf(line, "synth,%*[^,],%31[^,]", pnr1), 1);
    snprintf(p, sizeof p, "%s/one/persons.csv", f->dir);
    fp = fopen(p, "r");
    assert_non_null(fp);
    bool found = false;
    while (!found && fgets(line, sizeof line, fp))
        found = strstr(line, pnr1) != NULL;
    assert_true(found);
    rewind(fp);
    assert_non_null(fgets(line2, sizeof line2, fp));
    do
        assert_non_null(fgets(line2, sizeof line2, fp));
    while (strstr(line2, pnr1));
    fclose(fp);
    assert_int_equal(sscanf(line, "synth,%31[^,],%31[^,],%7[^,]", id1, pnr1, muni), 3);
    assert_int_equal(sscanf(line2, "synth,%31[^,],%31[^,],%7[^,]", id2, pnr2, muni2), 3);
    const char *head = "source_system,source_id,pnr,municipality,death_date,"
                       "death_by_suicide\n";
    snprintf(text, sizeof text, "%ssynth,%s,%s,%s,,\nsynth,%s,%s,%s,2025-02-01,1\n", head,
             id1, pnr1, strcmp(muni, "0180") == 0 ? "1480" : "0180", id2, pnr2, muni2);
    import_text(f, "persons", "correction.csv", text);
    f->keep_prev = true;
    struct eng_inc_stat cs = step(f, "a move and a death", "p");
    assert_true(cs.touched >= 2);
    size_t moved = 0;
    for (size_t i = 0; i < f->last_run.n; i++) {
        const struct eng_result *a = &f->last_run.results[i], *b = &f->prev_run.results[i];
        for (size_t c = 0; c < (size_t)a->nperiods * a->ngeo * 3 * a->nband; c++)
            moved += cell_moved(&a->cells[c], &b->cells[c]);
    }
    eng_run_free(&f->prev_run);
    f->keep_prev = false;
    assert_true(moved > 0);
    snprintf(text, sizeof text, "%ssynth,%s,%s,%s,,\nsynth,%s,%s,%s,,\n", head, id1, pnr1,
             muni, id2, pnr2, muni2);
    import_text(f, "persons", "correction2.csv", text);
    step(f, "both undone", "p");

    /* a deleted person (one without events): built whole, a full run */
    synth(f, "three", 1, 99);
    snprintf(p, sizeof p, "%s/three/persons.csv", f->dir);
    snprintf(q, sizeof q, "%s/three-persons.csv", f->dir);
    rewrite(p, q, "synth", "three", 0, NULL, NULL);
    import_file(f, "persons", q);
    step(f, "a person without events", "p");
    assert_int_equal(store_exec(f->s,
                                "DELETE FROM person WHERE id = (SELECT max(id) FROM "
                                "person)",
                                &err),
                     0);
    struct snap *none = NULL, *b = NULL;
    assert_int_equal(snap_patch(&none, f->last, f->s, &err), 0);
    assert_null(none);
    assert_int_equal(snap_build(&b, f->s, &f->g, &err), 0);
    generation(f, f->last, b, "a deleted person", "the snapshot was built whole");
    snap_free(f->last);
    f->last = b;

    /* and patched generations again after it */
    snprintf(p, sizeof p, "%s/one/contacts.csv", f->dir);
    snprintf(q, sizeof q, "%s/again2-contacts.csv", f->dir);
    rewrite(p, q, "synth", "again2", 20, NULL, NULL);
    import_file(f, "contacts", q);
    step(f, "contacts after the correction", "p");

    /* a generation asked of another snapshot than the last one's (and
     * disclosure control compared once more) */
    f->sup = true;
    struct snap *other = NULL;
    assert_int_equal(snap_build(&other, f->s, &f->g, &err), 0);
    generation(f, other, f->last, "another snapshot", "the last generation was of");
    snap_free(other);

    print_message("# %zu patched generations, %zu full runs, each equal to a full run\n",
                  f->patched, f->full);
    assert_true(f->patched >= 11);
    eng_run_free(&f->last_run);
    eng_inc_free(f->inc);
    snap_free(f->last);
    free(f->defs);
    pseudo_key_wipe(&f->key);
    store_close(f->s);
    arena_release(&f->a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generations_equal_full_runs),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
