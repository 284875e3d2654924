/* src/base/config.c: reading and writing knod.ini with inih. */
#include "base/config.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>

#define KN_STR_(x) #x
#define KN_STR(x) KN_STR_(x)

static const char default_ini[] =
    "; knod configuration. Relative paths are relative to this file's folder.\n"
    "; Every setting is shown at its default; an unknown key is an error.\n"
    "\n"
    "[store]\n"
    "; The SQLite store holding pseudonymised care data.\n"
    "path = knod.db\n"
    "; How long a command waits for another one's write lock, in ms.\n"
    "busy_timeout_ms = 5000\n"
    "\n"
    "[pseudonym]\n"
    "; The secret key for pseudonyms (mode 0600). Back it up apart from the\n"
    "; store: without it new data can no longer be linked to stored persons.\n"
    "; Unset, it is $CREDENTIALS_DIRECTORY/knod.key when that is set (a systemd\n"
    "; credential), else knod.key here. Keep it apart: docs/operations.md.\n"
    "; key_file = knod.key\n"
    "\n"
    "[disclosure]\n"
    "; Small-cell suppression of every number that leaves person-level scope:\n"
    "; counts below min_count are hidden, and rates or proportions whose\n"
    "; denominator is below min_denominator. These defaults are the floor: a\n"
    "; lower value is refused unless allow_below_floor = yes (then it is\n"
    "; logged as a warning on every use; docs/indicators.md).\n"
    "min_count = 5\n"
    "min_denominator = 15\n"
    "\n"
    "[log]\n"
    "; debug, info, warning or error.\n"
    "level = info\n"
    "\n"
    "[web]\n"
    "; knod serve: the address and port to listen on (--listen overrides it).\n"
    "listen = 127.0.0.1:8080\n"
    "; Threads that answer requests (1-16).\n"
    "threads = 2\n"
    "; A connection idle this many seconds is closed.\n"
    "timeout_s = 30\n"
    "; Larger requests (headers, or a body) are refused, in bytes.\n"
    "max_request_bytes = 16384\n"
    "; How often the server looks for a finished import, in ms; new results\n"
    "; are computed in the background and served when complete.\n"
    "poll_ms = 250\n"
    "; A signed-in session ends after this many minutes without a request\n"
    "; (1-1440), and this many hours after sign-in whatever happens (1-168).\n"
    "session_idle_min = 30\n"
    "session_max_hours = 12\n"
    "; A file uploaded at /upload may be this large, in MB (1-4096).\n"
    "upload_max_mb = 64\n"
    "; Where the portal is reached from outside (http or https, no '/' at the\n"
    "; end): the base of the links in the newsletter (knod newsletter).\n"
    "base_url = " CONFIG_WEB_BASE "\n"
    "\n"
    "[fhir]\n"
    "; Where this installation serves knod's FHIR Measures: the base of their\n"
    "; canonical URLs and of the Bundle's fullUrls (http or https, no '/' at\n"
    "; the end). knod's own code systems and extensions keep knod's base.\n"
    "canonical_base = " CONFIG_FHIR_BASE "\n"
    "\n"
    "[plausibility]\n"
    "; An imported value beyond one of these limits is implausible but not\n"
    "; impossible: the row is stored, and the import warns naming the file,\n"
    "; line and field (docs/import-format.md, Plausibility).\n"
    "; A person older than this, in years, on the import's day (or at death).\n"
    "max_age_years = " KN_STR(CONFIG_PLAUS_MAX_AGE_YEARS) "\n"
    "; An emergency visit longer than this, in hours.\n"
    "max_emergency_hours = " KN_STR(CONFIG_PLAUS_MAX_EMERGENCY_HOURS) "\n"
    "; An inpatient stay longer than this, in days.\n"
    "max_inpatient_days = " KN_STR(CONFIG_PLAUS_MAX_INPATIENT_DAYS) "\n"
    "; One coercive measure (one decision) longer than this, in hours.\n"
    "max_coercive_hours = " KN_STR(CONFIG_PLAUS_MAX_COERCIVE_HOURS) "\n"
    "\n"
    "; Sign-in through the region's OpenID Connect provider (docs/access.md,\n"
    "; docs/operations.md). Without issuer, only local accounts sign in.\n"
    "; [oidc]\n"
    "; issuer = https://idp.region.se/realms/vard\n"
    "; client_id = knod\n"
    "; client_secret_file = /etc/knod/oidc-secret\n"
    "; redirect_uri = https://knod.region.se/login/oidc/callback\n"
    "; scopes = openid\n"
    "; claim_user = sub\n"
    "; claim_role = roles\n"
    "; role_map = KNOD-SAMORDNARE=coordinator KNOD-REGISTRERARE=registrar\n"
    "; claim_region = region\n"
    "; claim_unit = unit\n"
    "; create_users = no\n";

