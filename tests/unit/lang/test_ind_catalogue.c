/* tests/unit/lang/test_ind_catalogue.c: the indicator catalogue
 * (src/lang/ind_*.c) as a whole.
 *
 * What only the whole catalogue can tell (versions that overlap or repeat,
 * ratios to other indicators); the shipped catalogue must load, every .ind
 * file of data/indicators must be listed in its meson.build (found through
 * $SRCDIR) and define the indicator it is named after; and the region codes
 * the parser accepts must be those of the shipped geography.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/geo.h"
#include "lang/ind.h"
#include "lang/ind_impl.h"
#include "ind_testutil.h"

/* What only the catalogue as a whole can tell: versions and ratios. */
static void test_catalogue_check(void **state)
{
    (void)state;
    /* two versions valid at once */
    parse_ok(HDR("act") TAIL);
    parse_ok(
        "indicator t-x\nversion 2\nvalid 2023-01-01..\ntitle sv \"a\"\ntitle en \"a\"\n"
        "description sv \"a\"\ndescription en \"a\"\nowner \"o\"\ngoal quality\n"
        "from act\n" TAIL);
    check_err("t.ind:1:1: indicator t-x: the validity of two versions overlaps");
    teardown(NULL);
    setup(NULL);

    /* the same version twice (in two files) */
    parse_ok(HDR("act") TAIL);
    struct kn_error err = KN_ERROR_INIT;
    const char other[] = "\n" HDR("act") TAIL;
    assert_int_equal(ind_parse(&CAT, "u.ind", other, strlen(other), &A, &err), 0);
    check_err("u.ind:2:1: indicator t-x: this version is defined twice");
    teardown(NULL);
    setup(NULL);

    /* versions that follow each other */
    parse_ok(
        "indicator t-x\nversion 1\nvalid 2020-01-01 .. 2023-01-01\n"
        "title sv \"a\"\ntitle en \"a\"\ndescription sv \"a\"\ndescription en \"a\"\n"
        "owner \"o\"\ngoal quality\nfrom act\n" TAIL
        "indicator t-x\nversion 2\nvalid 2023-01-01 ..\n"
        "title sv \"a\"\ntitle en \"a\"\ndescription sv \"a\"\ndescription en \"a\"\n"
        "owner \"o\"\ngoal quality\nfrom act\n" TAIL);
    check_ok();
    teardown(NULL);
    setup(NULL);

    /* ratio to another indicator */
    parse_ok("indicator den\nversion 1\ntitle sv \"a\"\ntitle en \"a\"\n"
             "description sv \"a\"\ndescription en \"a\"\nowner \"o\"\ngoal quality\n"
             "from stay\nmeasure stays count events\nmeasure days sum days\n"
             "measure r ratio stays / days per 1000\ndirection lower\n");
    parse_ok(HDR("measure") "measure n count events\n"
                            "measure r ratio n / den:days per 1000\ndirection lower\n");
    check_ok();
    CAT.n--;
    parse_ok(HDR("measure") "measure n count events\n"
                            "measure r ratio n / den:weeks per 1000\ndirection lower\n");
    check_err(
        "t.ind:11:1: measure r: the denominator ID:MEASURE is not in the catalogue");
    CAT.n--;
    parse_ok(
        HDR("measure") "measure n count events\n"
                       "measure r ratio n / nobody:days per 1000\ndirection lower\n");
    check_err(
        "t.ind:11:1: measure r: the denominator ID:MEASURE is not in the catalogue");
    CAT.n--;
    parse_ok(HDR("measure") "measure n count events\n"
                            "measure r ratio n / den:r per 1000\ndirection lower\n");
    check_err(
        "t.ind:11:1: measure r: the denominator ID:MEASURE is not in the catalogue");
    CAT.n--;
    parse_ok(HDR("measure") "breakdown region\nmeasure n count events\n"
                            "measure r ratio n / den:days per 1000\ndirection lower\n");
    check_err(
        "t.ind:12:1: measure r: the denominator's indicator must have the same period, "
        "geo, bands and breakdown");
    CAT.n--;
    parse_ok(HDR("measure") "period quarter\nmeasure n count events\n"
                            "measure r ratio n / den:days per 1000\ndirection lower\n");
    check_err("t.ind:12:1: measure r: the denominator's indicator must have the same");
    CAT.n--;
    parse_ok(HDR("measure") "geo unit\nmeasure n count events\n"
                            "measure r ratio n / den:days per 1000\ndirection lower\n");
    check_err("t.ind:12:1: measure r: the denominator's indicator must have the same");
    CAT.n--;
    check_ok();
}

