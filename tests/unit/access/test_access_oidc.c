/* tests/unit/access/test_access_oidc.c: src/access/access_oidc_verify.c
 * and access_oidc_map.c: every check an ID token must pass, each with a
 * token made here (cjose signs with keys made here) that passes all the
 * other checks and fails that one; then the claim mapping and the knod
 * user it leads to. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <cjose/cjose.h>

#include "access/access_oidc.h"
#include "domain/geo.h"
#include "registry/reg_geo.h"
#include "testutil.h"

#define ISS   "https://idp.example.se/realm"
#define CLIENT "knod-portal"
#define NONCE "n-0S6_WzA2Mj"
#define NOW   1767225600 /* 2026-01-01T00:00:00Z */
#define SKEW  60

static cjose_jwk_t *rsa_key, *ec_key, *evil_key;
static json_t *jwks; /* the public halves of rsa_key (kid "r1") and ec_key ("e1") */

static void add_public(json_t *keys, cjose_jwk_t *k)
{
    cjose_err e;
    char *pub = cjose_jwk_to_json(k, false, &e);
    json_t *j = json_loads(pub, 0, NULL);
    assert_non_null(j);
    json_array_append_new(keys, j);
    free(pub);
}

static int keys_setup(void **state)
{
    cjose_err e;
    static const uint8_t f4[] = { 1, 0, 1 };
    rsa_key = cjose_jwk_create_RSA_random(2048, f4, sizeof f4, &e);
    ec_key = cjose_jwk_create_EC_random(CJOSE_JWK_EC_P_256, &e);
    evil_key = cjose_jwk_create_RSA_random(2048, f4, sizeof f4, &e);
    if (!rsa_key || !ec_key || !evil_key)
        return -1;
    cjose_jwk_set_kid(rsa_key, "r1", 2, &e);
    cjose_jwk_set_kid(ec_key, "e1", 2, &e);
    cjose_jwk_set_kid(evil_key, "r1", 2, &e); /* claims to be the provider's key */
    json_t *keys = json_array();
    add_public(keys, rsa_key);
    add_public(keys, ec_key);
    jwks = json_pack("{s:o}", "keys", keys);
    return tu_tmpdir_setup(state);
}

static int keys_teardown(void **state)
{
    cjose_jwk_release(rsa_key);
    cjose_jwk_release(ec_key);
    cjose_jwk_release(evil_key);
    json_decref(jwks);
    return tu_tmpdir_teardown(state);
}

/* The claims of a good token; tests change one thing. */
static json_t *good_claims(void)
{
    return json_pack("{s:s, s:s, s:s, s:I, s:I, s:s}", "iss", ISS, "sub", "u-1", "aud",
                     CLIENT, "exp", (json_int_t)NOW + 300, "iat", (json_int_t)NOW - 5,
                     "nonce", NONCE);
}

/* Sign claims (stolen reference) with key under alg and kid (NULL: no
 * kid); the compact token, static. */
static const char *sign(cjose_jwk_t *key, const char *alg, const char *kid, json_t *claims)
{
    static char buf[8192];
    cjose_err e;
    const char *ser;
    char *payload = json_dumps(claims, JSON_COMPACT);
    json_decref(claims);
    cjose_header_t *h = cjose_header_new(&e);
    cjose_header_set(h, CJOSE_HDR_ALG, alg, &e);
    if (kid)
        cjose_header_set(h, CJOSE_HDR_KID, kid, &e);
    cjose_jws_t *jws = cjose_jws_sign(key, h, (const uint8_t *)payload, strlen(payload), &e);
    assert_non_null(jws);
    assert_true(cjose_jws_export(jws, &ser, &e));
    snprintf(buf, sizeof buf, "%s", ser);
    cjose_jws_release(jws);
    cjose_header_release(h);
    free(payload);
    return buf;
}

