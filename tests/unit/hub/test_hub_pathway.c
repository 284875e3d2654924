/* tests/unit/hub/test_hub_pathway.c: src/hub/hub_pathway.c: the shipped
 * pathways parse and agree with the catalogue and the registry; each kind
 * of broken data is refused with the file, the line and the field, and a
 * time limit that is not its indicator's window is caught. Broken data is
 * made by changing one thing in the shipped files. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/embed.h"
#include "hub/hub_pathway.h"
#include "lang/ind.h"

static const char *const names[3] = { "pathways.csv", "phases.csv", "steps.csv" };

static const char *shipped(int i)
{
    static const char *const emb[3] = { "pathways/pathways.csv", "pathways/phases.csv",
                                        "pathways/steps.csv" };
    const struct embed_file *f = embed_find(emb[i]);
    assert_non_null(f);
    return (const char *)f->data;
}

/* The shipped text of file i with the first `from` replaced by `to`. */
static char *edited(int i, const char *from, const char *to, struct arena *a)
{
    const char *t = shipped(i), *at = strstr(t, from);
    assert_non_null(at);
    return arena_printf(a, "%.*s%s%s", (int)(at - t), t, to, at + strlen(from));
}

/* Parse and check with file i's text replaced by text; the result code,
 * the message in err. */
static int run(int i, const char *text, struct kn_error *err, struct arena *a)
{
    const char *texts[3] = { shipped(0), shipped(1), shipped(2) };
    struct hub_pathways ps;
    struct ind_catalogue cat = { 0 };
    texts[i] = text;
    assert_int_equal(ind_catalogue_shipped(&cat, a, err), 0);
    int rc = hub_pathways_parse(&ps, names, texts, a, err);
    if (rc == 0)
        rc = hub_pathways_check(&ps, &cat, err);
    return rc;
}

/* The line of steps.csv (from 1) that holds s. */
static int line_of(int i, const char *s)
{
    const char *t = shipped(i), *at = strstr(t, s);
    int line = 1;
    assert_non_null(at);
    for (const char *p = t; p < at; p++)
        line += *p == '\n';
    return line;
}

static void expect(int i, const char *from, const char *to, const char *field,
                   const char *words)
{
    struct arena a;
    arena_init(&a);
    struct kn_error err = KN_ERROR_INIT;
    int line = line_of(i, from);
    int rc = run(i, edited(i, from, to, &a), &err, &a);
    char want[96];
    snprintf(want, sizeof want, "%s:%d: '%s': ", names[i], line, field);
    if (rc != KN_EINPUT || !strstr(err.msg, want) || !strstr(err.msg, words) ||
        strstr(err.msg, "2384"))
        fail_msg("%s -> %s: got %d '%s', want '%s...%s'", from, to, rc, err.msg, want, words);
    arena_release(&a);
}

static void shipped_ok(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct kn_error err = KN_ERROR_INIT;
    const char *texts[3] = { shipped(0), shipped(1), shipped(2) };
    struct hub_pathways ps;
    struct ind_catalogue cat = { 0 };
    assert_int_equal(ind_catalogue_shipped(&cat, &a, &err), 0);
    assert_int_equal(hub_pathways_parse(&ps, names, texts, &a, &err), 0);
    assert_int_equal(hub_pathways_check(&ps, &cat, &err), 0);
    const struct hub_pathway *adult = hub_pathway_find(&ps, "adult");
    const struct hub_pathway *child = hub_pathway_find(&ps, "child");
    assert_non_null(adult);
    assert_non_null(child);
    assert_null(hub_pathway_find(&ps, "teen"));
    /* the child pathway has the SIP; a limit in days is in seconds */
    bool sip = false;
    for (size_t i = 0; i < child->nsteps; i++)
        if (!strcmp(child->steps[i].code, "sip")) {
            sip = true;
            assert_int_equal(child->steps[i].limit, 30 * 86400);
            assert_string_equal(child->steps[i].indicator, "vf-child-sip-30d");
        }
    assert_true(sip);
    /* the JSON has every step under its phase */
    json_t *j = hub_pathway_json(adult);
    size_t steps = 0, k;
    json_t *ph;
    json_array_foreach(json_object_get(j, "phases"), k, ph)
        steps += json_array_size(json_object_get(ph, "steps"));
    assert_int_equal(steps, adult->nsteps);
    json_decref(j);
    arena_release(&a);
}

