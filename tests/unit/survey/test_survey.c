/* tests/unit/survey/test_survey.c: surveys (survey/survey_def.h,
 * survey/survey.h, survey/survey_report.h).
 *
 * The rules: a broken questionnaire is refused naming the path and field
 * (or line and column); a sent survey never changes, a new file makes the
 * next version; a token answers once, replaces its answer only when the
 * survey is not anonymous, and nothing once the survey is closed; in an
 * anonymous survey the store holds no link from a token to its answer and
 * the responses are not stored in the order of the tokens or the answers;
 * counts 1 .. min_count - 1 are hidden, with a second option hidden when
 * one alone would be given away by the total, and a question answered by
 * fewer than min_count is not shown at all. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "survey/survey.h"
#include "survey/survey_report.h"
#include "testutil.h"

static const char *const DEF_ANON =
    "{\"code\": \"t\", \"title\": {\"sv\": \"T\", \"en\": \"T\"}, \"questions\": ["
    "{\"id\": \"s\", \"kind\": \"scale\", \"required\": true, \"text\": {\"sv\": \"S\", "
    "\"en\": \"S\"}, \"scale\": {\"min\": 1, \"max\": 5, \"min_label\": {\"sv\": \"a\", "
    "\"en\": \"a\"}, \"max_label\": {\"sv\": \"b\", \"en\": \"b\"}}},"
    "{\"id\": \"c\", \"kind\": \"single\", \"text\": {\"sv\": \"C\", \"en\": \"C\"}, "
    "\"options\": [{\"value\": \"y\", \"sv\": \"Ja\", \"en\": \"Yes\"}, {\"value\": \"n\", "
    "\"sv\": \"Nej\", \"en\": \"No\"}]},"
    "{\"id\": \"m\", \"kind\": \"multiple\", \"text\": {\"sv\": \"M\", \"en\": \"M\"}, "
    "\"options\": [{\"value\": \"a\", \"sv\": \"A\", \"en\": \"A\"}, {\"value\": \"b\", "
    "\"sv\": \"B\", \"en\": \"B\"}]},"
    "{\"id\": \"f\", \"kind\": \"text\", \"text\": {\"sv\": \"F\", \"en\": \"F\"}}]}";

static void def_broken(void **state)
{
    (void)state;
    static const struct {
        const char *json, *msg;
    } cases[] = {
        {"{\"code\": \"t\",\n \"title\": }", "d.json:2:"},
        {"[]", "d.json: the questionnaire must be a JSON object"},
        {"{\"title\": {\"sv\": \"a\", \"en\": \"b\"}, \"questions\": []}", "d.json: code: is missing"},
        {"{\"code\": \"T!\", \"title\": {\"sv\": \"a\", \"en\": \"b\"}}", "d.json: code: 1 to 40"},
        {"{\"code\": \"t\", \"title\": {\"sv\": \"a\"}, \"questions\": []}", "d.json: title.en: is missing"},
        {"{\"code\": \"t\", \"title\": {\"sv\": \"a\", \"en\": \"b\"}, \"questions\": []}",
         "d.json: questions: a list of 1 to 100"},
        {"{\"code\": \"t\", \"colour\": 1}", "d.json: 'colour': not a known key"},
        {"{\"code\": \"t\", \"title\": {\"sv\": \"a\", \"en\": \"b\"}, \"questions\": [{\"id\": "
         "\"q\", \"kind\": \"single\", \"text\": {\"sv\": \"a\", \"en\": \"b\"}, \"options\": "
         "[{\"value\": \"x\", \"sv\": \"X\", \"en\": \"X\"}, {\"value\": \"x\", \"sv\": \"Y\", "
         "\"en\": \"Y\"}]}]}",
         "d.json: questions[0].options[1].value: repeats"},
        {"{\"code\": \"t\", \"title\": {\"sv\": \"a\", \"en\": \"b\"}, \"questions\": [{\"id\": "
         "\"q\", \"kind\": \"slider\", \"text\": {\"sv\": \"a\", \"en\": \"b\"}}]}",
         "d.json: questions[0].kind: one of single"},
        {"{\"code\": \"t\", \"title\": {\"sv\": \"a\", \"en\": \"b\"}, \"questions\": [{\"id\": "
         "\"q\", \"kind\": \"scale\", \"text\": {\"sv\": \"a\", \"en\": \"b\"}, \"scale\": "
         "{\"min\": 1, \"max\": 20}}]}",
         "d.json: questions[0].scale.max: a whole number from 2 to 11"},
        {"{\"code\": \"t\", \"title\": {\"sv\": \"a\", \"en\": \"b\"}, \"questions\": [{\"id\": "
         "\"q\", \"kind\": \"text\", \"text\": {\"sv\": \"Om 19121212-1212\", \"en\": \"b\"}}]}",
         "questions[0].text.sv holds a personnummer-shaped number"},
        {"{\"code\": \"t\", \"title\": {\"sv\": \"a\", \"en\": \"b\"}, \"questions\": [{\"id\": "
         "\"q\", \"kind\": \"text\", \"text\": {\"sv\": \"a\", \"en\": \"b\"}}, {\"id\": \"q\", "
         "\"kind\": \"text\", \"text\": {\"sv\": \"a\", \"en\": \"b\"}}]}",
         "d.json: questions[1].id: repeats"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct arena a;
        struct survey_def d;
        struct kn_error err = KN_ERROR_INIT;
        arena_init(&a);
        int rc = survey_def_parse(cases[i].json, strlen(cases[i].json), "d.json", &d, &a, &err);
        if (rc != KN_EINPUT || !strstr(err.msg, cases[i].msg))
            fail_msg("case %zu: rc %d, '%s', wanted '%s'", i, rc, err.msg, cases[i].msg);
        assert_null(strstr(err.msg, "1212"));
        arena_release(&a);
    }
}

static void answers_checked(void **state)
{
    (void)state;
    struct arena a;
    struct survey_def d;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    assert_int_equal(survey_def_parse(DEF_ANON, strlen(DEF_ANON), "d", &d, &a, &err), 0);
    enum survey_fault f[4];
    struct survey_pair p[] = {{"c", "y"}, {"c", "n"}, {"m", "a"}, {"m", "b"},
                              {"f", "ring 121212-1212"}};
    assert_int_equal(survey_answers_check(&d, p, 5, f, &err), KN_EINPUT);
    assert_int_equal(f[0], SURVEY_MISSING); /* the scale is required */
    assert_int_equal(f[1], SURVEY_ONE);     /* two answers to a single choice */
    assert_int_equal(f[2], SURVEY_OK);      /* two to a multiple choice */
    assert_int_equal(f[3], SURVEY_PNR);
    assert_string_equal(err.msg, "s: required, and not answered");
    struct survey_pair q[] = {{"s", "6"}, {"f", ""}};
    assert_int_equal(survey_answers_check(&d, q, 2, f, &err), KN_EINPUT);
    assert_int_equal(f[0], SURVEY_CHOICE);
    assert_int_equal(f[3], SURVEY_OK); /* an empty field is no answer */
    struct survey_pair r[] = {{"s", "3"}, {"x", "1"}};
    assert_int_equal(survey_answers_check(&d, r, 2, f, &err), KN_EINPUT);
    assert_string_equal(err.msg, "'x': not a question of this survey");
    arena_release(&a);
}

