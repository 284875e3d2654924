/* src/web/hub/web_hub.h: the knowledge hub's public pages (issue 14):
 * documents and care pathways.
 *
 * Like every page (web_pages.h), each handler builds ONE model and returns
 * the HTTP status; the same handler answers the HTML route (through its
 * template, web/templates/hub_*.html) and the /api/v1 route (the model as
 * JSON). Every page here is public and carries the layout's help banner
 * (safe messaging). Documents are read only through hub_public.h, so only
 * published versions are ever shown; their Markdown is rendered by
 * cmark-gfm in safe mode (hub_render.h), the only markup the templates
 * insert raw ({{{html}}}) besides chart SVG.
 *
 *   /documents, /api/v1/documents          published documents in two
 *       sections (patients and relatives; professionals and vårdgrannar),
 *       ?q= searches (hub_search.h: Swedish stems and parts of compounds,
 *       ranked, snippets with the hits marked), ?audience=, ?topic=,
 *       ?language= filter                           (web_hub_docs.c)
 *   /documents/{id}, /api/v1/documents/{id}  the newest published version
 *       or ?version=N (published ones only), its versions listed
 *   /documents/{id}/diff?from=N&to=M        the difference between two
 *       published versions, by lines and words     (web_hub_doc.c)
 *   /pathways, /pathways/{code} (and /api/v1) the care pathways as data
 *       (hub_pathway.h), drawn as a flow with the national and ?region='s
 *       figures of each step's indicator; /pathways/{code}/patientresa
 *       the patient journey in plain words      (web_hub_pathway.c)
 *
 * And one part for signed-in users, the yearly review of the documents
 * they own (hub_yearly.h has the rule):          (web_hub_review.c)
 *   /account's reminders, /api/v1/reviews     the published documents the
 *       user owns whose review is due within WEB_HUB_REVIEW_NOTICE_DAYS
 *       or overdue, by due date
 *   POST /documents/{id}/reviewed             the review found no need to
 *       revise (field note, optional): the next one a year on; audited;
 *       route rule @owner (the owner or an administrator)
 */
#ifndef KNOD_WEB_HUB_WEB_HUB_H
#define KNOD_WEB_HUB_WEB_HUB_H

#include <jansson.h>

#include "hub/hub.h"
#include "web/web_req.h"

int web_hub_documents(struct web_req *rq);     /* web_hub_docs.c */
int web_hub_document(struct web_req *rq);      /* web_hub_doc.c */
int web_hub_document_diff(struct web_req *rq); /* web_hub_doc.c */

/* Set "indicators" [{id, url}], "steps" [{code, title, pathway,
 * pathway_title, url}] (one per pathway having the step; url
 * /pathways/{code}#step-{step}), "references" [{id, title, url}] and
 * "practices" [{id, title, url}] (those the reader may see:
 * web_hub_public_only) of version v in model, and on pages "has_links".
 * 0, or 500 (web_hub_doc_links.c). */
int web_hub_doc_links(struct web_req *rq, json_t *model, const struct hub_version *v);

struct hub_link;
/* The links l[0..n) as a new array (NULL when out of memory): documents
 * {id, title, url: /documents/{id}}, references and practices {id, title,
 * url: /references/{id}, /practices/{id}}, steps {code, title, pathway,
 * pathway_title, url: /pathways/{pathway}#step-{code}} (a step no longer
 * in data/pathways is left out). Only those whose step is `step` when it
 * is not NULL (web_hub_doc_links.c). */
json_t *web_hub_links_json(struct web_req *rq, const struct hub_link *l, size_t n,
                           const char *step);
int web_hub_pathways(struct web_req *rq);      /* web_hub_pathway.c */
int web_hub_pathway(struct web_req *rq);       /* web_hub_pathway.c */
int web_hub_patientresa(struct web_req *rq);   /* web_hub_pathway.c */
int web_hub_reviews(struct web_req *rq);       /* web_hub_review.c */
int web_hub_reviewed(struct web_req *rq);      /* web_hub_review.c */

/* Reminders start this many days before a review is due. */
#define WEB_HUB_REVIEW_NOTICE_DAYS 30

/* The model of /api/v1/reviews for rq's signed-in user: {as_of,
 * notice_days, documents: [{id, title, owner, version, review_due,
 * days_overdue (negative: not yet due), overdue, today, soon (its sign),
 * days (its absolute value), url, review_url}]} into *out (the caller's). 200 or 500. */
int web_hub_reviews_model(struct web_req *rq, json_t **out);

/* A document version's summary for a model: id, title, summary,
 * language, audience [{code, text}], topics [...], version, published
 * (YYYY-MM-DD), url, public (for patients, relatives or vårdgrannar).
 * NULL when out of memory. (web_hub_docs.c) */
json_t *web_hub_doc_summary(const struct web_req *rq, const struct hub_version *v);

#endif /* KNOD_WEB_HUB_WEB_HUB_H */
