/* src/access/access_scope.h: is a region or a person within a user's
 * scope? The one place that answers it for the portal's route table
 * (web_router.c), so that no handler decides it.
 *
 * A region: a nation-scoped user (administrator, national analyst) has
 * every region; a region-scoped one (coordinator, registrar) only theirs;
 * a unit-scoped one (registrar, NHV clinician) none, since a unit does not
 * cover its region.
 *
 * A person (by pseudonym): nation scope has everyone; a region scope the
 * persons who live in the region (person.region_code) or have a contact
 * at one of its units; a unit scope the persons with a contact at that
 * unit. Whether a role may see person-level data at all is the route's
 * declaration, not this.
 *
 * A unit or a home region typed into a registration form (what a record
 * is registered at) is checked here too, by the same scopes.
 */
#ifndef KNOD_ACCESS_ACCESS_SCOPE_H
#define KNOD_ACCESS_ACCESS_SCOPE_H

#include <stdbool.h>

#include "access/access_user.h"
#include "base/error.h"
#include "store/store.h"

/* Is region code within u's scope? Never fails. */
bool access_scope_has_region(const struct access_user *u, const char *code);

/* Is the person of pseudonym within u's scope? 0 and *in; KN_ENOTFOUND if
 * there is no such person; KN_ESTORE. */
int access_scope_has_person(struct store *st, const struct access_user *u,
                            const char *pseudonym, bool *in, struct kn_error *err);

/* May u register care at the unit of code (a registration form)? Nation:
 * every unit; a region scope: the units of the region; a unit scope: that
 * unit. 0 and *in; KN_ENOTFOUND if there is no such unit; KN_ESTORE. */
int access_scope_has_unit(struct store *st, const struct access_user *u, const char *code,
                          bool *in, struct kn_error *err);

/* May u register a person who lives in region code (a registration
 * form)? Nation: everyone; a region scope: its own region; a unit scope:
 * the region of its unit. 0 and *in; KN_ESTORE. */
int access_scope_has_home(struct store *st, const struct access_user *u, const char *code,
                          bool *in, struct kn_error *err);

/* The two parties of a consultation in an individual case
 * (consult/consult.h), the only users who see its detail:
 *   asking: a region scope of the consultation's region, or a unit scope
 *           whose unit code is the asking unit;
 *   asked:  a unit scope whose unit code is the party asked (an NHV
 *           clinic), or a region scope of the region hosting the knowledge
 *           node whose code is the party asked (asked_host: that node's
 *           host region, NULL if the party asked is no node).
 * A nation scope is neither party. Pure: the list of consultations and the
 * route rule (access_scope_consultation) decide by this one function. */
void access_consult_party(const struct access_user *u, const char *region_code,
                          const char *asking_unit, const char *asked_party,
                          const char *asked_host, bool *asking, bool *asked);

/* access_consult_party() for consultation id, read from the store. 0 and
 * *asking, *asked; KN_ENOTFOUND if there is no such consultation;
 * KN_ESTORE. */
int access_scope_consultation(struct store *st, const struct access_user *u, int64_t id,
                              bool *asking, bool *asked, struct kn_error *err);

#endif /* KNOD_ACCESS_ACCESS_SCOPE_H */
