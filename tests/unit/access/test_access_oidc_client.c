/* tests/unit/access/test_access_oidc_client.c: src/access/
 * access_oidc_client.c against a provider made here: libmicrohttpd on
 * loopback serving a discovery document and a key set that each test
 * sets. Discovery must name exactly the configured issuer, offer PKCE
 * with S256 and give usable endpoints; the authorization request carries
 * PKCE S256, state and nonce, and returns only to local paths.
 * (tests/http/http_oidc.py runs the whole flow against oidc-provider.) */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <microhttpd.h>

#include "access/access_oidc.h"
#include "testutil.h"

static struct MHD_Daemon *daemon_;
static unsigned port;
static char discovery[2048]; /* what /.well-known/openid-configuration answers */
static int discovery_status;

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *data,
                              size_t *size, void **state)
{
    (void)cls, (void)method, (void)version, (void)data, (void)size, (void)state;
    const char *body = "{\"error\":\"not_found\"}";
    int status = 404;
    if (strcmp(url, "/realm/.well-known/openid-configuration") == 0) {
        body = discovery;
        status = discovery_status;
    } else if (strcmp(url, "/jwks") == 0) {
        body = "{\"keys\":[]}";
        status = 200;
    }
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result rc = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return rc;
}

static int setup(void **state)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    daemon_ = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, answer, NULL,
                               MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_END);
    if (daemon_ == NULL)
        return -1;
    port = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT)->port;
    return tu_tmpdir_setup(state);
}

static int teardown(void **state)
{
    MHD_stop_daemon(daemon_);
    return tu_tmpdir_teardown(state);
}

/* A discovery document for issuer iss with the given extra members. */
static void set_discovery(const char *iss, const char *extra)
{
    snprintf(discovery, sizeof discovery,
             "{\"issuer\":\"%s\",\"authorization_endpoint\":\"http://127.0.0.1:%u/auth\","
             "\"token_endpoint\":\"http://127.0.0.1:%u/token\","
             "\"jwks_uri\":\"http://127.0.0.1:%u/jwks\"%s}",
             iss, port, port, port, extra);
    discovery_status = 200;
}

static void config(struct config_oidc *cfg)
{
    char iss[128];
    struct kn_error err = KN_ERROR_INIT;
    snprintf(iss, sizeof iss, "http://127.0.0.1:%u/realm", port);
    config_oidc_defaults(cfg);
    assert_int_equal(config_oidc_set(cfg, "", "issuer", iss, &err), 0);
    assert_int_equal(config_oidc_set(cfg, "", "client_id", "knod", &err), 0);
    assert_int_equal(config_oidc_set(cfg, "", "client_secret", "s", &err), 0);
    assert_int_equal(config_oidc_set(cfg, "", "redirect_uri",
                                     "http://127.0.0.1:8080/login/oidc/callback", &err), 0);
    assert_int_equal(config_oidc_check(cfg, &err), 0);
}

static int discover(const char *iss, const char *extra, struct kn_error *err)
{
    struct config_oidc cfg;
    struct access_oidc *o;
    config(&cfg);
    set_discovery(iss, extra);
    assert_int_equal(access_oidc_new(&cfg, &o, err), 0);
    kn_error_clear(err);
    int rc = access_oidc_discover(o, err);
    access_oidc_free(o);
    return rc;
}