/* dir/path into out, or path alone if absolute or dir is "."; -1 if it
 * does not fit. */
static int join(char *out, size_t cap, const char *dir, const char *path)
{
    int n;
    if (path[0] == '/' || dir[0] == '\0' || strcmp(dir, ".") == 0)
        n = snprintf(out, cap, "%s", path);
    else
        n = snprintf(out, cap, "%s/%s", dir, path);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

void config_defaults(struct config *cfg, const char *dir)
{
    memset(cfg, 0, sizeof *cfg);
    /* A directory name too long for PATH_MAX makes empty paths, which
     * then fail to open with a clear message. */
    if (snprintf(cfg->dir, sizeof cfg->dir, "%s", dir) >= (int)sizeof cfg->dir
        || join(cfg->store_path, sizeof cfg->store_path, dir, "knod.db") != 0
        || join(cfg->key_path, sizeof cfg->key_path, dir, "knod.key") != 0
        || join(cfg->ini_path, sizeof cfg->ini_path, dir, CONFIG_FILE) != 0) {
        cfg->ini_path[0] = '\0';
        cfg->store_path[0] = '\0';
        cfg->key_path[0] = '\0';
    }
    cfg->busy_timeout_ms = 5000;
    cfg->min_count = CONFIG_MIN_COUNT_FLOOR;
    cfg->min_denominator = CONFIG_MIN_DENOMINATOR_FLOOR;
    cfg->log_level = LOG_INFO;
    snprintf(cfg->web_listen, sizeof cfg->web_listen, "127.0.0.1:8080");
    cfg->web_threads = 2;
    cfg->web_timeout_s = 30;
    cfg->web_max_request = 16384;
    cfg->web_poll_ms = 250;
    cfg->web_upload_max_mb = 64;
    cfg->web_session_idle_s = 30 * 60;
    cfg->web_session_max_s = 12 * 3600;
    snprintf(cfg->fhir_base, sizeof cfg->fhir_base, "%s", CONFIG_FHIR_BASE);
    snprintf(cfg->web_base, sizeof cfg->web_base, "%s", CONFIG_WEB_BASE);
    config_oidc_defaults(&cfg->oidc);
    cfg->plaus_max_age_years = CONFIG_PLAUS_MAX_AGE_YEARS;
    cfg->plaus_max_emergency_hours = CONFIG_PLAUS_MAX_EMERGENCY_HOURS;
    cfg->plaus_max_inpatient_days = CONFIG_PLAUS_MAX_INPATIENT_DAYS;
    cfg->plaus_max_coercive_hours = CONFIG_PLAUS_MAX_COERCIVE_HOURS;
}

/* An http(s) URL of printable ASCII without spaces or a trailing '/'. */
static int parse_base(const char *v, char *out, size_t cap)
{
    size_t n = strlen(v);
    if (n >= cap || (strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0) ||
        v[n - 1] == '/')
        return -1;
    for (size_t i = 0; i < n; i++)
        if (v[i] <= ' ' || v[i] > '~' || v[i] == '|' || v[i] == '#' || v[i] == '?')
            return -1;
    memcpy(out, v, n + 1);
    return 0;
}

/* Every setting knod.ini may hold; the index is its slot in
 * load_state.line. */
enum setting {
    SET_STORE_PATH, SET_BUSY_TIMEOUT, SET_KEY_FILE, SET_MIN_COUNT, SET_MIN_DENOMINATOR,
    SET_ALLOW_BELOW_FLOOR, SET_LOG_LEVEL, SET_WEB_LISTEN, SET_WEB_THREADS, SET_WEB_TIMEOUT,
    SET_WEB_MAX_REQUEST, SET_WEB_POLL, SET_FHIR_BASE,
    SET_PLAUS_AGE, SET_PLAUS_EMERGENCY, SET_PLAUS_INPATIENT, SET_PLAUS_COERCIVE,
    SET_WEB_SESSION_IDLE, SET_WEB_SESSION_MAX,
    SET_WEB_UPLOAD_MAX,
    SET_WEB_BASE,
    SET_COUNT
};

static const struct {
    const char *section, *name;
} settings[SET_COUNT] = {
    [SET_STORE_PATH] = { "store", "path" },
    [SET_BUSY_TIMEOUT] = { "store", "busy_timeout_ms" },
    [SET_KEY_FILE] = { "pseudonym", "key_file" },
    [SET_MIN_COUNT] = { "disclosure", "min_count" },
    [SET_MIN_DENOMINATOR] = { "disclosure", "min_denominator" },
    [SET_ALLOW_BELOW_FLOOR] = { "disclosure", "allow_below_floor" },
    [SET_LOG_LEVEL] = { "log", "level" },
    [SET_WEB_LISTEN] = { "web", "listen" },
    [SET_WEB_THREADS] = { "web", "threads" },
    [SET_WEB_TIMEOUT] = { "web", "timeout_s" },
    [SET_WEB_MAX_REQUEST] = { "web", "max_request_bytes" },
    [SET_WEB_POLL] = { "web", "poll_ms" },
    [SET_FHIR_BASE] = { "fhir", "canonical_base" },
    [SET_PLAUS_AGE] = { "plausibility", "max_age_years" },
    [SET_PLAUS_EMERGENCY] = { "plausibility", "max_emergency_hours" },
    [SET_PLAUS_INPATIENT] = { "plausibility", "max_inpatient_days" },
    [SET_PLAUS_COERCIVE] = { "plausibility", "max_coercive_hours" },
    [SET_WEB_SESSION_IDLE] = { "web", "session_idle_min" },
    [SET_WEB_SESSION_MAX] = { "web", "session_max_hours" },
    [SET_WEB_UPLOAD_MAX] = { "web", "upload_max_mb" },
    [SET_WEB_BASE] = { "web", "base_url" },
};

struct load_state {
    struct config *cfg;
    struct kn_error *err;
    int failed;           /* inih goes on after an error; keep the first message */
    FILE *f;
    int lineno;           /* the line inih read last (counted by read_line) */
    int line[SET_COUNT];  /* where each setting was given, 0 if not */
};

/* inih's reader: fgets, counting lines so that a setting's line is known
 * after the parse (for a repeat and for the floor check). */
static char *read_line(char *str, int num, void *stream)
{
    struct load_state *ls = stream;
    char *r = fgets(str, num, ls->f);
    if (r != NULL)
        ls->lineno++;
    return r;
}

static int parse_int(const char *v, int lo, int hi, int *out)
{
    char *end = NULL;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno != 0 || end == v || *end != '\0' || n < lo || n > hi)
        return -1;
    *out = (int)n;
    return 0;
}

