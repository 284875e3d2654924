/* src/report/followup.h: the programme's yearly follow-up report.
 *
 * `knod report followup --period YEAR [--region R] --out DIR` puts the
 * year's follow-up together from data, in the order the programme office
 * reports to the government:
 *   1. the overall goal and the two sub-goals (fewer young people who harm
 *      themselves, fewer inpatient admissions, fewer coercive measures),
 *      each by its headline indicator: the indicator of that goal whose
 *      target is a change from a base year (the catalogue), its
 *      national trend (with the region's beside it) against the target,
 *      and every region's value in the year with the target's status;
 *   2. compliance with the care pathway (vårdförlopp): every pathway
 *      indicator with a target, nationally and for the region (or how many
 *      regions met it);
 *   3. trainings in the year and their participants by region and
 *      profession (counts of staff, not of patients: shown as they are);
 *   4. consultations in individual cases: the share answered within N
 *      working days, by asking region and for the nation;
 *   5. development activities and their funding, allocated and spent;
 *   6. surveys closed in the year: each question's answers with small
 *      groups hidden as `knod survey report` hides them (free text left
 *      out: it stays with the coordinators);
 * with free-text sections the programme office writes in Markdown.
 *
 * Every figure of sections 1 and 2 is a published row of the engine's
 * output under disclosure control (the rows `knod indicators run --format
 * json` prints for the whole catalogue), so the report shows exactly what
 * the other outputs show: a hidden value is "suppressed" with its reason,
 * never a number. The report holds no time of its own making: the same
 * data gives the same bytes (a test makes it twice).
 *
 * Free text: --text DIR holds any of FOLLOWUP_TEXTS as NAME.md, rendered
 * by hub_render (safe Markdown); another file there, or a text holding
 * something shaped like a personnummer, is refused with its name.
 */
#ifndef KNOD_REPORT_FOLLOWUP_H
#define KNOD_REPORT_FOLLOWUP_H

#include <jansson.h>
#include <stdbool.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/strbuf.h"
#include "domain/geo.h"
#include "lang/ind.h"
#include "store/store.h"

/* The free-text sections, in report order (NULL-terminated). */
extern const char *const FOLLOWUP_TEXTS[];

struct followup_options {
    int year;             /* the year reported */
    const char *region;   /* a region's code: its figures beside the nation's; NULL: all */
    const json_t *texts;  /* the free-text sections (followup_texts), or NULL */
    const char *lang;     /* "sv" or "en" */
    int consult_days;     /* consultations answered within this many working days */
    int min_count;        /* surveys: the disclosure rule's floor ([disclosure] min_count) */
};

/* The free-text sections of dir as a new object {NAME: safe HTML}, read
 * before anything is computed so a bad text fails fast. KN_EINPUT naming
 * the folder, or the file and line. */
int followup_texts(json_t **out, const char *dir, struct kn_error *err);

/* The published rows of run (suppressed: sup_apply() has run) of the
 * nation and the regions, both sexes and all ages, in the years up to
 * year, as a new JSON array: those rows of `knod indicators run --format
 * json`, read back (the finer levels, the sexes apart and the age bands,
 * which the report does not read, are left out). */
struct eng_run;
int followup_rows(json_t **out, const struct eng_run *run, int year, struct kn_error *err);

/* The same rows of the years [from, to] only (from 0: from the first). */
int followup_rows_years(json_t **out, const struct eng_run *run, int from, int to,
                        struct kn_error *err);

/* The report's model: the figures of rows (a JSON array of the engine's
 * output rows, as `knod indicators run --format json` prints them) and of
 * the network's tables in st, the catalogue's titles, and the texts.
 * KN_EINPUT naming the option or the text file; KN_ESTORE. */
int followup_model(json_t **out, struct store *st, const json_t *rows,
                   const struct ind_catalogue *cat, const struct geo *g,
                   const struct followup_options *o, struct arena *a, struct kn_error *err);

/* The model as one standalone HTML page (its charts as inline SVG, its
 * style inline, no script), through web/templates/report_followup.html. */
int followup_html(const json_t *model, struct strbuf *out, struct kn_error *err);

/* A new copy of model with its charts drawn (goal.trend_svg,
 * goal.regions_svg), as followup_html renders it: for a page that shows
 * the report's content (web/templates/report_followup_body.html) inside
 * another layout, the portal's. */
int followup_page_model(json_t **out, const json_t *model, struct kn_error *err);

/* Write html as DIR/NAME.html and, with pdf, DIR/NAME.pdf made from it by
 * WeasyPrint (the `weasyprint` command) with SOURCE_DATE_EPOCH=epoch (the
 * PDF's only time: pass one taken from the data, e.g. the end of the year
 * reported); each file whole or not at all. An existing file is replaced.
 * The paths written are appended to written, one per line. */
int followup_write(const char *dir, const char *name, const struct strbuf *html, bool pdf,
                   long long epoch, struct strbuf *written, struct kn_error *err);

#endif /* KNOD_REPORT_FOLLOWUP_H */
