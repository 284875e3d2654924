/* tests/unit/registry/test_reg_entry.c: one record from a form
 * (src/registry/reg_entry.c, reg_entry_change.c).
 *
 * The rule this checks above all: a form and a file obey ONE set of rules.
 * Each case is a valid row of reg_import_data.h with one override; the row
 * is imported as a file (the oracle: what `knod import` says) and given to
 * reg_entry_add() as a form, and both must refuse it with the same message
 * ("field 'x': ..."), the form naming the same column. Then: a stored
 * record is refused a second time (KN_EEXIST), the caller's check can roll
 * a row back, a correction keeps the values before in record_history and
 * a deletion its reason, and a contact that an act refers to is not
 * deleted.
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
#include <cmocka.h>

#include "reg_import_fixture.h"
#include "reg_import_data.h"
#include "registry/reg_entry.h"

struct form_case {
    const char *kind;
    const char *set[2];
};

static const struct form_case cases[] = {
    {"self_harm", {"cause_code=X99"}},
    {"self_harm", {"pnr=20060709-2385"}},
    {"self_harm", {"contact_id=s2"}},
    {"self_harm", {"time=2024-03-31T02:30"}},
    {"contacts", {"unit=NOPE"}},
    {"contacts", {"contact_type=inpatient"}},
    {"contacts", {"end=2024-05-14T08:00"}},
    {"contacts", {"cause_code=F32.1"}},
    {"coercive_measures", {"start=2023-03-04T00:00"}},
    {"assessments", {"assessment_type=x"}},
    {"care_plans", {"time=2023-13-01"}},
    {"treatments", {"treatment_type=yoga"}},
    {"follow_ups", {"mode=letter"}},
    {"pathway_steps", {"step=a b"}},
    {"persons", {"municipality=0999"}},
};

/* The fields of row line (3: with the overrides) of rule_file()'s text,
 * by the kind's columns, into texts/ptrs (NULL for a column not in it). */
static void form_fields(const struct reg_kind *k, const char *text, const char **ptrs,
                        size_t *lens, char (*cells)[128])
{
    char head[512], row[512];
    const char *l1 = strchr(text, '\n') + 1, *l2 = strchr(l1, '\n') + 1;
    const char *e2 = strchr(l2, '\n');
    snprintf(head, sizeof head, "%.*s", (int)(l1 - text - 1), text);
    snprintf(row, sizeof row, "%.*s", (int)(e2 - l2), l2);
    for (size_t c = 0; c < reg_kind_ncols(k); c++) {
        ptrs[c] = NULL;
        lens[c] = 0;
    }
    char *h = head, *r = row;
    for (size_t i = 0; h != NULL; i++) {
        char *he = strchr(h, ','), *re = strchr(r, ',');
        if (he)
            *he++ = '\0';
        if (re)
            *re++ = '\0';
        int c = reg_kind_col_index(k, h);
        assert_true(c >= 0);
        snprintf(cells[c], 128, "%.127s", r);
        ptrs[c] = cells[c];
        lens[c] = strlen(cells[c]);
        h = he;
        r = re ? re : r + strlen(r);
    }
}

static int entry(struct fx *f, const char *kind, const char *const *set, int id,
                 reg_entry_check *check, struct reg_entry_result *res,
                 struct kn_error *err)
{
    const struct reg_kind *k = reg_kind_find(kind);
    char *text = rule_file(base_of(kind), id, set);
    const char *ptrs[16];
    size_t lens[16];
    char cells[16][128];
    form_fields(k, text, ptrs, lens, cells);
    free(text);
    kn_error_clear(err);
    return reg_entry_add(f->s, &f->key, k, ptrs, lens, check, NULL, res, err);
}

static void test_a_form_says_what_the_file_says(void **state)
{
    struct fx *f = *state;
    load_base(f);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct form_case *cs = &cases[i];
        const struct reg_kind *k = reg_kind_find(cs->kind);
        char name[64], *text = rule_file(base_of(cs->kind), 100 + (int)i, cs->set);
        snprintf(name, sizeof name, "%s-%zu.csv", cs->kind, i);
        struct result r;
        int64_t before = count_of(f, reg_kind_table(k));
        import_text(f, cs->kind, name, text, NULL, &r);
        free(text);
        struct reg_entry_result res;
        struct kn_error err = KN_ERROR_INIT;
        int rc = entry(f, cs->kind, cs->set, 100 + (int)i, NULL, &res, &err);
        if (r.n != 1 || rc != KN_EINPUT || strcmp(r.reason[0], err.msg) != 0)
            fail_msg("%s %s: the file said '%s', the form (rc %d) '%s'", cs->kind,
                     cs->set[0], r.n ? r.reason[0] : "(nothing)", rc, err.msg);
        assert_int_equal(res.col, reg_entry_error_col(k, r.reason[0]));
        assert_true(res.col >= 0);
        assert_int_equal(count_of(f, reg_kind_table(k)), before);
        assert_null(leaked(err.msg, strlen(err.msg)));
    }
}

static int refuse(void *ctx, const char *pseudonym, int *col, struct kn_error *err)
{
    (void)ctx;
    assert_int_equal(strlen(pseudonym), PSEUDO_HEX_LEN);
    *col = 2;
    return kn_fail(err, KN_EPERM, "outside the scope");
}