static int64_t create(struct store *st, const char *json, int *version, bool *replaced)
{
    struct kn_error err = KN_ERROR_INIT;
    int64_t id = 0;
    if (survey_create(st, json, strlen(json), "d", 1000, &id, version, replaced, &err) != 0)
        fail_msg("create: %s", err.msg);
    return id;
}

static char **send(struct store *st, int64_t id, long n, struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    char **t;
    size_t got;
    if (survey_send(st, id, "region", "12", n, 1001, &t, &got, a, &err) != 0)
        fail_msg("send: %s", err.msg);
    assert_int_equal(got, (size_t)n);
    return t;
}

static int64_t one_int(struct store *st, const char *sql)
{
    struct store_stmt *s;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(store_prepare(st, sql, &s, &err), 0);
    assert_int_equal(store_step(s, &err), STORE_ROW);
    int64_t v = store_col_int(s, 0);
    store_finalize(s);
    return v;
}

static void versions(void **state)
{
    (void)state;
    struct store *st = tu_store("versions.db", true);
    struct arena a;
    arena_init(&a);
    int v;
    bool replaced;
    int64_t id = create(st, DEF_ANON, &v, &replaced);
    assert_int_equal(v, 1);
    assert_false(replaced);
    assert_int_equal(create(st, DEF_ANON, &v, &replaced), id); /* unsent: replaced */
    assert_true(replaced);
    send(st, id, 2, &a);
    int64_t id2 = create(st, DEF_ANON, &v, &replaced);
    assert_int_not_equal(id2, id);
    assert_int_equal(v, 2);
    assert_false(replaced);
    struct kn_error err = KN_ERROR_INIT;
    assert_int_not_equal(
        store_exec(st, "UPDATE net_survey SET definition = '{}' WHERE id = 1", &err), 0);
    assert_non_null(strstr(err.msg, "a sent survey cannot change"));
    arena_release(&a);
    store_close(st);
}

