/* src/base/config.h: knod.ini, the configuration of one knod directory.
 *
 * knod.ini is an INI file (read with inih) beside the store and the key.
 * `knod init` writes it with every setting at its default and a comment
 * saying what it does. Relative paths in it are relative to the directory
 * that holds knod.ini. An unknown section or key, or a bad value, is an
 * error naming the file and line, so a typo never silently falls back to
 * a default.
 *
 * The pseudonym key file is, in this order: [pseudonym] key_file if
 * knod.ini sets it; else $CREDENTIALS_DIRECTORY/knod.key if that variable
 * is set (a systemd credential, LoadCredential=knod.key:...); else knod.key
 * in the knod directory. key_from says which (for messages).
 *
 * A setting given twice is an error naming both lines (the second would
 * otherwise win silently). [disclosure] min_count and min_denominator
 * below their floor (the shipped defaults, CONFIG_*_FLOOR) are refused
 * unless the same section says allow_below_floor = yes; below_floor then
 * tells the edges to log a warning on every use.
 *
 * [plausibility] holds the limits beyond which an imported value is
 * implausible but not impossible: the row is stored with a warning
 * (docs/import-format.md, Plausibility). Each is a whole number >= 1.
 *
 * The configuration is read once at start and is const from then on: the
 * one global-like state knod allows (see docs/architecture.md).
 */
#ifndef KNOD_BASE_CONFIG_H
#define KNOD_BASE_CONFIG_H

#include <limits.h>
#include <stdbool.h>

#include "base/config_oidc.h"
#include "base/error.h"
#include "base/log.h"

#define CONFIG_FILE "knod.ini"
#define CONFIG_MIN_COUNT_FLOOR 5
#define CONFIG_MIN_DENOMINATOR_FLOOR 15

enum config_key_from {
    CONFIG_KEY_DEFAULT = 0,  /* DIR/knod.key */
    CONFIG_KEY_INI,          /* [pseudonym] key_file */
    CONFIG_KEY_CREDENTIALS,  /* $CREDENTIALS_DIRECTORY/knod.key */
};

struct config {
    char dir[PATH_MAX];        /* the knod directory (where knod.ini is) */
    char ini_path[PATH_MAX];   /* dir/knod.ini */
    char store_path[PATH_MAX]; /* [store] path, resolved against dir */
    char key_path[PATH_MAX];   /* the key file, see above */
    enum config_key_from key_from;
    int busy_timeout_ms;       /* [store] busy_timeout_ms */
    int min_count;             /* [disclosure] min_count */
    int min_denominator;       /* [disclosure] min_denominator */
    bool allow_below_floor;    /* [disclosure] allow_below_floor */
    bool below_floor;          /* min_count or min_denominator is below its floor */
    enum log_level log_level;  /* [log] level */
    char web_listen[64];       /* [web] listen: "ADDR:PORT" for knod serve */
    int web_threads;           /* [web] threads answering requests */
    int web_timeout_s;         /* [web] timeout_s: idle connections closed */
    int web_max_request;       /* [web] max_request_bytes: larger requests refused */
    int web_poll_ms;           /* [web] poll_ms: how often to look for a new import */
    int web_upload_max_mb;     /* [web] upload_max_mb: a larger upload is refused (413) */
    int web_session_idle_s;    /* [web] session_idle_min, in seconds: idle timeout */
    int web_session_max_s;     /* [web] session_max_hours, in seconds: absolute timeout */
    /* [web] base_url: where the portal is reached from outside, the base of
     * the absolute links in the newsletter (docs/network.md). An http(s)
     * URL without a trailing '/'; default CONFIG_WEB_BASE. */
    char web_base[200];
    /* [fhir] canonical_base: where this installation serves knod's
     * Measures; the base of Measure.url, MeasureReport.measure and the
     * Bundle's fullUrls (docs/indicators.md, "Exports"). An http(s) URL
     * without a trailing '/'; default CONFIG_FHIR_BASE. */
    char fhir_base[200];
    struct config_oidc oidc;   /* [oidc]: base/config_oidc.h */
    /* [plausibility]: an imported value beyond one of these is stored
     * with a warning. */
    int plaus_max_age_years;        /* max_age_years: a person's age */
    int plaus_max_emergency_hours;  /* max_emergency_hours: an emergency visit */
    int plaus_max_inpatient_days;   /* max_inpatient_days: an inpatient stay */
    int plaus_max_coercive_hours;   /* max_coercive_hours: one coercive measure */
};

#define CONFIG_FHIR_BASE "https://knod.se/fhir"
#define CONFIG_WEB_BASE "https://knod.se"

/* Defaults of [plausibility] (docs/import-format.md, Plausibility). */
#define CONFIG_PLAUS_MAX_AGE_YEARS 110
#define CONFIG_PLAUS_MAX_EMERGENCY_HOURS 72
#define CONFIG_PLAUS_MAX_INPATIENT_DAYS 730
#define CONFIG_PLAUS_MAX_COERCIVE_HOURS 48

/* Defaults for directory dir (knod.db and knod.key in dir). */
void config_defaults(struct config *cfg, const char *dir);

/* Defaults for dir, then dir/knod.ini if it exists. KN_EINPUT names the
 * file, line and key of a bad setting; KN_EIO if it cannot be read. */
int config_load(struct config *cfg, const char *dir, struct kn_error *err);

/* Write the documented default knod.ini into dir (must not exist). With
 * key_file, it sets [pseudonym] key_file to it (KN_EINPUT if the name
 * cannot stand in an INI line); NULL leaves the default. */
int config_write_default(const char *dir, const char *key_file, struct kn_error *err);

#endif /* KNOD_BASE_CONFIG_H */
