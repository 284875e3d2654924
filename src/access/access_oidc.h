/* src/access/access_oidc.h: sign-in through the region's OpenID Connect
 * provider (the authorization code flow with PKCE), knod.ini's [oidc].
 *
 * The flow, as the portal drives it:
 *   1. access_oidc_begin(): a new sign-in attempt. state, nonce and the
 *      PKCE verifier are 32 random bytes each (libsodium), base64url; the
 *      attempt is kept here, in memory, for OIDC_ATTEMPT_TTL seconds and
 *      can be used once. Returns the provider's authorization URL (with
 *      code_challenge = BASE64URL(SHA-256(verifier)), method S256) and the
 *      state, which the portal also puts in a short-lived cookie so that
 *      the callback must come back to the browser that started it.
 *   2. The provider redirects the browser to redirect_uri with code and
 *      state. access_oidc_signin() takes the attempt of that state (once),
 *      exchanges the code at the token endpoint (client_secret_basic or
 *      _post, with the verifier), verifies the ID token
 *      (access_oidc_verify), maps its claims to a knod user
 *      (access_oidc_map, access_oidc_user) and audits a failure. The
 *      portal then starts the session, which audits the sign-in.
 *
 * Discovery: ISSUER/.well-known/openid-configuration, fetched on first
 * use (so `knod serve` starts while the provider is down); its "issuer"
 * must equal [oidc] issuer byte for byte, and every endpoint must be https
 * (http only on loopback). The JWKS is fetched with it and kept; a token
 * whose kid is not in it makes one refetch, at most once per
 * OIDC_JWKS_REFETCH_S seconds, and a JWKS older than OIDC_JWKS_MAX_AGE_S is
 * fetched again before use.
 *
 * No token, code, verifier or secret is ever put in an error message, a
 * log line or the audit log. Messages name the check that failed ("the ID
 * token's audience does not include this client").
 *
 * Thread-safety: one struct access_oidc serves every thread of the portal
 * (its state is behind a mutex); access_oidc_verify and access_oidc_map
 * are pure functions.
 *
 * Times: JWT times are Unix seconds (UTC), so the functions here take
 * now_unix (time(NULL)); the audit log takes knod's kn_time.
 */
#ifndef KNOD_ACCESS_ACCESS_OIDC_H
#define KNOD_ACCESS_ACCESS_OIDC_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "access/access_audit.h"
#include "access/access_user.h"
#include "base/arena.h"
#include "base/config_oidc.h"
#include "base/date.h"
#include "base/error.h"
#include "store/store.h"

#define OIDC_RANDOM_CHARS   43    /* base64url of 32 bytes, no padding */
#define OIDC_ATTEMPT_TTL    600   /* seconds a sign-in attempt may take */
#define OIDC_ATTEMPTS_MAX   1024  /* attempts under way; the oldest goes */
#define OIDC_NEXT_MAX       256   /* the local path to return to */
#define OIDC_JWKS_REFETCH_S 60    /* at most one refetch for an unknown kid */
#define OIDC_JWKS_MAX_AGE_S 3600  /* a JWKS older than this is fetched again */
#define OIDC_HTTP_TIMEOUT_S 10    /* each request to the provider */
#define OIDC_HTTP_MAX_BYTES (1 << 20) /* a larger answer is refused */

struct access_oidc;

/* A client for cfg (which must be on and must outlive it). Reads the
 * client secret (client_secret_file: its first line; the file must not be
 * readable by others); does not contact the provider. KN_EIO or KN_EPERM
 * naming the secret file; KN_EINPUT if cfg is off. */
int access_oidc_new(const struct config_oidc *cfg, struct access_oidc **out,
                    struct kn_error *err);

/* Free o and every attempt in it (the secret is wiped). NULL is a no-op. */
void access_oidc_free(struct access_oidc *o);

/* Fetch discovery and the JWKS now (also done on first use). KN_EIO when
 * the provider cannot be reached or answers badly; KN_EINPUT when its
 * discovery document names another issuer or lacks an endpoint. */
int access_oidc_discover(struct access_oidc *o, struct kn_error *err);

/* Start a sign-in attempt that returns to next (a local path beginning
 * with one '/', else "/"). *url (the authorization request) lives in a;
 * state receives the attempt's state. */