static void tokens(void **state)
{
    (void)state;
    struct store *st = tu_store("tokens.db", true);
    struct arena a;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    int v;
    bool replaced;
    int64_t id = create(st, DEF_ANON, &v, &replaced);
    char **t = send(st, id, 3, &a);
    assert_int_equal(strlen(t[0]), SURVEY_TOKEN_CHARS);
    assert_string_not_equal(t[0], t[1]);
    /* only the hash is kept */
    struct store_stmt *s;
    assert_int_equal(store_prepare(st, "SELECT count(*) FROM net_survey_token WHERE hash = $1",
                                   &s, &err), 0);
    store_bind_text(s, 1, t[0], strlen(t[0]));
    assert_int_equal(store_step(s, &err), STORE_ROW);
    assert_int_equal(store_col_int(s, 0), 0);
    store_finalize(s);
    struct survey_pair p[] = {{"s", "4"}};
    enum survey_fault f[4];
    assert_int_equal(survey_answer_token(st, t[0], p, 1, 1002, f, &err), 0);
    assert_int_equal(survey_answer_token(st, t[0], p, 1, 1002, f, &err), KN_EEXIST);
    assert_int_equal(survey_answer_token(st, "x", p, 1, 1002, f, &err), KN_ENOTFOUND);
    struct survey_pair bad[] = {{"s", "9"}};
    assert_int_equal(survey_answer_token(st, t[1], bad, 1, 1002, f, &err), KN_EINPUT);
    enum survey_token_state ts;
    int64_t sid;
    assert_int_equal(survey_token_state(st, t[1], &ts, &sid, &err), 0);
    assert_int_equal(ts, SURVEY_TOKEN_OPEN); /* a refused answer used nothing */
    assert_int_equal(survey_close(st, id, 1003, &err), 0);
    assert_int_equal(survey_answer_token(st, t[1], p, 1, 1003, f, &err), KN_EEXIST);
    assert_int_equal(survey_token_state(st, t[1], &ts, &sid, &err), 0);
    assert_int_equal(ts, SURVEY_TOKEN_CLOSED);
    assert_int_equal(one_int(st, "SELECT count(*) FROM net_survey_response"), 1);
    arena_release(&a);
    store_close(st);
}

