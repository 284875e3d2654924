/* src/web/web_router.c: the route table and matching (web_router.h).
 * A few dozen routes: a linear scan per request costs less than the
 * template rendering by far. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/access_emergency.h"
#include "access/access_scope.h"
#include "access/access_session.h"
#include "hub/hub_yearly.h"
#include "web/care/web_care.h"
#include "web/care/web_upload_db.h"
#include "web/hub/web_hub_refs.h"
#include "web/network/web_net.h"
#include "web/network/web_net_pedit.h"
#include "web/network/web_net_edit.h"
#include "web/network/web_survey.h"
#include "web/network/web_survey_edit.h"
#include "web/hub/web_hub.h"
#include "web/hub/web_hub_work.h"
#include "web/report/web_report.h"
#include "web/web_pages.h"
#include "web/web_router.h"
#include "web/web_session.h"

/* clang-format off */
static const struct web_route routes[] = {
    /* method pattern                      handler                 access    template  results */
    { "GET", "/",                          web_page_start,         "public", "start",     true },
    { "GET", "/api/v1/start",              web_page_start,         "public", NULL,        true },
    { "GET", "/indicators",                web_page_catalogue,     "public", "catalogue", false },
    { "GET", "/api/v1/indicators",         web_page_catalogue,     "public", NULL,        false },
    { "GET", "/indicators/{id}",           web_page_indicator,     "public", "indicator", true },
    { "GET", "/api/v1/indicators/{id}",    web_page_indicator,     "public", NULL,        true },
    { "GET", "/regions",                   web_page_regions,       "public", "regions",   false },
    { "GET", "/api/v1/regions",            web_page_regions,       "public", NULL,        false },
    { "GET", "/regions/{code}",            web_page_region,        "public", "region",    true },
    { "GET", "/api/v1/regions/{code}",     web_page_region,        "public", NULL,        true },
    { "GET", "/api/v1/municipalities",     web_api_municipalities, "public", NULL,        false },
    { "GET", "/overview",                  web_page_overview,      "public", "overview",  true },
    { "GET", "/api/v1/overview",           web_page_overview,      "public", NULL,        true },
    { "GET", "/about",                     web_page_about,         "public", "about",     false },
    { "GET", "/downloads",                 web_page_downloads,     "public", "downloads", false },
    { "GET", "/api/v1/results",            web_api_results,        "public", NULL,        true },
    { "GET", "/api/v1/status",             web_api_status,         "public", NULL,        false },
    { "GET", "/api/v1/openapi.json",       web_api_openapi,        "public", NULL,        false },
    { "GET", "/static/{file}",             web_static_file,        "public", NULL,        false },
    /* the programme's reports (issue 15) */
    { "GET", "/report/followup",           web_page_report_followup, "coordinator,analyst,admin", "report_followup_page", true },
    { "GET", "/report/followup.html",      web_page_report_followup_file, "coordinator,analyst,admin", NULL, true },
    /* sign-in, sessions, users and person-level pages (issue 13) */
    { "GET",  "/login",                    web_page_login,         "public",    "login",   false },
    { "POST", "/login",                    web_page_login_post,    "public",    "login",   false },
    { "GET",  "/login/oidc",               web_page_oidc_start,    "public",    NULL,      false },
    { "GET",  "/login/oidc/callback",      web_page_oidc_callback, "public",    NULL,      false },
    { "POST", "/logout",                   web_page_logout,        "signed-in", NULL,      false },
    { "GET",  "/account",                  web_page_account,       "signed-in", "account", false },
    { "GET",  "/api/v1/account",           web_page_account,       "signed-in", NULL,      false },
    { "POST", "/account/signout-all",      web_page_signout_all,   "signed-in", NULL,      false },
    { "GET",  "/admin/users",              web_page_admin_users,   "admin",     "admin_users", false },
    { "POST", "/admin/users/disable",      web_page_admin_disable, "admin",     NULL,      false },
    { "POST", "/admin/users/enable",       web_page_admin_enable,  "admin",     NULL,      false },
    { "GET",  "/admin/audit",              web_page_admin_audit,   "admin",     "admin_audit", false },
    { "GET",  "/persons/{pseudonym}",      web_page_person,        "coordinator,registrar,clinician @person", "person", false },
    { "POST", "/purpose",                  web_page_purpose,       "coordinator,registrar,clinician", NULL, false },
    { "GET",  "/persons/{pseudonym}/emergency", web_page_emergency, "coordinator,registrar,clinician", "emergency", false },
    { "POST", "/persons/{pseudonym}/emergency", web_page_emergency_post, "coordinator,registrar,clinician", "emergency", false },
    { "GET",  "/review/{region}",          web_page_review,        "coordinator,admin @region", "review", false },
    { "POST", "/review/{region}/done",     web_page_review_done,   "coordinator,admin @region", NULL, false },
    /* registration forms and uploads (issue 13, src/web/care) */
    { "GET",  "/register",                 web_care_register_index, "coordinator,registrar,clinician", "care_register_index", false },
    { "GET",  "/register/{kind}",          web_care_register_form, "coordinator,registrar,clinician", "care_register", false },
    { "POST", "/register/{kind}",          web_care_register_post, "coordinator,registrar,clinician", "care_register", false },
    { "GET",  "/persons/{pseudonym}/correct", web_care_correct_form, "coordinator,registrar,clinician @person", "care_register", false },
    { "POST", "/persons/{pseudonym}/correct", web_care_correct_post, "coordinator,registrar,clinician @person", "care_register", false },
    { "GET",  "/persons/{pseudonym}/delete", web_care_delete_form,  "coordinator,registrar,clinician @person", "care_delete", false },
    { "POST", "/persons/{pseudonym}/delete", web_care_delete_post,  "coordinator,registrar,clinician @person", "care_delete", false },
    { "GET",  "/upload",                   web_care_upload_form,   "coordinator,registrar", "care_upload", false },
    { "POST", "/upload",                   web_care_upload_post,   "coordinator,registrar", "care_upload", false },
    { "GET",  "/upload/{id}",              web_care_upload_status, "coordinator,registrar,admin @upload", "care_upload_status", false },
    { "GET",  "/upload/{id}/rejects.csv",  web_care_upload_rejects, "coordinator,registrar,admin @upload", NULL, false },
    { "GET",  "/api/v1/uploads/{id}",      web_care_upload_status, "coordinator,registrar,admin @upload", NULL, false },
    /* the care-pathway worklists (issue 13) */
    { "GET",  "/worklist",                 web_page_worklist,      "coordinator,registrar,clinician", "care_worklist", true },
    { "GET",  "/worklist/units",           web_page_worklist_units, "coordinator", "care_worklist_units", true },
    { "GET",  "/api/v1/worklist",          web_page_worklist,      "coordinator,registrar,clinician", NULL, true },
    { "GET",  "/api/v1/worklist/units",    web_page_worklist_units, "coordinator", NULL, true },
    /* the document workflow for staff (issue 14, src/web/hub/web_hub_work*.c, docs/hub.md):
     * before /documents/{id}; the owner's steps and texts (@owner: or an administrator),
     * the programme office's (admin) NPO decisions and consultation round, anyone
     * signed in comments while in review */
    { "GET",  "/documents/work",             web_hub_work,           "signed-in", "hub_work", false },
    { "GET",  "/api/v1/documents/work",      web_hub_work,           "signed-in", NULL,       false },
    { "GET",  "/documents/{id}/work",        web_hub_work_doc,       "signed-in", "hub_work_doc", false },
    { "GET",  "/api/v1/documents/{id}/work", web_hub_work_doc,       "signed-in", NULL,       false },
    { "POST", "/documents/{id}/work/step",   web_hub_work_step,      "signed-in @owner", "hub_work_doc", false },
    { "POST", "/documents/{id}/work/decide", web_hub_work_decide,    "admin", "hub_work_doc", false },
    { "POST", "/documents/{id}/work/comment", web_hub_work_comment,  "signed-in", "hub_work_doc", false },
    { "POST", "/documents/{id}/work/invite", web_hub_work_invite,    "admin", "hub_work_doc", false },
    { "POST", "/documents/{id}/work/answer", web_hub_work_answer,    "admin", "hub_work_doc", false },
    { "POST", "/documents/{id}/work/impact", web_hub_work_impact,    "signed-in @owner", "hub_work_doc", false },
    { "POST", "/documents/{id}/work/version", web_hub_work_version,  "signed-in @owner", "hub_work_doc", false },
    { "POST", "/documents/{id}/work/reviewer", web_hub_work_reviewer, "signed-in @owner", "hub_work_doc", false },
    /* the knowledge hub (issue 14) */
    { "GET", "/documents",                 web_hub_documents,      "public", "hub_documents", false },
    { "GET", "/api/v1/documents",          web_hub_documents,      "public", NULL,        false },
    { "GET", "/documents/{id}",            web_hub_document,       "public", "hub_document", false },
    { "GET", "/api/v1/documents/{id}",     web_hub_document,       "public", NULL,        false },
    { "GET", "/documents/{id}/diff",       web_hub_document_diff,  "public", "hub_diff",  false },
    { "GET", "/pathways",                  web_hub_pathways,       "public", "hub_pathways", false },
    { "GET", "/api/v1/pathways",           web_hub_pathways,       "public", NULL,        false },
    { "GET", "/pathways/{code}",           web_hub_pathway,        "public", "hub_pathway", true },
    { "GET", "/api/v1/pathways/{code}",    web_hub_pathway,        "public", NULL,        true },
    { "GET", "/pathways/{code}/patientresa", web_hub_patientresa,  "public", "hub_patientresa", false },
    /* the yearly review of a user's documents (src/web/hub/web_hub_review.c) */
    { "GET", "/api/v1/reviews",            web_hub_reviews,        "signed-in", NULL,     false },
    { "POST", "/documents/{id}/reviewed",  web_hub_reviewed,       "signed-in @owner", NULL, false },
    /* the evidence and practice register (src/web/hub/web_hub_refs.c) */
    { "GET", "/references",                web_hub_references,     "public", "hub_refs",      false },
    { "GET", "/api/v1/references",         web_hub_references,     "public", NULL,            false },
    { "GET", "/references/{id}",           web_hub_reference,      "public", "hub_ref",       false },
    { "GET", "/api/v1/references/{id}",    web_hub_reference,      "public", NULL,            false },
    { "GET", "/practices",                 web_hub_practices,      "public", "hub_ref_practices", false },
    { "GET", "/api/v1/practices",          web_hub_practices,      "public", NULL,            false },
    { "GET", "/practices/{id}",            web_hub_practice,       "public", "hub_ref_practice", false },
    { "GET", "/api/v1/practices/{id}",     web_hub_practice,       "public", NULL,            false },
    /* the network (issue 15) */
    { "GET", "/events.ics",                web_page_events_ics,    "public", NULL,        false },
    /* the network's pages (issue 15, src/web/network) */
    /* the network's editing forms (src/web/network/web_net_edit_*.c): as the
     * commands' add and update, audited; /nodes/new and the others are matched
     * before the pages below */
    { "GET",  "/nodes/new",                web_net_node_new,       "admin", "network_edit_form", false },
    { "POST", "/nodes/new",                web_net_node_new_post,  "admin", "network_edit_form", false },
    { "GET",  "/nodes/{code}/change",      web_net_node_change,    "admin", "network_edit_form", false },
    { "POST", "/nodes/{code}/change",      web_net_node_change_post, "admin", "network_edit_form", false },
    { "GET",  "/api/v1/nodes/{code}",      web_net_node,           "public", NULL, false },
    { "GET",  "/groups/new",               web_net_group_new,      "admin", "network_edit_form", false },
    { "POST", "/groups/new",               web_net_group_new_post, "admin", "network_edit_form", false },
    { "GET",  "/groups/{code}/change",     web_net_group_change,   "coordinator,admin @group", "network_edit_form", false },
    { "POST", "/groups/{code}/change",     web_net_group_change_post, "coordinator,admin @group", "network_edit_form", false },
    { "GET",  "/groups/{code}/members/new", web_net_member_new,    "coordinator,admin @group", "network_edit_form", false },
    { "POST", "/groups/{code}/members/new", web_net_member_new_post, "coordinator,admin @group", "network_edit_form", false },
    { "GET",  "/members/{id}/change",      web_net_member_change,  "coordinator,admin @member", "network_edit_form", false },
    { "POST", "/members/{id}/change",      web_net_member_change_post, "coordinator,admin @member", "network_edit_form", false },
    { "GET",  "/api/v1/members/{id}",      web_net_member,         "public", NULL, false },
    { "GET",  "/trainings/new",            web_net_training_new,   "coordinator,admin", "network_edit_form", false },
    { "POST", "/trainings/new",            web_net_training_new_post, "coordinator,admin", "network_edit_form", false },
    { "GET",  "/trainings/{id}/change",    web_net_training_change, "coordinator,admin", "network_edit_form", false },
    { "POST", "/trainings/{id}/change",    web_net_training_change_post, "coordinator,admin", "network_edit_form", false },
    { "GET",  "/trainings/{id}/participants", web_net_participants, "coordinator,admin", "network_edit_form", false },
    { "POST", "/trainings/{id}/participants", web_net_participants_post, "coordinator,admin", "network_edit_form", false },
    { "GET",  "/api/v1/trainings/{id}",    web_net_training,       "public", NULL, false },
    { "GET", "/nodes",                     web_net_nodes,          "public", "network_nodes",      false },
    { "GET", "/groups",                    web_net_groups,         "public", "network_groups",     false },
    { "GET", "/groups/{code}",             web_net_group,          "public", "network_group",      false },
    { "GET", "/units",                     web_net_units,          "public", "network_units",      false },
    { "GET",  "/units/new",                web_net_unit_new,       "coordinator,admin", "network_edit_form", false },
    { "POST", "/units/new",                web_net_unit_new_post,  "coordinator,admin", "network_edit_form", false },
    { "GET", "/units/{code}",              web_net_unit,           "public", "network_unit",       false },
    { "GET",  "/units/{code}/change",      web_net_unit_change,    "coordinator,admin @unit", "network_edit_form", false },
    { "POST", "/units/{code}/change",      web_net_unit_change_post, "coordinator,admin @unit", "network_edit_form", false },
    { "GET", "/trainings",                 web_net_trainings,      "public", "network_trainings",  false },
    { "GET", "/activities",                web_net_activities,     "public", "network_activities", false },
    { "GET", "/funding",                   web_net_funding,        "public", "network_funding",    false },
    /* activities, their funding and events edited in the portal
     * (src/web/network/web_net_pedit_*.c; before /events/{id}) */
    { "GET",  "/activities/new",           web_net_pedit_activity_new, "coordinator,admin", "network_edit_form", false },
    { "POST", "/activities/new",           web_net_pedit_activity_new_post, "coordinator,admin", "network_edit_form", false },
    { "GET",  "/activities/{id}",          web_net_pedit_activity, "public", "network_pedit_activity", false },
    { "GET",  "/api/v1/activities/{id}",   web_net_pedit_activity, "public", NULL, false },
    { "GET",  "/activities/{id}/change",   web_net_pedit_activity_change, "coordinator,admin @activity", "network_edit_form", false },
    { "POST", "/activities/{id}/change",   web_net_pedit_activity_change_post, "coordinator,admin @activity", "network_edit_form", false },
    { "GET",  "/activities/{id}/funding",  web_net_pedit_funding,  "coordinator,admin @activity", "network_edit_form", false },
    { "POST", "/activities/{id}/funding",  web_net_pedit_funding_post, "coordinator,admin @activity", "network_edit_form", false },
    { "GET",  "/events/new",               web_net_pedit_event_new, "coordinator,admin", "network_edit_form", false },
    { "POST", "/events/new",               web_net_pedit_event_new_post, "coordinator,admin", "network_edit_form", false },
    { "GET",  "/events/{id}/change",       web_net_pedit_event_change, "coordinator,admin @event", "network_edit_form", false },
    { "POST", "/events/{id}/change",       web_net_pedit_event_change_post, "coordinator,admin @event", "network_edit_form", false },
    { "GET",  "/events/{id}/registrations", web_net_pedit_registrations, "coordinator,admin @event", "network_pedit_registrations", false },
    { "GET",  "/api/v1/events/{id}/registrations", web_net_pedit_registrations, "coordinator,admin @event", NULL, false },
    { "GET", "/events",                    web_net_events,         "public", "network_events",     false },
    { "GET", "/events/{id}",               web_net_event,          "public", "network_event",      false },
    { "POST", "/events/{id}/register",     web_net_event_register, "coordinator", "network_event", false },
    { "GET", "/api/v1/nodes",              web_net_nodes,          "public", NULL,        false },
    { "GET", "/api/v1/groups",             web_net_groups,         "public", NULL,        false },
    { "GET", "/api/v1/groups/{code}",      web_net_group,          "public", NULL,        false },
    { "GET", "/api/v1/members",            web_net_members,        "public", NULL,        false },
    { "GET", "/api/v1/units",              web_net_units,          "public", NULL,        false },
    { "GET", "/api/v1/units/{code}",       web_net_unit,           "public", NULL,        false },
    { "GET", "/api/v1/trainings",          web_net_trainings,      "public", NULL,        false },
    { "GET", "/api/v1/activities",         web_net_activities,     "public", NULL,        false },
    { "GET", "/api/v1/funding",            web_net_funding,        "public", NULL,        false },
    { "GET", "/api/v1/events",             web_net_events,         "public", NULL,        false },
    { "GET", "/api/v1/events/{id}",        web_net_event,          "public", NULL,        false },
    /* surveys: answering by link (the token is the credential), results */
    { "GET",  "/s/{token}",                web_survey_form,        "public", "survey_answer", false },
    { "POST", "/s/{token}",                web_survey_post,        "public", "survey_answer", false },
    /* surveys built, sent, closed and linked in the portal
     * (src/web/network/web_survey_*.c; before /surveys/{id}) */
    { "GET",  "/surveys/new",              web_survey_new,         "coordinator,admin", "network_edit_form", false },
    { "POST", "/surveys/new",              web_survey_new_post,    "coordinator,admin", "network_edit_form", false },
    { "GET",  "/surveys/new/file",         web_survey_new_file,    "coordinator,admin", "network_edit_form", false },
    { "POST", "/surveys/new/file",         web_survey_new_file_post, "coordinator,admin", "network_edit_form", false },
    { "GET",  "/surveys/new/example",      web_survey_new_example, "coordinator,admin", "network_edit_form", false },
    { "POST", "/surveys/new/example",      web_survey_new_example_post, "coordinator,admin", "network_edit_form", false },
    { "GET",  "/surveys/{id}/edit",        web_survey_edit,        "coordinator,admin @survey", "survey_edit", false },
    { "GET",  "/api/v1/surveys/{id}/edit", web_survey_edit,        "coordinator,admin @survey", NULL, false },
    { "GET",  "/surveys/{id}/change",      web_survey_change,      "coordinator,admin @survey", "network_edit_form", false },
    { "POST", "/surveys/{id}/change",      web_survey_change_post, "coordinator,admin @survey", "network_edit_form", false },
    { "GET",  "/surveys/{id}/preview",     web_survey_preview,     "coordinator,admin @survey", "survey_answer", false },
    { "GET",  "/surveys/{id}/questions/new", web_survey_question_new, "coordinator,admin @survey", "network_edit_form", false },
    { "POST", "/surveys/{id}/questions/new", web_survey_question_new_post, "coordinator,admin @survey", "network_edit_form", false },
    { "GET",  "/surveys/{id}/questions/{n}/change", web_survey_question_change, "coordinator,admin @survey", "network_edit_form", false },
    { "POST", "/surveys/{id}/questions/{n}/change", web_survey_question_change_post, "coordinator,admin @survey", "network_edit_form", false },
    { "POST", "/surveys/{id}/questions/{n}/move", web_survey_question_move, "coordinator,admin @survey", "survey_edit", false },
    { "POST", "/surveys/{id}/questions/{n}/remove", web_survey_question_remove, "coordinator,admin @survey", "survey_edit", false },
    { "GET",  "/surveys/{id}/send",        web_survey_send,        "coordinator,admin @survey", "survey_send", false },
    { "POST", "/surveys/{id}/send",        web_survey_send_post,   "coordinator,admin @survey", "survey_send", false },
    { "POST", "/surveys/{id}/links.csv",   web_survey_links_csv,   "coordinator,admin @survey", NULL, false },
    { "GET",  "/surveys/{id}/close",       web_survey_close,       "coordinator,admin @survey", "network_edit_form", false },
    { "POST", "/surveys/{id}/close",       web_survey_close_post,  "coordinator,admin @survey", "network_edit_form", false },
    { "GET",  "/surveys/{id}/link",        web_survey_link,        "coordinator,admin @survey", "network_edit_form", false },
    { "POST", "/surveys/{id}/link",        web_survey_link_post,   "coordinator,admin @survey", "network_edit_form", false },
    { "GET",  "/surveys",                  web_survey_list,        "coordinator,admin", "survey_list", false },
    { "GET",  "/api/v1/surveys",           web_survey_list,        "coordinator,admin", NULL, false },
    { "GET",  "/surveys/{id}",             web_survey_report,      "coordinator,admin", "survey_report", false },
    { "GET",  "/api/v1/surveys/{id}",      web_survey_report,      "coordinator,admin", NULL, false },
    /* the consultations' shares answered in time, counts only, with downloads
     * (before /consultations/{id}, which would take "stats") */
    { "GET",  "/api/v1/consultations/stats", web_net_consult_stats, "coordinator,registrar,clinician", NULL, false },
    /* consultations in individual cases: their two parties only */
    { "GET",  "/consultations",            web_net_consultations,  "coordinator,registrar,clinician", "network_consultations", false },
    { "GET",  "/api/v1/consultations",     web_net_consultations,  "coordinator,registrar,clinician", NULL, false },
    { "POST", "/consultations",            web_net_consult_ask,    "coordinator,registrar,clinician", "network_consultations", false },
    { "GET",  "/consultations/{id}",       web_net_consultation,   "coordinator,registrar,clinician @consultation", "network_consultation", false },
    { "GET",  "/api/v1/consultations/{id}", web_net_consultation,  "coordinator,registrar,clinician @consultation", NULL, false },
    { "POST", "/consultations/{id}/triage", web_net_consult_triage, "coordinator,registrar,clinician @consulted", NULL, false },
    { "POST", "/consultations/{id}/answer", web_net_consult_answer, "coordinator,registrar,clinician @consulted", "network_consultation", false },
    /* the newsletter's preview and downloads (src/web/network/web_net_newsletter.c) */
    { "GET",  "/newsletter",               web_net_newsletter,     "coordinator,admin", "network_newsletter", true },
    { "GET",  "/api/v1/newsletter",        web_net_newsletter,     "coordinator,admin", NULL, true },
};
/* clang-format on */