static void broken_refused(void **state)
{
    (void)state;
    /* steps.csv: each rule, on the line it is broken */
    expect(2, "vf-adult-assess-7d,", "vf-adult-nope,", "indicator", "no indicator 'vf-adult-nope'");
    expect(2, "7d,1_first_contact,vf-adult-assess-7d", "14d,1_first_contact,vf-adult-assess-7d",
           "limit", "14d is not the window of vf-adult-assess-7d, which ends at 7d");
    expect(2, "24h,emergency-visit", "2h,emergency-visit", "limit", "which ends at 24h");
    expect(2, "30d,1_first_contact,vf-child-sip-30d", "30x,1_first_contact,vf-child-sip-30d",
           "limit", "not a time limit");
    expect(2, "90d,1_first_contact,vf-adult-treatment-90d",
           "90d,,vf-adult-treatment-90d", "limit_from", "needs where it counts from");
    expect(2, "7d,discharge", "7d,5_exit", "limit_from", "not an earlier step");
    expect(2, "adult,risk_assessment,entry", "adult,1_first_contact,entry", "code",
           "repeated in this pathway");
    expect(2, "adult,risk_assessment,entry", "adult,risk_assessment,nowhere", "phase",
           "not a phase of this pathway");
    expect(2, "adult,risk_assessment,entry", "adults,risk_assessment,entry", "pathway",
           "not a pathway of pathways.csv");
    expect(2, "adult,risk_assessment,entry", "adult,risk assessment,entry", "code",
           "not a step code");
    expect(2, ",assessment,Tidsgränsen 24", ",assessed,Tidsgränsen 24", "recorded_as",
           "not step, assessment");
    expect(2, ",step,,När målen", ",step,Ring 20060709-2384,När målen", "assumption",
           "shaped like a personnummer (not shown)");
    expect(2, "vf-adult-assess-median", "vf-adult-assess-nope", "indicators_more",
           "no indicator 'vf-adult-assess-nope'");
    /* phases.csv, pathways.csv */
    expect(1, "adult,planning,Planering", "adult,entry,Planering", "code", "repeated");
    expect(0, "adult,1,", "adult,one,", "version", "not a version number");
    expect(0, "child,1,", "adult,1,", "code", "repeated");
}

/* A registry step code missing from a pathway: named with the pathway's
 * line of pathways.csv. Header columns: a missing or unknown one. */
static void registry_and_header(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct kn_error err = KN_ERROR_INIT;
    /* 5_exit of the adult pathway renamed: the registry's 5_exit is missing */
    char *t = edited(2, "adult,5_exit,", "adult,6_exit,", &a);
    assert_int_equal(run(2, t, &err, &a), KN_EINPUT);
    assert_non_null(strstr(err.msg, "steps.csv:"));
    assert_non_null(strstr(err.msg, "'6_exit' is recorded as a pathway step but is not a "
                                    "registry step code"));
    /* recorded as nothing: then the registry's step is not a step of it */
    t = edited(2, "ended\",,,,,step,,När målen", "ended\",,,,,,,När målen", &a);
    assert_int_equal(run(2, t, &err, &a), KN_EINPUT);
    assert_non_null(strstr(err.msg, "pathways.csv:2: 'code': the registry's step '5_exit' is "
                                    "not a step of the pathway 'adult'"));
    t = edited(2, "relative_en", "relative_english", &a);
    assert_int_equal(run(2, t, &err, &a), KN_EINPUT);
    assert_non_null(strstr(err.msg, "steps.csv:1: 'relative_en': the column is missing"));
    t = edited(1, "title_en", "title_en,colour", &a);
    assert_int_equal(run(1, t, &err, &a), KN_EINPUT);
    assert_non_null(strstr(err.msg, "phases.csv:1: 'colour': not a column of this file"));
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_ok),
        cmocka_unit_test(broken_refused),
        cmocka_unit_test(registry_and_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
