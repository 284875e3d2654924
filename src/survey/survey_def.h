/* src/survey/survey_def.h: a survey's questionnaire, read from a JSON file,
 * and the check of one set of answers against it.
 *
 * A questionnaire (docs/network.md, "Surveys") is a JSON object:
 *
 *     {"code": "sodra-uppfoljning", "anonymous": true,
 *      "title": {"sv": "...", "en": "..."}, "intro": {"sv": "...", "en": "..."},
 *      "questions": [
 *        {"id": "q1", "kind": "single", "required": true,
 *         "text": {"sv": "...", "en": "..."}, "help": {"sv": "...", "en": "..."},
 *         "options": [{"value": "yes", "sv": "Ja", "en": "Yes"}, ...]},
 *        {"id": "q2", "kind": "scale", "scale": {"min": 1, "max": 5,
 *         "min_label": {"sv": "...", "en": "..."}, "max_label": {...}}, ...},
 *        {"id": "q3", "kind": "multiple", "options": [...], ...},
 *        {"id": "q4", "kind": "text", ...}]}
 *
 * Every text has a Swedish and an English wording. Objects are closed: a
 * key not named here is refused. Ids and option values are 1 to 40 of
 * a-z, 0-9 and '-', unique in their list; 1 to 100 questions, 2 to 30
 * options; a scale runs from min (0 or 1) to max (at most min + 10), its
 * options are the numbers "min" .. "max". The portal's form may need at most
 * SURVEY_FIELDS_MAX fields (one per question and per multiple choice
 * option). No text may hold a
 * personnummer-shaped number. An error names the file, the line and column
 * (malformed JSON) or the path and field ("questions[2].options[0].en: is
 * missing").
 *
 * Answers are (question, value) pairs: one per chosen option (several for
 * a multiple choice question), the number for a scale, the text for a free
 * text question. survey_answers_check() finds each question's fault, so
 * that a form can show them all (the GOV.UK error summary pattern).
 *
 * Everything a struct survey_def points to lives in the arena given to
 * survey_def_parse(). Pure: no store, no globals.
 */
#ifndef KNOD_SURVEY_SURVEY_DEF_H
#define KNOD_SURVEY_SURVEY_DEF_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/error.h"

#define SURVEY_QUESTIONS_MAX 100
#define SURVEY_OPTIONS_MAX 30
#define SURVEY_FIELDS_MAX 120 /* one per question, one per multiple choice option */
#define SURVEY_ID_MAX 40
#define SURVEY_QTEXT_MAX 1000 /* a question's text, its help, the intro */
#define SURVEY_ANSWER_MAX 4000 /* a free text answer, bytes */
#define SURVEY_DEF_MAX (1 << 20) /* a definition file, bytes */

enum survey_kind { SURVEY_SINGLE, SURVEY_MULTIPLE, SURVEY_SCALE, SURVEY_TEXT };

/* The kinds as written in the file: "single", "multiple", "scale", "text". */
extern const char *const SURVEY_KINDS[];

struct survey_text {
    const char *sv, *en; /* both present; "" where optional and absent */
};

struct survey_option {
    const char *value;        /* stored with each answer */
    struct survey_text label; /* a scale's labels are its numbers */
};

struct survey_question {
    const char *id;
    enum survey_kind kind;
    bool required;
    struct survey_text text, help;
    struct survey_option *options; /* single, multiple, scale (min .. max) */
    size_t noptions;
    int min, max;                            /* scale only */
    struct survey_text min_label, max_label; /* scale only */
};

struct survey_def {
    const char *code; /* names the questionnaire across its versions */
    bool anonymous;   /* nothing links an invitation to its answer */
    struct survey_text title, intro;
    struct survey_question *q;
    size_t nq;
};

/* Parse and check the len bytes at json (name for messages). Fills *out
 * (in a). KN_EINPUT "NAME:LINE:COLUMN: reason" for malformed JSON,
 * "NAME: PATH: reason" for a bad field; KN_ENOMEM. */
int survey_def_parse(const char *json, size_t len, const char *name, struct survey_def *out,
                     struct arena *a, struct kn_error *err);

/* As survey_def_parse, but a questionnaire without questions (yet) is
 * taken: a draft built in the portal (survey_draft.h). Such a survey
 * cannot be sent. */
int survey_def_parse_draft(const char *json, size_t len, const char *name,
                           struct survey_def *out, struct arena *a, struct kn_error *err);

/* The question with id, or NULL. */
const struct survey_question *survey_def_question(const struct survey_def *d,
                                                  const char *id);

/* The text in lang ("en" gives English, anything else Swedish). */
const char *survey_text_in(const struct survey_text *t, const char *lang);

struct survey_pair {
    const char *question, *value; /* NUL-terminated */
};

/* Why a question's answer is refused. */
enum survey_fault {
    SURVEY_OK = 0,
    SURVEY_MISSING, /* a required question has no answer */
    SURVEY_CHOICE,  /* a value that is not one of the question's options */
    SURVEY_ONE,     /* more than one value where one is allowed, or one twice */
    SURVEY_TEXTBAD, /* free text too long, not UTF-8, or with control characters */
    SURVEY_PNR,     /* free text holding a personnummer-shaped number */
};

/* Check the answers p[0..n) against d. Pairs with an empty value are
 * ignored (an empty form field). faults (d->nq entries, or NULL) gets each
 * question's fault. Returns 0, or KN_EINPUT with the first fault as
 * "QUESTION: reason" (an unknown question id too; it has no entry in
 * faults). The message never repeats an answer's text. */
int survey_answers_check(const struct survey_def *d, const struct survey_pair *p, size_t n,
                         enum survey_fault *faults, struct kn_error *err);

#endif /* KNOD_SURVEY_SURVEY_DEF_H */