const struct web_route *web_routes(size_t *n)
{
    *n = sizeof routes / sizeof routes[0];
    return routes;
}

/* The declaration's words: roles (or "signed-in") and an optional scope
 * rule. Returns false on an unknown word. */
struct decl {
    bool any_user;
    unsigned roles; /* 1 << enum access_role */
    enum {
        RULE_NONE,
        RULE_REGION,
        RULE_PERSON,
        RULE_CONSULT,
        RULE_CONSULTED,
        RULE_UNIT,
        RULE_OWNER,
        RULE_UPLOAD,
        RULE_ACTIVITY,
        RULE_EVENT,
        RULE_GROUP,
        RULE_MEMBER,
        RULE_SURVEY
    } rule;
};

static bool parse_decl(const char *access, struct decl *d)
{
    memset(d, 0, sizeof *d);
    const char *p = access;
    while (*p) {
        size_t n = strcspn(p, ", ");
        char w[32];
        if (n == 0 || n >= sizeof w)
            return false;
        memcpy(w, p, n);
        w[n] = '\0';
        int r;
        if (strcmp(w, "signed-in") == 0)
            d->any_user = true;
        else if (strcmp(w, "@region") == 0)
            d->rule = RULE_REGION;
        else if (strcmp(w, "@person") == 0)
            d->rule = RULE_PERSON;
        else if (strcmp(w, "@consultation") == 0)
            d->rule = RULE_CONSULT;
        else if (strcmp(w, "@consulted") == 0)
            d->rule = RULE_CONSULTED;
        else if (strcmp(w, "@unit") == 0)
            d->rule = RULE_UNIT;
        else if (strcmp(w, "@owner") == 0)
            d->rule = RULE_OWNER;
        else if (strcmp(w, "@upload") == 0)
            d->rule = RULE_UPLOAD;
        else if (strcmp(w, "@activity") == 0)
            d->rule = RULE_ACTIVITY;
        else if (strcmp(w, "@event") == 0)
            d->rule = RULE_EVENT;
        else if (strcmp(w, "@group") == 0)
            d->rule = RULE_GROUP;
        else if (strcmp(w, "@member") == 0)
            d->rule = RULE_MEMBER;
        else if (strcmp(w, "@survey") == 0)
            d->rule = RULE_SURVEY;
        else if ((r = access_role_parse(w)) >= 0)
            d->roles |= 1u << r;
        else
            return false;
        p += n;
        if (*p)
            p++;
    }
    return d->any_user || d->roles;
}

