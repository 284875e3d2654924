/* tests/unit/web/test_web_results.c: the results thread (web_results.h)
 * writes a generation's log line before it serves the generation: when
 * the line is written, the generation is not yet what a request acquires.
 * A log hook (base/log.h) looks at the served view at the moment the line
 * is written. A small store of one person and one act, one definition. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdatomic.h>
#include <time.h>

#include "base/config.h"
#include "base/log.h"
#include "eng_fixture.h"
#include "web/web_results.h"

static struct web_results *results;
static atomic_int lines_seen;   /* generation lines the hook saw */
static atomic_int served_early; /* ... of which the generation was already served */

static void hook(enum log_level level, const char *line)
{
    (void)level;
    unsigned gen;
    if (!results || sscanf(line, "knod: results: generation %u computed", &gen) != 1)
        return;
    const struct web_view *v = web_results_acquire(results);
    if (v && v->generation >= gen)
        atomic_fetch_add(&served_early, 1);
    web_results_release(results, v);
    atomic_fetch_add(&lines_seen, 1);
}

static void test_log_line_before_served(void **state)
{
    struct efx *f = *state;
    efx_person(f, 1, 2005, 'F', "0180", NULL);
    efx_act(f, 1, 1656000000LL); /* 2022-06-23 */
    efx_parse(f, EFX_HDR("t") "from act\nyears 2022-2022\nmeasure n count events\n");
    struct config cfg;
    config_defaults(&cfg, f->dir);
    snprintf(cfg.store_path, sizeof cfg.store_path, "%s/knod.db", f->dir);
    cfg.web_poll_ms = 20;
    struct kn_error err = KN_ERROR_INIT;
    log_set_level(LOG_INFO);
    log_set_hook(hook);
    assert_int_equal(web_results_new(&results, &cfg, &f->cat, NULL, &f->geo, &err), 0);
    assert_int_equal(web_results_start(results, &err), 0);
    assert_true(web_results_wait(results, 120000));
    /* the line is written before the view is served: it is there now */
    assert_int_equal(atomic_load(&lines_seen), 1);
    assert_int_equal(atomic_load(&served_early), 0);
    const struct web_view *v = web_results_acquire(results);
    assert_non_null(v);
    assert_int_equal(v->generation, 1);
    web_results_release(results, v);
    log_set_hook(NULL);
    web_results_free(results);
    results = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_log_line_before_served, efx_setup, efx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
