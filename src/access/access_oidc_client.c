/* src/access/access_oidc_client.c: the OpenID Connect client: discovery,
 * the key set, sign-in attempts, the authorization request and the token
 * exchange (access_oidc.h). One client per portal, shared by its threads;
 * a handful of sign-ins a minute, so one mutex over everything is enough
 * (the provider's answers are awaited under it: at most
 * OIDC_HTTP_TIMEOUT_S). */
#include "access/access_oidc.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "access/access_oidc_http.h"
#include "domain/pnr_shape.h"

struct attempt {
    char state[OIDC_RANDOM_CHARS + 1];   /* "" : free slot */
    char nonce[OIDC_RANDOM_CHARS + 1];
    char verifier[OIDC_RANDOM_CHARS + 1];
    char next[OIDC_NEXT_MAX];
    int64_t started;
};

struct access_oidc {
    const struct config_oidc *cfg;
    char secret[CONFIG_OIDC_NAME];
    pthread_mutex_t lock;
    json_t *disc;           /* discovery document, NULL until fetched */
    json_t *jwks;           /* the key set, NULL until fetched */
    int64_t jwks_at;        /* when the key set was fetched (Unix s) */
    struct attempt attempts[OIDC_ATTEMPTS_MAX];
};

static int read_secret(const char *path, char *out, size_t cap, struct kn_error *err)
{
    struct stat sb;
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return kn_fail(err, KN_EIO, "cannot read the client secret file '%s': %s", path,
                       strerror(errno));
    if (fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077) != 0) {
        fclose(f);
        return kn_fail(err, KN_EPERM, "the client secret file '%s' is readable by others "
                       "(chmod 600 it)", path);
    }
    char line[CONFIG_OIDC_NAME + 2];
    bool ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    size_t n = ok ? strcspn(line, "\r\n") : 0;
    if (n == 0 || n >= cap) {
        sodium_memzero(line, sizeof line);
        return kn_fail(err, KN_EINPUT, "the client secret file '%s' must hold the secret "
                       "(1-%zu characters) on its first line", path, cap - 1);
    }
    memcpy(out, line, n);
    out[n] = '\0';
    sodium_memzero(line, sizeof line);
    return 0;
}

int access_oidc_new(const struct config_oidc *cfg, struct access_oidc **out,
                    struct kn_error *err)
{
    *out = NULL;
    if (!cfg->on)
        return kn_fail(err, KN_EINPUT, "OpenID Connect is not configured ([oidc] issuer)");
    if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return kn_fail(err, KN_ENOMEM, "cannot start libsodium or libcurl");
    struct access_oidc *o = calloc(1, sizeof *o);
    if (o == NULL)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    o->cfg = cfg;
    if (cfg->client_secret[0] != '\0')
        memcpy(o->secret, cfg->client_secret, strlen(cfg->client_secret) + 1);
    else if (read_secret(cfg->client_secret_file, o->secret, sizeof o->secret, err) != 0) {
        free(o);
        return err->code;
    }
    pthread_mutex_init(&o->lock, NULL);
    *out = o;
    return 0;
}

void access_oidc_free(struct access_oidc *o)
{
    if (o == NULL)
        return;
    json_decref(o->disc);
    json_decref(o->jwks);
    pthread_mutex_destroy(&o->lock);
    sodium_memzero(o, sizeof *o);
    free(o);
}

/* A URL member of the discovery document, fit to call. */
static const char *endpoint(const json_t *disc, const char *name, struct kn_error *err)
{
    const char *u = json_string_value(json_object_get(disc, name));
    if (u == NULL || !config_oidc_url_ok(u)) {
        kn_fail(err, KN_EINPUT, "the provider's discovery document has no usable '%s' "
                "(an https URL; http only on loopback)", name);
        return NULL;
    }
    return u;
}

static int fetch_jwks(struct access_oidc *o, int64_t now_unix, struct kn_error *err)
{
    json_t *j = NULL;
    const char *uri = endpoint(o->disc, "jwks_uri", err);
    if (uri == NULL)
        return err->code;
    if (oidc_http_get_json(uri, &j, err) != 0)
        return kn_error_prefix(err, "the provider's key set: ");
    if (!json_is_array(json_object_get(j, "keys"))) {
        json_decref(j);
        return kn_fail(err, KN_EIO, "the provider's key set has no 'keys' array");
    }
    json_decref(o->jwks);
    o->jwks = j;
    o->jwks_at = now_unix;
    return 0;
}