static void test_stored_once_and_checked(void **state)
{
    struct fx *f = *state;
    load_base(f);
    const char *none[] = {NULL};
    struct reg_entry_result res;
    struct kn_error err = KN_ERROR_INIT;
    int64_t acts = count_of(f, "self_harm_act");
    /* the caller's check rolls the row back */
    assert_int_equal(entry(f, "self_harm", none, 7, refuse, &res, &err), KN_EPERM);
    assert_int_equal(res.col, 2);
    assert_int_equal(count_of(f, "self_harm_act"), acts);
    /* stored, with its person's pseudonym; and as an import run */
    int64_t runs = scalar(f, "SELECT count(*) FROM import_run WHERE format = 'form'");
    assert_int_equal(entry(f, "self_harm", none, 7, NULL, &res, &err), 0);
    assert_int_equal(count_of(f, "self_harm_act"), acts + 1);
    char pseudo[64];
    text_of(f, "SELECT pseudonym FROM person WHERE source_id = 'p1'", pseudo,
            sizeof pseudo);
    assert_string_equal(res.pseudonym, pseudo);
    assert_int_equal(scalar(f, "SELECT count(*) FROM import_run WHERE format = 'form'"),
                     runs + 1);
    /* the same record again is refused at its id, not updated */
    const char *other[] = {"cause_code=X70", NULL};
    assert_int_equal(entry(f, "self_harm", other, 7, NULL, &res, &err), KN_EEXIST);
    assert_int_equal(res.col, 1);
    assert_int_equal(
        scalar(f, "SELECT count(*) FROM self_harm_act WHERE cause_code = 'X70'"), 0);
    /* and so is a person stored already */
    const char *p1[] = {"pnr=" P1, NULL};
    assert_int_equal(entry(f, "persons", p1, 8, NULL, &res, &err), KN_EEXIST);
    assert_int_equal(res.col, 2);
}

static void test_corrections_and_deletions_keep_history(void **state)
{
    struct fx *f = *state;
    load_base(f);
    const char *none[] = {NULL};
    struct reg_entry_result res;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(entry(f, "care_plans", none, 9, NULL, &res, &err), 0);
    const struct reg_kind *k = reg_kind_find("care_plans");
    char *text =
        rule_file(base_of("care_plans"), 9, (const char *[]){"plan_type=sip", NULL});
    const char *ptrs[16];
    size_t lens[16];
    char cells[16][128];
    form_fields(k, text, ptrs, lens, cells);
    free(text);
    /* a correction: the new value stored, the old one kept */
    assert_int_equal(reg_entry_correct(f->s, &f->key, k, ptrs, lens, "tester", 1000, NULL,
                                       NULL, &res, &err),
                     0);
    assert_int_equal(scalar(f, "SELECT count(*) FROM care_plan WHERE plan_type = 'sip'"),
                     1);
    char old[512];
    text_of(f, "SELECT old_values FROM record_history WHERE action = 'correct'", old,
            sizeof old);
    assert_non_null(strstr(old, "\"plan_type\":\"crisis_plan\""));
    assert_null(leaked(old, strlen(old)));
    /* the same again changes nothing: refused */
    assert_int_equal(reg_entry_correct(f->s, &f->key, k, ptrs, lens, "tester", 1001, NULL,
                                       NULL, &res, &err),
                     KN_EINPUT);
    /* a correction that moves the record to another person: refused */
    cells[2][0] = '\0';
    snprintf(cells[2], 128, "%s", P2);
    lens[2] = strlen(P2);
    assert_int_equal(reg_entry_correct(f->s, &f->key, k, ptrs, lens, "tester", 1002, NULL,
                                       NULL, &res, &err),
                     KN_EINPUT);
    assert_int_equal(res.col, 2);
    assert_int_equal(scalar(f, "SELECT count(*) FROM record_history"), 1);
    /* a deletion needs a reason; then the record is gone, its values kept */
    const char *sid = cells[1];
    assert_int_equal(
        reg_entry_delete(f->s, k, "t", sid, "", "tester", 1003, NULL, NULL, &res, &err),
        KN_EINPUT);
    assert_int_equal(reg_entry_delete(f->s, k, "t", sid, "registrerad av misstag",
                                      "tester", 1004, NULL, NULL, &res, &err),
                     0);
    assert_int_equal(scalar(f, "SELECT count(*) FROM care_plan WHERE plan_type = 'sip'"),
                     0);
    assert_int_equal(scalar(f,
                            "SELECT count(*) FROM record_history WHERE action = 'delete' "
                            "AND reason = 'registrerad av misstag'"),
                     1);
    json_t *h = NULL;
    char pseudo[64];
    text_of(f, "SELECT pseudonym FROM person WHERE source_id = 'p1'", pseudo,
            sizeof pseudo);
    assert_int_equal(reg_entry_history(f->s, pseudo, &h, &err), 0);
    assert_int_equal(json_array_size(h), 2);
    json_decref(h);
    /* a contact that acts refer to stays */
    assert_int_equal(reg_entry_delete(f->s, reg_kind_find("contacts"), "t", "s1",
                                      "fel vårdtillfälle", "tester", 1005, NULL, NULL,
                                      &res, &err),
                     KN_EINPUT);
    assert_int_equal(scalar(f, "SELECT count(*) FROM contact WHERE source_id = 's1'"), 1);
    /* history is append-only */
    assert_int_equal(store_exec(f->s, "DELETE FROM record_history", &err) != 0, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_form_says_what_the_file_says, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_stored_once_and_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrections_and_deletions_keep_history,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
