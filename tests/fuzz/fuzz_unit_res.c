/* tests/fuzz/fuzz_unit_res.c: fuzz target for a unit's resources as text
 * (src/network/unit_parse.c, unit_res_parse()): the options of `knod unit
 * add|update` and the fields of the portal's unit form.
 *
 * The input is up to UNIT_F_N lines, the fields in the order of
 * UNIT_FIELDS; an empty line is a field not given. Taken values are in
 * their ranges (ages 0-999, counts 0 to 100000, yes/no 0 or 1, or unset);
 * a refusal is KN_EINPUT with a message whose field unit_field_of() finds,
 * so that the form can show it at its field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "network/unit.h"

#define CHECK(x)                                                                         \
    do {                                                                                 \
        if (!(x)) {                                                                      \
            fprintf(stderr, "fuzz_unit_res: %s:%d: check failed: %s\n", __FILE__,        \
                    __LINE__, #x);                                                       \
            abort();                                                                     \
        }                                                                                \
    } while (0)

static bool count_ok(int v)
{
    return v == UNIT_UNSET || (v >= 0 && v <= 100000);
}

static bool yes_no_ok(int v)
{
    return v == UNIT_UNSET || v == 0 || v == 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *v[UNIT_F_N] = {NULL};
    char *p = text;
    for (int i = 0; i < UNIT_F_N && p; i++) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        v[i] = p[0] != '\0' ? p : NULL;
        p = nl ? nl + 1 : NULL;
    }
    struct unit_res r;
    struct kn_error err = KN_ERROR_INIT;
    int rc = unit_res_parse(v, 20000, &r, &err);
    if (rc == 0) {
        CHECK(count_ok(r.staff) && count_ok(r.trained_bemotande) &&
              count_ok(r.trained_dbt) && count_ok(r.waiting_days));
        CHECK(yes_no_ok(r.brief_admission) && yes_no_ok(r.placed_access) &&
              yes_no_ok(r.sis_access));
        CHECK((r.age_from == UNIT_UNSET) == (r.age_to == UNIT_UNSET));
        CHECK(r.age_from == UNIT_UNSET || (r.age_from >= 0 && r.age_to <= 999));
    } else {
        CHECK(rc == KN_EINPUT);
        CHECK(unit_field_of(err.msg) >= 0);
    }
    free(text);
    return 0;
}