/* Discovery and the key set, under the lock. */
static int discover_locked(struct access_oidc *o, int64_t now_unix, struct kn_error *err)
{
    char url[CONFIG_OIDC_URL + 64];
    json_t *d = NULL;
    if (o->disc != NULL) {
        if (now_unix - o->jwks_at > OIDC_JWKS_MAX_AGE_S)
            return fetch_jwks(o, now_unix, err);
        return 0;
    }
    size_t n = strlen(o->cfg->issuer);
    if (n > 0 && o->cfg->issuer[n - 1] == '/')
        n--;
    snprintf(url, sizeof url, "%.*s/.well-known/openid-configuration", (int)n,
             o->cfg->issuer);
    if (oidc_http_get_json(url, &d, err) != 0)
        return kn_error_prefix(err, "OpenID discovery: ");
    /* OpenID Connect Discovery 1.0, 4.3: the issuer must be exactly ours,
     * or a document from elsewhere could name its own keys. */
    const char *iss = json_string_value(json_object_get(d, "issuer"));
    if (iss == NULL || strcmp(iss, o->cfg->issuer) != 0) {
        kn_fail(err, KN_EINPUT, "OpenID discovery: the provider says its issuer is "
                "'%.200s', not '%s' as [oidc] issuer says", iss ? iss : "", o->cfg->issuer);
        json_decref(d);
        return err->code;
    }
    if (endpoint(d, "authorization_endpoint", err) == NULL
        || endpoint(d, "token_endpoint", err) == NULL || endpoint(d, "jwks_uri", err) == NULL) {
        json_decref(d);
        return kn_error_prefix(err, "OpenID discovery: ");
    }
    const json_t *pkce = json_object_get(d, "code_challenge_methods_supported");
    if (pkce != NULL) {
        bool s256 = false;
        size_t i;
        const json_t *v;
        json_array_foreach(pkce, i, v)
            s256 = s256 || (json_is_string(v) && strcmp(json_string_value(v), "S256") == 0);
        if (!s256) {
            json_decref(d);
            return kn_fail(err, KN_EINPUT, "OpenID discovery: the provider does not offer "
                           "PKCE with S256");
        }
    }
    o->disc = d;
    int rc = fetch_jwks(o, now_unix, err);
    if (rc != 0) {
        json_decref(o->disc);
        o->disc = NULL;
    }
    return rc;
}

int access_oidc_discover(struct access_oidc *o, struct kn_error *err)
{
    pthread_mutex_lock(&o->lock);
    json_decref(o->disc);
    o->disc = NULL;
    int rc = discover_locked(o, (int64_t)time(NULL), err);
    pthread_mutex_unlock(&o->lock);
    return rc;
}

