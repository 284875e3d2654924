/* src/registry/reg_person.c: one person's records (reg_person.h). A
 * person has tens of records; one query per kind would do as well, one
 * UNION ALL keeps the order in SQL. The tables have no index by person,
 * so a view scans them: fine for a page view, to be indexed if the
 * worklists read many persons. */
#include "registry/reg_person.h"

#include <string.h>

#include "base/date.h"

static const char records_sql[] =
    "SELECT 'contact', k.start_time, k.end_time, k.contact_type || ' ' || k.legal_basis, "
    "cu.code, 'contacts', k.source_system, k.source_id FROM contact k "
    "JOIN care_unit cu ON cu.id = k.unit_id WHERE k.person_id = $1 "
    "UNION ALL SELECT 'self_harm_act', act_time, NULL, method || ' ' || intent, NULL, "
    "'self_harm', source_system, source_id FROM self_harm_act WHERE person_id = $1 "
    "UNION ALL SELECT 'coercive_measure', start_time, end_time, measure_type || ' ' || "
    "legal_basis, NULL, 'coercive_measures', source_system, source_id FROM coercive_measure "
    "WHERE person_id = $1 "
    "UNION ALL SELECT 'assessment', assessment_time, NULL, assessment_type, NULL, "
    "'assessments', source_system, source_id FROM assessment WHERE person_id = $1 "
    "UNION ALL SELECT 'care_plan', plan_time, NULL, plan_type, NULL, 'care_plans', "
    "source_system, source_id FROM care_plan WHERE person_id = $1 "
    "UNION ALL SELECT 'treatment', start_time, end_time, treatment_type, NULL, 'treatments', "
    "source_system, source_id FROM treatment WHERE person_id = $1 "
    "UNION ALL SELECT 'follow_up', follow_up_time, NULL, mode, NULL, 'follow_ups', "
    "source_system, source_id FROM follow_up WHERE person_id = $1 "
    "UNION ALL SELECT 'pathway_step', step_time, NULL, pathway || ' ' || step, NULL, "
    "'pathway_steps', source_system, source_id FROM pathway_step WHERE person_id = $1 "
    "ORDER BY 2, 1, 8";

static json_t *time_json(struct store_stmt *s, int i)
{
    if (store_col_is_null(s, i))
        return json_null();
    char buf[20];
    time_format(store_col_int(s, i), buf);
    return json_string(buf);
}

static json_t *text_json(struct store_stmt *s, int i)
{
    return store_col_is_null(s, i) ? json_null() : json_string(store_col_text(s, i, NULL));
}

int reg_person_view(struct store *st, const char *pseudonym, json_t **out,
                    struct kn_error *err)
{
    struct store_stmt *s;
    *out = NULL;
    if (store_prepare(st,
                      "SELECT id, birth_year, sex, region_code, municipality FROM person "
                      "WHERE pseudonym = $1",
                      &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, pseudonym, strlen(pseudonym));
    int rc = store_step(s, err);
    int64_t id = 0;
    json_t *m = NULL;
    if (rc == STORE_ROW) {
        id = store_col_int(s, 0);
        m = json_pack("{s:s, s:I, s:o, s:o, s:o}", "pseudonym", pseudonym, "birth_year",
                      (json_int_t)store_col_int(s, 1), "sex", text_json(s, 2), "region",
                      text_json(s, 3), "municipality", text_json(s, 4));
    }
    store_finalize(s);
    if (rc < 0)
        return rc;
    if (rc == STORE_DONE)
        return kn_fail(err, KN_ENOTFOUND, "no such person");
    json_t *list = json_array();
    if (!m || !list || json_object_set_new(m, "records", list) != 0) {
        json_decref(m);
        return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    if (store_prepare(st, records_sql, &s, err) != 0) {
        json_decref(m);
        return err->code;
    }
    store_bind_int(s, 1, id);
    while ((rc = store_step(s, err)) == STORE_ROW) {
        json_t *r = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "kind",
                              text_json(s, 0), "time", time_json(s, 1), "end",
                              time_json(s, 2), "what", text_json(s, 3), "unit",
                              text_json(s, 4), "form", text_json(s, 5), "source_system",
                              text_json(s, 6), "source_id", text_json(s, 7));
        if (!r || json_array_append_new(list, r) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
    }
    store_finalize(s);
    if (rc < 0) {
        json_decref(m);
        return rc;
    }
    *out = m;
    return 0;
}