int access_oidc_begin(struct access_oidc *o, const char *next, int64_t now_unix,
                      struct arena *a, char **url, char state[OIDC_RANDOM_CHARS + 1],
                      struct kn_error *err);

/* What an ID token must say, for access_oidc_verify. */
struct oidc_expect {
    const char *issuer;     /* iss, exactly */
    const char *client_id;  /* in aud; azp when aud has several (or azp given) */
    const char *nonce;      /* nonce, exactly */
    const json_t *algs;     /* discovery's id_token_signing_alg_values_supported,
                             * or NULL for any asymmetric alg knod accepts */
    int64_t now_unix;
    int skew_s;             /* allowed clock difference either way */
};

/* Verify the compact JWS token[0..len) against the key set jwks (a JWKS
 * object, {"keys": [...]}) and exp: the alg is one of RS256/384/512,
 * PS256/384/512, ES256/384/512 (never "none" or a MAC) and in exp->algs;
 * the key is the JWKS key with the token's kid (or the only key of the
 * right type when the token has no kid); the signature holds (cjose);
 * iss, aud, azp, exp (now - skew < exp), nbf and iat (not after now +
 * skew), and nonce as above. 0 and *claims (a new reference, the caller
 * json_decref()s it); KN_ENOTFOUND when no key has the token's kid (the
 * caller may refetch the JWKS once); KN_EPERM naming the check that
 * failed; KN_EINPUT when the token is not a JWS at all. */
int access_oidc_verify(const char *token, size_t len, const json_t *jwks,
                       const struct oidc_expect *exp, json_t **claims,
                       struct kn_error *err);

/* Who the claims say signs in, by the mapping of cfg. */
struct oidc_identity {
    const char *user;        /* the claim_user value, lower-cased: the knod user name */
    bool has_role;           /* claim_role is configured */
    enum access_role role;   /* from role_map, when has_role */
    enum access_scope scope;
    const char *scope_code;  /* NULL for the nation */
};

/* Map verified claims by cfg: claim_user must be a string that is a knod
 * user name once lower-cased and not shaped like a personnummer. With
 * claim_role: its value (a string, or an array of strings of which
 * exactly one is in role_map) must be listed in role_map, else the
 * sign-in is refused (never a default role); the scope is the nation for
 * admin and analyst, claim_region for a coordinator, claim_unit for a
 * clinician, and for a registrar claim_unit if the token has it, else
 * claim_region. A missing claim refuses. Strings live in a. KN_EPERM
 * naming the claim. */
int access_oidc_map(const struct config_oidc *cfg, const json_t *claims,
                    struct oidc_identity *out, struct arena *a, struct kn_error *err);

/* The knod user for id: it must exist and not be disabled, unless
 * cfg->create_users, which creates it (without a password) with the
 * mapped role and scope. With a mapped role, the stored role and scope
 * are set to the mapped ones (the provider decides; the change is
 * audited as "user-role" by "oidc"). KN_EPERM "no knod user 'x'" /
 * "the account is disabled"; KN_EINPUT for a region or unit the store
 * does not know. */
int access_oidc_user(struct store *st, const struct audit_key *ak,
                     const struct config_oidc *cfg, const struct oidc_identity *id,
                     kn_time now, struct access_user *out, struct arena *a,
                     struct kn_error *err);

/* The whole callback: state and code as the provider sent them,
 * cookie_state the state cookie the browser sent (NULL if none). Takes
 * the attempt (once; KN_EPERM if unknown, expired or not this browser's),
 * exchanges the code, verifies the ID token (refetching the JWKS once for
 * an unknown kid), maps and finds the user. A failure is audited here
 * ("signin-failed" by "anonymous" about the claimed user if known, detail
 * "oidc: " and the reason; never a token); a success is audited by the
 * caller when it starts the session ("signin", via "oidc"). 0 with *out
 * and *next (the path the attempt asked to return to, in a). */
int access_oidc_signin(struct access_oidc *o, struct store *st, const struct audit_key *ak,
                       const char *state, const char *code, const char *cookie_state,
                       int64_t now_unix, kn_time now, struct access_user *out,
                       const char **next, struct arena *a, struct kn_error *err);

#endif /* KNOD_ACCESS_ACCESS_OIDC_H */
