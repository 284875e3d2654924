/* src/network/event.c: the checks of an event and of a participant
 * (event.h); the store side is event_store.c. */
#include "network/event.h"

#include <string.h>

#include "base/utf8.h"
#include "domain/pnr_shape.h"

bool ev_pnr_shaped(const char *text)
{
    return pnr_find_shaped(text, strlen(text), NULL, NULL);
}

/* field must be valid UTF-8 of at most max bytes without control
 * characters (newline and tab allowed if multiline) or personnummer. */
static int check_text(const char *field, const char *v, size_t max, bool required,
                      bool multiline, struct kn_error *err)
{
    if (!v || !*v)
        return required ? kn_fail(err, KN_EINPUT, "%s: required", field) : 0;
    size_t len = strlen(v), bad;
    if (len > max)
        return kn_fail(err, KN_EINPUT, "%s: longer than %zu bytes", field, max);
    if (!utf8_valid(v, len, &bad))
        return kn_fail(err, KN_EINPUT, "%s: not UTF-8 (byte %zu)", field, bad + 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t'))) || c == 0x7f)
            return kn_fail(err, KN_EINPUT, "%s: control character at byte %zu", field,
                           i + 1);
    }
    if (strspn(v, " \t\n") == len)
        return kn_fail(err, KN_EINPUT, "%s: only white space", field);
    if (ev_pnr_shaped(v))
        return kn_fail(err, KN_EINPUT,
                       "%s: looks like it holds a personnummer; "
                       "knod stores none",
                       field);
    return 0;
}

static bool one_of(const char *v, const char *const *values)
{
    for (; v && *values; values++)
        if (strcmp(v, *values) == 0)
            return true;
    return false;
}

static int check_url(const char *v, struct kn_error *err)
{
    if (!v || !*v)
        return 0;
    if (strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0)
        return kn_fail(err, KN_EINPUT, "--url: give an http:// or https:// address");
    if (strlen(v) > 1000)
        return kn_fail(err, KN_EINPUT, "--url: longer than 1000 bytes");
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || *p == '"' ||
            *p == '<' || *p == '>' || *p == '\\')
            return kn_fail(err, KN_EINPUT,
                           "--url: character %zu is not allowed in an "
                           "address (percent-encode it)",
                           (size_t)(p - v) + 1);
    return 0;
}

int ev_check(const struct ev_event *e, struct kn_error *err)
{
    static const char *const kinds[] = {"webinar", "network-meeting",
                                        "national-conference", "international-conference",
                                        NULL};
    static const char *const modes[] = {"digital", "on-site", NULL};
    static const char *const states[] = {"confirmed", "tentative", "cancelled", NULL};
    int rc;
    if (!one_of(e->kind, kinds))
        return kn_fail(err, KN_EINPUT,
                       "--kind: webinar, network-meeting, "
                       "national-conference or international-conference");
    if ((rc = check_text("--title", e->title, EV_TEXT_MAX, true, false, err)) != 0 ||
        (rc = check_text("--organiser", e->organiser, EV_TEXT_MAX, true, false, err)) !=
            0 ||
        (rc = check_text("--theme", e->theme, EV_TEXT_MAX, true, false, err)) != 0 ||
        (rc = check_text("--series", e->series, EV_TEXT_MAX, false, false, err)) != 0 ||
        (rc = check_text("--place", e->place, EV_TEXT_MAX, false, false, err)) != 0 ||
        (rc = check_text("--description", e->description, EV_DESC_MAX, false, true,
                         err)) != 0 ||
        (rc = check_url(e->url, err)) != 0)
        return rc;
    if (!one_of(e->mode, modes))
        return kn_fail(err, KN_EINPUT, "--mode: digital or on-site");
    if (strcmp(e->mode, "on-site") == 0 && (!e->place || !*e->place))
        return kn_fail(err, KN_EINPUT, "--place: required for an event on site");
    if (!one_of(e->status, states))
        return kn_fail(err, KN_EINPUT, "--status: confirmed, tentative or cancelled");
    if (e->ends <= e->starts)
        return kn_fail(err, KN_EINPUT, "--end: must be after --start");
    if (e->ends - e->starts > 31 * (kn_time)KN_DAY_SECONDS)
        return kn_fail(err, KN_EINPUT, "--end: an event lasts at most 31 days");
    if (e->capacity != EV_NO_CAPACITY &&
        (e->capacity < 0 || e->capacity > EV_CAPACITY_MAX))
        return kn_fail(err, KN_EINPUT, "--capacity: 0 to %d seats", EV_CAPACITY_MAX);
    return 0;
}

static int check_email(const char *v, struct kn_error *err)
{
    if (!v || !*v)
        return kn_fail(err, KN_EINPUT, "--email: required");
    const char *at = strchr(v, '@');
    size_t len = strlen(v);
    if (len > 254 || !at || at == v || strchr(at + 1, '@') || !strchr(at + 1, '.') ||
        at[1] == '.' || v[len - 1] == '.')
        return kn_fail(err, KN_EINPUT,
                       "--email: not an e-mail address (name@example.se)");
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
            strchr("\"(),:;<>[\\]", *p))
            return kn_fail(err, KN_EINPUT, "--email: character %zu is not allowed",
                           (size_t)(p - v) + 1);
    if (ev_pnr_shaped(v))
        return kn_fail(err, KN_EINPUT,
                       "--email: looks like it holds a personnummer; "
                       "knod stores none");
    return 0;
}

int ev_check_participant(const struct ev_participant *p, struct kn_error *err)
{
    int rc;
    if ((rc = check_text("--name", p->name, EV_TEXT_MAX, true, false, err)) != 0 ||
        (rc = check_email(p->email, err)) != 0 ||
        (rc = check_text("--organisation", p->organisation, EV_TEXT_MAX, false, false,
                         err)) != 0)
        return rc;
    return 0;
}
