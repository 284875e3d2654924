/* tests/unit/registry/test_reg_import_rules.c: the row rules of
 * docs/import-format.md (src/registry/reg_kinds.c, reg_csv.c) written out
 * as a table of (kind, base row, override, expected field and reason):
 * every rule rejects its row with the field and reason, at the right line,
 * and rolls the file back; valid edge rows are accepted. The fixture is
 * reg_import_fixture.h, the rows reg_import_data.h.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "domain/pnr_shape.h"
#include "reg_import_fixture.h"
#include "reg_import_data.h"

/* ---- every rule: a failing row ---- */

struct rule {
    const char *kind;
    const char *set[MAX_SET]; /* "column=value" */
    const char *field;        /* NULL: the row must be accepted */
    const char *reason;       /* a distinctive part of the reason */
};

static const struct rule rejected_rules[] = {
    /* required fields */
    { "units", { "code=" }, "code", "is empty but required" },
    { "units", { "source_system=" }, "source_system", "is empty but required" },
    { "units", { "name=" }, "name", "is empty but required" },
    { "persons", { "pnr=" }, "pnr", "is empty but required" },
    { "persons", { "municipality=" }, "municipality", "is empty but required" },
    { "contacts", { "start=" }, "start", "is empty but required" },
    { "contacts", { "unit=" }, "unit", "is empty but required" },
    { "self_harm", { "cause_code=" }, "cause_code", "is empty but required" },
    { "coercive_measures", { "stay_id=" }, "stay_id", "is empty but required" },
    { "coercive_measures", { "legal_basis=" }, "legal_basis", "is empty but required" },
    { "assessments", { "assessment_type=" }, "assessment_type", "is empty but required" },
    { "care_plans", { "time=" }, "time", "is empty but required" },
    { "treatments", { "source_id=" }, "source_id", "is empty but required" },
    { "follow_ups", { "mode=" }, "mode", "is empty but required" },
    { "pathway_steps", { "step=" }, "step", "is empty but required" },
    /* code lists, one per coded column */
    { "units", { "unit_type=hospital" }, "unit_type",
      "'hospital' is not one of: bup, adult_psychiatry, emergency" },
    { "units", { "setting=Inpatient" }, "setting",
      "'Inpatient' is not one of: inpatient, outpatient" },
    { "contacts", { "contact_type=stay" }, "contact_type",
      "'stay' is not one of: emergency, outpatient, inpatient" },
    { "contacts", { "legal_basis=LVU" }, "legal_basis", "'LVU' is not one of: voluntary, LPT" },
    { "coercive_measures", { "measure_type=belt" }, "measure_type",
      "'belt' is not one of: fastspanning, avskiljning" },
    { "coercive_measures", { "legal_basis=voluntary" }, "legal_basis",
      "'voluntary' is not one of: LPT, LRV, LVU" },
    { "assessments", { "assessment_type=risk" }, "assessment_type",
      "'risk' is not one of: suicide_risk, psychosocial, other" },
    { "care_plans", { "plan_type=SIP" }, "plan_type",
      "'SIP' is not one of: care_plan, crisis_plan, sip" },
    { "treatments", { "treatment_type=DBT" }, "treatment_type", "'DBT' is not one of: dbt" },
    { "follow_ups", { "mode=letter" }, "mode", "'letter' is not one of: visit, phone, video" },
    { "pathway_steps", { "pathway=adults" }, "pathway", "'adults' is not one of: adult, child" },
    /* times */
    { "contacts", { "start=2024-05-14T25:00" }, "start", "hour 25 is out of range" },
    { "contacts", { "start=2024-05-14T09.00" }, "start", "expected a time as YYYY-MM-DD" },
    { "contacts", { "start=14/05/2024" }, "start", "expected a time as YYYY-MM-DD" },
    { "contacts", { "end=2024-02-30T10:00" }, "end", "day 30 is not in" },
    { "self_harm", { "time=2023-03-04T21:30Z" }, "time", "expected a time" },
    { "contacts", { "start=2026-11-24T00:00", "end=" }, "start", "lies in the future" },
    { "contacts", { "end=2026-11-24" }, "end", "lies in the future" },
    { "coercive_measures", { "decided=2026-11-24T00:00" }, "decided", "lies in the future" },
    { "pathway_steps", { "time=2027-01-01" }, "time", "lies in the future" },
    /* dates */
    { "persons", { "death_date=2023-02-29" }, "death_date", "day 29 is not in" },
    { "persons", { "death_date=2023-3-1" }, "death_date", "expected a date as YYYY-MM-DD" },
    { "persons", { "death_date=2023-03-01T10:00" }, "death_date", "expected a date" },
    { "persons", { "death_date=2026-11-24" }, "death_date", "lies in the future" },
    /* booleans */
    { "contacts", { "brief_admission=yes" }, "brief_admission", "expected 0 or 1" },
    { "contacts", { "brief_admission=01" }, "brief_admission", "expected 0 or 1" },
    { "persons", { "death_date=2024-01-01", "death_by_suicide=true" }, "death_by_suicide",
      "expected 0 or 1" },
    /* personnummer */
    { "persons", { "pnr=20060709-2385" }, "pnr", "the check digit does not match" },
    /* a number where an id belongs is refused, and never echoed */
    { "contacts", { "source_id=20060709-2384" }, "source_id", "holds a personnummer" },
    { "self_harm", { "contact_id=200306062381" }, "contact_id", "holds a personnummer" },
    { "contacts", { "unit=20060709-2384" }, "unit", "'XXXXXXXX-XXXX'" },
    { "contacts", { "contact_type=0607092384" }, "contact_type", "'XXXXXXXXXX'" },
    /* ... nor inside an id, nor in any text field (issue 10, item 3) */
    { "contacts", { "source_id=visit 200607092384 a" }, "source_id", "holds a personnummer" },
    { "contacts", { "source_system=EHR-20060709-2384" }, "source_system",
      "holds a personnummer" },
    { "units", { "code=HSA-060709-2384" }, "code", "holds a personnummer" },
    { "self_harm", { "contact_id=c/200306062381" }, "contact_id", "holds a personnummer" },
    { "units", { "name=Patient 20070808-8885 room" }, "name", "looks like a personnummer" },
    { "units", { "name=Patient 20060709-2385 room" }, "name", "looks like a personnummer" },
    { "units", { "name=Room 0607092385" }, "name", "looks like a personnummer" },
    { "pathway_steps", { "step=200607092384" }, "step", "looks like a personnummer" },
    /* an almost-right number is masked too (issue 10, item 2) */
    { "contacts", { "contact_type=0607092385" }, "contact_type", "'XXXXXXXXXX'" },
    { "contacts", { "unit=U-20060709-2385" }, "unit", "'U-XXXXXXXX-XXXX'" },
    { "coercive_measures", { "legal_basis=19990101+1234" }, "legal_basis",
      "'XXXXXXXX+XXXX'" },
    /* a quote cut short masks a number the cut splits: no digit shows */
    { "contacts", { "contact_type=abcdefghijabcdefghijabcdefghijabcde200708088885" },
      "contact_type", "'abcdefghijabcdefghijabcdefghijabcdeXXXXX' is not one of" },
    { "contacts", { "main_diagnosis=F32.1234567890123456" }, "main_diagnosis",
      "'F32.1234567890123456' is not an ICD-10 code" },
    { "contacts", { "main_diagnosis=F-200708088885" }, "main_diagnosis",
      "'F-XXXXXXXXXXXX' is not an ICD-10 code" },
    { "persons", { "pnr=@feb30" }, "pnr", "day 30 does not exist in" },
    { "persons", { "pnr=@future" }, "pnr", "the birth date is after the reference date" },
    { "persons", { "pnr=2006070-2384" }, "pnr", "11 digits" },
    { "persons", { "pnr=20060709 2384" }, "pnr", "a space inside the number" },
    { "persons", { "pnr=@old12" }, "pnr", "'+' is only used in the 10-digit form" },
    { "contacts", { "pnr=20060709-2385" }, "pnr", "the check digit does not match" },
    { "contacts", { "pnr=@unknown" }, "pnr", "no stored person has this number" },
    { "self_harm", { "pnr=@unknown" }, "pnr", "no stored person has this number" },
    { "coercive_measures", { "pnr=@unknown" }, "pnr", "no stored person has this number" },
    { "assessments", { "pnr=@unknown" }, "pnr", "no stored person has this number" },
    { "care_plans", { "pnr=@unknown" }, "pnr", "no stored person has this number" },
    { "treatments", { "pnr=@unknown" }, "pnr", "no stored person has this number" },
    { "follow_ups", { "pnr=@unknown" }, "pnr", "no stored person has this number" },
    { "pathway_steps", { "pnr=@unknown" }, "pnr", "no stored person has this number" },
    /* geography */
    { "persons", { "municipality=0999" }, "municipality", "'0999' is not a municipality code" },
    { "persons", { "municipality=180" }, "municipality", "'180' is not a municipality code" },
    { "persons", { "municipality=01800" }, "municipality", "is not a municipality code" },
    { "persons", { "municipality=018a" }, "municipality", "is not a municipality code" },
    { "units", { "region_code=02" }, "region_code", "'02' is not a region code" },
    { "units", { "region_code=26" }, "region_code", "'26' is not a region code" },
    { "units", { "region_code=3" }, "region_code", "'3' is not a region code" },
    { "units", { "region_code=00" }, "region_code", "is not a region code" },
    /* units */
    { "contacts", { "unit=NOPE" }, "unit", "no stored unit has the code 'NOPE'" },
    { "contacts", { "unit=out" }, "unit", "no stored unit has the code 'out'" },
    /* ICD-10 shape */
    { "contacts", { "main_diagnosis=F3" }, "main_diagnosis", "'F3' is not an ICD-10 code" },
    { "contacts", { "main_diagnosis=f32.1" }, "main_diagnosis", "is not an ICD-10 code" },
    { "contacts", { "main_diagnosis=F32." }, "main_diagnosis", "is not an ICD-10 code" },
    { "contacts", { "main_diagnosis=F32.12345" }, "main_diagnosis", "is not an ICD-10 code" },
    { "contacts", { "main_diagnosis=F32-1" }, "main_diagnosis", "is not an ICD-10 code" },
    { "contacts", { "main_diagnosis=32.1" }, "main_diagnosis", "is not an ICD-10 code" },
    { "contacts", { "main_diagnosis=F32.a" }, "main_diagnosis", "is not an ICD-10 code" },
    { "contacts", { "other_diagnoses=F32.1 " }, "other_diagnoses", "ends with a space" },
    { "contacts", { "other_diagnoses=F32.1  F41.1" }, "other_diagnoses",
      "separate codes by single spaces" },
    { "contacts", { "other_diagnoses= F32.1" }, "other_diagnoses",
      "separate codes by single spaces" },
    { "contacts", { "other_diagnoses=F32.1,F41.1" }, "other_diagnoses",
      "'F32.1,F41.1' is not an ICD-10 code" },
    { "contacts", { "other_diagnoses=F32.1 x" }, "other_diagnoses", "'x' is not an ICD-10" },
    { "contacts", { "cause_code=X6" }, "cause_code", "'X6' is not an ICD-10 code" },
    { "self_harm", { "cause_code=X6" }, "cause_code", "'X6' is not an ICD-10 code" },
    /* self-harm causes */
    { "self_harm", { "cause_code=X59" }, "cause_code",
      "'X59' is not a self-harm cause (X60-X84 or Y10-Y34)" },
    { "self_harm", { "cause_code=X85" }, "cause_code", "'X85' is not a self-harm cause" },
    { "self_harm", { "cause_code=Y09" }, "cause_code", "'Y09' is not a self-harm cause" },
    { "self_harm", { "cause_code=Y35" }, "cause_code", "'Y35' is not a self-harm cause" },
    { "self_harm", { "cause_code=T42.4" }, "cause_code", "'T42.4' is not a self-harm cause" },
    { "self_harm", { "cause_code=Z60" }, "cause_code", "'Z60' is not a self-harm cause" },
    /* events before birth (P1 was born 2006-07-09) */
    { "contacts", { "start=2006-07-08T23:59" }, "start", "lies before the person's birth" },
    { "self_harm", { "time=2006-07-08" }, "time", "lies before the person's birth" },
    { "assessments", { "time=2006-07-08T23:59", "contact_id=" }, "time",
      "lies before the person's birth" },
    { "care_plans", { "time=2006-01-01" }, "time", "lies before the person's birth" },
    { "treatments", { "start=2006-07-08" }, "start", "lies before the person's birth" },
    { "follow_ups", { "time=2006-07-08", "stay_id=" }, "time",
      "lies before the person's birth" },
    { "pathway_steps", { "time=2005-12-31T10:00" }, "time", "lies before the person's birth" },
    /* end before start */
    { "contacts", { "end=2024-05-14T08:59" }, "end", "lies before 'start'" },
    { "coercive_measures", { "end=2023-03-07T08:59" }, "end", "lies before 'start'" },
    { "treatments", { "end=2023-03-31" }, "end", "lies before 'start'" },
    /* contacts */
    { "contacts", { "contact_type=inpatient" }, "unit",
      "unit 'OUT' is an outpatient unit; an inpatient stay needs an inpatient unit" },
    { "contacts", { "unit=EM", "contact_type=inpatient" }, "unit",
      "unit 'EM' is an outpatient unit" },
    { "contacts", { "unit=EM", "contact_type=emergency", "legal_basis=LPT" }, "legal_basis",
      "LPT and LRV apply to inpatient stays only" },
    { "contacts", { "legal_basis=LRV" }, "legal_basis",
      "LPT and LRV apply to inpatient stays only" },
    { "contacts", { "brief_admission=1" }, "brief_admission",
      "a brief admission is an inpatient stay" },
    { "contacts", { "unit=EM", "contact_type=emergency", "brief_admission=1" },
      "brief_admission", "a brief admission is an inpatient stay" },
    /* coercive measures */
    { "coercive_measures", { "stay_id=e1", "extends_id=" }, "stay_id",
      "is not an inpatient stay" },
    { "coercive_measures", { "stay_id=s2", "extends_id=" }, "stay_id",
      "belongs to another person" },
    { "coercive_measures", { "stay_id=nope" }, "stay_id",
      "no contact with source_id 'nope' in source system 't'" },
    { "coercive_measures", { "source_system=other", "extends_id=" }, "stay_id",
      "no contact with source_id 's1' in source system 'other'" },
    { "coercive_measures", { "start=2023-03-05T02:59", "decided=" }, "start",
      "lies before the stay's admission" },
    { "coercive_measures", { "start=2023-03-12T11:01", "end=", "decided=" }, "start",
      "lies after the stay's discharge" },
    { "coercive_measures", { "end=2023-03-12T11:01" }, "end",
      "lies after the stay's discharge" },
    { "coercive_measures", { "decided=2023-03-07T09:01" }, "decided", "lies after 'start'" },
    { "coercive_measures", { "extends_id=m9" }, "extends_id",
      "extends a measure of another stay" },
    { "coercive_measures", { "extends_id=nope" }, "extends_id",
      "no coercive measure with source_id 'nope'" },
    { "coercive_measures", { "extends_id=s1" }, "extends_id",
      "no coercive measure with source_id 's1'" },
    /* follow-ups */
    { "follow_ups", { "stay_id=e1" }, "stay_id", "is not an inpatient stay" },
    { "follow_ups", { "stay_id=s2" }, "stay_id", "belongs to another person" },
    { "follow_ups", { "stay_id=nope" }, "stay_id", "no contact with source_id 'nope'" },
    { "follow_ups", { "time=2023-03-05T02:00" }, "time", "lies before the stay's admission" },
    /* contact_id of another person, or none */
    { "self_harm", { "contact_id=s2" }, "contact_id", "belongs to another person" },
    { "assessments", { "contact_id=s2" }, "contact_id", "belongs to another person" },
    { "self_harm", { "contact_id=nope" }, "contact_id", "no contact with source_id 'nope'" },
    { "assessments", { "contact_id=nope" }, "contact_id", "no contact with source_id 'nope'" },
    { "self_harm", { "contact_id=" X64 "x" }, "contact_id", "longer than 64 characters" },
    /* persons (P4 was born 2017-01-01) */
    { "persons", { "death_by_suicide=1" }, "death_by_suicide",
      "is 1 without a death_date" },
    { "persons", { "death_date=2016-12-31" }, "death_date", "lies before the birth date" },
    { "persons", { "death_date=2016-12-31", "death_by_suicide=1" }, "death_date",
      "lies before the birth date" },
    /* pathway steps */
    { "pathway_steps", { "step=1 first" }, "step", "use only letters, digits, '_', '-', '.'" },
    { "pathway_steps", { "step=1_första" }, "step", "use only letters, digits" },
    { "pathway_steps", { "step=1/2" }, "step", "use only letters, digits" },
    { "pathway_steps", { "step=" X40 "x" }, "step", "longer than 40 characters" },
    /* ids and text */
    { "units", { "source_id=" X64 "x" }, "source_id", "longer than 64 characters" },
    { "persons", { "source_id=" X64 "x" }, "source_id", "longer than 64 characters" },
    { "contacts", { "source_id=" X64 "x" }, "source_id", "longer than 64 characters" },
    { "treatments", { "source_system=" X64 "x" }, "source_system", "longer than 64 characters" },
    { "care_plans", { "source_id=a\tb" }, "source_id", "holds a control character" },
    { "units", { "code=" X64 "x" }, "code", "longer than 64 characters" },
    { "units", { "name=" X200 "x" }, "name", "longer than 200 characters" },
    { "units", { "name=A\tB" }, "name", "holds a control character" },
};

