/* src/base/config_oidc.h: knod.ini's [oidc] section, sign-in through the
 * region's OpenID Connect provider (docs/access.md).
 *
 * The section is optional: without `issuer` OpenID Connect is off and the
 * portal offers local accounts only. With it, client_id and redirect_uri
 * are required, and so is the client's secret (client_secret, or better
 * client_secret_file, a file of mode 0600 whose first line is the secret;
 * relative to the knod directory, or $CREDENTIALS_DIRECTORY/oidc-secret
 * when neither is set and that variable is). config.c hands every
 * `name = value` of [oidc] to config_oidc_set() and calls
 * config_oidc_check() after the whole file; both name the key in their
 * message and config.c adds the file and line.
 *
 * The claim mapping (which ID-token claim names the user, gives the role,
 * the region and the unit) is explained in docs/access.md; role_map lists
 * the only claim values that give a role, so a provider can never hand out
 * a role that the mapping does not name.
 */
#ifndef KNOD_BASE_CONFIG_OIDC_H
#define KNOD_BASE_CONFIG_OIDC_H

#include <limits.h>
#include <stdbool.h>

#include "base/error.h"

#define CONFIG_OIDC_URL   512
#define CONFIG_OIDC_NAME  128
#define CONFIG_OIDC_SKEW  60   /* default clock skew, seconds */

enum config_oidc_auth { OIDC_AUTH_BASIC = 0, OIDC_AUTH_POST };

struct config_oidc {
    bool on;                              /* issuer is set */
    char issuer[CONFIG_OIDC_URL];         /* exactly as the provider says it */
    char client_id[CONFIG_OIDC_NAME];
    char client_secret[CONFIG_OIDC_NAME]; /* from knod.ini; "" when a file */
    char client_secret_file[PATH_MAX];    /* resolved; "" when inline */
    enum config_oidc_auth token_auth;     /* client_secret_basic or _post */
    char redirect_uri[CONFIG_OIDC_URL];   /* .../login/oidc/callback */
    char scopes[CONFIG_OIDC_URL];         /* space-separated, has "openid" */
    char claim_user[CONFIG_OIDC_NAME];    /* default "sub" */
    char claim_role[CONFIG_OIDC_NAME];    /* "" : the role stored in knod */
    char claim_region[CONFIG_OIDC_NAME];  /* "" : none */
    char claim_unit[CONFIG_OIDC_NAME];    /* "" : none */
    char role_map[CONFIG_OIDC_URL];       /* "VALUE=role VALUE=role ..." */
    bool create_users;                    /* default false */
    int skew_s;                           /* clock skew allowed, seconds */
    unsigned seen;                        /* bit per key given (repeats) */
};

/* The defaults: off, basic auth, scopes "openid", claim_user "sub",
 * skew CONFIG_OIDC_SKEW. */
void config_oidc_defaults(struct config_oidc *o);

/* One `name = value` of [oidc]; dir resolves client_secret_file.
 * KN_EINPUT "unknown setting 'x' in section [oidc]", "setting 'x' in
 * [oidc] is repeated" or "... has a bad value"; the secret is never
 * quoted. */
int config_oidc_set(struct config_oidc *o, const char *dir, const char *name,
                    const char *value, struct kn_error *err);

/* After the file: the settings that must go together. KN_EINPUT naming
 * the missing or conflicting key. */
int config_oidc_check(struct config_oidc *o, struct kn_error *err);

/* Is url http(s), and http only on a loopback host (127.0.0.1, [::1],
 * localhost)? The provider's URLs must be https anywhere else. */
bool config_oidc_url_ok(const char *url);

#endif /* KNOD_BASE_CONFIG_OIDC_H */