static int parse_bool(const char *v, bool *out)
{
    if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0) {
        *out = true;
        return 0;
    }
    if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0) {
        *out = false;
        return 0;
    }
    return -1;
}

/* inih calls this for each name = value; returning 0 stops with an error
 * at the current line (inih reports the line number). */
static int on_value(void *user, const char *section, const char *name,
                    const char *value)
{
    struct load_state *ls = user;
    struct config *cfg = ls->cfg;
    int bad = 0;

    if (ls->failed)
        return 0;
    ls->failed = 1;

    /* [oidc] reads itself (base/config_oidc.c). */
    if (strcmp(section, "oidc") == 0) {
        if (config_oidc_set(&cfg->oidc, cfg->dir, name, value, ls->err) != 0)
            return 0;
        ls->failed = 0;
        return 1;
    }

    int id = 0;
    while (id < SET_COUNT
           && (strcmp(section, settings[id].section) != 0 || strcmp(name, settings[id].name) != 0))
        id++;
    if (id == SET_COUNT) {
        if (section[0] == '\0')
            kn_fail(ls->err, KN_EINPUT, "setting '%s' stands before any [section]", name);
        else
            kn_fail(ls->err, KN_EINPUT, "unknown setting '%s' in section [%s]", name, section);
        return 0;
    }
    /* A repeat would win silently (a second min_count = 1 once switched
     * small-cell suppression off), so it is an error. */
    if (ls->line[id] != 0) {
        kn_fail(ls->err, KN_EINPUT, "setting '%s' in [%s] is repeated (first set on line %d)",
                name, section, ls->line[id]);
        return 0;
    }
    ls->line[id] = ls->lineno;

    switch ((enum setting)id) {
    case SET_STORE_PATH:
        bad = join(cfg->store_path, sizeof cfg->store_path, cfg->dir, value);
        break;
    case SET_BUSY_TIMEOUT: bad = parse_int(value, 0, 600000, &cfg->busy_timeout_ms); break;
    case SET_KEY_FILE:
        bad = join(cfg->key_path, sizeof cfg->key_path, cfg->dir, value);
        cfg->key_from = CONFIG_KEY_INI;
        break;
    case SET_MIN_COUNT: bad = parse_int(value, 1, 1000, &cfg->min_count); break;
    case SET_MIN_DENOMINATOR:
        bad = parse_int(value, 1, 100000, &cfg->min_denominator);
        break;
    case SET_ALLOW_BELOW_FLOOR: bad = parse_bool(value, &cfg->allow_below_floor); break;
    case SET_LOG_LEVEL:
        bad = log_parse_level(value, &cfg->log_level) != 0 ? -1 : 0;
        break;
    case SET_WEB_LISTEN: {
        size_t n = strlen(value);
        bad = n == 0 || n >= sizeof cfg->web_listen || !strchr(value, ':');
        if (!bad)
            memcpy(cfg->web_listen, value, n + 1);
        break;
    }
    case SET_WEB_THREADS: bad = parse_int(value, 1, 16, &cfg->web_threads); break;
    case SET_WEB_TIMEOUT: bad = parse_int(value, 1, 3600, &cfg->web_timeout_s); break;
    case SET_WEB_MAX_REQUEST:
        bad = parse_int(value, 1024, 16 << 20, &cfg->web_max_request);
        break;
    case SET_WEB_POLL: bad = parse_int(value, 10, 60000, &cfg->web_poll_ms); break;
    case SET_WEB_UPLOAD_MAX: bad = parse_int(value, 1, 4096, &cfg->web_upload_max_mb); break;
    case SET_FHIR_BASE:
        bad = parse_base(value, cfg->fhir_base, sizeof cfg->fhir_base);
        break;
    /* Upper bounds keep a limit's seconds within a kn_time: a century,
     * as any of them. */
    case SET_PLAUS_AGE: bad = parse_int(value, 1, 200, &cfg->plaus_max_age_years); break;
    case SET_PLAUS_EMERGENCY:
        bad = parse_int(value, 1, 100 * 366 * 24, &cfg->plaus_max_emergency_hours);
        break;
    case SET_PLAUS_INPATIENT:
        bad = parse_int(value, 1, 100 * 366, &cfg->plaus_max_inpatient_days);
        break;
    case SET_PLAUS_COERCIVE:
        bad = parse_int(value, 1, 100 * 366 * 24, &cfg->plaus_max_coercive_hours);
        break;
    case SET_WEB_SESSION_IDLE: {
        int m = 0;
        bad = parse_int(value, 1, 1440, &m);
        cfg->web_session_idle_s = m * 60;
        break;
    }
    case SET_WEB_SESSION_MAX: {
        int h = 0;
        bad = parse_int(value, 1, 168, &h);
        cfg->web_session_max_s = h * 3600;
        break;
    }
    case SET_WEB_BASE:
        bad = parse_base(value, cfg->web_base, sizeof cfg->web_base);
        break;
    case SET_COUNT: break;
    }
    if (bad) {
        kn_fail(ls->err, KN_EINPUT, "setting '%s' in [%s] has a bad value '%s'",
                name, section, value);
        return 0;
    }
    ls->failed = 0;
    return 1;
}

