/* src/access/access_oidc_verify.c: verifying an OpenID Connect ID token.
 *
 * The signature is cjose's (OpenSSL underneath); this file picks the key,
 * refuses algorithms knod does not accept and checks the claims of OpenID
 * Connect Core 1.0, section 3.1.3.7. A token is a few kB; nothing here is
 * hot.
 */
#include "access/access_oidc.h"

#include <string.h>

#include <cjose/cjose.h>

/* Asymmetric signatures only: "none" proves nothing, and a MAC (HS256)
 * would be keyed with the client secret, which knod does not accept as a
 * signing key. */
static const char *const accepted_algs[] = {
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
};

static bool alg_accepted(const char *alg, const json_t *algs)
{
    bool known = false;
    for (size_t i = 0; i < sizeof accepted_algs / sizeof accepted_algs[0]; i++)
        known = known || strcmp(alg, accepted_algs[i]) == 0;
    if (!known)
        return false;
    if (algs == NULL)
        return true;
    size_t i;
    const json_t *v;
    json_array_foreach(algs, i, v)
        if (json_is_string(v) && strcmp(json_string_value(v), alg) == 0)
            return true;
    return false;
}

/* The JWK type an alg needs: "RSA" or "EC". */
static const char *kty_for(const char *alg)
{
    return alg[0] == 'E' ? "EC" : "RSA";
}

/* The key of jwks for kid (or the only key of kty when kid is NULL), as
 * JSON; NULL when there is none. Keys for encryption are skipped. */
static json_t *find_key(const json_t *jwks, const char *kid, const char *kty, const char *alg,
                        int *candidates)
{
    const json_t *keys = json_object_get(jwks, "keys");
    json_t *found = NULL;
    size_t i;
    json_t *k;
    *candidates = 0;
    if (!json_is_array(keys))
        return NULL;
    json_array_foreach(keys, i, k) {
        const char *t = json_string_value(json_object_get(k, "kty"));
        const char *use = json_string_value(json_object_get(k, "use"));
        const char *kalg = json_string_value(json_object_get(k, "alg"));
        const char *kkid = json_string_value(json_object_get(k, "kid"));
        if (t == NULL || strcmp(t, kty) != 0 || (use != NULL && strcmp(use, "sig") != 0)
            || (kalg != NULL && strcmp(kalg, alg) != 0))
            continue;
        if (kid != NULL && (kkid == NULL || strcmp(kkid, kid) != 0))
            continue;
        (*candidates)++;
        found = k;
    }
    return found;
}

/* aud holds client_id; with several audiences (or an azp at all), azp is
 * client_id. */
static int check_audience(const json_t *c, const char *client_id, struct kn_error *err)
{
    const json_t *aud = json_object_get(c, "aud");
    const json_t *azp = json_object_get(c, "azp");
    bool has = false;
    size_t n = 1;
    if (json_is_string(aud)) {
        has = strcmp(json_string_value(aud), client_id) == 0;
    } else if (json_is_array(aud)) {
        size_t i;
        const json_t *v;
        n = json_array_size(aud);
        json_array_foreach(aud, i, v)
            has = has || (json_is_string(v) && strcmp(json_string_value(v), client_id) == 0);
    }
    if (!has)
        return kn_fail(err, KN_EPERM, "the ID token's audience ('aud') does not include "
                       "this client");
    if ((n > 1 || azp != NULL)
        && (!json_is_string(azp) || strcmp(json_string_value(azp), client_id) != 0))
        return kn_fail(err, KN_EPERM, "the ID token has several audiences and its "
                       "authorized party ('azp') is not this client");
    return 0;
}

/* The latest NumericDate taken: 9999-12-31T23:59:59Z. Times outside 0 ..
 * this are refused, so that the checks below cannot overflow. */
#define OIDC_TIME_MAX 253402300799LL

/* A NumericDate claim; required ones must be there. */
static int get_time(const json_t *c, const char *name, bool required, json_int_t *out,
                    bool *present, struct kn_error *err)
{
    const json_t *v = json_object_get(c, name);
    *present = v != NULL;
    if (v == NULL)
        return required ? kn_fail(err, KN_EPERM, "the ID token has no '%s'", name) : 0;
    if (json_is_integer(v) && json_integer_value(v) >= 0 &&
        json_integer_value(v) <= OIDC_TIME_MAX)
        *out = json_integer_value(v);
    else if (json_is_real(v) && json_real_value(v) >= 0 &&
             json_real_value(v) <= (double)OIDC_TIME_MAX)
        *out = (json_int_t)json_real_value(v);
    else
        return kn_fail(err, KN_EPERM, "the ID token's '%s' is not a time", name);
    return 0;
}