static void replace_when_named(void **state)
{
    (void)state;
    struct store *st = tu_store("named.db", true);
    struct arena a;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    char *named = arena_printf(&a, "%.*s\"anonymous\": false, %s", 1, DEF_ANON, DEF_ANON + 1);
    int v;
    bool replaced;
    int64_t id = create(st, named, &v, &replaced);
    char **t = send(st, id, 1, &a);
    struct survey_pair p1[] = {{"s", "2"}}, p2[] = {{"s", "5"}, {"c", "y"}};
    enum survey_token_state ts;
    int64_t sid;
    assert_int_equal(survey_answer_token(st, t[0], p1, 1, 1002, NULL, &err), 0);
    assert_int_equal(survey_token_state(st, t[0], &ts, &sid, &err), 0);
    assert_int_equal(ts, SURVEY_TOKEN_REPLACE);
    assert_int_equal(survey_answer_token(st, t[0], p2, 2, 1002, NULL, &err), 0);
    assert_int_equal(one_int(st, "SELECT count(*) FROM net_survey_response"), 1);
    assert_int_equal(one_int(st, "SELECT count(*) FROM net_survey_answer"), 2);
    assert_int_equal(one_int(st, "SELECT value FROM net_survey_answer WHERE question = 's'"),
                     5);
    struct survey_pair *got;
    size_t ngot;
    assert_int_equal(survey_token_answers(st, t[0], &got, &ngot, &a, &err), 0);
    assert_int_equal(ngot, 2); /* the answer to replace, for the form */
    assert_string_equal(got[0].question, "c");
    assert_string_equal(got[1].value, "5");
    arena_release(&a);
    store_close(st);
}

/* The answer order, read back in the store's own order (by key). */
static void anonymous_unlinked(void **state)
{
    (void)state;
    enum { N = 40 };
    struct store *st = tu_store("anon.db", true);
    struct arena a;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    int v;
    bool replaced;
    int64_t id = create(st, DEF_ANON, &v, &replaced);
    char **t = send(st, id, N, &a);
    for (int i = 0; i < N; i++) { /* answered in the order the tokens were made */
        char text[16];
        snprintf(text, sizeof text, "svar %02d", i);
        struct survey_pair p[] = {{"s", "3"}, {"f", text}};
        if (survey_answer_token(st, t[i], p, 2, 1002, NULL, &err) != 0)
            fail_msg("answer %d: %s", i, err.msg);
    }
    /* the tokens keep no response, and the store refuses one */
    assert_int_equal(one_int(st, "SELECT count(*) FROM net_survey_token WHERE response_id "
                                 "IS NOT NULL"),
                     0);
    assert_int_equal(one_int(st, "SELECT count(*) FROM net_survey_token WHERE used = 1"), N);
    assert_int_not_equal(store_exec(st,
                                    "UPDATE net_survey_token SET response_id = (SELECT "
                                    "min(id) FROM net_survey_response)",
                                    &err),
                         0);
    /* no column of a response or an answer names a token, or a time finer than the day */
    struct store_stmt *s;
    assert_int_equal(store_prepare(st,
                                   "SELECT name FROM pragma_table_info('net_survey_response') "
                                   "UNION ALL SELECT name FROM "
                                   "pragma_table_info('net_survey_answer')",
                                   &s, &err),
                     0);
    int ncols = 0;
    while (store_step(s, &err) == STORE_ROW) {
        const char *c = store_col_text(s, 0, NULL);
        assert_null(strstr(c, "token"));
        assert_null(strstr(c, "hash"));
        assert_null(strstr(c, "time"));
        ncols++;
    }
    store_finalize(s);
    assert_int_equal(ncols, 7);
    /* the stored order (by key) is not the order of answering */
    assert_int_equal(store_prepare(st,
                                   "SELECT a.value FROM net_survey_response r JOIN "
                                   "net_survey_answer a ON a.response_id = r.id AND "
                                   "a.question = 'f' ORDER BY r.id",
                                   &s, &err),
                     0);
    int order[N], n = 0, rising = 0, falling = 0;
    while (n < N && store_step(s, &err) == STORE_ROW)
        order[n++] = atoi(store_col_text(s, 0, NULL) + 5);
    store_finalize(s);
    assert_int_equal(n, N);
    for (int i = 1; i < N; i++) {
        rising += order[i] > order[i - 1];
        falling += order[i] < order[i - 1];
    }
    /* a random order rises about half the time; the answer order would
     * rise every time (39 of 39) and the token order is that order */
    assert_in_range(rising, 8, 31);
    assert_in_range(falling, 8, 31);
    /* nor can the form find a token's answer */
    struct survey_pair *got;
    size_t ngot = 99;
    assert_int_equal(survey_token_answers(st, t[0], &got, &ngot, &a, &err), 0);
    assert_int_equal(ngot, 0);
    /* the day is kept, no finer */
    assert_int_equal(one_int(st, "SELECT min(answered_on) FROM net_survey_response"), 1002);
    arena_release(&a);
    store_close(st);
}