static void random_text(char out[OIDC_RANDOM_CHARS + 1])
{
    unsigned char r[32];
    randombytes_buf(r, sizeof r);
    sodium_bin2base64(out, OIDC_RANDOM_CHARS + 1, r, sizeof r,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(r, sizeof r);
}

/* A slot for a new attempt: a free or expired one, else the oldest. */
static struct attempt *new_attempt(struct access_oidc *o, int64_t now_unix)
{
    struct attempt *oldest = &o->attempts[0];
    for (size_t i = 0; i < OIDC_ATTEMPTS_MAX; i++) {
        struct attempt *t = &o->attempts[i];
        if (t->state[0] == '\0' || now_unix - t->started > OIDC_ATTEMPT_TTL)
            return t;
        if (t->started < oldest->started)
            oldest = t;
    }
    return oldest;
}

/* base + name=value, the value percent-encoded; in a. */
static char *url_param(struct arena *a, const char *base, const char *name, const char *value)
{
    char *esc = curl_easy_escape(NULL, value, 0);
    if (esc == NULL)
        return NULL;
    char *r = arena_printf(a, "%s%s=%s", base, name, esc);
    curl_free(esc);
    return r;
}

int access_oidc_begin(struct access_oidc *o, const char *next, int64_t now_unix,
                      struct arena *a, char **url, char state[OIDC_RANDOM_CHARS + 1],
                      struct kn_error *err)
{
    const struct config_oidc *cfg = o->cfg;
    unsigned char digest[crypto_hash_sha256_BYTES];
    char challenge[OIDC_RANDOM_CHARS + 1];
    int rc;

    *url = NULL;
    pthread_mutex_lock(&o->lock);
    rc = discover_locked(o, now_unix, err);
    if (rc != 0)
        goto out;
    struct attempt *t = new_attempt(o, now_unix);
    memset(t, 0, sizeof *t);
    random_text(t->state);
    random_text(t->nonce);
    random_text(t->verifier);
    t->started = now_unix;
    /* Only a local path: "/x", never "//host", "/\\host" or a scheme, and
     * only path characters (it goes into a Location header). */
    bool local = next != NULL && next[0] == '/' && next[1] != '/' && next[1] != '\\'
                 && strlen(next) < sizeof t->next;
    for (const char *p = next; local && *p != '\0'; p++)
        local = *p > ' ' && *p < 127 && *p != '\\' && *p != '"';
    snprintf(t->next, sizeof t->next, "%s", local ? next : "/");
    crypto_hash_sha256(digest, (const unsigned char *)t->verifier, strlen(t->verifier));
    sodium_bin2base64(challenge, sizeof challenge, digest, sizeof digest,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);

    const char *auth = json_string_value(json_object_get(o->disc, "authorization_endpoint"));
    char *u = arena_printf(a, "%s%c", auth, strchr(auth, '?') ? '&' : '?');
    u = u ? url_param(a, u, "response_type", "code") : NULL;
    u = u ? url_param(a, u, "&client_id", cfg->client_id) : NULL;
    u = u ? url_param(a, u, "&redirect_uri", cfg->redirect_uri) : NULL;
    u = u ? url_param(a, u, "&scope", cfg->scopes) : NULL;
    u = u ? url_param(a, u, "&state", t->state) : NULL;
    u = u ? url_param(a, u, "&nonce", t->nonce) : NULL;
    u = u ? url_param(a, u, "&code_challenge", challenge) : NULL;
    u = u ? url_param(a, u, "&code_challenge_method", "S256") : NULL;
    if (u == NULL) {
        memset(t, 0, sizeof *t);
        rc = kn_fail(err, KN_ENOMEM, "out of memory");
        goto out;
    }
    memcpy(state, t->state, sizeof t->state);
    *url = u;
out:
    pthread_mutex_unlock(&o->lock);
    return rc;
}

/* Take the attempt of state (it can be used once): 0, or KN_EPERM. */
static int take_attempt(struct access_oidc *o, const char *state, int64_t now_unix,
                        struct attempt *out, struct kn_error *err)
{
    size_t n = state ? strlen(state) : 0;
    for (size_t i = 0; n == OIDC_RANDOM_CHARS && i < OIDC_ATTEMPTS_MAX; i++) {
        struct attempt *t = &o->attempts[i];
        if (t->state[0] == '\0' || sodium_memcmp(t->state, state, OIDC_RANDOM_CHARS) != 0)
            continue;
        *out = *t;
        sodium_memzero(t, sizeof *t);
        if (now_unix - out->started > OIDC_ATTEMPT_TTL)
            return kn_fail(err, KN_EPERM, "the sign-in attempt has expired (it may take %d "
                           "minutes)", OIDC_ATTEMPT_TTL / 60);
        return 0;
    }
    return kn_fail(err, KN_EPERM, "the sign-in attempt is unknown ('state' does not match "
                   "one this portal started, or it was used already)");
}

/* The form body of the token request, and the Basic credentials for
 * client_secret_basic (RFC 6749 2.3.1: each part form-encoded first). */
static int token_request(const struct access_oidc *o, const struct attempt *t,
                         const char *code, struct arena *a, char **body, char **basic,
                         struct kn_error *err)
{
    const struct config_oidc *cfg = o->cfg;
    char *b = url_param(a, "", "grant_type", "authorization_code");
    b = b ? url_param(a, b, "&code", code) : NULL;
    b = b ? url_param(a, b, "&redirect_uri", cfg->redirect_uri) : NULL;
    b = b ? url_param(a, b, "&code_verifier", t->verifier) : NULL;
    b = b ? url_param(a, b, "&client_id", cfg->client_id) : NULL;
    *basic = NULL;
    if (b != NULL && cfg->token_auth == OIDC_AUTH_POST)
        b = url_param(a, b, "&client_secret", o->secret);
    if (b != NULL && cfg->token_auth == OIDC_AUTH_BASIC) {
        char *id = curl_easy_escape(NULL, cfg->client_id, 0);
        char *sec = curl_easy_escape(NULL, o->secret, 0);
        char *pair = id && sec ? arena_printf(a, "%s:%s", id, sec) : NULL;
        curl_free(id);
        if (sec != NULL) {
            sodium_memzero(sec, strlen(sec));
            curl_free(sec);
        }
        size_t cap = pair ? sodium_base64_encoded_len(strlen(pair),
                                                      sodium_base64_VARIANT_ORIGINAL) : 0;
        *basic = pair ? arena_alloc(a, cap) : NULL;
        if (*basic != NULL)
            sodium_bin2base64(*basic, cap, (const unsigned char *)pair, strlen(pair),
                              sodium_base64_VARIANT_ORIGINAL);
        if (pair != NULL)
            sodium_memzero(pair, strlen(pair));
        if (*basic == NULL)
            b = NULL;
    }
    *body = b;
    return b == NULL ? kn_fail(err, KN_ENOMEM, "out of memory") : 0;
}

/* Exchange the code and verify the ID token; under the lock. */
static int exchange(struct access_oidc *o, const struct attempt *t, const char *code,
                    int64_t now_unix, json_t **claims, struct arena *a, struct kn_error *err)
{
    char *body = NULL, *basic = NULL;
    json_t *tok = NULL;
    int rc = discover_locked(o, now_unix, err);
    if (rc != 0)
        return rc;
    if (code == NULL || code[0] == '\0' || strlen(code) > 2048)
        return kn_fail(err, KN_EPERM, "the provider sent no authorization 'code'");
    if (token_request(o, t, code, a, &body, &basic, err) != 0)
        return err->code;
    const char *url = json_string_value(json_object_get(o->disc, "token_endpoint"));
    rc = oidc_http_post_form(url, body, basic, &tok, err);
    sodium_memzero(body, strlen(body));
    if (basic != NULL)
        sodium_memzero(basic, strlen(basic));
    if (rc != 0)
        return kn_error_prefix(err, "the token request: ");
    const char *idt = json_string_value(json_object_get(tok, "id_token"));
    if (idt == NULL) {
        json_decref(tok);
        return kn_fail(err, KN_EPERM, "the token answer has no 'id_token'");
    }
    struct oidc_expect exp = {
        .issuer = o->cfg->issuer, .client_id = o->cfg->client_id, .nonce = t->nonce,
        .algs = json_object_get(o->disc, "id_token_signing_alg_values_supported"),
        .now_unix = now_unix, .skew_s = o->cfg->skew_s,
    };
    rc = access_oidc_verify(idt, strlen(idt), o->jwks, &exp, claims, err);
    /* A key the provider rolled in since the key set was fetched: fetch
     * it again, but not more often than OIDC_JWKS_REFETCH_S. */
    if (rc == KN_ENOTFOUND && now_unix - o->jwks_at >= OIDC_JWKS_REFETCH_S) {
        rc = fetch_jwks(o, now_unix, err);
        if (rc == 0)
            rc = access_oidc_verify(idt, strlen(idt), o->jwks, &exp, claims, err);
    }
    if (rc == KN_ENOTFOUND)
        rc = KN_EPERM;
    json_decref(tok);
    return rc;
}

/* "signin-failed" by "anonymous" about who (the claimed user, or ""),
 * detail "oidc: " and the reason (which never holds a token). */
static void audit_failure(struct store *st, const struct audit_key *ak, kn_time now,
                          const char *who, const char *reason)
{
    struct kn_error e2 = KN_ERROR_INIT;
    char detail[KN_ERROR_MAX + 8], safe[KN_ERROR_MAX + 8];
    snprintf(detail, sizeof detail, "oidc: %s", reason);
    pnr_mask_copy(detail, strlen(detail), safe, sizeof safe);
    /* A failure to audit a failed sign-in leaves the sign-in failed. */
    (void)access_audit_add(st, ak, now, "anonymous", "signin-failed", who, "", safe, &e2);
}

int access_oidc_signin(struct access_oidc *o, struct store *st, const struct audit_key *ak,
                       const char *state, const char *code, const char *cookie_state,
                       int64_t now_unix, kn_time now, struct access_user *out,
                       const char **next, struct arena *a, struct kn_error *err)
{
    struct attempt t = { 0 };
    json_t *claims = NULL;
    struct oidc_identity id = { 0 };
    int rc;

    *next = "/";
    pthread_mutex_lock(&o->lock);
    /* The browser's cookie first, so that a callback tried elsewhere
     * leaves the attempt to the browser that started it. */
    if (state == NULL || cookie_state == NULL || strlen(cookie_state) != OIDC_RANDOM_CHARS
        || strlen(state) != OIDC_RANDOM_CHARS
        || sodium_memcmp(cookie_state, state, OIDC_RANDOM_CHARS) != 0)
        rc = kn_fail(err, KN_EPERM, "the sign-in came back with another 'state' than this "
                     "browser's (the state cookie does not match)");
    else
        rc = take_attempt(o, state, now_unix, &t, err);
    if (rc == 0)
        rc = exchange(o, &t, code, now_unix, &claims, a, err);
    pthread_mutex_unlock(&o->lock);
    if (rc == 0)
        rc = access_oidc_map(o->cfg, claims, &id, a, err);
    if (rc == 0)
        rc = access_oidc_user(st, ak, o->cfg, &id, now, out, a, err);
    json_decref(claims);
    if (rc != 0)
        audit_failure(st, ak, now, id.user ? id.user : "", err->msg);
    else
        *next = arena_strdup(a, t.next);
    sodium_memzero(&t, sizeof t);
    return rc;
}
