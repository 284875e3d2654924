/* src/survey/survey_draft.h: a questionnaire built step by step in the
 * portal (docs/network.md, "Surveys in the portal").
 *
 * The portal keeps a survey in draft as `knod survey create` keeps one: the
 * questionnaire's JSON (survey_def.h) in net_survey.definition, checked by
 * the same reader. Each step (a question added, changed, moved or removed)
 * rebuilds the whole JSON from the stored one (survey_def_to_json) and
 * stores it again by the survey's id. A draft may have no questions yet
 * (survey_def_parse_draft); it cannot be sent until it has one.
 *
 * Unlike `knod survey create`, which replaces the latest unsent version of
 * a code, a survey made in the portal takes a code no survey has, so that
 * one coordinator's draft never replaces another's; and a step names the
 * survey by id, so that it changes that survey and no other version. A
 * sent survey never changes: the store refuses it too (net_survey_frozen).
 *
 * Who made a survey in the portal is kept (created_by, migration 0028): the
 * route rule @survey lets that user or an administrator edit, send, close
 * and link it; a survey made by `knod survey create` has none, and only
 * administrators change it in the portal.
 *
 * Every function but survey_def_to_json runs in the caller's transaction
 * (the portal stores the change and its audit entry together).
 */
#ifndef KNOD_SURVEY_SURVEY_DRAFT_H
#define KNOD_SURVEY_SURVEY_DRAFT_H

#include <jansson.h>
#include <stdint.h>

#include "survey/survey.h"

/* d as the JSON `knod survey create` takes (a new reference; NULL when out
 * of memory). Empty optional texts (intro, help) are left out. */
json_t *survey_def_to_json(const struct survey_def *d);

/* Store the questionnaire of the len bytes at json (name for messages) as
 * version 1 of a new code, made by creator (a user's name) on today.
 * KN_EINPUT as survey_def_parse_draft; KN_EEXIST "code: ..." when a survey
 * has the code already. *id gets the new survey's. */
int survey_draft_add(struct store *st, const char *json, size_t len, const char *name,
                     const char *creator, kn_day today, int64_t *id,
                     struct kn_error *err);

/* Replace the questionnaire of survey id by json (name for messages).
 * KN_ENOTFOUND; KN_EEXIST "survey N was sent on DAY: a sent survey never
 * changes"; KN_EINPUT as survey_def_parse_draft, or "code: ..." when the
 * code is not the survey's. */
int survey_draft_update(struct store *st, int64_t id, const char *json, size_t len,
                        const char *name, kn_day today, struct kn_error *err);

/* Who made survey id in the portal: *creator a user's name in a, or NULL
 * (made by `knod survey create`). KN_ENOTFOUND. */
int survey_creator(struct store *st, int64_t id, const char **creator, struct arena *a,
                   struct kn_error *err);

#endif /* KNOD_SURVEY_SURVEY_DRAFT_H */
