/* src/web/report/web_report.h: the portal's pages of the programme's
 * reports.
 *
 * GET /report/followup?year=YYYY[&region=CODE] (coordinators, analysts and
 * administrators) answers the yearly follow-up report (report/followup.h)
 * as `knod report followup` writes it, made from the results the portal
 * serves (the same suppressed rows) and the store's network tables: one
 * standalone page in the request's language. year defaults to the last
 * whole year; a bad year or an unknown region is a 400 naming the
 * parameter.
 */
#ifndef KNOD_WEB_REPORT_WEB_REPORT_H
#define KNOD_WEB_REPORT_WEB_REPORT_H

#include "web/web_req.h"

int web_page_report_followup(struct web_req *rq);

#endif /* KNOD_WEB_REPORT_WEB_REPORT_H */
