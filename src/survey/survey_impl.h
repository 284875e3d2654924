/* src/survey/survey_impl.h: what survey.c and survey_answer.c share;
 * not an API. */
#ifndef KNOD_SURVEY_SURVEY_IMPL_H
#define KNOD_SURVEY_SURVEY_IMPL_H

#include "survey/survey.h"

/* The hex BLAKE2b-256 of token; -1 if token is not SURVEY_TOKEN_CHARS of
 * URL-safe base64. */
int survey_token_hash(const char *token, char hex[65]);

#endif /* KNOD_SURVEY_SURVEY_IMPL_H */
