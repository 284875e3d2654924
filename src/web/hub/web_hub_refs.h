/* src/web/hub/web_hub_refs.h: the evidence and practice register's pages
 * and API (issue 14, docs/hub-references.md).
 *
 * One handler per page, answering both its HTML route (hub_ref*.html,
 * hub_practice*.html) and its /api/v1 route (the model as JSON). The
 * routes are public; what a request sees depends on who asks: anonymous
 * readers and other roles see only the references and practices marked
 * public, a signed-in coordinator or administrator sees all of them (an
 * item that is not public is a 404 to the others, as one that does not
 * exist).
 *
 *   GET /references, /api/v1/references   ?q= (Swedish search, ranked),
 *       ?type= (type of study), ?grade=, ?topic=
 *   GET /references/{id}, /api/v1/references/{id}
 *   GET /practices, /api/v1/practices     ?region=, ?level=
 *   GET /practices/{id}, /api/v1/practices/{id}  with its references
 */
#ifndef KNOD_WEB_HUB_WEB_HUB_REFS_H
#define KNOD_WEB_HUB_WEB_HUB_REFS_H

#include <stdbool.h>

#include "web/web_req.h"

/* Whether rq sees only what is public: true unless a coordinator or an
 * administrator is signed in (also for the links of documents and
 * pathway steps to references and practices, web_hub.h). */
bool web_hub_public_only(const struct web_req *rq);

int web_hub_references(struct web_req *rq);
int web_hub_reference(struct web_req *rq);
int web_hub_practices(struct web_req *rq);
int web_hub_practice(struct web_req *rq);

#endif /* KNOD_WEB_HUB_WEB_HUB_REFS_H */
