/* tests/unit/base/test_config_web.c: the [web] section of knod.ini
 * (src/base/config.c), read by `knod serve`. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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
    return config_load(c, tu_dir, err);
}

/* Defaults: loopback port 8080, two threads, 30 s, 16 KiB, 250 ms. */
static void test_defaults(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c, tu_dir);
    assert_string_equal(c.web_listen, "127.0.0.1:8080");
    assert_int_equal(c.web_threads, 2);
    assert_int_equal(c.web_timeout_s, 30);
    assert_int_equal(c.web_max_request, 16384);
    assert_int_equal(c.web_poll_ms, 250);
    assert_int_equal(c.web_session_idle_s, 30 * 60);
    assert_int_equal(c.web_session_max_s, 12 * 3600);
    assert_string_equal(c.web_base, CONFIG_WEB_BASE);
}

static void test_values(void **state)
{
    (void)state;
    struct config c;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(load("[web]\nlisten = [::1]:9000\nthreads = 4\ntimeout_s = 5\n"
                          "max_request_bytes = 4096\npoll_ms = 50\nsession_idle_min = 5\n"
                          "session_max_hours = 2\nbase_url = http://portal.example.se:8080\n",
                          &c, &err), 0);
    assert_string_equal(c.web_listen, "[::1]:9000");
    assert_int_equal(c.web_threads, 4);
    assert_int_equal(c.web_timeout_s, 5);
    assert_int_equal(c.web_max_request, 4096);
    assert_int_equal(c.web_poll_ms, 50);
    assert_int_equal(c.web_session_idle_s, 5 * 60);
    assert_int_equal(c.web_session_max_s, 2 * 3600);
    assert_string_equal(c.web_base, "http://portal.example.se:8080");
}

/* Bad values and unknown keys are errors naming line and key. */
static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } bad[] = {
        { "[web]\nthreads = 0\n", "knod.ini:2: setting 'threads' in [web] has a bad value" },
        { "[web]\nthreads = 17\n", "knod.ini:2: setting 'threads'" },
        { "[web]\nlisten = 8080\n", "knod.ini:2: setting 'listen'" },
        { "[web]\n\nmax_request_bytes = 10\n", "knod.ini:3: setting 'max_request_bytes'" },
        { "[web]\nsession_idle_min = 0\n", "knod.ini:2: setting 'session_idle_min'" },
        { "[web]\nsession_max_hours = 169\n", "knod.ini:2: setting 'session_max_hours'" },
        { "[web]\nbase_url = https://knod.se/\n", "knod.ini:2: setting 'base_url'" },
        { "[web]\nbase_url = knod.se\n", "knod.ini:2: setting 'base_url'" },
        { "[web]\nport = 80\n", "knod.ini:2: unknown setting 'port' in section [web]" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct config c;
        struct kn_error err = KN_ERROR_INIT;
        assert_int_equal(load(bad[i].text, &c, &err), KN_EINPUT);
        if (!strstr(err.msg, bad[i].want))
            fail_msg("'%s' lacks '%s'", err.msg, bad[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