/* ---- the shipped catalogue -------------------------------------------------- */

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void test_shipped_catalogue(void **state)
{
    (void)state;
    const char *src = getenv("SRCDIR");
    if (!src)
        fail_msg("SRCDIR is not set (tests/meson.build sets it)");
    struct kn_error err = KN_ERROR_INIT;
    if (ind_catalogue_shipped(&CAT, &A, &err) != 0)
        fail_msg("the shipped catalogue does not load: %s", err.msg);
    assert_true(CAT.n >= 32);

    /* the files in the folder, and the list in its meson.build */
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s/data/indicators", src);
    snprintf(path, sizeof path, "%s/meson.build", dir);
    char *listing = read_text(path);
    assert_non_null(listing);
    char *listed = strdup(listing);
    assert_non_null(listed);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    size_t nfiles = 0;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".ind") != 0)
            continue;
        nfiles++;
        char quoted[300];
        snprintf(quoted, sizeof quoted, "'%s'", e->d_name);
        if (!strstr(listed, quoted))
            fail_msg("data/indicators/%s is not listed in data/indicators/meson.build",
                     e->d_name);
        /* named by its id: the file defines that id and only that id */
        char id[256];
        snprintf(id, sizeof id, "%.*s", (int)(len - 4), e->d_name);
        const struct ind_def *def = ind_find(&CAT, id);
        if (!def)
            fail_msg("%s does not define the indicator '%s'", e->d_name, id);
        char want[300];
        snprintf(want, sizeof want, "data/indicators/%s", e->d_name);
        assert_string_equal(def->file, want);
    }
    closedir(d);
    /* and every file listed exists */
    size_t nlisted = 0;
    for (const char *p = listed; (p = strchr(p, '\'')) != NULL;) {
        const char *q = strchr(p + 1, '\'');
        assert_non_null(q);
        if (q - p > 5 && memcmp(q - 4, ".ind", 4) == 0) {
            nlisted++;
            snprintf(path, sizeof path, "%s/%.*s", dir, (int)(q - p - 1), p + 1);
            if (!read_text(path))
                fail_msg("meson.build lists %s, which is not there", path);
        }
        p = q + 1;
    }
    free(listed);
    assert_int_equal(nlisted, nfiles);

    /* every definition comes from a file named by its id; ids and versions
     * are unique (ind_catalogue_check, run by ind_catalogue_shipped) */
    size_t nids = 0;
    for (size_t i = 0; i < CAT.n; i++) {
        const struct ind_def *def = &CAT.defs[i];
        char want[300];
        snprintf(want, sizeof want, "data/indicators/%s.ind", def->id);
        assert_string_equal(def->file, want);
        bool first = true;
        for (size_t j = 0; j < i; j++)
            first &= strcmp(CAT.defs[j].id, def->id) != 0;
        nids += first;
        for (size_t j = 0; j < i; j++)
            if (strcmp(CAT.defs[j].id, def->id) == 0)
                assert_int_not_equal(CAT.defs[j].version, def->version);
        /* what the portal needs of every definition */
        assert_true(def->title_sv[0] && def->title_en[0] && def->desc_sv[0] &&
                    def->desc_en[0]);
        assert_true(def->year_from >= 2020 && def->year_to >= def->year_from);
    }
    assert_int_equal(nids, nfiles);
    for (char c = 'a'; c <= 'f'; c++) {
        char id[8];
        snprintf(id, sizeof id, "ref-%c", c);
        assert_non_null(ind_find(&CAT, id));
    }
    check_ok();
}

static void test_region_bits(void **state)
{
    (void)state;
    struct geo g;
    struct kn_error err = KN_ERROR_INIT;
    if (geo_load(&g, &A, &err) != 0)
        fail_msg("geo_load: %s", err.msg);
    uint32_t bits = 0;
    for (size_t i = 0; i < g.nregions; i++) {
        int code = atoi(g.regions[i].code);
        assert_true(code > 0 && code < 32);
        bits |= 1u << code;
    }
    assert_int_equal(g.nregions, 21);
    assert_int_equal(ind_region_bits, bits);

    /* and the parser takes exactly those two-digit codes */
    for (int code = 0; code < 100; code++) {
        char text[512];
        snprintf(text, sizeof text, HDR("act") "where region %02d\n" TAIL, code);
        struct kn_error e = KN_ERROR_INIT;
        int rc = ind_parse(&CAT, "t.ind", text, strlen(text), &A, &e);
        bool known = code < 32 && (bits & (1u << code));
        if (known != (rc == 0))
            fail_msg("region %02d: rc %d (%s)", code, rc, e.msg);
    }
}

/* A pathway share or lead time looks forward from its anchor: the anchors
 * the data do not yet reach a window's length past would count as not met
 * (or leave out their slow cases from a median), so the latest year would
 * be biased. The newest version of every pathway indicator (`vf-`) whose
 * measure looks forward must keep only the anchors the data reach at
 * least that far past (`where observed start|end D`, D >= the window). */
static void test_pathway_windows_observed(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    if (ind_catalogue_shipped(&CAT, &A, &err) != 0)
        fail_msg("the shipped catalogue does not load: %s", err.msg);
    size_t checked = 0;
    for (size_t i = 0; i < CAT.n; i++) {
        const struct ind_def *d = &CAT.defs[i];
        if (strncmp(d->id, "vf-", 3) != 0 || ind_find(&CAT, d->id) != d)
            continue;
        for (size_t m = 0; m < d->nmeasures; m++) {
            const struct ind_measure *im = &d->measures[m];
            if ((im->kind != IND_M_PROPORTION && im->kind != IND_M_MEDIAN_TO) ||
                !im->rel.is_relation || im->rel.negate || im->rel.rel.hi <= 0)
                continue;
            bool ok = false;
            for (size_t k = 0; k < d->nwhere; k++)
                ok |= d->where[k].is_observed && d->where[k].obs_at == im->rel.rel.at &&
                      d->where[k].obs_len >= im->rel.rel.hi;
            if (!ok)
                fail_msg("%s version %d, measure %s: a window of %lld s forward with no "
                         "'where observed' as long", d->id, d->version, im->name,
                         (long long)im->rel.rel.hi);
            checked++;
        }
    }
    assert_true(checked >= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_catalogue_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shipped_catalogue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_region_bits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pathway_windows_observed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
