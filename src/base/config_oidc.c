/* src/base/config_oidc.c: reading knod.ini's [oidc] section. */
#include "base/config_oidc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum oidc_key {
    K_ISSUER, K_CLIENT_ID, K_CLIENT_SECRET, K_CLIENT_SECRET_FILE, K_TOKEN_AUTH,
    K_REDIRECT_URI, K_SCOPES, K_CLAIM_USER, K_CLAIM_ROLE, K_CLAIM_REGION, K_CLAIM_UNIT,
    K_ROLE_MAP, K_CREATE_USERS, K_SKEW, K_COUNT
};

static const char *const key_names[K_COUNT] = {
    [K_ISSUER] = "issuer", [K_CLIENT_ID] = "client_id",
    [K_CLIENT_SECRET] = "client_secret", [K_CLIENT_SECRET_FILE] = "client_secret_file",
    [K_TOKEN_AUTH] = "token_auth", [K_REDIRECT_URI] = "redirect_uri",
    [K_SCOPES] = "scopes", [K_CLAIM_USER] = "claim_user", [K_CLAIM_ROLE] = "claim_role",
    [K_CLAIM_REGION] = "claim_region", [K_CLAIM_UNIT] = "claim_unit",
    [K_ROLE_MAP] = "role_map", [K_CREATE_USERS] = "create_users", [K_SKEW] = "skew_s",
};

void config_oidc_defaults(struct config_oidc *o)
{
    memset(o, 0, sizeof *o);
    o->token_auth = OIDC_AUTH_BASIC;
    snprintf(o->scopes, sizeof o->scopes, "openid");
    snprintf(o->claim_user, sizeof o->claim_user, "sub");
    o->skew_s = CONFIG_OIDC_SKEW;
}

static bool loopback_host(const char *h, size_t n)
{
    return (n == 9 && memcmp(h, "127.0.0.1", 9) == 0) || (n == 5 && memcmp(h, "[::1]", 5) == 0)
           || (n == 9 && memcmp(h, "localhost", 9) == 0);
}

bool config_oidc_url_ok(const char *url)
{
    const char *rest;
    bool https = strncmp(url, "https://", 8) == 0;
    if (https)
        rest = url + 8;
    else if (strncmp(url, "http://", 7) == 0)
        rest = url + 7;
    else
        return false;
    for (const char *p = url; *p != '\0'; p++)
        if (*p <= ' ' || *p > '~' || *p == '#')
            return false;
    size_t host = strcspn(rest, ":/?");
    if (host == 0)
        return false;
    if (rest[0] == '[')
        host = strcspn(rest, "]") + 1;
    return https || loopback_host(rest, host);
}

/* A printable ASCII value without spaces (unless spaces are allowed). */
static int copy_text(char *out, size_t cap, const char *v, bool spaces)
{
    size_t n = strlen(v);
    if (n == 0 || n >= cap)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (v[i] < ' ' || v[i] > '~' || (v[i] == ' ' && !spaces))
            return -1;
    memcpy(out, v, n + 1);
    return 0;
}

static int copy_url(char *out, size_t cap, const char *v)
{
    return config_oidc_url_ok(v) ? copy_text(out, cap, v, false) : -1;
}

