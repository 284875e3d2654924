/* src/web/portal/web_measure.h: a measure of a definition named in words.
 *
 * The indicator page's measure chooser names each measure of a definition
 * in the reader's language, from the message catalogue (data/i18n, keys
 * mw_*), never by its code: what is counted (the definition's events, or
 * persons) and its unit (ind_measure_unit), e.g. "Antal vårdtillfällen per
 * 100 000 invånare" / "Number of stays per 100,000 population", "Antal
 * vårddagar" / "Number of care days", "Andel i procent" / "Share in per
 * cent". Two measures of one shipped definition never get the same words
 * (tests/http/http_measure.py checks every shipped definition).
 */
#ifndef KNOD_WEB_WEB_MEASURE_H
#define KNOD_WEB_WEB_MEASURE_H

#include "lang/ind.h"
#include "web/web_req.h"

/* The words for measure m of definition d, in rq->arena ("" when memory
 * ran out). */
const char *web_measure_label(struct web_req *rq, const struct ind_def *d,
                              const struct ind_measure *m);

#endif /* KNOD_WEB_WEB_MEASURE_H */
