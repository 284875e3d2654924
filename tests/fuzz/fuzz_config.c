/* tests/fuzz/fuzz_config.c: fuzz target for src/base/config.c (knod.ini).
 *
 * The bytes are written to knod.ini in a fresh temporary folder and read
 * with config_load(). Whatever it accepts must hold only values inside the
 * documented ranges (disclosure control below its floor only when allowed,
 * every [plausibility] limit at least 1); whatever it refuses must be
 * KN_EINPUT (or KN_EIO) with a message naming knod.ini, so that a broken
 * setting is never taken silently.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "fuzz.h"

#define CHECK(x)                                                                     \
    do {                                                                             \
        if (!(x)) {                                                                  \
            fprintf(stderr, "fuzz_config: %s:%d: check failed: %s\n", __FILE__,      \
                    __LINE__, #x);                                                   \
            abort();                                                                 \
        }                                                                            \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    char dir[256], ini[300];
    snprintf(dir, sizeof dir, "%s/knod-fuzz-config-XXXXXX",
             tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        return 0;
    snprintf(ini, sizeof ini, "%s/%s", dir, CONFIG_FILE);
    FILE *f = fopen(ini, "wb");
    if (f == NULL) {
        rmdir(dir);
        return 0;
    }
    size_t wrote = fwrite(data, 1, size, f);
    fclose(f);
    if (wrote == size) {
        unsetenv("CREDENTIALS_DIRECTORY");
        struct config cfg;
        struct kn_error err = KN_ERROR_INIT;
        int rc = config_load(&cfg, dir, &err);
        if (rc == 0) {
            CHECK(cfg.min_count >= 1 && cfg.min_count <= 1000);
            CHECK(cfg.min_denominator >= 1 && cfg.min_denominator <= 100000);
            CHECK(!cfg.below_floor || cfg.allow_below_floor);
            CHECK(cfg.below_floor == (cfg.min_count < CONFIG_MIN_COUNT_FLOOR
                                      || cfg.min_denominator < CONFIG_MIN_DENOMINATOR_FLOOR));
            CHECK(cfg.busy_timeout_ms >= 0 && cfg.busy_timeout_ms <= 600000);
            CHECK(cfg.web_threads >= 1 && cfg.web_threads <= 16);
            CHECK(strchr(cfg.web_listen, ':') != NULL);
            CHECK(cfg.plaus_max_age_years >= 1 && cfg.plaus_max_age_years <= 200);
            CHECK(cfg.plaus_max_emergency_hours >= 1);
            CHECK(cfg.plaus_max_inpatient_days >= 1);
            CHECK(cfg.plaus_max_coercive_hours >= 1);
            CHECK(strncmp(cfg.fhir_base, "http", 4) == 0);
        } else {
            CHECK(rc == KN_EINPUT || rc == KN_EIO);
            CHECK(strstr(err.msg, CONFIG_FILE) != NULL);
        }
    }
    unlink(ini);
    rmdir(dir);
    return 0;
}