bool web_access_valid(const char *access)
{
    struct decl d;
    return strcmp(access, "public") == 0 || parse_decl(access, &d);
}

/* The answer of a rule whose store lookup returned rc: no such object is
 * 404, another failure 500, else 0 when allowed and 403 when not. */
static int rule_answer(struct web_req *rq, int rc, bool allowed)
{
    if (rc == KN_ENOTFOUND) {
        rq->error = web_t(rq, "err_404_text");
        return 404;
    }
    if (rc != 0)
        return 500;
    return allowed ? 0 : 403;
}

/* The path's {id} as a positive number, or 0 when it is none. */
static long long number_param(struct web_req *rq)
{
    const char *id_s = web_param(rq, "id");
    char *end = NULL;
    long long id = id_s && *id_s ? strtoll(id_s, &end, 10) : 0;
    return id > 0 && *end == '\0' ? id : 0;
}

/* The consultation rules: u is one of the two parties of consultation
 * {id} (access_scope_consultation), or with asked_only the party asked.
 * An id that is no number, or no consultation, is 404. */
static int consult_allows(struct web_req *rq, const struct access_user *u, bool asked_only)
{
    long long id = number_param(rq);
    if (id <= 0) {
        rq->error = web_t(rq, "err_404_text");
        return 404;
    }
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    bool asking = false, asked = false;
    if (!st)
        return 500;
    int rc = access_scope_consultation(st, u, id, &asking, &asked, &err);
    return rule_answer(rq, rc, asked || (asking && !asked_only));
}