/* Disclosure control below its floor only when knod.ini says so in the
 * same section; the error names the line of the weakening setting. */
static int check_floor(struct load_state *ls, const char *path)
{
    struct config *cfg = ls->cfg;
    cfg->below_floor = cfg->min_count < CONFIG_MIN_COUNT_FLOOR
                       || cfg->min_denominator < CONFIG_MIN_DENOMINATOR_FLOOR;
    if (!cfg->below_floor || cfg->allow_below_floor)
        return 0;
    bool count = cfg->min_count < CONFIG_MIN_COUNT_FLOOR;
    return kn_fail(ls->err, KN_EINPUT,
                   "%s:%d: setting '%s' = %d in [disclosure] is below the floor of "
                   "disclosure control (%d); small cells would be published. To accept "
                   "that, add 'allow_below_floor = yes' to [disclosure] (docs/indicators.md)",
                   path, ls->line[count ? SET_MIN_COUNT : SET_MIN_DENOMINATOR],
                   count ? "min_count" : "min_denominator",
                   count ? cfg->min_count : cfg->min_denominator,
                   count ? CONFIG_MIN_COUNT_FLOOR : CONFIG_MIN_DENOMINATOR_FLOOR);
}

/* Without key_file, a systemd credential named knod.key is the key. */
static int key_from_credentials(struct config *cfg, struct kn_error *err)
{
    const char *creds = getenv("CREDENTIALS_DIRECTORY");
    if (cfg->key_from == CONFIG_KEY_INI || creds == NULL || creds[0] == '\0')
        return 0;
    if (creds[0] != '/' || join(cfg->key_path, sizeof cfg->key_path, creds, "knod.key") != 0)
        return kn_fail(err, KN_EINPUT, "$CREDENTIALS_DIRECTORY is not an absolute folder "
                       "name that fits");
    cfg->key_from = CONFIG_KEY_CREDENTIALS;
    return 0;
}

