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
 */
#ifndef KNOD_WEB_HUB_WEB_HUB_H
#define KNOD_WEB_HUB_WEB_HUB_H

#include <jansson.h>

#include "hub/hub.h"
#include "web/web_req.h"

int web_hub_documents(struct web_req *rq);     /* web_hub_docs.c */
int web_hub_document(struct web_req *rq);      /* web_hub_doc.c */
int web_hub_document_diff(struct web_req *rq); /* web_hub_doc.c */
int web_hub_pathways(struct web_req *rq);      /* web_hub_pathway.c */
int web_hub_pathway(struct web_req *rq);       /* web_hub_pathway.c */
int web_hub_patientresa(struct web_req *rq);   /* web_hub_pathway.c */

/* A document version's summary for a model: id, title, summary,
 * language, audience [{code, text}], topics [...], version, published
 * (YYYY-MM-DD), url, public (for patients, relatives or vårdgrannar).
 * NULL when out of memory. (web_hub_docs.c) */
json_t *web_hub_doc_summary(const struct web_req *rq, const struct hub_version *v);

#endif /* KNOD_WEB_HUB_WEB_HUB_H */
