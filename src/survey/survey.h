/* src/survey/survey.h: surveys in the store: versions, invitations by
 * token, answers, closing.
 *
 * A survey is one version of a questionnaire (survey_def.h). `create`
 * stores a file's questionnaire: as version 1 of a new code; replacing the
 * latest version of its code while that is not yet sent; else as the next
 * version. A sent survey never changes (the store refuses it too).
 *
 * Sending makes `count` invitations to units, a region or a training's
 * participants (by default as many as the training's participant count):
 * one random token each (24 bytes from libsodium's randombytes_buf, written
 * in URL-safe base64 without padding: 32 characters), handed to the caller
 * once and stored only as its BLAKE2b-256 hash. Tokens are counted, never
 * named.
 *
 * A token answers once. In a survey that is not anonymous it may replace
 * its answer until the survey closes. In an anonymous one (the default)
 * nothing links a token to its answer: the token keeps only "used", the
 * response only its day (no time) and how it came (portal or paper), and a
 * response's key is a random 63-bit number in a table without rowids, so
 * neither keys nor the stored order follow the order of the tokens or the
 * answers (tests/unit/survey/test_survey.c checks it). Paper answers
 * (survey_answer_import) need no token.
 *
 * Tens of surveys, thousands of answers each. Strings of results live in
 * the caller's arena.
 */
#ifndef KNOD_SURVEY_SURVEY_H
#define KNOD_SURVEY_SURVEY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"
#include "network/net_rows.h"
#include "survey/survey_def.h"
#include "store/store.h"

#define SURVEY_TOKEN_CHARS 32
#define SURVEY_INVITATIONS_MAX 100000

struct survey_info {
    int64_t id, pre_id; /* pre_id 0: none */
    const char *code;
    int version;
    bool anonymous;
    kn_day created_on, sent_on, closed_on; /* 0: not (yet) */
    int64_t invitations, responses;
    struct survey_def def;
};

/* Store the questionnaire of the len bytes at json (name for messages).
 * *id and *version get the survey's; *replaced is true when an unsent
 * version was replaced. KN_EINPUT as survey_def_parse. */
int survey_create(struct store *st, const char *json, size_t len, const char *name,
                  kn_day today, int64_t *id, int *version, bool *replaced,
                  struct kn_error *err);

/* Survey id with its questionnaire, in a. KN_ENOTFOUND "no survey ID". */
int survey_get(struct store *st, int64_t id, struct survey_info *out, struct arena *a,
               struct kn_error *err);

/* Make invitations to target_kind ("unit", "region" or "training") target
 * (unit codes separated by commas, a region code, a training's number).
 * count 0 takes the training's participants (other kinds need a count,
 * 1 .. SURVEY_INVITATIONS_MAX). *tokens gets *n tokens (in a). The first
 * sending marks the survey sent. KN_EINPUT naming --to or --count; a
 * closed survey is refused. */
int survey_send(struct store *st, int64_t id, const char *target_kind, const char *target,
                long count, kn_day today, char ***tokens, size_t *n, struct arena *a,
                struct kn_error *err);

/* survey_send within the caller's transaction (the portal's form stores
 * the sending and its audit entry together): the tokens are good only
 * once the caller has committed. A survey without questions (a draft) is
 * refused. */
int survey_send_in(struct store *st, int64_t id, const char *target_kind,
                   const char *target, long count, kn_day today, char ***tokens, size_t *n,
                   struct arena *a, struct kn_error *err);

/* Close survey id on today: no more answers. KN_EINPUT if already closed
 * or never sent. */
int survey_close(struct store *st, int64_t id, kn_day today, struct kn_error *err);

/* Link survey post to the survey before it (a training's pre/post pair).
 * KN_EINPUT for a survey linked to itself. */
int survey_link(struct store *st, int64_t post, int64_t pre, struct kn_error *err);

/* What a token opens. */
enum survey_token_state {
    SURVEY_TOKEN_UNKNOWN, /* no such token (or malformed) */
    SURVEY_TOKEN_OPEN,    /* may answer */
    SURVEY_TOKEN_USED,    /* answered, and may not replace it */
    SURVEY_TOKEN_REPLACE, /* answered; not anonymous, so may replace it */
    SURVEY_TOKEN_CLOSED,  /* the survey is closed */
};

/* The state of token (its text) and its survey's id (0 if unknown). */
int survey_token_state(struct store *st, const char *token, enum survey_token_state *state,
                       int64_t *survey_id, struct kn_error *err);

/* Answer with token: checks the pairs against the questionnaire
 * (survey_answers_check, faults as there) and stores them in one
 * transaction. KN_EINPUT for bad answers; KN_EEXIST for a used token (of
 * an anonymous survey) or a closed survey; KN_ENOTFOUND for an unknown
 * token. */
int survey_answer_token(struct store *st, const char *token, const struct survey_pair *p,
                        size_t n, kn_day today, enum survey_fault *faults,
                        struct kn_error *err);

/* The answer given with token, as pairs in a: only in a survey that is
 * not anonymous (in an anonymous one nothing links a token to its answer,
 * and *n is 0), so that the form can show it for replacing. */
int survey_token_answers(struct store *st, const char *token, struct survey_pair **p,
                         size_t *n, struct arena *a, struct kn_error *err);

/* Import paper answers of survey id from the CSV read from fd (name for
 * messages): a header naming questions by id (any order, any subset), one
 * response a row; a multiple choice cell lists its values separated by
 * ';'; an empty cell is no answer. All rows or none: KN_EINPUT
 * "NAME:LINE: QUESTION: reason". *rows gets the responses added. */
int survey_answer_import(struct store *st, int64_t id, int fd, const char *name,
                         kn_day today, int *rows, struct kn_error *err);

/* The surveys: id, code, version, title, anonymous, created_on, sent_on,
 * closed_on, invitations, responses, pre_id; by id. */
int survey_list(struct store *st, struct net_rows *out, struct arena *a,
                struct kn_error *err);

/* Every response of survey id: response (1..n, in the order of the random
 * keys), answered_on, via, then one column per question (multiple values
 * joined by ';'; free text with personnummer-shaped numbers masked). */
int survey_export(struct store *st, int64_t id, struct net_rows *out, struct arena *a,
                  struct kn_error *err);

#endif /* KNOD_SURVEY_SURVEY_H */