static int check_claims(const json_t *c, const struct oidc_expect *exp, struct kn_error *err)
{
    const char *iss = json_string_value(json_object_get(c, "iss"));
    if (iss == NULL || strcmp(iss, exp->issuer) != 0)
        return kn_fail(err, KN_EPERM, "the ID token's issuer ('iss') is not the configured "
                       "issuer");
    if (!json_is_string(json_object_get(c, "sub")))
        return kn_fail(err, KN_EPERM, "the ID token has no subject ('sub')");
    if (check_audience(c, exp->client_id, err) != 0)
        return err->code;

    json_int_t t_exp = 0, t_iat = 0, t_nbf = 0;
    bool p;
    if (get_time(c, "exp", true, &t_exp, &p, err) != 0)
        return err->code;
    if (t_exp + exp->skew_s <= exp->now_unix)
        return kn_fail(err, KN_EPERM, "the ID token has expired ('exp' is %lld s ago)",
                       (long long)(exp->now_unix - t_exp));
    if (get_time(c, "iat", true, &t_iat, &p, err) != 0)
        return err->code;
    if (t_iat > exp->now_unix + exp->skew_s)
        return kn_fail(err, KN_EPERM, "the ID token was issued in the future ('iat')");
    if (get_time(c, "nbf", false, &t_nbf, &p, err) != 0)
        return err->code;
    if (p && t_nbf > exp->now_unix + exp->skew_s)
        return kn_fail(err, KN_EPERM, "the ID token is not valid yet ('nbf')");

    const char *nonce = json_string_value(json_object_get(c, "nonce"));
    if (nonce == NULL || exp->nonce == NULL || strcmp(nonce, exp->nonce) != 0)
        return kn_fail(err, KN_EPERM, "the ID token's 'nonce' is not this sign-in's");
    return 0;
}

int access_oidc_verify(const char *token, size_t len, const json_t *jwks,
                       const struct oidc_expect *exp, json_t **claims,
                       struct kn_error *err)
{
    cjose_err cerr;
    cjose_jwk_t *jwk = NULL;
    uint8_t *plain = NULL;
    size_t plain_len = 0;
    json_t *c = NULL;
    int rc = 0;

    *claims = NULL;
    cjose_jws_t *jws = cjose_jws_import(token, len, &cerr);
    if (jws == NULL)
        return kn_fail(err, KN_EINPUT, "the ID token is not a signed JWT (compact JWS)");

    json_t *hdr = (json_t *)cjose_jws_get_protected(jws);
    const char *alg = json_string_value(json_object_get(hdr, "alg"));
    const char *kid = json_string_value(json_object_get(hdr, "kid"));
    if (alg == NULL || !alg_accepted(alg, exp->algs)) {
        rc = kn_fail(err, KN_EPERM, "the ID token's signature algorithm '%.16s' is not "
                     "accepted", alg ? alg : "");
        goto out;
    }
    int candidates = 0;
    json_t *key = find_key(jwks, kid, kty_for(alg), alg, &candidates);
    if (key == NULL || (kid == NULL && candidates != 1)) {
        rc = kn_fail(err, KN_ENOTFOUND, kid ? "no key of the provider's key set has the ID "
                     "token's key id ('kid')" : "the ID token names no key ('kid') and the "
                     "provider's key set has not exactly one key for it");
        goto out;
    }
    jwk = cjose_jwk_import_json((cjose_header_t *)key, &cerr);
    if (jwk == NULL) {
        rc = kn_fail(err, KN_EPERM, "the provider's key for the ID token cannot be read: %s",
                     cerr.message);
        goto out;
    }
    if (!cjose_jws_verify(jws, jwk, &cerr)) {
        rc = kn_fail(err, KN_EPERM, "the ID token's signature does not verify against the "
                     "provider's key");
        goto out;
    }
    if (!cjose_jws_get_plaintext(jws, &plain, &plain_len, &cerr)) {
        rc = kn_fail(err, KN_EPERM, "the ID token has no payload");
        goto out;
    }
    c = json_loadb((const char *)plain, plain_len, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(c)) {
        rc = kn_fail(err, KN_EPERM, "the ID token's payload is not a JSON object");
        goto out;
    }
    rc = check_claims(c, exp, err);
out:
    if (rc == 0) {
        *claims = c;
        c = NULL;
    }
    json_decref(c);
    cjose_jwk_release(jwk);
    cjose_jws_release(jws);
    return rc;
}
