/* tests/unit/base/test_config_oidc.c: src/base/config_oidc.c, knod.ini's
 * [oidc] section read through config_load(). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "testutil.h"

#include "base/config.h"

static int load(const char *text, struct config *c, struct kn_error *err)
{
    char path[128];
    snprintf(path, sizeof path, "%s/knod.ini", tu_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    kn_error_clear(err);
    return config_load(c, tu_dir, err);
}

#define BASE "[oidc]\nissuer = https://idp.region.se/realms/vard\nclient_id = knod\n" \
             "redirect_uri = https://knod.region.se/login/oidc/callback\n"

static void test_off_and_defaults(void **state)
{
    (void)state;
    struct config c;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(load("[log]\nlevel = info\n", &c, &err), 0);
    assert_false(c.oidc.on);
    assert_int_equal(load(BASE "client_secret = abc\n", &c, &err), 0);
    assert_true(c.oidc.on);
    assert_string_equal(c.oidc.issuer, "https://idp.region.se/realms/vard");
    assert_string_equal(c.oidc.scopes, "openid");
    assert_string_equal(c.oidc.claim_user, "sub");
    assert_int_equal(c.oidc.token_auth, OIDC_AUTH_BASIC);
    assert_int_equal(c.oidc.skew_s, CONFIG_OIDC_SKEW);
    assert_false(c.oidc.create_users);
    /* A relative secret file is relative to the knod directory. */
    assert_int_equal(load(BASE "client_secret_file = oidc.secret\n"
                          "token_auth = client_secret_post\nscopes = openid profile\n",
                          &c, &err), 0);
    char want[128];
    snprintf(want, sizeof want, "%s/oidc.secret", tu_dir);
    assert_string_equal(c.oidc.client_secret_file, want);
    assert_int_equal(c.oidc.token_auth, OIDC_AUTH_POST);
}

static void test_errors_name_the_line_and_key(void **state)
{
    (void)state;
    struct config c;
    struct kn_error err = KN_ERROR_INIT;
    /* http only on loopback. */
    assert_int_equal(load("[oidc]\nissuer = http://idp.region.se\n", &c, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "knod.ini:2: setting 'issuer'"));
    assert_int_equal(load("[oidc]\nissuer = http://127.0.0.1:9/x\nclient_id = k\n"
                          "redirect_uri = http://127.0.0.1:8080/login/oidc/callback\n"
                          "client_secret = s\n", &c, &err), 0);
    assert_int_equal(load(BASE "client_secret = a\nscopes = profile email\n", &c, &err),
                     KN_EINPUT);
    assert_non_null(strstr(err.msg, ":6: setting 'scopes'"));
    assert_int_equal(load(BASE "client_secret = a\nclient_id = b\n", &c, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "repeated"));
    assert_int_equal(load(BASE "client_secret = a\nclient = b\n", &c, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "unknown setting 'client' in section [oidc]"));
    assert_int_equal(load(BASE "client_secret = a\nrole_map = admin\n", &c, &err), KN_EINPUT);
    assert_int_equal(load(BASE "client_secret = a\nskew_s = 3600\n", &c, &err), KN_EINPUT);
    /* The secret is never quoted back. */
    assert_int_equal(load(BASE "client_secret = has space\n", &c, &err), KN_EINPUT);
    assert_null(strstr(err.msg, "has space"));
}

static void test_settings_that_go_together(void **state)
{
    (void)state;
    struct config c;
    struct kn_error err = KN_ERROR_INIT;
    unsetenv("CREDENTIALS_DIRECTORY");
    assert_int_equal(load("[oidc]\nclient_id = k\n", &c, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "needs 'issuer'"));
    assert_int_equal(load(BASE, &c, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "client_secret_file"));
    assert_int_equal(load(BASE "client_secret = a\nclient_secret_file = f\n", &c, &err),
                     KN_EINPUT);
    assert_int_equal(load(BASE "client_secret = a\nclaim_role = roles\n", &c, &err),
                     KN_EINPUT);
    assert_non_null(strstr(err.msg, "'claim_role' and 'role_map'"));
    assert_int_equal(load(BASE "client_secret = a\ncreate_users = yes\n", &c, &err),
                     KN_EINPUT);
    /* Without a secret in knod.ini, a systemd credential. */
    setenv("CREDENTIALS_DIRECTORY", "/run/credentials/knod.service", 1);
    assert_int_equal(load(BASE, &c, &err), 0);
    assert_string_equal(c.oidc.client_secret_file,
                        "/run/credentials/knod.service/oidc-secret");
    unsetenv("CREDENTIALS_DIRECTORY");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_off_and_defaults),
        cmocka_unit_test(test_errors_name_the_line_and_key),
        cmocka_unit_test(test_settings_that_go_together),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