static int verify(const char *tok, struct kn_error *err)
{
    struct oidc_expect x = { ISS, CLIENT, NONCE, NULL, NOW, SKEW };
    json_t *c = NULL;
    kn_error_clear(err);
    int rc = access_oidc_verify(tok, strlen(tok), jwks, &x, &c, err);
    if (rc == 0) {
        assert_non_null(c);
        assert_string_equal(json_string_value(json_object_get(c, "sub")), "u-1");
    } else {
        assert_null(c);
    }
    json_decref(c);
    return rc;
}

static void test_good_tokens(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    /* RS256 and ES256 from the provider's keys verify. */
    assert_int_equal(verify(sign(rsa_key, "RS256", "r1", good_claims()), &err), 0);
    assert_int_equal(verify(sign(ec_key, "ES256", "e1", good_claims()), &err), 0);
    /* aud may be an array holding the client; azp then names it. */
    json_t *c = good_claims();
    json_object_set_new(c, "aud", json_pack("[s,s]", "other", CLIENT));
    json_object_set_new(c, "azp", json_string(CLIENT));
    assert_int_equal(verify(sign(rsa_key, "RS256", "r1", c), &err), 0);
    /* The list of algorithms the provider publishes is obeyed. */
    struct oidc_expect x = { ISS, CLIENT, NONCE, NULL, NOW, SKEW };
    json_t *algs = json_pack("[s]", "ES256"), *out = NULL;
    x.algs = algs;
    const char *t = sign(rsa_key, "RS256", "r1", good_claims());
    assert_int_equal(access_oidc_verify(t, strlen(t), jwks, &x, &out, &err), KN_EPERM);
    assert_non_null(strstr(err.msg, "algorithm"));
    json_decref(algs);
}

static void test_wrong_audience(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    json_t *c = good_claims();
    json_object_set_new(c, "aud", json_string("another-client"));
    assert_int_equal(verify(sign(rsa_key, "RS256", "r1", c), &err), KN_EPERM);
    assert_non_null(strstr(err.msg, "audience"));
    /* Several audiences, none an authorized party naming us. */
    c = good_claims();
    json_object_set_new(c, "aud", json_pack("[s,s]", CLIENT, "other"));
    assert_int_equal(verify(sign(rsa_key, "RS256", "r1", c), &err), KN_EPERM);
    assert_non_null(strstr(err.msg, "azp"));
    c = good_claims();
    json_object_set_new(c, "azp", json_string("other"));
    assert_int_equal(verify(sign(rsa_key, "RS256", "r1", c), &err), KN_EPERM);
}

static void test_times(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    /* exp: still good just inside the skew, expired just past it. */
    json_t *c = good_claims();
    json_object_set_new(c, "exp", json_integer(NOW - SKEW + 1));
    assert_int_equal(verify(sign(rsa_key, "RS256", "r1", c), &err), 0);
    c = good_claims();
    json_object_set_new(c, "exp", json_integer(NOW - SKEW));
    assert_int_equal(verify(sign(rsa_key, "RS256", "r1", c), &err), KN_EPERM);
    assert_non_null(strstr(err.msg, "expired"));
    c = good_claims();
    json_object_del(c, "exp");
    assert_int_equal(verify(sign(rsa_key, "RS256", "r1", c), &err), KN_EPERM);
    /* nbf and iat in the future beyond the skew. */
    c = good_claims();
    json_object_set_new(c, "nbf", json_integer(NOW + SKEW + 1));
    assert_int_equal(verify(sign(rsa_key, "RS256", "r1", c), &err), KN_EPERM);
    assert_non_null(strstr(err.msg, "nbf"));
    c = good_claims();
    json_object_set_new(c, "nbf", json_integer(NOW + SKEW));
    assert_int_equal(verify(sign(rsa_key, "RS256", "r1", c), &err), 0);
    c = good_claims();
    json_object_set_new(c, "iat", json_integer(NOW + SKEW + 1));
    assert_int_equal(verify(sign(rsa_key, "RS256", "r1", c), &err), KN_EPERM);
    assert_non_null(strstr(err.msg, "iat"));
    /* Times no clock reaches are not times: the checks' sums would
     * overflow (found by tests/fuzz/fuzz_oidc.c). */
    const char *names[] = {"exp", "iat", "nbf"};
    const json_int_t bad[] = {INT64_MAX, INT64_MIN, -1, 253402300800LL};
    for (size_t i = 0; i < 3; i++)
        for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
            c = good_claims();
            json_object_set_new(c, names[i], json_integer(bad[k]));
            assert_int_equal(verify(sign(ec_key, "ES256", "e1", c), &err), KN_EPERM);
            assert_non_null(strstr(err.msg, "is not a time"));
        }
    c = good_claims();
    json_object_set_new(c, "exp", json_real(1e300));
    assert_int_equal(verify(sign(ec_key, "ES256", "e1", c), &err), KN_EPERM);
    assert_non_null(strstr(err.msg, "'exp' is not a time"));
}