static void test_discovery(void **state)
{
    (void)state;
    char iss[128];
    struct kn_error err = KN_ERROR_INIT;
    snprintf(iss, sizeof iss, "http://127.0.0.1:%u/realm", port);
    assert_int_equal(discover(iss, "", &err), 0);
    /* Another issuer, even by a trailing '/', is refused; the message
     * names both. */
    snprintf(iss, sizeof iss, "http://127.0.0.1:%u/realm/", port);
    assert_int_equal(discover(iss, "", &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "the provider says its issuer is"));
    assert_non_null(strstr(err.msg, "/realm/'"));
    assert_int_equal(discover("https://idp.example.se/realm", "", &err), KN_EINPUT);
    /* PKCE without S256 is refused; listed with it is fine. */
    snprintf(iss, sizeof iss, "http://127.0.0.1:%u/realm", port);
    assert_int_equal(discover(iss, ",\"code_challenge_methods_supported\":[\"plain\"]", &err),
                     KN_EINPUT);
    assert_non_null(strstr(err.msg, "S256"));
    assert_int_equal(discover(iss, ",\"code_challenge_methods_supported\":[\"plain\","
                                   "\"S256\"]", &err), 0);
    /* An endpoint over plain http away from loopback is refused. */
    snprintf(discovery, sizeof discovery, "{\"issuer\":\"%s\","
             "\"authorization_endpoint\":\"http://idp.example.se/auth\","
             "\"token_endpoint\":\"http://127.0.0.1:%u/token\","
             "\"jwks_uri\":\"http://127.0.0.1:%u/jwks\"}", iss, port, port);
    struct config_oidc cfg;
    struct access_oidc *o;
    config(&cfg);
    assert_int_equal(access_oidc_new(&cfg, &o, &err), 0);
    assert_int_equal(access_oidc_discover(o, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "authorization_endpoint"));
    access_oidc_free(o);
    /* A provider that answers 500 or is not there: KN_EIO. */
    set_discovery(iss, "");
    discovery_status = 500;
    config(&cfg);
    assert_int_equal(access_oidc_new(&cfg, &o, &err), 0);
    assert_int_equal(access_oidc_discover(o, &err), KN_EIO);
    assert_non_null(strstr(err.msg, "HTTP 500"));
    access_oidc_free(o);
}

static const char *param(const char *url, const char *name, char *out, size_t cap)
{
    char key[64];
    snprintf(key, sizeof key, "%s=", name);
    const char *p = strstr(url, key);
    if (p == NULL || (p[-1] != '?' && p[-1] != '&'))
        return NULL;
    p += strlen(key);
    size_t n = strcspn(p, "&");
    snprintf(out, cap, "%.*s", (int)n, p);
    return out;
}

static void test_authorization_request(void **state)
{
    (void)state;
    char iss[128], v[256], v2[256];
    struct config_oidc cfg;
    struct access_oidc *o;
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    char *url, s1[OIDC_RANDOM_CHARS + 1], s2[OIDC_RANDOM_CHARS + 1];
    arena_init(&a);
    snprintf(iss, sizeof iss, "http://127.0.0.1:%u/realm", port);
    config(&cfg);
    set_discovery(iss, "");
    assert_int_equal(access_oidc_new(&cfg, &o, &err), 0);
    assert_int_equal(access_oidc_begin(o, "/account", time(NULL), &a, &url, s1, &err), 0);
    snprintf(v, sizeof v, "http://127.0.0.1:%u/auth?", port);
    assert_true(strncmp(url, v, strlen(v)) == 0);
    assert_string_equal(param(url, "response_type", v, sizeof v), "code");
    assert_string_equal(param(url, "code_challenge_method", v, sizeof v), "S256");
    assert_int_equal(strlen(param(url, "code_challenge", v, sizeof v)), 43);
    assert_string_equal(param(url, "state", v, sizeof v), s1);
    assert_int_equal(strlen(param(url, "nonce", v2, sizeof v2)), 43);
    assert_string_not_equal(v, v2);
    assert_string_equal(param(url, "client_id", v, sizeof v), "knod");
    assert_string_equal(param(url, "redirect_uri", v, sizeof v),
                        "http%3A%2F%2F127.0.0.1%3A8080%2Flogin%2Foidc%2Fcallback");
    /* Each attempt its own state. */
    assert_int_equal(access_oidc_begin(o, "//evil.example", time(NULL), &a, &url, s2, &err), 0);
    assert_string_not_equal(s1, s2);
    access_oidc_free(o);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_discovery),
        cmocka_unit_test(test_authorization_request),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