int config_oidc_set(struct config_oidc *o, const char *dir, const char *name,
                    const char *value, struct kn_error *err)
{
    int k = 0;
    while (k < K_COUNT && strcmp(name, key_names[k]) != 0)
        k++;
    if (k == K_COUNT)
        return kn_fail(err, KN_EINPUT, "unknown setting '%s' in section [oidc]", name);
    if (o->seen & (1u << k))
        return kn_fail(err, KN_EINPUT, "setting '%s' in [oidc] is repeated", name);
    o->seen |= 1u << k;

    int bad = 0;
    switch ((enum oidc_key)k) {
    case K_ISSUER:
        bad = copy_url(o->issuer, sizeof o->issuer, value);
        o->on = bad == 0;
        break;
    case K_CLIENT_ID: bad = copy_text(o->client_id, sizeof o->client_id, value, false); break;
    case K_CLIENT_SECRET:
        if (copy_text(o->client_secret, sizeof o->client_secret, value, false) != 0)
            return kn_fail(err, KN_EINPUT, "setting 'client_secret' in [oidc] must be 1-%d "
                           "printable characters without spaces", CONFIG_OIDC_NAME - 1);
        break;
    case K_CLIENT_SECRET_FILE: {
        int n;
        if (value[0] == '/' || dir[0] == '\0' || strcmp(dir, ".") == 0)
            n = snprintf(o->client_secret_file, sizeof o->client_secret_file, "%s", value);
        else
            n = snprintf(o->client_secret_file, sizeof o->client_secret_file, "%s/%s", dir,
                         value);
        bad = value[0] == '\0' || n < 0 || (size_t)n >= sizeof o->client_secret_file;
        break;
    }
    case K_TOKEN_AUTH:
        if (strcmp(value, "client_secret_basic") == 0)
            o->token_auth = OIDC_AUTH_BASIC;
        else if (strcmp(value, "client_secret_post") == 0)
            o->token_auth = OIDC_AUTH_POST;
        else
            bad = 1;
        break;
    case K_REDIRECT_URI: bad = copy_url(o->redirect_uri, sizeof o->redirect_uri, value); break;
    case K_SCOPES: {
        bad = copy_text(o->scopes, sizeof o->scopes, value, true);
        /* "openid" must be one of the words, or there is no ID token. */
        bool openid = false;
        for (const char *p = o->scopes; !bad && *p != '\0';) {
            size_t n = strcspn(p, " ");
            openid = openid || (n == 6 && memcmp(p, "openid", 6) == 0);
            p += n + (p[n] == ' ');
        }
        bad = bad || !openid;
        break;
    }
    case K_CLAIM_USER: bad = copy_text(o->claim_user, sizeof o->claim_user, value, false); break;
    case K_CLAIM_ROLE: bad = copy_text(o->claim_role, sizeof o->claim_role, value, false); break;
    case K_CLAIM_REGION:
        bad = copy_text(o->claim_region, sizeof o->claim_region, value, false);
        break;
    case K_CLAIM_UNIT: bad = copy_text(o->claim_unit, sizeof o->claim_unit, value, false); break;
    case K_ROLE_MAP: {
        bad = copy_text(o->role_map, sizeof o->role_map, value, true);
        /* Every word is VALUE=ROLE; the roles are checked by the access
         * layer, which knows them. */
        for (const char *p = o->role_map; !bad && *p != '\0';) {
            size_t n = strcspn(p, " ");
            const char *eq = memchr(p, '=', n);
            bad = n > 0 && (eq == NULL || eq == p || eq == p + n - 1);
            p += n + (p[n] == ' ');
        }
        break;
    }
    case K_CREATE_USERS:
        if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0)
            o->create_users = true;
        else if (strcmp(value, "no") == 0 || strcmp(value, "false") == 0)
            o->create_users = false;
        else
            bad = 1;
        break;
    case K_SKEW: {
        char *end = NULL;
        long s = strtol(value, &end, 10);
        bad = end == value || *end != '\0' || s < 0 || s > 300;
        if (!bad)
            o->skew_s = (int)s;
        break;
    }
    case K_COUNT: break;
    }
    if (bad)
        return kn_fail(err, KN_EINPUT, "setting '%s' in [oidc] has a bad value '%s'%s", name,
                       value,
                       k == K_ISSUER || k == K_REDIRECT_URI
                           ? " (an https URL; http only on 127.0.0.1, [::1] or localhost)"
                       : k == K_SCOPES ? " (space-separated, with 'openid')"
                       : k == K_ROLE_MAP ? " (space-separated CLAIM-VALUE=ROLE)"
                       : k == K_SKEW ? " (0-300 seconds)" : "");
    return 0;
}

int config_oidc_check(struct config_oidc *o, struct kn_error *err)
{
    if (!o->on) {
        if (o->seen != 0)
            return kn_fail(err, KN_EINPUT, "section [oidc] needs 'issuer' (or remove the "
                           "section to sign in with local accounts only)");
        return 0;
    }
    if (o->client_id[0] == '\0')
        return kn_fail(err, KN_EINPUT, "section [oidc] needs 'client_id'");
    if (o->redirect_uri[0] == '\0')
        return kn_fail(err, KN_EINPUT, "section [oidc] needs 'redirect_uri'");
    if (o->client_secret[0] != '\0' && o->client_secret_file[0] != '\0')
        return kn_fail(err, KN_EINPUT, "section [oidc] has both 'client_secret' and "
                       "'client_secret_file'; keep one");
    if (o->client_secret[0] == '\0' && o->client_secret_file[0] == '\0') {
        const char *creds = getenv("CREDENTIALS_DIRECTORY");
        int n = -1;
        if (creds != NULL && creds[0] == '/')
            n = snprintf(o->client_secret_file, sizeof o->client_secret_file,
                         "%s/oidc-secret", creds);
        if (n < 0 || (size_t)n >= sizeof o->client_secret_file) {
            o->client_secret_file[0] = '\0';
            return kn_fail(err, KN_EINPUT, "section [oidc] needs 'client_secret_file' "
                           "(or 'client_secret')");
        }
    }
    if ((o->claim_role[0] == '\0') != (o->role_map[0] == '\0'))
        return kn_fail(err, KN_EINPUT, "section [oidc]: 'claim_role' and 'role_map' go "
                       "together");
    if (o->create_users && o->claim_role[0] == '\0')
        return kn_fail(err, KN_EINPUT, "section [oidc]: 'create_users = yes' needs "
                       "'claim_role' and 'role_map' (a new user needs a role)");
    return 0;
}