static const struct rule accepted_rules[] = {
    { "contacts", { "start=2026-11-23T23:59:59", "end=" }, NULL, NULL }, /* today's last second */
    { "contacts", { "start=2026-11-23", "end=2026-11-23T00:00" }, NULL, NULL },
    { "contacts", { "start=2024-05-14 09:00" }, NULL, NULL },
    { "contacts", { "start=2024-05-14T09:00:30" }, NULL, NULL },
    { "contacts", { "start=2024-05-14T10:00" }, NULL, NULL }, /* end == start */
    { "contacts", { "start=2006-07-09", "end=2006-07-09T10:00" }, NULL, NULL }, /* birthday */
    { "contacts", { "pnr=060709-2384" }, NULL, NULL },
    { "contacts", { "pnr=0607092384" }, NULL, NULL },
    { "contacts", { "pnr=200607092384" }, NULL, NULL },
    /* an id made of a timestamp is an id like any other (no valid number) */
    { "contacts", { "source_id=202401150930" }, NULL, NULL },
    { "units", { "name=Unit 7, floor 12, 2024-01-15" }, NULL, NULL },
    { "contacts", { "unit=IN", "contact_type=inpatient", "legal_basis=LPT", "brief_admission=1" },
      NULL, NULL },
    { "contacts", { "unit=IN", "contact_type=inpatient", "legal_basis=LRV", "end=" }, NULL, NULL },
    { "contacts", { "unit=EM", "contact_type=emergency", "legal_basis=voluntary" }, NULL, NULL },
    { "contacts", { "brief_admission=0" }, NULL, NULL },
    { "contacts", { "main_diagnosis=Z91.5A", "other_diagnoses=F32.1", "cause_code=X609" },
      NULL, NULL },
    { "contacts", { "other_diagnoses=F32.1 F41.1 Z91.5A X60.9" }, NULL, NULL },
    { "self_harm", { "cause_code=X60" }, NULL, NULL },
    { "self_harm", { "cause_code=X84.9" }, NULL, NULL },
    { "self_harm", { "cause_code=Y10", "contact_id=" }, NULL, NULL },
    { "self_harm", { "cause_code=Y34" }, NULL, NULL },
    { "self_harm", { "time=2006-07-09" }, NULL, NULL },
    { "coercive_measures", { "stay_id=s3", "start=2025-01-01T00:00", "end=", "decided=",
                             "extends_id=m9" }, NULL, NULL },
    { "coercive_measures", { "start=2023-03-05T03:00", "end=2023-03-12T11:00", "decided=" },
      NULL, NULL },
    { "coercive_measures", { "decided=2023-03-07T09:00", "extends_id=" }, NULL, NULL },
    { "coercive_measures", { "legal_basis=LVU", "measure_type=tvangsmedicinering" }, NULL,
      NULL },
    { "follow_ups", { "stay_id=" }, NULL, NULL },
    { "follow_ups", { "time=2023-03-05T03:00", "mode=video" }, NULL, NULL },
    { "assessments", { "contact_id=", "assessment_type=other" }, NULL, NULL },
    { "persons", { "death_date=2020-01-01", "death_by_suicide=1" }, NULL, NULL },
    { "persons", { "death_date=2017-01-01", "death_by_suicide=0" }, NULL, NULL },
    { "persons", { "death_by_suicide=0" }, NULL, NULL }, /* "did not die by suicide" */
    { "persons", { "death_date=2026-11-23" }, NULL, NULL },
    { "persons", { "pnr=701063-2391" }, NULL, NULL }, /* samordningsnummer */
    { "persons", { "pnr=@old" }, NULL, NULL },     /* YYMMDD+NNNC */
    { "persons", { "pnr=@partial" }, NULL, NULL }, /* birth day not known */
    { "contacts", { "cause_code=W19" }, NULL, NULL },
    { "units", { "region_code=25", "setting=inpatient", "unit_type=municipal" }, NULL, NULL },
    { "units", { "source_id=" X64, "source_system=" X64, "name=" X200 }, NULL, NULL },
    { "pathway_steps", { "step=a.b-c_D9", "pathway=adult" }, NULL, NULL },
    { "pathway_steps", { "step=" X40 }, NULL, NULL },
    { "treatments", { "end=" }, NULL, NULL },
    { "treatments", { "end=2023-04-01", "treatment_type=erita" }, NULL, NULL },
    { "care_plans", { "plan_type=sip", "time=2026-11-23T12:00" }, NULL, NULL },
};