static void test_bad_signature(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    /* Signed by another key that gives the provider's kid. */
    assert_int_equal(verify(sign(evil_key, "RS256", "r1", good_claims()), &err), KN_EPERM);
    assert_non_null(strstr(err.msg, "signature"));
    /* A good token whose payload is swapped for another one's. */
    char good[8192], other[8192];
    snprintf(good, sizeof good, "%s", sign(rsa_key, "RS256", "r1", good_claims()));
    json_t *c = good_claims();
    json_object_set_new(c, "sub", json_string("u-2"));
    snprintf(other, sizeof other, "%s", sign(evil_key, "RS256", "r1", c));
    char *p1 = strchr(good, '.'), *p2 = strchr(other, '.');
    char *e1 = strchr(p1 + 1, '.'), *e2 = strchr(p2 + 1, '.');
    char spliced[16384];
    snprintf(spliced, sizeof spliced, "%.*s%.*s%s", (int)(p1 - good), good, (int)(e2 - p2), p2,
             e1);
    assert_int_equal(verify(spliced, &err), KN_EPERM);
    /* A MAC keyed with anything, and "none", are never accepted. */
    cjose_err e;
    cjose_jwk_t *oct = cjose_jwk_create_oct_random(32, &e);
    assert_int_equal(verify(sign(oct, "HS256", "r1", good_claims()), &err), KN_EPERM);
    assert_non_null(strstr(err.msg, "algorithm"));
    cjose_jwk_release(oct);
    const char *none = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1LTEifQ.";
    assert_int_not_equal(verify(none, &err), 0);
    /* An RS256 header over the EC key's kid finds no RSA key of that id. */
    assert_int_equal(verify(sign(rsa_key, "RS256", "e1", good_claims()), &err), KN_ENOTFOUND);
    /* An unknown kid: the caller may refetch the key set. */
    assert_int_equal(verify(sign(rsa_key, "RS256", "r9", good_claims()), &err), KN_ENOTFOUND);
    assert_int_equal(verify("not a token", &err), KN_EINPUT);
}

static void test_nonce_and_issuer(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    json_t *c = good_claims();
    json_object_set_new(c, "nonce", json_string("n-another-attempt"));
    assert_int_equal(verify(sign(rsa_key, "RS256", "r1", c), &err), KN_EPERM);
    assert_non_null(strstr(err.msg, "nonce"));
    c = good_claims();
    json_object_del(c, "nonce");
    assert_int_equal(verify(sign(rsa_key, "RS256", "r1", c), &err), KN_EPERM);
    /* The issuer exactly: a trailing '/' is another issuer. */
    c = good_claims();
    json_object_set_new(c, "iss", json_string(ISS "/"));
    assert_int_equal(verify(sign(rsa_key, "RS256", "r1", c), &err), KN_EPERM);
    assert_non_null(strstr(err.msg, "issuer"));
}

