/* src/web/network/web_net_programme.c: trainings and development
 * activities. Public: the programme reports both openly.
 *
 *   GET /trainings, /api/v1/trainings   the trainings that start in
 *       [?from=, ?to=] (default: all) with their participants, and the
 *       participants summed by region and by profession (training_stats).
 *       Participant figures are counts of participations of professionals
 *       in trainings, not of persons and never of patients: shown as they
 *       are, without the registry's disclosure control (docs/network.md,
 *       The portal).
 *   GET /activities, /api/v1/activities  activity_list, ?region= (a region
 *       code: only its activities), and for ?year= (default this year) the
 *       funding per region, spent against allocated (activity_funding).
 * ?format=csv|xlsx downloads the trainings or the activities.
 */
#include "network/activity.h"
#include "network/net_text.h"
#include "network/training.h"
#include "web/network/web_net.h"
#include "web/web_router.h"
#include "web/web_model.h"
#include "web/web_router.h"
#include "web/web_session.h"

int web_net_trainings(struct web_req *rq)
{
    struct store *st = web_store(rq);
    struct net_rows list = {0}, by_region = {0}, by_profession = {0};
    struct kn_error err = KN_ERROR_INIT;
    kn_day from, to;
    int status = 500;
    if (!web_net_day(rq, "from", date_from_ymd(1900, 1, 1), &from, &status) ||
        !web_net_day(rq, "to", date_from_ymd(2199, 12, 31), &to, &status))
        return status;
    if (!st)
        return 500;
    int rc = training_list(st, from, to, &list, rq->arena, &err);
    if (rc == 0)
        rc = training_stats(st, from, to, "region", &by_region, rq->arena, &err);
    if (rc == 0)
        rc = training_stats(st, from, to, "profession", &by_profession, rq->arena, &err);
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "from");
    if ((rc = web_net_export(rq, &list, "trainings")) != 0)
        return rc;
    if (!web_net_model(rq, "trainings", &list) ||
        !web_set(rq->model, "by_region", net_rows_json(&by_region)) ||
        !web_set(rq->model, "by_profession", net_rows_json(&by_profession)) ||
        !web_sets(rq->model, "from", web_query(rq, "from")) ||
        !web_sets(rq->model, "to", web_query(rq, "to")))
        return 500;
    /* the trainings' forms, for who may follow them (web_net_edit.h) */
    if (!rq->api && !web_set(rq->model, "can_edit",
                             json_boolean(web_route_may(rq, "GET", "/trainings/new"))))
        return 500;
    return 200;
}

int web_net_activities(struct web_req *rq)
{
    const char *region = web_query(rq, "region"), *year_s = web_query(rq, "year");
    struct store *st = web_store(rq);
    struct net_rows list = {0}, funding = {0};
    struct kn_error err = KN_ERROR_INIT;
    long year = date_to_ymd(time_to_day(rq->now)).year;
    if (region && !*region)
        region = NULL;
    if (year_s && *year_s && net_int_parse("year", year_s, 1900, 2199, &year, &err) != 0)
        return web_bad_param(rq, "year", web_t(rq, "net_err_year"));
    if (!st)
        return 500;
    if (region && net_region_check(st, "region", region, &err) != 0)
        return web_bad_param(rq, "region", web_t(rq, "net_err_region"));
    int rc = activity_list(st, region, &list, rq->arena, &err);
    if (rc == 0)
        rc = activity_funding(st, (int)year, -1, &funding, rq->arena, &err);
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "year");
    if ((rc = web_net_export(rq, &list, "activities")) != 0)
        return rc;
    if (!web_net_model(rq, "activities", &list) ||
        !web_set(rq->model, "funding", net_rows_json(&funding)) ||
        !web_set(rq->model, "year", json_integer(year)) ||
        !web_sets(rq->model, "region", region))
        return 500;
    /* the form to add one, for those the route table lets add */
    if (!rq->api && !web_set(rq->model, "can_add",
                             json_boolean(web_route_may(rq, "GET", "/activities/new"))))
        return 500;
    return 200;
}