/* Runs the rules; returns the number that went wrong (each is printed). */
static int check_rules(struct fx *f, const struct rule *rules, size_t n, int first_id)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        const struct rule *ru = &rules[i];
        const struct base_row *b = base_of(ru->kind);
        const char *table = reg_kind_table(reg_kind_find(ru->kind));
        int id = first_id + (int)i;
        char name[64], where[96], *text = rule_file(b, id, ru->set);
        snprintf(name, sizeof name, "%s-%d.csv", ru->kind, id);
        snprintf(where, sizeof where, "%s:3", name);
        int64_t before = count_of(f, table);
        struct result r;
        import_text(f, ru->kind, name, text, NULL, &r);
        const char *why = NULL;
        char want[128] = "";
        if (ru->field != NULL)
            snprintf(want, sizeof want, "field '%s': ", ru->field);
        if (r.csv_rc != 0)
            why = "the file failed as a whole";
        else if (ru->field == NULL && (r.rc != 0 || r.st.rejected != 0 || r.n != 0))
            why = "a valid row was rejected";
        else if (ru->field == NULL && (r.st.rows != 3 || r.st.stored + r.st.unchanged != 3))
            why = "expected 3 rows stored or unchanged";
        else if (ru->field != NULL && (r.rc != KN_EINPUT || r.st.rejected != 1 || r.n != 1))
            why = "expected exactly one rejected row and a rolled-back file";
        else if (ru->field != NULL && r.st.rows != 3)
            why = "expected 3 rows seen";
        else if (ru->field != NULL && strcmp(r.where[0], where) != 0)
            why = "wrong location";
        else if (ru->field != NULL && strncmp(r.reason[0], want, strlen(want)) != 0)
            why = "wrong field";
        else if (ru->field != NULL && strstr(r.reason[0], ru->reason) == NULL)
            why = "wrong reason";
        else if (ru->field != NULL && count_of(f, table) != before)
            why = "the rejected file changed the table";
        else if (ru->field != NULL && (pnr_find_shaped(r.reason[0], strlen(r.reason[0]),
                                                       NULL, NULL)
                                       || pnr_find_shaped(r.err.msg, strlen(r.err.msg),
                                                          NULL, NULL)))
            why = "the message holds what looks like a personnummer";
        if (why != NULL) {
            bad++;
            print_message("# rule %s %s%s%s: %s; got rc %d, %d rejected (%llu rows), "
                          "'%s: %s' %s\n", ru->kind, ru->set[0] ? ru->set[0] : "",
                          ru->set[1] ? " " : "", ru->set[1] ? ru->set[1] : "", why, r.rc,
                          r.n, (unsigned long long)r.st.rows, r.n ? r.where[0] : "",
                          r.n ? r.reason[0] : "", r.err.msg);
        }
        free(text);
    }
    return bad;
}

