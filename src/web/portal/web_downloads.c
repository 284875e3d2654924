/* src/web/portal/web_downloads.c: the download links of a result view
 * (web_downloads.h). */
#include "web/portal/web_downloads.h"

json_t *web_downloads(struct web_req *rq, const char *query, const char *fhir_query)
{
    const char *sep = *query ? "&" : "";
    return json_pack(
        "{s:s, s:s, s:s, s:s}", "csv",
        arena_printf(rq->arena, "/api/v1/results?%s%sformat=csv", query, sep), "xlsx",
        arena_printf(rq->arena, "/api/v1/results?%s%sformat=xlsx", query, sep), "json",
        arena_printf(rq->arena, "/api/v1/results%s%s", *query ? "?" : "", query), "fhir",
        arena_printf(rq->arena, "/api/v1/results?%s%sformat=fhir", fhir_query,
                     *fhir_query ? "&" : ""));
}
