/* src/web/report/web_report.h: the portal's pages of the programme's
 * reports.
 *
 * The yearly follow-up report (report/followup.h), for coordinators,
 * analysts and administrators, made from the results the portal serves
 * (the same suppressed rows) and the store's network tables, in the
 * request's language:
 *   GET /report/followup?year=YYYY[&region=CODE]  the report's content in
 *       the portal's layout (header, navigation, language switch, footer;
 *       template report_followup_page.html around report_followup_body),
 *       with a form to choose the year and the region (the nation, or a
 *       region within the user's scope) and a link to the file;
 *   GET /report/followup.html?year=YYYY[&region=CODE]  the standalone file
 *       as a download (followup-YYYY[-CODE].html), byte for byte what
 *       `knod report followup` writes.
 * year defaults to the last whole year; a bad year or an unknown region
 * is a 400 naming the parameter, a region outside the user's scope a 403.
 */
#ifndef KNOD_WEB_REPORT_WEB_REPORT_H
#define KNOD_WEB_REPORT_WEB_REPORT_H

#include "web/web_req.h"

int web_page_report_followup(struct web_req *rq);
int web_page_report_followup_file(struct web_req *rq);

#endif /* KNOD_WEB_REPORT_WEB_REPORT_H */