static void test_every_rule_rejects_its_row(void **state)
{
    struct fx *f = *state;
    load_base(f);
    int bad = check_rules(f, rejected_rules, sizeof rejected_rules / sizeof rejected_rules[0],
                          0);
    if (bad != 0)
        fail_msg("%d of %zu rejection rules went wrong (listed above)", bad,
                 sizeof rejected_rules / sizeof rejected_rules[0]);
    assert_fk_ok(f);
}

static void test_valid_edge_rows_are_accepted(void **state)
{
    struct fx *f = *state;
    load_base(f);
    /* The base rows themselves, for every kind. */
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        const struct rule plain = { bases[i].kind, { NULL }, NULL, NULL };
        if (check_rules(f, &plain, 1, 1000 + (int)i) != 0)
            fail_msg("the base rows of '%s' are not valid", bases[i].kind);
    }
    int bad = check_rules(f, accepted_rules, sizeof accepted_rules / sizeof accepted_rules[0],
                          2000);
    if (bad != 0)
        fail_msg("%d of %zu valid rows were not accepted (listed above)", bad,
                 sizeof accepted_rules / sizeof accepted_rules[0]);
    char buf[256];
    assert_string_equal(text_of(f, "SELECT group_concat(id_kind || birth_year || birth_month "
                                   "|| ifnull(birth_day, '?'), ' ') FROM person "
                                   "WHERE id_kind <> 'personnummer' OR birth_year < 1950",
                                buf, sizeof buf),
                        "samordningsnummer1970103 personnummer192011 samordningsnummer19903?");
    assert_fk_ok(f);
}

/* ---- known bugs: these tests fail until the import code is fixed ----
 *
 * BUG 1 (reg_kinds.c, contacts): docs/import-format.md says a contact's
 * cause_code is an ICD-10 external cause, "X60..X84, Y10..Y34, or another
 * chapter XX code" (chapter XX is V01-Y98); the import only checks the
 * ICD-10 shape and stores e.g. F32.1 as the external cause. */
static void test_contact_cause_code_must_be_chapter_xx(void **state)
{
    static const struct rule rules[] = {
        { "contacts", { "cause_code=F32.1" }, "cause_code", "" },
        { "contacts", { "cause_code=Z91.5" }, "cause_code", "" },
        { "contacts", { "cause_code=T42.4" }, "cause_code", "" },
        { "contacts", { "cause_code=Y99" }, "cause_code", "" },
    };
    struct fx *f = *state;
    load_base(f);
    int bad = check_rules(f, rules, sizeof rules / sizeof rules[0], 3000);
    if (bad != 0)
        fail_msg("BUG: %d non-external cause codes were accepted as a contact's cause_code",
                 bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_rule_rejects_its_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_valid_edge_rows_are_accepted, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_contact_cause_code_must_be_chapter_xx, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