/* The unit rule: the care unit {code} is within u's scope
 * (access_scope_has_unit); no such unit is 404. */
static int unit_allows(struct web_req *rq, const struct access_user *u)
{
    const char *code = web_param(rq, "code");
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    bool in = false;
    if (!code)
        return 403;
    if (!st)
        return 500;
    int rc = access_scope_has_unit(st, u, code, &in, &err);
    return rule_answer(rq, rc, in);
}

/* The owner rule: u owns document {id} (hub_yearly_owns: the document's
 * owner is u's name or is linked to u), or u is an administrator. No such
 * document is 404. */
static int owner_allows(struct web_req *rq, const struct access_user *u)
{
    const char *id = web_param(rq, "id");
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    bool owns = false;
    if (!id)
        return 403;
    if (!st)
        return 500;
    int rc = hub_yearly_owns(st, id, u->name, &owns, &err);
    return rule_answer(rq, rc, owns || u->role == ROLE_ADMIN);
}

/* The upload rule: upload {id} is u's own, or u is an administrator. An
 * id that is no number, or no upload, is 404. */
static int upload_allows(struct web_req *rq, const struct access_user *u)
{
    long long id = number_param(rq);
    if (id <= 0) {
        rq->error = web_t(rq, "err_404_text");
        return 404;
    }
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    int64_t owner = 0;
    if (!st)
        return 500;
    int rc = web_upload_db_owner(st, id, &owner, &err);
    return rule_answer(rq, rc, owner == u->id || u->role == ROLE_ADMIN);
}