static void suppress_rule(void **state)
{
    (void)state;
    int h[5];
    long c1[] = {10, 2, 7, 0, 6}; /* one small: a second, the smallest shown non-zero */
    survey_suppress(c1, 5, true, 5, h);
    assert_int_equal(h[0], 0);
    assert_int_equal(h[1], 1);
    assert_int_equal(h[2], 0);
    assert_int_equal(h[3], 0);
    assert_int_equal(h[4], 2);
    survey_suppress(c1, 5, false, 5, h); /* multiple choice: no complement */
    assert_int_equal(h[1], 1);
    assert_int_equal(h[4], 0);
    long c2[] = {1, 4, 9}; /* two small: no more */
    survey_suppress(c2, 3, true, 5, h);
    assert_int_equal(h[0], 1);
    assert_int_equal(h[1], 1);
    assert_int_equal(h[2], 0);
    long c3[] = {3, 0, 0}; /* only zeros besides: a zero is hidden */
    survey_suppress(c3, 3, true, 5, h);
    assert_int_equal(h[0], 1);
    assert_int_equal(h[1] + h[2], 2);
}

static void report_suppressed(void **state)
{
    (void)state;
    struct store *st = tu_store("report.db", true);
    struct arena a;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    int v;
    bool replaced;
    int64_t id = create(st, DEF_ANON, &v, &replaced);
    char **t = send(st, id, 12, &a);
    /* s: 4 x 2, 6 x 4, 2 x 5 (12); c: 2 answers only; m: 12 x a */
    for (int i = 0; i < 12; i++) {
        const char *sv = i < 4 ? "2" : i < 10 ? "4" : "5";
        struct survey_pair p[] = {{"s", sv}, {"c", i < 2 ? "y" : ""}, {"m", "a"}};
        if (survey_answer_token(st, t[i], p, 3, 1002, NULL, &err) != 0)
            fail_msg("answer %d: %s", i, err.msg);
    }
    struct survey_result r;
    assert_int_equal(survey_result(st, id, 3, true, &r, &a, &err), 0);
    assert_int_equal(r.responses, 12);
    assert_int_equal(r.q[0].respondents, 12);
    assert_int_equal(r.q[0].o[0].count, 0);
    assert_int_equal(r.q[0].o[3].count, 6);
    assert_int_equal(r.q[0].o[4].count, -1); /* 2 < min_count 3 */
    assert_string_equal(r.q[0].o[4].reason, "count");
    /* 4 (option 2) is the smallest shown non-zero count: hidden with it */
    assert_int_equal(r.q[0].o[1].count, -1);
    assert_string_equal(r.q[0].o[1].reason, "complementary");
    assert_false(r.q[0].has_mean);
    assert_int_equal(r.q[1].respondents, -1); /* c: 2 answers, fewer than 3 */
    assert_int_equal(r.q[1].o[0].count, -1);
    assert_int_equal(r.q[2].o[0].count, 12);
    assert_int_equal(r.q[2].o[1].count, 0);
    /* with min_count 2 nothing is small: the mean (4*2 + 6*4 + 2*5) / 12 = 3.5 */
    assert_int_equal(survey_result(st, id, 2, true, &r, &a, &err), 0);
    assert_true(r.q[0].has_mean);
    assert_float_equal(r.q[0].mean, 3.5, 1e-12);
    /* fewer responses than min_count: nothing at all */
    assert_int_equal(survey_result(st, id, 13, true, &r, &a, &err), 0);
    assert_int_equal(r.responses, -1);
    for (size_t k = 0; k < 4; k++)
        assert_int_equal(r.q[k].respondents, -1);
    arena_release(&a);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(def_broken),          cmocka_unit_test(answers_checked),
        cmocka_unit_test(versions),            cmocka_unit_test(tokens),
        cmocka_unit_test(replace_when_named),  cmocka_unit_test(anonymous_unlinked),
        cmocka_unit_test(suppress_rule),       cmocka_unit_test(report_suppressed),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
