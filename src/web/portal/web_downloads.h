/* src/web/portal/web_downloads.h: the download links of a result view.
 *
 * Every page that shows results links the same numbers as files, the
 * suppressed cells only, through /api/v1/results (web_api_results.c):
 *
 *   { "csv", "xlsx", "json": "/api/v1/results?QUERY[&format=...]",
 *     "fhir": "/api/v1/results?FHIR_QUERY&format=fhir" }
 *
 * FHIR is a whole report of the indicators asked for (it takes no place
 * filter), so a view of one region or of every region links the FHIR
 * Bundle of the whole catalogue and the page says so.
 */
#ifndef KNOD_WEB_WEB_DOWNLOADS_H
#define KNOD_WEB_WEB_DOWNLOADS_H

#include <jansson.h>

#include "web/web_req.h"

/* The links for query (e.g. "level=region&code=01") and fhir_query ("" for
 * the whole catalogue, or "indicator=ID"); NULL when out of memory. */
json_t *web_downloads(struct web_req *rq, const char *query, const char *fhir_query);

#endif /* KNOD_WEB_WEB_DOWNLOADS_H */
