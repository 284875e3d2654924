/* src/web/web_router.h: the portal's routes, one static table.
 *
 * Like cgit's cmds[], web_router.c holds the one table of every route the
 * portal answers: method, path pattern, handler, who may use it, and the
 * template that renders its model as HTML (NULL: the answer is JSON or a
 * raw body). A pattern is literal segments and {name} segments; a {name}
 * matches one non-empty segment of letters, digits, '.', '_' and '-'
 * (anything else, like a '%' or a space, does not match: 404). HEAD
 * matches GET routes. A path that matches a route of another method only
 * gets 405 with an Allow header.
 *
 * Access: each route declares who may use it, and web_route_allows() is
 * the only place that checks it (no handler checks roles or scope):
 *   "public"               anyone, signed in or not
 *   "signed-in"            any signed-in user
 *   "admin", "coordinator,registrar,clinician", ...
 *                          signed in with one of these roles (access_user.h)
 * followed, for routes whose path names a region or a person, by a scope
 * rule (access_scope.h):
 *   " @region"             the {region} parameter is within the user's scope
 *   " @person"             the person of the {pseudonym} parameter is
 *   " @consultation"       the user is one of the two parties of
 *                          consultation {id} (access_consult_party)
 *   " @consulted"          the user is the party asked of consultation {id}
 *   " @unit"               the care unit {code} is within the user's scope
 *                          (access_scope_has_unit; no such unit: 404)
 * An unknown word in a declaration closes the route (and a unit test
 * checks that every declaration of the table parses).
 */
#ifndef KNOD_WEB_WEB_ROUTER_H
#define KNOD_WEB_WEB_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "web/web_req.h"

typedef int web_handler(struct web_req *rq);

struct web_route {
    const char *method;  /* "GET" */
    const char *pattern; /* "/indicators/{id}" */
    web_handler *fn;
    const char *access;  /* "public", "signed-in", "admin", "coordinator @region" */
    const char *tmpl;    /* HTML template of the model, or NULL */
    bool needs_results;  /* the handler reads rq->view (503 until computed) */
};

enum web_match { WEB_MATCH_OK, WEB_MATCH_NONE, WEB_MATCH_METHOD };

/* Find the route of method and path in table[0..n-1]. WEB_MATCH_OK sets
 * *out and rq->params (values in rq->arena); WEB_MATCH_METHOD writes the
 * methods the path allows into allow ("GET, HEAD"). */
enum web_match web_route_match(const struct web_route *table, size_t n, const char *method,
                               const char *path, struct web_req *rq,
                               const struct web_route **out, char allow[64]);

/* The portal's table. */
const struct web_route *web_routes(size_t *n);

/* May this request use the route? 0 yes; 401 it must sign in first
 * (anonymous on a route that is not public); 403 signed in but without
 * the role, or outside the scope; 404 for a person or consultation that does not exist
 * (rq->error set); 500 if the store failed. Reads rq->session and the
 * path parameters; the person rule asks the store. */
int web_route_allows(const struct web_route *route, struct web_req *rq);

/* May rq's user go to method path (a path of the portal, without its
 * query), as web_route_allows() decides for the route it matches? For
 * links: a page shows a link only where the user may go, so that the
 * route table stays the one source of who may use what. false for a path
 * no route matches. */
bool web_route_may(struct web_req *rq, const char *method, const char *path);

/* Does declaration access parse (see above)? For the table's unit test. */
bool web_access_valid(const char *access);

#endif /* KNOD_WEB_WEB_ROUTER_H */
