/* src/registry/reg_person.h: one person's care records, for the
 * person-level page (/persons/{pseudonym}).
 *
 * reg_person_view() reads the person (pseudonym, birth year, sex, home
 * region and municipality) and every record that names them, as one list
 * ordered by time: contacts (with the unit), self-harm acts, coercive
 * measures, assessments, care plans, treatments, follow-ups and pathway
 * steps. It holds
 * pseudonyms and codes only, never a personnummer (the store has none).
 * Who may see it, and the audit entry of each view, are the caller's.
 *
 * The model: {"pseudonym", "birth_year", "sex", "region", "municipality",
 * "records": [{"kind", "time", "end", "what", "unit", "form", "source_system",
 * "source_id"}]} ("end" and "unit" null where the kind has none; "form" the
 * import kind, which with the source key names the record for a
 * correction). KN_ENOTFOUND if there is no such person.
 */
#ifndef KNOD_REGISTRY_REG_PERSON_H
#define KNOD_REGISTRY_REG_PERSON_H

#include <jansson.h>

#include "base/error.h"
#include "store/store.h"

int reg_person_view(struct store *st, const char *pseudonym, json_t **out,
                    struct kn_error *err);

#endif /* KNOD_REGISTRY_REG_PERSON_H */