/* The mapping used below: HSA-id names the user, "knodroll" the role. */
static void mapping(struct config_oidc *cfg)
{
    struct kn_error err = KN_ERROR_INIT;
    config_oidc_defaults(cfg);
    assert_int_equal(config_oidc_set(cfg, "", "issuer", ISS, &err), 0);
    assert_int_equal(config_oidc_set(cfg, "", "client_id", CLIENT, &err), 0);
    assert_int_equal(config_oidc_set(cfg, "", "client_secret", "s3cret", &err), 0);
    assert_int_equal(config_oidc_set(cfg, "", "redirect_uri",
                                     "https://knod.example.se/login/oidc/callback", &err), 0);
    assert_int_equal(config_oidc_set(cfg, "", "claim_user", "hsa_id", &err), 0);
    assert_int_equal(config_oidc_set(cfg, "", "claim_role", "knodroll", &err), 0);
    assert_int_equal(config_oidc_set(cfg, "", "claim_region", "region", &err), 0);
    assert_int_equal(config_oidc_set(cfg, "", "claim_unit", "unit", &err), 0);
    assert_int_equal(config_oidc_set(cfg, "", "role_map",
                                     "KNOD-SAMORD=coordinator KNOD-REG=registrar", &err), 0);
    assert_int_equal(config_oidc_check(cfg, &err), 0);
}

static int map(const struct config_oidc *cfg, json_t *claims, struct oidc_identity *id,
               struct arena *a, struct kn_error *err)
{
    kn_error_clear(err);
    int rc = access_oidc_map(cfg, claims, id, a, err);
    json_decref(claims);
    return rc;
}

static void test_claim_mapping(void **state)
{
    (void)state;
    struct config_oidc cfg;
    struct oidc_identity id;
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    arena_init(&a);
    mapping(&cfg);
    /* A coordinator of region 12; the HSA-id lower-cased is the name. */
    assert_int_equal(map(&cfg, json_pack("{s:s,s:s,s:s}", "hsa_id", "SE2321000016-A1B2",
                                         "knodroll", "KNOD-SAMORD", "region", "12"),
                         &id, &a, &err), 0);
    assert_string_equal(id.user, "se2321000016-a1b2");
    assert_int_equal(id.role, ROLE_COORDINATOR);
    assert_int_equal(id.scope, SCOPE_REGION);
    assert_string_equal(id.scope_code, "12");
    /* A registrar with a unit gets the unit, without one the region. */
    assert_int_equal(map(&cfg, json_pack("{s:s,s:[s,s],s:s,s:s}", "hsa_id", "x1", "knodroll",
                                         "OTHER", "KNOD-REG", "region", "12", "unit",
                                         "NHV-SKANE"), &id, &a, &err), 0);
    assert_int_equal(id.role, ROLE_REGISTRAR);
    assert_int_equal(id.scope, SCOPE_UNIT);
    assert_string_equal(id.scope_code, "NHV-SKANE");
    /* Never a role the map does not name, nor a default one. */
    assert_int_equal(map(&cfg, json_pack("{s:s,s:s,s:s}", "hsa_id", "x1", "knodroll", "admin",
                                         "region", "12"), &id, &a, &err), KN_EPERM);
    assert_int_equal(map(&cfg, json_pack("{s:s,s:s}", "hsa_id", "x1", "region", "12"), &id, &a,
                         &err), KN_EPERM);
    /* Two mapped roles at once leave the choice to knod: refused. */
    assert_int_equal(map(&cfg, json_pack("{s:s,s:[s,s],s:s}", "hsa_id", "x1", "knodroll",
                                         "KNOD-SAMORD", "KNOD-REG", "region", "12"),
                         &id, &a, &err), KN_EPERM);
    assert_non_null(strstr(err.msg, "several"));
    /* A coordinator without a region claim is refused. */
    assert_int_equal(map(&cfg, json_pack("{s:s,s:s}", "hsa_id", "x1", "knodroll",
                                         "KNOD-SAMORD"), &id, &a, &err), KN_EPERM);
    assert_non_null(strstr(err.msg, "'region'"));
    /* A personnummer as the user claim is refused and not quoted. */
    assert_int_equal(map(&cfg, json_pack("{s:s,s:s,s:s}", "hsa_id", "19121212-1212",
                                         "knodroll", "KNOD-SAMORD", "region", "12"),
                         &id, &a, &err), KN_EPERM);
    assert_null(strstr(err.msg, "1212"));
    /* Without claim_role only the user name is mapped. */
    struct config_oidc plain;
    config_oidc_defaults(&plain);
    assert_int_equal(map(&plain, json_pack("{s:s}", "sub", "Anna.Berg"), &id, &a, &err), 0);
    assert_string_equal(id.user, "anna.berg");
    assert_false(id.has_role);
    assert_int_equal(map(&plain, json_pack("{s:s}", "sub", "a b"), &id, &a, &err), KN_EPERM);
    arena_release(&a);
}