int web_route_allows(const struct web_route *route, struct web_req *rq)
{
    struct decl d;
    if (strcmp(route->access, "public") == 0)
        return 0;
    if (!parse_decl(route->access, &d))
        return 403; /* closed: the table's unit test rules this out */
    if (!rq->session)
        return 401;
    const struct access_user *u = &rq->session->user;
    if (!d.any_user && !(d.roles & (1u << u->role)))
        return 403;
    if (d.rule == RULE_REGION)
        return access_scope_has_region(u, web_param(rq, "region")) ? 0 : 403;
    if (d.rule == RULE_CONSULT || d.rule == RULE_CONSULTED)
        return consult_allows(rq, u, d.rule == RULE_CONSULTED);
    if (d.rule == RULE_UNIT)
        return unit_allows(rq, u);
    if (d.rule == RULE_OWNER)
        return owner_allows(rq, u);
    if (d.rule == RULE_UPLOAD)
        return upload_allows(rq, u);
    if (d.rule == RULE_ACTIVITY)
        return web_net_pedit_activity_allows(rq, u);
    if (d.rule == RULE_EVENT)
        return web_net_pedit_event_allows(rq, u);
    if (d.rule == RULE_GROUP || d.rule == RULE_MEMBER)
        return web_net_edit_allows(rq, u, d.rule == RULE_MEMBER);
    if (d.rule == RULE_SURVEY)
        return web_survey_allows(rq, u);
    if (d.rule == RULE_PERSON) {
        const char *pseudonym = web_param(rq, "pseudonym");
        struct store *st = web_store(rq);
        struct kn_error err = KN_ERROR_INIT;
        bool in = false;
        if (!pseudonym)
            return 403;
        if (!st)
            return 500;
        int rc = access_scope_has_person(st, u, pseudonym, &in, &err);
        if (rc == KN_ENOTFOUND) {
            rq->error = web_t(rq, "err_404_text");
            return 404;
        }
        if (rc == 0 && !in) { /* outside the scope: only by emergency access */
            rc = access_emergency_has(st, rq->session->id, pseudonym, &in, &err);
            rq->emergency = in;
            if (rc == 0 && !in) {
                rq->error = web_t(rq, "err_person_scope");
                rq->error_link = arena_printf(rq->arena, "/persons/%s/emergency", pseudonym);
            }
        }
        if (rc != 0)
            return 500;
        return in ? 0 : 403;
    }
    return 0;
}

