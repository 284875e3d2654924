/* tests/fuzz/fuzz_oidc.c: fuzz target for what an OpenID Connect provider
 * answers (src/access/access_oidc_verify.c, access_oidc_map.c): the key
 * set (JWKS), the ID token, and the claims in it.
 *
 * The first byte picks the mode:
 *   'T' (or any even byte): the rest is a JWKS (JSON) line and a compact
 *       token. access_oidc_verify() must refuse what it cannot verify with
 *       KN_EINPUT, KN_EPERM or KN_ENOTFOUND and a message, never crash.
 *   'C' (or any odd byte): the rest is the token's payload, signed here
 *       with a P-256 key made at the first call (the only state kept: an
 *       immutable key), so the claim checks run on any bytes. A token
 *       that passes has the expected issuer, audience and nonce, and its
 *       claims then go through the claim mapping of a configuration with
 *       a role map, which gives a user name (lower case, not shaped like a
 *       personnummer) and a role from the map, or KN_EPERM.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjose/cjose.h>
#include <jansson.h>

#include "access/access_oidc.h"
#include "base/config_oidc.h"
#include "domain/pnr_shape.h"
#include "fuzz.h"

#define CHECK(x)                                                                         \
    do {                                                                                 \
        if (!(x)) {                                                                      \
            fprintf(stderr, "fuzz_oidc: %s:%d: check failed: %s\n", __FILE__, __LINE__,  \
                    #x);                                                                 \
            abort();                                                                     \
        }                                                                                \
    } while (0)

#define ISS    "https://idp.example.se/realm"
#define CLIENT "knod-portal"
#define NONCE  "n-0S6_WzA2Mj"
#define NOW    1767225600 /* 2026-01-01T00:00:00Z */

static cjose_jwk_t *key;
static json_t *key_set;
static struct config_oidc cfg;

static void setup(void)
{
    if (key)
        return;
    cjose_err e;
    struct kn_error err = KN_ERROR_INIT;
    key = cjose_jwk_create_EC_random(CJOSE_JWK_EC_P_256, &e);
    CHECK(key && cjose_jwk_set_kid(key, "e1", 2, &e));
    char *pub = cjose_jwk_to_json(key, false, &e);
    CHECK(pub);
    key_set = json_pack("{s:[o]}", "keys", json_loads(pub, 0, NULL));
    free(pub);
    CHECK(key_set);
    config_oidc_defaults(&cfg);
    CHECK(config_oidc_set(&cfg, "", "issuer", ISS, &err) == 0);
    CHECK(config_oidc_set(&cfg, "", "client_id", CLIENT, &err) == 0);
    CHECK(config_oidc_set(&cfg, "", "client_secret", "s3cret", &err) == 0);
    CHECK(config_oidc_set(&cfg, "", "redirect_uri",
                          "https://knod.example.se/login/oidc/callback", &err) == 0);
    CHECK(config_oidc_set(&cfg, "", "claim_user", "hsa_id", &err) == 0);
    CHECK(config_oidc_set(&cfg, "", "claim_role", "knodroll", &err) == 0);
    CHECK(config_oidc_set(&cfg, "", "claim_region", "region", &err) == 0);
    CHECK(config_oidc_set(&cfg, "", "claim_unit", "unit", &err) == 0);
    CHECK(config_oidc_set(&cfg, "", "role_map",
                          "KNOD-SAMORD=coordinator KNOD-REG=registrar KNOD-ADM=admin",
                          &err) == 0);
    CHECK(config_oidc_check(&cfg, &err) == 0);
}

static const struct oidc_expect expect = {
    .issuer = ISS,
    .client_id = CLIENT,
    .nonce = NONCE,
    .algs = NULL,
    .now_unix = NOW,
    .skew_s = 60,
};

/* Map verified claims; check what the mapping promises. */
static void map(const json_t *claims)
{
    struct arena a = ARENA_INIT;
    struct kn_error err = KN_ERROR_INIT;
    struct oidc_identity id;
    int rc = access_oidc_map(&cfg, claims, &id, &a, &err);
    if (rc == 0) {
        CHECK(id.user && id.user[0] != '\0');
        for (const char *p = id.user; *p; p++)
            CHECK(!isupper((unsigned char)*p));
        CHECK(!pnr_find_shaped(id.user, strlen(id.user), NULL, NULL));
        CHECK(id.has_role);
        CHECK(id.role == ROLE_COORDINATOR || id.role == ROLE_REGISTRAR ||
              id.role == ROLE_ADMIN);
    } else {
        CHECK(rc == KN_EPERM && err.msg[0] != '\0');
    }
    arena_release(&a);
}

static void verify(const char *token, size_t len, const json_t *jwks, bool signed_here)
{
    struct kn_error err = KN_ERROR_INIT;
    json_t *claims = NULL;
    int rc = access_oidc_verify(token, len, jwks, &expect, &claims, &err);
    if (rc == 0) {
        CHECK(json_is_object(claims));
        CHECK(strcmp(json_string_value(json_object_get(claims, "iss")), ISS) == 0);
        CHECK(strcmp(json_string_value(json_object_get(claims, "nonce")), NONCE) == 0);
        map(claims);
        json_decref(claims);
    } else {
        CHECK(claims == NULL && err.msg[0] != '\0');
        CHECK(signed_here ? rc == KN_EPERM
                          : rc == KN_EINPUT || rc == KN_EPERM || rc == KN_ENOTFOUND);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    if (size == 0)
        return 0;
    const char *rest = (const char *)data + 1;
    size_t n = size - 1;
    if (data[0] % 2 == 0) {
        const char *nl = memchr(rest, '\n', n);
        size_t jl = nl ? (size_t)(nl - rest) : n;
        json_t *jwks = json_loadb(rest, jl, 0, NULL);
        const char *tok = nl ? nl + 1 : rest + n;
        verify(tok, (size_t)(rest + n - tok), jwks ? jwks : key_set, false);
        json_decref(jwks);
        return 0;
    }
    cjose_err e;
    cjose_header_t *hdr = cjose_header_new(&e);
    CHECK(hdr && cjose_header_set(hdr, CJOSE_HDR_ALG, CJOSE_HDR_ALG_ES256, &e) &&
          cjose_header_set(hdr, CJOSE_HDR_KID, "e1", &e));
    cjose_jws_t *jws = cjose_jws_sign(key, hdr, (const uint8_t *)rest, n, &e);
    const char *compact = NULL;
    if (jws && cjose_jws_export(jws, &compact, &e))
        verify(compact, strlen(compact), key_set, true);
    cjose_jws_release(jws);
    cjose_header_release(hdr);
    return 0;
}
