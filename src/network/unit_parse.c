/* src/network/unit_parse.c: a unit's resources from text, as `knod unit`
 * and the portal's form give them (unit.h): one reading of "13-17",
 * "yes" and counts for both, and the field an error names. */
#include <stdio.h>
#include <string.h>

#include "network/net_text.h"
#include "network/unit.h"

const char *const UNIT_FIELDS[] = {
    "name",       "region",       "type",   "setting",           "as-of",
    "ages",       "staff",        "trained-bemotande", "trained-dbt", "brief-admission",
    "offers",     "waiting-days", "catchment",         "nhv-offers",  "placed-access",
    "sis-access", "note",         NULL};

static int yes_no(const char *option, const char *v, int *out, struct kn_error *err)
{
    if (!v)
        return 0;
    if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
        return kn_fail(err, KN_EINPUT, "%s: yes or no", option);
    *out = v[0] == 'y';
    return 0;
}

static int count(const char *option, const char *v, int *out, struct kn_error *err)
{
    long x;
    if (!v)
        return 0;
    if (net_int_parse(option, v, 0, 100000, &x, err) != 0)
        return err->code;
    *out = (int)x;
    return 0;
}

int unit_res_parse(const char *const *v, kn_day as_of, struct unit_res *r,
                   struct kn_error *err)
{
    r->name = v[UNIT_F_NAME];
    r->region = v[UNIT_F_REGION];
    r->type = v[UNIT_F_TYPE];
    r->setting = v[UNIT_F_SETTING];
    r->age_from = r->age_to = r->staff = r->trained_bemotande = r->trained_dbt =
        r->brief_admission = r->waiting_days = r->placed_access = r->sis_access =
            UNIT_UNSET;
    r->offers = v[UNIT_F_OFFERS];
    r->catchment = v[UNIT_F_CATCHMENT];
    r->nhv_offers = v[UNIT_F_NHV_OFFERS];
    r->note = v[UNIT_F_NOTE];
    const char *ages = v[UNIT_F_AGES];
    if (ages) {
        int from, to, n = 0;
        if (sscanf(ages, "%3d-%3d%n", &from, &to, &n) != 2 || ages[n] != '\0' ||
            ages[0] < '0' || ages[0] > '9')
            return kn_fail(err, KN_EINPUT, "--ages: FROM-TO, like 13-17");
        r->age_from = from;
        r->age_to = to;
    }
    if (count("--staff", v[UNIT_F_STAFF], &r->staff, err) != 0 ||
        count("--trained-bemotande", v[UNIT_F_TRAINED_BEMOTANDE], &r->trained_bemotande,
              err) != 0 ||
        count("--trained-dbt", v[UNIT_F_TRAINED_DBT], &r->trained_dbt, err) != 0 ||
        count("--waiting-days", v[UNIT_F_WAITING_DAYS], &r->waiting_days, err) != 0 ||
        yes_no("--brief-admission", v[UNIT_F_BRIEF_ADMISSION], &r->brief_admission, err) !=
            0 ||
        yes_no("--placed-access", v[UNIT_F_PLACED_ACCESS], &r->placed_access, err) != 0 ||
        yes_no("--sis-access", v[UNIT_F_SIS_ACCESS], &r->sis_access, err) != 0)
        return err->code;
    r->as_of = as_of;
    const char *d = v[UNIT_F_AS_OF];
    if (d && date_parse(d, strlen(d), &r->as_of, err) != 0)
        return kn_error_prefix(err, "--as-of: ");
    return 0;
}

int unit_field_of(const char *msg)
{
    for (const char *p = msg ? strstr(msg, "--") : NULL; p; p = strstr(p + 2, "--")) {
        size_t n = strcspn(p + 2, ": ,()");
        for (int f = 0; UNIT_FIELDS[f]; f++)
            if (strlen(UNIT_FIELDS[f]) == n && strncmp(p + 2, UNIT_FIELDS[f], n) == 0)
                return f;
    }
    return -1;
}