static struct store *open_store(const char *name)
{
    char path[256];
    struct store *s;
    struct store_options opt = {STORE_CREATE, 0};
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    struct geo g;
    tu_path(path, sizeof path, name);
    if (store_open(path, &opt, &s, &err) != 0)
        fail_msg("store_open: %s", err.msg);
    arena_init(&a);
    if (geo_load(&g, &a, &err) != 0 || reg_geo_install(s, &g, &err) != 0)
        fail_msg("geography: %s", err.msg);
    arena_release(&a);
    return s;
}

static void test_knod_user(void **state)
{
    (void)state;
    struct config_oidc cfg;
    struct oidc_identity id = { "anna", true, ROLE_COORDINATOR, SCOPE_REGION, "12" };
    struct access_user u;
    struct audit_key ak;
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    arena_init(&a);
    memset(&ak, 7, sizeof ak);
    mapping(&cfg);
    struct store *st = open_store("oidc_user.db");
    kn_time now = 1000;

    /* Unknown user, create_users off: refused, nothing created. */
    assert_int_equal(access_oidc_user(st, &ak, &cfg, &id, now, &u, &a, &err), KN_EPERM);
    assert_non_null(strstr(err.msg, "no knod user 'anna'"));
    assert_int_equal(access_user_get(st, "anna", &u, &a, &err), KN_ENOTFOUND);
    /* create_users on: made with the mapped role, no password. */
    cfg.create_users = true;
    assert_int_equal(access_oidc_user(st, &ak, &cfg, &id, now, &u, &a, &err), 0);
    assert_int_equal(u.role, ROLE_COORDINATOR);
    assert_string_equal(u.scope_code, "12");
    assert_false(u.has_password);
    /* The provider moves her to region 03: the stored scope follows. */
    id.scope_code = "03";
    assert_int_equal(access_oidc_user(st, &ak, &cfg, &id, now, &u, &a, &err), 0);
    assert_string_equal(u.scope_code, "03");
    /* A region the store does not know is refused. */
    id.scope_code = "99";
    assert_int_equal(access_oidc_user(st, &ak, &cfg, &id, now, &u, &a, &err), KN_EINPUT);
    /* A disabled account stays out. */
    id.scope_code = "03";
    assert_int_equal(access_user_set_disabled(st, "anna", true, &err), 0);
    assert_int_equal(access_oidc_user(st, &ak, &cfg, &id, now, &u, &a, &err), KN_EPERM);
    assert_non_null(strstr(err.msg, "disabled"));
    /* Both changes were audited by "oidc". */
    struct audit_entry *e;
    size_t n = 0;
    assert_int_equal(access_audit_list(st, 0, "oidc", NULL, &e, &n, &a, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(e[0].action, "user-add");
    assert_string_equal(e[1].action, "user-role");
    store_close(st);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_tokens),
        cmocka_unit_test(test_wrong_audience),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_bad_signature),
        cmocka_unit_test(test_nonce_and_issuer),
        cmocka_unit_test(test_claim_mapping),
        cmocka_unit_test(test_knod_user),
    };
    return cmocka_run_group_tests(tests, keys_setup, keys_teardown);
}