int config_load(struct config *cfg, const char *dir, struct kn_error *err)
{
    char path[PATH_MAX];
    config_defaults(cfg, dir);
    if (join(path, sizeof path, dir, CONFIG_FILE) != 0)
        return kn_fail(err, KN_EINPUT, "the directory name is too long");

    FILE *f = fopen(path, "r");
    if (f == NULL) {
        if (errno == ENOENT)
            return key_from_credentials(cfg, err);
        return kn_fail(err, KN_EIO, "cannot read '%s': %s", path, strerror(errno));
    }
    struct load_state ls = { .cfg = cfg, .err = err, .f = f };
    kn_error_clear(err);
    int line = ini_parse_stream(read_line, &ls, on_value, &ls);
    fclose(f);
    if (line == 0) {
        int rc = check_floor(&ls, path);
        if (rc == 0 && config_oidc_check(&cfg->oidc, err) != 0)
            return kn_error_prefix(err, "%s: ", path);
        return rc != 0 ? rc : key_from_credentials(cfg, err);
    }
    if (line < 0)
        return kn_fail(err, KN_EIO, "cannot read '%s'", path);
    if (err != NULL && err->code != 0)
        return kn_error_prefix(err, "%s:%d: ", path, line);
    return kn_fail(err, KN_EINPUT, "%s:%d: not a 'name = value' line or [section]",
                   path, line);
}

/* Write len bytes of text to fd; -1 with errno on failure. */
static int write_all(int fd, const char *text, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, text, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        text += n;
        len -= (size_t)n;
    }
    return 0;
}

int config_write_default(const char *dir, const char *key_file, struct kn_error *err)
{
    static const char marker[] = "; key_file = knod.key\n";
    char path[PATH_MAX];
    if (join(path, sizeof path, dir, CONFIG_FILE) != 0)
        return kn_fail(err, KN_EINPUT, "the directory name is too long");
    /* The name goes into an INI line as it is: no line breaks, no comment
     * characters, no spaces at its ends. */
    if (key_file != NULL
        && (key_file[0] == '\0' || strpbrk(key_file, "\r\n;#") != NULL
            || key_file[0] == ' ' || key_file[strlen(key_file) - 1] == ' '))
        return kn_fail(err, KN_EINPUT, "key file name '%s' cannot be written into %s "
                       "(line breaks, ';', '#' or spaces at its ends)", key_file, CONFIG_FILE);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (errno == EEXIST)
            return kn_fail(err, KN_EEXIST, "'%s' already exists", path);
        return kn_fail(err, KN_EIO, "cannot create '%s': %s", path, strerror(errno));
    }
    const char *at = strstr(default_ini, marker);
    assert(at != NULL);
    size_t head = key_file != NULL ? (size_t)(at - default_ini) : sizeof default_ini - 1;
    int bad = write_all(fd, default_ini, head);
    if (key_file != NULL && bad == 0)
        bad = write_all(fd, "key_file = ", 11) != 0 || write_all(fd, key_file, strlen(key_file)) != 0
              || write_all(fd, "\n", 1) != 0
              || write_all(fd, at + sizeof marker - 1, strlen(at + sizeof marker - 1)) != 0;
    int rc = 0;
    if (bad)
        rc = kn_fail(err, KN_EIO, "cannot write '%s': %s", path, strerror(errno));
    if (close(fd) != 0 && rc == 0)
        rc = kn_fail(err, KN_EIO, "cannot write '%s': %s", path, strerror(errno));
    if (rc != 0)
        unlink(path);
    return rc;
}
