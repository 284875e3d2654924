/* src/web/web_openapi.h: the API description, assembled from parts.
 *
 * web/openapi.json is the base document (info, servers, the public
 * portal's paths and schemas). Each area of the portal describes its own
 * paths and schemas in a fragment, web/openapi/AREA.json, of the form
 *   { "paths": { ... }, "components": { "schemas": { ... } } }
 * so that areas grow without touching one shared file. At start the
 * fragments are merged into the base in name order; a path or schema
 * named twice, or any other key in a fragment, is an error naming the
 * fragment and the key. /api/v1/openapi.json serves the merged document.
 */
#ifndef KNOD_WEB_WEB_OPENAPI_H
#define KNOD_WEB_WEB_OPENAPI_H

#include <jansson.h>

#include "base/error.h"

/* Merge fragment (named name, for messages) into doc. On error doc may
 * hold part of the fragment; callers discard it. */
int web_openapi_merge(json_t *doc, const json_t *fragment, const char *name,
                      struct kn_error *err);

/* The embedded base document with every embedded fragment merged in, as a
 * new reference in *out. */
int web_openapi_build(json_t **out, struct kn_error *err);

#endif /* KNOD_WEB_WEB_OPENAPI_H */
