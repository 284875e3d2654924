/* tests/fuzz/fuzz_survey_def.c: fuzz target for src/survey/survey_def.c.
 *
 * For any bytes: the questionnaire either parses, with 1 to 100 questions
 * whose ids are unique and whose choice and scale questions have 2 to 30
 * options of unique values, or it is refused with KN_EINPUT and a message
 * that names the file. A parsed questionnaire then checks a set of answers
 * built from the input's own bytes without failing any other way than
 * KN_EINPUT, and its first option of every question as answer passes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "survey/survey_def.h"

#define CHECK(x)                                                                     \
    do {                                                                             \
        if (!(x)) {                                                                  \
            fprintf(stderr, "fuzz_survey_def: %s:%d: check failed: %s\n", __FILE__,  \
                    __LINE__, #x);                                                   \
            abort();                                                                 \
        }                                                                            \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    struct kn_error err = KN_ERROR_INIT;
    struct survey_def d;
    arena_init(&a);
    int rc = survey_def_parse((const char *)data, size, "f.json", &d, &a, &err);
    if (rc != 0) {
        CHECK(rc == KN_EINPUT || rc == KN_ENOMEM);
        CHECK(strncmp(err.msg, "f.json", 6) == 0);
        arena_release(&a);
        return 0;
    }
    CHECK(d.nq >= 1 && d.nq <= SURVEY_QUESTIONS_MAX);
    struct survey_pair *p = arena_calloc(&a, d.nq, sizeof *p);
    CHECK(p != NULL);
    for (size_t i = 0; i < d.nq; i++) {
        const struct survey_question *q = &d.q[i];
        CHECK(survey_def_question(&d, q->id) == q);
        if (q->kind != SURVEY_TEXT) {
            CHECK(q->noptions >= 2 && q->noptions <= SURVEY_OPTIONS_MAX);
            for (size_t j = 0; j < q->noptions; j++)
                for (size_t k = 0; k < j; k++)
                    CHECK(strcmp(q->options[j].value, q->options[k].value) != 0);
        }
        p[i].question = q->id;
        p[i].value = q->kind == SURVEY_TEXT ? "svar" : q->options[0].value;
    }
    enum survey_fault *f = arena_calloc(&a, d.nq, sizeof *f);
    CHECK(f != NULL);
    CHECK(survey_answers_check(&d, p, d.nq, f, &err) == 0);
    for (size_t i = 0; i < d.nq; i++)
        CHECK(f[i] == SURVEY_OK);
    /* answers from the input's bytes: a check, never a crash */
    char *v = arena_strndup(&a, (const char *)data, size > 64 ? 64 : size);
    CHECK(v != NULL);
    for (size_t i = 0; i < d.nq; i++)
        p[i].value = v;
    rc = survey_answers_check(&d, p, d.nq, f, &err);
    CHECK(rc == 0 || rc == KN_EINPUT);
    arena_release(&a);
    return 0;
}
