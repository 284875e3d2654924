/* tests/unit/testutil.c: see testutil.h. */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/arena.h"
#include "domain/geo.h"
#include "registry/reg_geo.h"
#include "registry/reg_import.h"
#include "store/store.h"

char tu_dir[64];

int tu_tmpdir_setup(void **state)
{
    (void)state;
    snprintf(tu_dir, sizeof tu_dir, "/tmp/knod-test-XXXXXX");
    return mkdtemp(tu_dir) == NULL ? -1 : 0;
}

int tu_tmpdir_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tu_dir);
    return system(cmd) == 0 ? 0 : -1;
}

void tu_path(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", tu_dir, name);
}

struct store *tu_store(const char *name, bool geography)
{
    char path[256];
    struct store *s = NULL;
    struct kn_error err = KN_ERROR_INIT;
    struct store_options opt = {STORE_CREATE, 0};
    tu_path(path, sizeof path, name);
    if (store_open(path, &opt, &s, &err) != 0)
        fail_msg("store_open: %s", err.msg);
    if (geography) {
        struct arena a;
        arena_init(&a);
        struct geo g;
        if (geo_load(&g, &a, &err) != 0 || reg_geo_install(s, &g, &err) != 0)
            fail_msg("geography: %s", err.msg);
        arena_release(&a);
    }
    return s;
}

char tu_luhn_digit(const char *nine)
{
    int sum = 0;
    for (int i = 0; i < 9; i++) {
        int v = (nine[i] - '0') * (i % 2 == 0 ? 2 : 1);
        sum += v / 10 + v % 10;
    }
    return (char)('0' + (10 - sum % 10) % 10);
}

const char *tu_pnr_leaked(const void *buf, size_t len, const char *const *known, size_t n)
{
    static char form[16];
    for (size_t i = 0; i < n; i++) {
        const char *d = known[i];
        snprintf(form, sizeof form, "%s", d + 2);
        if (memmem(buf, len, form, 10) != NULL)
            return form;
        for (int sep = 0; sep < 2; sep++) {
            snprintf(form, sizeof form, "%.6s%c%s", d + 2, sep ? '+' : '-', d + 8);
            if (memmem(buf, len, form, 11) != NULL)
                return form;
        }
    }
    return NULL;
}

int tu_persons_load(void)
{
    const char *name = getenv("KNOD_IMPORT_PERSONS");
    enum reg_persons_load how = REG_PERSONS_AUTO;
    if (name != NULL && name[0] != '\0' && reg_persons_load_parse(name, &how) != 0)
        fail_msg("KNOD_IMPORT_PERSONS is auto, preload or lookup, not '%s'", name);
    return (int)how;
}