bool web_route_may(struct web_req *rq, const char *method, const char *path)
{
    /* a copy of the request: matching sets the path's parameters, which
     * the rules read, and rq's own must stay */
    struct web_req probe = *rq;
    const struct web_route *route = NULL;
    char allow[64];
    if (web_route_match(routes, sizeof routes / sizeof routes[0], method, path, &probe,
                        &route, allow) != WEB_MATCH_OK)
        return false;
    return web_route_allows(route, &probe) == 0;
}

static bool seg_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
}

/* Does path match pattern? Fills params (names point into the pattern). */
static bool match(const char *pattern, const char *path, struct web_param *params,
                  size_t *np, struct arena *a)
{
    const char *p = pattern, *s = path;
    *np = 0;
    while (*p && *s) {
        if (*p == '{') {
            const char *pe = strchr(p, '}');
            size_t len = 0;
            while (s[len] && s[len] != '/') {
                if (!seg_char(s[len]) || (len == 0 && s[0] == '.'))
                    return false;
                len++;
            }
            if (len == 0 || !pe || *np == WEB_MAX_PARAMS)
                return false;
            if (params && a) {
                params[*np].name = arena_strndup(a, p + 1, (size_t)(pe - p - 1));
                params[*np].value = arena_strndup(a, s, len);
                if (!params[*np].name || !params[*np].value)
                    return false;
            }
            (*np)++;
            p = pe + 1;
            s += len;
            continue;
        }
        if (*p != *s)
            return false;
        p++;
        s++;
    }
    return *p == '\0' && *s == '\0';
}

enum web_match web_route_match(const struct web_route *table, size_t n, const char *method,
                               const char *path, struct web_req *rq,
                               const struct web_route **out, char allow[64])
{
    const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
    bool other = false;
    allow[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t np = 0;
        if (!match(table[i].pattern, path, NULL, &np, NULL))
            continue;
        if (strcmp(table[i].method, m) == 0) {
            if (!match(table[i].pattern, path, rq->params, &rq->nparams, rq->arena))
                return WEB_MATCH_NONE; /* out of memory */
            *out = &table[i];
            return WEB_MATCH_OK;
        }
        size_t al = strlen(allow);
        if (!strstr(allow, table[i].method))
            snprintf(allow + al, 64 - al, "%s%s%s", al ? ", " : "", table[i].method,
                     strcmp(table[i].method, "GET") == 0 ? ", HEAD" : "");
        other = true;
    }
    return other ? WEB_MATCH_METHOD : WEB_MATCH_NONE;
}
